"""Ingest: turn delivered posts into stored, de-personalised posts and queue them for matching."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import ValidationError

from functions.ingest.disclosure import discloses_own_health
from functions.ingest.language import resolve_language
from functions.shared.models import (
    IngestItemResult,
    IngestResponse,
    ItemStatus,
    PostIn,
    PostMessage,
    StoredMatch,
    StoredPost,
)
from functions.shared.queues import MessageSink
from functions.shared.redaction import Redaction, redact, redact_many

FUTURE_TOLERANCE = timedelta(hours=1)


class PostStore(Protocol):
    def put_posts_if_new(self, posts: list[StoredPost]) -> dict[str, bool]: ...
    def get_match(self, post_key: str) -> StoredMatch | None: ...


def prepare_post(post: PostIn, source: str, now: datetime) -> StoredPost:
    """Remove personal data before anything is stored; flag authors who disclose their own health."""
    return _stored(post, redact(post.text, post.author_handle), source, now)


def prepare_posts(posts: list[PostIn], source: str, now: datetime) -> list[StoredPost]:
    """``prepare_post`` for a delivered batch: redaction's model reads the batch's texts together (cheaper)."""
    redactions = redact_many([(post.text, post.author_handle) for post in posts])
    return [_stored(post, redaction, source, now) for post, redaction in zip(posts, redactions, strict=True)]


def _stored(post: PostIn, redaction: Redaction, source: str, now: datetime) -> StoredPost:
    return StoredPost(
        post_key=post.post_key,
        platform=post.platform,
        post_id=post.post_id,
        author_handle=post.author_handle,
        text=redaction.text,
        url=post.url,
        created_at=post.created_at,
        received_at=now,
        language=resolve_language(post.language, redaction.text),
        region=post.region,
        reach=post.reach,
        discloses_own_health=discloses_own_health(post.text),
        redactions=dict(redaction.removed),
        source=source,
    )


def ingest_posts(
    posts: list[PostIn],
    source: str,
    store: PostStore,
    sink: MessageSink,
    now: datetime,
    correlation_id: str | None = None,
) -> IngestResponse:
    results: dict[int, IngestItemResult] = {}
    pending: dict[int, PostIn] = {}
    seen: set[str] = set()
    for position, post in enumerate(posts):
        if post.post_key in seen:
            results[position] = _result(post, ItemStatus.DUPLICATE, "repeated within this request")
            continue
        seen.add(post.post_key)
        if post.created_at > now + FUTURE_TOLERANCE:
            results[position] = _result(post, ItemStatus.REJECTED, "created_at is in the future")
            continue
        pending[position] = post
    candidates: dict[int, StoredPost] = {}
    for position, stored in zip(pending, prepare_posts(list(pending.values()), source, now), strict=True):
        if not stored.text.strip():
            results[position] = _result(
                pending[position], ItemStatus.REJECTED, "nothing left after removing personal data"
            )
            continue
        candidates[position] = stored

    newly = store.put_posts_if_new(list(candidates.values()))
    to_match: list[PostMessage] = []
    for position, stored in candidates.items():
        base = {"platform": stored.platform.value, "post_id": stored.post_id}
        if newly.get(stored.post_key):
            results[position] = IngestItemResult(**base, status=ItemStatus.ACCEPTED)
            to_match.append(PostMessage(post_key=stored.post_key))
        else:
            results[position] = IngestItemResult(**base, status=ItemStatus.DUPLICATE, reason="already received")
            # A redelivery after a crash between storing and queueing must not lose the post.
            if store.get_match(stored.post_key) is None:
                to_match.append(PostMessage(post_key=stored.post_key))
    if to_match:
        sink.send(to_match, correlation_id)
    return summarise([results[i] for i in range(len(posts))])


def _result(post: PostIn, status: ItemStatus, reason: str | None) -> IngestItemResult:
    return IngestItemResult(platform=post.platform.value, post_id=post.post_id, status=status, reason=reason)


def summarise(items: list[IngestItemResult]) -> IngestResponse:
    return IngestResponse(
        accepted=sum(r.status is ItemStatus.ACCEPTED for r in items),
        duplicates=sum(r.status is ItemStatus.DUPLICATE for r in items),
        rejected=sum(r.status is ItemStatus.REJECTED for r in items),
        items=items,
    )


def parse_post(raw: Any) -> PostIn | IngestItemResult:
    """One delivered post, validated on its own: the post, or its rejection naming the field at fault."""
    try:
        return PostIn.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "post"
        platform = raw.get("platform") if isinstance(raw, dict) else None
        post_id = raw.get("post_id") if isinstance(raw, dict) else None
        return IngestItemResult(
            platform=str(platform)[:200] if platform is not None else None,
            post_id=str(post_id)[:200] if post_id is not None else None,
            status=ItemStatus.REJECTED,
            reason=f"{where}: {first['msg']}",
        )


def parse_scan_posts(raw_posts: Any) -> tuple[list[PostIn], list[IngestItemResult]]:
    """A scheduled scan's posts, one by one: a bad item is rejected with its reason, the rest go on."""
    if not isinstance(raw_posts, list):
        return [], [
            IngestItemResult(platform=None, post_id=None, status=ItemStatus.REJECTED, reason="posts must be a list")
        ]
    parsed = [parse_post(raw) for raw in raw_posts]
    return [p for p in parsed if isinstance(p, PostIn)], [p for p in parsed if isinstance(p, IngestItemResult)]


def ingest_delivered(
    raw_posts: list[Any],
    source: str,
    store: PostStore,
    sink: MessageSink,
    now: datetime,
    correlation_id: str | None = None,
) -> IngestResponse:
    """A webhook's posts as delivered: each valid one is ingested, each invalid one rejected with its reason,
    and the answer lists them in the order they came."""
    parsed = [parse_post(raw) for raw in raw_posts]
    taken = ingest_posts([p for p in parsed if isinstance(p, PostIn)], source, store, sink, now, correlation_id)
    results = iter(taken.items)
    return summarise([next(results) if isinstance(p, PostIn) else p for p in parsed])
