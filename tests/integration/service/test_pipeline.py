"""Webhook → posts queue → match → matches queue → respond → review item, over real HTTP and DynamoDB Local."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.local.runtime import FakeContext
from functions.shared import dependencies
from functions.shared.dal.models import CounterRecord, MatchRecord, PostRecord, ReviewItemRecord
from tests.conftest import Service

_ids = itertools.count(1)


def post(text: str, platform: str = "x", **extra: Any) -> dict[str, Any]:
    return {
        "platform": platform,
        "post_id": f"p{next(_ids)}-{datetime.now(UTC).timestamp()}",
        "author_handle": "@poster",
        "text": text,
        "url": "https://x.com/poster/status/1",
        "created_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
        "language": "en",
        "reach": {"followers": 1200, "likes": 30, "shares": 4, "views": 5000},
        **extra,
    }


def deliver(service: Service, posts: list[dict[str, Any]]) -> dict[str, Any]:
    reply = service.client.request("POST", "/v1/posts", {"posts": posts}, {"x-api-key": service.ingest_key})
    assert reply.status == 200, reply.body
    assert service.local.wait_idle(300)
    result: dict[str, Any] = reply.json()
    return result


def item_for(service: Service, platform: str, post_id: str) -> ReviewItemRecord | None:
    key = f"{platform}#{post_id}"
    found = [r for r in ReviewItemRecord.scan() if r.post_key == key]
    return found[0] if found else None


def test_a_flagged_post_becomes_a_review_item_with_a_sourced_draft(service: Service) -> None:
    # A plain question: the one stance the model is unambiguous about (an answer is queued like a correction).
    myth = post("Is it true that the MMR jab causes autism? My cousin says so")
    result = deliver(service, [myth])
    assert result["accepted"] == 1
    assert result["items"][0]["status"] == "accepted"
    item = item_for(service, "x", myth["post_id"])
    assert item is not None
    assert (item.status, item.stance, item.action) == ("pending", "asks", "inform")
    assert item.claim_id.startswith("vaccines-autism-")
    assert item.claim["verdict"] in {"false", "misleading"}
    draft = item.draft
    assert draft["counted_length"] <= draft["limit"] == 280
    assert any(link in draft["text"] for link in (s["url"] for s in item.claim["sources"]))
    assert "cousin" not in draft["text"]  # never quotes the post
    assert item.sla_due > item.created_at
    assert item.priority > 0


def test_unrelated_chatter_creates_no_review_item(service: Service) -> None:
    chatter = post("Lovely sunny morning for the 10k run along the canal, new personal best!")
    deliver(service, [chatter])
    match = MatchRecord.get(f"x#{chatter['post_id']}")
    assert match.decision == "none"
    assert item_for(service, "x", chatter["post_id"]) is None


def test_personal_data_never_reaches_storage_or_drafts(service: Service) -> None:
    text = (
        "Vaccines cause autism!! ask @drjones or email me at jo.bloggs@example.com or ring 07700 900123. "
        "I live at 14 Elm Street. DOB 04/05/1987"
    )
    sent = post(text, author_handle="@jo_b")
    deliver(service, [sent])
    stored = PostRecord.get(f"x#{sent['post_id']}")
    for secret in ("jo.bloggs@example.com", "07700 900123", "14 Elm Street", "04/05/1987", "@drjones"):
        assert secret not in stored.text
    assert stored.redactions
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    blob = json.dumps({"post": item.post, "draft": item.draft})
    for secret in ("jo.bloggs@example.com", "07700 900123", "14 Elm Street", "04/05/1987", "@drjones"):
        assert secret not in blob


def test_own_health_disclosure_gets_the_private_channel_reply(service: Service) -> None:
    sent = post(
        "I was diagnosed with type 2 diabetes last year. Is it true cinnamon capsules can replace metformin? "
        "Thinking of stopping it."
    )
    deliver(service, [sent])
    stored = PostRecord.get(f"x#{sent['post_id']}")
    assert stored.discloses_own_health
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    assert item.draft["variant"] == "private_channel"
    assert "diabetes" not in item.draft["text"].lower()
    assert item.draft["links"] == []


def test_posts_expire_after_the_configured_days(service: Service) -> None:
    sent = post("Flu shots give you the flu, everyone at my work got sick right after theirs")
    deliver(service, [sent])
    stored = PostRecord.get(f"x#{sent['post_id']}")
    assert stored.expires_at is not None
    expected = stored.received_at + timedelta(days=service.settings.post_ttl_days)
    assert abs((stored.expires_at - expected).total_seconds()) < 2


def test_redelivering_the_same_post_changes_nothing(service: Service) -> None:
    sent = post("sunscreen causes skin cancer, the chemicals are worse than the sun #skincare")
    first = deliver(service, [sent])
    assert first["accepted"] == 1
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    before = (PostRecord.get(f"x#{sent['post_id']}").received_at, item.version, item.updated_at)
    again = deliver(service, [sent, sent])
    assert [i["status"] for i in again["items"]] == ["duplicate", "duplicate"]
    after_item = item_for(service, "x", sent["post_id"])
    assert after_item is not None
    assert (PostRecord.get(f"x#{sent['post_id']}").received_at, after_item.version, after_item.updated_at) == before


def _trend_total() -> int:
    return sum(int(r.tally) for r in CounterRecord.scan() if r.name.startswith("trend#"))


def test_redelivering_the_same_sqs_message_changes_nothing(service: Service) -> None:
    sent = post("Fluoride in tap water is a neurotoxin that lowers kids' IQ, filter it out")
    deliver(service, [sent])
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    trends, version = _trend_total(), item.version
    functions = service.local.functions
    record = {
        "messageId": "redelivered-1",
        "receiptHandle": "r",
        "body": json.dumps({"post_key": f"x#{sent['post_id']}"}),
        "attributes": {"ApproximateReceiveCount": "2"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:local:000000000000:posts",
        "awsRegion": "local",
    }
    for _ in range(2):
        result = functions.invoke("match", {"Records": [record]})
        assert result["batchItemFailures"] == []
        assert service.local.wait_idle(120)
    again = item_for(service, "x", sent["post_id"])
    assert again is not None
    assert (_trend_total(), again.version) == (trends, version)
    assert sum(1 for r in ReviewItemRecord.scan() if r.post_key == f"x#{sent['post_id']}") == 1


def test_a_poison_record_fails_alone(service: Service) -> None:
    sent = post("Antibiotics will sort out your cold in a couple of days, always ask for them")
    deliver(service, [sent])
    good = {"post_key": f"x#{sent['post_id']}"}

    def record(message_id: str, body: str) -> dict[str, Any]:
        return {
            "messageId": message_id,
            "receiptHandle": message_id,
            "body": body,
            "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {},
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:local:000000000000:posts",
            "awsRegion": "local",
        }

    records = [
        record("ok-1", json.dumps(good)),
        record("poison-json", "{not json"),
        record("poison-missing", json.dumps({"post_key": "x#never-ingested"})),
        record("ok-2", json.dumps(good)),
    ]
    result = service.local.functions.handlers["match"]({"Records": records}, FakeContext("antidote-match"))
    failures = sorted(f["itemIdentifier"] for f in result["batchItemFailures"])
    assert failures == ["poison-json", "poison-missing"]


def test_scheduled_scan_events_use_the_same_path(service: Service) -> None:
    good = post("measles is just a harmless rash, kids have always had it, no need for the jab")
    bad = {**post("x"), "platform": "myspace"}
    event = {
        "version": "0",
        "id": "scan-test-1",
        "detail-type": "Scheduled scan",
        "source": "antidote.scan",
        "detail": {"source_name": "test-feed", "posts": [good, bad, "not even an object"]},
    }
    result = service.local.functions.invoke("ingest", event)
    assert service.local.wait_idle(120)
    assert result["accepted"] == 1
    assert result["rejected"] == 2
    assert any("platform" in (i["reason"] or "") for i in result["items"])
    stored = PostRecord.get(f"x#{good['post_id']}")
    assert stored.source == "scan:test-feed"
    assert item_for(service, "x", good["post_id"]) is not None


def test_hostile_html_is_stored_as_inert_text(service: Service) -> None:
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> vaccines cause autism, wake up"
    sent = post(hostile)
    deliver(service, [sent])
    stored = PostRecord.get(f"x#{sent['post_id']}")
    assert "<script>alert('x')</script>" in stored.text  # kept verbatim as text, never interpreted
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    reply = service.client.request("GET", f"/v1/reviews/{item.item_id}", headers=service.educator)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["post"]["text"] == stored.text
    assert "<script>" not in item.draft["text"]


def test_demo_scan_feeds_the_bundled_sample_through_the_pipeline(service: Service) -> None:
    from functions.local.demo import load_demo_posts, run_demo_scan

    sample = load_demo_posts()
    assert len(sample) >= 200
    assert {p["platform"] for p in sample} >= {"x", "bluesky", "mastodon", "facebook", "reddit"}
    assert len({p["language"] for p in sample if p.get("language")}) >= 4
    summary = run_demo_scan(service.local, sample[:60])
    total = summary.rows["total"]
    assert total["posts"] == 60
    demo_source = dependencies.source_states().get_state("demo")  # the demo feed ran as a source: health recorded
    assert demo_source is not None
    assert demo_source.last_run.fetched == 60
    assert total["accepted"] + total["duplicate"] + total["rejected"] == 60
    assert total["match"] + total["review"] + total["none"] == total["accepted"]
    assert summary.rows["myth"]["match"] + summary.rows["myth"]["review"] > 0
    assert summary.review_items > 0
    queue = service.client.request("GET", "/v1/reviews?limit=100", headers=service.educator).json()["items"]
    assert any(item["post"]["post_id"] == p["post_id"] for item in queue for p in sample[:60])


def test_sla_check_event_counts_overdue_items(service: Service) -> None:
    sent = post("Does colloidal silver kill viruses? Could it replace vaccines?")
    deliver(service, [sent])
    item = item_for(service, "x", sent["post_id"])
    assert item is not None
    assert item.status == "pending"
    item.sla_due = datetime.now(UTC) - timedelta(minutes=5)
    item.save()
    result = service.local.functions.invoke("respond", {"source": "antidote.sla", "detail": {}})
    assert result["review_items_past_sla"] >= 1


def test_scans_without_posts_pull_from_their_named_source(service: Service) -> None:
    """The local runtime registers the demo feed; nothing else is registered."""
    import pytest

    from functions.ingest.connectors.base import Budget, FetchContext
    from functions.ingest.sources import find_source
    from functions.shared.errors import InvalidInput
    from functions.shared.settings import get_settings

    source, connector = find_source(get_settings(), "demo")
    assert not source.enabled  # run by hand and by the demo command, never on a schedule
    demo = connector.fetch(FetchContext(source, {}, {}, Budget(max_requests=1, seconds=1))).posts
    assert len(demo) >= 200
    assert max(datetime.fromisoformat(p["created_at"]) for p in demo) > datetime.now(UTC) - timedelta(hours=1)
    with pytest.raises(InvalidInput, match="unknown scan source"):
        find_source(get_settings(), "myspace-firehose")


def test_a_record_that_keeps_failing_is_parked_in_the_dead_letter_list(service: Service) -> None:
    from functions.local.queues import local_queue
    from functions.local.runtime import MAX_RECEIVES

    posts = local_queue("posts")
    parked = len(posts.dead_letters)
    sent = post("Vitamin D megadoses cure depression, ditch the therapy")
    posts.put_raw(json.dumps({"post_key": "x#never-stored"}))
    deliver(service, [sent])  # a good post in the same flow still goes through
    assert service.local.wait_idle(120)
    assert len(posts.dead_letters) == parked + 1
    dead = posts.dead_letters[-1]
    assert json.loads(dead.body) == {"post_key": "x#never-stored"}
    assert dead.receive_count == MAX_RECEIVES
    assert dead.error
    assert MatchRecord.get(f"x#{sent['post_id']}").decision in {"match", "review", "none"}


def test_a_stored_post_that_was_never_queued_is_found_and_matched_at_start(service: Service) -> None:
    """What a crash between storing a post and queueing it leaves: the runtime's start sweep queues it."""
    from functions.ingest.logic import prepare_post
    from functions.local.runtime import requeue_unmatched
    from functions.shared import dependencies
    from functions.shared.models import PostIn

    orphan = PostIn.model_validate(post("Garlic cures the flu faster than any vaccine, skip the jab"))
    stored = prepare_post(orphan, "webhook", datetime.now(UTC))
    assert dependencies.posts().put_posts_if_new([stored]) == {stored.post_key: True}  # stored, never queued
    assert stored.post_key in dependencies.posts().post_keys_without_match()
    assert requeue_unmatched() >= 1
    assert service.local.wait_idle(300)
    assert MatchRecord.get(stored.post_key).decision in {"match", "review", "none"}
    assert stored.post_key not in dependencies.posts().post_keys_without_match()
    assert requeue_unmatched() == 0  # nothing left to find: a second start queues nothing
