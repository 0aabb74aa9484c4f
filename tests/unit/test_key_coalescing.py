"""Concurrent API-key checks sharing their round trips, against a fake store that can hold a call open: overlapping
lookups share one read, overlapping quota updates are counted together, and the quota still admits exactly as many
requests as it allows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from functions.shared.key_coalescing import CoalescedKeys
from functions.shared.models import ApiKey
from tests.unit.fakes import FakeKeys

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TIMEOUT = 10.0
SETTLE = 0.3  # long enough for started threads to join a call held open


def api_key(key_id: str) -> ApiKey:
    return ApiKey(
        key_id=key_id, key_hash="h", owner="o", scope="check", daily_quota=100, status="active", created_at=NOW
    )


class HeldKeys(FakeKeys):
    """FakeKeys that records every call and holds the first one open until released."""

    def __init__(self, *keys: ApiKey) -> None:
        super().__init__(*keys)
        self.calls: list[tuple[str, int]] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        self.fail_gets = False

    def _hold(self) -> None:
        if not self.entered.is_set():
            self.entered.set()
            assert self.release.wait(TIMEOUT)

    def get_api_key(self, key_id: str) -> ApiKey | None:
        self.calls.append(("get", 1))
        self._hold()
        if self.fail_gets:
            raise ConnectionError("DynamoDB is unreachable")
        return super().get_api_key(key_id)

    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime, count: int = 1) -> bool:
        self.calls.append(("quota", count))
        self._hold()
        return super().consume_quota(key_id, day, limit, now, count)


def in_threads(count: int, call: Callable[[], object]) -> tuple[list[threading.Thread], list[object]]:
    results: list[object] = []

    def run() -> None:
        try:
            results.append(call())
        except Exception as error:
            results.append(error)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, results


def join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive()


def test_calls_one_at_a_time_go_straight_through() -> None:
    store = HeldKeys(api_key("k1"))
    store.release.set()
    keys = CoalescedKeys(store)
    assert keys.get_api_key("k1") == api_key("k1")
    assert keys.get_api_key("nope") is None
    assert keys.consume_quota("k1", "2026-11-20", 2, NOW)
    assert keys.consume_quota("k1", "2026-11-20", 2, NOW)
    assert not keys.consume_quota("k1", "2026-11-20", 2, NOW)
    assert store.calls == [("get", 1), ("get", 1), ("quota", 1), ("quota", 1), ("quota", 1)]


def test_overlapping_lookups_of_a_key_share_one_read() -> None:
    store = HeldKeys(api_key("k1"), api_key("k2"))
    keys = CoalescedKeys(store)
    first, first_result = in_threads(1, lambda: keys.get_api_key("k1"))
    assert store.entered.wait(TIMEOUT)
    same, same_results = in_threads(5, lambda: keys.get_api_key("k1"))
    other, other_result = in_threads(1, lambda: keys.get_api_key("k2"))  # another key reads on its own
    time.sleep(SETTLE)
    store.release.set()
    join(first + same + other)
    assert first_result + same_results == [api_key("k1")] * 6
    assert other_result == [api_key("k2")]
    assert store.calls == [("get", 1), ("get", 1)]
    assert keys.get_api_key("k1") == api_key("k1")  # nothing is cached once the read has landed
    assert len(store.calls) == 3


def test_a_failed_shared_read_fails_everyone_who_shared_it_and_only_them() -> None:
    store = HeldKeys(api_key("k1"))
    store.fail_gets = True
    keys = CoalescedKeys(store)
    first, first_result = in_threads(1, lambda: keys.get_api_key("k1"))
    assert store.entered.wait(TIMEOUT)
    shared, shared_results = in_threads(3, lambda: keys.get_api_key("k1"))
    time.sleep(SETTLE)
    store.release.set()
    join(first + shared)
    assert all(isinstance(r, ConnectionError) for r in first_result + shared_results)
    store.fail_gets = False
    assert keys.get_api_key("k1") == api_key("k1")


def test_quota_updates_that_overlap_are_counted_together() -> None:
    store = HeldKeys(api_key("k1"))
    keys = CoalescedKeys(store)
    first, first_result = in_threads(1, lambda: keys.consume_quota("k1", "d", 100, NOW))
    assert store.entered.wait(TIMEOUT)
    waiting, waiting_results = in_threads(6, lambda: keys.consume_quota("k1", "d", 100, NOW))
    time.sleep(SETTLE)
    store.release.set()
    join(first + waiting)
    assert first_result + waiting_results == [True] * 7
    assert store.calls == [("quota", 1), ("quota", 6)]
    assert store.used[("k1", "d")] == 7


def test_a_nearly_used_up_quota_admits_exactly_what_is_left() -> None:
    store = HeldKeys(api_key("k1"))
    keys = CoalescedKeys(store)
    first, first_result = in_threads(1, lambda: keys.consume_quota("k1", "d", 5, NOW))
    assert store.entered.wait(TIMEOUT)
    waiting, waiting_results = in_threads(5, lambda: keys.consume_quota("k1", "d", 5, NOW))
    time.sleep(SETTLE)
    store.release.set()
    join(first + waiting)
    assert first_result == [True]
    assert sorted(waiting_results, key=bool) == [False, True, True, True, True]
    assert store.used[("k1", "d")] == 5
    assert store.calls == [("quota", 1), ("quota", 5), *[("quota", 1)] * 5]  # together refused, then one by one


def test_different_keys_and_days_are_counted_apart() -> None:
    store = HeldKeys(api_key("k1"), api_key("k2"))
    keys = CoalescedKeys(store)
    first, _ = in_threads(1, lambda: keys.consume_quota("k1", "d1", 100, NOW))
    assert store.entered.wait(TIMEOUT)
    others = [
        *in_threads(1, lambda: keys.consume_quota("k2", "d1", 100, NOW))[0],
        *in_threads(1, lambda: keys.consume_quota("k1", "d2", 100, NOW))[0],
    ]
    time.sleep(SETTLE)
    store.release.set()
    join(first + others)
    assert sorted(store.calls) == [("quota", 1)] * 3
    assert dict(store.used) == {("k1", "d1"): 1, ("k2", "d1"): 1, ("k1", "d2"): 1}


@pytest.mark.parametrize("callers", [2, 9, 40])
def test_many_concurrent_requests_never_exceed_the_quota(callers: int) -> None:
    store = FakeKeys(api_key("k1"))
    keys = CoalescedKeys(store)
    start = threading.Barrier(callers)

    def request() -> bool:
        start.wait(TIMEOUT)
        return keys.consume_quota("k1", "d", 17, NOW)

    threads, results = in_threads(callers, request)
    join(threads)
    assert sum(1 for r in results if r is True) == min(callers, 17)
    assert store.used[("k1", "d")] == min(callers, 17)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def kept(*records: ApiKey, seconds: float = 5.0) -> tuple[HeldKeys, Clock, CoalescedKeys]:
    """A store that answers at once, a clock the test moves, and the keys as authentication sees them."""
    store = HeldKeys(*records)
    store.release.set()
    clock = Clock()
    return store, clock, CoalescedKeys(store, cache_seconds=seconds, clock=clock)


def test_a_key_record_is_reused_for_its_lifetime_then_read_again() -> None:
    store, clock, keys = kept(api_key("k1"))
    assert keys.get_api_key("k1") == api_key("k1")
    clock.now += 4.9
    assert keys.get_api_key("k1") == api_key("k1")
    assert store.calls == [("get", 1)]
    clock.now += 0.1  # five seconds after the read started: read again
    assert keys.get_api_key("k1") == api_key("k1")
    assert store.calls == [("get", 1), ("get", 1)]


def test_a_revoked_key_is_refused_once_its_record_has_expired() -> None:
    store, clock, keys = kept(api_key("k1"))
    assert keys.get_api_key("k1") == api_key("k1")
    store.keys["k1"] = api_key("k1").model_copy(update={"status": "revoked", "revoked_at": NOW})
    assert keys.get_api_key("k1") == api_key("k1")  # within the bound the revocation is not yet seen
    clock.now += 5.0
    found = keys.get_api_key("k1")
    assert found is not None
    assert found.status == "revoked"


def test_unknown_keys_are_never_kept_so_a_new_key_works_at_once() -> None:
    store, _, keys = kept()
    assert keys.get_api_key("k1") is None
    store.keys["k1"] = api_key("k1")
    assert keys.get_api_key("k1") == api_key("k1")
    assert store.calls == [("get", 1), ("get", 1)]


def test_quota_is_counted_on_every_request_whatever_the_cache() -> None:
    store, _, keys = kept(api_key("k1"), seconds=60.0)
    assert [keys.consume_quota("k1", "d", 2, NOW) for _ in range(3)] == [True, True, False]
    assert store.used[("k1", "d")] == 2
