"""Information voids, the clustering: group the kept health posts that matched no claim by meaning (HDBSCAN over
their stored embeddings), rank the groups by size and growth and describe each for curators.

Run on a schedule (EventBridge → respond, ``antidote.voids``; locally ``antidote serve``'s scheduler). Nothing is
embedded again: match stored every kept post's embedding. scikit-learn is imported only when a run clusters, so
importing the respond handler never loads it.

Stable ids: a void found again keeps its id. Each new cluster is compared with the last run's voids by the posts
they share; pairs are taken largest overlap first, and a new cluster inherits an old void's id (and its
``first_seen``) when it holds at least half of that void's posts that are still kept. Any other cluster gets a new id
from a hash of its posts' keys.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np

from functions.shared.claims import Claim
from functions.shared.embedding_codec import decode_embedding
from functions.shared.errors import NotFound
from functions.shared.models import StoredVoid, UnmatchedPost, Void, VoidClaim, VoidExample, VoidsResponse

EXAMPLES_PER_VOID = 5
CLOSEST_CLAIMS = 3
EXAMPLE_FIELDS = set(VoidExample.model_fields)
INHERIT_SHARE = 0.5  # a cluster keeps an old void's id when it holds at least this share of its still-kept posts


class VoidsStore(Protocol):
    def kept_posts(self, now: datetime) -> list[UnmatchedPost]: ...
    def current_voids(self) -> list[StoredVoid]: ...
    def replace_voids(self, voids: list[StoredVoid], clustered_at: datetime, kept_posts: int) -> None: ...


@dataclass(frozen=True)
class ClusteringRule:
    min_cluster_size: int = 5
    growth_hours: int = 24


def cluster_labels(vectors: np.ndarray, min_cluster_size: int) -> np.ndarray:
    """HDBSCAN's label for each vector (-1: noise). Euclidean distance on unit vectors orders pairs as cosine.

    HDBSCAN never returns its root as a cluster, so data holding a single group (early days, a quiet week) gives
    only noise: then it runs once more allowing one cluster. Allowing it from the start would merge distinct
    voids into one whenever they are few (measured on the synthetic stream: the three myths became one).
    """
    if len(vectors) < max(min_cluster_size, 2):
        return np.full(len(vectors), -1, dtype=np.int64)
    from sklearn.cluster import HDBSCAN

    labels = HDBSCAN(min_cluster_size=min_cluster_size, copy=True).fit_predict(vectors)
    if (labels < 0).all():
        labels = HDBSCAN(min_cluster_size=min_cluster_size, allow_single_cluster=True, copy=True).fit_predict(vectors)
    return np.asarray(labels, dtype=np.int64)


def _closest_claims(members: list[UnmatchedPost]) -> tuple[list[VoidClaim], str | None]:
    """The claims nearest the void (mean similarity over its posts, 0 where a post did not list the claim), and the
    topic those nearest claims point to most."""
    total: dict[str, float] = defaultdict(float)
    topic_of: dict[str, str] = {}
    topics: dict[str, float] = defaultdict(float)
    for post in members:
        for claim in post.nearest:
            total[claim.claim_id] += claim.similarity
            topic_of[claim.claim_id] = claim.topic
            topics[claim.topic] += claim.similarity
    ranked = sorted(total, key=lambda c: (-total[c], c))[:CLOSEST_CLAIMS]
    claims = [VoidClaim(claim_id=c, topic=topic_of[c], similarity=round(total[c] / len(members), 4)) for c in ranked]
    topic = min(topics, key=lambda t: (-topics[t], t)) if topics else None
    return claims, topic


def _examples(members: list[UnmatchedPost], vectors: np.ndarray) -> list[VoidExample]:
    """The posts nearest the cluster's centre (distinct texts), the most typical of what people say."""
    centre = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centre), kind="stable")
    examples: list[VoidExample] = []
    seen: set[str] = set()
    for position in order:
        post = members[int(position)]
        if post.text.casefold() in seen:
            continue
        seen.add(post.text.casefold())
        examples.append(VoidExample.model_validate(post.model_dump(include=EXAMPLE_FIELDS)))
        if len(examples) == EXAMPLES_PER_VOID:
            break
    return examples


