"""``antidote serve``: both APIs on localhost, backed by the same handlers that run in Lambda.

The HTTP layer is waitress (WSGI): it parses requests strictly (chunked bodies, ``Content-Length``, header limits),
holds connections in one event loop instead of a thread each, closes idle ones, bounds how many it keeps, and hands
complete requests to a fixed pool of worker threads. Each request becomes an API Gateway proxy event for the owning
function's handler (``runtime.api_event``); what waitress itself refuses is answered as problem+json too.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

from functions.local.runtime import Functions, QueueWorker, api_event, route_for

DETAIL_500 = "unexpected error; see the service's log"
PROBLEM_JSON = "application/problem+json"
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
MAX_URI_BYTES = 8 * 1024  # longer request targets get 414; API Gateway's own limit is 10 KB
MAX_HEADER_BYTES = 32 * 1024  # request line plus headers; more gets 431
MAX_BODY_BYTES = 10 * 1024 * 1024  # refused (413) before it is read; the APIs' own limit is lower (settings)
CHANNEL_TIMEOUT_SECONDS = 30  # a connection that sends or reads nothing for this long is closed
CONNECTION_LIMIT = 256  # open connections beyond this wait in the listen backlog
BACKLOG = 1024
WORKER_THREADS = 32  # requests handled at once (concurrent claim checks among them are micro-batched)
DRAIN_SECONDS = 10  # on stop, how long requests in hand may take to finish
LOOP_SECONDS = 0.2
PROBLEM_TITLES = {
    400: "Malformed request",
    413: "Payload too large",
    414: "URI too long",
    431: "Request header fields too large",
    500: "Internal error",
    501: "Not implemented",
}


def problem(status: int, detail: str) -> tuple[str, list[tuple[str, str]], bytes]:
    title = PROBLEM_TITLES.get(status, "Error")
    body = {
        "type": f"https://antidote.example/problems/{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return f"{status} {title}", [("Content-Type", PROBLEM_JSON)], json.dumps(body).encode()


class ProblemErrorTask(ErrorTask):  # type: ignore[misc]
    """What waitress refuses before the application sees it (bad framing, oversized headers or body), as
    problem+json instead of its plain-text page."""

    def execute(self) -> None:
        error = self.request.error
        status, headers, body = problem(int(error.code), str(error.body))
        self.status = status.split(" ", 1)[0] + " " + str(error.reason)
        self.response_headers.extend(headers)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class ProblemChannel(HTTPChannel):  # type: ignore[misc]
    error_task_class = ProblemErrorTask


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers as API Gateway passes them (names as sent, here in canonical capitalisation)."""
    headers = {
        key[5:].replace("_", "-").title(): str(value) for key, value in environ.items() if key.startswith("HTTP_")
    }
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers[name] = str(environ[key])
    return headers


def _response_headers(result: dict[str, Any]) -> list[tuple[str, str]]:
    headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers[key] = ", ".join(str(v) for v in values)
    return [(k, v) for k, v in headers.items() if k.lower() != "content-length"]


