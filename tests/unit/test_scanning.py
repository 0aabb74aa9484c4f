"""Scans without a platform or a database: the budget and its retries, the scan's cursor and health bookkeeping,
source configuration, the local scheduler, and the reply policy for news items."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from functions.ingest.connectors.base import (
    Budget,
    BudgetExhausted,
    ConnectorError,
    Fault,
    FetchContext,
    FetchResult,
    html_to_text,
    status_fault,
    without_secrets,
)
from functions.ingest.logic import ingest_posts
from functions.ingest.scanning import ScanFailed, keep_wanted, run_scan
from functions.local.scheduler import SourceScheduler
from functions.match.policy import PostSignals, decide_action
from functions.shared.errors import InvalidInput
from functions.shared.models import Action, PostIn, Reach, SourceConfig, SourceState, Stance
from functions.shared.retry import retry_after_seconds
from functions.shared.settings import Settings
from functions.shared.source_config import read_sources
from tests.unit.fakes import FakePosts, FakeSink

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


class PlatformError(Exception):
    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.retry_after = status, retry_after


def classify(exc: Exception) -> Fault | None:
    return status_fault(exc.status, exc.retry_after) if isinstance(exc, PlatformError) else None


def failing_then(answers: list[Any]) -> Callable[[], Any]:
    """A request that raises or returns each answer in turn."""

    def request() -> Any:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return request


def budget(requests: int = 10, seconds: float = 60) -> tuple[Budget, Clock]:
    clock = Clock()
    return Budget(max_requests=requests, seconds=seconds, sleep=clock.sleep, clock=clock), clock


def test_a_429_waits_as_long_as_retry_after_says_then_succeeds() -> None:
    run, clock = budget()
    assert run.call(failing_then([PlatformError(429, 7), "page"]), classify) == "page"
    assert clock.waits == [7]
    assert run.used == 2


def test_5xx_backs_off_exponentially_and_gives_up_after_four_attempts() -> None:
    run, clock = budget()
    with pytest.raises(ConnectorError, match="HTTP 503"):
        run.call(failing_then([PlatformError(503)] * 4), classify)
    assert len(clock.waits) == 3
    assert clock.waits[0] <= 1 < clock.waits[1] <= 2 < clock.waits[2] <= 4


def test_a_4xx_is_not_retried_and_an_unknown_exception_is_not_swallowed() -> None:
    run, clock = budget()
    with pytest.raises(ConnectorError, match="HTTP 403"):
        run.call(failing_then([PlatformError(403)]), classify)
    with pytest.raises(KeyError):
        run.call(failing_then([KeyError("bug")]), classify)
    assert clock.waits == []


def test_the_budget_caps_requests_and_waits() -> None:
    run, _ = budget(requests=2)
    run.call(failing_then(["a"]), classify)
    run.call(failing_then(["b"]), classify)
    with pytest.raises(BudgetExhausted):
        run.call(failing_then(["c"]), classify)
    short, clock = budget(seconds=5)
    with pytest.raises(ConnectorError):  # a Retry-After beyond the run's time is not waited for
        short.call(failing_then([PlatformError(429, 30), "late"]), classify)
    assert clock.waits == []


def test_retry_after_as_seconds_or_http_date() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Sun, 29 Nov 2026 12:01:00 GMT", NOW) == 60
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_secrets_in_quoted_urls_are_masked() -> None:
    message = "HttpError 403 when requesting https://x.example/v3/search?q=a&key=AIzaSECRET&alt=json"
    assert without_secrets(message) == "HttpError 403 when requesting https://x.example/v3/search?q=a&key=***&alt=json"


def test_html_becomes_text_never_markup() -> None:
    assert html_to_text('<p>Hi <a href="x">#tag</a></p><p>two&amp;three<script>x</script></p>') == "Hi #tag\ntwo&threex"


# ------------------------------------------------------------------------------------------------ one scan


class FakeStates:
    def __init__(self) -> None:
        self.states: dict[str, SourceState] = {}

    def get_state(self, name: str) -> SourceState | None:
        return self.states.get(name)

    def update_state(self, name: str, change: Callable[[SourceState], SourceState]) -> SourceState:
        self.states[name] = change(self.states.get(name) or SourceState(name=name))
        return self.states[name]


class FakeConnector:
    def __init__(self, posts: list[dict[str, Any]] | Exception, cursor: dict[str, Any]) -> None:
        self.posts, self.cursor = posts, cursor
        self.seen_cursors: list[dict[str, Any]] = []

    def fetch(self, context: FetchContext) -> FetchResult:
        self.seen_cursors.append(context.cursor)
        if isinstance(self.posts, Exception):
            raise self.posts
        return FetchResult(posts=self.posts, cursor=self.cursor)


def raw(post_id: str, language: str | None = "en", region: str | None = None) -> dict[str, Any]:
    return {
        "platform": "mastodon",
        "post_id": post_id,
        "text": f"post {post_id}",
        "created_at": (NOW - timedelta(minutes=5)).isoformat(),
        "language": language,
        "region": region,
        "reach": {"followers": 10},
    }


def scan_with(connector: FakeConnector, states: FakeStates, store: FakePosts, source: SourceConfig) -> Any:
    def ingest(posts: list[PostIn]) -> Any:
        return ingest_posts(posts, f"scan:{source.name}", store, FakeSink(), NOW)

    run, _ = budget()
    return run_scan(source, connector, states, ingest, dict, run, NOW)


def test_a_scan_ingests_moves_the_cursor_and_counts_the_day() -> None:
    states, store = FakeStates(), FakePosts()
    source = SourceConfig(name="m", connector="mastodon")
    first = scan_with(
        FakeConnector([raw("1"), raw("2"), {"platform": "mastodon"}], {"since": "2"}), states, store, source
    )
    assert (first.fetched, first.response.accepted, first.response.rejected) == (3, 2, 1)
    second = scan_with(FakeConnector([raw("2"), raw("3")], {"since": "3"}), states, store, source)
    assert (second.response.accepted, second.response.duplicates) == (1, 1)  # the ingest dedupe is the safety net
    health = states.states["m"]
    assert health.cursor == {"since": "3"}
    assert (health.last_run.accepted, health.today.accepted, health.today.fetched) == (1, 3, 5)
    assert health.last_success_at == NOW
    assert health.consecutive_failures == 0


def test_a_failing_scan_keeps_its_cursor_and_records_the_error() -> None:
    states, store = FakeStates(), FakePosts()
    source = SourceConfig(name="m", connector="mastodon")
    scan_with(FakeConnector([raw("1")], {"since": "1"}), states, store, source)
    broken = FakeConnector(ConnectorError("HTTP 401: unauthorised ?access_token=abc"), {})
    for _ in range(2):
        with pytest.raises(ScanFailed):
            scan_with(broken, states, store, source)
    health = states.states["m"]
    assert broken.seen_cursors == [{"since": "1"}, {"since": "1"}]
    assert health.cursor == {"since": "1"}
    assert health.consecutive_failures == 2
    assert health.last_error == "ConnectorError: HTTP 401: unauthorised ?access_token=***"
    assert health.today.accepted == 1  # the day's earlier success still counts


def test_the_day_rolls_over_at_midnight_utc() -> None:
    states = FakeStates()
    states.states["m"] = SourceState(name="m", day="2026-11-28", today={"fetched": 40, "accepted": 9})
    scan_with(FakeConnector([raw("9")], {}), states, FakePosts(), SourceConfig(name="m", connector="mastodon"))
    assert (states.states["m"].day, states.states["m"].today.accepted) == ("2026-11-29", 1)


def test_languages_and_regions_filter_and_a_single_region_is_given() -> None:
    posts = [
        PostIn.model_validate(raw(str(i), lang, region))
        for i, (lang, region) in enumerate([("en", None), ("fr", None), (None, None), ("en", "US"), ("en", "GB")])
    ]
    kept, skipped = keep_wanted(SourceConfig(name="s", connector="rss", languages=("en",), regions=("GB",)), posts)
    assert [(p.post_id, p.region) for p in kept] == [("0", "GB"), ("2", "GB"), ("4", "GB")]
    assert skipped == 2


# ------------------------------------------------------------------------------------------------ configuration


def test_sources_come_from_the_local_file(tmp_path: Path) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(
        '[[sources]]\nname = "health-news"\nconnector = "rss"\nevery_minutes = 30\nlanguages = ["EN"]\n'
        '[sources.query]\nfeeds = ["https://news.example/feed.xml"]\n\n'
        '[[sources]]\nname = "mastodon-vax"\nconnector = "mastodon"\n'
        '[sources.query]\ninstances = ["https://mastodon.social"]\nhashtags = ["#Vaccines"]\n',
        "utf-8",
    )
    sources = read_sources(Settings(sources_file=file))
    assert [(s.name, s.every_minutes, s.languages) for s in sources] == [
        ("health-news", 30, ("en",)),
        ("mastodon-vax", 60, ()),
    ]
    assert sources[1].query.hashtags == ("Vaccines",)
    assert read_sources(Settings(sources_file=tmp_path / "missing.toml")) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('[{"name": "Bad Name", "connector": "rss"}]', "sources.0.name"),
        ('[{"name": "a", "connector": "rss", "every_minutes": 0}]', "sources.0.every_minutes"),
        ('[{"name": "a", "connector": "rss", "password": "x"}]', "sources.0.password"),
        ('[{"name": "a", "connector": "rss"}, {"name": "a", "connector": "rss"}]', "used twice"),
        ("not json", "not JSON"),
    ],
)
def test_a_configuration_mistake_names_the_field(value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_sources(Settings(sources=value))


# ------------------------------------------------------------------------------------------------ scheduler


def test_the_scheduler_runs_enabled_sources_when_due_and_one_failure_blocks_none() -> None:
    clock = Clock()
    calls: list[str] = []

    def invoke(function: str, event: dict[str, Any]) -> dict[str, Any]:
        name = event["detail"]["source_name"]
        calls.append(name)
        if name == "broken":
            raise RuntimeError("boom")
        return {"source": name, "accepted": 1}

    sources = [
        SourceConfig(name="broken", connector="rss", every_minutes=5),
        SourceConfig(name="news", connector="rss", every_minutes=15),
        SourceConfig(name="paused", connector="rss", enabled=False),
    ]
    scheduler = SourceScheduler(invoke, sources, clock=clock)
    assert scheduler.run_due() == 300
    assert calls == ["broken", "news"]
    assert scheduler.results["broken"]["error"] == "RuntimeError: boom"
    clock.now += 300
    assert scheduler.run_due() == 300  # broken again at 600, news at 900
    assert calls == ["broken", "news", "broken"]
    clock.now += 600
    scheduler.run_due()
    assert calls == ["broken", "news", "broken", "broken", "news"]


# ------------------------------------------------------------------------------------------------ news items


@pytest.mark.parametrize("stance", [Stance.SUPPORTS, Stance.ASKS])
def test_a_news_item_is_monitored_never_answered(stance: Stance) -> None:
    signals = PostSignals(reach=Reach(followers=10**6, likes=10**4), platform="news")
    decided = decide_action(stance, True, signals, None)
    assert decided.action is Action.MONITOR
    assert "news article or feed item" in decided.reason
    elsewhere = decide_action(stance, True, PostSignals(reach=Reach(followers=10**6), platform="x"), None)
    assert elsewhere.action in (Action.CORRECT, Action.INFORM)


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_no_test_can_reach_the_network() -> None:
    """pyproject's pytest options allow sockets to this machine only (pytest-socket)."""
    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never routed anyway


def test_the_example_sources_file_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "sources.example.toml"
    sources = read_sources(Settings(sources_file=example))
    assert {s.connector for s in sources} == {"rss", "mastodon", "bluesky", "reddit", "youtube"}


def test_youtube_keeps_one_request_for_subscriber_counts_and_reads_the_newest_video_first() -> None:
    """With room for three requests: the search, the newest video's comments, the commenters' channels."""
    from functions.ingest.connectors.youtube import CONNECTOR
    from tests import recorded

    source = SourceConfig(name="y", connector="youtube", query={"keywords": ["vaccines autism"]})
    run, _ = budget(requests=3)
    with recorded.platform().use_cassette(recorded.cassette("youtube_first_scan")) as played:
        fetched = CONNECTOR.fetch(FetchContext(source, {}, {"api_key": "k"}, run))
    assert [p["post_id"] for p in fetched.posts] == ["UgzAAA2"]
    assert fetched.posts[0]["reach"]["followers"] == 3400
    assert played.play_count == 3  # the older video (comments disabled) waits for the next scan
    assert fetched.stopped_early is None
