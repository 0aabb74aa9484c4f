"""Counters: each claim's hourly trend tallies (written in the same transaction as the match they count).

A matched post counts under one kind: ``spreading`` (it supports a myth or denies a fact), ``counter_speech`` (it
debunks a myth or supports a fact) or ``question``; a neutral mention counts nowhere. Each kind has its own
partition per day (``trend#``, ``counter#``, ``question#`` + the date), sorted by ``HH#claim_id``.

The same post also counts in one *dimensioned* counter, partition ``series#`` + the date, sorted by
``HH#kind#claim_id#region#language`` ("-" for an unknown region or language), which also sums the post's
sentiment (posts scored, posts negative). Topic is not a key: it follows from the claim when read. So a counted
match costs at most two counter updates, whatever the dimensions: the per-claim one the trends chart reads, and the
dimensioned one that spikes, sentiment and the region/language cuts read. One day's ``series#`` partition holds at
most 24 × kinds × claims × regions × languages items — in practice the combinations that occurred.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database
from functions.shared.dal.models import CounterRecord
from functions.shared.models import HourCount, MatchEntry, TrendKind

TREND_RETENTION_DAYS = 14
UNKNOWN = "-"  # the region or language of a post that named none
SERIES_PARTITION = "series"
# "trend#" is the partition every flagged match counted in before stance existed; spreading keeps it.
TREND_PARTITIONS: dict[TrendKind, str] = {
    TrendKind.SPREADING: "trend",
    TrendKind.COUNTER_SPEECH: "counter",
    TrendKind.QUESTION: "question",
}
NEGATIVE_BELOW = -0.05  # VADER's convention (functions/match/sentiment.py): compound <= -0.05 is negative

SeriesKey = tuple[TrendKind, str, str, str]  # kind, claim, region, language


def count_trends(transaction: TransactWrite, entries: Iterable[MatchEntry], now: datetime) -> None:
    """Add each counted match to its claim's hourly bucket and to its dimensioned bucket inside ``transaction``:
    at most two updates per distinct (kind, claim) and (kind, claim, region, language) in the chunk."""
    counted = [e for e in entries if e.trend and e.counted_claim]
    expires = now + timedelta(days=TREND_RETENTION_DAYS)
    by_claim = Counter((e.trend, e.counted_claim) for e in counted)
    for (kind, claim_id), count in by_claim.items():
        transaction.update(
            CounterRecord(f"{TREND_PARTITIONS[kind]}#{now:%Y-%m-%d}", f"{now:%H}#{claim_id}"),  # type: ignore[index]
            actions=[CounterRecord.tally.add(count), CounterRecord.expires_at.set(expires)],
        )
    for (kind, claim_id, region, language), (tally, scored, negative) in _series_sums(counted).items():
        transaction.update(
            CounterRecord(f"{SERIES_PARTITION}#{now:%Y-%m-%d}", f"{now:%H}#{kind}#{claim_id}#{region}#{language}"),
            actions=[
                CounterRecord.tally.add(tally),
                CounterRecord.scored.add(scored),
                CounterRecord.negative.add(negative),
                CounterRecord.expires_at.set(expires),
            ],
        )


def _series_sums(counted: list[MatchEntry]) -> dict[SeriesKey, tuple[int, int, int]]:
    sums: dict[SeriesKey, tuple[int, int, int]] = {}
    for e in counted:
        key = (e.trend, e.counted_claim, e.region or UNKNOWN, e.language or UNKNOWN)
        tally, scored, negative = sums.get(key, (0, 0, 0))  # type: ignore[arg-type]
        scored_now = e.sentiment is not None
        negative_now = scored_now and e.sentiment <= NEGATIVE_BELOW  # type: ignore[operator]
        sums[key] = (tally + 1, scored + scored_now, negative + negative_now)  # type: ignore[index]
    return sums


class TrendStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def trend_counts(self, now: datetime, days: int) -> dict[TrendKind, dict[str, dict[str, int]]]:
        """Per kind, posts per claim per hour bucket ("YYYY-MM-DDTHH") over the last ``days`` days."""
        out: dict[TrendKind, dict[str, dict[str, int]]] = {}
        for kind, partition in TREND_PARTITIONS.items():
            by_claim: dict[str, dict[str, int]] = {}
            for back in range(days):
                day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
                for r in CounterRecord.query(f"{partition}#{day}"):
                    hour, claim_id = r.bucket.split("#", 1)
                    by_claim.setdefault(claim_id, {})[f"{day}T{hour}"] = int(r.tally)
            out[kind] = by_claim
        return out

    def hour_counts(self, now: datetime, days: int) -> list[HourCount]:
        """Every dimensioned counter of the last ``days`` days (today included): one query per day."""
        counts = []
        for back in range(days):
            day = (now - timedelta(days=back)).date()
            for r in CounterRecord.query(f"{SERIES_PARTITION}#{day:%Y-%m-%d}"):
                hour, kind, claim_id, region, language = r.bucket.split("#", 4)
                at = datetime(day.year, day.month, day.day, int(hour), tzinfo=UTC)
                counts.append(
                    HourCount(
                        at,
                        TrendKind(kind),
                        claim_id,
                        region,
                        language,
                        int(r.tally),
                        int(r.scored or 0),
                        int(r.negative or 0),
                    )
                )
        return counts
