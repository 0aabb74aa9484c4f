"""Micro-batching for claim checks: callers that arrive while the matcher is busy, or within a few milliseconds of
each other, are embedded and searched together in one ``check_many`` call, and each gets back only its own results
or its own error.

Plain threads, no AWS. In Lambda one invocation is one caller: it finds the matcher idle and runs its check at once,
in its own thread, and waits for nobody (and the window setting is 0 outside the local stage anyway). The local
runtime runs claim checks concurrently; there, this is what turns twenty waiting requests into one batch instead of
twenty one-text calls, and lets the matcher run them with the machine to itself.

How a batch forms (leader/follower, no background thread): a request announces itself when it starts (``coming``),
before authentication; its caller joins the line when it asks for its check. When the matcher is free, the first
caller to notice leads: while other announced requests are still on their way (authenticating) it waits for them,
up to the window; then it takes the waiting callers (up to ``max_texts`` texts; a caller's texts are never split),
runs the batch, hands every caller its share and frees the matcher. Everyone else sleeps until their own job is done
or it is their turn to lead. The line is bounded: when ``max_waiting`` callers already wait, a newcomer is refused at
once with :class:`ServiceBusy` (503, Retry-After).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from functions.shared.errors import ServiceBusy

R = TypeVar("R")

RETRY_AFTER_SECONDS = 1


class CheckEngine(Protocol[R]):
    """What the batcher needs of the matcher (``functions.match.engine.matcher.Matcher`` is one)."""

    @property
    def kb_version(self) -> str: ...

    def check_many(
        self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None
    ) -> list[R]: ...


@dataclass
class BatchStats:
    """Counters since start (the benchmark and the tests read them)."""

    batches: int = 0  # engine calls (one per distinct top_k in a batch, plus re-runs after a failed batch)
    callers: int = 0  # callers answered, with results or with an error
    texts: int = 0
    largest: int = 0  # most callers in one batch
    rejected: int = 0  # callers refused because the line was full
    retried_alone: int = 0  # callers re-run on their own after their batch failed


@dataclass(eq=False)
class _Job(Generic[R]):
    texts: list[str]
    top_k: int
    languages: list[str | None]  # one per text: routes non-English texts to the multilingual index
    results: list[R] | None = None
    error: Exception | None = None
    done: bool = False

    def outcome(self) -> list[R]:
        if self.error is not None:
            raise self.error
        if self.results is None:
            raise RuntimeError("the batch this check was part of stopped before answering it")
        return self.results


@dataclass
class _Line(Generic[R]):
    """The waiting callers and who holds the engine; only touched under the batcher's condition."""

    waiting: deque[_Job[R]] = field(default_factory=deque)
    busy: bool = False  # a batch, or an exclusive user, holds the engine
    gathering: bool = False  # a leader is waiting for company: arrivals must wake it
    exclusive_waiting: int = 0  # exclusive users go before the next batch
    coming: int = 0  # requests announced (``coming``) that have not joined the line yet


