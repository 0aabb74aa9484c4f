"""A day of real work in the review console, on a laptop (1280 px) and on a phone (390 px), in headless Chromium
against the local service on DynamoDB Local: totals and search over every page, tap-to-open, keyboard-only work,
the choices beyond approve/reject, teamwork, posting, bulk actions, exports, hostile text, and axe-core on every
view. Items are written into the review store by the respond function's own ``build_review_item``
(``tests/seeding.py``), each test with words of its own, so tests do not depend on one another.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, ViewportSize, expect

from functions.shared.models import Action, Stance
from tests.conftest import Service
from tests.e2e.conftest import PageErrors, require_chromium, watched_page
from tests.seeding import queued, seed_review_item

require_chromium()

WIDTHS: dict[str, ViewportSize] = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
_tags = iter(range(1, 10_000))
AXE = Axe()


def tag() -> str:
    """A word no other test's items contain, for searching this test's items."""
    digits = f"{datetime.now(UTC).strftime('%H%M%S%f')}{next(_tags)}"
    return "zq" + digits.translate(
        str.maketrans("0123456789", "abcdefghij")
    )  # letters: a searched number never matches it


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sized(browser: Browser, page_errors: PageErrors, width: str) -> Iterator[Page]:
    """A page at the test's width (a touch screen on the phone), failing on page errors like ``page``."""
    with watched_page(browser, page_errors, WIDTHS[width], has_touch=width == "phone") as opened:
        yield opened


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def sign_in(page: Page, service: Service, query: str = "", headers: dict[str, str] | None = None) -> None:
    page.goto(f"{service.local.url}/{query}#token={token_of(headers or service.educator)}")
    expect(page.locator("#view-queue")).to_be_visible()
    expect(page.locator("#queue-summary")).to_contain_text("updated")
    expect(page.locator("#queue-list")).not_to_have_attribute("aria-busy", "true")


def api(service: Service, method: str, path: str, body: Any = None) -> Any:
    reply = service.client.request(method, path, body, headers=service.educator)
    assert reply.status == 200, reply.body
    return reply.json()


def row(page: Page, item_id: str) -> Any:
    return page.locator(f'#queue-list button.row[data-id="{item_id}"]')


def open_row(page: Page, item_id: str) -> None:
    row(page, item_id).click()
    expect(page.locator(f'#item-pane article[data-id="{item_id}"]')).to_be_visible()


