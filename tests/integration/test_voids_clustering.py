"""HDBSCAN on hand-made unit vectors (clusters known in advance): chatter stays noise, voids rank by size and
growth, ids survive a run, a lone group is still found. Integration tier only because importing scikit-learn takes
seconds; no model and no database here (the stream through the real pipeline: tests/integration/service/test_voids.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from functions.respond.voids import ClusteringRule, cluster_posts, run_clustering
from functions.shared.embedding_codec import encode_embedding
from functions.shared.models import Platform, UnmatchedPost, VoidClaim
from tests.unit.fakes import FakeVoids

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DIMENSIONS = 32
RULE = ClusteringRule(min_cluster_size=4, growth_hours=24)
CLAIM = VoidClaim(claim_id="measles-mild-illness", topic="measles", similarity=0.3)


def _direction(axis: int) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, np.float32)
    vector[axis] = 1.0
    return vector


def kept_posts(group: str, axis: int, count: int, age_hours: float = 1.0, start: int = 0) -> list[UnmatchedPost]:
    """``count`` posts pointing near one axis (small noise), ``age_hours`` old."""
    rng = np.random.default_rng(axis * 100 + start)
    posts = []
    for n in range(start, start + count):
        vector = _direction(axis) + rng.normal(scale=0.03, size=DIMENSIONS).astype(np.float32)
        posts.append(
            UnmatchedPost(
                post_key=f"x#{group}-{n}",
                platform=Platform.X if n % 2 else Platform.MASTODON,
                language="en" if n % 3 else "es",
                text=f"{group} post {n}",
                received_at=NOW - timedelta(hours=age_hours),
                embedding=encode_embedding(vector),
                nearest=[CLAIM],
                health_reason="health words: test",
            )
        )
    return posts


def scattered(count: int) -> list[UnmatchedPost]:
    """Chatter: each post on an axis of its own, so no two are alike."""
    return [kept_posts(f"chatter{n}", 12 + n, 1)[0] for n in range(count)]


def test_clusters_are_ranked_by_size_and_growth_and_chatter_is_noise() -> None:
    posts = kept_posts("big-old", 0, 8, age_hours=72) + kept_posts("small-new", 1, 6) + scattered(6)
    voids = cluster_posts(posts, [], NOW, RULE)
    groups = [{key.split("-")[0] for key in v.members if not key.startswith("x#chatter")} for v in voids]
    assert groups == [{"x#small"}, {"x#big"}]  # 6 new posts outrank 8 three days old
    assert [v.rank for v in voids] == [1, 2]
    assert voids[1].growth <= 1  # only a stray chatter post can be recent there
    chatter = [sum(key.startswith("x#chatter") for key in v.members) for v in voids]
    assert sum(chatter) <= 2  # chatter is left as noise (an orthogonal post may be absorbed at the edge)
    first = voids[0]
    assert sum(e.text.startswith("small-new") for e in first.examples) >= 4
    assert first.closest_claims[0].claim_id == CLAIM.claim_id
    assert first.topic_guess == CLAIM.topic


def test_a_void_keeps_its_id_while_it_keeps_most_of_its_posts() -> None:
    store = FakeVoids()
    first_posts = kept_posts("knuckles", 0, 6) + kept_posts("shaving", 1, 6)
    store.keep_posts(first_posts)
    before = {v.members[0].split("-")[0]: v for v in run_clustering(store, NOW, RULE)}
    store.keep_posts(kept_posts("knuckles", 0, 4, start=6))  # the void grows
    store.keep_posts(kept_posts("swimming", 2, 5))  # and a new one appears
    later = NOW + timedelta(hours=1)
    after = {v.members[0].split("-")[0]: v for v in run_clustering(store, later, RULE)}
    assert after["x#knuckles"].void_id == before["x#knuckles"].void_id
    assert after["x#knuckles"].first_seen == NOW
    assert after["x#knuckles"].size == 10
    assert after["x#shaving"].void_id == before["x#shaving"].void_id
    assert after["x#swimming"].void_id not in {v.void_id for v in before.values()}
    assert after["x#swimming"].first_seen == later


def test_a_lone_group_is_found_and_a_split_keeps_the_id_on_one_half() -> None:
    store = FakeVoids()
    store.keep_posts(kept_posts("a", 0, 5) + kept_posts("b", 0, 5, start=5))  # one void on one axis
    (old,) = run_clustering(store, NOW, RULE)  # HDBSCAN alone would call a single group noise
    assert old.size >= RULE.min_cluster_size  # its densest core
    store.kept.clear()
    moved = [p.model_copy(update={"embedding": encode_embedding(_direction(3))}) for p in kept_posts("a", 0, 5)]
    store.keep_posts(kept_posts("b", 0, 5, start=5) + moved)
    ids = [v.void_id for v in run_clustering(store, NOW, RULE)]
    assert ids.count(old.void_id) == 1
    assert len(set(ids)) == 2


def test_too_few_posts_make_no_void() -> None:
    store = FakeVoids()
    store.keep_posts(kept_posts("lonely", 0, 3))
    assert run_clustering(store, NOW, RULE) == []
    assert store.run is not None
    assert store.run.kept_posts == 3
