"""Respond: turn a matched post into a review item, and carry out educators' decisions on it (audited)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from functions.respond.drafting import PRIVACY_REPORT, counted_length, draft_for, fits, platform_limit
from functions.respond.priority import priority, priority_key, sla_due
from functions.shared.auth import Educator
from functions.shared.claims import Claim, Harm
from functions.shared.errors import Conflict, Forbidden, InvalidInput
from functions.shared.models import (
    Action,
    Alert,
    ApproveRequest,
    AssignRequest,
    AuditEvent,
    DecideRequest,
    Decision,
    HourCount,
    MatchMessage,
    NoteRequest,
    PostedRequest,
    RejectRequest,
    ReplyPolicy,
    ReviewItem,
    ReviewNote,
    ReviewStatus,
    StoredPost,
    TrendKind,
    UndoRequest,
)
from functions.shared.seasons import Hemisphere, hemisphere_for, in_season


class PostReader(Protocol):
    def get_post(self, post_key: str) -> StoredPost | None: ...


class ReviewStore(Protocol):
    def put_review_item_if_new(self, item: ReviewItem, priority_key: str) -> bool: ...
    def get_review_item(self, item_id: str) -> ReviewItem: ...
    def transition_review_item(self, updated: ReviewItem, priority_key: str, event: AuditEvent) -> ReviewItem: ...


def review_item_id(post_key: str, claim_id: str) -> str:
    """Deterministic, so a redelivered match finds the item it already created."""
    return hashlib.sha256(f"{post_key}|{claim_id}".encode()).hexdigest()[:24]


def message_policy(message: MatchMessage, claim: Claim) -> ReplyPolicy:
    """The policy the match function decided; a message queued before the policy existed was a myth to correct."""
    if message.policy is not None:
        return message.policy
    return ReplyPolicy(stance=None, action=Action.CORRECT, reason=f"the post matched the myth {claim.id}")


def _post_view(post: StoredPost) -> dict[str, Any]:
    return {
        "platform": post.platform.value,
        "post_id": post.post_id,
        "url": post.url,
        "author_handle": post.author_handle,
        "text": post.text,
        "language": post.language,
        "region": post.region,
        "created_at": post.created_at.isoformat(),
        "reach": post.reach.model_dump(),
        "discloses_own_health": post.discloses_own_health,
        "redactions": post.redactions,
    }


def _claim_view(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "statement": claim.statement,
        "verdict": claim.verdict.value,
        "topic": claim.topic,
        "harm": claim.harm.value,
        "correction": claim.correction,
        "explanation": claim.explanation,
        "sources": [s.model_dump() for s in claim.sources],
        "last_reviewed": claim.last_reviewed.isoformat(),
        "review_by": claim.review_by.isoformat(),
    }


def _match_view(message: MatchMessage) -> dict[str, Any]:
    best = message.matches[0] if message.matches else None
    return {
        "decision": message.decision,
        "kb_version": message.kb_version,
        "score": best.score if best else None,
        "closest_phrasing": best.closest_phrasing if best else None,
        "candidates": [m.model_dump() for m in message.matches],
    }


@dataclass(frozen=True)
class SeasonRule:
    """The organisation's hemisphere (when a post names no region) and how much a claim in season is boosted."""

    hemisphere: Hemisphere = "north"
    boost: float = 1.5

    def factor(self, claim: Claim, post: StoredPost) -> float:
        hemisphere = hemisphere_for(post.region, self.hemisphere)
        return self.boost if in_season(claim.season, hemisphere, _utc_date(post.created_at)) else 1.0


