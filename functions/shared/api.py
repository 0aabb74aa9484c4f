"""What every HTTP API shares: the Powertools resolver, OpenAPI at /swagger, and the problem+json error model.

Order of checks for every request (the error boundary, ``resolve``, wraps them all, so every request gets an answer):
transport (size, UTF-8, media type, JSON nesting) → routing (404, 405) → authentication and authorisation (401, 403,
429) → validation of path, query and body (422) → the route. Anything unexpected is a 500 problem+json carrying the
correlation id of the log lines; a database that does not answer is a 503 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import inspect
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import unquote

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
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.exceptions import HTTPClientError
from pydantic import BaseModel

from functions.shared.errors import (
    AntidoteError,
    DatabaseUnavailable,
    MalformedRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    ServiceBusy,
    UnsupportedMediaType,
)
from functions.shared.models import Problem
from functions.shared.observability import logger
from functions.shared.settings import get_settings

PROBLEM_JSON = "application/problem+json"
MAX_JSON_DEPTH = 32  # the deepest body any route takes is 4 levels; 1,000 levels would exhaust the parser's stack
SECURITY_SCHEMES: dict[str, APIKey | HTTPBase | OAuth2 | OpenIdConnect | HTTPBearer | MutualTLS] = {
    "apiKey": APIKey(name="x-api-key", **{"in": APIKeyIn.header}),
    "educatorToken": HTTPBearer(scheme="bearer", bearerFormat="JWT"),
}
PROBLEM_DESCRIPTIONS = {
    400: "Malformed request: the body is not JSON, not UTF-8, or nested too deeply",
    401: "No credential, or one that is unknown, expired or revoked",
    403: "The credential is valid but not allowed here (wrong scope or role, not your decision)",
    404: "No such resource",
    409: "Someone changed the resource first (its current state is in `current`), or the action does not apply",
    413: "The body is larger than the limit",
    414: "The request target (path and query) is too long: over 8 KB locally, over API Gateway's limit in AWS",
    415: "The body is not application/json",
    422: "A field is invalid; `errors` names each one",
    429: "The API key's daily quota is used up; see Retry-After",
    431: "The request headers are too large: over 32 KB locally, over API Gateway's limit in AWS",
    500: "Unexpected error; quote `correlation_id` when reporting it",
    503: "Busy or the database is unavailable; nothing was done, try again after Retry-After",
}
SCHEME_PROBLEMS = {"apiKey": (401, 403, 429), "educatorToken": (401, 403)}


def problem_body(error: AntidoteError, path: str | None = None) -> str:
    body = error.problem(path)
    correlation_id = logger.get_correlation_id()
    if correlation_id:
        body.setdefault("correlation_id", correlation_id)
    return json.dumps(body, default=str)


def problem_response(error: AntidoteError, path: str | None = None) -> Response[str]:
    return Response(
        status_code=error.status, content_type=PROBLEM_JSON, body=problem_body(error, path), headers=error.headers()
    )


def problem_result(error: AntidoteError, path: str | None = None) -> dict[str, Any]:
    """A whole API Gateway proxy result, for answers given outside the resolver."""
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON, **error.headers()},
        "body": problem_body(error, path),
        "isBase64Encoded": False,
    }


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects, counted without parsing it (strings skipped)."""
    depth = deepest = 0
    for bracket in _NOT_BRACKETS.sub("", _JSON_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _header(headers: Mapping[str, Any] | None, name: str) -> str:
    return next((str(value) for key, value in (headers or {}).items() if key.lower() == name), "")


def body_problem(event: dict[str, Any]) -> AntidoteError | None:
    """Bodies that would break or bypass a parser are refused before anything parses them: too large, not UTF-8,
    not JSON by media type, or nested deeper than any route takes."""
    body = event.get("body")
    if not body:
        return None
    encoded = bool(event.get("isBase64Encoded"))
    raw = base64.b64decode(body) if encoded else str(body).encode("utf-8", "surrogatepass")
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        return PayloadTooLarge(f"request body is {len(raw)} bytes; the limit is {limit}")
    media_type = _header(event.get("headers"), "content-type").split(";")[0].strip().lower()
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        return UnsupportedMediaType(f"request body is {media_type}; send application/json")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return MalformedRequest("request body is not valid UTF-8", errors=[{"field": "body", "message": "not UTF-8"}])
    if json_depth(text) > MAX_JSON_DEPTH:
        message = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
        return MalformedRequest(f"request body is {message}", errors=[{"field": "body", "message": message}])
    if encoded:
        event["body"], event["isBase64Encoded"] = text, False
    return None


def database_outage(error: BaseException) -> bool:
    """True when the error, or what caused it, is the database not answering (connection refused, reset, timeout)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, BotocoreConnectionError | HTTPClientError):
            return True
        seen.add(id(current))
        current = getattr(current, "cause", None) or current.__cause__ or current.__context__
    return False


def unexpected_problem(error: Exception) -> AntidoteError:
    """The answer for an exception nobody raised on purpose, logged with its traceback and correlation id."""
    if database_outage(error):
        logger.warning("database unavailable: %s", error)
        return DatabaseUnavailable("the database is not answering; nothing was done, try again shortly")
    logger.exception("request failed")
    return AntidoteError("unexpected error; quote the correlation id when reporting it")


def resolve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The one way handlers hand an API event to their resolver, and the error boundary around it: whatever
    happens, the caller gets an HTTP answer (problem+json for every error)."""
    try:
        problem = body_problem(event)
        if problem is not None:
            return problem_result(problem, event.get("path"))
        if str(event.get("httpMethod", "")).upper() != "HEAD":
            return app.resolve(event, context)
        result = app.resolve({**event, "httpMethod": "GET"}, context)  # HEAD: the GET answer's headers only
        return {**result, "body": "", "isBase64Encoded": False}
    except Exception as error:  # the boundary: every request gets an answer
        return problem_result(unexpected_problem(error), event.get("path"))


def documented_responses(
    func: Callable[..., Any], security: list[dict[str, list[str]]] | None, extra: Iterable[int], status_code: int
) -> dict[int, OpenAPIResponse]:
    """Every status a route can answer, for the OpenAPI document: derived from its credentials, its parameters and
    its body, plus the ``extra`` ones only the route knows (404, 409)."""
    parameters = inspect.signature(func).parameters.values()
    # 422 as problem+json: Powertools documents one on every validated route; 414 and 431: the HTTP layer answers
    # them for any route, before the route sees the request (a long query, e.g. a repeated filter, reaches it).
    statuses = {414, 422, 431, 500, 503, *extra}
    if any(inspect.isclass(p.annotation) and issubclass(p.annotation, BaseModel) for p in parameters):
        statuses.update((400, 413, 415))
    for requirement in security or []:
        for scheme in requirement:
            statuses.update(SCHEME_PROBLEMS.get(scheme, ()))
    responses: dict[int, OpenAPIResponse] = {status_code: {"description": "OK"}}
    for status in sorted(statuses):
        responses[status] = {
            "description": PROBLEM_DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"model": Problem}},
        }
    return responses


