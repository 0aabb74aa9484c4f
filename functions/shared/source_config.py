"""Reading the configured scan sources (``ANTIDOTE_SOURCES`` JSON, else the local ``sources.toml``).

Shared because ingest scans them and respond reports their health; which connector runs a source is ingest's
business (``functions/ingest/sources.py``).
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from pydantic import TypeAdapter, ValidationError

from functions.shared.errors import InvalidInput
from functions.shared.models import SourceConfig
from functions.shared.settings import Settings

_SOURCE_LIST = TypeAdapter(list[SourceConfig])


def read_sources(settings: Settings) -> list[SourceConfig]:
    """The configured sources; a mistake names the file (or setting) and the field."""
    if settings.sources:
        origin = "ANTIDOTE_SOURCES"
        try:
            raw: Any = json.loads(settings.sources)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"ANTIDOTE_SOURCES is not JSON: {exc}") from exc
    elif settings.sources_file.is_file():
        origin = str(settings.sources_file)
        try:
            raw = tomllib.loads(settings.sources_file.read_text("utf-8")).get("sources", [])
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput(f"cannot read {origin}: {exc}") from exc
    else:
        return []
    try:
        sources = _SOURCE_LIST.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"{origin}: sources.{where}: {first['msg']}") from exc
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise InvalidInput(f"{origin}: a source name is used twice")
    return sources
