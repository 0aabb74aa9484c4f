"""The review console in a real browser (headless Debian Chromium) against the local service on DynamoDB Local.

Items are seeded through the real pipeline (webhook → match → respond). The service is shared with other test
modules, so every check looks up this module's own items by id instead of assuming the queue holds only them.
Set ANTIDOTE_SCREENSHOTS=1 to write docs/console-queue.png and docs/console-item.png (otherwise they go to a
temporary folder, so a normal run changes no tracked file).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, Request, Route, expect

from functions.local.demo import load_demo_posts
from functions.respond.drafting import PLATFORM_LIMITS, counted_length
from functions.shared.auth import issue_dev_token
from functions.shared.dal.models import ReviewItemRecord
from functions.shared.settings import PROJECT_ROOT
from tests.conftest import Service
from tests.e2e.conftest import require_chromium

require_chromium()

SCREENSHOTS = bool(os.environ.get("ANTIDOTE_SCREENSHOTS"))
RUN = datetime.now(UTC).strftime("%H%M%S%f")
_ids = itertools.count(1)

HOSTILE_TEXT = (
    "Is it true that the MMR jab causes autism? my nephew changed overnight after his shots "
    "<script>alert('x')</script><img src=x onerror=alert(1)> <b>wake up</b>"
)
# name: (platform, text, views, age in minutes). The seeds that must wait in the queue are plain questions: the
# stance model answers those unambiguously ("asks"), so the reply policy queues them with an answer to approve,
# whatever else the model is still learning.
SEEDS: dict[str, tuple[str, str, int, int]] = {
    "top": ("bluesky", "Is it true that high dose vitamin C cures cancer and you can skip the chemo?", 2_000_000, 10),
    "middle": ("bluesky", "Does the flu jab give you the flu? Asking before my appointment", 20_000, 60),
    "bottom": ("bluesky", "Is garlic really as good as blood pressure pills?", 10, 600),
    "edit": ("x", "Does sunscreen cause skin cancer? Are the chemicals worse than the sun?", 5_000, 30),
    "approve": ("x", "Is it true the HPV vaccine makes girls infertile?", 5_000, 30),
    "reject": ("x", "Will antibiotics sort out a cold faster? Should I ask my GP for them?", 5_000, 30),
    "conflict": ("x", "Does detox tea really flush the toxins out of your liver?", 5_000, 30),
    "hostile": ("x", HOSTILE_TEXT, 5_000, 30),
    "overdue": (
        "mastodon",
        "Is fluoride in tap water a neurotoxin that lowers kids' IQ? Should we filter it?",
        900_000,
        30,
    ),
    # every claim is translated into the nine reply languages, not into Italian: this needs translation
    "italian": (
        "x",
        "Il catarro verde vuol dire infezione batterica, quindi servono gli antibiotici, giusto?",
        5_000,
        30,
    ),
}
QUEUED = ("top", "middle", "bottom", "edit", "approve", "reject", "conflict", "overdue", "italian")
DUE_IN = {
    "top": timedelta(hours=3, minutes=30),
    "middle": timedelta(days=1, hours=2, minutes=10),
    "overdue": -timedelta(minutes=25),
}


def make_post(
    text: str, platform: str = "x", views: int = 5_000, age_minutes: int = 30, **extra: Any
) -> dict[str, Any]:
    number = next(_ids)
    return {
        "platform": platform,
        "post_id": f"e2e-{RUN}-{number}",
        "author_handle": "@poster",
        "text": text,
        "url": f"https://example.org/{platform}/posts/{number}",
        "created_at": (datetime.now(UTC) - timedelta(minutes=age_minutes)).isoformat(),
        "language": "en",
        "reach": {"followers": 1200, "likes": 30, "shares": 4, "views": views},
        **extra,
    }


def deliver(service: Service, posts: list[dict[str, Any]]) -> None:
    reply = service.client.request("POST", "/v1/posts", {"posts": posts}, {"x-api-key": service.ingest_key})
    assert reply.status == 200, reply.body
    assert service.local.wait_idle(300)


def items_for(posts: list[dict[str, Any]]) -> dict[str, str]:
    """post_key -> review item id, for the posts that became review items."""
    keys = {f"{p['platform']}#{p['post_id']}" for p in posts}
    return {r.post_key: r.item_id for r in ReviewItemRecord.scan() if r.post_key in keys}


@dataclass
class Seeded:
    ids: dict[str, str]  # seed name -> review item id
    posts: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def seeded(service: Service) -> Seeded:
    extras: dict[str, dict[str, Any]] = {"hostile": {"author_handle": "<img src=x onerror=alert(1)>"}}
    extras["italian"] = {"language": "it"}
    posts = {
        name: make_post(text, platform, views, age, **extras.get(name, {}))
        for name, (platform, text, views, age) in SEEDS.items()
    }
    extra: list[dict[str, Any]] = []
    if SCREENSHOTS:  # a fuller queue for the README's pictures: real sample posts, a few hours old
        demo = [p for p in load_demo_posts() if p.get("kind") == "myth"][:24]
        for index, sample in enumerate(demo):
            extra.append(
                {
                    **{k: v for k, v in sample.items() if k != "kind"},
                    "post_id": f"e2e-{RUN}-demo-{index}",
                    "created_at": (datetime.now(UTC) - timedelta(minutes=20 + 9 * index)).isoformat(),
                }
            )
    deliver(service, [*posts.values(), *extra])
    found = items_for(list(posts.values()))
    ids = {name: found.get(f"{p['platform']}#{p['post_id']}", "") for name, p in posts.items()}
    assert all(ids.values()), f"seed posts that made no review item: {[n for n, i in ids.items() if not i]}"
    waiting = {name: ReviewItemRecord.get(ids[name]).status for name in QUEUED}
    assert set(waiting.values()) == {"pending"}, waiting
    # The service sets a deadline from the time of day (a standard item is due at the end of the organisation's day),
    # so the countdowns the console shows are pinned here, not left to the hour the suite runs at.
    for name, from_now in DUE_IN.items():
        record = ReviewItemRecord.get(ids[name])
        record.sla_due = datetime.now(UTC) + from_now
        record.save()
    return Seeded(ids, posts)


# ---------------------------------------------------------------- helpers


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def sign_in(page: Page, service: Service, token: str | None = None) -> None:
    page.goto(f"{service.local.url}/#token={token or token_of(service.educator)}")
    expect(page.locator("#view-queue")).to_be_visible()
    expect(page.locator("#queue-summary")).to_contain_text("updated")


def api_get(service: Service, path: str) -> Any:
    reply = service.client.request("GET", path, headers=service.educator)
    assert reply.status == 200, reply.body
    return reply.json()


def choose(page: Page, select: str, value: str) -> None:
    """Pick a queue filter and wait until the list holds the API's answer to it."""
    page.select_option(select, value)
    expect(page.locator("#queue-list")).not_to_have_attribute("aria-busy", "true")


