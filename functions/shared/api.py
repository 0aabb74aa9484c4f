"""What every HTTP API shares: the Powertools resolver, OpenAPI at /swagger, and the problem+json error model."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.models import (
    APIKey,
    APIKeyIn,
    HTTPBase,
    HTTPBearer,
    MutualTLS,
    OAuth2,
    OpenIdConnect,
)
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from functions.shared.errors import AntidoteError, MalformedRequest, NotFound, PayloadTooLarge, ServiceBusy
from functions.shared.observability import logger
from functions.shared.settings import get_settings

PROBLEM_JSON = "application/problem+json"
SECURITY_SCHEMES: dict[str, APIKey | HTTPBase | OAuth2 | OpenIdConnect | HTTPBearer | MutualTLS] = {
    "apiKey": APIKey(name="x-api-key", **{"in": APIKeyIn.header}),
    "educatorToken": HTTPBearer(scheme="bearer", bearerFormat="JWT"),
}


def problem_response(error: AntidoteError, path: str | None = None) -> Response[str]:
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=json.dumps(error.problem(path), default=str),
        headers=error.headers(),
    )


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


def body_problem(event: dict[str, Any]) -> AntidoteError | None:
    """Oversized bodies and bytes that are not UTF-8 are refused before anything parses them."""
    body = event.get("body")
    if body is None:
        return None
    encoded = bool(event.get("isBase64Encoded"))
    raw = base64.b64decode(body) if encoded else str(body).encode("utf-8", "surrogatepass")
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        return PayloadTooLarge(f"request body is {len(raw)} bytes; the limit is {limit}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return MalformedRequest("request body is not valid UTF-8")
    if encoded:
        event["body"], event["isBase64Encoded"] = text, False
    return None


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The one way handlers hand an API event to their resolver."""
    problem = body_problem(event)
    if problem is not None:
        response = problem_response(problem, event.get("path"))
        return {
            "statusCode": response.status_code,
            "headers": {"Content-Type": PROBLEM_JSON, **problem.headers()},
            "body": response.body,
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)


class RestResolver(APIGatewayRestResolver):
    """Powertools' REST resolver, with the request it is resolving kept on the instance.

    Powertools assigns ``current_event`` and ``lambda_context`` on its ``BaseRouter`` class, so every resolver in
    the process shares them: two invocations resolving at once (the local runtime runs the three functions side by
    side, and claim checks concurrently) would read each other's event in middlewares and routes. Set on the
    instance, they shadow the class attribute; the instance's other per-request state (``context``) is safe as long
    as one instance resolves one request at a time, which :class:`ResolverPool` guarantees.
    """

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        self.current_event = cast(APIGatewayProxyEvent, self._to_proxy_event(cast(dict[str, Any], event)))
        self.lambda_context = context
        return super().resolve(event, context)


class ResolverPool:
    """Resolvers for a function whose API may be invoked concurrently: each invocation borrows one of its own,
    built by the factory when none is free. In Lambda (one invocation at a time) it is always the same one."""

    def __init__(self, factory: Callable[[], APIGatewayRestResolver], first: APIGatewayRestResolver) -> None:
        self._factory = factory
        self._idle = [first]
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[APIGatewayRestResolver]:
        with self._lock:
            app = self._idle.pop() if self._idle else None
        if app is None:
            app = self._factory()
        try:
            yield app
        finally:
            with self._lock:
                self._idle.append(app)

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self.borrow() as app:
            return resolve(app, event, context)


def build_resolver(title: str, description: str) -> APIGatewayRestResolver:
    app = RestResolver(enable_validation=True)
    app.enable_swagger(
        path="/swagger",
        title=title,
        version="1.0.0",
        description=description,
        security_schemes=SECURITY_SCHEMES,
    )

    @app.exception_handler(AntidoteError)
    def _known(error: AntidoteError) -> Response[str]:
        if isinstance(error, ServiceBusy):
            logger.warning("request refused: %s", error.detail)
        elif error.status >= 500:
            logger.exception("request failed")
        return problem_response(error, app.current_event.path)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        errors = error.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem_response(MalformedRequest("request body is not valid JSON"), app.current_event.path)
        fields = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in errors]
        first = fields[0] if fields else {"field": "body", "message": "invalid"}
        problem = AntidoteError(f"{first['field']}: {first['message']}", errors=fields)
        problem.status, problem.title = 422, "Invalid input"
        return problem_response(problem, app.current_event.path)

    @app.not_found
    def _missing(_: Exception) -> Response[str]:
        return problem_response(NotFound(f"no route {app.current_event.http_method} {app.current_event.path}"))

    return app
