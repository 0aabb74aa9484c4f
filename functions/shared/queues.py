"""Queue senders. In AWS a message goes to SQS; the local runtime installs its own in-process sinks, drained
with SQS-shaped events, so consumers see the same batches and partial-failure semantics either way.

There is no silent fallback: a function with no queue URL and no installed local sink fails loudly instead of
answering "accepted" and losing the posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel

from functions.shared.settings import MissingSetting, Settings

SQS_BATCH = 10
QUEUE_SETTINGS = {"posts": "posts_queue_url", "matches": "matches_queue_url"}


class MessageSink(Protocol):
    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None: ...


class SqsSink:
    def __init__(self, queue_url: str, region: str) -> None:
        import boto3

        self._client = boto3.client("sqs", region_name=region)
        self._url = queue_url

    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None:
        attributes = {"correlation_id": {"DataType": "String", "StringValue": correlation_id}} if correlation_id else {}
        for start in range(0, len(messages), SQS_BATCH):
            entries = [
                {"Id": str(i), "MessageBody": m.model_dump_json(), "MessageAttributes": attributes}
                for i, m in enumerate(messages[start : start + SQS_BATCH])
            ]
            result = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            if result.get("Failed"):
                raise RuntimeError(f"SQS refused {len(result['Failed'])} message(s): {result['Failed'][0]}")


def sink_for(name: str, settings: Settings, local_sinks: dict[str, MessageSink]) -> MessageSink:
    """SQS when the queue URL is configured; in the local stage, the sink the local runtime installed."""
    url = getattr(settings, QUEUE_SETTINGS[name])
    if url:
        return SqsSink(url, settings.aws_region)
    if settings.is_local and name in local_sinks:
        return local_sinks[name]
    raise MissingSetting(
        f"no '{name}' queue: set ANTIDOTE_{QUEUE_SETTINGS[name].upper()}"
        + (" or run under the local runtime (antidote serve)" if settings.is_local else "")
    )