def describe_void(members: list[UnmatchedPost], vectors: np.ndarray, now: datetime, rule: ClusteringRule) -> StoredVoid:
    """One cluster as curators see it; its id, rank and first sighting are settled by :func:`settle_ids`."""
    claims, topic = _closest_claims(members)
    since = now - timedelta(hours=rule.growth_hours)
    keys = sorted(p.post_key for p in members)
    return StoredVoid(
        void_id=new_void_id(keys),
        rank=1,
        size=len(members),
        growth=sum(1 for p in members if p.received_at >= since),
        growth_hours=rule.growth_hours,
        languages=dict(Counter(p.language or "unknown" for p in members).most_common()),
        platforms=dict(Counter(p.platform.value for p in members).most_common()),
        examples=_examples(members, vectors),
        closest_claims=claims,
        topic_guess=topic,
        first_seen=now,
        last_post_at=max(p.received_at for p in members),
        clustered_at=now,
        members=keys,
    )


def new_void_id(member_keys: list[str]) -> str:
    return "v-" + hashlib.sha256("\n".join(sorted(member_keys)).encode()).hexdigest()[:12]


def settle_ids(found: list[StoredVoid], previous: list[StoredVoid], kept_keys: set[str]) -> list[StoredVoid]:
    """Give each cluster the id of the last run's void it continues (see the module's docstring)."""
    pairs = []
    for n, new in enumerate(found):
        members = set(new.members)
        for o, old in enumerate(previous):
            still_kept = set(old.members) & kept_keys
            shared = len(members & still_kept)
            if still_kept and shared >= INHERIT_SHARE * len(still_kept):
                pairs.append((shared, n, o))
    taken_new: dict[int, StoredVoid] = {}
    taken_old: set[int] = set()
    for _, n, o in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if n in taken_new or o in taken_old:
            continue
        old = previous[o]
        taken_new[n] = found[n].model_copy(update={"void_id": old.void_id, "first_seen": old.first_seen})
        taken_old.add(o)
    return [taken_new.get(n, void) for n, void in enumerate(found)]


def rank_voids(voids: list[StoredVoid]) -> list[StoredVoid]:
    """Largest and fastest-growing first: the score is size plus growth, so a post from the last
    ``growth_hours`` counts twice; ties go to the larger void, then the id."""
    ordered = sorted(voids, key=lambda v: (-(v.size + v.growth), -v.size, v.void_id))
    return [v.model_copy(update={"rank": position}) for position, v in enumerate(ordered, start=1)]


def cluster_posts(
    posts: list[UnmatchedPost], previous: list[StoredVoid], now: datetime, rule: ClusteringRule
) -> list[StoredVoid]:
    """The voids in ``posts``: clustered, described, given stable ids and ranked."""
    if not posts:
        return []
    vectors = np.stack([decode_embedding(p.embedding) for p in posts])
    labels = cluster_labels(vectors, rule.min_cluster_size)
    found = []
    for label in sorted(set(labels.tolist()) - {-1}):
        rows = np.flatnonzero(labels == label)
        found.append(describe_void([posts[int(r)] for r in rows], vectors[rows], now, rule))
    return rank_voids(settle_ids(found, previous, {p.post_key for p in posts}))


def run_clustering(store: VoidsStore, now: datetime, rule: ClusteringRule) -> list[StoredVoid]:
    """One scheduled run: read the kept posts, cluster them, replace the stored voids."""
    posts = store.kept_posts(now)
    voids = cluster_posts(posts, store.current_voids(), now, rule)
    store.replace_voids(voids, now, len(posts))
    return voids


class VoidsReader(Protocol):
    def current_voids(self) -> list[StoredVoid]: ...
    def get_void(self, void_id: str) -> StoredVoid | None: ...
    def last_run(self) -> VoidsResponse | None: ...


def void_view(void: StoredVoid, claims: Mapping[str, Claim]) -> Void:
    """A stored void as the API shows it: without its members' keys, with each near claim's statement."""
    closest = [
        c.model_copy(update={"statement": claims[c.claim_id].statement if c.claim_id in claims else None})
        for c in void.closest_claims
    ]
    return Void.model_validate({**void.model_dump(exclude={"members"}), "closest_claims": closest})


def voids_response(store: VoidsReader, claims: Mapping[str, Claim]) -> VoidsResponse:
    run = store.last_run()
    return VoidsResponse(
        clustered_at=run.clustered_at if run else None,
        kept_posts=run.kept_posts if run else 0,
        voids=[void_view(v, claims) for v in store.current_voids()],
    )


def one_void(store: VoidsReader, void_id: str, claims: Mapping[str, Claim]) -> Void:
    void = store.get_void(void_id)
    if void is None:
        raise NotFound(f"no void {void_id} in the last clustering run (ids of voids that dissolved are not kept)")
    return void_view(void, claims)
