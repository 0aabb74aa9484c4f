"""Spike, first-seen and sentiment-dip detection on hand-built hourly counts."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from functions.alerts.detection import (
    Sensitivity,
    apply_cooldown,
    binomial_tail,
    detect,
    negative_binomial_tail,
    poisson_tail,
    series_totals,
)
from functions.shared.models import AlertKind, HourCount, TrendKind

HOUR = datetime(2026, 11, 20, 14, tzinfo=UTC)
TOPICS = {"c1": "vaccines", "c2": "vaccines", "c3": "nutrition"}
SENSITIVITY = Sensitivity(p_value=0.001, min_count=5, baseline_hours=48, cooldown_hours=6)


def steady(claim: str, per_hour: int, hours: int = 48, region: str = "GB", language: str = "en") -> list[HourCount]:
    """``per_hour`` spreading posts in every hour of the baseline window before HOUR."""
    return [
        HourCount(HOUR - timedelta(hours=back), TrendKind.SPREADING, claim, region, language, per_hour)
        for back in range(1, hours + 1)
    ]


def now(claim: str, tally: int, kind: TrendKind = TrendKind.SPREADING, **extra: int) -> HourCount:
    return HourCount(HOUR, kind, claim, "GB", "en", tally, **extra)


def findings(counts: list[HourCount], ever_seen: set[str] | None = None) -> set[tuple[AlertKind, str]]:
    found = detect(series_totals(counts, TOPICS), HOUR, SENSITIVITY, ever_seen or set())
    return {(f.kind, f.series) for f in found}


def test_poisson_and_binomial_tails_match_closed_forms() -> None:
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2.0))
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * (1 + 1 + 0.5))
    assert binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert binomial_tail(0, 5, 0.3) == pytest.approx(1.0)


def test_a_rise_far_above_the_claims_own_baseline_is_a_spike_in_every_series_it_belongs_to() -> None:
    found = findings([*steady("c1", 2), now("c1", 15)])
    assert {s for k, s in found if k is AlertKind.SPIKE} == {"claim:c1", "topic:vaccines", "region:GB", "language:en"}


def test_a_busy_claim_at_its_usual_level_is_not_a_spike() -> None:
    assert not findings([*steady("c1", 20), now("c1", 24)])


def test_the_same_count_is_a_spike_for_a_quiet_claim_and_not_for_a_busy_one() -> None:
    quiet = findings([*steady("c1", 1), now("c1", 12)])
    busy = findings([*steady("c1", 10), now("c1", 12)])
    assert (AlertKind.SPIKE, "claim:c1") in quiet
    assert (AlertKind.SPIKE, "claim:c1") not in busy


def test_below_the_minimum_count_nothing_spikes_even_from_zero() -> None:
    found = findings([now("c3", 4)], ever_seen={"claim:c3"})
    assert not found


def test_counter_speech_does_not_make_a_spike() -> None:
    found = findings([*steady("c1", 1), now("c1", 30, TrendKind.COUNTER_SPEECH)])
    assert not any(kind is AlertKind.SPIKE for kind, _ in found)


def test_a_claim_first_counted_now_is_a_first_seen_alert_once() -> None:
    assert (AlertKind.FIRST_SEEN, "claim:c3") in findings([now("c3", 1)])
    assert (AlertKind.FIRST_SEEN, "claim:c3") not in findings([now("c3", 1)], ever_seen={"claim:c3"})
    assert (AlertKind.FIRST_SEEN, "claim:c1") not in findings([*steady("c1", 1), now("c1", 1)])


def test_a_turn_to_negative_is_a_sentiment_dip() -> None:
    past = [
        HourCount(HOUR - timedelta(hours=b), TrendKind.SPREADING, "c1", "GB", "en", 4, scored=4, negative=1)
        for b in range(1, 49)
    ]
    dip = findings([*past, now("c1", 10, scored=10, negative=9)])
    usual = findings([*past, now("c1", 8, scored=8, negative=2)])
    assert (AlertKind.SENTIMENT_DIP, "claim:c1") in dip
    assert not any(kind is AlertKind.SENTIMENT_DIP for kind, _ in usual)


def test_cooldown_drops_a_repeat_within_the_window_and_keeps_a_rerun_of_the_same_hour() -> None:
    found = detect(series_totals([*steady("c1", 1), now("c1", 15)], TOPICS), HOUR, SENSITIVITY, set())
    spike = next(f for f in found if f.series == "claim:c1")
    recent_earlier = [(AlertKind.SPIKE, "claim:c1", HOUR - timedelta(hours=2))]
    long_ago = [(AlertKind.SPIKE, "claim:c1", HOUR - timedelta(hours=7))]
    same_hour = [(AlertKind.SPIKE, "claim:c1", HOUR)]
    assert spike not in apply_cooldown(found, recent_earlier, 6)
    assert spike in apply_cooldown(found, long_ago, 6)
    assert spike in apply_cooldown(found, same_hour, 6)


def test_the_negative_binomial_tail_is_heavier_than_poissons_and_matches_a_closed_form() -> None:
    # shape 1: geometric, P(X >= k) = (1 - p)^k with p = 1 / (1 + mean)
    assert negative_binomial_tail(3, 2.0, 6.0) == pytest.approx((2 / 3) ** 3)
    assert negative_binomial_tail(10, 2.0, 6.0) > poisson_tail(10, 2.0)


def test_a_bursty_claims_usual_burst_is_not_a_spike_but_a_quiet_claims_is() -> None:
    bursty = [
        HourCount(HOUR - timedelta(hours=b), TrendKind.SPREADING, "c1", "GB", "en", 12 if b % 8 == 0 else 0)
        for b in range(1, 49)
    ]
    assert (AlertKind.SPIKE, "claim:c1") not in findings([*bursty, now("c1", 12)])
    assert (AlertKind.SPIKE, "claim:c1") in findings([*steady("c1", 1), now("c1", 12)])
