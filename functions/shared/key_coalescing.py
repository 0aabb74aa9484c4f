"""Concurrent API-key checks share their storage round trips; each request is still authenticated on its own.

The local runtime runs claim checks concurrently, and there the key lookup and the quota update (two DynamoDB calls
per request) cost as much as the matcher itself. In Lambda one invocation is one request, so every call here goes
straight through to the store.

- A key record read from the store is reused for ``cache_seconds`` (``ANTIDOTE_API_KEY_CACHE_SECONDS``, 5 by
  default), as API Gateway's authoriser cache does: a revoked key keeps working in a process that read it for at most
  that long. Only the record is kept: every request's key is still hashed and compared with it, its scope and status
  checked and its quota counted. Unknown keys are never kept, so a key created a moment ago works at once.
- Lookups of the same key that overlap share one consistent read (single flight): a request that arrives while a
  read of its key is in flight takes that read's answer — as fresh as a read started one round trip earlier.
- Quota: requests for the same key and day that arrive while an update of that counter is in flight are counted
  together by the next update (one ``ADD n``, on condition that the total stays within the limit). When that is
  refused — the quota is nearly used up — each is counted alone, so exactly as many requests are admitted as the
  quota allows, as without coalescing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from functions.shared.models import ApiKey


class KeyStorage(Protocol):
    def get_api_key(self, key_id: str) -> ApiKey | None: ...
    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime, count: int = 1) -> bool: ...


@dataclass(eq=False)
class _Outcome:
    """One caller's share of a shared round trip."""

    done: bool = False
    key: ApiKey | None = None
    granted: bool = False
    error: Exception | None = None

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error


@dataclass(eq=False)
class _Flight:
    outcome: _Outcome = field(default_factory=_Outcome)
    landed: threading.Event = field(default_factory=threading.Event)


@dataclass(eq=False)
class _QuotaLine:
    waiting: list[_Outcome] = field(default_factory=list)
    busy: bool = False


class CoalescedKeys:
    """The key store as authentication sees it (``functions.shared.auth.KeyLookup``), with concurrent requests'
    round trips shared; see the module docstring."""

    def __init__(
        self, store: KeyStorage, cache_seconds: float = 0.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._condition = threading.Condition()
        self._flights: dict[str, _Flight] = {}
        self._quota: dict[tuple[str, str], _QuotaLine] = {}
        self._read: dict[str, tuple[float, ApiKey]] = {}  # key id -> (when it was read, the record)

    def get_api_key(self, key_id: str) -> ApiKey | None:
        with self._condition:
            kept = self._read.get(key_id)
            if kept is not None and self._clock() - kept[0] < self._cache_seconds:
                return kept[1]
            flight = self._flights.get(key_id)
            leading = flight is None
            if flight is None:
                flight = self._flights[key_id] = _Flight()
        if leading:
            try:
                read_at = self._clock()
                flight.outcome.key = self._store.get_api_key(key_id)
                if flight.outcome.key is not None and self._cache_seconds > 0:
                    with self._condition:
                        self._read[key_id] = (read_at, flight.outcome.key)
            except Exception as error:
                flight.outcome.error = error
            finally:
                with self._condition:
                    del self._flights[key_id]
                flight.landed.set()
        else:
            flight.landed.wait()
        flight.outcome.raise_error()
        return flight.outcome.key

    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime) -> bool:
        mine = _Outcome()
        counter = (key_id, day)
        batch = self._await_quota_turn(counter, mine)
        if batch:
            try:
                self._count(batch, key_id, day, limit, now)
            finally:
                self._finish_quota(counter, batch)
        mine.raise_error()
        return mine.granted

    def _await_quota_turn(self, counter: tuple[str, str], mine: _Outcome) -> list[_Outcome]:
        """The callers this one counts (itself among them), or none once someone else has counted it."""
        with self._condition:
            line = self._quota.setdefault(counter, _QuotaLine())
            line.waiting.append(mine)
            while not mine.done:
                if not line.busy:
                    line.busy = True
                    batch, line.waiting = line.waiting, []
                    return batch
                self._condition.wait()
            return []

    def _count(self, batch: list[_Outcome], key_id: str, day: str, limit: int, now: datetime) -> None:
        counted = 0
        try:
            if 1 < len(batch) <= limit and self._store.consume_quota(key_id, day, limit, now, len(batch)):
                for outcome in batch:
                    outcome.granted = True
                return
            for outcome in batch:  # alone, or the quota is nearly used up: one at a time, exactly
                outcome.granted = self._store.consume_quota(key_id, day, limit, now)
                counted += 1
        except Exception as error:
            for outcome in batch[counted:]:
                outcome.error = error

    def _finish_quota(self, counter: tuple[str, str], batch: list[_Outcome]) -> None:
        with self._condition:
            for outcome in batch:
                outcome.done = True
            line = self._quota[counter]
            line.busy = False
            if not line.waiting:
                del self._quota[counter]
            self._condition.notify_all()
