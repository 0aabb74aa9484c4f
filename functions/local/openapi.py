"""One OpenAPI document for the whole service: the three functions' schemas merged (each Lambda also serves its own
at /swagger). ``antidote openapi`` writes it to ``openapi.json``; a test keeps the committed file in sync."""

from __future__ import annotations

import json
from typing import Any


def merged_schema() -> dict[str, Any]:
    from functions.ingest.handler import app as ingest
    from functions.match.handler import app as match
    from functions.respond.handler import app as respond
    from functions.shared.api import SECURITY_SCHEMES

    merged: dict[str, Any] = {}
    for app in (ingest, match, respond):
        schema = json.loads(
            app.get_openapi_json_schema(title="Antidote API", version="1.0.0", security_schemes=SECURITY_SCHEMES)
        )
        if not merged:
            merged = schema
            merged["info"] = {
                "title": "Antidote API",
                "version": "1.0.0",
                "description": "Ingest webhook (x-api-key, scope ingest), partners' claim-check API (x-api-key, "
                "scope check) and the educators' review API (Bearer token). Errors are application/problem+json.",
            }
            continue
        merged.setdefault("paths", {}).update(schema.get("paths", {}))
        for section, values in schema.get("components", {}).items():
            merged.setdefault("components", {}).setdefault(section, {}).update(values)
    merged["paths"] = dict(sorted(merged.get("paths", {}).items()))
    for section in merged.get("components", {}):
        merged["components"][section] = dict(sorted(merged["components"][section].items()))
    return merged


def render() -> str:
    return json.dumps(merged_schema(), indent=2, sort_keys=False) + "\n"