def open_item(page: Page, item_id: str) -> None:
    """Open an item from the list (with the status filter it needs: a filed item is not in the queue)."""
    status = ReviewItemRecord.get(item_id).status
    if page.locator("#f-status").input_value() != status and status in ("pending", "filed"):
        choose(page, "#f-status", status)
    row = page.locator(f'#queue-list button.row[data-id="{item_id}"]')
    if not row.count():  # beyond the first page (other modules share the service): search for the post's words
        words = " ".join(str(ReviewItemRecord.get(item_id).post["text"]).split()[:6])
        page.fill("#f-find", words)
    row.click()
    expect(page.locator(f'#item-pane article[data-id="{item_id}"]')).to_be_visible()


def article(page: Page) -> Any:
    return page.locator("#item-pane article.item")


# ---------------------------------------------------------------- signing in


def test_sign_in_from_the_form_or_a_link_and_sign_out(page: Page, service: Service) -> None:
    page.goto(service.local.url + "/")
    signin = page.locator("#signin")
    expect(signin).to_be_visible()
    expect(signin).to_contain_text("Ask the person who runs Antidote for your organisation for a sign-in link")
    expect(signin.locator("details")).not_to_have_attribute("open", "")  # the command line is for the operator
    expect(signin).to_contain_text("antidote token --user THEIR-NAME --link")
    expect(page.locator("#view-queue")).to_be_hidden()

    page.fill("#token-input", "not a token")
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#signin-error")).to_contain_text("not an educator token")

    elsewhere = service.settings.model_copy(
        update={"dev_token_secret": "another-machine-with-a-long-secret-0123456789"}
    )
    forged = issue_dev_token(elsewhere, "eve", "admin")
    page.fill("#token-input", forged)
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#signin-error")).to_contain_text("did not accept")
    expect(page.locator("#signin-error")).to_contain_text("invalid educator token")

    page.fill("#token-input", "Bearer " + token_of(service.educator))
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#view-queue")).to_be_visible()
    expect(page.locator("#whoami")).to_have_text("Signed in as amina")

    page.click("#sign-out")
    expect(signin).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0

    # a sign-in link: the token leaves the address bar at once and stays only in this tab's session storage
    sign_in(page, service, token_of(service.admin))
    assert "#" not in page.url
    assert "token" not in page.url
    assert page.evaluate("sessionStorage.getItem('antidote.token')") == token_of(service.admin)
    expect(page.locator("#whoami")).to_have_text("Signed in as chief (admin)")

    # an ended session sends the educator back to sign in
    page.evaluate("sessionStorage.setItem('antidote.token', 'x.eyJzdWIiOiJhIiwicm9sZSI6ImVkdWNhdG9yIn0.y')")
    page.locator('#nav .tab[data-view="trends"]').click()
    expect(signin).to_be_visible()
    expect(page.locator("#signin-error")).to_contain_text("sign in again")


