"""Where scheduled scans pull posts from when the event does not carry them.

A source is a name in the scan event (``detail.source_name``) mapped to a function returning raw post dicts in
the webhook's shape. Nothing is registered by default: a deployed stage scans only the sources configured for
it, and the local runtime registers its bundled demo feed at start. The scan path (validation, redaction,
dedupe, queueing) stays the one the webhook uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions.shared.errors import InvalidInput

Source = Callable[[], list[dict[str, Any]]]

SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    SOURCES[name] = source


def fetch(source_name: str) -> list[dict[str, Any]]:
    source = SOURCES.get(source_name)
    if source is None:
        known = ", ".join(sorted(SOURCES)) or "none registered"
        raise InvalidInput(f"unknown scan source '{source_name}'; known: {known}")
    return source()
