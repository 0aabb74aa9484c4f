"""Counters: each claim's hourly trend tallies (written in the same transaction as the match they count).

A matched post counts under one kind: ``spreading`` (it supports a myth or denies a fact), ``counter_speech`` (it
debunks a myth or supports a fact) or ``question``; a neutral mention counts nowhere. Each kind has its own
partition per day (``trend#``, ``counter#``, ``question#`` + the date), sorted by ``HH#claim_id``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database
from functions.shared.dal.models import CounterRecord
from functions.shared.models import TrendKind

TREND_RETENTION_DAYS = 14
# "trend#" is the partition every flagged match counted in before stance existed; spreading keeps it.
TREND_PARTITIONS: dict[TrendKind, str] = {
    TrendKind.SPREADING: "trend",
    TrendKind.COUNTER_SPEECH: "counter",
    TrendKind.QUESTION: "question",
}


def count_trends(transaction: TransactWrite, claims: Counter[tuple[TrendKind, str]], now: datetime) -> None:
    """Add each (kind, claim)'s count to its hourly bucket inside ``transaction``."""
    for (kind, claim_id), count in claims.items():
        transaction.update(
            CounterRecord(f"{TREND_PARTITIONS[kind]}#{now:%Y-%m-%d}", f"{now:%H}#{claim_id}"),
            actions=[
                CounterRecord.tally.add(count),
                CounterRecord.expires_at.set(now + timedelta(days=TREND_RETENTION_DAYS)),
            ],
        )


class TrendStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def trend_counts(self, now: datetime, days: int) -> dict[TrendKind, dict[str, dict[str, int]]]:
        """Per kind, posts per claim per hour bucket ("YYYY-MM-DDTHH") over the last ``days`` days."""
        out: dict[TrendKind, dict[str, dict[str, int]]] = {}
        for kind, partition in TREND_PARTITIONS.items():
            by_claim: dict[str, dict[str, int]] = defaultdict(dict)
            for back in range(days):
                day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
                for r in CounterRecord.query(f"{partition}#{day}"):
                    hour, claim_id = r.bucket.split("#", 1)
                    by_claim[claim_id][f"{day}T{hour}"] = int(r.tally)
            out[kind] = dict(by_claim)
        return out
