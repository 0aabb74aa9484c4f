"""Playing recorded platform responses (tests/data/cassettes: each API's documented response shape, written from
its reference, not recorded live). Requests to 127.0.0.1 pass through (DynamoDB Local, local servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import vcr

CASSETTES = Path(__file__).resolve().parent / "data" / "cassettes"


def query_subset(actual: Any, recorded: Any) -> None:
    """A recorded response answers only a request that sent at least the query parameters recorded with it."""
    missing = set(recorded.query) - set(actual.query)
    assert not missing, f"{actual.uri} lacks {sorted(missing)}"


def platform() -> vcr.VCR:
    """Plays cassettes, never records; a request no recorded response answers fails the test."""
    recorder = vcr.VCR(record_mode="none", ignore_localhost=True)
    recorder.register_matcher("query_subset", query_subset)
    recorder.match_on = ("method", "host", "path", "query_subset")
    return recorder


def cassette(name: str) -> str:
    return str(CASSETTES / f"{name}.yaml")
