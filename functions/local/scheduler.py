"""``antidote serve``'s stand-in for EventBridge Scheduler: each configured, enabled source is scanned when the
service starts and then every ``every_minutes``, by delivering the same scan event a schedule delivers in AWS to
the ingest function. Sources run one after another on one thread; a source that fails is logged and rescheduled,
and never keeps the others from running. The information voids are clustered the same way, on a thread of their
own: at start, then every ``ANTIDOTE_VOIDS_EVERY_MINUTES``, by the event their schedule delivers to respond;
partner notifications likewise (to match), and the alerts detector a few minutes past every hour.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.shared.models import SourceConfig

log = logging.getLogger("antidote.scheduler")
Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]


def scheduled_event(id_prefix: str, detail_type: str, source: str, detail: dict[str, Any]) -> dict[str, Any]:
    """An event shaped as EventBridge Scheduler delivers it."""
    now = datetime.now(UTC)
    return {
        "version": "0",
        "id": f"{id_prefix}-{now:%Y%m%d%H%M%S%f}",
        "detail-type": detail_type,
        "source": source,
        "time": now.isoformat(),
        "detail": detail,
    }


def scan_event(source_name: str) -> dict[str, Any]:
    """The event a source's schedule delivers (as infra/schedules.py builds it): a name, no posts."""
    return scheduled_event(
        f"scan-{source_name}", "Scheduled scan", "antidote.scan", {"source_name": source_name, "posts": []}
    )


class SourceScheduler:
    def __init__(
        self,
        invoke: Invoke,
        sources: list[SourceConfig],
        after_scan: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.invoke = invoke
        self.sources = [s for s in sources if s.enabled]
        self.after_scan = after_scan
        self.clock = clock
        self.results: dict[str, dict[str, Any]] = {}  # each source's last result (an error, or the scan report)
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._due = dict.fromkeys((s.name for s in self.sources), clock())

    def run_due(self) -> float:
        """Scan every source that is due; return the seconds until the next one is."""
        for source in self.sources:
            if self._stop.is_set() or self._due[source.name] > self.clock():
                continue
            self.results[source.name] = self.run(source.name)
            self._due[source.name] = self.clock() + source.every_minutes * 60
        self.runs += 1
        return max(0.0, min(self._due.values(), default=self.clock() + 3600) - self.clock())

    def run(self, name: str) -> dict[str, Any]:
        try:
            result = self.invoke("ingest", scan_event(name))
        except Exception as exc:  # one source's fault must not stop the schedule
            log.exception("scan of %s failed", name)
            result = {"source": name, "error": f"{type(exc).__name__}: {exc}"}
        self.after_scan()
        return result

    def start(self) -> None:
        if not self.sources:
            return
        self._thread = threading.Thread(target=self._loop, name="antidote-scan-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _loop(self) -> None:
        while not self._stop.is_set():
            wait = self.run_due()
            self._stop.wait(wait)


@contextmanager
def scheduled_scans(service: Any) -> Iterator[SourceScheduler]:
    """Scan the configured sources on their schedules while ``service`` (a LocalService) runs."""
    from functions.ingest.sources import configured_sources
    from functions.shared.settings import get_settings

    sources = list(configured_sources(get_settings()).values())
    scheduler = SourceScheduler(service.functions.invoke, sources, after_scan=service.notify)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.stop()


def voids_event() -> dict[str, Any]:
    """What the voids schedule delivers to respond (as infra/schedules.py builds it)."""
    return scheduled_event("voids", "Scheduled voids clustering", "antidote.voids", {})


def notify_event() -> dict[str, Any]:
    """The event the partner-notification schedule delivers to the match function (infra/schedules.py)."""
    return scheduled_event("notify", "Partner notifications", "antidote.notify", {})


class PeriodicJob:
    """One event delivered to one function at start and then every ``every_seconds``, on its own thread; a failed
    run is logged and the next one happens on time."""

    def __init__(self, invoke: Invoke, function: str, event: Callable[[], dict[str, Any]], every_seconds: float):
        self.invoke = invoke
        self.function = function
        self.event = event
        self.every_seconds = every_seconds
        self.results: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"antidote-{function}-job", daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.results.append(self.invoke(self.function, self.event()))
            except Exception:
                log.exception("scheduled %s run failed", self.function)
            self._stop.wait(self.every_seconds)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def __enter__(self) -> PeriodicJob:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def partner_notifications(service: Any) -> PeriodicJob:
    """Partner notifications while ``service`` runs: at start (a knowledge base rebuilt before this start is
    noticed at once) and every ``partner_notify_minutes``, as EventBridge Scheduler does in AWS."""
    from functions.shared.settings import get_settings

    return PeriodicJob(service.functions.invoke, "match", notify_event, get_settings().partner_notify_minutes * 60)


def scheduled_voids(service: Any) -> PeriodicJob:
    """Cluster the voids at start and then every ``voids_every_minutes`` while ``service`` (a LocalService) runs."""
    from functions.shared.settings import get_settings

    return PeriodicJob(service.functions.invoke, "respond", voids_event, get_settings().voids_every_minutes * 60)


def detector_event(hour: datetime | None = None) -> dict[str, Any]:
    """The event the detector's hourly schedule delivers (infra/schedules.py); ``hour`` asks for one hour."""
    detail = {"hour": f"{hour:%Y-%m-%dT%H}"} if hour else {}
    return scheduled_event("alerts", "Scheduled Event", "aws.events", detail)


class HourlyDetector:
    """Runs the alerts detector a few minutes past every hour (for the hour just over), as EventBridge does."""

    def __init__(self, invoke: Invoke, minute: int = 5, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.invoke = invoke
        self.minute = minute
        self.clock = clock
        self.last: dict[str, Any] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def seconds_to_next_run(self) -> float:
        now = self.clock()
        due = now.replace(minute=self.minute, second=0, microsecond=0)
        if due <= now:
            due += timedelta(hours=1)
        return (due - now).total_seconds()

    def run(self) -> None:
        try:
            self.last = self.invoke("alerts", detector_event())
        except Exception as exc:  # a failed run is logged; the next hour's runs as usual
            log.exception("alert detection failed")
            self.last = {"error": f"{type(exc).__name__}: {exc}"}

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds_to_next_run()):
            self.run()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="antidote-alert-detector", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)


@contextmanager
def scheduled_detector(service: Any) -> Iterator[HourlyDetector]:
    """Run the alerts detector every hour while ``service`` (a LocalService) runs."""
    detector = HourlyDetector(service.functions.invoke)
    detector.start()
    try:
        yield detector
    finally:
        detector.stop()
