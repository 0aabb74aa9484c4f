"""Signed webhook delivery with a scripted transport: signatures a receiver can verify, which answers are retried
and how long the sender waits, the delivery log, and the URLs it refuses to call."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from functions.shared.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    Answer,
    DeliveryAttempt,
    DeliveryPolicy,
    Destination,
    Outgoing,
    TransportError,
    UnsafeUrl,
    UrlRule,
    WebhookSender,
    check_url,
    sign,
    verify,
)

NOW = 1_800_000_000.0
PUBLIC = UrlRule.for_stage(local=False)
DESTINATION = Destination("https://hooks.example.org/antidote?x=1", "s3cret", owner="key#k1")


@dataclass
class ScriptedTransport:
    """Answers (or raises) in order; records every request it was handed."""

    script: list[Answer | Exception]
    requests: list[Outgoing] = field(default_factory=list)

    def post(self, request: Outgoing, policy: DeliveryPolicy) -> Answer:
        self.requests.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


@dataclass
class Clock:
    now: float = 0.0
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class Log:
    def __init__(self) -> None:
        self.attempts: list[DeliveryAttempt] = []

    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        self.attempts.append(attempt)


def sender(
    script: list[Answer | Exception],
    addresses: list[str] | None = None,
    rule: UrlRule = PUBLIC,
    policy: DeliveryPolicy | None = None,
) -> tuple[WebhookSender, ScriptedTransport, Clock, Log]:
    transport, clock, log = ScriptedTransport(script), Clock(), Log()
    built = WebhookSender(
        log,
        rule=rule,
        transport=transport,
        policy=policy,
        resolver=lambda host, port: addresses or ["93.184.216.34"],
        sleep=clock.sleep,
        clock=lambda: clock.now,
        wall_clock=lambda: NOW + clock.now,
    )
    return built, transport, clock, log


def test_a_delivery_is_signed_so_the_receiver_can_verify_it() -> None:
    send, transport, _, log = sender([Answer(204, None)])
    result = send.send(DESTINATION, "partner.claim_added", {"claim_id": "flu-1"}, "dlv_1")
    assert result.delivered
    assert result.attempts == 1
    request = transport.requests[0]
    assert request.headers[EVENT_HEADER] == "partner.claim_added"
    assert request.headers[DELIVERY_HEADER] == "dlv_1"
    assert verify("s3cret", request.headers[SIGNATURE_HEADER], request.body, now=NOW)
    assert not verify("other-secret", request.headers[SIGNATURE_HEADER], request.body, now=NOW)
    assert not verify("s3cret", request.headers[SIGNATURE_HEADER], request.body + b" ", now=NOW)
    assert not verify("s3cret", request.headers[SIGNATURE_HEADER], request.body, now=NOW + 301)  # a replay
    document = json.loads(request.body)
    assert document["id"] == "dlv_1"
    assert document["type"] == "partner.claim_added"
    assert document["data"] == {"claim_id": "flu-1"}
    assert [(a.attempt, a.status, a.host, a.owner) for a in log.attempts] == [(1, 204, "hooks.example.org", "key#k1")]


def test_the_request_goes_to_the_checked_address_and_names_the_host() -> None:
    send, transport, _, _ = sender([Answer(200, None)], addresses=["2606:2800:220:1::1"])
    send.send(DESTINATION, "e", {}, "dlv_1")
    request = transport.requests[0]
    assert request.url == "https://[2606:2800:220:1::1]/antidote?x=1"
    assert request.host == "hooks.example.org"
    assert request.server_name == "hooks.example.org"


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    # the worked example in the README, so partners can check their implementation against it
    assert sign("whsec_test", 1_700_000_000, b'{"id":"dlv_1"}') == (
        "t=1700000000,v1=" + __import__("hmac").new(b"whsec_test", b'1700000000.{"id":"dlv_1"}', "sha256").hexdigest()
    )
    assert not verify("s", "v1=abc", b"", now=NOW)  # no timestamp
    assert not verify("s", "t=soon,v1=abc", b"", now=NOW)


def test_server_errors_and_network_faults_are_retried_with_growing_waits() -> None:
    script: list[Answer | Exception] = [
        Answer(503, None),
        TransportError("reset"),
        Answer(500, None),
        Answer(200, None),
    ]
    send, transport, clock, log = sender(script)
    result = send.send(DESTINATION, "e", {}, "dlv_1")
    assert result.delivered
    assert result.attempts == 4
    assert [a.status for a in log.attempts] == [503, None, 500, 200]
    assert log.attempts[1].error == "TransportError: reset"
    assert len(clock.waits) == 3
    assert 0.5 <= clock.waits[0] < 1.0
    assert 1.0 <= clock.waits[1] < 2.0
    assert 2.0 <= clock.waits[2] < 4.0
    assert len({r.headers[DELIVERY_HEADER] for r in transport.requests}) == 1  # receivers de-duplicate on it


def test_retry_after_is_honoured_and_a_too_long_one_ends_the_delivery() -> None:
    send, _, clock, _ = sender([Answer(429, "7"), Answer(200, None)])
    assert send.send(DESTINATION, "e", {}, "dlv_1").delivered
    assert clock.waits == [7.0]

    send, transport, clock, _ = sender([Answer(429, "3600"), Answer(200, None)])
    result = send.send(DESTINATION, "e", {}, "dlv_2")
    assert not result.delivered
    assert result.status == 429
    assert clock.waits == []
    assert len(transport.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 404, 410, 301])
def test_other_client_errors_and_redirects_are_not_retried(status: int) -> None:
    send, transport, clock, _ = sender([Answer(status, None), Answer(200, None)])
    result = send.send(DESTINATION, "e", {}, "dlv_1")
    assert (result.delivered, result.attempts, result.status) == (False, 1, status)
    assert len(transport.requests) == 1
    assert clock.waits == []


def test_attempts_stop_at_the_maximum_and_within_the_budget() -> None:
    send, transport, _, log = sender([Answer(500, None)] * 10, policy=DeliveryPolicy(max_attempts=3))
    result = send.send(DESTINATION, "e", {}, "dlv_1")
    assert (result.delivered, result.attempts) == (False, 3)
    assert len(log.attempts) == 3

    tight = DeliveryPolicy(max_attempts=10, base_backoff_seconds=10, budget_seconds=30)
    send, transport, clock, _ = sender([Answer(500, None)] * 10, policy=tight)
    send.send(DESTINATION, "e", {}, "dlv_2")
    assert clock.now <= 30
    assert len(transport.requests) < 10


@pytest.mark.parametrize(
    ("url", "addresses", "why"),
    [
        ("http://hooks.example.org/x", ["93.184.216.34"], "must use https"),
        ("ftp://hooks.example.org/x", ["93.184.216.34"], "must use https"),
        ("https://user:pw@hooks.example.org/x", ["93.184.216.34"], "no credentials"),
        ("https://hooks.example.org/x", ["127.0.0.1"], "not public"),
        ("https://hooks.example.org/x", ["10.1.2.3"], "not public"),
        ("https://hooks.example.org/x", ["169.254.169.254"], "not public"),  # the instance metadata service
        ("https://hooks.example.org/x", ["93.184.216.34", "192.168.0.1"], "not public"),  # any private answer
        ("https://hooks.example.org/x", ["::1"], "not public"),
        ("https://hooks.example.org/x", ["::ffff:127.0.0.1"], "not public"),
        ("https://hooks.example.org/x", ["fd00::1"], "not public"),
        ("https://hooks.example.org/x", ["100.64.0.1"], "not public"),  # carrier-grade NAT
        ("https://hooks.example.org/x", ["0.0.0.0"], "not public"),
    ],
)
def test_deployed_stages_refuse_unsafe_urls(url: str, addresses: list[str], why: str) -> None:
    with pytest.raises(UnsafeUrl, match=why):
        check_url(url, PUBLIC, lambda host, port: addresses)


def test_the_local_stage_allows_http_to_this_machine() -> None:
    local = UrlRule.for_stage(local=True)
    assert check_url("http://127.0.0.1:8123/hook", local, lambda host, port: ["127.0.0.1"]) == "127.0.0.1"


def test_an_unsafe_url_is_logged_and_not_retried_but_a_name_that_did_not_resolve_is() -> None:
    send, transport, _, log = sender([], addresses=["10.0.0.5"])
    result = send.send(DESTINATION, "e", {}, "dlv_1")
    assert (result.delivered, result.attempts, transport.requests) == (False, 1, [])
    assert log.attempts[0].error is not None
    assert "not public" in log.attempts[0].error

    def flaky(host: str, port: int, calls: list[int] = []) -> list[str]:  # noqa: B006 - counts calls on purpose
        calls.append(1)
        if len(calls) == 1:
            raise OSError("temporary failure in name resolution")
        return ["93.184.216.34"]

    transport = ScriptedTransport([Answer(200, None)])
    clock = Clock()
    retrying = WebhookSender(Log(), rule=PUBLIC, transport=transport, resolver=flaky, sleep=clock.sleep)
    assert retrying.send(DESTINATION, "e", {}, "dlv_2").attempts == 2
