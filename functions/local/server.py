"""``antidote serve``: both APIs on localhost, backed by the same handlers that run in Lambda."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from functions.local.runtime import Functions, QueueWorker, api_event, route_for

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # larger bodies are refused before they are read


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the standard library's 5 drops connections when a few dozen clients connect at once


class LocalService:
    """The HTTP server plus queue consumers that run the queue hops as soon as messages arrive."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.functions = Functions()
        self.worker = QueueWorker(self.functions)
        self.httpd = _HTTPServer((host, port), self._handler_class())
        self.port = int(self.httpd.server_address[1])
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_REQUEST_BYTES:
                    self._reply(
                        413,
                        {"Content-Type": "application/problem+json"},
                        json.dumps(
                            {
                                "title": "Payload too large",
                                "status": 413,
                                "detail": f"request body is {length} bytes; the limit is {MAX_REQUEST_BYTES}",
                            }
                        ).encode(),
                    )
                    self.close_connection = True
                    return
                body = self.rfile.read(length) if length else None
                headers = dict(self.headers.items())
                event = api_event(self.command, parts.path, headers, parse_qs(parts.query), body)
                function = route_for(parts.path)
                result = service.functions.invoke(function, event)
                payload = (result.get("body") or "").encode()
                response_headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
                for key, values in (result.get("multiValueHeaders") or {}).items():
                    response_headers[key] = ", ".join(str(v) for v in values)
                self._reply(int(result.get("statusCode", 500)), response_headers, payload)
                if function == "ingest":
                    service.notify()

            def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve  # noqa: N815 - stdlib naming

        return Handler

    def notify(self) -> None:
        self.worker.notify()

    def wait_idle(self, timeout: float = 600) -> bool:
        """Block until every queued message has been processed (tests, demo, benchmarks)."""
        return self.worker.wait_idle(timeout)

    def start(self) -> None:
        self.functions.warm()  # before serving, so that no request pays the model load
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        self._threads.append(thread)
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
