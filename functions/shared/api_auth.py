"""Route middlewares that authenticate before the body is even validated: strangers get 401, not 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from functions.shared.api import authenticates, problem_response
from functions.shared.auth import Scope, authenticate_api_key, authenticate_educator
from functions.shared.dependencies import api_keys
from functions.shared.errors import AntidoteError, Forbidden
from functions.shared.settings import get_settings

Middleware = Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]


def require_api_key(scope: Scope) -> Middleware:
    def middleware(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        try:
            key = authenticate_api_key(api_keys(), app.current_event.headers, scope, datetime.now(UTC))
        except AntidoteError as error:
            return problem_response(error, app.current_event.path)
        app.append_context(api_key=key)
        return next_middleware(app)

    return authenticates(middleware)


def require_educator(admin: bool = False) -> Middleware:
    def middleware(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        try:
            educator = authenticate_educator(
                get_settings(), app.current_event.headers, app.current_event.raw_event.get("requestContext")
            )
            if admin and educator.role != "admin":
                raise Forbidden("this action needs the admin role")
        except AntidoteError as error:
            return problem_response(error, app.current_event.path)
        app.append_context(educator=educator)
        return next_middleware(app)

    return authenticates(middleware)
