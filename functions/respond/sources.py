"""``GET /v1/sources``: each scan source's configuration and health, for educators (what is being watched, and
whether it is working)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from functions.shared.models import SourceConfig, SourceHealth, SourceRunCounts, SourcesResponse, SourceState

QUERY_PARTS = ("keywords", "hashtags", "feeds", "subreddits", "instances")


def source_health(config: SourceConfig | None, state: SourceState) -> SourceHealth:
    """One source's view; ``config`` is None for a source that only the local runtime registered."""
    if state.consecutive_failures:
        status = "failing"
    elif state.last_success_at is not None:
        status = "ok"
    else:
        status = "never run"
    query = {part: list(getattr(config.query, part)) for part in QUERY_PARTS if config and getattr(config.query, part)}
    return SourceHealth(
        name=state.name,
        connector=config.connector if config else state.name,
        enabled=config.enabled if config else False,
        every_minutes=config.every_minutes if config else 0,
        languages=list(config.languages) if config else [],
        regions=list(config.regions) if config else [],
        query=query,
        status=status,
        last_run_at=state.last_run_at,
        last_success_at=state.last_success_at,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
        consecutive_failures=state.consecutive_failures,
        last_run=state.last_run if state.day else SourceRunCounts(),
        today=state.today,
    )


def sources_view(configured: Iterable[SourceConfig], states: Mapping[str, SourceState]) -> SourcesResponse:
    """Configured sources first (in configuration order), then any other source that has run (locally: the demo)."""
    configs = {c.name: c for c in configured}
    names = [*configs, *sorted(set(states) - set(configs))]
    return SourcesResponse(
        sources=[source_health(configs.get(name), states.get(name) or SourceState(name=name)) for name in names]
    )