class LocalService:
    """The HTTP server plus queue consumers that run the queue hops as soon as messages arrive."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.functions = Functions()
        self.worker = QueueWorker(self.functions)
        self.server: BaseWSGIServer = create_server(
            self.application,
            host=host,
            port=port,
            threads=WORKER_THREADS,
            channel_timeout=CHANNEL_TIMEOUT_SECONDS,
            connection_limit=CONNECTION_LIMIT,
            backlog=BACKLOG,
            max_request_header_size=MAX_HEADER_BYTES,
            max_request_body_size=MAX_BODY_BYTES,
            expose_tracebacks=False,
            ident="antidote",
            clear_untrusted_proxy_headers=True,
        )
        self.server.channel_class = ProblemChannel
        self.port = int(self.server.effective_port)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._swagger: tuple[str, str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def application(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """WSGI entry point: one request, one handler invocation, one answer (problem+json for every error)."""
        method = str(environ["REQUEST_METHOD"]).upper()
        target = str(environ.get("REQUEST_URI") or environ.get("PATH_INFO") or "/")
        if len(target.encode("latin-1", "replace")) > MAX_URI_BYTES:
            status, headers, body = problem(414, f"the request target is longer than {MAX_URI_BYTES} bytes")
            start_response(status, headers)
            return [body]
        path = target.split("?", 1)[0].split("#", 1)[0] or "/"
        query = parse_qs(str(environ.get("QUERY_STRING") or ""), keep_blank_values=True)  # as API Gateway does
        if path == "/swagger" and method in {"GET", "HEAD"}:
            result = self._swagger_result(query)
        else:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            content = environ["wsgi.input"].read(length) if length else None
            result = self._invoke(api_event(method, path, _headers(environ), query, content))
        status_code = int(result.get("statusCode", 500))
        payload = result.get("body") or b""
        if isinstance(payload, str):
            payload = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        start_response(f"{status_code} {_reason(status_code)}", _response_headers(result))
        return [b"" if method == "HEAD" else payload]

    def _invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        function = route_for(event["path"])
        try:
            result = self.functions.invoke(function, event)
        except Exception:  # the handlers answer every error themselves; this is the last line of defence
            from functions.shared.observability import logger

            logger.exception("invocation failed")
            return {"statusCode": 500, "headers": {"Content-Type": PROBLEM_JSON}, "body": problem(500, DETAIL_500)[2]}
        if function == "ingest":
            self.notify()
        return result

    def _swagger_result(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """The whole service's document (all three functions' routes), as ``antidote openapi`` writes it."""
        from aws_lambda_powertools.event_handler.openapi.swagger_ui import generate_swagger_html

        from functions.local.openapi import render

        if self._swagger is None:
            spec = render()
            ui = _swagger_ui_assets()
            page = generate_swagger_html(spec.replace("</", "<\\/"), ui[0], ui[1], "", None)
            self._swagger = (spec, page)
        spec, page = self._swagger
        as_json = query.get("format", [""])[-1] == "json"
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json" if as_json else "text/html; charset=utf-8"},
            "body": spec if as_json else page,
        }

    def notify(self) -> None:
        self.worker.notify()

    def wait_idle(self, timeout: float = 600) -> bool:
        """Block until every queued message has been processed (tests, demo, benchmarks)."""
        return self.worker.wait_idle(timeout)

    def start(self) -> None:
        self.functions.warm()  # before serving, so that no request pays the model load
        self._thread = threading.Thread(target=self._serve, name="http", daemon=True)
        self._thread.start()
        self.worker.start()

    def stop(self) -> None:
        """Stop accepting, let the requests in hand finish and their answers go out, then stop the queue
        consumers."""
        self._stopping.set()
        self.server.pull_trigger()
        if self._thread is not None:
            self._thread.join(timeout=DRAIN_SECONDS + 5)
        self.worker.stop()

    def _serve(self) -> None:
        """waitress's event loop, stoppable: ``stop`` sets the flag; then the listening socket closes, the loop
        goes on until the requests in hand are answered (up to ``DRAIN_SECONDS``), and every connection closes."""
        connections = self.server._map
        while not self._stopping.is_set():
            wasyncore.loop(timeout=LOOP_SECONDS, map=connections, use_poll=True, count=1)
        wasyncore.dispatcher.close(self.server)  # the listening socket only; the trigger stays for the drain
        deadline = time.monotonic() + DRAIN_SECONDS
        while self._in_flight() and time.monotonic() < deadline:
            wasyncore.loop(timeout=LOOP_SECONDS, map=connections, use_poll=True, count=1)
        self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        wasyncore.close_all(connections)

    def _in_flight(self) -> bool:
        channels = [c for c in list(self.server._map.values()) if isinstance(c, HTTPChannel)]
        return bool(self.server.task_dispatcher.queue) or any(c.requests or c.total_outbufs_len for c in channels)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _swagger_ui_assets() -> tuple[str, str]:
    """Swagger UI's script and stylesheet as Powertools bundles them (served inline: nothing from a CDN)."""
    from pathlib import Path

    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    folder = Path(swagger_ui.__file__).parent
    return (
        (folder / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (folder / "swagger-ui.min.css").read_text(encoding="utf-8"),
    )
