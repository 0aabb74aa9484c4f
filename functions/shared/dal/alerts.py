"""Alerts the hourly detector raised (functions/alerts/). Raising is a conditional write keyed by
(day, hour, kind, series), so running the detector again for an hour changes nothing; a first sighting also writes
a per-claim marker in the same transaction, so a claim is "first seen" once, ever; the daily digest is claimed by a
marker per day, so it is sent once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import AlertRecord
from functions.shared.models import Alert, AlertKind

ALERT_RETENTION_DAYS = 90
FIRST_SEEN = "first_seen"
DIGEST = "digest"


def alert_key(alert: Alert) -> str:
    return f"{alert.hour:%H}#{alert.kind}#{alert.series}"


class AlertStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def raise_alert(self, alert: Alert) -> bool:
        """Store the alert unless already raised (False); a first sighting only if its claim was never seen."""
        record = AlertRecord(
            f"{alert.hour:%Y-%m-%d}",
            alert_key(alert),
            alert=alert.model_dump(mode="json"),
            expires_at=alert.raised_at + timedelta(days=ALERT_RETENTION_DAYS),
        )
        try:
            with TransactWrite(connection=self._database.connection) as transaction:
                transaction.save(record, condition=AlertRecord.alert_key.does_not_exist())
                if alert.kind is AlertKind.FIRST_SEEN:
                    marker = AlertRecord(FIRST_SEEN, alert.series)
                    transaction.save(marker, condition=AlertRecord.alert_key.does_not_exist())
        except TransactWriteError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True

    def ever_seen(self, series: Iterable[str]) -> set[str]:
        """Which of these claim series already had a first-seen alert."""
        keys = [(FIRST_SEEN, s) for s in sorted(set(series))]
        return {r.alert_key for r in AlertRecord.batch_get(keys, consistent_read=True)} if keys else set()

    def on_day(self, day: date) -> list[Alert]:
        return [Alert.model_validate(r.alert) for r in AlertRecord.query(f"{day:%Y-%m-%d}", consistent_read=True)]

    def between(self, start: datetime, end: datetime) -> list[Alert]:
        """Alerts about hours in [start, end), oldest first: one query per day."""
        days = {(start + timedelta(days=d)).date() for d in range((end - start).days + 2)}
        alerts = [a for day in sorted(days) for a in self.on_day(day) if start <= a.hour < end]
        return sorted(alerts, key=lambda a: (a.hour, a.alert_id))

    def claim_digest(self, day: date) -> bool:
        """True for the one caller that gets to send ``day``'s digest."""
        try:
            AlertRecord(DIGEST, f"{day:%Y-%m-%d}").save(condition=AlertRecord.alert_key.does_not_exist())
        except PutError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True
