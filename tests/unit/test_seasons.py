"""Season logic: months that wrap the year, hemispheres from the post's region or the organisation's setting, and
which claims enter their season within a window."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from functions.shared.seasons import Season, entering_within, hemisphere_for, in_season, next_start, season_starts

FLU = Season(north=[10, 11, 12, 1, 2, 3], south=[5, 6, 7, 8, 9])
SUNSCREEN = Season(north=[5, 6, 7, 8], south=[11, 12, 1, 2])


@pytest.mark.parametrize(
    ("day", "hemisphere", "expected"),
    [
        (date(2026, 1, 15), "north", True),  # wraps the year: January is in an October-March season
        (date(2026, 12, 31), "north", True),
        (date(2026, 4, 1), "north", False),
        (date(2026, 1, 15), "south", False),
        (date(2026, 7, 1), "south", True),
    ],
)
def test_in_season_by_month_and_hemisphere(day: date, hemisphere: str, expected: bool) -> None:
    assert in_season(FLU, hemisphere, day) is expected  # type: ignore[arg-type]


def test_a_claim_without_a_season_is_never_in_season() -> None:
    assert not in_season(None, "north", date(2026, 1, 1))
    assert next_start(None, "north", date(2026, 1, 1)) is None


def test_season_starts_across_the_year_end() -> None:
    assert season_starts([11, 12, 1, 2]) == [11]
    assert season_starts([1, 2, 6, 7, 12]) == [6, 12]  # two runs; December opens the one that wraps into January
    assert season_starts([3]) == [3]


def test_next_start_is_after_today_and_wraps_into_next_year() -> None:
    assert next_start(SUNSCREEN, "south", date(2026, 10, 10)) == date(2026, 11, 1)
    assert next_start(SUNSCREEN, "south", date(2026, 11, 1)) == date(2027, 11, 1)  # the current run already began
    assert next_start(FLU, "north", date(2026, 12, 5)) == date(2027, 10, 1)


def test_entering_within_lists_only_claims_out_of_season_that_start_in_the_window() -> None:
    assert entering_within(SUNSCREEN, "north", date(2026, 4, 10), days=42) == date(2026, 5, 1)
    assert entering_within(SUNSCREEN, "north", date(2026, 3, 1), days=42) is None  # two months away
    assert entering_within(SUNSCREEN, "north", date(2026, 6, 1), days=42) is None  # already in season
    assert entering_within(SUNSCREEN, "south", date(2026, 10, 20), days=14) == date(2026, 11, 1)
    assert entering_within(FLU, "north", date(2026, 9, 20), days=14) == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("region", "default", "expected"),
    [("AU", "north", "south"), ("gb", "south", "north"), ("BR", "north", "south"), (None, "south", "south")],
)
def test_hemisphere_from_region_else_the_organisation(region: str | None, default: str, expected: str) -> None:
    assert hemisphere_for(region, default) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ({"north": [13]}, "less than or equal to 12"),
        ({"north": [0]}, "greater than or equal to 1"),
        ({"north": [1, 1]}, "listed twice"),
        ({"north": list(range(1, 13))}, "all twelve months"),
        ({}, "at least one hemisphere"),
        ({"north": [1], "east": [2]}, "Extra inputs"),
    ],
)
def test_bad_seasons_are_refused(months: dict[str, list[int]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Season.model_validate(months)
