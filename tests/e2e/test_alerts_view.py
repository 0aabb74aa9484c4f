"""Alerts in the console, in headless Chromium: the Trends tab's badge for alerts not yet seen, the alert list,
the spike marked on the claim's sparkline, and the trends cut by region."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from functions.shared import dependencies
from functions.shared.models import Alert, AlertDelivery, AlertKind, MatchEntry, TrendKind
from tests.conftest import Service
from tests.e2e.conftest import require_chromium
from tests.e2e.test_console import sign_in

require_chromium()

CLAIM = "vaccines-autism-mmr-causes-autism"


def test_a_new_spike_shows_as_a_badge_in_the_list_and_on_the_chart(page: Page, service: Service) -> None:
    now = datetime.now(UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    stamp = now.timestamp()
    entries = [
        MatchEntry(f"x#e2e-alert-{stamp}-{i}", "match", "e2e", "kb", [], CLAIM, TrendKind.SPREADING, None, "FJ", "en")
        for i in range(6)
    ]
    dependencies.posts().record_matches(entries, now)
    alert = Alert(
        alert_id=f"spike#claim:{CLAIM}#{hour:%Y-%m-%dT%H}",
        kind=AlertKind.SPIKE,
        series=f"claim:{CLAIM}",
        hour=hour,
        count=6,
        expected=0.2,
        p_value=0.00001,
        delivery=AlertDelivery.IMMEDIATE,
        raised_at=now,
    )
    dependencies.alerts().raise_alert(alert)

    sign_in(page, service)
    badge = page.locator("#alert-badge")
    expect(badge).to_be_visible()
    counted = re.fullmatch(r"(\d+) new alerts?", badge.text_content() or "")
    assert counted
    assert int(counted.group(1)) >= 1

    page.locator('#nav .tab[data-view="trends"]').click()
    expect(badge).to_be_hidden()  # looked at: no longer new
    item = page.locator(f'#alert-list li[data-alert-id="{alert.alert_id}"]')
    expect(item).to_contain_text("Spike")
    expect(item).to_contain_text(f"claim {CLAIM}")
    row = page.locator(f'#trend-chart g.trend-row[data-claim-id="{CLAIM}"]')
    expect(row.locator("text.spike-mark")).to_have_count(1)

    page.locator("#trend-region").select_option("FJ")
    rows = page.locator("#trend-chart g.trend-row")
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-claim-id") == CLAIM