def in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    return bool(box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"])


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (axe ships with the Python package)."""
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


# ---------------------------------------------------------------- counts and search over every page


def test_counts_overdue_and_search_cover_every_page(sized: Page, service: Service) -> None:
    page = sized
    word = tag()
    items = [
        seed_review_item(
            service.reviews, f"measles is only a rash {word} post {n}", age=timedelta(hours=5 if n < 4 else 0)
        )
        for n in range(104)
    ]
    last = items[-1]
    last_page_text = f"measles is only a rash {word} post 103"
    sign_in(page, service, f"?q={word}")
    summary = page.locator("#queue-summary")
    expect(summary).to_contain_text(f"104 items waiting · matching “{word}” · showing 100")
    expect(summary.locator(".overdue-count")).to_have_text("4 overdue")
    expect(page.locator("#item-pane .overview dd").first).to_have_text("104 items waiting")
    # an item beyond the first page is found by the server-side search
    page.fill("#f-find", f"{word} post 103")
    expect(page.locator("#queue-list button.row")).to_have_count(1)
    expect(summary).to_contain_text("1 item waiting")
    assert f"q={word}+post+103" in page.url
    open_row(page, last.item_id)
    expect(page.locator("#item-pane .post-text")).to_have_text(last_page_text)
    # the filters live in the address bar: a reload (or a shared link) shows the same selection
    page.reload()
    expect(page.locator("#f-find")).to_have_value(f"{word} post 103")
    expect(page.locator("#queue-list button.row")).to_have_count(1)


# ---------------------------------------------------------------- phone and laptop: open, keyboard


def test_tap_to_open_shows_the_item_at_its_top_and_back_returns_to_the_row(sized: Page, service: Service) -> None:
    word = tag()
    first, second = (seed_review_item(service.reviews, f"measles is harmless {word} {n}") for n in range(2))
    sign_in(sized, service, f"?q={word}")
    if sized.viewport_size and sized.viewport_size["width"] < 500:
        row(sized, first.item_id).tap()
    else:
        row(sized, first.item_id).click()
    expect(sized.locator(f'#item-pane article[data-id="{first.item_id}"]')).to_be_visible()
    assert in_view(sized, "#item-title")
    expect(sized.locator("#item-title")).to_be_focused()
    sized.locator("#item-pane").evaluate("pane => pane.scrollTop = 900")
    sized.evaluate("window.scrollTo(0, 900)")
    sized.locator("#item-pane .close").click()
    expect(row(sized, first.item_id)).to_be_focused()
    open_row(sized, second.item_id)
    assert in_view(sized, "#item-title"), "another item opens at its top, not at the previous item's scroll position"
    viewport = sized.viewport_size
    assert viewport is not None
    assert sized.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_keyboard_only_open_edit_approve_and_undo(sized: Page, service: Service) -> None:
    word = tag()
    item = seed_review_item(service.reviews, f"measles is a mild illness {word}")
    sign_in(sized, service, f"?q={word}")
    keyboard = sized.keyboard
    keyboard.press("j")
    expect(row(sized, item.item_id)).to_be_focused()
    keyboard.press("a")  # focus on a row: a acts only on an open item, in it
    keyboard.press("Enter")
    expect(sized.locator("#item-title")).to_be_focused()
    keyboard.press("Tab")
    tabs = 1
    while not sized.evaluate("document.activeElement.id === 'editor'") and tabs < 15:
        keyboard.press("Tab")
        tabs += 1
    assert tabs < 15, "the editor is a few Tab presses from the item's heading"
    keyboard.press("Control+a")
    keyboard.type("Measles can be serious: a reply typed with a, r and u in it. https://www.who.int/")
    expect(sized.locator("#editor")).to_have_value(re.compile("^Measles can be serious"))
    assert api(service, "GET", f"/v1/reviews/{item.item_id}")["status"] == "pending"
    keyboard.press("Control+Enter")
    notice = sized.locator("#item-notice .notice")
    expect(notice).to_contain_text("Reply approved.")
    expect(notice).to_be_focused()  # focus stays with the work, not on the page body
    keyboard.press("u")
    expect(notice).to_contain_text("Decision undone.")
    audit = api(service, "GET", f"/v1/reviews/{item.item_id}/audit")
    assert [e["action"] for e in audit] == ["approve_edited", "undo"]


def test_typing_outside_the_editor_never_acts_and_shortcuts_can_be_turned_off(sized: Page, service: Service) -> None:
    page = sized
    word = tag()
    item = seed_review_item(service.reviews, f"measles is nothing to worry about {word}")
    sign_in(page, service, f"?q={word}")
    open_row(page, item.item_id)
    page.keyboard.type("thanks, really a great read", delay=40)  # typed with the focus on the heading
    expect(page.locator("#flash")).to_contain_text("looked like typing")
    assert api(service, "GET", f"/v1/reviews/{item.item_id}")["status"] == "pending"
    page.keyboard.press("Escape")
    page.click("#help-button")
    page.uncheck("#shortcuts-on")
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator("#queue-list button.row")).to_have_count(1)
    page.locator("body").press("j")
    expect(row(page, item.item_id)).not_to_be_focused()  # off, and it stays off after a reload
    row(page, item.item_id).focus()
    page.keyboard.press("Enter")  # Enter and Esc are not single-letter shortcuts: they keep working
    expect(page.locator("#item-title")).to_be_focused()
    page.keyboard.press("a")
    assert api(service, "GET", f"/v1/reviews/{item.item_id}")["status"] == "pending"


# ---------------------------------------------------------------- hostile text


BIDI_HANDLE = "@rtl\u202eevil"
ZALGO = "measles is just a rash" + "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a" * 60


def test_bidi_overrides_are_shown_and_combining_floods_are_clipped(sized: Page, service: Service) -> None:
    word = tag()
    item = seed_review_item(service.reviews, f"{ZALGO} {word} \u202egnikcap\u202c done", author_handle=BIDI_HANDLE)
    sign_in(sized, service, f"?q={word}")
    open_row(sized, item.item_id)
    handle = sized.locator("#item-pane .handle")
    expect(handle).to_have_text("@rtl⟨RLO⟩evil")  # not "@rtllive": the override cannot reorder anything
    expect(sized.locator("#bidi-note")).to_be_visible()
    post = sized.locator("#item-pane .post-text")
    style = post.evaluate("e => { const s = getComputedStyle(e); return [s.unicodeBidi, s.contain, s.overflowY]; }")
    assert style[0] == "isolate"
    assert "paint" in style[1]
    assert style[2] == "hidden"
    # nothing of the post draws outside its own box: the element at any point around it is not the post's text
    box = post.bounding_box()
    section = sized.locator("#item-pane section").first.bounding_box()
    assert box is not None
    assert section is not None
    assert box["y"] >= section["y"]
    above = sized.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.className + '|' + e.tagName : ''; }",
        [box["x"] + 10, box["y"] - 4],
    )
    assert "post-text" not in above


# ---------------------------------------------------------------- beyond approve and reject


def test_copy_then_mark_as_posted_is_recorded(
    browser: Browser, service: Service, page_errors: PageErrors, width: str
) -> None:
    with watched_page(browser, page_errors, WIDTHS[width], permissions=["clipboard-read", "clipboard-write"]) as page:
        copy_and_mark_posted(page, service)


def copy_and_mark_posted(page: Page, service: Service) -> None:
    word = tag()
    item = seed_review_item(service.reviews, f"measles is good for kids {word}")
    sign_in(page, service, f"?q={word}")
    open_row(page, item.item_id)
    page.click("#approve")
    expect(page.locator("#item-pane article")).to_have_attribute("data-status", "approved")
    page.click("#copy-reply")
    expect(page.locator("#item-notice")).to_contain_text("The reply is copied")
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == api(service, "GET", f"/v1/reviews/{item.item_id}")["final_text"]
    )
    page.fill("#posted-url", "javascript:alert(1)")
    page.click("#mark-posted")
    expect(page.locator("#item-notice")).to_contain_text("Paste the link")
    page.fill("#posted-url", "https://x.com/clinic/status/42")
    page.click("#mark-posted")
    expect(page.locator("#posted-note")).to_contain_text("Posted by amina")
    expect(page.locator("#posted-note a")).to_have_attribute("href", "https://x.com/clinic/status/42")
    expect(page.locator("#undo")).to_have_count(0)  # a posted reply is not undone here
    audit = api(service, "GET", f"/v1/reviews/{item.item_id}/audit")
    assert [e["action"] for e in audit] == ["approve", "mark_posted"]
    expect(page.locator("#audit li").last).to_contain_text("marked the reply as posted")


def test_monitor_amplify_and_escalate(sized: Page, service: Service) -> None:
    word = tag()
    monitored = seed_review_item(service.reviews, f"measles is mild {word} one")
    escalated = seed_review_item(service.reviews, f"measles is mild {word} two")
    debunk = seed_review_item(
        service.reviews,
        f"no, measles is not mild at all {word}",
        policy=queued(Stance.REFUTES, Action.NONE, amplify=True),
    )
    sign_in(sized, service, f"?q={word}")
    open_row(sized, monitored.item_id)
    expect(sized.locator("#amplify")).to_have_count(0)  # a post that repeats the myth is never amplified
    sized.click("#monitor")
    expect(sized.locator("#item-notice")).to_contain_text("Filed to monitor only")
    expect(sized.locator("#decision-note")).to_contain_text("Monitor only by amina")
    sized.locator("#item-pane .close").click()
    open_row(sized, escalated.item_id)
    sized.click("#escalate")
    expect(sized.locator("#item-notice")).to_contain_text("Say why you escalate it")
    expect(sized.locator("#escalate-reason")).to_be_focused()
    sized.select_option("#escalate-kind", "privacy")
    sized.fill("#escalate-reason", "the post names a nurse and her ward")
    sized.click("#escalate")
    expect(sized.locator("#decision-note")).to_contain_text("Escalated by amina")
    sized.locator("#item-pane .close").click()
    sized.select_option("#f-status", "filed")
    open_row(sized, debunk.item_id)
    expect(row(sized, debunk.item_id).locator(".stance")).to_have_text("Post debunks the myth")
    sized.click("#amplify")
    expect(sized.locator("#item-notice")).to_contain_text("Filed to amplify")
    states = {i.item_id: api(service, "GET", f"/v1/reviews/{i.item_id}") for i in (monitored, escalated, debunk)}
    assert (states[monitored.item_id]["status"], states[monitored.item_id]["decision"]) == ("filed", "monitor")
    assert states[escalated.item_id]["escalation_kind"] == "privacy"
    assert states[debunk.item_id]["decision"] == "amplify"
    sized.locator("#item-pane .close").click()
    sized.select_option("#f-status", "escalated")
    expect(row(sized, escalated.item_id)).to_be_visible()


def test_take_hand_over_and_notes(sized: Page, service: Service) -> None:
    page = sized
    word = tag()
    item = seed_review_item(service.reviews, f"measles is mild {word}")
    sign_in(page, service, f"?q={word}")
    open_row(page, item.item_id)
    page.click("#take")
    expect(page.locator("#assignee-line")).to_contain_text("Taken by amina (you)")
    expect(row(page, item.item_id).locator(".flag-assignee")).to_have_text("Taken by amina")
    page.locator("#item-pane .close").click()
    page.check("#f-mine")
    expect(row(page, item.item_id)).to_be_visible()
    assert "assignee=me" in page.url
    open_row(page, item.item_id)
    page.fill("#note-text", "Check with Dr Osei before replying \u202eon\u202c Monday")
    page.click("#add-note")
    expect(page.locator("#notes li")).to_contain_text("Check with Dr Osei")
    expect(page.locator("#notes .note-text .bidi-mark")).to_have_count(2)
    page.fill("#assign-to", "ben")
    page.locator("#assign-form button").click()
    expect(page.locator("#assignee-line")).to_contain_text("Taken by ben")
    audit = api(service, "GET", f"/v1/reviews/{item.item_id}/audit")
    assert [e["action"] for e in audit] == ["assign", "note", "assign"]


def test_second_sign_off_for_a_high_harm_claim(sized: Page, service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    page = sized
    monkeypatch.setattr(service.settings, "second_signoff_high_harm", True)
    word = tag()
    item = seed_review_item(service.reviews, f"measles is a harmless rash {word}")  # measles: high harm
    sign_in(page, service, f"?q={word}")
    open_row(page, item.item_id)
    expect(page.locator("#signoff-note")).to_contain_text("a second educator must confirm")
    expect(page.locator("#approve")).to_contain_text("Approve (1 of 2)")
    page.click("#approve")
    expect(page.locator("#item-notice")).to_contain_text("Approved (1 of 2)")
    expect(page.locator("#signoff-note")).to_contain_text("waits for a second educator")
    assert api(service, "GET", f"/v1/reviews/{item.item_id}")["status"] == "pending"
    # ben confirms, signed in afresh
    page.goto("about:blank")
    sign_in(page, service, f"?q={word}", service.second_educator)
    expect(row(page, item.item_id).locator(".flag-signoff")).to_have_text("1 of 2 sign-offs (amina)")
    open_row(page, item.item_id)
    expect(page.locator("#signoff-note")).to_contain_text("amina approved this text")
    page.click("#approve")
    expect(page.locator("#item-pane article")).to_have_attribute("data-status", "approved")
    audit = api(service, "GET", f"/v1/reviews/{item.item_id}/audit")
    assert [(e["action"], e["actor"]) for e in audit] == [("approve_first", "amina"), ("confirm", "ben")]


def test_bulk_reject_a_filtered_selection_after_confirming(sized: Page, service: Service) -> None:
    page = sized
    word = tag()
    items = [seed_review_item(service.reviews, f"measles jokes {word} {n}", platform="reddit") for n in range(3)]
    other = seed_review_item(service.reviews, f"measles jokes {word} elsewhere", platform="x")
    sign_in(page, service, f"?q={word}&platform=reddit")
    expect(page.locator("#queue-list button.row")).to_have_count(3)
    page.click("#bulk-reject")
    dialog = page.locator("#bulk")
    expect(dialog.locator("#bulk-count")).to_contain_text("Reject all 3 items waiting")
    expect(dialog.locator("#bulk-filters")).to_have_text("platform Reddit")
    page.click("#bulk-cancel")
    assert all(api(service, "GET", f"/v1/reviews/{i.item_id}")["status"] == "pending" for i in items)
    page.click("#bulk-reject")
    page.fill("#bulk-reason", "Satire or a joke")
    page.click("#bulk-confirm")
    expect(page.locator("#flash")).to_contain_text("3 items rejected")
    assert {api(service, "GET", f"/v1/reviews/{i.item_id}")["status"] for i in items} == {"rejected"}
    assert api(service, "GET", f"/v1/reviews/{other.item_id}")["status"] == "pending"


def test_reply_history_per_claim_and_csv_exports(sized: Page, service: Service) -> None:
    page = sized
    word = tag()
    item = seed_review_item(service.reviews, f"fluoride lowers iq {word}", claim_id="fluoride-water-lowers-iq")
    api(service, "POST", f"/v1/reviews/{item.item_id}/approve", {"text": f"Fluoride at tap levels is safe {word}"})
    sign_in(page, service, f"?q={word}&status=approved")
    with page.expect_download() as queue_download:
        page.click("#export-queue")
    rows = list(csv.DictReader(io.StringIO(Path(queue_download.value.path()).read_text(encoding="utf-8"))))
    assert [(r["item_id"], r["status"], r["final_text"]) for r in rows] == [
        (item.item_id, "approved", f"Fluoride at tap levels is safe {word}")
    ]
    with page.expect_download() as audit_download:
        page.click("#export-audit")
    assert f"{item.item_id},amina,educator,approve_edited" in Path(audit_download.value.path()).read_text()
    page.locator('#nav .tab[data-view="kb"]').click()
    page.fill("#kb-search", "fluoride-water-lowers-iq")
    card = page.locator('#kb-list article[data-claim-id="fluoride-water-lowers-iq"]')
    card.locator(".history-button").click()
    history = page.locator("#history")
    expect(history).to_be_visible()
    expect(history.locator(f'li[data-id="{item.item_id}"]')).to_contain_text(f"Fluoride at tap levels is safe {word}")
    expect(history.locator("#history-summary")).to_contain_text("approved")
    page.click("#history-close")


def test_trends_need_history_before_rising_and_show_in_queue_filters_by_claim(sized: Page, service: Service) -> None:
    seed_review_item(service.reviews, f"measles is mild {tag()}")
    sign_in(sized, service)
    sized.locator('#nav .tab[data-view="trends"]').click()
    expect(sized.locator("#trends-updated")).to_contain_text("needs 3 days of history")
    expect(sized.locator("#trend-chart .rising")).to_have_count(0)
    label = sized.locator("#trend-chart .trend-label").first
    if label.count():
        height = label.evaluate("e => e.getBoundingClientRect().height")
        assert height >= 11, f"chart labels are legible ({height:.1f} px high)"
    first = sized.locator("#most-pending li").first
    claim_id = first.get_attribute("data-claim-id")
    first.locator("button").click()
    expect(sized.locator("#view-queue")).to_be_visible()
    assert f"claim={claim_id}" in sized.url
    expect(sized.locator("#claim-filter")).to_contain_text("Only items about")
    rows = sized.locator("#queue-list button.row")
    expect(rows.first).to_be_visible()


# ---------------------------------------------------------------- accessibility on every view, both widths


def test_axe_finds_nothing_serious_on_any_view(sized: Page, service: Service) -> None:
    word = tag()
    pending = seed_review_item(service.reviews, f"measles is mild {word} a", author_handle=BIDI_HANDLE)
    approved = seed_review_item(service.reviews, f"measles is mild {word} b")
    api(service, "POST", f"/v1/reviews/{approved.item_id}/approve", {})
    found: dict[str, list[str]] = {}
    sized.goto(service.local.url + "/")
    expect(sized.locator("#signin")).to_be_visible()
    found["sign-in"] = serious_violations(sized)
    sign_in(sized, service, f"?q={word}")
    found["queue"] = serious_violations(sized)
    open_row(sized, pending.item_id)
    found["item"] = serious_violations(sized)
    sized.locator("#item-pane .close").click()
    sized.select_option("#f-status", "approved")
    open_row(sized, approved.item_id)
    found["approved item"] = serious_violations(sized)
    sized.locator("#item-pane .close").click()
    sized.select_option("#f-status", "pending")
    sized.click("#bulk-reject")
    found["bulk dialog"] = serious_violations(sized)
    sized.click("#bulk-cancel")
    sized.click("#help-button")
    found["help"] = serious_violations(sized)
    sized.keyboard.press("Escape")
    sized.locator('#nav .tab[data-view="trends"]').click()
    expect(sized.locator("#most-pending li").first).to_be_visible()
    found["trends"] = serious_violations(sized)
    sized.locator('#nav .tab[data-view="kb"]').click()
    expect(sized.locator("#kb-list article").first).to_be_visible()
    found["knowledge base"] = serious_violations(sized)
    sized.locator("#kb-list .history-button").first.click()
    expect(sized.locator("#history-summary")).to_be_visible()
    found["reply history"] = serious_violations(sized)
    assert {view: v for view, v in found.items() if v} == {}


@pytest.mark.parametrize("width", ["phone"])
def test_the_phone_header_fits_and_reads(sized: Page, service: Service) -> None:
    page = sized
    sign_in(page, service)
    for control in ("#sign-out", "#help-button", '#nav .tab[data-view="kb"]'):
        box = page.locator(control).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, control
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    outside = page.evaluate(
        "() => { const bar = document.querySelector('.topbar').getBoundingClientRect();"
        " return [...document.querySelectorAll('.topbar button, .topbar .brand')]"
        ".filter(e => e.getBoundingClientRect().bottom > bar.bottom).map(e => e.textContent); }"
    )
    assert outside == [], "every header control sits on the dark bar (white on dark, not on the light page)"


def test_screenshots_laptop_and_phone(browser: Browser, service: Service, tmp_path: Path) -> None:
    import os

    from functions.shared.settings import PROJECT_ROOT

    folder = PROJECT_ROOT / "docs" if os.environ.get("ANTIDOTE_SCREENSHOTS") else tmp_path
    context = browser.new_context(viewport=WIDTHS["phone"], device_scale_factor=2, timezone_id="UTC")
    page = context.new_page()
    word = tag()
    item = seed_review_item(
        service.reviews, f"Measles is just a rash, let kids catch it {word}", author_handle="@parent_of_3"
    )
    sign_in(page, service)
    page.screenshot(path=str(folder / "console-phone-queue.png"))
    page.fill("#f-find", word)
    expect(page.locator("#queue-list button.row")).to_have_count(1)
    open_row(page, item.item_id)
    page.screenshot(path=str(folder / "console-phone-item.png"))
    context.close()
    for name in ("console-phone-queue.png", "console-phone-item.png"):
        assert (folder / name).stat().st_size > 20_000