# ---------------------------------------------------------------- the queue


def test_queue_is_in_priority_order_with_sla_platform_language_verdict_and_reach(
    page: Page, service: Service, seeded: Seeded
) -> None:
    mine = [seeded.ids[name] for name in ("top", "middle", "bottom")]
    priorities = {i: api_get(service, f"/v1/reviews/{i}")["priority"] for i in mine}
    assert len(set(priorities.values())) == 3
    sign_in(page, service)
    choose(page, "#f-platform", "bluesky")
    rows = page.locator("#queue-list button.row")
    for item_id in mine:
        expect(page.locator(f'#queue-list button.row[data-id="{item_id}"]')).to_be_visible()
    shown = [i for i in rows.evaluate_all("rows => rows.map(r => r.dataset.id)") if i in priorities]
    assert shown == sorted(mine, key=lambda i: -priorities[i])
    assert set(rows.evaluate_all("rows => rows.map(r => r.querySelector('.platform').textContent)")) == {"Bluesky"}

    top = page.locator(f'#queue-list button.row[data-id="{seeded.ids["top"]}"]')
    expect(top.locator(".due")).to_have_text(re.compile(r"^Due in 3 h (2\d|30) min$"))
    middle = page.locator(f'#queue-list button.row[data-id="{seeded.ids["middle"]}"]')
    expect(middle.locator(".due")).to_have_text("Due in 1 d 2 h")
    expect(top.locator(".lang")).to_have_text("EN")
    expect(top.locator(".verdict")).to_have_text(re.compile("False|Misleading|Unproven"))
    expect(top.locator(".row-meta")).to_contain_text("2M views")
    expect(top.locator(".row-claim")).not_to_be_empty()

    # an item past its SLA stands out: red edge, red badge, counted in the summary
    choose(page, "#f-platform", "mastodon")
    overdue = page.locator(f'#queue-list button.row[data-id="{seeded.ids["overdue"]}"]')
    expect(overdue).to_have_class(re.compile(r"\boverdue\b"))
    expect(overdue.locator(".due")).to_have_text(re.compile(r"^Overdue by (2[4-9]|3\d) min$"))
    assert overdue.locator(".due").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(163, 0, 27)"
    expect(page.locator("#queue-summary .overdue-count")).to_contain_text("overdue")

    # topic and language filters go to the API; the list only ever holds matching items
    choose(page, "#f-platform", "")
    topic = api_get(service, f"/v1/reviews/{seeded.ids['bottom']}")["topic"]
    choose(page, "#f-topic", topic)
    expect(page.locator(f'#queue-list button.row[data-id="{seeded.ids["bottom"]}"]')).to_be_visible()
    topics = {t.strip() for t in rows.evaluate_all("rows => rows.map(r => r.querySelector('.row-meta').textContent)")}
    assert all(t.startswith(topic.replace("-", " ")) for t in topics)
    choose(page, "#f-topic", "")
    choose(page, "#f-language", "es")
    expect(page.locator(f'#queue-list button.row[data-id="{seeded.ids["top"]}"]')).to_have_count(0)


def test_new_items_appear_without_reloading_and_the_open_editor_keeps_its_text(
    page: Page, service: Service, seeded: Seeded
) -> None:
    sign_in(page, service)
    open_item(page, seeded.ids["middle"])
    page.fill("#editor", "My own words, not sent yet.")
    fresh = make_post("Is measles just a harmless rash? Do kids really need the jab?", views=3_000_000)
    deliver(service, [fresh])
    new_id = items_for([fresh])[f"x#{fresh['post_id']}"]
    row = page.locator(f'#queue-list button.row[data-id="{new_id}"]')
    expect(row).to_be_visible(timeout=15_000)  # the console polls every 5 s
    expect(row.locator(".new")).to_have_text("New")
    expect(page.locator("#editor")).to_have_value("My own words, not sent yet.")
    expect(article(page)).to_have_attribute("data-id", seeded.ids["middle"])
    expect(page.locator("#flash")).to_contain_text("new item")


