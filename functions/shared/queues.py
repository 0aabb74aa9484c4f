"""Queue senders. In AWS a message goes to SQS; the local runtime installs its own in-process sinks, drained
with SQS-shaped events, so consumers see the same batches and partial-failure semantics either way.

There is no silent fallback: a function with no queue URL and no installed local sink fails loudly instead of
answering "accepted" and losing the posts.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel

from functions.shared.settings import MissingSetting, Settings

SQS_BATCH = 10  # entries per SendMessageBatch
SQS_MAX_BYTES = 256 * 1024  # one message, and one whole batch request (body + attributes)
SEND_ATTEMPTS = 3  # a failed entry is sent again, alone with the other failures, before the send gives up
QUEUE_SETTINGS = {"posts": "posts_queue_url", "matches": "matches_queue_url"}


class QueueSendFailed(RuntimeError):
    """Some messages could not be queued: raised, never dropped, so the caller's request fails and is retried
    (ingest and match are idempotent, and ingest queues again a stored post that has no match)."""


class MessageSink(Protocol):
    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None: ...


def sqs_batches(sizes: Sequence[int], limit_entries: int = SQS_BATCH, limit_bytes: int = SQS_MAX_BYTES) -> list[range]:
    """Consecutive runs of message positions, each within SQS's 10 entries and 256 KiB per request."""
    batches: list[range] = []
    start, total = 0, 0
    for position, size in enumerate(sizes):
        if position > start and (position - start == limit_entries or total + size > limit_bytes):
            batches.append(range(start, position))
            start, total = position, 0
        total += size
    if start < len(sizes):
        batches.append(range(start, len(sizes)))
    return batches


class SqsSink:
    def __init__(self, queue_url: str, region: str) -> None:
        import boto3

        self._client = boto3.client("sqs", region_name=region)
        self._url = queue_url

    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None:
        """Queue every message or raise :class:`QueueSendFailed` naming what was not queued."""
        attributes = {"correlation_id": {"DataType": "String", "StringValue": correlation_id}} if correlation_id else {}
        overhead = len("correlation_id") + len("String") + len((correlation_id or "").encode()) if attributes else 0
        bodies = [m.model_dump_json() for m in messages]
        sizes = [len(body.encode()) + overhead for body in bodies]
        too_large = [i for i, size in enumerate(sizes) if size > SQS_MAX_BYTES]
        if too_large:
            raise QueueSendFailed(
                f"{len(too_large)} message(s) over SQS's {SQS_MAX_BYTES} bytes (the largest {max(sizes)}); none sent"
            )
        for batch in sqs_batches(sizes):
            entries = {str(i): {"Id": str(i), "MessageBody": bodies[i], "MessageAttributes": attributes} for i in batch}
            self._send_batch(entries)

    def _send_batch(self, entries: dict[str, dict[str, Any]]) -> None:
        """One batch; entries SQS reports failed are sent again, up to ``SEND_ATTEMPTS`` times in all."""
        failed: list[dict[str, Any]] = []
        for attempt in range(SEND_ATTEMPTS):
            if attempt:
                time.sleep(0.1 * 2**attempt)
            result = self._client.send_message_batch(QueueUrl=self._url, Entries=list(entries.values()))
            failed = list(result.get("Failed") or [])
            entries = {f["Id"]: entries[f["Id"]] for f in failed}
            if not entries:
                return
        first = failed[0]
        raise QueueSendFailed(
            f"SQS refused {len(failed)} message(s) after {SEND_ATTEMPTS} attempts: "
            f"{first.get('Code')} ({'sender' if first.get('SenderFault') else 'service'} fault) {first.get('Message')}"
        )


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
