"""Both HTTP APIs over real HTTP: auth matrix, bad input, claim-check, review actions, audit, OpenAPI."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from functions.local.openapi import render
from functions.shared.auth import issue_dev_token
from functions.shared.dal.models import PostRecord, ReviewItemRecord
from functions.shared.settings import PROJECT_ROOT
from tests.conftest import Reply, Service
from tests.integration.service.test_pipeline import deliver, item_for, post
from tests.seeding import seed_review_item


def count_posts() -> int:
    return sum(1 for _ in PostRecord.scan())


def is_problem(reply: Reply, status: int) -> dict[str, Any]:
    assert reply.status == status, (reply.status, reply.body[:300])
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = reply.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


# ---------------------------------------------------------------- auth matrix


def test_auth_matrix(service: Service) -> None:
    c = service.client
    check_body = {"text": "vaccines cause autism in children"}
    ingest_body = {"posts": [post("flu jab gives you flu, every single time")]}
    revoked = service.key("old-partner", "check")
    revoked_id = revoked.split("_")[1]
    service.keys.revoke_api_key(revoked_id, datetime.now(UTC))

    # claim-check: scope check only
    assert c.request("POST", "/v1/claims:check", check_body, {"x-api-key": service.check_key}).status == 200
    is_problem(c.request("POST", "/v1/claims:check", check_body), 401)
    is_problem(c.request("POST", "/v1/claims:check", check_body, {"x-api-key": service.ingest_key}), 403)
    is_problem(c.request("POST", "/v1/claims:check", check_body, {"x-api-key": revoked}), 401)
    is_problem(c.request("POST", "/v1/claims:check", check_body, {"x-api-key": "adk_nope_nope"}), 401)
    is_problem(c.request("POST", "/v1/claims:check", check_body, {"x-api-key": service.check_key + "x"}), 401)
    is_problem(c.request("POST", "/v1/claims:check", check_body, service.educator), 401)  # no partner quota for tokens

    # webhook: scope ingest only
    assert c.request("POST", "/v1/posts", ingest_body, {"x-api-key": service.ingest_key}).status == 200
    is_problem(c.request("POST", "/v1/posts", ingest_body), 401)
    is_problem(c.request("POST", "/v1/posts", ingest_body, {"x-api-key": service.check_key}), 403)
    is_problem(c.request("POST", "/v1/posts", ingest_body, service.educator), 401)

    # review API: educators (and admins) only
    assert c.request("GET", "/v1/reviews", headers=service.educator).status == 200
    assert c.request("GET", "/v1/reviews", headers=service.admin).status == 200
    is_problem(c.request("GET", "/v1/reviews"), 401)
    is_problem(c.request("GET", "/v1/reviews", headers={"x-api-key": service.check_key}), 403)
    is_problem(c.request("GET", "/v1/reviews", headers={"Authorization": "Bearer forged.token.here"}), 401)
    wrong_secret = service.settings.model_copy(
        update={"dev_token_secret": "another-machine-with-its-own-secret-0123456789"}
    )
    forged = issue_dev_token(wrong_secret, "mallory", "admin")
    is_problem(c.request("GET", "/v1/reviews", headers={"Authorization": f"Bearer {forged}"}), 401)
    expired = issue_dev_token(service.settings, "amina", "educator", datetime.now(UTC) - timedelta(days=2))
    is_problem(c.request("GET", "/v1/reviews", headers={"Authorization": f"Bearer {expired}"}), 401)
    assert service.reviews.audit_events("nothing") == []


def test_a_key_revoked_while_in_use_is_refused_within_the_stated_bound(service: Service) -> None:
    key = service.key("leaving-partner", "check")
    body = {"text": "vaccines cause autism in children"}
    assert service.client.request("POST", "/v1/claims:check", body, {"x-api-key": key}).status == 200  # now kept
    revoked_at = time.monotonic()
    service.keys.revoke_api_key(key.split("_")[1], datetime.now(UTC))
    bound = service.settings.api_key_cache_seconds
    assert bound <= 5
    while True:
        reply = service.client.request("POST", "/v1/claims:check", body, {"x-api-key": key})
        if reply.status != 200:
            break
        assert time.monotonic() - revoked_at < bound + 1, "a revoked key was still accepted past the bound"
        time.sleep(0.25)
    assert "revoked" in is_problem(reply, 401)["detail"]


def test_quota_exceeded_gets_429_with_retry_after(service: Service) -> None:
    key = service.key("tiny-partner", "check", quota=2)
    body = {"text": "the flu shot gives you the flu"}
    for _ in range(2):
        assert service.client.request("POST", "/v1/claims:check", body, {"x-api-key": key}).status == 200
    reply = service.client.request("POST", "/v1/claims:check", body, {"x-api-key": key})
    is_problem(reply, 429)
    assert 0 < int(reply.headers["Retry-After"]) <= 86_401


# ---------------------------------------------------------------- bad input: clear 4xx, nothing stored
# (a bad post inside a good request is rejected alone: test_hostile.py)


@pytest.mark.parametrize(
    ("raw", "status", "mentions"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b'{"posts": "a string"}', 422, "posts"),
        (b'{"posts": []}', 422, "posts"),
        (
            b'{"posts": [{"platform": "x", "post_id": "1", "text": "hi \xff\xfe", '
            b'"created_at": "2026-11-22T10:00:00Z"}]}',
            400,
            "UTF-8",
        ),
        (b"[1, 2, 3]", 422, "body"),
    ],
)
def test_bad_webhook_bodies(service: Service, raw: bytes, status: int, mentions: str) -> None:
    before = count_posts()
    reply = service.client.request(
        "POST", "/v1/posts", raw=raw, headers={"x-api-key": service.ingest_key, "Content-Type": "application/json"}
    )
    body = is_problem(reply, status)
    assert mentions.lower() in (body["detail"] + str(body.get("errors", ""))).lower()
    assert count_posts() == before


def test_oversized_bodies_and_batches_are_refused(service: Service) -> None:
    before = count_posts()
    too_many = {"posts": [post(f"post number {i}") for i in range(101)]}
    is_problem(service.client.request("POST", "/v1/posts", too_many, {"x-api-key": service.ingest_key}), 422)
    huge = b'{"posts": [' + b" " * 3_000_000 + b"]}"
    is_problem(service.client.request("POST", "/v1/posts", raw=huge, headers={"x-api-key": service.ingest_key}), 413)
    assert count_posts() == before


def test_claim_check_single_and_batch(service: Service) -> None:
    headers = {"x-api-key": service.check_key}
    one = service.client.request("POST", "/v1/claims:check", {"text": "the MMR vaccine causes autism"}, headers)
    assert one.status == 200
    body = one.json()
    assert body["kb_version"].startswith("kb-")
    result = body["results"][0]
    assert result["decision"] in {"match", "review"}
    best = result["claims"][0]
    assert best["claim_id"].startswith("vaccines-autism-")
    assert {"verdict", "score", "correction", "sources"} <= set(best)
    assert result["stance"] in {"supports", "refutes", "asks", "neutral"}
    assert result["action"] in {"correct", "inform", "none"}  # no reach here: never monitor
    assert result["action_reason"]
    batch = service.client.request(
        "POST",
        "/v1/claims:check",
        {
            "texts": ["la vacuna triple vírica causa autismo en los niños", "nice weather for a picnic today"],
            "language": "es",
        },
        headers,
    )
    assert batch.status == 200
    results = batch.json()["results"]
    assert len(results) == 2
    assert results[1]["decision"] == "none"
    assert (results[1]["stance"], results[1]["action"]) == (None, "none")
    is_problem(service.client.request("POST", "/v1/claims:check", {"texts": ["a"] * 51}, headers), 422)
    is_problem(service.client.request("POST", "/v1/claims:check", {"text": "a", "texts": ["b"]}, headers), 422)
    is_problem(service.client.request("POST", "/v1/claims:check", {}, headers), 422)


def test_a_claim_check_without_a_language_reads_the_text_in_the_one_it_is_written_in(service: Service) -> None:
    """A partner that does not say the language: a Russian text is read by the multilingual index and answered with
    the Russian correction; an English text stays English; a text too short to tell is read as English, unlabelled."""
    headers = {"x-api-key": service.check_key}
    texts = [
        "Прививка MMR вызывает аутизм у детей, это все врачи скрывают",
        "the MMR vaccine causes autism in kids and they know it",
        "MMR autism",
    ]
    reply = service.client.request("POST", "/v1/claims:check", {"texts": texts}, headers)
    assert reply.status == 200
    russian, english, unknown = reply.json()["results"]
    assert (russian["language"], russian["language_guessed"]) == ("ru", True)
    assert russian["decision"] in {"match", "review"}
    best = russian["claims"][0]
    assert best["claim_id"].startswith("vaccines-autism-")
    assert (best["correction_language"], best["needs_translation"]) == ("ru", False)
    assert any("а" <= ch <= "я" for ch in best["correction"])  # the correction is the Russian translation
    assert (english["language"], english["language_guessed"]) == ("en", True)
    assert (english["claims"][0]["correction_language"], english["claims"][0]["needs_translation"]) == ("en", False)
    assert (unknown["language"], unknown["language_guessed"]) == (None, False)
    declared = service.client.request(
        "POST", "/v1/claims:check", {"text": "the MMR vaccine causes autism", "language": "uk"}, headers
    )
    result = declared.json()["results"][0]
    assert (result["language"], result["language_guessed"]) == ("uk", False)
    assert all(c["needs_translation"] and c["correction_language"] == "en" for c in result["claims"])


# ---------------------------------------------------------------- review actions


def fresh_item(service: Service, text: str) -> ReviewItemRecord:
    """A pending item: the texts are plain questions, which the stance model answers unambiguously ("asks")."""
    sent = post(text)
    deliver(service, [sent])
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    assert (item.status, item.action) == ("pending", "inform")
    return item


def test_two_educators_approving_at_once_one_wins(service: Service) -> None:
    item = fresh_item(service, "Is it true that high dose vitamin C cures cancer and you can skip the chemo?")
    replies: list[Reply] = []

    def approve(headers: dict[str, str]) -> None:
        replies.append(service.client.request("POST", f"/v1/reviews/{item.item_id}/approve", {}, headers))

    threads = [threading.Thread(target=approve, args=(h,)) for h in (service.educator, service.second_educator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(r.status for r in replies)
    assert statuses == [200, 409]
    conflict = next(r for r in replies if r.status == 409)
    body = is_problem(conflict, 409)
    assert body["current"]["status"] == "approved"
    events = service.reviews.audit_events(item.item_id)
    assert [e.action for e in events] == ["approve"]


def test_approve_edit_reject_undo_and_audit(service: Service) -> None:
    c = service.client
    item = fresh_item(service, "Does the HPV jab cause infertility? My daughter is due hers")
    path = f"/v1/reviews/{item.item_id}"
    got = c.request("GET", path, headers=service.educator).json()
    assert got["status"] == "pending"
    # an edit past the platform's limit is refused, and nothing changes
    body = is_problem(c.request("POST", path + "/approve", {"text": "x" * 281}, service.educator), 422)
    assert "280" in body["detail"]
    # a stale version is a conflict
    is_problem(c.request("POST", path + "/approve", {"version": got["version"] + 7}, service.educator), 409)
    edited = "Thanks for raising this. The HPV vaccine protects whatever your history: https://www.nhs.uk/vaccinations/hpv-vaccine/"
    approved = c.request("POST", path + "/approve", {"text": edited, "version": got["version"]}, service.educator)
    assert approved.status == 200, approved.body
    assert approved.json()["final_text"] == edited
    # someone else cannot undo it; the one who acted can
    is_problem(c.request("POST", path + "/undo", {}, service.second_educator), 403)
    undone = c.request("POST", path + "/undo", {}, service.educator)
    assert undone.status == 200
    assert undone.json()["status"] == "pending"
    is_problem(c.request("POST", path + "/reject", {"reason": ""}, service.educator), 422)
    rejected = c.request("POST", path + "/reject", {"reason": "Post is satire"}, service.educator)
    assert rejected.json()["reject_reason"] == "Post is satire"
    audit = c.request("GET", path + "/audit", headers=service.educator).json()
    assert [e["action"] for e in audit] == ["approve_edited", "undo", "reject"]
    assert audit[0]["actor"] == "amina"
    assert audit[0]["before"]["status"] == "pending"
    assert audit[0]["after"]["status"] == "approved"
    assert audit[2]["after"]["reject_reason"] == "Post is satire"
    is_problem(c.request("GET", "/v1/reviews/does-not-exist", headers=service.educator), 404)


def test_undo_after_the_window_is_refused(service: Service) -> None:
    item = fresh_item(service, "Does detox tea really flush the toxins out of your liver?")
    path = f"/v1/reviews/{item.item_id}"
    assert service.client.request("POST", path + "/reject", {"reason": "duplicate"}, service.educator).status == 200
    record = ReviewItemRecord.get(item.item_id)
    record.acted_at = datetime.now(UTC) - timedelta(hours=1)
    record.save()
    body = is_problem(service.client.request("POST", path + "/undo", {}, service.educator), 409)
    assert "undo window" in body["detail"]


def test_queue_is_sorted_by_priority_filtered_and_paginated(service: Service) -> None:
    fresh_item(service, "Is garlic really as good as blood pressure pills?")
    c = service.client
    first = c.request("GET", "/v1/reviews?limit=2", headers=service.educator).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = c.request("GET", f"/v1/reviews?limit=2&cursor={first['next_cursor']}", headers=service.educator).json()
    everything = c.request("GET", "/v1/reviews?limit=100", headers=service.educator).json()["items"]
    priorities = [i["priority"] for i in everything]
    assert priorities == sorted(priorities, reverse=True)
    assert [i["item_id"] for i in first["items"] + second["items"]] == [i["item_id"] for i in everything[:4]]
    topic = c.request("GET", "/v1/reviews?topic=blood-pressure", headers=service.educator).json()["items"]
    assert topic
    assert all(i["topic"] == "blood-pressure" for i in topic)
    is_problem(c.request("GET", "/v1/reviews?status=sideways", headers=service.educator), 422)
    is_problem(c.request("GET", "/v1/reviews?cursor=garbage!!", headers=service.educator), 422)


def test_trends_and_claims_views(service: Service) -> None:
    item = fresh_item(service, "Can the flu shot give you the flu? Genuine question")
    trends = service.client.request("GET", "/v1/trends", headers=service.educator).json()
    assert trends["claims"]
    for row in trends["claims"]:
        assert len(row["daily"]) == len(row["counter_speech"]["daily"]) == len(row["questions"]["daily"]) == 7
    asked = next(row for row in trends["claims"] if row["claim_id"] == item.claim_id)
    assert asked["questions"]["last_day"] >= 1  # a question counts as a question, not as spreading
    assert trends["most_pending"]
    claims = service.client.request("GET", "/v1/claims", headers=service.educator).json()
    assert len(claims["claims"]) >= 150
    assert {"stale", "sources", "review_by"} <= set(claims["claims"][0])


def test_unknown_routes_are_problems(service: Service) -> None:
    is_problem(service.client.request("GET", "/v1/nothing-here", headers=service.educator), 404)


def test_openapi_is_served_and_the_committed_file_is_in_sync(service: Service) -> None:
    reply = service.client.request("GET", "/swagger?format=json")
    assert reply.status == 200
    assert "/v1/reviews" in reply.json()["paths"]
    committed = (PROJECT_ROOT / "openapi.json").read_text("utf-8")
    assert committed == render(), "openapi.json is stale: run 'antidote openapi --output openapi.json'"
    for path in ("/v1/posts", "/v1/claims:check", "/v1/reviews", "/v1/reviews/{item_id}/approve"):
        assert path in committed


def test_console_is_served_with_a_strict_content_security_policy(service: Service) -> None:
    page = service.client.request("GET", "/")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    config = service.client.request("GET", "/console/config.json").json()
    assert config["auth_mode"] == "dev"
    assert config["cognito"] is None
    assert config["undo_window_seconds"] == 300
    assert config["reach_thresholds"]["x"] == {"followers": 100, "engagement": 10}
    is_problem(service.client.request("GET", "/console/..%2F..%2Fsettings.py"), 404)
    is_problem(service.client.request("GET", "/console/missing.js"), 404)


def test_summary_and_search_cover_every_page_not_just_the_first(service: Service) -> None:
    # letters only, so that a number searched below cannot match the token's own digits
    c, token = (
        service.client,
        "zebrafinch" + datetime.now(UTC).strftime("%H%M%S%f").translate(str.maketrans("0123456789", "abcdefghij")),
    )
    for n in range(105):  # more than one page (the API's limit is 100)
        age = timedelta(hours=5) if n < 3 else timedelta(minutes=30)  # high harm: overdue 2 h after the post
        seed_review_item(service.reviews, f"measles is just a rash {token} number {n}", age=age)
    seed_review_item(service.reviews, f"fluoride {token}", claim_id="fluoride-water-lowers-iq", platform="mastodon")

    def summarise(query: str) -> dict[str, Any]:
        reply = c.request("GET", f"/v1/reviews:summary?{query}", headers=service.educator)
        assert reply.status == 200, reply.body
        result: dict[str, Any] = reply.json()
        return result

    summary = summarise(f"q={token}")
    assert (summary["total"], summary["overdue"], summary["by_platform"]) == (106, 3, {"x": 105, "mastodon": 1})
    # accents and case are folded; every word must appear
    assert summarise(f"q={quote('RÁSH ' + token.upper())}")["total"] == 105
    assert summarise(f"q={token}+number+104")["total"] == 1
    narrowed = summarise(f"q={token}&claim=fluoride-water-lowers-iq")
    assert narrowed["total"] == 1
    first = c.request("GET", f"/v1/reviews?q={token}&limit=100", headers=service.educator).json()
    assert len(first["items"]) == 100
    rest = c.request("GET", f"/v1/reviews?q={token}&limit=100&cursor={first['next_cursor']}", headers=service.educator)
    assert len(rest.json()["items"]) == 6
    csv_reply = c.request("GET", f"/v1/exports/reviews.csv?q={token}", headers=service.educator)
    assert csv_reply.status == 200
    assert {k.lower(): v for k, v in csv_reply.headers.items()}["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(csv_reply.body.decode())))) == 1 + 106  # drafts hold line breaks
    assert c.request("GET", f"/v1/reviews:summary?q={token}").status == 401  # authentication first
    is_problem(c.request("GET", "/v1/reviews:summary?q=" + "+".join("w" * 9), headers=service.educator), 422)


def test_decide_assign_note_and_mark_posted_are_audited_and_idempotent(service: Service) -> None:
    c = service.client
    item = seed_review_item(service.reviews, "measles is nothing, let kids catch it")
    path = f"/v1/reviews/{item.item_id}"
    assert c.request("POST", path + "/assign", {"assignee": "ben"}).status == 401
    is_problem(c.request("POST", path + "/assign", {"assignee": "<b>"}, service.educator), 422)
    for _ in range(2):  # a retry changes nothing
        assert c.request("POST", path + "/assign", {"assignee": "ben"}, service.educator).json()["assignee"] == "ben"
        note = c.request("POST", path + "/notes", {"note_id": "note-0001", "text": "ask Ben"}, service.educator)
        assert [n["text"] for n in note.json()["notes"]] == ["ask Ben"]
    is_problem(c.request("POST", path + "/decide", {"decision": "amplify"}, service.educator), 422)
    is_problem(c.request("POST", path + "/decide", {"decision": "escalate"}, service.educator), 422)
    is_problem(c.request("POST", path + "/posted", {"url": "https://x.com/a/1"}, service.educator), 409)
    approved = c.request("POST", path + "/approve", {}, service.educator).json()
    assert approved["status"] == "approved"
    is_problem(c.request("POST", path + "/posted", {"url": "javascript:alert(1)"}, service.educator), 422)
    for _ in range(2):
        posted = c.request("POST", path + "/posted", {"url": "https://x.com/a/1"}, service.educator).json()
        assert (posted["posted_url"], posted["posted_by"]) == ("https://x.com/a/1", "amina")
    audit = c.request("GET", path + "/audit", headers=service.educator).json()
    assert [e["action"] for e in audit] == ["assign", "note", "approve", "mark_posted"]
    escalate = seed_review_item(service.reviews, "measles is mild, here is the nurse's home number")
    body = {"decision": "escalate", "kind": "privacy", "reason": "a clinician's home number"}
    escalated = c.request("POST", f"/v1/reviews/{escalate.item_id}/decide", body, service.educator).json()
    assert (escalated["status"], escalated["escalation_kind"]) == ("escalated", "privacy")
    listed = c.request("GET", "/v1/reviews?status=escalated&limit=100", headers=service.educator).json()["items"]
    assert escalate.item_id in [i["item_id"] for i in listed]
    exported = c.request("GET", "/v1/exports/audit.csv", headers=service.educator).body.decode()
    assert f"{item.item_id},amina,educator,mark_posted" in exported