# ---------------------------------------------------------------- one item: editing and deciding


def test_a_reply_past_the_limit_turns_the_counter_red_and_cannot_be_approved(
    page: Page, service: Service, seeded: Seeded
) -> None:
    item_id = seeded.ids["edit"]
    draft = api_get(service, f"/v1/reviews/{item_id}")["draft"]["text"]
    sign_in(page, service)
    open_item(page, item_id)
    editor, counter, approve = page.locator("#editor"), page.locator("#counter"), page.locator("#approve")
    expect(editor).to_have_value(draft)
    expect(counter).to_have_text(f"{counted_length(draft, 'x')} / 280 characters")
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    expect(approve).to_be_enabled()

    too_long = draft + " Please also read our longer guide, which explains everything in detail for parents."
    length = counted_length(too_long, "x")
    assert length > PLATFORM_LIMITS["x"]
    editor.fill(too_long)
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(counter).to_have_text(f"{length} / 280 · {length - 280} over the limit")
    assert counter.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(163, 0, 27)"
    expect(approve).to_be_disabled()
    page.keyboard.press("Escape")  # leave the editor, then try the shortcut anyway
    page.keyboard.press("a")
    expect(page.locator("#item-notice")).to_contain_text(f"The reply is {length} characters as X counts them")
    assert api_get(service, f"/v1/reviews/{item_id}")["status"] == "pending"

    # X counts a link as 23 whatever its length: a long URL still fits
    with_link = "Thanks for raising this. " + "Sunscreen is safe. " * 12 + "https://example.org/" + "guide/" * 30
    assert len(with_link) > 280 >= counted_length(with_link, "x")
    editor.fill(with_link)
    expect(counter).to_have_text(f"{counted_length(with_link, 'x')} / 280 characters")
    expect(approve).to_be_enabled()
    page.click("#restore-draft")
    expect(editor).to_have_value(draft)


def test_approve_edited_undo_then_approve_as_drafted_is_audited(page: Page, service: Service, seeded: Seeded) -> None:
    item_id = seeded.ids["approve"]
    draft = api_get(service, f"/v1/reviews/{item_id}")["draft"]["text"]
    sign_in(page, service)
    open_item(page, item_id)
    edited = "Thanks for raising this. The HPV vaccine does not affect fertility. https://www.nhs.uk/vaccinations/hpv-vaccine/"
    page.fill("#editor", edited)
    page.locator("#editor").press("Control+Enter")
    expect(article(page)).to_have_attribute("data-status", "approved")
    expect(page.locator(".final-text")).to_have_text(edited)
    expect(page.locator("#item-notice")).to_contain_text("Reply approved")
    events = api_get(service, f"/v1/reviews/{item_id}/audit")
    assert [(e["action"], e["actor"]) for e in events] == [("approve_edited", "amina")]
    assert events[0]["after"]["final_text"] == edited
    expect(page.locator("#audit li")).to_contain_text(["amina approved an edited reply"])
    expect(page.locator(f'#queue-list button.row[data-id="{item_id}"]')).to_have_count(0)  # gone from pending

    page.keyboard.press("u")
    expect(article(page)).to_have_attribute("data-status", "pending")
    expect(page.locator("#editor")).to_have_value(edited)  # the edit comes back with the item
    page.click("#restore-draft")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(article(page)).to_have_attribute("data-status", "approved")
    events = api_get(service, f"/v1/reviews/{item_id}/audit")
    assert [e["action"] for e in events] == ["approve_edited", "undo", "approve"]
    assert api_get(service, f"/v1/reviews/{item_id}")["final_text"] == draft


def test_reject_needs_a_reason_and_is_audited(page: Page, service: Service, seeded: Seeded) -> None:
    item_id = seeded.ids["reject"]
    sign_in(page, service)
    open_item(page, item_id)
    page.keyboard.press("r")
    reason = page.locator("#reject-reason")
    expect(reason).to_be_focused()
    reason.fill("no")
    page.click("#reject")
    # the server's own 422 message is shown
    expect(page.locator("#item-notice")).to_contain_text(
        "The service refused this: reason: String should have at least 3"
    )
    reason.fill("The post is satire")
    page.click("#reject")
    expect(article(page)).to_have_attribute("data-status", "rejected")
    expect(page.locator(".final-text")).to_have_text("The post is satire")
    events = api_get(service, f"/v1/reviews/{item_id}/audit")
    assert [(e["action"], e["actor"]) for e in events] == [("reject", "amina")]
    assert events[0]["after"]["reject_reason"] == "The post is satire"
    expect(page.locator("#audit li")).to_contain_text(["amina rejected: The post is satire"])


