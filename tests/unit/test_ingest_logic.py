"""Ingest against in-memory fakes: dedupe, rejection reasons, redaction before storage, and re-queueing a post
that was stored but never matched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from functions.ingest.logic import ingest_delivered, ingest_posts, parse_scan_posts
from functions.shared.models import ItemStatus, PostIn, PostMessage, StoredMatch
from tests.unit.fakes import FakePosts, FakeSink

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def post(post_id: str, text: str = "measles is just a rash", **extra: Any) -> PostIn:
    return PostIn.model_validate(
        {"platform": "x", "post_id": post_id, "text": text, "created_at": (NOW - timedelta(minutes=5)).isoformat()}
        | extra
    )


def queued(sink: FakeSink) -> list[str]:
    return [m.post_key for m, _ in sink.sent if isinstance(m, PostMessage)]


def test_new_posts_are_stored_and_queued_once_with_the_correlation_id() -> None:
    posts, sink = FakePosts(), FakeSink()
    response = ingest_posts([post("1"), post("2"), post("1")], "webhook", posts, sink, NOW, "req-1")
    assert [i.status for i in response.items] == [ItemStatus.ACCEPTED, ItemStatus.ACCEPTED, ItemStatus.DUPLICATE]
    assert response.items[2].reason == "repeated within this request"
    assert (response.accepted, response.duplicates, response.rejected) == (2, 1, 0)
    assert queued(sink) == ["x#1", "x#2"]
    assert {c for _, c in sink.sent} == {"req-1"}
    assert posts.posts["x#1"].source == "webhook"


def test_a_second_delivery_changes_nothing_once_the_post_was_matched() -> None:
    posts, sink = FakePosts(), FakeSink()
    ingest_posts([post("1")], "webhook", posts, sink, NOW)
    posts.matches["x#1"] = StoredMatch(
        post_key="x#1", decision="none", reason="", kb_version="kb", matches=[], matched_at=NOW
    )
    again = ingest_posts([post("1", text="edited text")], "webhook", posts, sink, NOW)
    assert again.items[0].status is ItemStatus.DUPLICATE
    assert again.items[0].reason == "already received"
    assert queued(sink) == ["x#1"]
    assert posts.posts["x#1"].text == "measles is just a rash"


def test_a_stored_post_never_matched_is_queued_again_on_redelivery() -> None:
    posts, sink = FakePosts(), FakeSink()
    ingest_posts([post("1")], "webhook", posts, sink, NOW)
    ingest_posts([post("1")], "webhook", posts, sink, NOW)  # e.g. a crash between storing and queueing
    assert queued(sink) == ["x#1", "x#1"]


def test_personal_data_is_removed_before_storage_and_future_posts_are_rejected() -> None:
    posts, sink = FakePosts(), FakeSink()
    future = post("2", created_at=(NOW + timedelta(hours=2)).isoformat())
    leaky = post("3", text="call me on 07700 900123 or mail jo@example.com, the jab is poison")
    response = ingest_posts([future, leaky], "webhook", posts, sink, NOW)
    assert response.items[0].status is ItemStatus.REJECTED
    assert response.items[0].reason == "created_at is in the future"
    stored = posts.posts["x#3"].text
    assert "07700" not in stored
    assert "jo@example.com" not in stored
    assert "the jab is poison" in stored
    assert posts.posts["x#3"].redactions


def test_a_scan_rejects_a_bad_item_alone_with_its_reason() -> None:
    good = {"platform": "x", "post_id": "1", "text": "hi", "created_at": NOW.isoformat()}
    bad = {"platform": "myspace", "post_id": "2", "text": "hi", "created_at": NOW.isoformat()}
    valid, rejected = parse_scan_posts([good, bad, "not a post"])
    assert [p.post_id for p in valid] == ["1"]
    assert [(r.post_id, r.reason.split(":")[0] if r.reason else None) for r in rejected] == [
        ("2", "platform"),
        (None, "post"),
    ]
    assert parse_scan_posts({"posts": []})[1][0].reason == "posts must be a list"


def test_a_delivered_batch_rejects_each_bad_post_alone_and_keeps_the_order() -> None:
    posts, sink = FakePosts(), FakeSink()
    good = post("1").model_dump(mode="json")
    raw = [
        {**good, "post_id": "0", "created_at": "0001-01-01T00:00:00+14:00"},
        good,
        {**good, "post_id": "2", "platform": "myspace"},
        {**good, "post_id": "3", "created_at": (NOW + timedelta(days=2)).isoformat()},
    ]
    response = ingest_delivered(raw, "webhook", posts, sink, NOW)
    statuses = [i.status for i in response.items]
    assert statuses == [ItemStatus.REJECTED, ItemStatus.ACCEPTED, ItemStatus.REJECTED, ItemStatus.REJECTED]
    assert [i.post_id for i in response.items] == ["0", "1", "2", "3"]
    assert "created_at" in (response.items[0].reason or "")
    assert "platform" in (response.items[2].reason or "")
    assert (response.accepted, response.rejected) == (1, 3)
    assert queued(sink) == ["x#1"]
