"""The "coming up" view: seasonal claims entering their season in the next weeks (so educators can prepare replies
before the questions arrive), and those in season now (their review items are boosted)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from functions.shared.claims import Claim
from functions.shared.models import ComingUp, SeasonalClaim
from functions.shared.seasons import Hemisphere, entering_within, in_season


def coming_up(claims: Iterable[Claim], hemisphere: Hemisphere, today: date, weeks: int) -> ComingUp:
    window = weeks * 7
    entering: list[SeasonalClaim] = []
    now: list[SeasonalClaim] = []
    for claim in claims:
        if claim.season is None:
            continue
        months = claim.season.months(hemisphere)
        if in_season(claim.season, hemisphere, today):
            now.append(_seasonal(claim, months, None))
            continue
        starts = entering_within(claim.season, hemisphere, today, window)
        if starts is not None:
            entering.append(_seasonal(claim, months, starts))
    entering.sort(key=lambda c: (c.starts_on or today, c.topic, c.claim_id))
    now.sort(key=lambda c: (c.topic, c.claim_id))
    return ComingUp(
        hemisphere=hemisphere,
        today=today,
        until=today + timedelta(days=window),
        entering=entering,
        in_season=now,
    )


def _seasonal(claim: Claim, months: list[int], starts_on: date | None) -> SeasonalClaim:
    return SeasonalClaim(
        claim_id=claim.id,
        statement=claim.statement,
        topic=claim.topic,
        verdict=claim.verdict.value,
        harm=claim.harm.value,
        months=sorted(months),
        starts_on=starts_on,
    )
