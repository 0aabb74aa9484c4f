"""Respond: turn a matched post into a review item, and carry out educators' decisions on it (audited)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any, Protocol

from functions.respond.drafting import counted_length, draft_reply, fits, platform_limit
from functions.respond.priority import priority, priority_key, sla_due
from functions.shared.auth import Educator
from functions.shared.claims import Claim
from functions.shared.errors import Conflict, InvalidInput
from functions.shared.models import (
    ApproveRequest,
    AuditEvent,
    MatchMessage,
    RejectRequest,
    ReviewItem,
    ReviewStatus,
    StoredPost,
    UndoRequest,
)


class PostReader(Protocol):
    def get_post(self, post_key: str) -> StoredPost | None: ...


class ReviewStore(Protocol):
    def put_review_item_if_new(self, item: ReviewItem, priority_key: str) -> bool: ...
    def get_review_item(self, item_id: str) -> ReviewItem: ...
    def transition_review_item(self, updated: ReviewItem, priority_key: str, event: AuditEvent) -> ReviewItem: ...


def review_item_id(post_key: str, claim_id: str) -> str:
    """Deterministic, so a redelivered match finds the item it already created."""
    return hashlib.sha256(f"{post_key}|{claim_id}".encode()).hexdigest()[:24]


def build_review_item(message: MatchMessage, post: StoredPost, now: datetime, high_harm_hours: float) -> ReviewItem:
    claim = Claim.model_validate(message.claim)
    draft = draft_reply(claim, post.platform.value, post.language, post.discloses_own_health)
    best = message.matches[0] if message.matches else None
    return ReviewItem(
        item_id=review_item_id(post.post_key, claim.id),
        status=ReviewStatus.PENDING,
        priority=round(priority(claim.harm, post.reach, post.created_at, now), 6),
        post_key=post.post_key,
        platform=post.platform.value,
        language=post.language,
        topic=claim.topic,
        claim_id=claim.id,
        post={
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
        },
        claim={
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
        },
        match={
            "decision": message.decision,
            "kb_version": message.kb_version,
            "score": best.score if best else None,
            "closest_phrasing": best.closest_phrasing if best else None,
            "candidates": [m.model_dump() for m in message.matches],
        },
        draft={
            "text": draft.text,
            "language": draft.language,
            "variant": draft.variant,
            "links": list(draft.links),
            "counted_length": draft.counted_length,
            "limit": draft.limit,
        },
        sla_due=sla_due(claim.harm, now, high_harm_hours),
        created_at=now,
        updated_at=now,
    )


def create_review_item(
    message: MatchMessage, posts: PostReader, store: ReviewStore, now: datetime, high_harm_hours: float
) -> bool:
    """Queue a suggested reply; False if this (post, claim) already has one (a duplicate delivery)."""
    post = posts.get_post(message.post_key)
    if post is None:
        raise InvalidInput(f"post {message.post_key} is not stored (expired or never ingested)")
    item = build_review_item(message, post, now, high_harm_hours)
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
    if item.status is not ReviewStatus.PENDING:
        raise Conflict(
            f"review item {item.item_id} is already {item.status.value} by {item.acted_by}",
            current=item.model_dump(mode="json"),
        )


def _transition(
    store: ReviewStore, item: ReviewItem, updated: ReviewItem, educator: Educator, action: str, now: datetime
) -> ReviewItem:
    event = AuditEvent(
        item_id=item.item_id,
        event_key=new_event_key(now),
        actor=educator.user,
        role=educator.role,
        action=action,
        at=now,
        before=_snapshot(item),
        after=_snapshot(updated),
    )
    return store.transition_review_item(updated, priority_key(updated.priority, updated.item_id), event)


def approve(store: ReviewStore, item_id: str, request: ApproveRequest, educator: Educator, now: datetime) -> ReviewItem:
    item = store.get_review_item(item_id)
    _check_version(item, request.version)
    _require_pending(item)
    text = request.text if request.text is not None else str(item.draft["text"])
    if not text.strip():
        raise InvalidInput("text: the reply is empty")
    if not fits(text, item.platform):
        raise InvalidInput(
            f"text: {counted_length(text, item.platform)} characters as {item.platform} counts them; "
            f"the limit is {platform_limit(item.platform)}",
            field="text",
        )
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
    return _transition(store, item, updated, educator, "approve" if request.text is None else "approve_edited", now)


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
            "updated_at": now,
        }
    )
    return _transition(store, item, updated, educator, "reject", now)


def undo(
    store: ReviewStore, item_id: str, request: UndoRequest, educator: Educator, now: datetime, window_seconds: int
) -> ReviewItem:
    """Put an approved or rejected item back in the queue, within the undo window, by whoever acted (or an admin)."""
    item = store.get_review_item(item_id)
    _check_version(item, request.version)
    if item.status is ReviewStatus.PENDING or item.acted_at is None:
        raise Conflict(
            f"review item {item_id} is pending; there is nothing to undo", current=item.model_dump(mode="json")
        )
    if educator.role != "admin" and educator.user != item.acted_by:
        raise Conflict(
            f"only {item.acted_by} (or an admin) can undo this decision", current=item.model_dump(mode="json")
        )
    if now - item.acted_at > timedelta(seconds=window_seconds):
        raise Conflict(f"the undo window of {window_seconds} s has passed", current=item.model_dump(mode="json"))
    updated = item.model_copy(
        update={
            "status": ReviewStatus.PENDING,
            "final_text": None,
            "reject_reason": None,
            "acted_by": None,
            "acted_at": None,
            "updated_at": now,
        }
    )
    return _transition(store, item, updated, educator, "undo", now)


# ---------------------------------------------------------------- trends


def trend_summary(
    hourly: dict[str, dict[str, int]], pending: dict[str, int], claims: dict[str, Claim], now: datetime
) -> dict[str, Any]:
    """Matches per claim over the last day and week (daily series for the chart) and the most-pending claims."""
    day_cutoff = (now - timedelta(hours=24)).strftime("%Y-%m-%dT%H")
    days = [(now - timedelta(days=back)).strftime("%Y-%m-%d") for back in range(6, -1, -1)]
    rows: list[dict[str, Any]] = []
    for claim_id, buckets in hourly.items():
        daily = dict.fromkeys(days, 0)
        for bucket, count in buckets.items():
            if bucket[:10] in daily:
                daily[bucket[:10]] += count
        claim = claims.get(claim_id)
        rows.append(
            {
                "claim_id": claim_id,
                "statement": claim.statement if claim else None,
                "topic": claim.topic if claim else None,
                "verdict": claim.verdict.value if claim else None,
                "last_day": sum(c for b, c in buckets.items() if b >= day_cutoff),
                "last_week": sum(daily.values()),
                "daily": [{"day": d, "count": daily[d]} for d in days],
            }
        )
    rows.sort(key=lambda r: (-r["last_day"], -r["last_week"], r["claim_id"]))
    most_pending = sorted(pending.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "generated_at": now.isoformat(),
        "days": days,
        "claims": rows,
        "most_pending": [
            {"claim_id": c, "pending": n, "statement": claims[c].statement if c in claims else None}
            for c, n in most_pending
        ],
    }
