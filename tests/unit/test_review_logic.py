"""The review state machine (create, approve, reject, undo, conflicts) against in-memory fakes: no HTTP, no
DynamoDB, no model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.respond.logic import approve, create_review_item, reject, review_item_id, undo
from functions.shared.auth import Educator
from functions.shared.errors import Conflict, InvalidInput, NotFound
from functions.shared.models import (
    ApproveRequest,
    MatchedClaim,
    MatchMessage,
    Platform,
    Reach,
    RejectRequest,
    ReviewStatus,
    StoredPost,
    UndoRequest,
)
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import FakePosts, FakeReviews

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MYTH = next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if c.id == "measles-mild-illness")
AMINA = Educator("amina", "educator")
BEN = Educator("ben", "educator")
CHIEF = Educator("chief", "admin")
WINDOW = 300


def stored_post(post_id: str = "1", platform: Platform = Platform.X) -> StoredPost:
    return StoredPost(
        post_key=f"{platform.value}#{post_id}",
        platform=platform,
        post_id=post_id,
        author_handle="@someone",
        text="measles is just a rash, relax",
        url=None,
        created_at=NOW - timedelta(minutes=30),
        received_at=NOW - timedelta(minutes=29),
        language="en",
        region=None,
        reach=Reach(followers=5000, likes=40),
        discloses_own_health=False,
        redactions={},
        source="webhook",
    )


def message(post: StoredPost) -> MatchMessage:
    matched = MatchedClaim(
        claim_id=MYTH.id,
        verdict=MYTH.verdict.value,
        topic=MYTH.topic,
        harm=MYTH.harm.value,
        score=0.91,
        dense_similarity=0.8,
        lexical_score=0.6,
        closest_phrasing=MYTH.statement,
    )
    return MatchMessage(
        post_key=post.post_key,
        decision="match",
        kb_version="kb-test",
        matches=[matched],
        claim=MYTH.model_dump(mode="json"),
    )


@pytest.fixture
def queue() -> tuple[FakePosts, FakeReviews, str]:
    posts, reviews = FakePosts(), FakeReviews()
    post = stored_post()
    posts.put_posts_if_new([post])
    assert create_review_item(message(post), posts, reviews, NOW, 2.0)
    return posts, reviews, review_item_id(post.post_key, MYTH.id)


def test_a_match_creates_one_pending_item_and_a_redelivery_none(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    posts, reviews, item_id = queue
    item = reviews.get_review_item(item_id)
    assert item.status is ReviewStatus.PENDING
    assert item.version == 1
    assert item.sla_due == NOW + timedelta(hours=2)  # measles is high harm
    assert str(item.draft["text"])
    assert create_review_item(message(posts.posts["x#1"]), posts, reviews, NOW, 2.0) is False
    assert len(reviews.items) == 1


def test_a_match_for_a_post_that_is_not_stored_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not stored"):
        create_review_item(message(stored_post("gone")), FakePosts(), FakeReviews(), NOW, 2.0)


def test_approve_as_drafted_records_who_and_when_with_an_audit_event(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    approved = approve(reviews, item_id, ApproveRequest(version=1), AMINA, NOW)
    assert approved.status is ReviewStatus.APPROVED
    assert approved.final_text == reviews.items[item_id].draft["text"]
    assert (approved.acted_by, approved.acted_at, approved.version) == ("amina", NOW, 2)
    [event] = reviews.audit[item_id]
    assert (event.action, event.actor, event.before, event.after) == (
        "approve",
        "amina",
        {"status": "pending", "final_text": None, "reject_reason": None, "acted_by": None, "version": 1},
        {"status": "approved", "final_text": approved.final_text, "reject_reason": None, "acted_by": "amina",
         "version": 1},
    )  # fmt: skip


def test_an_edited_approval_is_checked_against_the_platform_limit(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    _, reviews, item_id = queue
    with pytest.raises(InvalidInput, match="the limit is 280"):
        approve(reviews, item_id, ApproveRequest(text="x" * 281), AMINA, NOW)
    with pytest.raises(InvalidInput, match="empty"):
        approve(reviews, item_id, ApproveRequest(text="   "), AMINA, NOW)
    edited = approve(reviews, item_id, ApproveRequest(text="Measles can be serious: see who.int"), AMINA, NOW)
    assert edited.final_text == "Measles can be serious: see who.int"
    assert reviews.audit[item_id][-1].action == "approve_edited"


def test_two_educators_at_once_one_wins_the_other_gets_a_conflict(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    approve(reviews, item_id, ApproveRequest(version=1), AMINA, NOW)
    with pytest.raises(Conflict, match="changed since you loaded it") as stale:
        reject(reviews, item_id, RejectRequest(reason="debunk, not a myth", version=1), BEN, NOW)
    assert stale.value.extra["current"]["status"] == "approved"
    with pytest.raises(Conflict, match="already approved by amina"):
        reject(reviews, item_id, RejectRequest(reason="debunk, not a myth"), BEN, NOW)
    assert len(reviews.audit[item_id]) == 1


def test_reject_keeps_the_reason(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    _, reviews, item_id = queue
    rejected = reject(reviews, item_id, RejectRequest(reason="the author is debunking it"), BEN, NOW)
    assert (rejected.status, rejected.reject_reason, rejected.final_text) == (
        ReviewStatus.REJECTED,
        "the author is debunking it",
        None,
    )


def test_undo_within_the_window_by_whoever_acted_or_an_admin(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    _, reviews, item_id = queue
    approve(reviews, item_id, ApproveRequest(), AMINA, NOW)
    with pytest.raises(Conflict, match="only amina"):
        undo(reviews, item_id, UndoRequest(), BEN, NOW + timedelta(seconds=10), WINDOW)
    back = undo(reviews, item_id, UndoRequest(), AMINA, NOW + timedelta(seconds=10), WINDOW)
    assert (back.status, back.acted_by, back.final_text) == (ReviewStatus.PENDING, None, None)
    reject(reviews, item_id, RejectRequest(reason="not today"), BEN, NOW + timedelta(seconds=20))
    assert undo(reviews, item_id, UndoRequest(), CHIEF, NOW + timedelta(seconds=30), WINDOW).status is (
        ReviewStatus.PENDING
    )
    assert [e.action for e in reviews.audit[item_id]] == ["approve", "undo", "reject", "undo"]


def test_undo_after_the_window_or_of_a_pending_item_is_a_conflict(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    with pytest.raises(Conflict, match="nothing to undo"):
        undo(reviews, item_id, UndoRequest(), AMINA, NOW, WINDOW)
    approve(reviews, item_id, ApproveRequest(), AMINA, NOW)
    with pytest.raises(Conflict, match="undo window of 300 s has passed"):
        undo(reviews, item_id, UndoRequest(), AMINA, NOW + timedelta(seconds=WINDOW + 1), WINDOW)


def test_an_unknown_item_is_not_found() -> None:
    with pytest.raises(NotFound):
        approve(FakeReviews(), "nope", ApproveRequest(), AMINA, NOW)
