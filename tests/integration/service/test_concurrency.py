"""Concurrent claim checks on the real local service over real HTTP: they are batched together, yet each request
gets its own answer, its own authentication and its own error; a full line is refused with 503 and Retry-After;
concurrent requests share their key's round trips, and the quota still admits exactly its limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from functions.match.handler import checker
from functions.shared.dal.models import MatchRecord
from tests.conftest import Reply, Service
from tests.integration.service.test_api import is_problem
from tests.integration.service.test_pipeline import deliver, post

TIMEOUT = 120.0
TEXTS = [
    "vaccines cause autism in children, the MMR shot did it to my nephew",
    "the flu jab gives you the flu, every single time I get it I am ill for a week",
    "drinking bleach cures covid, my uncle swears by it",
    "lovely sunny morning for the 10k run along the canal, new personal best!",
    "fluoride in tap water is a mind control chemical they put in to keep us docile",
    "antibiotics will clear up a cold or the flu in a couple of days",
    "our bakery opens at 8 on saturdays, come early for the croissants",
    "cancer is caused by a fungus and baking soda cures it",
]


def concurrently(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Every call in its own thread, all released at once; the replies in the calls' order."""
    start = threading.Barrier(len(calls))
    replies: list[Reply | None] = [None] * len(calls)

    def run(n: int) -> None:
        start.wait(TIMEOUT)
        replies[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert all(r is not None for r in replies), "a request never came back"
    return [r for r in replies if r is not None]


def check(service: Service, body: dict[str, Any], key: str | None = None) -> Callable[[], Reply]:
    headers = {"x-api-key": key if key is not None else service.check_key}
    return lambda: service.client.request("POST", "/v1/claims:check", body, headers)


def summary(result: dict[str, Any]) -> tuple[str, list[str], str]:
    return result["decision"], [c["claim_id"] for c in result["claims"]], result["action"]


def test_concurrent_claim_checks_are_batched_and_each_gets_its_own_answer(service: Service) -> None:
    alone = {}
    for text in TEXTS:  # one at a time first: what each text's answer is
        reply = check(service, {"text": text})()
        assert reply.status == 200, reply.body
        alone[text] = summary(reply.json()["results"][0])
    assert len({decision for decision, _, _ in alone.values()}) >= 2  # the texts really differ in their answers
    before = (checker().stats.callers, checker().stats.batches)

    bodies: list[dict[str, Any]] = [{"text": t} for t in TEXTS * 3]
    bodies.append({"texts": [TEXTS[0], TEXTS[3]]})  # several texts in one request stay that request's
    bodies.append({"text": TEXTS[1], "top_k": 1})  # and so does its own top_k
    replies = concurrently([check(service, body) for body in bodies])

    for body, reply in zip(bodies, replies, strict=True):
        assert reply.status == 200, reply.body
        texts = body.get("texts") or [body["text"]]
        results = reply.json()["results"]
        assert len(results) == len(texts)
        for text, result in zip(texts, results, strict=True):
            decision, claims, action = summary(result)
            expected_decision, expected_claims, expected_action = alone[text]
            assert (decision, action) == (expected_decision, expected_action), text
            assert claims == expected_claims[: body.get("top_k", 3)], text
    callers, batches = checker().stats.callers - before[0], checker().stats.batches - before[1]
    assert callers == len(bodies)
    assert batches < callers  # some of them shared a batch


def test_auth_comes_first_and_errors_stay_with_their_own_request(service: Service) -> None:
    good = [check(service, {"text": t}) for t in TEXTS[:6]]
    strangers = [
        check(service, {"text": TEXTS[0]}, "adk_nope_nope"),  # unknown key: 401
        check(service, {"text": TEXTS[0]}, ""),  # no key: 401
        check(service, {"text": TEXTS[0]}, service.ingest_key),  # wrong scope: 403
    ]
    broken = [
        check(service, {"text": "   "}),  # passes validation, refused by the matcher: only this request fails
        check(service, {"texts": []}),  # refused by validation: 422
    ]
    replies = concurrently(good + strangers + broken)

    for reply in replies[:6]:
        assert reply.status == 200, reply.body
    assert [r.status for r in replies[6:9]] == [401, 401, 403]
    for reply in replies[6:9]:
        is_problem(reply, reply.status)
    assert "empty" in is_problem(replies[9], 422)["detail"]
    is_problem(replies[10], 422)


def test_a_full_line_gets_503_with_retry_after_and_strangers_still_get_401(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    batcher = checker()
    monkeypatch.setattr(batcher, "max_waiting", 1)  # a tiny line, as ANTIDOTE_CHECK_QUEUE_LIMIT=1 would give
    first: list[Reply] = []
    with batcher.exclusive():  # the matcher is busy (as with a queue batch), so a check has to wait in line
        waiter = threading.Thread(target=lambda: first.append(check(service, {"text": TEXTS[0]})()), daemon=True)
        waiter.start()
        deadline = time.monotonic() + TIMEOUT
        while batcher.waiting < 1:
            assert waiter.is_alive()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        refused = check(service, {"text": TEXTS[1]})()
        stranger = check(service, {"text": TEXTS[1]}, "adk_nope_nope")()
    waiter.join(TIMEOUT)

    body = is_problem(refused, 503)
    assert refused.headers["Retry-After"] == "1"
    assert body["title"] == "Service busy"
    assert body["retry_after_seconds"] == 1
    is_problem(stranger, 401)  # authentication comes before the line
    assert [r.status for r in first] == [200]
    assert batcher.check_many([TEXTS[2]])  # the line is open again


def test_the_pipeline_keeps_working_while_claim_checks_run_concurrently(service: Service) -> None:
    posts = [post(text) for text in TEXTS]
    feeding = threading.Thread(target=deliver, args=(service, posts), daemon=True)
    feeding.start()
    replies = concurrently([check(service, {"text": t}) for t in TEXTS * 2])
    feeding.join(TIMEOUT * 2)
    assert not feeding.is_alive()
    assert [r.status for r in replies] == [200] * len(replies)
    assert service.local.wait_idle(300)
    for sent in posts:
        assert MatchRecord.get(f"x#{sent['post_id']}").decision in {"match", "review", "none"}


def test_concurrent_requests_share_key_round_trips_but_the_quota_admits_exactly_its_limit(service: Service) -> None:
    key = service.key("small-partner", "check", quota=7)
    replies = concurrently([check(service, {"text": TEXTS[n % len(TEXTS)]}, key) for n in range(12)])
    statuses = sorted(r.status for r in replies)
    assert statuses == [200] * 7 + [429] * 5
    for reply in replies:
        if reply.status == 429:
            assert int(reply.headers["Retry-After"]) > 0
    assert check(service, {"text": TEXTS[0]}, key)().status == 429


def test_the_quota_counter_takes_several_requests_at_once_all_or_none(service: Service) -> None:
    plaintext = service.key("batch-partner", "check", quota=5)
    key_id, now = plaintext.split("_")[1], datetime.now(UTC)
    store = service.keys
    assert store.consume_quota(key_id, "2026-11-20", 5, now, 3)
    assert not store.consume_quota(key_id, "2026-11-20", 5, now, 3)  # 3 + 3 > 5: none of them is counted
    assert store.consume_quota(key_id, "2026-11-20", 5, now, 2)
    assert not store.consume_quota(key_id, "2026-11-20", 5, now)
    assert not store.consume_quota(key_id, "2026-11-21", 5, now, 6)  # more than the whole quota
    assert store.consume_quota(key_id, "2026-11-21", 5, now, 5)
