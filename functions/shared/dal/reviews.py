"""Review items and their audit trail. Transitions are conditional on the item's version and written in one
transaction with their audit event, so two educators acting at once cannot both win."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import AuditRecord, ReviewItemRecord
from functions.shared.errors import Conflict, InvalidInput, NotFound
from functions.shared.models import Action, AuditEvent, ReachRule, ReviewItem, ReviewPage, ReviewStatus, Stance

# Every field a review item stores under the same name in its record (status, priority and version are typed).
_ITEM_FIELDS = (
    "item_id", "post_key", "platform", "language", "topic", "claim_id", "post", "claim", "match", "draft",
    "stance_confidence", "private_reply", "privacy_report", "amplify", "highest_priority", "needs_translation",
    "final_text", "reject_reason", "acted_by", "acted_at", "sla_due", "created_at", "updated_at",
)  # fmt: skip
_AUDIT_FIELDS = ("item_id", "event_key", "actor", "role", "action", "at", "before", "after")


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
        self,
        status: ReviewStatus,
        topic: str | None = None,
        platform: str | None = None,
        language: str | None = None,
        limit: int = 25,
        cursor: str | None = None,
        action: Action | None = None,
    ) -> ReviewPage:
        condition: Condition | None = None
        for attribute, value in (
            (ReviewItemRecord.topic, topic),
            (ReviewItemRecord.platform, platform),
            (ReviewItemRecord.language, language),
            (ReviewItemRecord.action, action.value if action else None),
        ):
            if value:
                clause = attribute == value
                condition = clause if condition is None else condition & clause
        start_key = _decode_cursor(cursor, status.value) if cursor else None
        items: list[ReviewItem] = []
        # A filter applies after DynamoDB reads a page, so keep reading until the page is full or the index ends.
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


def _to_item(r: ReviewItemRecord) -> ReviewItem:
    return ReviewItem(
        **{name: getattr(r, name) for name in _ITEM_FIELDS},
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
