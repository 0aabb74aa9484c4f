"""The local runtime's in-process queues: FIFOs of SQS-shaped records, delivered in batches and retried."""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel


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
