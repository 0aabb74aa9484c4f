"""Posts and their matches. Every write that must not happen twice is conditional, so a duplicate delivery
changes nothing: posts and matches are written only if absent, and a match moves its claim's trend counter (as
spreading, counter-speech or a question) in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from functions.shared.dal.counters import count_trends
from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import MatchRecord, PostRecord, ReachAttribute
from functions.shared.models import MatchedClaim, MatchEntry, Reach, ReplyPolicy, StoredMatch, StoredPost, TrendKind

POSTS_PER_TRANSACTION = 100  # the most actions one DynamoDB transaction holds
MATCHES_PER_TRANSACTION = 33  # a transaction holds 100 actions: each match and at most two counter updates


class PostStore:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._ttl = timedelta(days=database.settings.post_ttl_days)

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
                with TransactWrite(connection=self._database.connection) as transaction:
                    for post in fresh:
                        transaction.save(self._post_record(post), condition=PostRecord.post_key.does_not_exist())
                stored.update({p.post_key: True for p in fresh})
            except TransactWriteError as exc:
                if not conditional_failed(exc):
                    raise
                stored.update({p.post_key: self.put_post_if_new(p) for p in fresh})
        return stored

    def put_post_if_new(self, post: StoredPost) -> bool:
        """Store a post unless (platform, post id) is already stored; False means duplicate."""
        try:
            self._post_record(post).save(condition=PostRecord.post_key.does_not_exist())
        except PutError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True

    def get_post(self, post_key: str) -> StoredPost | None:
        try:
            return _to_post(PostRecord.get(post_key, consistent_read=True))
        except PostRecord.DoesNotExist:
            return None

    def get_posts(self, post_keys: list[str]) -> dict[str, StoredPost]:
        """Many posts in one round trip per 100 keys (a match batch reads all its posts at once)."""
        unique = list(dict.fromkeys(post_keys))
        return {r.post_key: _to_post(r) for r in PostRecord.batch_get(unique, consistent_read=True)}

    def post_keys_without_match(self) -> list[str]:
        """Every stored post that has no match recorded: one scan of the posts' keys, then the matches read 100 keys
        at a time. For the local runtime's start (accepted posts that never reached match); in AWS a post whose
        message failed waits in the posts dead-letter queue instead."""
        keys = [r.post_key for r in PostRecord.scan(attributes_to_get=["post_key"], consistent_read=True)]
        matched: set[str] = set()
        for start in range(0, len(keys), POSTS_PER_TRANSACTION):
            chunk = keys[start : start + POSTS_PER_TRANSACTION]
            found = MatchRecord.batch_get(chunk, consistent_read=True, attributes_to_get=["post_key"])
            matched.update(r.post_key for r in found)
        return [key for key in keys if key not in matched]

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
            expires_at=post.received_at + self._ttl,
        )

    # ------------------------------------------------------------ matches

    def record_match(self, entry: MatchEntry, now: datetime) -> bool:
        """Store the match and count it in the claim's hourly trend, atomically; False if already recorded."""
        try:
            with TransactWrite(connection=self._database.connection) as transaction:
                transaction.save(self._match_record(entry, now), condition=MatchRecord.post_key.does_not_exist())
                count_trends(transaction, [entry], now)
        except TransactWriteError as exc:
            if conditional_failed(exc):
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
                with TransactWrite(connection=self._database.connection) as transaction:
                    for entry in chunk:
                        condition = MatchRecord.post_key.does_not_exist()
                        transaction.save(self._match_record(entry, now), condition=condition)
                    count_trends(transaction, chunk, now)
                recorded.update({e.post_key: True for e in chunk})
            except TransactWriteError as exc:
                if not conditional_failed(exc):
                    raise
                recorded.update({e.post_key: self.record_match(e, now) for e in chunk})
        return recorded

    def get_match(self, post_key: str) -> StoredMatch | None:
        try:
            r = MatchRecord.get(post_key, consistent_read=True)
        except MatchRecord.DoesNotExist:
            return None
        return StoredMatch(
            post_key=r.post_key,
            decision=r.decision,
            reason=r.reason,
            kb_version=r.kb_version,
            matches=[MatchedClaim.model_validate(m) for m in r.matches or []],
            matched_at=r.matched_at,
            trend=TrendKind(r.trend) if r.trend else None,
            policy=ReplyPolicy.model_validate(r.policy) if r.policy else None,
            sentiment=float(r.sentiment) if r.sentiment is not None else None,
        )

    def _match_record(self, entry: MatchEntry, now: datetime) -> MatchRecord:
        return MatchRecord(
            entry.post_key,
            decision=entry.decision,
            reason=entry.reason,
            kb_version=entry.kb_version,
            matches=entry.matches,
            trend=entry.trend.value if entry.trend else None,
            policy=entry.policy.model_dump(mode="json") if entry.policy else None,
            sentiment=entry.sentiment,
            matched_at=now,
            expires_at=now + self._ttl,
        )


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
