"""Scans through the real ingest handler on DynamoDB Local, with each platform's responses played from a cassette
(tests/data/cassettes: written in each API's documented response shape; nothing is recorded live, no test reaches
the network). vcrpy lets requests to 127.0.0.1 (DynamoDB Local, the fake feed server) through."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from functions.ingest.credentials import environment_variable
from functions.shared import dependencies
from functions.shared.models import SourceState, StoredPost
from functions.shared.settings import get_settings
from tests import recorded
from tests.conftest import Service


@dataclass
class Sources:
    """Configures scan sources the way a deployed stage does (ANTIDOTE_SOURCES), with local credentials."""

    monkeypatch: pytest.MonkeyPatch
    configured: list[dict[str, Any]] = field(default_factory=list)

    def add(self, source: dict[str, Any], credentials: dict[str, str] | None = None) -> None:
        self.configured.append(source)
        self.monkeypatch.setenv("ANTIDOTE_SOURCES", json.dumps(self.configured))
        if credentials:
            self.monkeypatch.setenv(environment_variable(source["name"]), json.dumps(credentials))
        get_settings.cache_clear()


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sources]:
    yield Sources(monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()


@dataclass
class Scan:
    result: dict[str, Any]
    requests: list[Any]  # what the connector actually asked the platform, in order


def scan(service: Service, name: str, cassette: str) -> Scan:
    """One scheduled-scan event for ``name`` through the ingest handler; every recorded response must be used."""
    event = {
        "version": "0",
        "id": f"scan-{name}-{datetime.now(UTC).timestamp()}",
        "detail-type": "Scheduled scan",
        "source": "antidote.scan",
        "detail": {"source_name": name, "posts": []},
    }
    sent: list[Any] = []

    recorder = recorded.platform()
    with recorder.use_cassette(recorded.cassette(cassette)) as played:
        play = played.play_response

        def play_and_note(request: Any) -> Any:  # each request the connector really sent, in order
            sent.append(request)
            return play(request)

        played.play_response = play_and_note
        result = service.local.functions.invoke("ingest", event)
        assert played.all_played, f"{cassette}: {played.play_count} of {len(played)} responses used"
    assert service.local.wait_idle(300)
    return Scan(result, sent)


def stored(platform: str, post_id: str) -> StoredPost:
    post = dependencies.posts().get_post(f"{platform}#{post_id}")
    assert post is not None, f"{platform}#{post_id} was not stored"
    return post


def state(name: str) -> SourceState:
    found = dependencies.source_states().get_state(name)
    assert found is not None
    return found


def rejected(result: dict[str, Any]) -> dict[str | None, str]:
    return {i["post_id"]: i["reason"] for i in result["items"] if i["status"] == "rejected"}


# ------------------------------------------------------------------------------------------------ fake feed server

PUBLISHED = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local Health Watch</title><link>http://127.0.0.1/</link><language>en</language>
<description>Recorded feed</description>
<item><guid>local-watch-1</guid><title>The MMR vaccine causes autism in children</title>
<link>http://127.0.0.1/posts/1</link><pubDate>{PUBLISHED}</pubDate>
<description>Parents, wake up: the MMR jab causes autism. Do not let them vaccinate your kids.</description></item>
<item><guid>local-watch-2</guid><title>Town fair opens on Saturday</title><link>http://127.0.0.1/posts/2</link>
<pubDate>{PUBLISHED}</pubDate><description>Rides, music and food stalls all weekend.</description></item>
</channel></rss>""".encode()


class FeedServer:
    """A real HTTP server serving the feed at /feed.xml (with an ETag, answering 304 to it) and 404 elsewhere."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path != "/feed.xml":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == '"feed-v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", '"feed-v1"')
                self.send_header("Content-Length", str(len(FEED)))
                self.end_headers()
                self.wfile.write(FEED)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FeedServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server
