"""The local service's HTTP layer: waitress (now) against the standard library's ThreadingHTTPServer (before, the
baseline), both measured in the same run. Prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/http_server.py [--clients 32] [--requests 2000] [--stalled 200]

Both servers run in a child process of their own, in front of the same stand-in handler (a fixed 404 problem+json,
so that what is measured is the HTTP layer, not the Lambda handlers behind it); the load comes from this process:
- throughput and latency: ``--clients`` threads each sending ``GET`` requests on new connections, requests per
  second, p50 and p99;
- stalled clients: ``--stalled`` connections that send half a request and wait; the server process's thread count
  (/proc) while they wait, whether a normal request is still answered, and how;
- framing: a ``Content-Length: -1`` request and a chunked body followed by a second request in the same bytes.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BODY = json.dumps({"title": "Not found", "status": 404, "detail": "no route"}).encode()


def serve_old(port: int) -> None:
    """The server as it was (functions/local/server.py before waitress), with the stand-in handler."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(404)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        do_GET = do_POST = _serve  # noqa: N815 - stdlib naming

    Server(("127.0.0.1", port), Handler).serve_forever()


def serve_new(port: int) -> None:
    """waitress with the settings LocalService uses, and the stand-in handler."""
    from waitress.server import create_server

    from functions.local import server as local

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        start_response("404 Not Found", [("Content-Type", "application/problem+json")])
        return [BODY]

    httpd = create_server(
        application,
        host="127.0.0.1",
        port=port,
        threads=local.WORKER_THREADS,
        channel_timeout=local.CHANNEL_TIMEOUT_SECONDS,
        connection_limit=local.CONNECTION_LIMIT,
        backlog=local.BACKLOG,
        max_request_header_size=local.MAX_HEADER_BYTES,
        max_request_body_size=local.MAX_BODY_BYTES,
    )
    httpd.channel_class = local.ProblemChannel
    httpd.run()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return -1


def get(url: str, timeout: float = 10) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            reply.read()
            status = reply.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def load(url: str, clients: int, requests: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = requests // clients

    def client() -> None:
        nonlocal errors
        for _ in range(per_client):
            status, seconds = get(url)
            with lock:
                latencies.append(seconds)
                errors += status != 404

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests/s": round(len(latencies) / elapsed),
        "p50 ms": round(1000 * statistics.median(latencies), 1),
        "p99 ms": round(1000 * latencies[int(len(latencies) * 0.99) - 1], 1),
        "errors": errors,
    }


def exchange(port: int, data: bytes, timeout: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"<no answer within 5 s>")
    return b"".join(chunks)


def stalled(port: int, pid: int, count: int) -> dict[str, Any]:
    before = threads_of(pid)
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
        sockets.append(sock)
    time.sleep(1)
    status, seconds = get(f"http://127.0.0.1:{port}/x")
    result = {
        "threads idle": before,
        f"threads with {count} stalled": threads_of(pid),
        "a request meanwhile": f"{status} in {seconds * 1000:.0f} ms" if status else "no answer",
    }
    for sock in sockets:
        sock.close()
    return result


def framing(port: int) -> dict[str, str]:
    negative = exchange(port, b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}")
    chunked = exchange(port, smuggling_request())
    return {
        "Content-Length: -1": negative.split(b"\r\n", 1)[0].decode("latin-1") or "connection closed, no answer",
        "request hidden in a chunked body": f"{chunked.count(b'HTTP/1.')} responses (1 is right)",
    }


def smuggling_request() -> bytes:
    """One POST whose chunked body holds what looks like a second request; a server that ignores
    Transfer-Encoding (and reads Content-Length: 4 instead) runs that second request too."""
    hidden = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    return (
        b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(hidden):x}\r\n".encode()
        + hidden
        + b"\r\n0\r\n\r\n"
    )


def measure(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    port = free_port()
    child = subprocess.Popen(  # the old server prints a traceback for each stalled client that hangs up
        [sys.executable, __file__, "--serve", kind, "--port", str(port)], stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while get(f"http://127.0.0.1:{port}/x", timeout=1)[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        return {
            **load(f"http://127.0.0.1:{port}/x", args.clients, args.requests),
            **stalled(port, child.pid, args.stalled),
            **framing(port),
        }
    finally:
        child.terminate()
        child.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["old", "new"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--stalled", type=int, default=200)
    args = parser.parse_args()
    if args.serve:
        (serve_old if args.serve == "old" else serve_new)(args.port)
        return
    results = {
        "baseline: http.server ThreadingHTTPServer": measure("old", args),
        "waitress (LocalService's settings)": measure("new", args),
    }
    print(f"{args.clients} clients, {args.requests} requests, {args.stalled} stalled connections")
    for name, figures in results.items():
        print(f"\n{name}")
        for key, value in figures.items():
            print(f"  {key:32} {value}")


if __name__ == "__main__":
    main()
