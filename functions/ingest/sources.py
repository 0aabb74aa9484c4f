"""Where scheduled scans pull posts from when the event does not carry them.

A source is a name in the scan event (``detail.source_name``) mapped to a function returning raw post dicts in
the webhook's shape. Only the bundled demo feed ships; a real platform connector registers itself here, so the
scan path (validation, redaction, dedupe, queueing) stays the one the webhook uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from functions.shared.errors import InvalidInput

Source = Callable[[], list[dict[str, Any]]]


def _demo_feed() -> list[dict[str, Any]]:
    from functions.local.demo import load_demo_posts, shift_to_now

    return shift_to_now(load_demo_posts(), datetime.now(UTC))


SOURCES: dict[str, Source] = {"demo": _demo_feed}


def fetch(source_name: str) -> list[dict[str, Any]]:
    source = SOURCES.get(source_name)
    if source is None:
        raise InvalidInput(f"unknown scan source '{source_name}'; known: {', '.join(sorted(SOURCES))}")
    return source()