def test_a_409_says_who_acted_first_and_shows_the_current_state(page: Page, service: Service, seeded: Seeded) -> None:
    item_id = seeded.ids["conflict"]
    sign_in(page, service)
    open_item(page, item_id)
    # hold the 5 s poll back, so it is the approve click (not the poll) that finds out
    page.route(lambda url: "/v1/reviews?" in url, lambda route: route.abort())
    other = service.client.request("POST", f"/v1/reviews/{item_id}/approve", {}, service.second_educator)
    assert other.status == 200
    page.click("#approve")
    notice = page.locator("#item-notice")
    expect(notice).to_contain_text("Another educator acted on this item first")
    expect(notice).to_contain_text("(now approved by ben)")  # the problem's detail
    expect(notice).to_contain_text("It is now approved by ben")
    expect(article(page)).to_have_attribute("data-status", "approved")
    expect(page.locator(".final-text")).to_have_text(other.json()["final_text"])
    assert [e["actor"] for e in api_get(service, f"/v1/reviews/{item_id}/audit")] == ["ben"]


def test_a_post_with_script_and_html_is_shown_as_inert_text(page: Page, service: Service, seeded: Seeded) -> None:
    item_id = seeded.ids["hostile"]
    stored = api_get(service, f"/v1/reviews/{item_id}")["post"]
    assert "<script>" in stored["text"]
    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, service)
    open_item(page, item_id)
    shown = page.locator(".post-text")
    assert shown.text_content() == stored["text"]
    expect(shown).to_contain_text("<script>alert('x')</script><img src=x onerror=alert(1)>")
    assert shown.evaluate("e => e.children.length") == 0  # one text node, no elements
    author = page.locator(".facts dt:text-is('Author') + dd")
    assert author.text_content() == (stored["author_handle"] or "not given")
    assert page.locator("#item-pane script, #item-pane img, #item-pane b").count() == 0
    assert page.locator("script").count() == 1  # only console/app.js
    page.wait_for_timeout(300)
    assert dialogs == []  # alert() never ran
    assert not [url for url in requests if url.rstrip("/").endswith("/x")]


# ---------------------------------------------------------------- the reply policy on items


def test_an_item_shows_its_stance_action_reason_and_the_reach_rule(
    page: Page, service: Service, seeded: Seeded
) -> None:
    item = api_get(service, f"/v1/reviews/{seeded.ids['top']}")
    assert (item["stance"], item["action"]) == ("asks", "inform")
    sign_in(page, service)
    # with no item open, the overview lists the reach rule of every platform, as configured
    rules = page.locator("#item-pane .reach-table tbody tr")
    expect(rules).to_have_count(7)
    expect(page.locator('#item-pane .reach-table tr[data-platform="x"]')).to_contain_text("X10010")
    choose(page, "#f-platform", "bluesky")
    row = page.locator(f'#queue-list button.row[data-id="{item["item_id"]}"]')
    expect(row.locator(".action")).to_have_text("Inform: answer the question")
    open_item(page, item["item_id"])
    expect(page.locator("#policy-stance")).to_have_text(re.compile(r"^Asks about the claim \(\d+ %\)$"))
    expect(page.locator("#policy-action")).to_have_text("Inform: answer the question")
    expect(page.locator("#policy-reason")).to_have_text(item["action_reason"])
    reach = page.locator("#policy-reach")
    expect(reach).to_contain_text("On Bluesky a correction is only monitored below 50 followers and 5 likes + shares")
    expect(reach).to_contain_text("This account: 1.2K followers, 34 likes + shares, above the threshold.")
    expect(page.locator("#editor")).to_have_value(re.compile(r"^Good question! "))
    expect(article(page).locator(".item-head .action")).to_have_text("Inform: answer the question")


