"""Seasonal claims: the months a claim matters in each hemisphere, whether a day is in season, and when the next
season starts.

A claim's ``season`` lists months (1–12) per hemisphere; they may wrap the year (``[11, 12, 1, 2]``). Which
hemisphere applies to a post comes from its region (an ISO country code; the countries listed below lie wholly or
mostly south of the equator), else from the organisation's setting (``ANTIDOTE_HEMISPHERE``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Hemisphere = Literal["north", "south"]
HEMISPHERES: tuple[Hemisphere, ...] = ("north", "south")
Month = Annotated[int, Field(ge=1, le=12)]

# Countries wholly or mostly in the southern hemisphere (ISO 3166-1 alpha-2); a country astride the equator is placed
# where most of its people live (Brazil and Indonesia south; Colombia, Ecuador, Kenya and Uganda north).
SOUTHERN_REGIONS = frozenset(
    {
        # Oceania
        "AU", "NZ", "FJ", "PG", "SB", "VU", "NC", "WS", "TO", "CK", "NU", "PF", "TV",
        # South America
        "AR", "BO", "BR", "CL", "PE", "PY", "UY",
        # Africa
        "AO", "BW", "BI", "KM", "CD", "LS", "MG", "MW", "MU", "MZ", "NA", "RW", "SC", "ZA", "SZ", "TZ", "ZM", "ZW",
        # Asia
        "ID", "TL",
    }
)  # fmt: skip


class Season(BaseModel):
    """When a claim matters: months per hemisphere (an empty list: not seasonal there)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    north: list[Month] = Field(default_factory=list)
    south: list[Month] = Field(default_factory=list)

    @field_validator("north", "south", mode="after")
    @classmethod
    def _distinct(cls, months: list[int]) -> list[int]:
        if len(set(months)) != len(months):
            raise ValueError("a month is listed twice")
        if len(months) == 12:
            raise ValueError("all twelve months is not a season: leave the season out")
        return months

    @model_validator(mode="after")
    def _some_months(self) -> Season:
        if not self.north and not self.south:
            raise ValueError("a season needs months in at least one hemisphere")
        return self

    def months(self, hemisphere: Hemisphere) -> list[int]:
        return self.north if hemisphere == "north" else self.south


def hemisphere_for(region: str | None, default: Hemisphere) -> Hemisphere:
    """The post's hemisphere from its region code, else the organisation's."""
    if not region:
        return default
    return "south" if region.upper() in SOUTHERN_REGIONS else "north"


def in_season(season: Season | None, hemisphere: Hemisphere, day: date) -> bool:
    return season is not None and day.month in season.months(hemisphere)


def season_starts(months: list[int]) -> list[int]:
    """The months that open a run of season months (the month before is not in season), across the year's end."""
    chosen = set(months)
    return sorted(m for m in chosen if (m - 2) % 12 + 1 not in chosen)


def next_start(season: Season | None, hemisphere: Hemisphere, day: date) -> date | None:
    """The first day of the next month that opens a season, after ``day``; None when not seasonal there.

    A claim already in season has its next start after the current run ends; "coming up" lists only claims not in
    season today whose next start falls within the window.
    """
    if season is None:
        return None
    starts = season_starts(season.months(hemisphere))
    if not starts:
        return None
    candidates = [date(day.year + (m <= day.month), m, 1) for m in starts]
    return min(candidates)


def entering_within(season: Season | None, hemisphere: Hemisphere, day: date, days: int) -> date | None:
    """When the claim's season starts, if it is out of season on ``day`` and starts within ``days`` days."""
    if in_season(season, hemisphere, day):
        return None
    start = next_start(season, hemisphere, day)
    if start is None or (start - day).days > days:
        return None
    return start
