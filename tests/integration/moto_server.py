"""moto's server mode on 127.0.0.1: an AWS-compatible HTTP server that boto3 reaches over the wire (no patching)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto.server import ThreadedMotoServer

from functions.local.dynamodb_local import free_port


@contextmanager
def moto_endpoint() -> Iterator[str]:
    """The server's URL while it runs; stopped on exit."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
