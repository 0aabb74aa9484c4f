"""Which suggested reply an educator should see first, and by when it is due.

priority = harm.weight × reach_factor × recency_factor

* harm.weight: low 1, medium 2, high 3 (from the knowledge base), so a dangerous myth outranks a harmless one.
* reach_factor = 1 + log10(1 + views + 10·shares + 2·likes + followers/10). A share puts the post in front of a new
  audience, so it weighs most; a like is weaker; followers are potential rather than actual reach, so they count a
  tenth. The logarithm keeps one viral post from drowning everything else: each tenfold increase in weighted
  reach adds 1, so a post with no reach has factor 1 and one with a million weighted views has about 7.
* recency_factor = 0.5 ** (age_hours / 24): half-life one day, since a reply to an old post reaches few people.
  A created_at in the future (clock skew) counts as age 0.

A claim in season where the post was made (``functions/shared/seasons.py``: flu in winter, heat illness in summer)
has the product multiplied by the season boost (``ANTIDOTE_SEASON_BOOST``, 1.5): the same post matters more when
the claim is topical and people act on it.

A disclosure that signals risk (the author stops a prescribed medicine or refuses treatment) goes before everything
else: ``HIGHEST_PRIORITY`` is added to its priority, more than any ordinary item reaches.

Naive datetimes are taken to be UTC throughout.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from functions.shared.claims import Harm
from functions.shared.models import Reach

RECENCY_HALF_LIFE_HOURS = 24.0
HIGHEST_PRIORITY = 100.0  # added for a risky disclosure; ordinary priorities stay well below it
PRIORITY_KEY_SCALE = 1_000_000  # the key resolves priorities to a millionth (stored priorities are rounded to 6 places)
PRIORITY_KEY_DIGITS = 12
_PRIORITY_KEY_MAX = 10**PRIORITY_KEY_DIGITS - 1


def reach_factor(reach: Reach) -> float:
    """1 + log10(1 + views + 10·shares + 2·likes + followers/10): a share spreads a post further than a view."""
    weighted = reach.views + 10 * reach.shares + 2 * reach.likes + reach.followers / 10
    return 1.0 + math.log10(1.0 + weighted)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def recency_factor(created_at: datetime, now: datetime) -> float:
    age_hours = max(0.0, (_utc(now) - _utc(created_at)).total_seconds() / 3600)
    return float(0.5 ** (age_hours / RECENCY_HALF_LIFE_HOURS))


def priority(
    harm: Harm, reach: Reach, created_at: datetime, now: datetime, highest: bool = False, season_boost: float = 1.0
) -> float:
    """How urgently a reply is needed; higher first. Always > 0 and, in practice, well below 100 — unless
    ``highest`` (a risky disclosure), which adds ``HIGHEST_PRIORITY``. ``season_boost`` multiplies the ordinary part
    for a claim in season."""
    ordinary = harm.weight * reach_factor(reach) * recency_factor(created_at, now) * season_boost
    return ordinary + (HIGHEST_PRIORITY if highest else 0.0)


def sla_due(
    harm: Harm,
    posted_at: datetime,
    high_harm_hours: float = 2,
    standard_deadline_hour: int = 23,
    zone: tzinfo = UTC,
) -> datetime:
    """When a review item must be handled by, in UTC; the clock starts when the post was made (a reply to an old
    post is late already), not when Antidote saw it.

    High harm: ``posted_at + high_harm_hours``. Otherwise: 23:59:59 in the organisation's time zone ``zone`` on the
    day of the post there, rolled to 23:59:59 the next day when it was posted at or after
    ``standard_deadline_hour``:00 local time, or when that end of day would come before the high-harm deadline of
    an item posted at the same moment (so a standard item is never due sooner than a high-harm one). With the
    defaults: posted 10:00 → 23:59:59 same day; posted 22:30 or 23:15 → 23:59:59 next day.
    """
    posted = _utc(posted_at)
    if harm is Harm.HIGH:
        return posted + timedelta(hours=high_harm_hours)
    local = posted.astimezone(zone)
    day = local.date()
    if local.hour >= standard_deadline_hour or _end_of(day, zone) < posted + timedelta(hours=high_harm_hours):
        day += timedelta(days=1)
    return _end_of(day, zone)


def _end_of(day: date, zone: tzinfo) -> datetime:
    """23:59:59 on ``day`` in ``zone``, in UTC (a wall-clock time, so daylight saving changes are respected)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(UTC)


def priority_key(priority: float, item_id: str) -> str:
    """A sort key that sorts ASCENDING in order of DESCENDING priority (the reviews table's GSI sort key).

    Fixed-width digits of (10**12 - 1 - millionths of priority), clamped to [0, 10**12 - 1], then ``#item_id`` so
    equal priorities stay distinct and stable. Priorities closer than a millionth tie; the item id breaks it.
    """
    if math.isnan(priority):
        raise ValueError("priority must be a number")
    milli = min(max(priority, 0.0) * PRIORITY_KEY_SCALE, float(_PRIORITY_KEY_MAX))
    return f"{_PRIORITY_KEY_MAX - math.floor(milli):0{PRIORITY_KEY_DIGITS}d}#{item_id}"
