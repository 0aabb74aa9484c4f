"""Data access: the only code that reads or writes DynamoDB. Logic receives a ``Store`` (or a fake) as an argument.

Every write that must not happen twice is conditional, so a duplicate delivery changes nothing:
posts and matches are written only if absent; review transitions are conditional on the item's version and
written in one transaction with their audit event; trend counters move in the same transaction as the match.
"""

from __future__ import annotations

import base64
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from functions.shared.dal.models import (
    ApiKeyRecord,
    AuditRecord,
    CounterRecord,
    MatchRecord,
    PostRecord,
    ReachAttribute,
    ReviewItemRecord,
    configure,
)
from functions.shared.errors import Conflict, InvalidInput, NotFound
from functions.shared.models import (
    ApiKey,
    AuditEvent,
    MatchEntry,
    Reach,
    ReviewItem,
    ReviewPage,
    ReviewStatus,
    StoredPost,
)
from functions.shared.settings import Settings

TREND_RETENTION_DAYS = 14
POSTS_PER_TRANSACTION = 100  # the most actions one DynamoDB transaction holds
MATCHES_PER_TRANSACTION = 50  # a transaction holds 100 actions: each match and at most one counter update
QUOTA_RETENTION_DAYS = 3


def _conditional_failed(exc: Exception) -> bool:
    cause = getattr(exc, "cause_response_code", None)
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return cause == "ConditionalCheckFailedException" or any(
        r is not None and r.code == "ConditionalCheckFailed" for r in reasons
    )


