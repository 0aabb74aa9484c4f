"""One scan of one source: cursor → connector → the webhook's ingest path → new cursor and health.

The cursor is written only after ingest has stored and queued what was fetched, so a crash in between fetches the
same items again and the ingest dedupe (platform + post id) drops them; a scan that fails records its error and
keeps the old cursor. One item that cannot be read is rejected with its reason; the rest of the scan goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from functions.ingest.connectors.base import Budget, Connector, FetchContext, FetchResult, without_secrets
from functions.ingest.logic import parse_scan_posts
from functions.shared.errors import AntidoteError
from functions.shared.models import (
    IngestItemResult,
    IngestResponse,
    ItemStatus,
    PostIn,
    SourceConfig,
    SourceRunCounts,
    SourceState,
)

Ingest = Callable[[list[PostIn]], IngestResponse]


class SourceStates(Protocol):
    def get_state(self, name: str) -> SourceState | None: ...
    def update_state(self, name: str, change: Callable[[SourceState], SourceState]) -> SourceState: ...


class ScanFailed(AntidoteError):
    """The source could not be scanned; its health records why and its cursor is unchanged."""

    status = 502
    title = "Scan failed"


@dataclass(frozen=True)
class ScanReport:
    source: str
    fetched: int  # items the connector returned, mapped or not
    skipped: int  # posts not in the source's languages or regions
    response: IngestResponse  # every item: accepted, duplicate, or rejected with its reason
    requests: int
    stopped_early: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "fetched": self.fetched,
            "skipped": self.skipped,
            "requests": self.requests,
            "stopped_early": self.stopped_early,
            **self.response.model_dump(mode="json"),
        }


def run_scan(
    source: SourceConfig,
    connector: Connector,
    states: SourceStates,
    ingest: Ingest,
    credentials: Callable[[], Mapping[str, str]],
    budget: Budget,
    now: datetime,
) -> ScanReport:
    state = states.get_state(source.name) or SourceState(name=source.name)
    try:
        fetched = connector.fetch(FetchContext(source, dict(state.cursor), credentials(), budget))
        posts, unreadable = parse_scan_posts(fetched.posts)
        wanted, skipped = keep_wanted(source, posts)
        response = _with_rejected(ingest(wanted) if wanted else _empty(), [*fetched.rejected, *unreadable])
    except Exception as exc:
        error = without_secrets(f"{type(exc).__name__}: {exc}")[:500]
        states.update_state(source.name, lambda s: record_failure(s, error, now))
        raise ScanFailed(error) from exc
    counts = SourceRunCounts(
        fetched=len(fetched.posts) + len(fetched.rejected),
        accepted=response.accepted,
        duplicates=response.duplicates,
        rejected=response.rejected,
    )
    states.update_state(source.name, lambda s: record_success(s, fetched, counts, now))
    return ScanReport(source.name, counts.fetched, skipped, response, budget.used, fetched.stopped_early)


def keep_wanted(source: SourceConfig, posts: list[PostIn]) -> tuple[list[PostIn], int]:
    """Drop posts whose declared language or region the source does not want; give a single-region source's
    region to posts that name none."""
    kept: list[PostIn] = []
    for post in posts:
        if source.languages and post.language and post.language not in source.languages:
            continue
        if source.regions and post.region and post.region not in source.regions:
            continue
        single_region = post.region is None and len(source.regions) == 1
        kept.append(post.model_copy(update={"region": source.regions[0]}) if single_region else post)
    return kept, len(posts) - len(kept)


def record_success(state: SourceState, fetched: FetchResult, counts: SourceRunCounts, now: datetime) -> SourceState:
    today = _today(state, now)
    return state.model_copy(
        update={
            "cursor": fetched.cursor,
            "last_run_at": now,
            "last_success_at": now,
            "consecutive_failures": 0,
            "last_run": counts,
            "day": now.strftime("%Y-%m-%d"),
            "today": SourceRunCounts(
                fetched=today.fetched + counts.fetched,
                accepted=today.accepted + counts.accepted,
                duplicates=today.duplicates + counts.duplicates,
                rejected=today.rejected + counts.rejected,
            ),
        }
    )


def record_failure(state: SourceState, error: str, now: datetime) -> SourceState:
    return state.model_copy(
        update={
            "last_run_at": now,
            "last_error": error,
            "last_error_at": now,
            "consecutive_failures": state.consecutive_failures + 1,
            "last_run": SourceRunCounts(),
            "day": now.strftime("%Y-%m-%d"),
            "today": _today(state, now),
        }
    )


def _today(state: SourceState, now: datetime) -> SourceRunCounts:
    return state.today if state.day == now.strftime("%Y-%m-%d") else SourceRunCounts()


def _empty() -> IngestResponse:
    return IngestResponse(accepted=0, duplicates=0, rejected=0, items=[])


def _with_rejected(response: IngestResponse, rejected: list[IngestItemResult]) -> IngestResponse:
    if not rejected:
        return response
    items = [*response.items, *rejected]
    return response.model_copy(update={"rejected": sum(i.status is ItemStatus.REJECTED for i in items), "items": items})