def test_a_monitored_item_is_filed_with_the_reach_rule_and_nothing_to_approve(page: Page, service: Service) -> None:
    from functions.respond.logic import SlaRule, build_review_item
    from functions.respond.priority import priority_key
    from functions.shared.claims import Claim
    from functions.shared.models import MatchMessage, ReachRule, ReplyPolicy, StoredPost

    claims = api_get(service, "/v1/claims")["claims"]
    claim = Claim.model_validate(
        {k: v for k, v in next(c for c in claims if c["id"] == "measles-mild-illness").items() if k != "stale"}
    )
    sent = make_post("measles is just a rash, relax", reach={"followers": 12, "likes": 1, "shares": 0, "views": 40})
    now = datetime.now(UTC)
    stored = StoredPost.model_validate(
        {**sent, "post_key": f"x#{sent['post_id']}", "received_at": now, "discloses_own_health": False,
         "redactions": {}, "source": "webhook", "region": None}
    )  # fmt: skip
    rule = ReachRule(
        platform="x", followers=100, engagement=10, post_followers=12, post_engagement=1, reached=False, applied=True
    )
    policy = ReplyPolicy(
        stance="supports",
        stance_confidence=0.91,
        action="monitor",
        reason="the post repeats a myth, but below the reach threshold on x (100 followers or 10 likes + shares)",
        reach_rule=rule,
    )
    claimed = claim.model_dump(mode="json")
    message = MatchMessage(
        post_key=stored.post_key, decision="match", kb_version="kb-e2e", matches=[], claim=claimed, policy=policy
    )
    item = build_review_item(message, stored, now, SlaRule())
    assert service.reviews.put_review_item_if_new(item, priority_key(item.priority, item.item_id))

    sign_in(page, service)
    choose(page, "#f-status", "filed")
    row = page.locator(f'#queue-list button.row[data-id="{item.item_id}"]')
    expect(row.locator(".status")).to_have_text("Filed")
    expect(row.locator(".action")).to_have_text("Monitor: counted, not answered")
    open_item(page, item.item_id)
    expect(page.locator("#h-reply")).to_have_text("Filed: not in the queue")
    expect(page.locator("#filed-note")).to_contain_text("below the reach rule")
    expect(page.locator("#policy-reach")).to_contain_text(
        "below the threshold, so this post is monitored, not answered"
    )
    expect(page.locator("#policy-stance")).to_have_text("Supports the claim (91 %)")
    expect(page.locator("#approve")).to_have_count(0)
    expect(page.locator("#item-pane .final-text")).to_contain_text(claim.correction[:40])


def test_a_draft_that_needs_translation_shows_the_reference_and_needs_a_translated_reply(
    page: Page, service: Service, seeded: Seeded
) -> None:
    item_id = seeded.ids["italian"]
    item = api_get(service, f"/v1/reviews/{item_id}")
    assert item["needs_translation"]
    sign_in(page, service)
    choose(page, "#f-language", "it")
    row = page.locator(f'#queue-list button.row[data-id="{item_id}"]')
    expect(row.locator(".flag-translate")).to_have_text("Needs translation")
    open_item(page, item_id)
    expect(page.locator("#reference-label")).to_contain_text("Needs translation.")
    expect(page.locator("#reference-label")).to_contain_text("it is not a reply to this post")
    expect(page.locator(".reference-text")).to_have_text(item["draft"]["reference"])
    editor, approve = page.locator("#editor"), page.locator("#approve")
    expect(editor).to_have_value("")
    expect(editor).to_have_attribute("placeholder", "Write the reply in Italian")
    expect(approve).to_be_disabled()
    page.click("#use-reference")
    expect(editor).to_have_value(item["draft"]["reference"])
    expect(approve).to_be_disabled()  # still the untranslated reference
    italian = "Bella domanda! No: il catarro verde non indica un'infezione batterica. https://www.nhs.uk/"
    editor.fill(italian)
    expect(approve).to_be_enabled()
    approve.click()
    expect(article(page)).to_have_attribute("data-status", "approved")
    assert api_get(service, f"/v1/reviews/{item_id}")["final_text"] == italian


# ---------------------------------------------------------------- trends and the knowledge base


