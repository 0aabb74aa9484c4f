"""Counters: each claim's hourly trend tally (written in the same transaction as the match it counts)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database
from functions.shared.dal.models import CounterRecord

TREND_RETENTION_DAYS = 14


def count_trends(transaction: TransactWrite, claims: Counter[str], now: datetime) -> None:
    """Add each claim's count to its hourly bucket inside ``transaction``."""
    for claim_id, count in claims.items():
        transaction.update(
            CounterRecord(f"trend#{now:%Y-%m-%d}", f"{now:%H}#{claim_id}"),
            actions=[
                CounterRecord.tally.add(count),
                CounterRecord.expires_at.set(now + timedelta(days=TREND_RETENTION_DAYS)),
            ],
        )


class TrendStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def trend_counts(self, now: datetime, days: int) -> dict[str, dict[str, int]]:
        """Matches per claim per hour bucket ("YYYY-MM-DDTHH") over the last ``days`` days."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for back in range(days):
            day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
            for r in CounterRecord.query(f"trend#{day}"):
                hour, claim_id = r.bucket.split("#", 1)
                out[claim_id][f"{day}T{hour}"] = int(r.tally)
        return dict(out)
