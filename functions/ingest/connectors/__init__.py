"""Scan connectors, registered by name; each lives in its own module and imports its platform SDK lazily."""

from __future__ import annotations

import importlib

from functions.ingest.connectors.base import Connector

# name -> the module whose CONNECTOR is the connector; imported on first use, so no SDK loads with the handler.
BUILT_IN: dict[str, str] = {
    "rss": "functions.ingest.connectors.rss",
    "mastodon": "functions.ingest.connectors.mastodon",
    "bluesky": "functions.ingest.connectors.bluesky",
    "reddit": "functions.ingest.connectors.reddit",
    "youtube": "functions.ingest.connectors.youtube",
}
_EXTRA: dict[str, Connector] = {}


def register_connector(name: str, connector: Connector) -> None:
    """Add a connector that is not built in (the local runtime's demo feed)."""
    _EXTRA[name] = connector


def known_connectors() -> list[str]:
    return sorted({*BUILT_IN, *_EXTRA})


def connector_for(name: str) -> Connector | None:
    if name in _EXTRA:
        return _EXTRA[name]
    module = BUILT_IN.get(name)
    if module is None:
        return None
    connector: Connector = importlib.import_module(module).CONNECTOR
    return connector