def _utc_date(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


@dataclass(frozen=True)
class SlaRule:
    """How long educators have: ``high_harm_hours`` for high harm, else the end of the post's day in ``zone``."""

    high_harm_hours: float = 2.0
    zone: tzinfo = UTC


def _sla(policy: ReplyPolicy, claim: Claim, post: StoredPost, now: datetime, rule: SlaRule) -> datetime | None:
    """Only queued items have an SLA, counted from when the post was made (a post dated in the future — clock
    skew — from now); a risky disclosure or a privacy report is due as fast as high harm."""
    if not policy.enters_queue:
        return None
    urgent = policy.highest_priority or policy.privacy_report
    return sla_due(Harm.HIGH if urgent else claim.harm, min(post.created_at, now), rule.high_harm_hours, zone=rule.zone)


def build_review_item(
    message: MatchMessage, post: StoredPost, now: datetime, rule: SlaRule, season: SeasonRule = SeasonRule()
) -> ReviewItem:
    """The item for a forwarded match: queued (pending) when the policy's action is for educators, else filed."""
    claim = Claim.model_validate(message.claim)
    policy = message_policy(message, claim)
    draft = draft_for(claim, post.platform.value, post.language, policy, post.redactions)
    urgency = priority(
        claim.harm, post.reach, post.created_at, now, policy.highest_priority, season.factor(claim, post)
    )
    return ReviewItem(
        item_id=review_item_id(post.post_key, claim.id),
        status=ReviewStatus.PENDING if policy.enters_queue else ReviewStatus.FILED,
        priority=round(urgency, 6),
        post_key=post.post_key,
        platform=post.platform.value,
        language=post.language,
        region=post.region,
        topic=claim.topic,
        claim_id=claim.id,
        post=_post_view(post),
        claim=_claim_view(claim),
        match=_match_view(message),
        draft={**draft.as_dict(), "action": policy.action.value},
        stance=policy.stance,
        stance_confidence=policy.stance_confidence,
        action=policy.action,
        action_reason=policy.reason,
        private_reply=policy.private_reply,
        privacy_report=policy.privacy_report,
        amplify=policy.amplify,
        highest_priority=policy.highest_priority,
        needs_translation=draft.needs_translation,
        reach_rule=policy.reach_rule,
        sla_due=_sla(policy, claim, post, now, rule),
        created_at=now,
        updated_at=now,
    )


def create_review_item(
    message: MatchMessage,
    posts: PostReader,
    store: ReviewStore,
    now: datetime,
    rule: SlaRule,
    season: SeasonRule = SeasonRule(),
) -> bool:
    """Queue (or file) the item for a forwarded match; False if this (post, claim) already has one (a duplicate
    delivery)."""
    post = posts.get_post(message.post_key)
    if post is None:
        raise InvalidInput(f"post {message.post_key} is not stored (expired or never ingested)")
    item = build_review_item(message, post, now, rule, season)
    return store.put_review_item_if_new(item, priority_key(item.priority, item.item_id))


# ---------------------------------------------------------------- educators' actions


def new_event_key(now: datetime) -> str:
    """Audit sort key: time order, and unique even for two events in the same microsecond."""
    return f"{now.isoformat()}#{uuid.uuid4().hex[:12]}"


def _snapshot(item: ReviewItem) -> dict[str, Any]:
    return {
        "status": item.status.value,
        "final_text": item.final_text,
        "reject_reason": item.reject_reason,
        "acted_by": item.acted_by,
        "decision": item.decision.value if item.decision else None,
        "decision_reason": item.decision_reason,
        "assignee": item.assignee,
        "first_approval": item.first_approval,
        "posted_url": item.posted_url,
        "version": item.version,
    }


def _check_version(item: ReviewItem, version: int | None) -> None:
    if version is not None and version != item.version:
        raise Conflict(
            f"review item {item.item_id} changed since you loaded it (now {item.status.value}"
            f"{' by ' + item.acted_by if item.acted_by else ''})",
            current=item.model_dump(mode="json"),
        )


def _require_pending(item: ReviewItem) -> None:
    if item.status is ReviewStatus.FILED:
        raise Conflict(
            f"review item {item.item_id} is filed (action {item.action.value}): it is not in the queue, there is "
            "nothing to approve or reject",
            current=item.model_dump(mode="json"),
        )
    if item.status is not ReviewStatus.PENDING:
        raise Conflict(
            f"review item {item.item_id} is already {item.status.value} by {item.acted_by}",
            current=item.model_dump(mode="json"),
        )


def _transition(
    store: ReviewStore,
    item: ReviewItem,
    updated: ReviewItem,
    educator: Educator,
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> ReviewItem:
    """Save ``updated`` with its audit event (``detail`` adds what the snapshot does not hold, such as a note)."""
    event = AuditEvent(
        item_id=item.item_id,
        event_key=new_event_key(now),
        actor=educator.user,
        role=educator.role,
        action=action,
        at=now,
        before=_snapshot(item),
        after={**_snapshot(updated), **(detail or {})},
    )
    return store.transition_review_item(updated, priority_key(updated.priority, updated.item_id), event)


def _approved_text(item: ReviewItem, request: ApproveRequest) -> str:
    """The text to send: the draft, or the educator's edit — which a draft that needs translation requires."""
    text = request.text if request.text is not None else str(item.draft.get("text") or "")
    reference = item.draft.get("reference")
    if item.needs_translation and (request.text is None or text.strip() == str(reference or "").strip()):
        raise InvalidInput(
            f"text: this item needs a translation into '{item.draft.get('language')}'; write the reply in that "
            "language (the draft's reference text is not a reply to this post)",
            field="text",
        )
    if not text.strip():
        raise InvalidInput("text: the reply is empty", field="text")
    return text


def needs_second_signoff(item: ReviewItem, second_signoff_high_harm: bool) -> bool:
    """With the organisation's setting on, a reply about a high-harm claim needs a second educator to confirm."""
    return second_signoff_high_harm and item.claim.get("harm") == Harm.HIGH.value


def approve(
    store: ReviewStore,
    item_id: str,
    request: ApproveRequest,
    educator: Educator,
    now: datetime,
    second_signoff_high_harm: bool = False,
) -> ReviewItem:
    """Approve the reply. Under second sign-off the first approval only records who approved which text; another
    educator approving the same text confirms it (an edit by them starts over as their first approval)."""
    item = store.get_review_item(item_id)
    _check_version(item, request.version)
    _require_pending(item)
    text = _approved_text(item, request)
    if item.draft.get("variant") != PRIVACY_REPORT and not fits(text, item.platform):
        raise InvalidInput(
            f"text: {counted_length(text, item.platform)} characters as {item.platform} counts them; "
            f"the limit is {platform_limit(item.platform)}",
            field="text",
        )
    first = item.first_approval
    if needs_second_signoff(item, second_signoff_high_harm):
        if first and first.get("by") == educator.user and first.get("text") == text:
            return item  # a retried first approval changes nothing
        if not first or first.get("by") == educator.user or first.get("text") != text:
            first_approval = {"by": educator.user, "at": now.isoformat(), "text": text}
            updated = item.model_copy(update={"first_approval": first_approval, "updated_at": now})
            return _transition(store, item, updated, educator, "approve_first", now)
    updated = item.model_copy(
        update={
            "status": ReviewStatus.APPROVED,
            "final_text": text,
            "reject_reason": None,
            "acted_by": educator.user,
            "acted_at": now,
            "updated_at": now,
        }
    )
    action = "confirm" if first else "approve" if request.text is None else "approve_edited"
    return _transition(store, item, updated, educator, action, now)


def reject(store: ReviewStore, item_id: str, request: RejectRequest, educator: Educator, now: datetime) -> ReviewItem:
    item = store.get_review_item(item_id)
    _check_version(item, request.version)
    _require_pending(item)
    updated = item.model_copy(
        update={
            "status": ReviewStatus.REJECTED,
            "final_text": None,
            "reject_reason": request.reason,
            "acted_by": educator.user,
            "acted_at": now,
            "first_approval": None,
            "updated_at": now,
        }
    )
    return _transition(store, item, updated, educator, "reject", now)


_DECIDED_STATUS = {
    Decision.MONITOR: ReviewStatus.FILED,
    Decision.AMPLIFY: ReviewStatus.FILED,
    Decision.ESCALATE: ReviewStatus.ESCALATED,
}


def _check_decision(item: ReviewItem, request: DecideRequest) -> None:
    """The reply policy's rules for an educator's decision: amplify only counter-speech, escalate with a reason."""
    if item.status not in (ReviewStatus.PENDING, ReviewStatus.FILED) or (
        item.status is ReviewStatus.FILED and item.decision is not None
    ):
        decided = f" ({item.decision.value})" if item.decision else ""
        raise Conflict(
            f"review item {item.item_id} is already {item.status.value}{decided}"
            f"{' by ' + item.acted_by if item.acted_by else ''}",
            current=item.model_dump(mode="json"),
        )
    if request.decision is Decision.AMPLIFY and not item.amplify:
        raise InvalidInput(
            "decision: amplify is for a post that debunks the myth or supports the fact (counter-speech); "
            f"this post's stance is {item.stance.value if item.stance else 'unknown'}",
            field="decision",
        )
    if request.decision is Decision.ESCALATE and (request.kind is None or request.reason is None):
        raise InvalidInput("kind and reason: escalating needs privacy or safeguarding, and why", field="reason")


def decide(store: ReviewStore, item_id: str, request: DecideRequest, educator: Educator, now: datetime) -> ReviewItem:
    """Monitor only, amplify (counter-speech) or escalate (privacy or safeguarding): the item leaves the queue."""
    item = store.get_review_item(item_id)
    if item.decision is request.decision and item.acted_by == educator.user:
        return item  # a retry: already decided so by this educator
    _check_version(item, request.version)
    _check_decision(item, request)
    updated = item.model_copy(
        update={
            "status": _DECIDED_STATUS[request.decision],
            "decision": request.decision,
            "decision_reason": request.reason,
            "escalation_kind": request.kind if request.decision is Decision.ESCALATE else None,
            "acted_by": educator.user,
            "acted_at": now,
            "first_approval": None,
            "updated_at": now,
        }
    )
    return _transition(store, item, updated, educator, request.decision.value, now)


def assign(store: ReviewStore, item_id: str, request: AssignRequest, educator: Educator, now: datetime) -> ReviewItem:
    """Take an item (assign it to yourself), hand it to a colleague, or release it (``None``)."""
    item = store.get_review_item(item_id)
    if item.assignee == request.assignee:
        return item  # already so: a retry changes nothing
    updated = item.model_copy(update={"assignee": request.assignee, "updated_at": now})
    return _transition(store, item, updated, educator, "assign" if request.assignee else "unassign", now)


MAX_NOTES = 100


def add_note(store: ReviewStore, item_id: str, request: NoteRequest, educator: Educator, now: datetime) -> ReviewItem:
    """An internal note for colleagues (never sent); the client's ``note_id`` makes a retry add it once."""
    item = store.get_review_item(item_id)
    if any(n.note_id == request.note_id for n in item.notes):
        return item
    if len(item.notes) >= MAX_NOTES:
        raise InvalidInput(f"text: an item holds at most {MAX_NOTES} notes", field="text")
    note = ReviewNote(note_id=request.note_id, by=educator.user, at=now, text=request.text)
    updated = item.model_copy(update={"notes": [*item.notes, note], "updated_at": now})
    return _transition(store, item, updated, educator, "note", now, {"note": note.model_dump(mode="json")})


def mark_posted(
    store: ReviewStore, item_id: str, request: PostedRequest, educator: Educator, now: datetime
) -> ReviewItem:
    """Record where the approved reply was really posted, so the queue and the audit log reflect what was sent."""
    item = store.get_review_item(item_id)
    if item.status is not ReviewStatus.APPROVED:
        raise Conflict(
            f"review item {item_id} is {item.status.value}: only an approved reply can be marked as posted",
            current=item.model_dump(mode="json"),
        )
    if item.posted_url == request.url:
        return item
    updated = item.model_copy(
        update={"posted_url": request.url, "posted_by": educator.user, "posted_at": now, "updated_at": now}
    )
    return _transition(store, item, updated, educator, "mark_posted", now)


def _undo_first_approval(store: ReviewStore, item: ReviewItem, educator: Educator, now: datetime) -> ReviewItem:
    first = item.first_approval or {}
    if educator.role != "admin" and educator.user != first.get("by"):
        raise Forbidden(f"only {first.get('by')} (or an admin) can undo this approval")
    updated = item.model_copy(update={"first_approval": None, "updated_at": now})
    return _transition(store, item, updated, educator, "undo", now)


def undo(
    store: ReviewStore, item_id: str, request: UndoRequest, educator: Educator, now: datetime, window_seconds: int
) -> ReviewItem:
    """Put a decided item back where it was (the queue, or filed for a filed one), within the undo window, by
    whoever acted (or an admin); a first approval awaiting its second sign-off can be withdrawn the same way."""
    item = store.get_review_item(item_id)
    _check_version(item, request.version)
    if item.status is ReviewStatus.PENDING and item.first_approval:
        return _undo_first_approval(store, item, educator, now)
    if item.status is ReviewStatus.PENDING or item.acted_at is None:
        raise Conflict(
            f"review item {item_id} is {item.status.value}; there is nothing to undo",
            current=item.model_dump(mode="json"),
        )
    if educator.role != "admin" and educator.user != item.acted_by:
        raise Forbidden(f"only {item.acted_by} (or an admin) can undo this decision")
    if now - item.acted_at > timedelta(seconds=window_seconds):
        raise Conflict(f"the undo window of {window_seconds} s has passed", current=item.model_dump(mode="json"))
    if item.posted_url:
        raise Conflict(
            f"the reply was posted at {item.posted_url}; a posted reply cannot be undone here",
            current=item.model_dump(mode="json"),
        )
    updated = item.model_copy(
        update={
            "status": ReviewStatus.PENDING if item.sla_due else ReviewStatus.FILED,
            "final_text": None,
            "reject_reason": None,
            "decision": None,
            "decision_reason": None,
            "escalation_kind": None,
            "acted_by": None,
            "acted_at": None,
            "first_approval": None,
            "updated_at": now,
        }
    )
    return _transition(store, item, updated, educator, "undo", now)


# ---------------------------------------------------------------- trends


def _series(buckets: dict[str, int], days: list[str], day_cutoff: str) -> dict[str, Any]:
    daily = dict.fromkeys(days, 0)
    for bucket, count in buckets.items():
        if bucket[:10] in daily:
            daily[bucket[:10]] += count
    return {
        "last_day": sum(c for b, c in buckets.items() if b >= day_cutoff),
        "last_week": sum(daily.values()),
        "daily": [{"day": d, "count": daily[d]} for d in days],
    }


def history_days(hourly: Mapping[TrendKind, dict[str, dict[str, int]]], now: datetime) -> float:
    """How many days of counts the week holds (from the first hour anything was counted): on the service's first
    day every claim would look like it is rising, so the console says "rising" only with enough history."""
    buckets = [bucket for by_claim in hourly.values() for series in by_claim.values() for bucket in series]
    if not buckets:
        return 0.0
    first = datetime.strptime(min(buckets)[:13], "%Y-%m-%dT%H").replace(tzinfo=UTC)
    return round(min(7.0, max(0.0, (now - first).total_seconds() / 86400)), 2)


def trend_summary(
    hourly: Mapping[TrendKind, dict[str, dict[str, int]]],
    pending: dict[str, int],
    claims: dict[str, Claim],
    now: datetime,
) -> dict[str, Any]:
    """Per claim over the last day and week (daily series for the chart): posts spreading it (supporting a myth or
    denying a fact) at the top level, counter-speech (debunking a myth or supporting a fact) and questions apart;
    and the claims with the most items waiting."""
    day_cutoff = (now - timedelta(hours=24)).strftime("%Y-%m-%dT%H")
    days = [(now - timedelta(days=back)).strftime("%Y-%m-%d") for back in range(6, -1, -1)]
    claim_ids = sorted({claim_id for by_claim in hourly.values() for claim_id in by_claim})
    rows: list[dict[str, Any]] = []
    for claim_id in claim_ids:
        claim = claims.get(claim_id)
        rows.append(
            {
                "claim_id": claim_id,
                "statement": claim.statement if claim else None,
                "topic": claim.topic if claim else None,
                "verdict": claim.verdict.value if claim else None,
                **_series(hourly.get(TrendKind.SPREADING, {}).get(claim_id, {}), days, day_cutoff),
                "counter_speech": _series(hourly.get(TrendKind.COUNTER_SPEECH, {}).get(claim_id, {}), days, day_cutoff),
                "questions": _series(hourly.get(TrendKind.QUESTION, {}).get(claim_id, {}), days, day_cutoff),
            }
        )
    rows.sort(key=lambda r: (-r["last_day"], -r["last_week"], -r["counter_speech"]["last_week"], r["claim_id"]))
    most_pending = sorted(pending.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "generated_at": now.isoformat(),
        "history_days": history_days(hourly, now),
        "days": days,
        "claims": rows,
        "most_pending": [
            {"claim_id": c, "pending": n, "statement": claims[c].statement if c in claims else None}
            for c, n in most_pending
        ],
    }


def cut_trend_counts(
    counts: Iterable[HourCount], region: str | None, language: str | None
) -> dict[TrendKind, dict[str, dict[str, int]]]:
    """The trends' hourly shape ({kind: {claim: {"YYYY-MM-DDTHH": n}}}) from the dimensioned counters of one region
    and/or language ("-": posts that named none)."""
    out: dict[TrendKind, dict[str, dict[str, int]]] = {kind: {} for kind in TrendKind}
    for c in counts:
        if (region and c.region != region) or (language and c.language != language):
            continue
        buckets = out[c.kind].setdefault(c.claim_id, {})
        bucket = f"{c.hour:%Y-%m-%dT%H}"
        buckets[bucket] = buckets.get(bucket, 0) + c.tally
    return out


def add_sentiment_and_alerts(
    summary: dict[str, Any], counts: list[HourCount], alerts: list[Alert], now: datetime
) -> dict[str, Any]:
    """Per claim row, the last day's scored and negative posts (so a turn to negative shows) and the week's alerts
    (the chart marks them); the regions and languages the week's counters hold, for the console's filters."""
    day_cutoff = now - timedelta(hours=24)
    sentiment: dict[str, list[int]] = {}
    for c in counts:
        if c.hour >= day_cutoff:
            scored, negative = sentiment.setdefault(c.claim_id, [0, 0])
            sentiment[c.claim_id] = [scored + c.scored, negative + c.negative]
    by_claim: dict[str, list[dict[str, Any]]] = {}
    for a in alerts:
        if a.series.startswith("claim:"):
            by_claim.setdefault(a.series.removeprefix("claim:"), []).append(
                {"kind": a.kind.value, "hour": a.hour.isoformat(), "count": a.count, "alert_id": a.alert_id}
            )
    for row in summary["claims"]:
        scored, negative = sentiment.get(row["claim_id"], [0, 0])
        row["sentiment_last_day"] = {"scored": scored, "negative": negative}
        row["alerts"] = by_claim.get(row["claim_id"], [])
    summary["regions"] = sorted({c.region for c in counts})
    summary["languages"] = sorted({c.language for c in counts})
    return summary