def test_trends_chart_is_drawn_from_the_data(page: Page, service: Service, seeded: Seeded) -> None:
    sign_in(page, service)
    page.locator('#nav .tab[data-view="trends"]').click()
    chart = page.locator("#trend-chart svg.trend-chart")
    expect(chart).to_be_visible()
    trends = api_get(service, "/v1/trends")

    def active(row: dict[str, Any]) -> int:
        return int(row["last_week"] + row["counter_speech"]["last_week"] + row["questions"]["last_week"])

    busiest = [row for row in trends["claims"] if active(row)][:10]
    assert busiest
    asked = sum(row["questions"]["last_week"] for row in trends["claims"])
    assert asked >= len(QUEUED) - 1  # the seeded questions count as questions
    rows = chart.locator("g.trend-row")
    expect(rows).to_have_count(len(busiest))
    assert rows.evaluate_all("gs => gs.map(g => g.dataset.claimId)") == [row["claim_id"] for row in busiest]
    widths = chart.locator("rect.bar-week").evaluate_all("rs => rs.slice(1).map(r => r.width.baseVal.value)")
    top = max(1, *(row["last_week"] for row in busiest))
    for row, width in zip(busiest, widths, strict=True):
        assert width == pytest.approx(max(300 * row["last_week"] / top, 1), abs=0.5)
    label = chart.locator("g.trend-row").first.locator("text.trend-id")
    first = busiest[0]
    expect(label).to_contain_text(
        f"{first['counter_speech']['last_week']} counter · {first['questions']['last_week']} asked"
    )
    days = chart.locator("g.trend-row").first.locator("polyline.spark").get_attribute("points") or ""
    assert len(days.split()) == 7
    assert chart.locator("title").first.text_content() == "Posts spreading each claim, last 24 hours and last 7 days"
    pending = page.locator("#most-pending li")
    assert pending.evaluate_all("ls => ls.map(l => l.dataset.claimId)") == [
        row["claim_id"] for row in trends["most_pending"]
    ]


