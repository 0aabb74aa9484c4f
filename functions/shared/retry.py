"""Retry timing shared by everything that calls another service over HTTP (scan connectors, webhook delivery):
``Retry-After`` as the other side wrote it, and exponential backoff with jitter so retries do not arrive in step."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(attempt: int, base: float, random_fraction: Callable[[], float] = random.random) -> float:
    """The wait before retry number ``attempt + 1``: ``base`` doubled per attempt, scaled by a random factor in
    [0.5, 1) ("equal jitter"), so a crowd of failed callers spreads out instead of retrying together."""
    return float(base * 2**attempt * (0.5 + random_fraction() / 2))
