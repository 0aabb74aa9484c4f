"""Review priority, its DynamoDB sort key, and SLA deadlines, checked against hand-worked numbers."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from functions.respond.logic import SeasonRule
from functions.respond.priority import priority, priority_key, reach_factor, recency_factor, sla_due
from functions.shared.claims import Harm
from functions.shared.models import Reach, StoredPost
from functions.shared.seasons import Season
from tests.seeding import claim

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# --- priority ---------------------------------------------------------------------------------------------------------


def test_reach_factor_hand_worked() -> None:
    assert reach_factor(Reach()) == 1.0
    assert reach_factor(Reach(views=999)) == pytest.approx(4.0)  # 1 + log10(1000)
    # 810 followers / 10 = 81, 4 likes x 2 = 8, 1 share x 10 = 10 -> 99 weighted; 1 + log10(100) = 3
    assert reach_factor(Reach(followers=810, likes=4, shares=1)) == pytest.approx(3.0)
    assert reach_factor(Reach(views=999_999)) == pytest.approx(7.0)


def test_negative_reach_is_rejected() -> None:
    with pytest.raises(ValidationError, match="likes"):
        Reach(likes=-1)


def test_priority_hand_worked() -> None:
    reach = Reach(views=999)  # factor 4
    assert priority(Harm.HIGH, reach, NOW, NOW) == pytest.approx(12.0)
    assert priority(Harm.MEDIUM, reach, NOW, NOW) == pytest.approx(8.0)
    assert priority(Harm.LOW, reach, NOW, NOW) == pytest.approx(4.0)
    assert priority(Harm.MEDIUM, Reach(), NOW - timedelta(hours=24), NOW) == pytest.approx(1.0)  # 2 x 1 x 0.5
    assert priority(Harm.HIGH, reach, NOW - timedelta(hours=48), NOW) == pytest.approx(3.0)  # 3 x 4 x 0.25


def test_high_harm_beats_low_harm_at_equal_reach() -> None:
    reach = Reach(followers=5000, likes=40, shares=3, views=2000)
    assert priority(Harm.HIGH, reach, NOW, NOW) > priority(Harm.MEDIUM, reach, NOW, NOW)
    assert priority(Harm.MEDIUM, reach, NOW, NOW) > priority(Harm.LOW, reach, NOW, NOW)


def test_viral_beats_small_at_equal_harm() -> None:
    viral = Reach(followers=200_000, likes=5000, shares=1200, views=900_000)
    small = Reach(followers=80, likes=2, views=40)
    # viral: 900000 + 10 x 1200 + 2 x 5000 + 200000 / 10 = 942000 weighted -> 1 + log10(942001) = 6.974
    # small: 40 + 0 + 2 x 2 + 80 / 10 = 52 weighted -> 1 + log10(53) = 2.724
    assert reach_factor(viral) == pytest.approx(6.974, abs=1e-3)
    assert reach_factor(small) == pytest.approx(2.724, abs=1e-3)
    assert priority(Harm.LOW, viral, NOW, NOW) > priority(Harm.LOW, small, NOW, NOW)
    assert priority(Harm.MEDIUM, viral, NOW, NOW) > priority(Harm.HIGH, small, NOW, NOW)  # 13.95 > 8.17
    # Harm weighs heavily: a tiny high-harm post still outranks a viral low-harm one (8.17 > 6.97).
    assert priority(Harm.HIGH, small, NOW, NOW) > priority(Harm.LOW, viral, NOW, NOW)


def test_older_posts_decay_with_a_one_day_half_life() -> None:
    reach = Reach(views=999)
    ages = [0, 1, 6, 24, 72]
    scores = [priority(Harm.HIGH, reach, NOW - timedelta(hours=h), NOW) for h in ages]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert recency_factor(NOW - timedelta(hours=12), NOW) == pytest.approx(math.sqrt(0.5))
    assert recency_factor(NOW - timedelta(hours=72), NOW) == pytest.approx(0.125)


def test_future_timestamps_count_as_age_zero() -> None:
    assert recency_factor(NOW + timedelta(hours=5), NOW) == 1.0
    assert priority(Harm.LOW, Reach(), NOW + timedelta(days=3), NOW) == 1.0


def test_naive_datetimes_are_utc() -> None:
    naive_now = NOW.replace(tzinfo=None)
    assert recency_factor(NOW - timedelta(hours=24), naive_now) == pytest.approx(0.5)
    plus_two = timezone(timedelta(hours=2))
    assert recency_factor(datetime(2026, 11, 22, 14, 0, tzinfo=plus_two), NOW) == 1.0  # the same instant as NOW


# --- priority_key -----------------------------------------------------------------------------------------------------


def test_priority_key_format() -> None:
    assert priority_key(12.3456, "abc") == "999987654399#abc"  # 999999999999 - floor(12345600)
    assert priority_key(0.0, "a") == "999999999999#a"
    assert priority_key(-5.0, "a") == "999999999999#a"
    assert priority_key(1e13, "a") == "000000000000#a"
    assert priority_key(math.inf, "a") == "000000000000#a"
    with pytest.raises(ValueError, match="priority"):
        priority_key(math.nan, "a")


def test_priority_key_sorts_ascending_in_descending_priority() -> None:
    rng = random.Random(20261122)
    items = [(rng.uniform(0, 40), f"item-{i:04d}") for i in range(2000)]
    items += [(0.0, "zero"), (1e9, "huge"), (3.0005, "a-close"), (3.0004, "b-close"), (3.0, "exact")]
    ordered = sorted(items, key=lambda item: priority_key(*item))
    milli = [math.floor(p * 1000) for p, _ in ordered]
    assert milli == sorted(milli, reverse=True)
    assert ordered[0][1] == "huge"
    assert ordered[-1][1] == "zero"
    # Priorities that differ by a thousandth or more always sort strictly by priority.
    assert priority_key(3.001, "z") < priority_key(3.0, "a")
    # Within the same thousandth the item id decides, so the order is stable.
    assert priority_key(3.0005, "a-close") < priority_key(3.0004, "b-close")
    # Real priorities sort the same way.
    keys = [priority_key(priority(h, Reach(views=v), NOW, NOW), f"{h}-{v}") for h in Harm for v in (0, 99, 99_999)]
    assert sorted(keys)[0].endswith("#high-99999")
    assert sorted(keys)[-1].endswith("#low-0")


# --- SLA --------------------------------------------------------------------------------------------------------------


def at(hour: int, minute: int = 0, day: int = 22, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_high_harm_is_due_two_hours_after_receipt() -> None:
    assert sla_due(Harm.HIGH, at(10, 15)) == at(12, 15)
    assert sla_due(Harm.HIGH, at(23, 30)) == at(1, 30, day=23)
    assert sla_due(Harm.HIGH, at(10, 15), high_harm_hours=0.5) == at(10, 45)


@pytest.mark.parametrize("harm", [Harm.LOW, Harm.MEDIUM])
def test_standard_harm_is_due_at_end_of_the_utc_day(harm: Harm) -> None:
    end_of_today = datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC)
    end_of_tomorrow = end_of_today + timedelta(days=1)
    assert sla_due(harm, at(0, 0)) == end_of_today
    assert sla_due(harm, at(10, 0)) == end_of_today
    assert sla_due(harm, at(21, 0)) == end_of_today  # 2 h 59 m 59 s left
    assert sla_due(harm, at(22, 30)) == end_of_tomorrow  # less than the 2 h a high-harm item would get
    assert sla_due(harm, at(23, 0)) == end_of_tomorrow  # at or after the 23:00 cutoff
    assert sla_due(harm, at(23, 59)) == end_of_tomorrow
    assert sla_due(harm, at(19, 0), standard_deadline_hour=18) == end_of_tomorrow
    assert sla_due(harm, at(17, 59), standard_deadline_hour=18) == end_of_today


def test_sla_rolls_over_month_and_year_and_uses_utc() -> None:
    assert sla_due(Harm.LOW, at(23, 30, day=31, month=12)) == datetime(2027, 1, 1, 23, 59, 59, tzinfo=UTC)
    minus_five = timezone(timedelta(hours=-5))
    # 20:00 at UTC-5 on the 22nd is 01:00 UTC on the 23rd.
    assert sla_due(Harm.MEDIUM, datetime(2026, 11, 22, 20, 0, tzinfo=minus_five)) == datetime(
        2026, 11, 23, 23, 59, 59, tzinfo=UTC
    )
    assert sla_due(Harm.MEDIUM, datetime(2026, 11, 22, 10, 0)) == datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC)


def test_standard_item_is_never_due_before_a_high_harm_one() -> None:
    start = at(0, 0)
    for minutes in range(0, 48 * 60, 7):
        received = start + timedelta(minutes=minutes)
        standard = sla_due(Harm.LOW, received)
        assert standard >= sla_due(Harm.HIGH, received)
        assert standard - received <= timedelta(hours=48)
        assert standard.tzinfo is not None


def test_same_day_means_the_organisations_day() -> None:
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    # 02:00 UTC on 22 November is 21:00 the day before in New York: due at the end of the 21st there (04:59:59 UTC).
    assert sla_due(Harm.LOW, at(2, 0), zone=new_york) == datetime(2026, 11, 22, 4, 59, 59, tzinfo=UTC)
    # Summer time: 10:00 UTC on 1 July is 11:00 in London, due 23:59:59 BST = 22:59:59 UTC.
    assert sla_due(Harm.LOW, datetime(2026, 7, 1, 10, 0, tzinfo=UTC), zone=london) == datetime(
        2026, 7, 1, 22, 59, 59, tzinfo=UTC
    )
    # Posted at 23:10 local time in New York (04:10 UTC next day): past the cut-off, due the next local day.
    assert sla_due(Harm.MEDIUM, at(4, 10, day=23), zone=new_york) == datetime(2026, 11, 24, 4, 59, 59, tzinfo=UTC)


def _post(created_at: datetime, region: str | None) -> StoredPost:
    return StoredPost.model_validate(
        {
            "post_key": "x#1",
            "platform": "x",
            "post_id": "1",
            "author_handle": None,
            "text": "t",
            "url": None,
            "created_at": created_at,
            "received_at": created_at,
            "language": "en",
            "region": region,
            "reach": {},
            "discloses_own_health": False,
            "redactions": {},
            "source": "webhook",
        }
    )


def test_a_claim_in_season_where_the_post_was_made_is_boosted() -> None:
    flu = claim("flu-vaccine-gives-you-flu")
    assert flu.season == Season(north=[10, 11, 12, 1, 2, 3], south=[4, 5, 6, 7, 8, 9])
    rule = SeasonRule(hemisphere="north", boost=1.5)
    january = datetime(2027, 1, 10, 12, tzinfo=UTC)
    assert rule.factor(flu, _post(january, "GB")) == 1.5
    assert rule.factor(flu, _post(january, "AU")) == 1.0  # the post's region decides
    assert rule.factor(flu, _post(january, None)) == 1.5  # else the organisation's hemisphere
    assert SeasonRule(hemisphere="south").factor(flu, _post(january, None)) == 1.0
    assert rule.factor(claim("measles-mild-illness"), _post(january, "GB")) == 1.0  # not seasonal
    base = priority(Harm.MEDIUM, Reach(likes=10), january, january)
    assert priority(Harm.MEDIUM, Reach(likes=10), january, january, season_boost=1.5) == pytest.approx(base * 1.5)
    assert priority(Harm.MEDIUM, Reach(), january, january, True, 1.5) == pytest.approx(
        priority(Harm.MEDIUM, Reach(), january, january) * 1.5 + 100
    )