class MicroBatcher(Generic[R]):
    """Serialises every use of the engine and batches concurrent claim checks; see the module docstring."""

    def __init__(
        self,
        engine: CheckEngine[R],
        window_seconds: float = 0.0,
        max_texts: int = 128,
        max_waiting: int = 64,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.window_seconds = max(0.0, window_seconds)
        self.max_texts = max(1, max_texts)
        self.max_waiting = max(0, max_waiting)
        self.stats = BatchStats()
        self._clock = clock
        self._condition = threading.Condition()
        self._line: _Line[R] = _Line()
        self._local = threading.local()  # whether this thread's request is announced and still on its way

    @property
    def kb_version(self) -> str:
        return self.engine.kb_version

    @property
    def waiting(self) -> int:
        """Callers waiting for a batch (not counting the one running)."""
        with self._condition:
            return len(self._line.waiting)

    def check_many(self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None) -> list[R]:
        """This caller's results, computed in a batch with whoever else is waiting; its own error if it failed.
        Raises :class:`ServiceBusy` at once when ``max_waiting`` callers are already waiting."""
        job: _Job[R] = _Job(list(texts), top_k, list(languages) if languages is not None else [None] * len(texts))
        self._join(job)
        while not self._await_turn(job):
            self._lead()
        return job.outcome()

    @contextmanager
    def coming(self) -> Iterator[None]:
        """Announce a request that will (probably) ask for a check once it is authenticated: a batch about to start
        waits for it, up to the window. Leaving without asking (refused, invalid) withdraws the announcement."""
        with self._condition:
            self._line.coming += 1
        self._local.announced = True
        try:
            yield
        finally:
            self._arrived()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """The engine to the caller alone, between two batches: for work that must not be refused or merged (a
        queue consumer's batch, whose delivery semantics stay exactly as without the batcher)."""
        with self._condition:
            self._line.exclusive_waiting += 1
            try:
                while self._line.busy:
                    self._condition.wait()
            finally:
                self._line.exclusive_waiting -= 1
            self._line.busy = True
        try:
            yield
        finally:
            self._release()

    # ---------------------------------------------------------------- the line

    def _arrived(self) -> None:
        """This thread's announced request has joined the line or left: it is no longer on its way."""
        if getattr(self._local, "announced", False):
            self._local.announced = False
            with self._condition:
                self._line.coming -= 1
                if self._line.gathering:
                    self._condition.notify_all()

    def _join(self, job: _Job[R]) -> None:
        self._arrived()
        with self._condition:
            if len(self._line.waiting) >= self.max_waiting:
                self.stats.rejected += 1
                raise ServiceBusy(
                    f"{len(self._line.waiting)} claim checks are already waiting for the matcher; try again shortly",
                    RETRY_AFTER_SECONDS,
                )
            self._line.waiting.append(job)
            if self._line.gathering:
                self._condition.notify_all()

    def _await_turn(self, job: _Job[R]) -> bool:
        """True once the job is answered; False when this caller should lead the next batch."""
        with self._condition:
            while not job.done:
                if not self._line.busy and not self._line.exclusive_waiting:
                    self._line.busy = True
                    return False
                self._condition.wait()
            return True

    def _release(self, batch: list[_Job[R]] | None = None) -> None:
        with self._condition:
            for job in batch or []:
                job.done = True
            self._line.busy = False
            self._condition.notify_all()

    # ---------------------------------------------------------------- leading a batch

    def _lead(self) -> None:
        batch: list[_Job[R]] = []
        try:
            batch = self._gather()
            self._run(batch)
        finally:
            self._release(batch)

    def _gather(self) -> list[_Job[R]]:
        """Wait, up to the window, for announced requests still on their way; then take callers up to
        ``max_texts``."""
        with self._condition:
            line = self._line
            if self.window_seconds > 0 and line.coming > 0:
                deadline = self._clock() + self.window_seconds
                line.gathering = True
                while line.coming > 0 and self._waiting_texts() < self.max_texts:
                    remaining = deadline - self._clock()
                    if remaining <= 0:
                        break
                    self._condition.wait(remaining)
                line.gathering = False
            batch = [line.waiting.popleft()]
            texts = len(batch[0].texts)
            while line.waiting and texts + len(line.waiting[0].texts) <= self.max_texts:
                texts += len(line.waiting[0].texts)
                batch.append(line.waiting.popleft())
            self.stats.largest = max(self.stats.largest, len(batch))
            return batch

    def _waiting_texts(self) -> int:
        return sum(len(job.texts) for job in self._line.waiting)

    def _run(self, batch: list[_Job[R]]) -> None:
        groups: dict[int, list[_Job[R]]] = {}
        for job in batch:  # one engine call per distinct top_k (almost always one: the default)
            groups.setdefault(job.top_k, []).append(job)
        for top_k, jobs in groups.items():
            self._run_group(jobs, top_k)

    def _run_group(self, jobs: list[_Job[R]], top_k: int) -> None:
        # Only the leader (the caller holding the engine) writes these counters, so they need no lock.
        texts = [text for job in jobs for text in job.texts]
        languages = [language for job in jobs for language in job.languages]
        self.stats.batches += 1
        try:
            results = self.engine.check_many(texts, top_k, languages)
            if len(results) != len(texts):
                raise RuntimeError(f"the engine answered {len(results)} of {len(texts)} texts")
        except Exception as error:
            if len(jobs) > 1:  # one caller's bad input must not fail the others: each alone, its own answer
                self.stats.retried_alone += len(jobs)
                for job in jobs:
                    self._run_group([job], top_k)
                return
            jobs[0].error = error
        else:
            offset = 0
            for job in jobs:
                job.results = results[offset : offset + len(job.texts)]
                offset += len(job.texts)
        self.stats.callers += len(jobs)
        self.stats.texts += len(texts)
