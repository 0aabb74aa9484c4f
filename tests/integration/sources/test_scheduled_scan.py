"""A scheduled scan end to end over real HTTP: a fake feed server on 127.0.0.1 serves a recorded feed; the serve-time
scheduler scans it → ingest → match → a review item; a second run (a restarted scheduler, the cursor read back
from DynamoDB Local) ingests nothing new; a failing source next to it fails alone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from functions.ingest.sources import configured_sources
from functions.local.scheduler import SourceScheduler
from functions.shared.dal.models import ReviewItemRecord
from functions.shared.settings import get_settings
from tests.conftest import Service
from tests.integration.sources.conftest import FeedServer, Sources, state, stored


def run_scheduler_once(service: Service) -> SourceScheduler:
    """What 'antidote serve' starts: the scheduler scans every enabled source as soon as it starts."""
    scheduler = SourceScheduler(
        service.local.functions.invoke, list(configured_sources(get_settings()).values()), service.local.notify
    )
    scheduler.start()
    deadline = datetime.now(UTC) + timedelta(seconds=120)
    while scheduler.runs == 0 and datetime.now(UTC) < deadline:
        threading.Event().wait(0.1)
    scheduler.stop()
    assert service.local.wait_idle(300)
    return scheduler


def test_a_scheduled_feed_scan_reaches_the_review_queue_once(
    service: Service, sources: Sources, feed_server: FeedServer
) -> None:
    sources.add(
        {
            "name": "local-watch",
            "connector": "rss",
            "every_minutes": 5,
            "query": {"feeds": [f"{feed_server.url}/feed.xml"]},
        }
    )
    sources.add({"name": "local-broken", "connector": "rss", "query": {"feeds": [f"{feed_server.url}/gone.xml"]}})
    sources.add(
        {
            "name": "local-paused",
            "connector": "rss",
            "enabled": False,
            "query": {"feeds": [f"{feed_server.url}/feed.xml"]},
        }
    )

    first = run_scheduler_once(service)
    assert first.results["local-watch"]["accepted"] == 2
    assert "HTTP 404" in first.results["local-broken"]["error"]  # failed alone; the other source ran
    assert "local-paused" not in first.results  # not scheduled; 'antidote scan local-paused' still runs it
    article = stored("news", "local-watch-1")
    assert article.source == "scan:local-watch"
    assert article.url == "http://127.0.0.1/posts/1"
    items = [r for r in ReviewItemRecord.scan() if r.post_key == "news#local-watch-1"]
    assert len(items) == 1  # feed → ingest → match → review item
    listed = service.client.request(
        "GET", "/v1/reviews?status=filed&platform=news&limit=100", headers=service.educator
    ).json()["items"]
    item = next(i for i in listed if i["post"]["post_id"] == "local-watch-1")
    assert item["status"] == "filed"  # a news item never enters the educators' queue: nobody answers an article
    assert item["action"] in ("monitor", "none")
    if item["stance"] in ("supports", "asks"):  # what would be corrected or answered elsewhere is monitored
        assert item["action"] == "monitor"
        assert "news article or feed item" in item["action_reason"]

    second = run_scheduler_once(service)  # a restarted scheduler: the cursor comes from DynamoDB Local
    assert second.results["local-watch"]["fetched"] == 0  # 304 Not Modified
    assert feed_server.requests.count(("/feed.xml", '"feed-v1"')) == 1
    assert len([r for r in ReviewItemRecord.scan() if r.post_key == "news#local-watch-1"]) == 1
    health = state("local-watch")
    assert (health.last_run.fetched, health.today.accepted, health.consecutive_failures) == (0, 2, 0)
    assert state("local-broken").consecutive_failures == 2
