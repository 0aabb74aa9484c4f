"""The console's "Coming up" view in headless Chromium: seasonal claims entering their season, for the
organisation's hemisphere or the one chosen, rendered as text."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from functions.curation.knowledge_base import load_knowledge_base
from functions.shared.seasons import entering_within, in_season
from tests.conftest import KB_DIR, Service
from tests.e2e.conftest import require_chromium

require_chromium()

CLAIMS = load_knowledge_base(KB_DIR).claims


def test_the_coming_up_view_lists_claims_entering_their_season_per_hemisphere(page: Page, service: Service) -> None:
    token = service.educator["Authorization"].split(" ", 1)[1]
    page.goto(f"{service.local.url}/#token={token}")
    expect(page.locator("#view-queue")).to_be_visible()
    page.locator('#nav .tab[data-view="coming-up"]').click()
    expect(page.locator("#view-coming-up")).to_be_visible()
    today = datetime.now(UTC).date()
    for hemisphere in ("north", "south"):
        page.locator("#coming-up-hemisphere").select_option(hemisphere)
        expected = [c for c in CLAIMS if entering_within(c.season, hemisphere, today, 6 * 7) is not None]
        word = "southern" if hemisphere == "south" else "northern"
        expect(page.locator("#coming-up-summary")).to_contain_text(f"{len(expected)} claim")
        expect(page.locator("#coming-up-summary")).to_contain_text(f"({word} hemisphere)")
        rows = page.locator("#coming-up-entering tbody tr")
        expect(rows).to_have_count(len(expected))
        for claim in expected:
            expect(page.locator(f'#coming-up-entering tr[data-claim="{claim.id}"]')).to_contain_text(claim.statement)
        current = [c for c in CLAIMS if in_season(c.season, hemisphere, today)]
        expect(page.locator("#coming-up-now tbody tr")).to_have_count(len(current))
