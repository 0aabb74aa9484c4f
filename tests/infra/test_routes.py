"""Every operation the OpenAPI document promises is deployed as an API Gateway route, and nothing else is."""

from __future__ import annotations

import json
from pathlib import Path

from infra.api import ROUTES

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.json"
# Served by the respond function for people, not part of the documented API.
UNDOCUMENTED = {("GET", "/"), ("GET", "/console/{proxy+}"), ("GET", "/swagger")}


def test_every_documented_operation_is_a_deployed_route() -> None:
    document = json.loads(OPENAPI.read_text("utf-8"))
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    deployed = {(route.method, route.path) for route in ROUTES}
    assert documented - deployed == set(), "documented but not deployed"
    assert deployed - documented == UNDOCUMENTED, "deployed but not documented"
