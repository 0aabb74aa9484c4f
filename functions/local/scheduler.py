"""``antidote serve``'s stand-in for EventBridge Scheduler: each configured, enabled source is scanned when the
service starts and then every ``every_minutes``, by delivering the same scan event a schedule delivers in AWS to
the ingest function. Sources run one after another on one thread; a source that fails is logged and rescheduled,
and never keeps the others from running. The information voids are clustered the same way, on a thread of their
own: at start, then every ``ANTIDOTE_VOIDS_EVERY_MINUTES``, by the event their schedule delivers to respond.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from functions.shared.models import SourceConfig

log = logging.getLogger("antidote.scheduler")
Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]


def scan_event(source_name: str) -> dict[str, Any]:
    """The event a source's schedule delivers (as infra/schedules.py builds it): a name, no posts."""
    return {
        "version": "0",
        "id": f"scan-{source_name}-{datetime.now(UTC):%Y%m%d%H%M%S%f}",
        "detail-type": "Scheduled scan",
        "source": "antidote.scan",
        "time": datetime.now(UTC).isoformat(),
        "detail": {"source_name": source_name, "posts": []},
    }


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
    return {
        "version": "0",
        "id": f"voids-{datetime.now(UTC):%Y%m%d%H%M%S%f}",
        "detail-type": "Scheduled voids clustering",
        "source": "antidote.voids",
        "time": datetime.now(UTC).isoformat(),
        "detail": {},
    }


class VoidsScheduler:
    """Clusters the kept health posts into voids when the service starts and then every ``every_minutes``, by
    delivering the schedule's event to respond. A failed run is logged and the next one runs on time."""

    def __init__(self, invoke: Invoke, every_minutes: int) -> None:
        self.invoke = invoke
        self.every_seconds = every_minutes * 60
        self.last: dict[str, Any] | None = None
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> dict[str, Any]:
        try:
            self.last = self.invoke("respond", voids_event())
        except Exception as exc:  # a failed run must not stop the schedule
            log.exception("voids clustering failed")
            self.last = {"error": f"{type(exc).__name__}: {exc}"}
        self.runs += 1
        return self.last

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="antidote-voids-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run()
            self._stop.wait(self.every_seconds)


@contextmanager
def scheduled_voids(service: Any) -> Iterator[VoidsScheduler]:
    """Cluster the voids on their schedule while ``service`` (a LocalService) runs."""
    from functions.shared.settings import get_settings

    scheduler = VoidsScheduler(service.functions.invoke, get_settings().voids_every_minutes)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.stop()
