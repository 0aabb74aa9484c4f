"""Small in-memory fakes of the data-access protocols the logic modules use, with the same guarantees the
DynamoDB stores give: conditional creates, version-checked transitions with their audit event, atomic quotas."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from pydantic import BaseModel

from functions.shared.errors import Conflict, NotFound
from functions.shared.models import (
    ApiKey,
    AuditEvent,
    MatchedClaim,
    MatchEntry,
    ReviewItem,
    StoredMatch,
    StoredPost,
    StoredVoid,
    TrendKind,
    UnmatchedPost,
    VoidsResponse,
)


class FakePosts:
    def __init__(self) -> None:
        self.posts: dict[str, StoredPost] = {}
        self.matches: dict[str, StoredMatch] = {}
        self.trends: Counter[tuple[TrendKind, str]] = Counter()

    def put_posts_if_new(self, posts: list[StoredPost]) -> dict[str, bool]:
        stored: dict[str, bool] = {}
        for post in posts:
            stored[post.post_key] = post.post_key not in self.posts
            self.posts.setdefault(post.post_key, post)
        return stored

    def get_post(self, post_key: str) -> StoredPost | None:
        return self.posts.get(post_key)

    def get_posts(self, post_keys: list[str]) -> dict[str, StoredPost]:
        return {key: self.posts[key] for key in post_keys if key in self.posts}

    def get_match(self, post_key: str) -> StoredMatch | None:
        return self.matches.get(post_key)

    def record_matches(self, entries: list[MatchEntry], now: datetime) -> dict[str, bool]:
        """Each match once, counting its trend with it (as the DynamoDB store does in one transaction)."""
        recorded: dict[str, bool] = {}
        for entry in entries:
            recorded[entry.post_key] = entry.post_key not in self.matches
            if not recorded[entry.post_key]:
                continue
            self.matches[entry.post_key] = StoredMatch(
                post_key=entry.post_key,
                decision=entry.decision,
                reason=entry.reason,
                kb_version=entry.kb_version,
                matches=[MatchedClaim.model_validate(m) for m in entry.matches],
                matched_at=now,
                trend=entry.trend,
                policy=entry.policy,
            )
            if entry.trend and entry.counted_claim:
                self.trends[(entry.trend, entry.counted_claim)] += 1
        return recorded


class FakeReviews:
    def __init__(self) -> None:
        self.items: dict[str, ReviewItem] = {}
        self.audit: dict[str, list[AuditEvent]] = defaultdict(list)

    def put_review_item_if_new(self, item: ReviewItem, priority_key: str) -> bool:
        if item.item_id in self.items:
            return False
        self.items[item.item_id] = item.model_copy(update={"version": 1})
        return True

    def get_review_item(self, item_id: str) -> ReviewItem:
        if item_id not in self.items:
            raise NotFound(f"no review item {item_id}")
        return self.items[item_id]

    def transition_review_item(self, updated: ReviewItem, priority_key: str, event: AuditEvent) -> ReviewItem:
        current = self.get_review_item(updated.item_id)
        if current.version != updated.version:
            raise Conflict("changed by someone else", current=json.loads(current.model_dump_json()))
        saved = updated.model_copy(update={"version": updated.version + 1})
        self.items[updated.item_id] = saved
        self.audit[updated.item_id].append(event)
        return saved


class FakeKeys:
    def __init__(self, *keys: ApiKey) -> None:
        self.keys = {k.key_id: k for k in keys}
        self.used: dict[tuple[str, str], int] = defaultdict(int)

    def get_api_key(self, key_id: str) -> ApiKey | None:
        return self.keys.get(key_id)

    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime, count: int = 1) -> bool:
        if self.used[(key_id, day)] + count > limit:
            return False
        self.used[(key_id, day)] += count
        return True


class FakeSink:
    def __init__(self) -> None:
        self.sent: list[tuple[BaseModel, str | None]] = []

    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None:
        self.sent += [(m, correlation_id) for m in messages]


class FakeVoids:
    """The voids store: kept posts written once each, the current voids replaced whole by a run."""

    def __init__(self) -> None:
        self.kept: dict[str, UnmatchedPost] = {}
        self.voids: dict[str, StoredVoid] = {}
        self.run: VoidsResponse | None = None

    def keep_posts(self, posts: list[UnmatchedPost]) -> dict[str, bool]:
        kept = {}
        for post in posts:
            kept[post.post_key] = post.post_key not in self.kept
            self.kept.setdefault(post.post_key, post)
        return kept

    def kept_posts(self, now: datetime) -> list[UnmatchedPost]:
        return list(self.kept.values())

    def current_voids(self) -> list[StoredVoid]:
        return sorted(self.voids.values(), key=lambda v: v.rank)

    def get_void(self, void_id: str) -> StoredVoid | None:
        return self.voids.get(void_id)

    def last_run(self) -> VoidsResponse | None:
        return self.run

    def replace_voids(self, voids: list[StoredVoid], clustered_at: datetime, kept_posts: int) -> None:
        self.voids = {v.void_id: v for v in voids}
        self.run = VoidsResponse(clustered_at=clustered_at, kept_posts=kept_posts, voids=[])


class FakeAlerts:
    """The alert store's guarantees: an alert raised once per (hour, kind, series); first sighting once per claim;
    the digest claimed once per day."""

    def __init__(self) -> None:
        from functions.shared.models import Alert

        self.alerts: dict[str, Alert] = {}
        self.first_seen: set[str] = set()
        self.digests: set[str] = set()

    def raise_alert(self, alert: Any) -> bool:
        if alert.alert_id in self.alerts or (alert.kind == "first_seen" and alert.series in self.first_seen):
            return False
        self.alerts[alert.alert_id] = alert
        if alert.kind == "first_seen":
            self.first_seen.add(alert.series)
        return True

    def ever_seen(self, series: Any) -> set[str]:
        return set(series) & self.first_seen

    def on_day(self, day: Any) -> list[Any]:
        return [a for a in self.alerts.values() if a.hour.date() == day]

    def between(self, start: datetime, end: datetime) -> list[Any]:
        return sorted((a for a in self.alerts.values() if start <= a.hour < end), key=lambda a: a.hour)

    def claim_digest(self, day: Any) -> bool:
        fresh = str(day) not in self.digests
        self.digests.add(str(day))
        return fresh


class HashingEmbedder:
    """Character trigrams hashed into a small vector: deterministic, language-blind, no model."""

    def __init__(self, model_id: str, dimensions: int = 384) -> None:
        """384 and 512: the sizes of MiniLM's and USE-m's vectors, which the real stance model reads."""
        self.model_id = model_id
        self.dimensions = dimensions
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=2).digest()
                out[row, int.from_bytes(digest) % self.dimensions] += 1.0
        return np.asarray(out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12))
