"""Queue senders. In AWS a message goes to SQS; locally to an in-process queue the local runtime drains with
SQS-shaped events, so consumers see the same batches and partial-failure semantics either way."""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import BaseModel

from functions.shared.settings import Settings

SQS_BATCH = 10


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


class InMemoryQueue:
    """A FIFO of SQS-shaped records; the local runtime delivers them in batches, and retries failures."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records: deque[dict[str, Any]] = deque()
        self.dead_letters: list[dict[str, Any]] = []

    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None:
        for message in messages:
            self.put_raw(message.model_dump_json(), correlation_id)

    def put_raw(self, body: str, correlation_id: str | None = None, receive_count: int = 0) -> None:
        attributes = {"correlation_id": {"stringValue": correlation_id, "dataType": "String"}} if correlation_id else {}
        self.records.append(
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": uuid.uuid4().hex,
                "body": body,
                "attributes": {"ApproximateReceiveCount": str(receive_count + 1)},
                "messageAttributes": attributes,
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:local:000000000000:{self.name}",
                "awsRegion": "local",
            }
        )

    def take(self, count: int) -> list[dict[str, Any]]:
        return [self.records.popleft() for _ in range(min(count, len(self.records)))]


_LOCAL_QUEUES: dict[str, InMemoryQueue] = {}


def local_queue(name: str) -> InMemoryQueue:
    return _LOCAL_QUEUES.setdefault(name, InMemoryQueue(name))


def sink_for(name: str, settings: Settings) -> MessageSink:
    url = {"posts": settings.posts_queue_url, "matches": settings.matches_queue_url}[name]
    return SqsSink(url, settings.aws_region) if url else local_queue(name)
