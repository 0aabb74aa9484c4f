"""Resolvers under concurrent invocations: Powertools keeps the request being resolved on a class shared by every
resolver in the process; ours keep it on the instance, and a pool gives each concurrent invocation its own."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from functions.local.runtime import FakeContext, api_event
from functions.shared.api import ResolverPool, RestResolver

TIMEOUT = 10.0
CONTEXT: Any = FakeContext("antidote-test")


def echo_app(cls: type[APIGatewayRestResolver], both_inside: threading.Barrier) -> APIGatewayRestResolver:
    """A route that reads the current request after every concurrent invocation has started its own."""
    app = cls()

    @app.get("/echo/<name>")
    def echo(name: str) -> dict[str, Any]:
        both_inside.wait(TIMEOUT)
        time.sleep(0.02)
        app.append_context(seen=app.current_event.path)  # type: ignore[no-untyped-call]
        return {"name": name, "path": app.current_event.path, "context": app.context.get("seen")}

    return app


def resolve_concurrently(apps: list[APIGatewayRestResolver]) -> dict[int, dict[str, Any]]:
    answers: dict[int, dict[str, Any]] = {}

    def call(n: int) -> None:
        event = api_event("GET", f"/echo/{n}", {}, {}, None)
        answers[n] = json.loads(apps[n].resolve(event, CONTEXT)["body"])

    threads = [threading.Thread(target=call, args=(n,), daemon=True) for n in range(len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers


def test_powertools_resolvers_share_the_current_request_across_instances() -> None:
    """Why RestResolver exists: with plain resolvers, one per thread is not enough."""
    barrier = threading.Barrier(2)
    answers = resolve_concurrently([echo_app(APIGatewayRestResolver, barrier) for _ in range(2)])
    assert {a["path"] for a in answers.values()} != {"/echo/0", "/echo/1"}


def test_each_rest_resolver_sees_only_its_own_request() -> None:
    barrier = threading.Barrier(4)
    answers = resolve_concurrently([echo_app(RestResolver, barrier) for _ in range(4)])
    for n in range(4):
        assert answers[n] == {"name": str(n), "path": f"/echo/{n}", "context": f"/echo/{n}"}


def test_a_pool_lends_each_concurrent_invocation_its_own_resolver_and_reuses_them() -> None:
    built: list[APIGatewayRestResolver] = []
    barrier = threading.Barrier(3)

    def factory() -> APIGatewayRestResolver:
        app = echo_app(RestResolver, barrier)
        built.append(app)
        return app

    pool = ResolverPool(factory, factory())
    answers: dict[int, dict[str, Any]] = {}

    def call(n: int) -> None:
        answers[n] = json.loads(pool.resolve(api_event("GET", f"/echo/{n}", {}, {}, None), CONTEXT)["body"])

    for _ in range(2):
        threads = [threading.Thread(target=call, args=(n,), daemon=True) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        for n in range(3):
            assert answers[n]["path"] == f"/echo/{n}"
    assert len(built) == 3  # three at once needed three; the second round reused them


def test_one_invocation_at_a_time_always_uses_the_first_resolver() -> None:
    first = echo_app(RestResolver, threading.Barrier(1))
    pool = ResolverPool(lambda: echo_app(RestResolver, threading.Barrier(1)), first)
    for n in range(3):
        with pool.borrow() as app:
            assert app is first
        assert json.loads(pool.resolve(api_event("GET", f"/echo/{n}", {}, {}, None), CONTEXT)["body"])["name"] == str(n)
