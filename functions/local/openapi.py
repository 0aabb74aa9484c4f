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
    _add_webhooks(merged)
    for section in merged.get("components", {}):
        merged["components"][section] = dict(sorted(merged["components"][section].items()))
    return merged


SIGNATURE_HELP = (
    "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.' + the raw body, keyed with the secret answered when the webhook "
    "was registered>. Recompute it over the bytes received, compare in constant time, refuse a t more than five "
    "minutes from your clock."
)


def _add_webhooks(merged: dict[str, Any]) -> None:
    """OpenAPI 3.1 ``webhooks``: what Antidote sends a partner's registered URL (partner notifications)."""
    from functions.shared.models import PartnerClaimAddedDelivery

    schema = PartnerClaimAddedDelivery.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(schema.pop("$defs", {}))
    schemas["PartnerClaimAddedDelivery"] = schema
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    headers = [
        ("Antidote-Signature", SIGNATURE_HELP),
        ("Antidote-Event", "The event type: partner.claim_added."),
        ("Antidote-Delivery", "The delivery id, the same on every retry: de-duplicate on it."),
    ]
    merged["webhooks"] = {
        "partner.claim_added": {
            "post": {
                "summary": "The knowledge base gained a claim that matches texts you checked earlier",
                "description": "Sent to the URL registered for your key (PUT /v1/keys/{key_id}/webhook) once per new "
                "claim, listing your earlier claim checks (none or review, kept redacted for 30 days) that it now "
                "matches, with the claim's correction and sources; never twice for the same (text, claim). Retried "
                "on network errors, 5xx and 429 (Retry-After honoured), not on other 4xx. Answer 2xx quickly.",
                "parameters": [
                    {"name": name, "in": "header", "required": True, "description": text, "schema": {"type": "string"}}
                    for name, text in headers
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PartnerClaimAddedDelivery"}}
                    },
                },
                "responses": {"2XX": {"description": "Received; anything else is retried or given up as above."}},
            }
        }
    }


def render() -> str:
    return json.dumps(merged_schema(), indent=2, sort_keys=False) + "\n"
