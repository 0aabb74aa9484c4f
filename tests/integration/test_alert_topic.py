"""The SNS alert destination against an SNS-compatible server: moto's server mode on 127.0.0.1, reached by boto3 over
the wire, with an SQS queue subscribed to the topic to read what a subscriber would get."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from functions.alerts.destinations import SnsTopic
from tests.integration.moto_server import moto_endpoint


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_endpoint() as url:
        yield url


@pytest.fixture
def subscribed(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any, str]:
    """A topic, and a queue subscribed to it (raw delivery off: what an e-mail subscriber's JSON looks like)."""
    for name, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    sns, sqs = boto3.client("sns", region_name="us-east-1"), boto3.client("sqs", region_name="us-east-1")
    topic = sns.create_topic(Name="antidote-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alert-subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return topic, sqs, queue_url


def test_an_alert_reaches_the_topics_subscribers_with_its_subject_and_event(subscribed: tuple[str, Any, str]) -> None:
    topic, sqs, queue_url = subscribed
    key = "spike#claim:c1#2026-11-29T14"
    alert: dict[str, Any] = {"alert_id": key, "series": "claim:c1", "count": 12, "p_value": 1e-6}
    SnsTopic(topic, "us-east-1").publish("alert.spike", key, "Antidote: Spike — claim:c1", alert)

    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    assert len(messages) == 1
    envelope = json.loads(messages[0]["Body"])
    assert envelope["Subject"] == "Antidote: Spike — claim:c1"
    assert envelope["MessageAttributes"]["event"]["Value"] == "alert.spike"
    body = json.loads(envelope["Message"])
    assert (body["type"], body["id"], body["data"]) == ("alert.spike", key, alert)


def test_a_topic_that_refuses_the_publish_is_logged_not_raised(subscribed: tuple[str, Any, str]) -> None:
    topic, sqs, queue_url = subscribed
    missing = topic.rsplit(":", 1)[0] + ":no-such-topic"
    SnsTopic(missing, "us-east-1").publish("alert.spike", "k", "subject", {"n": 1})  # must not raise
    assert "Messages" not in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0)
