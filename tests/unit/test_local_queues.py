"""The local runtime's durable queues (SQLite) and the worker's retry, back-off and dead-letter rules."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from functions.local import queues
from functions.local.queues import LocalQueue, QueueStore, close_queues, local_queue, open_queues, post_keys_queued
from functions.local.runtime import MAX_RECEIVES, QueueWorker, retry_delay
from functions.shared.models import PostMessage


@pytest.fixture(autouse=True)
def own_open_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    """open_queues and close_queues act on the process's open stores; these tests get a list of their own, so they
    never close the store of a service another test module started in this process."""
    monkeypatch.setattr(queues, "_STORE", [])


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_queues(tmp_path / "queues.sqlite3")
    yield opened
    close_queues()


def test_a_message_stays_stored_until_acknowledged(store: QueueStore) -> None:
    posts = local_queue("posts")
    posts.send([PostMessage(post_key="x#1"), PostMessage(post_key="x#2")], correlation_id="c-1")
    taken = posts.take(10)
    assert [json.loads(r["body"])["post_key"] for r in taken] == ["x#1", "x#2"]
    assert taken[0]["attributes"]["ApproximateReceiveCount"] == "1"
    assert taken[0]["messageAttributes"]["correlation_id"]["stringValue"] == "c-1"
    assert posts.take(10) == []  # taken: invisible to the next receive
    assert posts.waiting() == 2
    posts.ack([taken[0]["messageId"]])
    assert posts.waiting() == 1


def test_a_failed_message_comes_back_after_its_delay_with_the_receive_counted(store: QueueStore) -> None:
    posts = local_queue("posts")
    posts.put_raw('{"post_key": "x#1"}')
    first = posts.take(1)[0]
    posts.retry_later(first["messageId"], 0.3)
    assert posts.take(1) == []
    time.sleep(0.35)
    again = posts.take(1)[0]
    assert again["messageId"] == first["messageId"]
    assert again["attributes"]["ApproximateReceiveCount"] == "2"


def test_what_a_dead_process_had_taken_and_its_dead_letters_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "queues.sqlite3"
    open_queues(path)
    posts = local_queue("posts")
    posts.send([PostMessage(post_key="x#taken"), PostMessage(post_key="x#parked")])
    taken, parked = posts.take(2)
    posts.dead_letter(parked["messageId"], "ConnectionError: database down")
    close_queues()  # the process "dies" holding x#taken

    open_queues(path)
    try:
        posts = local_queue("posts")
        again = posts.take(10)
        assert [r["messageId"] for r in again] == [taken["messageId"]]
        assert again[0]["attributes"]["ApproximateReceiveCount"] == "2"
        [letter] = posts.dead_letters
        assert (letter.queue, json.loads(letter.body), letter.receive_count) == ("posts", {"post_key": "x#parked"}, 1)
        assert letter.error == "ConnectionError: database down"
        assert post_keys_queued(posts) == {"x#taken", "x#parked"}
    finally:
        close_queues()


def test_redrive_sends_dead_letters_back_as_new_messages(store: QueueStore) -> None:
    posts, matches = local_queue("posts"), local_queue("matches")
    for queue, key in ((posts, "x#1"), (posts, "x#2"), (matches, "x#3")):
        queue.put_raw(json.dumps({"post_key": key}))
        queue.dead_letter(queue.take(1)[0]["messageId"], "boom")
    one = posts.dead_letters[0].message_id
    assert store.redrive("posts", [one]) == 1
    assert [json.loads(r["body"])["post_key"] for r in posts.take(10)] == ["x#1"]
    assert store.redrive() == 2
    assert store.dead_letters() == []
    assert {json.loads(r["body"])["post_key"] for r in posts.take(10) + matches.take(10)} == {"x#2", "x#3"}


def test_retries_back_off_doubling_up_to_a_minute() -> None:
    assert [retry_delay(n, 1.0) for n in range(1, 6)] == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert retry_delay(20, 1.0) == 60.0
    assert retry_delay(3, 0.0) == 0.0


class FailingFunctions:
    """A function whose every invocation fails the way a database outage does, or reports some records failed."""

    def __init__(self, failing: set[str] | None = None) -> None:
        self.failing = failing
        self.invocations: list[list[str]] = []

    def invoke(self, name: str, event: dict[str, Any]) -> dict[str, Any]:
        bodies = [json.loads(r["body"])["post_key"] for r in event["Records"]]
        self.invocations.append(bodies)
        if self.failing is None:
            raise ConnectionError("Could not connect to the endpoint URL")
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["messageId"]}
                for r in event["Records"]
                if json.loads(r["body"])["post_key"] in self.failing
            ]
        }


def test_the_worker_parks_a_message_after_its_last_receive_with_a_log_line_and_a_metric(
    store: QueueStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("ANTIDOTE_LOCAL_RETRY_BASE_SECONDS", "0")
    from functions.shared.settings import get_settings

    get_settings.cache_clear()
    worker = QueueWorker(FailingFunctions())  # type: ignore[arg-type]
    get_settings.cache_clear()
    posts: LocalQueue = worker.routes[0][0]
    posts.put_raw('{"post_key": "x#1"}')
    for _ in range(MAX_RECEIVES):
        worker.deliver(posts, "match", posts.take(10))
    assert posts.waiting() == 0
    [letter] = posts.dead_letters
    assert letter.receive_count == MAX_RECEIVES
    assert letter.error == "ConnectionError: Could not connect to the endpoint URL"
    [logged] = [r for r in caplog.records if r.getMessage() == "message moved to the dead-letter list"]
    assert (logged.levelname, logged.queue, logged.receives) == ("ERROR", "posts", MAX_RECEIVES)  # type: ignore[attr-defined]
    printed = capsys.readouterr().out
    metric = json.loads([line for line in printed.splitlines() if '"DeadLetters"' in line][-1])
    assert metric["DeadLetters"] == [1.0]
    assert metric["queue"] == "posts"


def test_the_worker_acks_what_succeeded_and_retries_only_what_failed(
    store: QueueStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTIDOTE_LOCAL_RETRY_BASE_SECONDS", "0.3")
    from functions.shared.settings import get_settings

    get_settings.cache_clear()
    worker = QueueWorker(FailingFunctions(failing={"x#bad"}))  # type: ignore[arg-type]
    get_settings.cache_clear()
    posts = worker.routes[0][0]
    posts.send([PostMessage(post_key="x#good"), PostMessage(post_key="x#bad")])
    worker.deliver(posts, "match", posts.take(10))
    assert post_keys_queued(posts) == {"x#bad"}
    assert posts.take(10) == []  # backing off, not redelivered at once
    time.sleep(0.35)
    [again] = posts.take(10)
    assert json.loads(again["body"]) == {"post_key": "x#bad"}
    assert again["attributes"]["ApproximateReceiveCount"] == "2"


def test_a_consumer_outlives_a_failing_queue_store(
    store: QueueStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A take that raises (the store locked or closed under it) is logged and retried; the thread does not die with
    it, so what is queued afterwards is still delivered."""
    monkeypatch.setattr("functions.local.runtime.TAKE_RETRY_SECONDS", 0.05)
    functions = FailingFunctions(failing=set())
    worker = QueueWorker(functions)  # type: ignore[arg-type]
    posts: LocalQueue = worker.routes[0][0]
    real_take = posts.take
    failures = iter([sqlite3.ProgrammingError("Cannot operate on a closed database.")] * 3)

    def take(count: int) -> list[dict[str, Any]]:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_take(count)

    monkeypatch.setattr(posts, "take", take)
    worker.start()
    try:
        posts.send([PostMessage(post_key="x#after")])
        assert worker.wait_idle(10)
    finally:
        worker.stop()
    assert posts.waiting() == 0
    assert functions.invocations == [["x#after"]]
    assert [r.getMessage() for r in caplog.records].count("taking from a local queue failed") == 3
