"""Where alerts go: the SNS topic (email and SMS subscriptions, in AWS) and the signed webhook (locally and in AWS,
through the one delivery module, ``functions/shared/webhooks.py``). A destination never raises: one that fails is
logged (the webhook's attempts are also in the delivery log) and the others still get the alert."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from functions.shared.observability import logger
from functions.shared.webhooks import Destination as WebhookTarget
from functions.shared.webhooks import WebhookSender

SNS_MESSAGE_LIMIT = 250_000  # SNS takes 256 KB; a long digest is cut rather than refused


class SnsTopic:
    def __init__(self, topic_arn: str, region: str) -> None:
        import boto3

        self._topic_arn = topic_arn
        self._client = boto3.client("sns", region_name=region)

    def publish(self, event: str, key: str, subject: str, payload: Mapping[str, Any]) -> None:
        message = json.dumps({"type": event, "id": key, "data": dict(payload)}, ensure_ascii=False, default=str)
        try:
            self._client.publish(
                TopicArn=self._topic_arn,
                Subject=subject,
                Message=message[:SNS_MESSAGE_LIMIT],
                MessageAttributes={"event": {"DataType": "String", "StringValue": event}},
            )
        except Exception:  # one destination's fault must not keep the alert from the others
            logger.exception("alert not published to SNS", extra={"event": event, "alert": key})


class SignedWebhook:
    def __init__(self, sender: WebhookSender, url: str, secret: str) -> None:
        self._sender = sender
        self._target = WebhookTarget(url, secret, owner="alerts#webhook")

    def publish(self, event: str, key: str, subject: str, payload: Mapping[str, Any]) -> None:
        # The delivery id follows from the alert, so a receiver can de-duplicate across retries and reruns.
        delivery_id = "alr_" + hashlib.sha256(key.encode()).hexdigest()[:32]
        result = self._sender.send(self._target, event, {"subject": subject, **payload}, delivery_id)
        if not result.delivered:
            logger.warning(
                "alert webhook not delivered",
                extra={"alert": key, "attempts": result.attempts, "status": result.status, "error": result.error},
            )
