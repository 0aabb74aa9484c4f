"""Spike, first-seen and sentiment-dip detection over hourly counts: plain Python, no AWS, no I/O.

Every series (a claim, a topic, a region or a language) is tested against its own trailing baseline. A spike is an
hour whose *spreading* count is unlikely under the series' hourly counts over the baseline window
(``P(X >= count) < sensitivity``: Poisson with the window's mean, or a negative binomial with its mean and variance
when the window is burstier than Poisson) and at least ``min_count``; a sentiment dip is an hour whose share of
negative posts is unlikely under a binomial law with the series' baseline share. Why a count tail and not an EWMA:
docs/decisions.md ("Spike detection").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from functions.shared.models import AlertKind, HourCount, TrendKind

UNKNOWN = "-"  # a post without a region or a language counts under this value
DIMENSIONS = ("claim", "topic", "region", "language")


@dataclass(frozen=True)
class Sensitivity:
    """The operator's knobs (settings ``ANTIDOTE_ALERT_*``)."""

    p_value: float = 0.001
    min_count: int = 5
    baseline_hours: int = 7 * 24
    cooldown_hours: int = 6


@dataclass
class SeriesTotals:
    """One series' sums: spreading posts per hour, and over the window the counted and negative posts."""

    spreading: dict[datetime, int] = field(default_factory=lambda: defaultdict(int))
    counted: dict[datetime, int] = field(default_factory=lambda: defaultdict(int))
    scored: dict[datetime, int] = field(default_factory=lambda: defaultdict(int))
    negative: dict[datetime, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class Finding:
    """An alert the detector raises for one series and hour (before cooldown and storage)."""

    kind: AlertKind
    series: str  # "<dimension>:<value>", e.g. "claim:vaccines-cause-autism", "region:GB"
    hour: datetime
    count: int
    expected: float  # the baseline's expectation for this hour (posts, or negative posts for a dip)
    p_value: float
    detail: dict[str, float | int] = field(default_factory=dict)


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed in log space so large counts do not overflow."""
    if count <= 0:
        return 1.0
    below = sum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count))
    return max(0.0, 1.0 - below)


def negative_binomial_tail(count: int, mean: float, variance: float) -> float:
    """P(X >= count) for a negative binomial with this mean and variance (> mean): a Poisson whose rate itself
    varies, as the hourly posting about a claim does (bursts, day and night)."""
    if count <= 0:
        return 1.0
    shape = mean * mean / (variance - mean)
    p = shape / (shape + mean)
    log_head = shape * math.log(p) - math.lgamma(shape)
    below = sum(
        math.exp(log_head + math.lgamma(k + shape) - math.lgamma(k + 1) + k * math.log1p(-p)) for k in range(count)
    )
    return max(0.0, 1.0 - below)


def rise_tail(count: int, window: list[int]) -> tuple[float, float]:
    """The chance of at least ``count`` under the window's counts, and the window's mean. Poisson when the window
    varies no more than Poisson counts do; a negative binomial fitted to its mean and variance when it is
    overdispersed, so a bursty claim's usual bursts are not spikes."""
    # Half a post over the window as a floor: a series never seen before still has a finite, tiny mean.
    mean = (sum(window) + 0.5) / len(window)
    variance = sum((c - mean) ** 2 for c in window) / max(1, len(window) - 1)
    # Overdispersed only when the dispersion index clears what Poisson windows reach by chance (its chi-squared
    # law's mean plus three standard deviations): fitting a negative binomial to a Poisson window costs power.
    if variance > mean * (1 + 3 * math.sqrt(2 / max(1, len(window) - 1))):
        return negative_binomial_tail(count, mean, variance), mean
    return poisson_tail(count, mean), mean


def binomial_tail(successes: int, trials: int, share: float) -> float:
    """P(X >= successes) for X ~ Binomial(trials, share)."""
    return sum(math.comb(trials, k) * share**k * (1 - share) ** (trials - k) for k in range(successes, trials + 1))


def series_totals(counts: Iterable[HourCount], topics: Mapping[str, str]) -> dict[str, SeriesTotals]:
    """Sum the counters into every series they belong to: their claim, its topic, their region, their language."""
    totals: dict[str, SeriesTotals] = defaultdict(SeriesTotals)
    for c in counts:
        values = (c.claim_id, topics.get(c.claim_id, UNKNOWN), c.region or UNKNOWN, c.language or UNKNOWN)
        for dimension, value in zip(DIMENSIONS, values, strict=True):
            series = totals[f"{dimension}:{value}"]
            if c.kind is TrendKind.SPREADING:
                series.spreading[c.hour] += c.tally
            series.counted[c.hour] += c.tally
            series.scored[c.hour] += c.scored
            series.negative[c.hour] += c.negative
    return dict(totals)


def detect(
    totals: Mapping[str, SeriesTotals], hour: datetime, sensitivity: Sensitivity, ever_seen: set[str]
) -> list[Finding]:
    """Every finding for ``hour``: spikes and sentiment dips in any series, a first sighting of a claim series
    (one with posts this hour, none in the baseline window, and not in ``ever_seen``)."""
    window = [hour - timedelta(hours=back) for back in range(1, sensitivity.baseline_hours + 1)]
    findings: list[Finding] = []
    for series, t in sorted(totals.items()):
        spike = _spike(series, t, hour, window, sensitivity)
        dip = _sentiment_dip(series, t, hour, window, sensitivity)
        findings.extend(f for f in (spike, dip) if f is not None)
        first = series.startswith("claim:") and t.counted.get(hour, 0) > 0 and series not in ever_seen
        if first and not any(t.counted.get(h, 0) for h in window):
            findings.append(Finding(AlertKind.FIRST_SEEN, series, hour, t.counted[hour], 0.0, 0.0))
    return findings


def _spike(series: str, t: SeriesTotals, hour: datetime, window: list[datetime], s: Sensitivity) -> Finding | None:
    count = t.spreading.get(hour, 0)
    if count < s.min_count:
        return None
    p, mean = rise_tail(count, [t.spreading.get(h, 0) for h in window])
    if p >= s.p_value:
        return None
    return Finding(AlertKind.SPIKE, series, hour, count, round(mean, 4), p)


def _sentiment_dip(
    series: str, t: SeriesTotals, hour: datetime, window: list[datetime], s: Sensitivity
) -> Finding | None:
    scored, negative = t.scored.get(hour, 0), t.negative.get(hour, 0)
    if scored < s.min_count or negative == 0:
        return None
    # Laplace's rule: one negative and one other post added to the baseline, so an all-positive past is not certain.
    base_scored = sum(t.scored.get(h, 0) for h in window)
    share = (sum(t.negative.get(h, 0) for h in window) + 1) / (base_scored + 2)
    p = binomial_tail(negative, scored, share)
    if p >= s.p_value:
        return None
    detail: dict[str, float | int] = {"scored": scored, "negative_share": round(negative / scored, 4)}
    detail["baseline_share"] = round(share, 4)
    return Finding(AlertKind.SENTIMENT_DIP, series, hour, negative, round(share * scored, 4), p, detail)


def apply_cooldown(
    findings: list[Finding], recent: Iterable[tuple[AlertKind, str, datetime]], hours: int
) -> list[Finding]:
    """Drop a finding when the same kind of alert was raised for the same series within ``hours`` before it.

    Only earlier hours count, so re-running the detector for an hour it already ran keeps the same findings."""
    last: dict[tuple[AlertKind, str], datetime] = {}
    for kind, series, at in recent:
        last[(kind, series)] = max(at, last.get((kind, series), at))
    kept = []
    for f in findings:
        previous = last.get((f.kind, f.series))
        if previous is not None and f.hour - timedelta(hours=hours) <= previous < f.hour:
            continue
        kept.append(f)
    return kept