def problems(*statuses: int) -> dict[int, OpenAPIResponse]:
    """A route's own error statuses (``responses=problems(404, 409)``); the resolver documents the rest."""
    return {status: {"description": PROBLEM_DESCRIPTIONS[status]} for status in statuses}


def authenticates(middleware: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a route middleware as authentication: the resolver runs it before the request is validated."""
    middleware.authenticates = True  # type: ignore[attr-defined]
    return middleware


_ROUTE_SIGNATURE = inspect.signature(APIGatewayRestResolver.route)


class RestResolver(APIGatewayRestResolver):
    """Powertools' REST resolver with three changes.

    Authentication first: Powertools validates the request before any route middleware runs, so a stranger would
    learn the fields' rules (422) before being told who may call (401). A route whose middlewares include one marked
    with :func:`authenticates` has validation moved after them.

    The contract: each route documents every status it can answer (:func:`documented_responses`) with the Problem
    schema; ``responses=problems(404, 409)`` adds the ones only the route knows.

    The request it is resolving is kept on the instance: Powertools assigns ``current_event`` and ``lambda_context``
    on its ``BaseRouter`` class, so every resolver in the process shares them: two invocations resolving at once
    (the local runtime runs the three functions side by side, and claim checks concurrently) would read each other's
    event in middlewares and routes. Set on the instance, they shadow the class attribute; the instance's other
    per-request state (``context``) is safe as long as one instance resolves one request at a time, which
    :class:`ResolverPool` guarantees.
    """

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        arguments = _ROUTE_SIGNATURE.bind(self, rule, method, *args, **kwargs).arguments
        del arguments["self"]
        problems = list(arguments.get("responses") or {})  # from problems(404, 409): the statuses only it knows
        middlewares = list(arguments.get("middlewares") or [])
        if any(getattr(m, "authenticates", False) for m in middlewares):
            arguments["enable_validation"] = False
            arguments["middlewares"] = [
                *middlewares,
                self._request_validation_middleware,
                self._response_validation_middleware,
            ]

        def register(func: Any) -> Any:
            if arguments.get("include_in_schema", True):
                arguments["responses"] = documented_responses(
                    func, arguments.get("security"), problems, arguments.get("status_code", 200)
                )
            return super(RestResolver, self).route(**arguments)(func)

        return register

    def allowed_methods(self, path: str) -> list[str]:
        """The methods some route answers on ``path`` (HEAD with GET, OPTIONS always), for 405 and OPTIONS."""
        methods = {r.method for r in self._static_routes + self._dynamic_routes if r.rule.match(path)}
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods | {"OPTIONS"}) if methods else []

    def _convert_matches_into_route_keys(self, match: re.Match[str]) -> dict[str, str]:
        """Path parameters percent-decoded, as API Gateway's ``pathParameters`` are (its ``path``, which Powertools
        matches, stays encoded): an item id is checked and looked up as the caller meant it."""
        return {key: unquote(value) for key, value in match.groupdict().items()}

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


def _unrouted(app: RestResolver) -> Response[str]:
    """No route for this method and path: 404 for an unknown path, 405 (with Allow) for a known one, and the
    allowed methods for OPTIONS."""
    event = app.current_event
    allowed = app.allowed_methods(event.path)
    if not allowed:
        return problem_response(NotFound(f"no route {event.http_method} {event.path}"), event.path)
    if event.http_method.upper() == "OPTIONS":
        return Response(204, None, "", {"Allow": ", ".join(allowed)})
    detail = f"{event.http_method} is not allowed on {event.path}; use {', '.join(allowed)}"
    return problem_response(MethodNotAllowed(detail, allowed), event.path)


def _invalid(error: RequestValidationError) -> AntidoteError:
    errors = error.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return MalformedRequest("request body is not valid JSON", errors=[{"field": "body", "message": "not JSON"}])
    fields = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in errors]
    first = fields[0] if fields else {"field": "body", "message": "invalid"}
    problem = AntidoteError(f"{first['field']}: {first['message']}", errors=fields)
    problem.status, problem.title = 422, "Invalid input"
    return problem


def build_resolver(title: str, description: str) -> RestResolver:
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
    def _validation(error: RequestValidationError) -> Response[str]:
        return problem_response(_invalid(error), app.current_event.path)

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        return problem_response(unexpected_problem(error), app.current_event.path)

    @app.not_found
    def _missing(_: Exception) -> Response[str]:
        return _unrouted(app)

    return app
