"""The claim-check micro-batcher against a fake matcher (no model): who waits, who batches with whom, who gets what
back, and who is refused. Every wait here has a timeout, so a broken batcher fails instead of hanging."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest

from functions.match.batching import MicroBatcher
from functions.shared.errors import InvalidInput, ServiceBusy
from functions.shared.settings import Settings

TIMEOUT = 10.0


@dataclass
class Call:
    texts: list[str]
    top_k: int


@dataclass
class FakeMatcher:
    """Answers ``text -> "text@top_k"``; refuses any text starting with "bad" (failing the whole call, as the real
    matcher does); can be held inside a call until released; fails the test if it is ever called concurrently."""

    kb_version: str = "kb-test"
    calls: list[Call] = field(default_factory=list)
    hold: threading.Event | None = None  # when set up, each call waits for it
    entered: threading.Event = field(default_factory=threading.Event)
    seconds: float = 0.0
    overlapped: bool = False
    _inside: threading.Lock = field(default_factory=threading.Lock)

    def check_many(self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None) -> list[str]:
        if not self._inside.acquire(blocking=False):
            self.overlapped = True
            self._inside.acquire()
        try:
            self.calls.append(Call(list(texts), top_k))
            self.entered.set()
            if self.hold is not None:
                assert self.hold.wait(TIMEOUT)
            if self.seconds:
                time.sleep(self.seconds)
            bad = [t for t in texts if t.startswith("bad")]
            if bad:
                raise InvalidInput(f"text {bad[0]!r} is not allowed")
            return [f"{t}@{top_k}" for t in texts]
        finally:
            self._inside.release()


class Caller(threading.Thread):
    """One client of the batcher, in its own thread; keeps its results or its error."""

    def __init__(self, batcher: MicroBatcher[str], texts: list[str], top_k: int = 3) -> None:
        super().__init__(daemon=True)
        self.batcher, self.texts, self.top_k = batcher, texts, top_k
        self.results: list[str] | None = None
        self.error: Exception | None = None
        self.seconds = 0.0

    def run(self) -> None:
        start = time.perf_counter()
        try:
            self.results = self.batcher.check_many(self.texts, self.top_k)
        except Exception as error:
            self.error = error
        self.seconds = time.perf_counter() - start

    def finish(self) -> Caller:
        self.join(TIMEOUT)
        assert not self.is_alive(), "caller never answered"
        return self


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.002)


def busy_with_one_caller(batcher: MicroBatcher[str], engine: FakeMatcher) -> Caller:
    """Start a caller and hold it inside the engine, so that later callers queue up."""
    engine.hold = threading.Event()
    first = Caller(batcher, ["first"])
    first.start()
    assert engine.entered.wait(TIMEOUT)
    return first


def test_a_lone_caller_runs_at_once_in_its_own_thread_and_waits_no_window() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, window_seconds=1.0)
    start = time.perf_counter()
    assert batcher.check_many(["vaccines cause autism"]) == ["vaccines cause autism@3"]
    assert batcher.check_many(["second"], top_k=5) == ["second@5"]
    assert time.perf_counter() - start < 0.5  # the 1 s window was never waited: the previous batch had no company
    assert [c.texts for c in engine.calls] == [["vaccines cause autism"], ["second"]]
    assert batcher.kb_version == "kb-test"


def test_each_callers_languages_reach_the_engine_with_its_texts() -> None:
    seen: list[list[str | None]] = []

    class Engine:
        kb_version = "kb-test"

        def check_many(
            self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None
        ) -> list[str]:
            seen.append(list(languages or []))
            return texts

    batcher = MicroBatcher(Engine())
    assert batcher.check_many(["독감", "flu"], languages=["ko", "en"]) == ["독감", "flu"]
    assert batcher.check_many(["grippe"]) == ["grippe"]
    assert seen == [["ko", "en"], [None]]


def test_callers_that_arrive_while_the_matcher_is_busy_share_one_call_and_get_their_own_results() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine)
    first = busy_with_one_caller(batcher, engine)
    others = [Caller(batcher, [f"text {n}", f"more {n}"] if n % 2 else [f"text {n}"]) for n in range(6)]
    for caller in others:
        caller.start()
    wait_until(lambda: batcher.waiting == 6)
    assert engine.hold is not None
    engine.hold.set()

    assert first.finish().results == ["first@3"]
    for n, caller in enumerate(others):
        assert caller.finish().error is None
        assert caller.results == [f"{t}@3" for t in caller.texts], n
    assert len(engine.calls) == 2  # the first caller alone, then everyone who waited, in one call
    assert sorted(engine.calls[1].texts) == sorted(t for c in others for t in c.texts)
    assert batcher.stats.largest == 6
    assert batcher.stats.callers == 7
    assert not engine.overlapped


class AnnouncedCaller(Caller):
    """A request that announces itself, then (after ``delay``) asks for its check — or leaves without asking."""

    def __init__(self, batcher: MicroBatcher[str], texts: list[str], delay: float, asks: bool = True) -> None:
        super().__init__(batcher, texts)
        self.delay, self.asks = delay, asks
        self.announced = threading.Event()

    def run(self) -> None:
        with self.batcher.coming():
            self.announced.set()
            time.sleep(self.delay)  # authenticating
            if self.asks:
                super().run()


def test_an_announced_lone_request_waits_for_nobody() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, window_seconds=1.0)
    start = time.perf_counter()
    with batcher.coming():
        assert batcher.check_many(["alone"]) == ["alone@3"]
    assert time.perf_counter() - start < 0.5


def test_a_batch_about_to_start_waits_for_requests_on_their_way() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, window_seconds=1.0)
    late = AnnouncedCaller(batcher, ["late"], delay=0.15)
    late.start()
    assert late.announced.wait(TIMEOUT)
    early = Caller(batcher, ["early"])
    start = time.perf_counter()
    early.start()
    assert early.finish().results == ["early@3"]
    assert late.finish().results == ["late@3"]
    assert [sorted(c.texts) for c in engine.calls] == [["early", "late"]]
    assert 0.1 < time.perf_counter() - start < 0.8  # it waited for the late one, not for the whole window


def test_the_window_ends_when_it_runs_out() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, window_seconds=0.15)
    slow = AnnouncedCaller(batcher, ["slow"], delay=0.6)
    slow.start()
    assert slow.announced.wait(TIMEOUT)
    start = time.perf_counter()
    assert batcher.check_many(["on time"]) == ["on time@3"]
    assert 0.14 <= time.perf_counter() - start < 0.5
    assert slow.finish().results == ["slow@3"]
    assert [c.texts for c in engine.calls] == [["on time"], ["slow"]]


def test_a_request_that_leaves_without_asking_is_not_waited_for() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, window_seconds=2.0)
    refused = AnnouncedCaller(batcher, ["never asked"], delay=0.1, asks=False)  # e.g. its key was refused
    refused.start()
    assert refused.announced.wait(TIMEOUT)
    start = time.perf_counter()
    assert batcher.check_many(["waiting"]) == ["waiting@3"]
    assert time.perf_counter() - start < 1.0
    refused.finish()
    start = time.perf_counter()
    assert batcher.check_many(["next"]) == ["next@3"]  # nobody is on the way any more
    assert time.perf_counter() - start < 0.5


def test_one_callers_bad_text_fails_only_that_caller() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine)
    first = busy_with_one_caller(batcher, engine)
    good = [Caller(batcher, ["fine", "also fine"]), Caller(batcher, ["ok"])]
    bad = Caller(batcher, ["bad one", "innocent neighbour"])
    for caller in (good[0], bad, good[1]):
        caller.start()
    wait_until(lambda: batcher.waiting == 3)
    assert engine.hold is not None
    engine.hold.set()
    first.finish()

    assert good[0].finish().results == ["fine@3", "also fine@3"]
    assert good[1].finish().results == ["ok@3"]
    assert isinstance(bad.finish().error, InvalidInput)
    assert "bad one" in str(bad.error)
    assert batcher.stats.retried_alone == 3
    assert not engine.overlapped


def test_a_lone_callers_error_is_raised_to_it_unchanged() -> None:
    batcher = MicroBatcher(FakeMatcher())
    with pytest.raises(InvalidInput, match="bad"):
        batcher.check_many(["bad text"])
    assert batcher.check_many(["good text"]) == ["good text@3"]  # the batcher is not left busy


def test_a_full_line_refuses_newcomers_at_once_with_retry_after() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, max_waiting=2)
    first = busy_with_one_caller(batcher, engine)
    queued = [Caller(batcher, ["q1"]), Caller(batcher, ["q2"])]
    for caller in queued:
        caller.start()
    wait_until(lambda: batcher.waiting == 2)

    start = time.perf_counter()
    with pytest.raises(ServiceBusy) as refused:
        batcher.check_many(["one too many"])
    assert time.perf_counter() - start < 0.5
    assert refused.value.status == 503
    assert refused.value.headers() == {"Retry-After": "1"}
    assert refused.value.problem()["retry_after_seconds"] == 1
    assert batcher.stats.rejected == 1

    assert engine.hold is not None
    engine.hold.set()
    first.finish()
    assert [c.finish().results for c in queued] == [["q1@3"], ["q2@3"]]
    assert batcher.check_many(["room again"]) == ["room again@3"]


def test_a_batch_stops_at_max_texts_without_splitting_a_caller() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine, max_texts=4)
    first = busy_with_one_caller(batcher, engine)
    callers = [Caller(batcher, [f"{n}-{i}" for i in range(size)]) for n, size in enumerate((3, 3, 1, 5))]
    for started, caller in enumerate(callers, 1):
        caller.start()  # one at a time, so the line is in this order
        wait_until(lambda started=started: batcher.waiting == started)  # type: ignore[misc]
    assert engine.hold is not None
    engine.hold.set()
    first.finish()
    for caller in callers:
        assert caller.finish().results == [f"{t}@3" for t in caller.texts]
    sizes = [len(c.texts) for c in engine.calls[1:]]
    assert sizes == [3, 4, 5]  # (3), (3 + 1), (5: one caller over the limit still runs, alone)


def test_callers_asking_for_different_top_k_get_their_own_top_k() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine)
    first = busy_with_one_caller(batcher, engine)
    callers = [Caller(batcher, ["x"], 3), Caller(batcher, ["y"], 5), Caller(batcher, ["z"], 3)]
    for caller in callers:
        caller.start()
    wait_until(lambda: batcher.waiting == 3)
    assert engine.hold is not None
    engine.hold.set()
    first.finish()
    assert [c.finish().results for c in callers] == [["x@3"], ["y@5"], ["z@3"]]
    assert sorted((c.top_k, sorted(c.texts)) for c in engine.calls[1:]) == [(3, ["x", "z"]), (5, ["y"])]


def test_exclusive_use_waits_for_the_running_batch_and_goes_before_the_next() -> None:
    engine = FakeMatcher()
    batcher = MicroBatcher(engine)
    first = busy_with_one_caller(batcher, engine)
    order: list[str] = []

    def queue_consumer() -> None:
        with batcher.exclusive():
            order.append("queue batch")
            engine.check_many(["queued post"])

    consumer = threading.Thread(target=queue_consumer, daemon=True)
    consumer.start()
    wait_until(lambda: batcher._line.exclusive_waiting == 1)
    later = Caller(batcher, ["later check"])
    later.start()
    wait_until(lambda: batcher.waiting == 1)
    assert engine.hold is not None
    engine.hold.set()
    first.finish()
    consumer.join(TIMEOUT)
    assert later.finish().results == ["later check@3"]
    assert [c.texts for c in engine.calls] == [["first"], ["queued post"], ["later check"]]
    assert not engine.overlapped


def test_many_concurrent_callers_each_get_exactly_their_own_answers() -> None:
    engine = FakeMatcher(seconds=0.002)
    batcher = MicroBatcher(engine, window_seconds=0.002, max_texts=16)
    rng = random.Random(7)
    plans = [[[f"c{n}-r{r}-t{t}" for t in range(rng.randint(1, 4))] for r in range(15)] for n in range(24)]
    answers: dict[int, list[list[str]]] = {}
    failures: list[BaseException] = []

    def client(n: int) -> None:
        try:
            got = []
            for texts in plans[n]:
                got.append(batcher.check_many(texts))
                time.sleep(rng.random() * 0.003)
            answers[n] = got
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 3)
    assert not failures
    assert not engine.overlapped
    for n, plan in enumerate(plans):
        assert answers[n] == [[f"{t}@3" for t in texts] for texts in plan]
    assert batcher.stats.callers == 24 * 15
    assert len(engine.calls) < 24 * 15  # they were batched
    assert max(len(c.texts) for c in engine.calls) <= 16


def test_the_batch_window_is_a_tenth_of_a_second_locally_and_none_in_a_deployed_stage() -> None:
    assert Settings(stage="local").check_batch_window_seconds == pytest.approx(0.100)
    assert Settings(stage="prod", auth_mode="cognito").check_batch_window_seconds == 0.0
    assert Settings(stage="prod", auth_mode="cognito", check_batch_window_ms=2).check_batch_window_seconds == 0.002
    assert Settings(stage="local", check_batch_window_ms=0).check_batch_window_seconds == 0.0