class Store:
    def __init__(self, settings: Settings) -> None:
        configure(settings)
        self.settings = settings
        local = settings.dynamodb_endpoint is not None  # DynamoDB Local accepts any credentials
        self._connection = Connection(
            region=settings.aws_region,
            host=settings.dynamodb_endpoint,
            aws_access_key_id="local" if local else None,
            aws_secret_access_key="local" if local else None,
        )

    # ------------------------------------------------------------ posts

    def put_posts_if_new(self, posts: list[StoredPost]) -> dict[str, bool]:
        """Store each post unless already stored, in one read and one transaction per 100 posts; False: duplicate.

        A transaction fails whole if any post appeared since the read (a concurrent delivery); that chunk is then
        stored post by post, each conditionally.
        """
        unique = list({p.post_key: p for p in posts}.values())
        stored: dict[str, bool] = {}
        for start in range(0, len(unique), POSTS_PER_TRANSACTION):
            chunk = unique[start : start + POSTS_PER_TRANSACTION]
            existing = {r.post_key for r in PostRecord.batch_get([p.post_key for p in chunk], consistent_read=True)}
            fresh = [p for p in chunk if p.post_key not in existing]
            stored.update(dict.fromkeys(existing, False))
            if not fresh:
                continue
            try:
                with TransactWrite(connection=self._connection) as transaction:
                    for post in fresh:
                        transaction.save(self._post_record(post), condition=PostRecord.post_key.does_not_exist())
                stored.update({p.post_key: True for p in fresh})
            except TransactWriteError as exc:
                if not _conditional_failed(exc):
                    raise
                stored.update({p.post_key: self.put_post_if_new(p) for p in fresh})
        return stored

    def _post_record(self, post: StoredPost) -> PostRecord:
        return PostRecord(
            post.post_key,
            platform=post.platform.value,
            post_id=post.post_id,
            author_handle=post.author_handle,
            text=post.text,
            url=post.url,
            created_at=post.created_at,
            received_at=post.received_at,
            language=post.language,
            region=post.region,
            reach=ReachAttribute(**post.reach.model_dump()),
            discloses_own_health=post.discloses_own_health,
            redactions=post.redactions,
            source=post.source,
            expires_at=post.received_at + timedelta(days=self.settings.post_ttl_days),
        )

    def put_post_if_new(self, post: StoredPost) -> bool:
        """Store a post unless (platform, post id) is already stored; False means duplicate."""
        try:
            self._post_record(post).save(condition=PostRecord.post_key.does_not_exist())
        except PutError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    @staticmethod
    def _to_post(r: PostRecord) -> StoredPost:
        return StoredPost(
            post_key=r.post_key,
            platform=r.platform,
            post_id=r.post_id,
            author_handle=r.author_handle,
            text=r.text,
            url=r.url,
            created_at=r.created_at,
            received_at=r.received_at,
            language=r.language,
            region=r.region,
            reach=Reach(**{k: int(v) for k, v in r.reach.as_dict().items()}),
            discloses_own_health=bool(r.discloses_own_health),
            redactions=dict(r.redactions or {}),
            source=r.source,
        )

    def get_post(self, post_key: str) -> StoredPost | None:
        try:
            return self._to_post(PostRecord.get(post_key, consistent_read=True))
        except PostRecord.DoesNotExist:
            return None

    def get_posts(self, post_keys: list[str]) -> dict[str, StoredPost]:
        """Many posts in one round trip per 100 keys (a match batch reads all its posts at once)."""
        unique = list(dict.fromkeys(post_keys))
        return {r.post_key: self._to_post(r) for r in PostRecord.batch_get(unique, consistent_read=True)}

    # ------------------------------------------------------------ matches and trends

    def _match_record(self, entry: MatchEntry, now: datetime) -> MatchRecord:
        return MatchRecord(
            entry.post_key,
            decision=entry.decision,
            reason=entry.reason,
            kb_version=entry.kb_version,
            matches=entry.matches,
            matched_at=now,
            expires_at=now + timedelta(days=self.settings.post_ttl_days),
        )

    def _count_trends(self, transaction: TransactWrite, claims: Counter[str], now: datetime) -> None:
        for claim_id, count in claims.items():
            transaction.update(
                CounterRecord(f"trend#{now:%Y-%m-%d}", f"{now:%H}#{claim_id}"),
                actions=[
                    CounterRecord.tally.add(count),
                    CounterRecord.expires_at.set(now + timedelta(days=TREND_RETENTION_DAYS)),
                ],
            )

    def record_match(self, entry: MatchEntry, now: datetime) -> bool:
        """Store the match and count it in the claim's hourly trend, atomically; False if already recorded."""
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(self._match_record(entry, now), condition=MatchRecord.post_key.does_not_exist())
                self._count_trends(transaction, Counter([entry.counted_claim] if entry.counted_claim else []), now)
        except TransactWriteError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def record_matches(self, entries: list[MatchEntry], now: datetime) -> dict[str, bool]:
        """Many matches in one transaction per chunk; if any was already recorded (a redelivery), post by post."""
        unique = list({e.post_key: e for e in entries}.values())
        recorded: dict[str, bool] = {}
        for start in range(0, len(unique), MATCHES_PER_TRANSACTION):
            chunk = unique[start : start + MATCHES_PER_TRANSACTION]
            try:
                with TransactWrite(connection=self._connection) as transaction:
                    for entry in chunk:
                        condition = MatchRecord.post_key.does_not_exist()
                        transaction.save(self._match_record(entry, now), condition=condition)
                    self._count_trends(transaction, Counter(e.counted_claim for e in chunk if e.counted_claim), now)
                recorded.update({e.post_key: True for e in chunk})
            except TransactWriteError as exc:
                if not _conditional_failed(exc):
                    raise
                recorded.update({e.post_key: self.record_match(e, now) for e in chunk})
        return recorded

    def get_match(self, post_key: str) -> dict[str, Any] | None:
        try:
            r = MatchRecord.get(post_key, consistent_read=True)
        except MatchRecord.DoesNotExist:
            return None
        return {"decision": r.decision, "reason": r.reason, "kb_version": r.kb_version, "matches": r.matches}

    def trend_counts(self, now: datetime, days: int) -> dict[str, dict[str, int]]:
        """Matches per claim per hour bucket ("YYYY-MM-DDTHH") over the last ``days`` days."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for back in range(days):
            day = (now - timedelta(days=back)).strftime("%Y-%m-%d")
            for r in CounterRecord.query(f"trend#{day}"):
                hour, claim_id = r.bucket.split("#", 1)
                out[claim_id][f"{day}T{hour}"] = int(r.tally)
        return dict(out)

    # ------------------------------------------------------------ review items

    @staticmethod
    def _to_item(r: ReviewItemRecord) -> ReviewItem:
        return ReviewItem(
            item_id=r.item_id,
            status=ReviewStatus(r.status),
            priority=float(r.priority),
            post_key=r.post_key,
            platform=r.platform,
            language=r.language,
            topic=r.topic,
            claim_id=r.claim_id,
            post=r.post,
            claim=r.claim,
            match=r.match,
            draft=r.draft,
            final_text=r.final_text,
            reject_reason=r.reject_reason,
            acted_by=r.acted_by,
            acted_at=r.acted_at,
            sla_due=r.sla_due,
            created_at=r.created_at,
            updated_at=r.updated_at,
            version=int(r.version or 0),
        )

    @staticmethod
    def _to_record(item: ReviewItem, priority_key: str) -> ReviewItemRecord:
        record = ReviewItemRecord(
            item.item_id,
            status=item.status.value,
            priority=item.priority,
            priority_key=priority_key,
            post_key=item.post_key,
            platform=item.platform,
            language=item.language,
            topic=item.topic,
            claim_id=item.claim_id,
            post=item.post,
            claim=item.claim,
            match=item.match,
            draft=item.draft,
            final_text=item.final_text,
            reject_reason=item.reject_reason,
            acted_by=item.acted_by,
            acted_at=item.acted_at,
            sla_due=item.sla_due,
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        if item.version:  # a new item has no version yet; saving it sets version 1
            record.version = item.version
        return record

    def put_review_item_if_new(self, item: ReviewItem, priority_key: str) -> bool:
        record = self._to_record(item.model_copy(update={"version": 0}), priority_key)
        try:
            record.save(condition=ReviewItemRecord.item_id.does_not_exist())
        except PutError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def get_review_item(self, item_id: str) -> ReviewItem:
        try:
            return self._to_item(ReviewItemRecord.get(item_id, consistent_read=True))
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
    ) -> ReviewPage:
        condition: Condition | None = None
        for attribute, value in (
            (ReviewItemRecord.topic, topic),
            (ReviewItemRecord.platform, platform),
            (ReviewItemRecord.language, language),
        ):
            if value:
                clause = attribute == value
                condition = clause if condition is None else condition & clause
        start_key = _decode_cursor(cursor) if cursor else None
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
            items += [self._to_item(r) for r in results]
            start_key = results.last_evaluated_key
            if not start_key:
                break
        return ReviewPage(items=items, next_cursor=_encode_cursor(start_key) if start_key else None)

    def transition_review_item(self, updated: ReviewItem, priority_key: str, event: AuditEvent) -> ReviewItem:
        """Save ``updated`` only if nobody changed the item since ``updated.version``, with its audit event."""
        record = self._to_record(updated, priority_key)
        audit = AuditRecord(
            event.item_id,
            event.event_key,
            actor=event.actor,
            role=event.role,
            action=event.action,
            at=event.at,
            before=event.before,
            after=event.after,
        )
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(record)  # VersionAttribute adds "version = expected" to the condition
                transaction.save(audit, condition=AuditRecord.event_key.does_not_exist())
        except TransactWriteError as exc:
            if _conditional_failed(exc):
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
            AuditEvent(
                item_id=r.item_id,
                event_key=r.event_key,
                actor=r.actor,
                role=r.role,
                action=r.action,
                at=r.at,
                before=r.before,
                after=r.after,
            )
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

    # ------------------------------------------------------------ API keys and quotas

    def put_api_key(self, key: ApiKey) -> None:
        ApiKeyRecord(
            key.key_id,
            key_hash=key.key_hash,
            owner=key.owner,
            scope=key.scope,
            daily_quota=key.daily_quota,
            status=key.status,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        ).save(condition=ApiKeyRecord.key_id.does_not_exist())

    @staticmethod
    def _to_key(r: ApiKeyRecord) -> ApiKey:
        return ApiKey(
            key_id=r.key_id,
            key_hash=r.key_hash,
            owner=r.owner,
            scope=r.scope,
            daily_quota=int(r.daily_quota),
            status=r.status,
            created_at=r.created_at,
            revoked_at=r.revoked_at,
        )

    def get_api_key(self, key_id: str) -> ApiKey | None:
        try:
            return self._to_key(ApiKeyRecord.get(key_id, consistent_read=True))
        except ApiKeyRecord.DoesNotExist:
            return None

    def list_api_keys(self) -> list[ApiKey]:
        return sorted((self._to_key(r) for r in ApiKeyRecord.scan()), key=lambda k: k.created_at)

    def revoke_api_key(self, key_id: str, now: datetime) -> ApiKey:
        try:
            ApiKeyRecord(key_id).update(
                actions=[ApiKeyRecord.status.set("revoked"), ApiKeyRecord.revoked_at.set(now)],
                condition=ApiKeyRecord.key_id.exists(),
            )
        except UpdateError as exc:
            if _conditional_failed(exc):
                raise NotFound(f"no API key {key_id}") from exc
            raise
        key = self.get_api_key(key_id)
        assert key is not None
        return key

    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime) -> bool:
        """Count one request against the key's daily quota, atomically; False once the quota is used up."""
        counter = CounterRecord(f"quota#{key_id}", day)
        try:
            counter.update(
                actions=[
                    CounterRecord.tally.add(1),
                    CounterRecord.expires_at.set(now + timedelta(days=QUOTA_RETENTION_DAYS)),
                ],
                condition=CounterRecord.tally.does_not_exist() | (CounterRecord.tally < limit),
            )
        except UpdateError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


def _decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not one this API returned") from exc
    if not isinstance(key, dict):
        raise InvalidInput("cursor is not one this API returned")
    return key
