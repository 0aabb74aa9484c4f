"""The console's Voids view in headless Chromium: the last clustering run's voids, best first, with their size,
growth, languages, platforms, example posts (as text, never markup), closest claims and the draft command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from functions.shared import dependencies
from functions.shared.models import Platform, StoredVoid, VoidClaim, VoidExample
from tests.conftest import Service
from tests.e2e.conftest import require_chromium
from tests.e2e.test_console import CONTRAST_JS, UNLABELLED_JS
from tests.e2e.test_console_work import serious_violations

require_chromium()

NOW = datetime.now(UTC)
HOSTILE = '<img src=x onerror="document.title=1">does cracking knuckles cause arthritis'


def stored_void(void_id: str, rank: int, size: int, texts: list[str], claim: VoidClaim) -> StoredVoid:
    return StoredVoid(
        void_id=void_id,
        rank=rank,
        size=size,
        growth=size - 2,
        growth_hours=24,
        languages={"en": size - 1, "es": 1},
        platforms={"x": size - 3, "reddit": 3},
        examples=[
            VoidExample(post_key=f"x#{void_id}-{n}", platform=Platform.X, language="en", text=text, received_at=NOW)
            for n, text in enumerate(texts)
        ],
        closest_claims=[claim],
        topic_guess=claim.topic,
        first_seen=NOW - timedelta(days=2),
        last_post_at=NOW,
        clustered_at=NOW,
        members=[f"x#{void_id}-{n}" for n in range(size)],
    )


def test_the_voids_view_lists_the_voids_best_first(page: Page, service: Service) -> None:
    claim = VoidClaim(claim_id="antibiotics-treat-colds-and-flu", topic="antibiotics", similarity=0.31)
    voids = [
        stored_void("v-e2eknuckles01", 1, 14, ["crack your knuckles and you'll get arthritis", HOSTILE], claim),
        stored_void("v-e2eshaving002", 2, 9, ["shaving makes hair grow back thicker"], claim),
    ]
    store = dependencies.voids()
    before = store.current_voids()
    store.replace_voids(voids, NOW, 40)
    try:
        token = service.educator["Authorization"].split(" ", 1)[1]
        page.goto(f"{service.local.url}/#token={token}")
        expect(page.locator("#view-queue")).to_be_visible()
        page.locator('#nav .tab[data-view="voids"]').click()
        expect(page.locator("#view-voids")).to_be_visible()
        expect(page.locator("#voids-summary")).to_contain_text("2 void(s) among 40 kept health post(s)")
        cards = page.locator("#void-list > li")
        expect(cards).to_have_count(2)
        first = cards.nth(0)
        expect(first).to_contain_text("#1 · 14 posts")
        expect(first).to_contain_text("12 in the last 24 h")
        expect(first).to_contain_text("topic guess: antibiotics")
        expect(first).to_contain_text("en 13 · es 1")
        expect(first).to_contain_text("x 11 · reddit 3")
        expect(first).to_contain_text("crack your knuckles and you'll get arthritis")
        expect(first).to_contain_text(HOSTILE)  # shown as text
        assert page.locator("#void-list img").count() == 0
        assert page.title() != "1"
        expect(first).to_contain_text("antibiotics-treat-colds-and-flu (antibiotics, 31% similar)")
        expect(first.locator(".void-draft code")).to_have_text("antidote kb draft --from-void v-e2eknuckles01")
        expect(cards.nth(1)).to_contain_text("#2 · 9 posts")
        assert page.evaluate(UNLABELLED_JS) == []
        assert page.evaluate(CONTRAST_JS) == []
        assert serious_violations(page) == []
    finally:
        store.replace_voids(before, NOW, 0)
