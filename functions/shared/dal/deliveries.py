"""The webhook delivery log: every attempt of every signed delivery (``functions/shared/webhooks.py``).

Written once per attempt, before the next one starts, so the log shows what happened even when a Lambda is cut
short mid-delivery; items expire after ``delivery_log_days``.
"""

from __future__ import annotations

from datetime import timedelta

from functions.shared.dal.database import Database
from functions.shared.dal.models import DeliveryRecord
from functions.shared.webhooks import DeliveryAttempt

_FIELDS = ("event", "owner", "host", "error", "at")


class DeliveryStore:
    """Implements :class:`functions.shared.webhooks.DeliveryLog`."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._retention = timedelta(days=database.settings.delivery_log_days)

    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        DeliveryRecord(
            attempt.delivery_id,
            attempt.attempt,
            attempt_key=f"{attempt.at.isoformat()}#{attempt.delivery_id}#{attempt.attempt:03d}",
            status=attempt.status,
            duration_ms=attempt.duration_ms,
            expires_at=attempt.at + self._retention,
            **{name: getattr(attempt, name) for name in _FIELDS},
        ).save()

    def attempts(self, delivery_id: str) -> list[DeliveryAttempt]:
        """One delivery's attempts, first to last."""
        return [_to_attempt(r) for r in DeliveryRecord.query(delivery_id, consistent_read=True)]

    def recent_for_owner(self, owner: str, limit: int = 50) -> list[DeliveryAttempt]:
        """A destination owner's latest attempts, newest first (an eventually consistent index)."""
        records = DeliveryRecord.by_owner.query(owner, scan_index_forward=False, limit=limit)
        return [_to_attempt(r) for r in records]


def _to_attempt(r: DeliveryRecord) -> DeliveryAttempt:
    return DeliveryAttempt(
        delivery_id=r.delivery_id,
        attempt=int(r.attempt),
        status=None if r.status is None else int(r.status),
        duration_ms=int(r.duration_ms),
        **{name: getattr(r, name) for name in _FIELDS},
    )
