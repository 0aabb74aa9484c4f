"""Information voids without a database, a model or scikit-learn: which unmatched posts are kept, how a cluster is
described, ranked and keeps its id, and the API's view. HDBSCAN itself runs in tests/integration/test_voids.py
(importing scikit-learn alone takes seconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.index import IndexedText
from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import ClaimMatch, Decision
from functions.match.engine.normalise import normalise_post
from functions.match.voids import health_related, health_terms, keep_unmatched
from functions.respond.voids import ClusteringRule, describe_void, one_void, rank_voids, settle_ids, voids_response
from functions.shared.embedding_codec import decode_embedding, encode_embedding
from functions.shared.errors import NotFound
from functions.shared.models import Platform, Reach, StoredPost, StoredVoid, UnmatchedPost, VoidClaim
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import FakeVoids

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KB = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
CLAIM = KB.by_id["measles-mild-illness"]
DIMENSIONS = 16
RULE = ClusteringRule(min_cluster_size=4, growth_hours=24)


def stored(key: str, text: str) -> StoredPost:
    return StoredPost(
        post_key=f"x#{key}",
        platform=Platform.X,
        post_id=key,
        author_handle=None,
        text=text,
        url=None,
        created_at=NOW,
        received_at=NOW,
        language="en",
        region=None,
        reach=Reach(),
        discloses_own_health=False,
        redactions={},
        source="webhook",
    )


def engine_result(text: str, decision: Decision, dense: float) -> EngineResult:
    closest = IndexedText(CLAIM.id, "statement", CLAIM.statement)
    match = ClaimMatch(CLAIM, 0.1, dense, 0.0, closest)
    return EngineResult(decision, "test", [match], normalise_post(text), embedding=np.ones(DIMENSIONS, np.float32))


def test_health_words_decide_first_then_the_similarity_floor() -> None:
    assert health_terms("Cracking your knuckles gives you ARTHRITIS") == ["knuckles", "arthritis"]
    assert health_related("crujirse los nudillos provoca artritis", 0.1, 0.55).related
    assert health_related("you lose most of your body heat through your head", 0.57, 0.55).related
    verdict = health_related("what a match last night, that second goal was unreal", 0.2, 0.55)
    assert not verdict.related
    assert "below 0.55" in verdict.reason


def test_only_unmatched_health_posts_are_kept_once_each() -> None:
    posts = [
        stored("1", "stop cracking your knuckles or you'll get arthritis"),
        stored("2", "what a match last night"),
        stored("3", "measles is just a mild illness"),
    ]
    results = [
        engine_result(posts[0].text, Decision.NONE, 0.3),
        engine_result(posts[1].text, Decision.NONE, 0.2),
        engine_result(posts[2].text, Decision.MATCH, 0.9),
    ]
    store = FakeVoids()
    assert keep_unmatched(posts, results, store, 0.55) == 1
    assert keep_unmatched(posts, results, store, 0.55) == 0  # a redelivered batch keeps nothing new
    kept = store.kept["x#1"]
    assert kept.text == posts[0].text
    assert kept.nearest[0].claim_id == CLAIM.id
    assert "knuckles" in kept.health_reason
    assert decode_embedding(kept.embedding).shape == (DIMENSIONS,)


def test_the_embedding_survives_storage_as_unit_float16() -> None:
    vector = np.random.default_rng(1).normal(size=384).astype(np.float32)
    back = decode_embedding(encode_embedding(vector))
    assert float(back @ (vector / np.linalg.norm(vector))) == pytest.approx(1.0, abs=1e-3)


def kept(key: str, text: str, vector: np.ndarray, age_hours: float = 1.0, language: str = "en") -> UnmatchedPost:
    return UnmatchedPost(
        post_key=f"x#{key}",
        platform=Platform.X,
        language=language,
        text=text,
        received_at=NOW - timedelta(hours=age_hours),
        embedding=encode_embedding(vector),
        nearest=[VoidClaim(claim_id=CLAIM.id, topic=CLAIM.topic, similarity=0.3)],
        health_reason="health words: test",
    )


def a_void(keys: list[str], age_hours: float = 1.0, centre: int = 0) -> StoredVoid:
    rng = np.random.default_rng(len(keys))
    members = [
        kept(
            key,
            f"post {key}",
            np.eye(DIMENSIONS, dtype=np.float32)[centre] + rng.normal(0, 0.05, DIMENSIONS),
            age_hours,
        )
        for key in keys
    ]
    vectors = np.stack([decode_embedding(p.embedding) for p in members])
    return describe_void(members, vectors, NOW, RULE)


def test_a_void_describes_its_posts() -> None:
    members = [
        kept("1", "knuckles give you arthritis", np.eye(DIMENSIONS, dtype=np.float32)[0]),
        kept("2", "Knuckles give you arthritis", np.eye(DIMENSIONS, dtype=np.float32)[0]),
        kept("3", "cracking joints wears them out", np.eye(DIMENSIONS, dtype=np.float32)[1], 48, "es"),
    ]
    vectors = np.stack([decode_embedding(p.embedding) for p in members])
    void = describe_void(members, vectors, NOW, RULE)
    assert (void.size, void.growth, void.growth_hours) == (3, 2, 24)
    assert void.languages == {"en": 2, "es": 1}
    assert void.platforms == {"x": 3}
    assert [e.text for e in void.examples] == ["knuckles give you arthritis", "cracking joints wears them out"]
    assert void.closest_claims[0].claim_id == CLAIM.id
    assert void.closest_claims[0].similarity == pytest.approx(0.3)
    assert void.topic_guess == CLAIM.topic
    assert void.last_post_at == NOW - timedelta(hours=1)
    assert void.members == ["x#1", "x#2", "x#3"]


def test_voids_rank_by_size_plus_growth() -> None:
    old_big = a_void([f"o{n}" for n in range(8)], age_hours=72)
    new_small = a_void([f"n{n}" for n in range(6)])
    ranked = rank_voids([old_big, new_small])
    assert [v.size for v in ranked] == [6, 8]  # 6 + 6 new beats 8 + 0
    assert [v.rank for v in ranked] == [1, 2]


def test_a_void_keeps_its_id_while_it_holds_half_of_its_kept_posts() -> None:
    before = a_void(["a", "b", "c", "d"])
    grown = a_void(["a", "b", "c", "e", "f"])
    elsewhere = a_void(["x", "y", "z", "d"])
    later = [v.model_copy(update={"first_seen": NOW + timedelta(hours=1)}) for v in (grown, elsewhere)]
    kept_keys = {"a", "b", "c", "d", "e", "f", "x", "y", "z"}
    settled = settle_ids(later, [before], {f"x#{k}" for k in kept_keys})
    assert settled[0].void_id == before.void_id
    assert settled[0].first_seen == before.first_seen
    assert settled[1].void_id == elsewhere.void_id  # a new id, from its own posts
    # When most of the old void's posts expired, what is left still carries it on.
    assert settle_ids([a_void(["d", "q", "r", "s"])], [before], {"x#d", "x#q", "x#r", "x#s"})[0].void_id == (
        before.void_id
    )
    # A cluster holding under half of the old void's kept posts starts a new void.
    assert settle_ids([a_void(["a", "q", "r", "s"])], [before], kept_keys | {"x#q"})[0].void_id != before.void_id


def test_one_old_void_passes_its_id_to_one_cluster_only() -> None:
    before = a_void(["a", "b", "c", "d"])
    halves = [a_void(["a", "b", "q", "r", "s"]), a_void(["c", "d", "t", "u"])]
    ids = [v.void_id for v in settle_ids(halves, [before], {f"x#{k}" for k in "abcdqrstu"})]
    assert ids.count(before.void_id) == 1
    assert ids[0] == before.void_id  # ties go to the first cluster found


def test_the_api_view_names_the_claims_and_hides_the_member_keys() -> None:
    store = FakeVoids()
    store.replace_voids(rank_voids([a_void(["a", "b", "c", "d", "e", "f"])]), NOW, 9)
    page = voids_response(store, KB.by_id)
    assert page.kept_posts == 9
    assert page.clustered_at == NOW
    void = page.voids[0]
    assert void.closest_claims[0].statement == CLAIM.statement
    assert "members" not in void.model_dump()
    assert one_void(store, void.void_id, KB.by_id) == void
    with pytest.raises(NotFound):
        one_void(store, "v-unknown", KB.by_id)