def test_knowledge_base_search_shows_verdicts_sources_and_flags_stale_reviews(page: Page, service: Service) -> None:
    claims = api_get(service, "/v1/claims")["claims"]
    target = next(c for c in claims if c["id"] == "vaccines-autism-mmr-causes-autism")
    stale_before = sum(c["stale"] for c in claims)

    def one_more_stale(route: Route, request: Request) -> None:
        data = route.fetch().json()
        for claim in data["claims"]:
            if claim["id"] == target["id"]:
                claim.update(stale=True, review_by="2020-01-01")
        route.fulfill(status=200, json=data)

    page.route(lambda url: url.endswith("/v1/claims"), one_more_stale)
    sign_in(page, service)
    page.locator('#nav .tab[data-view="kb"]').click()
    page.keyboard.press("/")
    expect(page.locator("#kb-search")).to_be_focused()
    page.keyboard.type("autism")
    cards = page.locator("#kb-list article.claim-card")
    expect(cards.first).to_be_visible()
    texts = cards.evaluate_all("cs => cs.map(c => c.textContent.toLowerCase())")
    assert texts
    assert all("autism" in text for text in texts)
    card = page.locator(f'#kb-list article[data-claim-id="{target["id"]}"]')
    expect(card.locator(".verdict")).to_have_text("False")
    hrefs = card.locator(".sources-line a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs == [source["url"] for source in target["sources"]]
    expect(card).to_contain_text(f"Last reviewed {target['last_reviewed']} · review by 2020-01-01")
    expect(card.locator(".stale-badge")).to_have_text("Review overdue")
    expect(card).to_have_class(re.compile(r"\bstale\b"))

    page.fill("#kb-search", "")
    page.check("#kb-stale")
    stale = stale_before + (0 if target["stale"] else 1)
    expect(cards).to_have_count(stale)
    expect(page.locator("#kb-summary")).to_contain_text(f"{stale} of {len(claims)} claims · {stale} overdue for review")
    page.uncheck("#kb-stale")
    page.select_option("#kb-verdict", "true")
    expect(cards).to_have_count(sum(c["verdict"] == "true" for c in claims))


# ---------------------------------------------------------------- keyboard, counting, accessibility


def test_keyboard_shortcuts_move_open_close_and_stay_off_while_typing(
    page: Page, service: Service, seeded: Seeded
) -> None:
    sign_in(page, service)
    rows = page.locator("#queue-list button.row")
    expect(rows.nth(1)).to_be_visible()
    page.keyboard.press("j")
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(rows.nth(1)).to_be_focused()
    expect(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_be_focused()
    first = rows.nth(0).get_attribute("data-id")
    page.keyboard.press("Enter")
    expect(article(page)).to_have_attribute("data-id", first or "")
    page.keyboard.press("Escape")
    expect(article(page)).to_have_count(0)
    expect(rows.nth(0)).to_be_focused()

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help")).to_contain_text("Approve the open item")
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.click("#help-button")
    page.locator("#help button", has_text="Close").click()
    expect(page.locator("#help")).to_be_hidden()
    rows.nth(0).focus()

    page.keyboard.press("Enter")
    expect(article(page)).to_be_visible()
    page.keyboard.press("/")
    expect(page.locator("#f-find")).to_be_focused()
    page.keyboard.type("a")  # typed into the search box: not "approve"
    expect(page.locator("#f-find")).to_have_value("a")
    page.keyboard.press("Escape")
    expect(page.locator("#f-find")).not_to_be_focused()
    assert api_get(service, f"/v1/reviews/{first}")["status"] == "pending"
    assert api_get(service, f"/v1/reviews/{first}/audit") == []


COUNTING_CASES = [
    "",
    "plain words",
    "See https://www.nhs.uk/conditions/measles/. And (https://who.int/a_b?c=d), too!",
    "https://example.org/x)]}>'\" trailing punctuation",
    "café vs cafe\u0301 (NFC)",
    "emoji 👍🏽 and a family 👨‍👩‍👧 …",
    "“curly” ‘quotes’ — dashes – and ′primes″",
    "日本語のテキスト https://例え.jp/パス 한국어",
    "𝐁𝐨𝐥𝐝 maths letters https://x.y/𝐁",
    "odd spaces\u001chttps://b.c\u001fd\u0085e\ufeffhttps://f.g\ufeffh\u3000end",
    "http:// https:// https://a https://a. bare who.int",
    "x" * 300,
]


def test_the_console_counts_characters_exactly_as_the_server(page: Page, service: Service) -> None:
    page.goto(service.local.url + "/")
    cases = [[text, platform] for text in COUNTING_CASES for platform in PLATFORM_LIMITS]
    counted = page.evaluate(
        """async (cases) => {
            const m = await import(new URL("console/counting.js", location.href).href);
            return cases.map(([text, platform]) => m.countedLength(text, platform));
        }""",
        cases,
    )
    assert counted == [counted_length(text, platform) for text, platform in cases]


UNLABELLED_JS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(e => e.getClientRects().length && !e.closest('[hidden]'))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
  .map(e => e.outerHTML.slice(0, 80))"""

CONTRAST_JS = """() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const failures = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    if (!el.getClientRects().length || el.closest('[hidden], .visually-hidden, button:disabled')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const fg = parse(el instanceof SVGElement ? style.fill : style.color);
    if (!fg) continue;
    const bg = background(el);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    const text = walker.currentNode.textContent.trim().slice(0, 40);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)} ${text}`);
  }
  return failures;
}"""


def test_controls_are_labelled_and_text_has_enough_contrast(page: Page, service: Service, seeded: Seeded) -> None:
    sign_in(page, service)
    choose(page, "#f-platform", "mastodon")  # includes the overdue item
    expect(page.locator(f'#queue-list button.row[data-id="{seeded.ids["overdue"]}"]')).to_be_visible()
    open_item(page, seeded.ids["overdue"])
    page.fill("#editor", "x" * 501)  # the red counter too
    for view in ("queue", "trends", "kb", "coming-up"):
        page.locator(f'#nav .tab[data-view="{view}"]').click()
        expect(page.locator(f"#view-{view}")).to_be_visible()
        if view == "coming-up":
            expect(page.locator("#coming-up-summary")).to_be_visible()
        if view == "trends":
            expect(page.locator("svg.trend-chart")).to_be_visible()
        if view == "kb":
            expect(page.locator("#kb-list article").first).to_be_visible()
        assert page.evaluate(UNLABELLED_JS) == [], view
        assert page.evaluate(CONTRAST_JS) == [], view
    page.locator('#nav .tab[data-view="queue"]').click()
    page.evaluate("sessionStorage.clear()")
    page.goto(service.local.url + "/")
    expect(page.locator("#signin")).to_be_visible()
    assert page.evaluate(UNLABELLED_JS) == []
    assert page.evaluate(CONTRAST_JS) == []


def test_screenshots_of_the_queue_and_an_item(page: Page, service: Service, seeded: Seeded, tmp_path: Path) -> None:
    folder = PROJECT_ROOT / "docs" if SCREENSHOTS else tmp_path
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, service)
    page.wait_for_timeout(300)
    page.screenshot(path=str(folder / "console-queue.png"))
    open_item(page, seeded.ids["top"])
    expect(page.locator("#audit li")).to_have_count(1)
    page.locator("#item-pane").evaluate("pane => pane.scrollTop = 0")
    page.screenshot(path=str(folder / "console-item.png"))
    for name in ("console-queue.png", "console-item.png"):
        assert (folder / name).stat().st_size > 20_000
