"""The review state machine (create, approve, reject, undo, conflicts) against in-memory fakes: no HTTP, no
DynamoDB, no model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.respond.exports import reviews_csv, safe_cell
from functions.respond.logic import (
    SlaRule,
    add_note,
    approve,
    assign,
    create_review_item,
    decide,
    mark_posted,
    reject,
    review_item_id,
    trend_summary,
    undo,
)
from functions.respond.priority import HIGHEST_PRIORITY
from functions.shared.auth import Educator
from functions.shared.claims import Claim
from functions.shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from functions.shared.models import (
    Action,
    ApproveRequest,
    AssignRequest,
    DecideRequest,
    Decision,
    EscalationKind,
    MatchedClaim,
    MatchMessage,
    NoteRequest,
    Platform,
    PostedRequest,
    Reach,
    ReachRule,
    RejectRequest,
    ReplyPolicy,
    ReviewItem,
    ReviewStatus,
    Stance,
    StoredPost,
    TrendKind,
    UndoRequest,
)
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import FakePosts, FakeReviews
from tests.unit.test_drafting import without

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MYTH = next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if c.id == "measles-mild-illness")
AMINA = Educator("amina", "educator")
BEN = Educator("ben", "educator")
CHIEF = Educator("chief", "admin")
WINDOW = 300
SLA = SlaRule(2.0, UTC)


def stored_post(post_id: str = "1", platform: Platform = Platform.X, language: str | None = "en") -> StoredPost:
    return StoredPost(
        post_key=f"{platform.value}#{post_id}",
        platform=platform,
        post_id=post_id,
        author_handle="@someone",
        text="measles is just a rash, relax",
        url=None,
        created_at=NOW - timedelta(minutes=30),
        received_at=NOW - timedelta(minutes=29),
        language=language,
        region=None,
        reach=Reach(followers=5000, likes=40),
        discloses_own_health=False,
        redactions={},
        source="webhook",
    )


def message(post: StoredPost, policy: ReplyPolicy | None = None, claim: Claim = MYTH) -> MatchMessage:
    matched = MatchedClaim(
        claim_id=claim.id,
        verdict=claim.verdict.value,
        topic=claim.topic,
        harm=claim.harm.value,
        score=0.91,
        dense_similarity=0.8,
        lexical_score=0.6,
        closest_phrasing=claim.statement,
    )
    return MatchMessage(
        post_key=post.post_key,
        decision="match",
        kb_version="kb-test",
        matches=[matched],
        claim=claim.model_dump(mode="json"),
        policy=policy,
    )


@pytest.fixture
def queue() -> tuple[FakePosts, FakeReviews, str]:
    posts, reviews = FakePosts(), FakeReviews()
    post = stored_post()
    posts.put_posts_if_new([post])
    assert create_review_item(message(post), posts, reviews, NOW, SLA)
    return posts, reviews, review_item_id(post.post_key, MYTH.id)


def test_a_match_creates_one_pending_item_and_a_redelivery_none(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    posts, reviews, item_id = queue
    item = reviews.get_review_item(item_id)
    assert item.status is ReviewStatus.PENDING
    assert item.version == 1
    assert item.sla_due == NOW - timedelta(minutes=30) + timedelta(hours=2)  # high harm; the clock starts at the post
    assert str(item.draft["text"])
    assert create_review_item(message(posts.posts["x#1"]), posts, reviews, NOW, SLA) is False
    assert len(reviews.items) == 1


def test_a_match_for_a_post_that_is_not_stored_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not stored"):
        create_review_item(message(stored_post("gone")), FakePosts(), FakeReviews(), NOW, SLA)


def test_approve_as_drafted_records_who_and_when_with_an_audit_event(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    approved = approve(reviews, item_id, ApproveRequest(version=1), AMINA, NOW)
    assert approved.status is ReviewStatus.APPROVED
    assert approved.final_text == reviews.items[item_id].draft["text"]
    assert (approved.acted_by, approved.acted_at, approved.version) == ("amina", NOW, 2)
    [event] = reviews.audit[item_id]
    assert (event.action, event.actor) == ("approve", "amina")
    assert event.before == {
        "status": "pending", "final_text": None, "reject_reason": None, "acted_by": None, "decision": None,
        "decision_reason": None, "assignee": None, "first_approval": None, "posted_url": None, "version": 1,
    }  # fmt: skip
    assert event.after == {
        **event.before, "status": "approved", "final_text": approved.final_text, "acted_by": "amina",
    }  # fmt: skip


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
    with pytest.raises(Forbidden, match="only amina"):
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


# ---------------------------------------------------------------- the reply policy on review items

FACT = next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if not c.is_myth)
RULE = ReachRule(
    platform="x", followers=100, engagement=10, post_followers=12, post_engagement=1, reached=False, applied=True
)


def created(
    policy: ReplyPolicy | None, post: StoredPost | None = None, claim: Claim = MYTH
) -> tuple[FakeReviews, ReviewItem]:
    posts, reviews = FakePosts(), FakeReviews()
    post = post or stored_post()
    posts.put_posts_if_new([post])
    assert create_review_item(message(post, policy, claim), posts, reviews, NOW, SLA)
    return reviews, reviews.get_review_item(review_item_id(post.post_key, claim.id))


def policy(action: Action, stance: Stance = Stance.SUPPORTS, **flags: object) -> ReplyPolicy:
    return ReplyPolicy.model_validate(
        {"stance": stance, "stance_confidence": 0.8, "action": action, "reason": f"because {action}", **flags}
    )


def test_an_item_carries_the_stance_the_action_and_the_reason() -> None:
    _, item = created(policy(Action.CORRECT, reach_rule=RULE.model_copy(update={"applied": False, "reached": True})))
    assert (item.status, item.stance, item.stance_confidence) == (ReviewStatus.PENDING, Stance.SUPPORTS, 0.8)
    assert (item.action, item.action_reason) == (Action.CORRECT, "because correct")
    assert item.reach_rule is not None
    assert item.reach_rule.reached
    assert item.draft["action"] == "correct"
    assert item.draft["text"].startswith("Thanks for raising this.")


def test_a_question_is_queued_with_an_answer_not_a_correction() -> None:
    _, item = created(policy(Action.INFORM, Stance.ASKS))
    assert item.status is ReviewStatus.PENDING
    assert item.draft["text"].startswith("Good question! ")


@pytest.mark.parametrize(
    ("decided", "claim"),
    [
        (policy(Action.MONITOR, reach_rule=RULE), MYTH),
        (policy(Action.NONE, Stance.REFUTES, amplify=True), MYTH),
        (policy(Action.NONE, Stance.SUPPORTS, amplify=True), FACT),
        (policy(Action.NONE, Stance.NEUTRAL), MYTH),
    ],
)
def test_what_the_policy_does_not_send_is_filed_without_an_sla(decided: ReplyPolicy, claim: Claim) -> None:
    reviews, item = created(decided, claim=claim)
    assert item.status is ReviewStatus.FILED
    assert item.sla_due is None
    assert item.action is decided.action
    assert item.amplify is decided.amplify
    if decided.action is Action.MONITOR:  # the correction is drafted, should the post grow
        assert item.draft["text"].startswith("Thanks for raising this.")
        assert item.reach_rule == RULE
    else:
        assert (item.draft["variant"], item.draft["text"]) == ("none", "")
    with pytest.raises(Conflict, match="filed"):
        approve(reviews, item.item_id, ApproveRequest(text="a reply"), AMINA, NOW)
    with pytest.raises(Conflict, match="filed"):
        reject(reviews, item.item_id, RejectRequest(reason="not needed"), AMINA, NOW)


def test_a_refuted_fact_is_queued_with_the_fact_as_the_correction() -> None:
    _, item = created(policy(Action.CORRECT, Stance.REFUTES), claim=FACT)
    assert item.status is ReviewStatus.PENDING
    assert FACT.statement[:40] in item.draft["text"]


def test_a_risky_disclosure_goes_first_and_privately() -> None:
    _, ordinary = created(policy(Action.CORRECT))
    _, risky = created(policy(Action.CORRECT, private_reply=True, highest_priority=True))
    assert risky.priority >= HIGHEST_PRIORITY > ordinary.priority
    assert risky.highest_priority
    assert risky.private_reply
    assert risky.draft["variant"] == "private_channel"
    assert risky.sla_due == NOW + timedelta(hours=1, minutes=30)  # two hours from the post


def test_a_privacy_report_is_queued_with_a_report_and_no_reply() -> None:
    post = stored_post().model_copy(update={"redactions": {"phone": 1, "address": 1}})
    reviews, item = created(policy(Action.NONE, privacy_report=True), post)
    assert (item.status, item.privacy_report, item.action) == (ReviewStatus.PENDING, True, Action.NONE)
    assert item.draft["variant"] == "privacy_report"
    assert item.draft["text"].startswith("Privacy report to X:")
    assert MYTH.correction not in item.draft["text"]
    assert item.sla_due == NOW + timedelta(hours=1, minutes=30)
    assert approve(reviews, item.item_id, ApproveRequest(), AMINA, NOW).status is ReviewStatus.APPROVED


def test_a_draft_that_needs_translation_is_approved_only_with_edited_text() -> None:
    # a myth whose French is not written yet (every claim has French today: a new claim would not)
    myth = next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if c.is_myth)
    untranslated = without(myth, "fr")
    reviews, item = created(policy(Action.CORRECT), stored_post(language="fr"), untranslated)
    assert item.needs_translation
    assert (item.draft["text"], item.draft["language"], item.draft["reference_language"]) == ("", "fr", "en")
    reference = str(item.draft["reference"])
    assert reference.startswith("Thanks for raising this.")
    with pytest.raises(InvalidInput, match="needs a translation into 'fr'"):
        approve(reviews, item.item_id, ApproveRequest(), AMINA, NOW)
    with pytest.raises(InvalidInput, match="needs a translation"):
        approve(reviews, item.item_id, ApproveRequest(text=reference), AMINA, NOW)
    french = "La rougeole n'est pas bénigne : elle peut tuer. https://www.who.int/news-room/fact-sheets/detail/measles"
    approved = approve(reviews, item.item_id, ApproveRequest(text=french), AMINA, NOW)
    assert approved.final_text == french


def test_a_message_from_before_the_policy_is_a_correction() -> None:
    _, item = created(None)
    assert (item.status, item.action, item.stance) == (ReviewStatus.PENDING, Action.CORRECT, None)


def test_trends_count_spreading_and_counter_speech_apart() -> None:
    hour = NOW.strftime("%Y-%m-%dT%H")
    three_days_ago = (NOW - timedelta(days=3)).strftime("%Y-%m-%dT%H")
    summary = trend_summary(
        {
            TrendKind.SPREADING: {MYTH.id: {hour: 4, three_days_ago: 1}},
            TrendKind.COUNTER_SPEECH: {MYTH.id: {hour: 2}, FACT.id: {three_days_ago: 5}},
            TrendKind.QUESTION: {MYTH.id: {hour: 1}},
        },
        {MYTH.id: 3},
        {MYTH.id: MYTH, FACT.id: FACT},
        NOW,
    )
    rows = {row["claim_id"]: row for row in summary["claims"]}
    assert [row["claim_id"] for row in summary["claims"]] == [MYTH.id, FACT.id]  # most spreading first
    myth = rows[MYTH.id]
    assert (myth["last_day"], myth["last_week"]) == (4, 5)
    assert (myth["counter_speech"]["last_day"], myth["counter_speech"]["last_week"]) == (2, 2)
    assert myth["questions"]["last_week"] == 1
    assert sum(day["count"] for day in myth["daily"]) == 5
    fact = rows[FACT.id]
    assert (fact["last_week"], fact["counter_speech"]["last_week"], fact["counter_speech"]["last_day"]) == (0, 5, 0)
    assert summary["most_pending"] == [{"claim_id": MYTH.id, "pending": 3, "statement": MYTH.statement}]


# ---------------------------------------------------------------- beyond approve and reject


def test_an_old_post_is_late_already_and_same_day_means_the_organisations_day() -> None:
    old = stored_post("old").model_copy(update={"created_at": NOW - timedelta(hours=5)})
    _, item = created(None, old)
    assert item.sla_due == NOW - timedelta(hours=3)  # high harm: two hours from the post, so overdue on arrival
    low = next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if c.harm.value == "low")
    late = stored_post("late").model_copy(update={"created_at": datetime(2026, 11, 20, 2, 0, tzinfo=UTC)})
    posts, reviews = FakePosts(), FakeReviews()
    posts.put_posts_if_new([late])
    new_york = SlaRule(2.0, ZoneInfo("America/New_York"))
    assert create_review_item(message(late, None, low), posts, reviews, NOW, new_york)
    item = reviews.get_review_item(review_item_id(late.post_key, low.id))
    assert item.sla_due == datetime(2026, 11, 20, 4, 59, 59, tzinfo=UTC)  # 21:00 on the 19th there: that day's end


def test_monitor_files_the_item_with_an_audit_event_and_a_retry_changes_nothing(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    monitored = decide(reviews, item_id, DecideRequest(decision=Decision.MONITOR, version=1), AMINA, NOW)
    assert (monitored.status, monitored.decision, monitored.acted_by) == (ReviewStatus.FILED, Decision.MONITOR, "amina")
    again = decide(reviews, item_id, DecideRequest(decision=Decision.MONITOR, version=1), AMINA, NOW)
    assert again.version == monitored.version
    assert [e.action for e in reviews.audit[item_id]] == ["monitor"]
    with pytest.raises(Conflict, match="already filed"):
        decide(reviews, item_id, DecideRequest(decision=Decision.MONITOR), BEN, NOW)
    back = undo(reviews, item_id, UndoRequest(), AMINA, NOW + timedelta(seconds=10), WINDOW)
    assert (back.status, back.decision) == (ReviewStatus.PENDING, None)  # it had an SLA: back in the queue


def test_escalate_needs_a_kind_and_a_reason_and_leaves_the_queue(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    _, reviews, item_id = queue
    with pytest.raises(InvalidInput, match="privacy or safeguarding"):
        decide(reviews, item_id, DecideRequest(decision=Decision.ESCALATE, reason="looks like a child"), AMINA, NOW)
    request = DecideRequest(decision=Decision.ESCALATE, kind=EscalationKind.SAFEGUARDING, reason="a child at risk")
    escalated = decide(reviews, item_id, request, AMINA, NOW)
    assert (escalated.status, escalated.escalation_kind) == (ReviewStatus.ESCALATED, EscalationKind.SAFEGUARDING)
    assert escalated.decision_reason == "a child at risk"
    [event] = reviews.audit[item_id]
    assert event.after is not None
    assert (event.action, event.after["decision_reason"]) == ("escalate", "a child at risk")


def test_amplify_is_only_for_counter_speech_and_a_filed_item_returns_to_filed_on_undo() -> None:
    _, correction = created(policy(Action.CORRECT))
    reviews, debunk = created(policy(Action.NONE, Stance.REFUTES, amplify=True), stored_post("2"))
    with pytest.raises(InvalidInput, match="counter-speech"):
        decide(_only(correction), correction.item_id, DecideRequest(decision=Decision.AMPLIFY), AMINA, NOW)
    amplified = decide(reviews, debunk.item_id, DecideRequest(decision=Decision.AMPLIFY), AMINA, NOW)
    assert (amplified.status, amplified.decision) == (ReviewStatus.FILED, Decision.AMPLIFY)
    back = undo(reviews, debunk.item_id, UndoRequest(), AMINA, NOW, WINDOW)
    assert (back.status, back.decision) == (ReviewStatus.FILED, None)  # filed by the policy: filed again


def _only(item: ReviewItem) -> FakeReviews:
    reviews = FakeReviews()
    reviews.items[item.item_id] = item
    return reviews


def test_assign_and_notes_are_audited_and_idempotent(queue: tuple[FakePosts, FakeReviews, str]) -> None:
    _, reviews, item_id = queue
    taken = assign(reviews, item_id, AssignRequest(assignee="amina"), AMINA, NOW)
    assert taken.assignee == "amina"
    assert assign(reviews, item_id, AssignRequest(assignee="amina"), AMINA, NOW).version == taken.version
    handed = assign(reviews, item_id, AssignRequest(assignee="ben"), AMINA, NOW)
    assert handed.assignee == "ben"
    note = NoteRequest(note_id="0b7d2c1e-aaaa", text="check the clinic's number first")
    noted = add_note(reviews, item_id, note, BEN, NOW)
    assert [(n.by, n.text) for n in noted.notes] == [("ben", "check the clinic's number first")]
    assert add_note(reviews, item_id, note, BEN, NOW).notes == noted.notes  # a retry adds nothing
    assert [e.action for e in reviews.audit[item_id]] == ["assign", "assign", "note"]
    assert reviews.audit[item_id][-1].after["note"]["text"] == "check the clinic's number first"  # type: ignore[index]


def test_mark_posted_only_after_approval_and_a_posted_reply_cannot_be_undone(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    request = PostedRequest(url="https://x.com/health/status/1")
    with pytest.raises(Conflict, match="only an approved reply"):
        mark_posted(reviews, item_id, request, AMINA, NOW)
    approve(reviews, item_id, ApproveRequest(), AMINA, NOW)
    posted = mark_posted(reviews, item_id, request, AMINA, NOW)
    assert (posted.posted_url, posted.posted_by, posted.posted_at) == (request.url, "amina", NOW)
    assert mark_posted(reviews, item_id, request, AMINA, NOW).version == posted.version
    assert [e.action for e in reviews.audit[item_id]] == ["approve", "mark_posted"]
    with pytest.raises(Conflict, match="posted"):
        undo(reviews, item_id, UndoRequest(), AMINA, NOW, WINDOW)


def test_second_signoff_needs_another_educator_to_confirm_the_same_text(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue  # measles is high harm
    first = approve(reviews, item_id, ApproveRequest(), AMINA, NOW, second_signoff_high_harm=True)
    assert first.status is ReviewStatus.PENDING
    assert first.first_approval is not None
    assert first.first_approval["by"] == "amina"
    assert approve(reviews, item_id, ApproveRequest(), AMINA, NOW, True).version == first.version  # a retry
    confirmed = approve(reviews, item_id, ApproveRequest(), BEN, NOW, second_signoff_high_harm=True)
    assert (confirmed.status, confirmed.acted_by) == (ReviewStatus.APPROVED, "ben")
    assert [e.action for e in reviews.audit[item_id]] == ["approve_first", "confirm"]


def test_a_second_educator_who_edits_starts_over_and_the_first_can_withdraw(
    queue: tuple[FakePosts, FakeReviews, str],
) -> None:
    _, reviews, item_id = queue
    approve(reviews, item_id, ApproveRequest(), AMINA, NOW, second_signoff_high_harm=True)
    edited = approve(reviews, item_id, ApproveRequest(text="Measles can be serious."), BEN, NOW, True)
    assert edited.status is ReviewStatus.PENDING
    assert edited.first_approval is not None
    assert (edited.first_approval["by"], edited.first_approval["text"]) == ("ben", "Measles can be serious.")
    with pytest.raises(Forbidden, match="only ben"):
        undo(reviews, item_id, UndoRequest(), AMINA, NOW, WINDOW)
    withdrawn = undo(reviews, item_id, UndoRequest(), BEN, NOW, WINDOW)
    assert (withdrawn.status, withdrawn.first_approval) == (ReviewStatus.PENDING, None)
    # without the setting, one approval is enough
    assert approve(reviews, item_id, ApproveRequest(), AMINA, NOW).status is ReviewStatus.APPROVED


def test_csv_exports_neutralise_formulas() -> None:
    _, item = created(None, stored_post("csv").model_copy(update={"text": '=HYPERLINK("http://evil")'}))
    text = reviews_csv([item])
    assert "'=HYPERLINK" in text
    assert text.splitlines()[0].startswith("item_id,status,priority")
    assert safe_cell("-1") == "'-1"
    assert safe_cell("ok") == "ok"
    assert safe_cell(None) == ""


def test_trends_report_how_many_days_of_history_they_hold() -> None:
    day_one = {TrendKind.SPREADING: {MYTH.id: {(NOW - timedelta(hours=5)).strftime("%Y-%m-%dT%H"): 9}}}
    assert trend_summary(day_one, {}, {MYTH.id: MYTH}, NOW)["history_days"] == pytest.approx(5 / 24, abs=0.01)
    week = {TrendKind.SPREADING: {MYTH.id: {(NOW - timedelta(days=9)).strftime("%Y-%m-%dT%H"): 1}}}
    assert trend_summary(week, {}, {}, NOW)["history_days"] == 7.0
    assert trend_summary({}, {}, {}, NOW)["history_days"] == 0.0


def test_the_item_keeps_the_posts_region_so_the_queue_can_be_cut_by_it() -> None:
    posts, reviews = FakePosts(), FakeReviews()
    post = stored_post("region").model_copy(update={"region": "KE"})
    posts.put_posts_if_new([post])
    assert create_review_item(message(post), posts, reviews, NOW, SLA)
    assert reviews.get_review_item(review_item_id(post.post_key, MYTH.id)).region == "KE"
