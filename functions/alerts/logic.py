"""The hourly detector: read the dimensioned counters, find spikes, first sightings and sentiment dips for one
hour, apply the cooldown, store each alert once, and tell the destinations — at once while the day's allowance
lasts, otherwise in the daily digest. No AWS imports: the stores and destinations come in as Protocols."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from functions.alerts.detection import Finding, Sensitivity, apply_cooldown, detect, series_totals
from functions.shared.models import Alert, AlertDelivery, HourCount


class CountReader(Protocol):
    def hour_counts(self, now: datetime, days: int) -> list[HourCount]: ...


class AlertWriter(Protocol):
    def raise_alert(self, alert: Alert) -> bool: ...
    def ever_seen(self, series: Iterable[str]) -> set[str]: ...
    def on_day(self, day: date) -> list[Alert]: ...
    def between(self, start: datetime, end: datetime) -> list[Alert]: ...
    def claim_digest(self, day: date) -> bool: ...


class Destination(Protocol):
    """Where alerts go (an SNS topic, a signed webhook). ``key`` is stable across retries: receivers dedupe on it."""

    def publish(self, event: str, key: str, subject: str, payload: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class AlertPolicy:
    sensitivity: Sensitivity
    max_immediate_per_day: int
    digest_hour: int


@dataclass
class DetectorReport:
    hour: datetime
    findings: int = 0
    raised: list[str] = field(default_factory=list)
    suppressed_by_cooldown: int = 0
    sent: int = 0
    digest: int | None = None  # alerts in the digest sent by this run


def run_detector(
    hour: datetime,
    counts: CountReader,
    store: AlertWriter,
    topics: Mapping[str, str],
    policy: AlertPolicy,
    destinations: Sequence[Destination],
    now: datetime,
) -> DetectorReport:
    """Detect for ``hour`` (a whole UTC hour already over) and raise what is new; a rerun raises and sends nothing."""
    s = policy.sensitivity
    days = s.baseline_hours // 24 + 2  # the baseline window, and the day the hour is in
    totals = series_totals(counts.hour_counts(hour, days), topics)
    findings = detect(totals, hour, s, store.ever_seen(k for k in totals if k.startswith("claim:")))
    recent = store.between(hour - timedelta(hours=s.cooldown_hours), hour)
    kept = apply_cooldown(findings, ((a.kind, a.series, a.hour) for a in recent), s.cooldown_hours)
    report = DetectorReport(hour, len(findings), suppressed_by_cooldown=len(findings) - len(kept))
    today = store.on_day(hour.date())
    allowance = policy.max_immediate_per_day - sum(a.delivery is AlertDelivery.IMMEDIATE for a in today)
    for finding in kept:
        delivery = AlertDelivery.IMMEDIATE if allowance > 0 else AlertDelivery.DIGEST
        alert = to_alert(finding, delivery, now)
        if not store.raise_alert(alert):
            continue
        report.raised.append(alert.alert_id)
        if delivery is AlertDelivery.IMMEDIATE:
            allowance -= 1
            report.sent += _send(destinations, f"alert.{alert.kind}", alert.alert_id, subject(alert), alert_body(alert))
    if hour.hour == policy.digest_hour:
        report.digest = _send_digest(hour.date(), store, destinations)
    return report


def to_alert(finding: Finding, delivery: AlertDelivery, now: datetime) -> Alert:
    return Alert(
        alert_id=f"{finding.kind}#{finding.series}#{finding.hour:%Y-%m-%dT%H}",
        kind=finding.kind,
        series=finding.series,
        hour=finding.hour,
        count=finding.count,
        expected=finding.expected,
        p_value=finding.p_value,
        detail=finding.detail,
        delivery=delivery,
        raised_at=now,
    )


def subject(alert: Alert) -> str:
    what = {"spike": "Spike", "first_seen": "First seen", "sentiment_dip": "Sentiment dip"}[alert.kind.value]
    return f"Antidote: {what} — {alert.series} at {alert.hour:%Y-%m-%d %H}:00 UTC"[:100]  # SNS subjects ≤ 100


def alert_body(alert: Alert) -> dict[str, Any]:
    return alert.model_dump(mode="json")


def _send_digest(day: date, store: AlertWriter, destinations: Sequence[Destination]) -> int | None:
    """The day's alerts that waited for the digest, sent once (the first run to claim the day's marker)."""
    waiting = [a for a in store.on_day(day) if a.delivery is AlertDelivery.DIGEST]
    if not waiting or not store.claim_digest(day):
        return None
    payload = {"day": day.isoformat(), "alerts": [alert_body(a) for a in waiting]}
    _send(
        destinations, "alert.digest", f"digest#{day.isoformat()}", f"Antidote: {len(waiting)} alerts on {day}", payload
    )
    return len(waiting)


def _send(destinations: Sequence[Destination], event: str, key: str, title: str, payload: Mapping[str, Any]) -> int:
    for destination in destinations:
        destination.publish(event, key, title, payload)
    return len(destinations)
