"""The AWS queue sender against an SQS-compatible server: moto's server mode, a real HTTP server on 127.0.0.1
that boto3 reaches over the wire (no patching of boto3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from pydantic import BaseModel

from functions.shared.models import PostMessage
from functions.shared.queues import SQS_MAX_BYTES, QueueSendFailed, SqsSink, sqs_batches
from tests.integration.moto_server import moto_endpoint


class Padded(BaseModel):
    post_key: str
    padding: str = ""


@pytest.fixture(scope="module")
def sqs_endpoint() -> Iterator[str]:
    with moto_endpoint() as url:
        yield url


@pytest.fixture
def queue(sqs_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> tuple[Any, str]:
    """A new queue on the server, limited to 256 KiB messages, and the environment that points boto3 at it."""
    for name, value in {
        "AWS_ENDPOINT_URL_SQS": sqs_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("sqs", region_name="us-east-1")
    name = request.node.name.replace("[", "-").replace("]", "")[:70]
    url = client.create_queue(QueueName=name, Attributes={"MaximumMessageSize": str(SQS_MAX_BYTES)})["QueueUrl"]
    return client, url


def received(client: Any, url: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while True:
        batch = client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", [])
        if not batch:
            return messages
        messages.extend(batch)


def record_calls(sink: SqsSink) -> list[int]:
    """Entries per SendMessageBatch request the sink makes."""
    calls: list[int] = []
    sink._client.meta.events.register(
        "before-parameter-build.sqs.SendMessageBatch", lambda params, **_: calls.append(len(params["Entries"]))
    )
    return calls


def test_batches_of_ten_with_the_correlation_id(queue: tuple[Any, str]) -> None:
    client, url = queue
    sink = SqsSink(url, "us-east-1")
    calls = record_calls(sink)
    sink.send([PostMessage(post_key=f"x#{i}") for i in range(25)], correlation_id="corr-1")
    assert calls == [10, 10, 5]
    messages = received(client, url)
    assert sorted(json.loads(m["Body"])["post_key"] for m in messages) == sorted(f"x#{i}" for i in range(25))
    assert {m["MessageAttributes"]["correlation_id"]["StringValue"] for m in messages} == {"corr-1"}


def test_batches_stay_within_256_kib(queue: tuple[Any, str]) -> None:
    client, url = queue
    sink = SqsSink(url, "us-east-1")
    calls = record_calls(sink)
    sink.send([Padded(post_key=f"x#{i}", padding="a" * 100_000) for i in range(5)])
    assert calls == [2, 2, 1]  # 3 × 100 KB would pass 256 KiB
    assert len(received(client, url)) == 5


def test_a_message_over_256_kib_fails_the_send_before_anything_is_sent(queue: tuple[Any, str]) -> None:
    client, url = queue
    sink = SqsSink(url, "us-east-1")
    calls = record_calls(sink)
    with pytest.raises(QueueSendFailed, match="over SQS's 262144 bytes"):
        sink.send([PostMessage(post_key="x#small"), Padded(post_key="x#big", padding="a" * SQS_MAX_BYTES)])
    assert calls == []
    assert received(client, url) == []


def fail_entry(sink: SqsSink, entry_id: str, times: int) -> list[int]:
    """Make the server refuse one entry of the next ``times`` requests: it gets an invalid DelaySeconds, which SQS
    (and moto) report as that entry's failure in ``Failed`` while the rest of the batch is queued."""
    attempts: list[int] = []

    def invalid_delay(params: dict[str, Any], **_: Any) -> None:
        attempts.append(len(params["Entries"]))
        if len(attempts) <= times:  # on the wire only: the sink's own entries stay as they were
            params["Entries"] = [
                {**entry, "DelaySeconds": 901} if entry["Id"] == entry_id else entry for entry in params["Entries"]
            ]

    sink._client.meta.events.register("before-parameter-build.sqs.SendMessageBatch", invalid_delay)
    return attempts


def test_a_refused_entry_is_sent_again_alone(queue: tuple[Any, str]) -> None:
    client, url = queue
    sink = SqsSink(url, "us-east-1")
    attempts = fail_entry(sink, "3", times=1)
    sink.send([PostMessage(post_key=f"x#{i}") for i in range(10)])
    assert attempts == [10, 1]  # the nine others are not sent twice
    assert sorted(json.loads(m["Body"])["post_key"] for m in received(client, url)) == sorted(
        f"x#{i}" for i in range(10)
    )


def test_an_entry_refused_every_time_fails_the_send_loudly(queue: tuple[Any, str]) -> None:
    client, url = queue
    sink = SqsSink(url, "us-east-1")
    attempts = fail_entry(sink, "3", times=99)
    with pytest.raises(QueueSendFailed, match=r"SQS refused 1 message\(s\) after 3 attempts: .*sender fault"):
        sink.send([PostMessage(post_key=f"x#{i}") for i in range(10)])
    assert attempts == [10, 1, 1]
    assert len(received(client, url)) == 9  # the rest were queued; the one that was not is reported, not dropped


def test_batches_split_on_count_and_size() -> None:
    assert sqs_batches([1] * 25) == [range(0, 10), range(10, 20), range(20, 25)]
    assert sqs_batches([100, 100, 100], limit_bytes=250) == [range(0, 2), range(2, 3)]
    assert sqs_batches([]) == []
