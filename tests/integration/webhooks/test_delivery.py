"""Signed delivery over real HTTP to a receiver on 127.0.0.1 that fails first, with the delivery log on DynamoDB
Local: the retry honours Retry-After, the receiver can verify both attempts, and the log holds both."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from functions.local.dynamodb_local import DynamoDBLocal
from functions.shared.dal.database import Database
from functions.shared.dal.deliveries import DeliveryStore
from functions.shared.dal.models import create_tables
from functions.shared.settings import Settings, get_settings
from functions.shared.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    DeliveryPolicy,
    Destination,
    UrlRule,
    WebhookSender,
    new_delivery_id,
    verify,
)
from tests.webhook_receiver import webhook_receiver


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeliveryStore]:
    with DynamoDBLocal(get_settings().dynamodb_local_dir) as endpoint:
        settings = Settings(dynamodb_endpoint=endpoint, state_dir=Path(tmp_path_factory.mktemp("state")))
        create_tables(settings)
        yield DeliveryStore(Database(settings))


def test_a_receiver_that_fails_first_gets_the_delivery_on_the_retry(deliveries: DeliveryStore) -> None:
    with webhook_receiver(answers=[503]) as receiver:
        sender = WebhookSender(deliveries, rule=UrlRule.for_stage(local=True), policy=DeliveryPolicy(max_attempts=3))
        delivery_id = new_delivery_id()
        started = time.monotonic()
        result = sender.send(Destination(receiver.url, "s3cret", "test#receiver"), "test.ping", {"n": 1}, delivery_id)
        elapsed = time.monotonic() - started
        received = receiver.received

    assert (result.delivered, result.attempts, result.status) == (True, 2, 200)
    assert elapsed >= 1.0  # the receiver's Retry-After: 1
    assert len(received) == 2
    for request in received:
        assert request.path == "/hooks/antidote"
        assert request.headers[DELIVERY_HEADER.lower()] == delivery_id
        assert verify("s3cret", request.headers[SIGNATURE_HEADER.lower()], request.body, now=time.time())
    assert received[0].body == received[1].body

    log = deliveries.attempts(delivery_id)
    assert [(a.attempt, a.status, a.host, a.owner, a.event) for a in log] == [
        (1, 503, "127.0.0.1", "test#receiver", "test.ping"),
        (2, 200, "127.0.0.1", "test#receiver", "test.ping"),
    ]
    assert all(a.duration_ms >= 0 and a.error is None for a in log)
    assert [a.delivery_id for a in deliveries.recent_for_owner("test#receiver")] == [delivery_id, delivery_id]


def test_a_closed_port_is_a_network_error_logged_per_attempt(deliveries: DeliveryStore) -> None:
    with webhook_receiver() as receiver:
        url = receiver.url  # closed once the block ends
    policy = DeliveryPolicy(max_attempts=2, base_backoff_seconds=0.05)
    sender = WebhookSender(deliveries, rule=UrlRule.for_stage(local=True), policy=policy)
    delivery_id = new_delivery_id()
    result = sender.send(Destination(url, "s3cret", "test#closed"), "test.ping", {}, delivery_id)
    assert (result.delivered, result.attempts, result.status) == (False, 2, None)
    log = deliveries.attempts(delivery_id)
    assert [a.status for a in log] == [None, None]
    assert all(a.error and a.error.startswith("TransportError") for a in log)


def test_deployed_rules_refuse_this_machine_without_sending(deliveries: DeliveryStore) -> None:
    with webhook_receiver() as receiver:
        sender = WebhookSender(deliveries, rule=UrlRule.for_stage(local=False))
        result = sender.send(Destination(receiver.url, "s", "test#refused"), "test.ping", {}, new_delivery_id())
        assert receiver.received == []
    assert not result.delivered
    assert result.error is not None
    assert "https" in result.error
