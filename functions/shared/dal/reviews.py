"""Review items and their audit trail. Transitions are conditional on the item's version and written in one
transaction with their audit event, so two educators acting at once cannot both win."""

from __future__ import annotations

import base64
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import AuditRecord, ReviewItemRecord
from functions.shared.errors import Conflict, InvalidInput, NotFound
from functions.shared.models import (
    Action,
    AuditEvent,
    Decision,
    EscalationKind,
    ReachRule,
    ReviewItem,
    ReviewPage,
    ReviewStatus,
    ReviewSummary,
    Stance,
)

# Every field a review item stores under the same name in its record (status, priority and version are typed).
_ITEM_FIELDS = (
    "item_id", "post_key", "platform", "language", "region", "topic", "claim_id", "post", "claim", "match", "draft",
    "stance_confidence", "private_reply", "privacy_report", "amplify", "highest_priority", "needs_translation",
    "final_text", "reject_reason", "acted_by", "acted_at", "sla_due", "created_at", "updated_at",
    "decision_reason", "assignee", "first_approval", "posted_url", "posted_by", "posted_at",
)  # fmt: skip
MAX_SEARCH_WORDS = 8
_AUDIT_FIELDS = ("item_id", "event_key", "actor", "role", "action", "at", "before", "after")


@dataclass(frozen=True)
class ReviewFilters:
    """The queue's filters; all optional, combined with AND. ``query``: words that must all appear (folded)."""

    topic: str | None = None
    platform: str | None = None
    language: str | None = None
    action: Action | None = None
    claim: str | None = None
    assignee: str | None = None
    query: str | None = None
    region: str | None = None  # the post's region (items stored before regions were kept have none)


class ReviewStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def put_review_item_if_new(self, item: ReviewItem, priority_key: str) -> bool:
        record = _to_record(item.model_copy(update={"version": 0}), priority_key)
        try:
            record.save(condition=ReviewItemRecord.item_id.does_not_exist())
        except PutError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True

    def get_review_item(self, item_id: str) -> ReviewItem:
        try:
            return _to_item(ReviewItemRecord.get(item_id, consistent_read=True))
        except ReviewItemRecord.DoesNotExist as exc:
            raise NotFound(f"no review item {item_id}") from exc

    def list_review_items(
        self, status: ReviewStatus, filters: ReviewFilters | None = None, limit: int = 25, cursor: str | None = None
    ) -> ReviewPage:
        """One page of items of ``status`` in priority order, filtered (DynamoDB applies the filter after reading,
        so a page may take several reads of the status index)."""
        condition = _filter_condition(filters or ReviewFilters())
        start_key = _decode_cursor(cursor, status.value) if cursor else None
        items: list[ReviewItem] = []
        while len(items) < limit:
            results = ReviewItemRecord.by_status.query(
                status.value,
                filter_condition=condition,
                limit=limit - len(items),
                last_evaluated_key=start_key,
                scan_index_forward=True,
            )
            items += [_to_item(r) for r in results]
            start_key = results.last_evaluated_key
            if not start_key:
                break
        return ReviewPage(items=items, next_cursor=_encode_cursor(start_key) if start_key else None)

    def summarise(self, status: ReviewStatus, filters: ReviewFilters, now: datetime, soon: timedelta) -> ReviewSummary:
        """Totals over every item of ``status`` that matches ``filters`` — not just one page.

        One query of the status index, read to its end with only six attributes returned. DynamoDB still charges
        for the whole of every item it reads (the filter applies after reading): about ⌈item size / 4 KB⌉ × 0.5
        read units per item of that status, eventually consistent — see docs/console.md for the figures."""
        total = overdue = due_soon = 0
        by_topic: dict[str, int] = defaultdict(int)
        by_platform: dict[str, int] = defaultdict(int)
        by_language: dict[str, int] = defaultdict(int)
        by_region: dict[str, int] = defaultdict(int)
        for record in ReviewItemRecord.by_status.query(
            status.value,
            filter_condition=_filter_condition(filters),
            attributes_to_get=["topic", "platform", "language", "region", "sla_due", "item_id"],
        ):
            total += 1
            by_topic[record.topic] += 1
            by_platform[record.platform] += 1
            by_language[record.language or ""] += 1
            by_region[record.region or ""] += 1
            if record.sla_due is not None and record.sla_due < now:
                overdue += 1
            elif record.sla_due is not None and record.sla_due < now + soon:
                due_soon += 1
        return ReviewSummary(
            total=total,
            overdue=overdue,
            due_soon=due_soon,
            by_topic=dict(by_topic),
            by_platform=dict(by_platform),
            by_language=dict(by_language),
            by_region=dict(by_region),
        )

    def transition_review_item(self, updated: ReviewItem, priority_key: str, event: AuditEvent) -> ReviewItem:
        """Save ``updated`` only if nobody changed the item since ``updated.version``, with its audit event."""
        record = _to_record(updated, priority_key)
        audit = AuditRecord(event.item_id, event.event_key, **event.model_dump(exclude={"item_id", "event_key"}))
        try:
            with TransactWrite(connection=self._database.connection) as transaction:
                transaction.save(record)  # VersionAttribute adds "version = expected" to the condition
                transaction.save(audit, condition=AuditRecord.event_key.does_not_exist())
        except TransactWriteError as exc:
            if conditional_failed(exc):
                current = self.get_review_item(updated.item_id)
                raise Conflict(
                    f"review item {updated.item_id} was changed by someone else (now {current.status.value}"
                    f"{' by ' + current.acted_by if current.acted_by else ''})",
                    current=json.loads(current.model_dump_json()),
                ) from exc
            raise
        return self.get_review_item(updated.item_id)

    def audit_events(self, item_id: str) -> list[AuditEvent]:
        return [
            AuditEvent(**{name: getattr(r, name) for name in _AUDIT_FIELDS})
            for r in AuditRecord.query(item_id, consistent_read=True)
        ]

    def all_audit_events(self, since: datetime | None = None) -> list[AuditEvent]:
        """Every audit event (optionally from ``since``), oldest first: a scan of the audit table, for the export."""
        condition = AuditRecord.at >= since if since else None
        events = [
            AuditEvent(**{name: getattr(r, name) for name in _AUDIT_FIELDS})
            for r in AuditRecord.scan(filter_condition=condition)
        ]
        return sorted(events, key=lambda e: (e.at, e.item_id, e.event_key))

    def count_pending_past_sla(self, now: datetime) -> int:
        return sum(
            1
            for _ in ReviewItemRecord.by_status.query(
                ReviewStatus.PENDING.value, filter_condition=ReviewItemRecord.sla_due < now
            )
        )

    def pending_by_claim(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for r in ReviewItemRecord.by_status.query(ReviewStatus.PENDING.value):
            counts[r.claim_id] += 1
        return dict(counts)


def fold(text: str) -> str:
    """Text as search compares it: accents removed (NFD, marks dropped) and lower case — as the console folds it."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M")).lower()


def search_text(item: ReviewItem) -> str:
    """What server-side search looks in: the claim (id, statement, topic), the post's text and author, the draft."""
    parts = [item.claim_id, str(item.claim.get("statement") or ""), item.topic, str(item.post.get("text") or "")]
    parts += [str(item.post.get("author_handle") or ""), str(item.draft.get("text") or ""), item.final_text or ""]
    return fold(" \n ".join(parts))


def _filter_condition(filters: ReviewFilters) -> Condition | None:
    condition: Condition | None = None
    clauses: list[Condition] = [
        attribute == value
        for attribute, value in (
            (ReviewItemRecord.topic, filters.topic),
            (ReviewItemRecord.platform, filters.platform),
            (ReviewItemRecord.language, filters.language),
            (ReviewItemRecord.region, filters.region),
            (ReviewItemRecord.action, filters.action.value if filters.action else None),
            (ReviewItemRecord.claim_id, filters.claim),
            (ReviewItemRecord.assignee, filters.assignee),
        )
        if value
    ]
    words = fold(filters.query or "").split()
    if len(words) > MAX_SEARCH_WORDS:
        raise InvalidInput(f"q: at most {MAX_SEARCH_WORDS} words", field="q")
    clauses += [ReviewItemRecord.search_text.contains(word) for word in words]
    for clause in clauses:
        condition = clause if condition is None else condition & clause
    return condition


def _to_item(r: ReviewItemRecord) -> ReviewItem:
    return ReviewItem(
        **{name: getattr(r, name) for name in _ITEM_FIELDS},
        decision=Decision(r.decision) if r.decision else None,
        escalation_kind=EscalationKind(r.escalation_kind) if r.escalation_kind else None,
        notes=r.notes or [],
        status=ReviewStatus(r.status),
        priority=float(r.priority),
        stance=Stance(r.stance) if r.stance else None,
        action=Action(r.action) if r.action else Action.CORRECT,  # items stored before the policy were corrections
        action_reason=r.action_reason or "",
        reach_rule=ReachRule.model_validate(r.reach_rule) if r.reach_rule else None,
        version=int(r.version or 0),
    )


def _to_record(item: ReviewItem, priority_key: str) -> ReviewItemRecord:
    record = ReviewItemRecord(
        item.item_id,
        **{name: getattr(item, name) for name in _ITEM_FIELDS if name != "item_id"},
        status=item.status.value,
        priority=item.priority,
        priority_key=priority_key,
        stance=item.stance.value if item.stance else None,
        action=item.action.value,
        action_reason=item.action_reason,
        reach_rule=item.reach_rule.model_dump(mode="json") if item.reach_rule else None,
        decision=item.decision.value if item.decision else None,
        escalation_kind=item.escalation_kind.value if item.escalation_kind else None,
        notes=[n.model_dump(mode="json") for n in item.notes] or None,
        search_text=search_text(item),
    )
    if item.version:  # a new item has no version yet; saving it sets version 1
        record.version = item.version
    return record


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


CURSOR_KEYS = frozenset({"item_id", "status", "priority_key"})  # the by_status index's key and the table's


def _decode_cursor(cursor: str, status: str) -> dict[str, Any]:
    """A cursor this API returned for this status, or 422 naming ``cursor``: anything else would reach DynamoDB
    as a start key it refuses."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not one this API returned", errors=[_CURSOR_ERROR]) from exc
    shaped = isinstance(key, dict) and set(key) == CURSOR_KEYS
    if not shaped or not all(_string_attribute(value) for value in key.values()) or key["status"]["S"] != status:
        raise InvalidInput("cursor is not one this API returned", errors=[_CURSOR_ERROR])
    return cast(dict[str, Any], key)


_CURSOR_ERROR = {"field": "query.cursor", "message": "not a cursor this API returned for this status"}


def _string_attribute(value: Any) -> bool:
    if not isinstance(value, dict) or set(value) != {"S"}:
        return False
    return isinstance(value["S"], str) and 0 < len(value["S"]) <= 400
