"""The local stand-in for the detector's hourly schedule: when it runs next, and what it delivers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions.local.scheduler import HourlyDetector, detector_event


def test_the_detector_runs_at_five_past_the_next_hour() -> None:
    at = datetime(2026, 11, 29, 14, 3, 30, tzinfo=UTC)
    assert HourlyDetector(lambda name, event: {}, clock=lambda: at).seconds_to_next_run() == 90
    after = datetime(2026, 11, 29, 14, 5, 0, tzinfo=UTC)
    assert HourlyDetector(lambda name, event: {}, clock=lambda: after).seconds_to_next_run() == 3600


def test_a_run_invokes_the_alerts_function_and_a_failure_is_kept_not_raised() -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(name: str, event: dict[str, Any]) -> dict[str, Any]:
        calls.append((name, event))
        return {"raised": []}

    detector = HourlyDetector(invoke)
    detector.run()
    assert calls[0][0] == "alerts"
    assert calls[0][1]["detail"] == {}  # the hour just over
    assert detector.last == {"raised": []}

    def broken(name: str, event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("database down")

    failing = HourlyDetector(broken)
    failing.run()
    assert failing.last == {"error": "RuntimeError: database down"}


def test_a_named_hour_is_asked_for_explicitly() -> None:
    assert detector_event(datetime(2026, 11, 29, 14, tzinfo=UTC))["detail"] == {"hour": "2026-11-29T14"}
