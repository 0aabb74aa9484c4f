"""The hourly detector against in-memory fakes: stored once, sent once, cooldown, the daily allowance and digest."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.alerts.detection import Sensitivity
from functions.alerts.logic import AlertPolicy, run_detector
from functions.shared.models import AlertDelivery, AlertKind, HourCount, TrendKind
from tests.unit.fakes import FakeAlerts

HOUR = datetime(2026, 11, 20, 23, tzinfo=UTC)
TOPICS = {f"c{i}": "vaccines" for i in range(10)}
POLICY = AlertPolicy(Sensitivity(0.001, 5, 48, 6), max_immediate_per_day=20, digest_hour=23)


class Counts:
    def __init__(self, counts: list[HourCount]) -> None:
        self.counts = counts

    def hour_counts(self, now: datetime, days: int) -> list[HourCount]:
        return [c for c in self.counts if now - timedelta(days=days) < c.hour <= now]


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def publish(self, event: str, key: str, subject: str, payload: Mapping[str, Any]) -> None:
        self.sent.append((event, key, dict(payload)))


def spike(claim: str, hour: datetime = HOUR, tally: int = 20) -> list[HourCount]:
    past = [HourCount(hour - timedelta(hours=b), TrendKind.SPREADING, claim, "GB", "en", 1) for b in range(1, 49)]
    return [*past, HourCount(hour, TrendKind.SPREADING, claim, "GB", "en", tally)]


def test_a_spike_is_raised_and_sent_once_and_a_rerun_changes_nothing() -> None:
    store, destination = FakeAlerts(), Recorder()
    counts = Counts(spike("c1"))
    first = run_detector(HOUR, counts, store, TOPICS, POLICY, [destination], HOUR)
    assert "spike#claim:c1#2026-11-20T23" in first.raised
    assert {"spike#claim:c1#2026-11-20T23", "spike#topic:vaccines#2026-11-20T23"} <= set(store.alerts)
    sent_before = list(destination.sent)
    again = run_detector(HOUR, counts, store, TOPICS, POLICY, [destination], HOUR + timedelta(minutes=5))
    assert again.raised == []
    assert destination.sent == sent_before
    assert all(event == "alert.spike" for event, _, _ in destination.sent)


def test_cooldown_holds_back_the_next_hours_repeat() -> None:
    store = FakeAlerts()
    earlier = HOUR - timedelta(hours=2)
    run_detector(earlier, Counts(spike("c1", earlier)), store, TOPICS, POLICY, [], earlier)
    later = run_detector(HOUR, Counts(spike("c1", earlier) + spike("c1")), store, TOPICS, POLICY, [], HOUR)
    assert later.suppressed_by_cooldown > 0
    assert "spike#claim:c1#2026-11-20T23" not in later.raised


def test_beyond_the_days_allowance_alerts_wait_for_the_digest_which_is_sent_once() -> None:
    store, destination = FakeAlerts(), Recorder()
    tight = AlertPolicy(POLICY.sensitivity, max_immediate_per_day=2, digest_hour=23)
    counts = Counts([c for i in range(5) for c in spike(f"c{i}")])
    report = run_detector(HOUR, counts, store, TOPICS, tight, [destination], HOUR)
    immediate = [a for a in store.alerts.values() if a.delivery is AlertDelivery.IMMEDIATE]
    waiting = [a for a in store.alerts.values() if a.delivery is AlertDelivery.DIGEST]
    assert len(immediate) == 2
    assert report.digest == len(waiting) > 0
    digests = [payload for event, _, payload in destination.sent if event == "alert.digest"]
    assert len(digests) == 1
    assert len(digests[0]["alerts"]) == len(waiting)
    run_detector(HOUR, counts, store, TOPICS, tight, [destination], HOUR)
    assert sum(event == "alert.digest" for event, _, _ in destination.sent) == 1


def test_a_new_claim_is_first_seen_once() -> None:
    store = FakeAlerts()
    one = [HourCount(HOUR - timedelta(hours=1), TrendKind.QUESTION, "c7", "-", "-", 1)]
    run_detector(HOUR - timedelta(hours=1), Counts(one), store, TOPICS, POLICY, [], HOUR)
    assert [a.kind for a in store.alerts.values()] == [AlertKind.FIRST_SEEN]
    later = [HourCount(HOUR, TrendKind.QUESTION, "c7", "-", "-", 1)]
    assert run_detector(HOUR, Counts(later), store, TOPICS, POLICY, [], HOUR).raised == []
