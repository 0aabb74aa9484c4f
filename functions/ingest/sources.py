"""Which scan sources exist: configuration, not code.

A source (``SourceConfig``: name, connector, query, languages, regions, schedule) comes from the ``ANTIDOTE_SOURCES``
setting (JSON; a deployed stage gets it from its CDK stage configuration) or, when that is unset, from the local
``sources.toml`` (``ANTIDOTE_SOURCES_FILE``). Nothing is configured by default. The local runtime also registers
its bundled demo feed as the source ``demo`` (never in a deployed stage); registered sources run by hand and by the
demo command, not on a schedule. Every scan, whatever its source, goes through :func:`functions.ingest.scanning.
run_scan` and then the webhook's own ingest path (validation, redaction, dedupe, queueing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions.ingest.connectors import connector_for, known_connectors, register_connector
from functions.ingest.connectors.base import Connector, FetchContext, FetchResult
from functions.shared.errors import InvalidInput
from functions.shared.models import SourceConfig
from functions.shared.settings import Settings
from functions.shared.source_config import read_sources

SourceFunction = Callable[[], list[dict[str, Any]]]
_REGISTERED: dict[str, SourceConfig] = {}


class FunctionConnector:
    """A source backed by a plain function returning posts (the demo feed): no cursor, no platform."""

    def __init__(self, function: SourceFunction) -> None:
        self.function = function

    def fetch(self, context: FetchContext) -> FetchResult:
        return FetchResult(posts=self.function(), cursor=context.cursor)


def register(name: str, source: SourceFunction) -> None:
    """Register a function as the source ``name``, with a connector of the same name; run by hand, never scheduled."""
    register_connector(name, FunctionConnector(source))
    _REGISTERED[name] = SourceConfig(name=name, connector=name, enabled=False)


def configured_sources(settings: Settings) -> dict[str, SourceConfig]:
    """Every source by name: the configured ones, then those the local runtime registered."""
    configured = {source.name: source for source in read_sources(settings)}
    return {**_REGISTERED, **configured}


def find_source(settings: Settings, name: str) -> tuple[SourceConfig, Connector]:
    sources = configured_sources(settings)
    source = sources.get(name)
    if source is None:
        known = ", ".join(sorted(sources)) or "none configured"
        raise InvalidInput(f"unknown scan source '{name}'; known: {known}")
    connector = connector_for(source.connector)
    if connector is None:
        raise InvalidInput(
            f"source '{name}' names unknown connector '{source.connector}'; known: {', '.join(known_connectors())}"
        )
    return source, connector
