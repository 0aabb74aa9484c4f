"""The shared API layer's error boundary and transport checks, on a resolver of their own (no AWS, no network)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import EndpointConnectionError
from pynamodb.exceptions import GetError

from functions.shared.api import build_resolver, json_depth, resolve


def event(method: str, path: str, body: str | None = None, content_type: str = "application/json") -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": content_type},
        "multiValueHeaders": {"Content-Type": [content_type]},
        "queryStringParameters": None,
        "requestContext": {"requestId": "req-123", "path": path, "httpMethod": method},
        "body": body,
        "isBase64Encoded": False,
    }


def app_that_raises(error: Exception) -> Any:
    app = build_resolver("test", "test")

    @app.get("/boom")
    def boom() -> dict[str, str]:
        raise error

    return app


def headers(result: dict[str, Any]) -> dict[str, str]:
    merged = dict(result.get("headers") or {})
    merged.update({k: ", ".join(v) for k, v in (result.get("multiValueHeaders") or {}).items()})
    return merged


def problem(result: dict[str, Any]) -> dict[str, Any]:
    assert headers(result)["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(result["body"])
    assert body["status"] == result["statusCode"]
    return body


def test_an_unexpected_exception_is_a_500_problem_with_the_correlation_id() -> None:
    from functions.shared.observability import logger

    logger.set_correlation_id("corr-42")
    result = resolve(app_that_raises(RuntimeError("secret internals")), event("GET", "/boom"), None)
    body = problem(result)
    assert result["statusCode"] == 500
    assert body["correlation_id"] == "corr-42"
    assert "secret internals" not in result["body"]


def test_a_database_that_does_not_answer_is_a_503_with_retry_after() -> None:
    outage = GetError("Failed to get item")
    outage.__cause__ = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    result = resolve(app_that_raises(outage), event("GET", "/boom"), None)
    assert result["statusCode"] == 503
    assert int(headers(result)["Retry-After"]) > 0
    problem(result)


def test_transport_checks_come_first() -> None:
    app = app_that_raises(RuntimeError("never reached"))
    deep = "[" * 40 + "]" * 40
    assert resolve(app, event("POST", "/boom", deep), None)["statusCode"] == 400
    assert resolve(app, event("POST", "/boom", "hi", "text/plain"), None)["statusCode"] == 415
    assert resolve(app, event("POST", "/boom", "{}", "application/merge-patch+json"), None)["statusCode"] == 405


def test_json_depth_skips_brackets_inside_strings() -> None:
    assert json_depth('{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth('"\\"[[["') == 0
    assert json_depth("[" * 1000 + "]" * 1000) == 1000
