"""The console's Sources view in headless Chromium: each configured source with its schedule, what it watches and
its health, rendered as text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from functions.shared import dependencies
from functions.shared.models import SourceRunCounts
from functions.shared.settings import get_settings
from tests.conftest import Service
from tests.e2e.conftest import require_chromium

require_chromium()

SOURCES = [
    {"name": "e2e-news", "connector": "rss", "every_minutes": 30, "query": {"feeds": ["https://news.example/rss"]}},
    {
        "name": "e2e-mastodon",
        "connector": "mastodon",
        "languages": ["en", "es"],
        "query": {"instances": ["https://health.example"], "hashtags": ["vaccines"]},
    },
]


def test_the_sources_view_shows_each_source_and_its_health(
    page: Page, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTIDOTE_SOURCES", json.dumps(SOURCES))
    get_settings.cache_clear()
    now = datetime.now(UTC)
    store = dependencies.source_states()
    store.update_state(
        "e2e-news",
        lambda s: s.model_copy(
            update={
                "last_run_at": now,
                "last_success_at": now,
                "last_run": SourceRunCounts(fetched=4, accepted=3, duplicates=1),
                "day": now.strftime("%Y-%m-%d"),
                "today": SourceRunCounts(fetched=9, accepted=7, duplicates=2),
            }
        ),
    )
    store.update_state(
        "e2e-mastodon",
        lambda s: s.model_copy(
            update={
                "last_run_at": now,
                "last_error": "<b>HTTP 503</b>: ConnectorError: Service Unavailable",
                "last_error_at": now,
                "consecutive_failures": 2,
            }
        ),
    )
    try:
        token = service.educator["Authorization"].split(" ", 1)[1]
        page.goto(f"{service.local.url}/#token={token}")
        expect(page.locator("#view-queue")).to_be_visible()
        page.locator('#nav .tab[data-view="sources"]').click()
        expect(page.locator("#view-sources")).to_be_visible()
        news = page.locator("#sources-table tbody tr", has_text="e2e-news")
        expect(news).to_contain_text("rss · every 30 min")
        expect(news).to_contain_text("Working")
        expect(news).to_contain_text("feeds: https://news.example/rss")
        expect(news).to_contain_text("4 fetched · 3 new · 1 already seen · 0 rejected")
        expect(news).to_contain_text("9 fetched · 7 new")
        failing = page.locator("#sources-table tbody tr", has_text="e2e-mastodon")
        expect(failing).to_contain_text("Failing")
        expect(failing).to_contain_text("2 failed in a row")
        expect(failing).to_contain_text("languages: en, es")
        expect(failing).to_contain_text("<b>HTTP 503</b>")  # an error is shown as text, never as markup
        assert page.locator("#sources-table b").count() == 0
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
