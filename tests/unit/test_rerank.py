"""The re-ranker: its word-level features on hand-worked texts, how it re-orders, how it is fitted and measured,
and the vector cache evaluation and calibration use. Small real indexes (FAISS, BM25) with a hashing embedder
standing in for the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from functions.match.engine.calibration import Calibration, load_calibration
from functions.match.engine.embedding_cache import CachedEmbedder
from functions.match.engine.fusion import LinearModel
from functions.match.engine.index import build_index, load_index, save_index, tokenize
from functions.match.engine.rerank import RERANK_FEATURES, Reranker, overlap_features, rerank_features, text_terms
from functions.match.engine.rerank_training import (
    LabelledPosts,
    cross_validate,
    fit_first_stage,
    fit_pairwise,
    fold_of,
)
from functions.match.engine.retrieval import generate_candidates, rank_candidates, ranked_order
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import HashingEmbedder

WORD_LEVEL = RERANK_FEATURES[12:]


def terms(text: str):  # type: ignore[no-untyped-def]
    return text_terms(text, tokenize([text])[0])


def test_terms_keep_numbers_names_and_word_pairs() -> None:
    found = terms("Bill Gates said 5G towers spread 1,000 viruses. Trust Bill Gates")
    assert found.numbers == {"5", "1000"}
    assert found.names == {"bill", "gates"}  # "Trust" opens a sentence: not a name
    assert ("tower", "spread") in found.pairs
    assert "ill" in found.trigrams


def test_word_level_features_hand_worked() -> None:
    index = build_index(
        [
            ("gates-chips", [("claim", "Bill Gates puts microchips in vaccines"), ("title", "Gates and chips")]),
            ("ten-percent", [("claim", "Vaccines are only 10% effective")]),
        ],
        HashingEmbedder("test"),
    )
    post = terms("Bill Gates hides microchips in the covid vaccines, 90% of them")
    rows = overlap_features(index, post, np.array([0, 1]), np.array([0, 1]))
    gates = dict(zip(WORD_LEVEL, rows[0], strict=True))
    ten = dict(zip(WORD_LEVEL, rows[1], strict=True))
    # the post's words: bill gate hide microchip covid vaccin 90 them; the claim's: bill gate put microchip vaccin
    assert gates["claim_word_cover"] == pytest.approx(4 / 5)
    assert gates["post_word_cover"] == pytest.approx(4 / 8)
    assert gates["word_jaccard"] == pytest.approx(4 / 9)
    assert gates["pair_overlap"] == pytest.approx(np.log(2))  # (bill, gate)
    assert gates["names_cover"] == 1.0
    assert gates["names_missing"] == 0.0
    assert gates["numbers_shared"] == 0.0
    assert gates["numbers_conflict"] == 0.0
    assert ten["numbers_conflict"] == 1.0  # 90 against 10
    assert ten["names_cover"] == 0.0
    assert ten["names_missing"] == pytest.approx(np.log(2))
    assert gates["trigram_jaccard"] > ten["trigram_jaccard"]


def test_the_word_table_is_saved_with_the_index_and_gives_the_same_features(tmp_path: Path) -> None:
    """kb build saves the table, so a match function's first post does not rebuild it (decisions.md)."""
    built = build_index(
        [
            ("gates-chips", [("claim", "Bill Gates puts microchips in vaccines"), ("title", "Gates and chips")]),
            ("ten-percent", [("claim", "Vaccines are only 10% effective")]),
        ],
        HashingEmbedder("test"),
    )
    written = save_index(built, tmp_path)
    assert {p.name for p in written} >= {"phrasings.npz", "phrasings.json"}
    loaded = load_index(tmp_path)
    assert loaded.phrasings.word_of == built.phrasings.word_of
    assert loaded.phrasings.pair_of == built.phrasings.pair_of
    assert loaded.phrasings.texts == built.phrasings.texts
    post = terms("Bill Gates hides microchips in the covid vaccines, 90% of them")
    np.testing.assert_array_equal(
        overlap_features(loaded, post, np.array([0, 1]), np.array([0, 1])),
        overlap_features(built, post, np.array([0, 1]), np.array([0, 1])),
    )
    (tmp_path / "texts.jsonl").write_text((tmp_path / "texts.jsonl").read_text().splitlines()[0] + "\n")
    with pytest.raises(ValueError, match="phrasing table"):
        load_index(tmp_path)  # a table from another build is refused, not misread


def test_reranker_refuses_unknown_features() -> None:
    with pytest.raises(ValidationError):
        Reranker(features=["shoe_size"], weights=[1.0], depth=5)
    with pytest.raises(ValidationError):
        Reranker(features=["numbers_shared"], weights=[1.0, 2.0], depth=5)


CLAIMS = [
    ("ten-deaths", [("claim", "Ten people died after the vaccine in 2021")]),
    ("hundred-deaths", [("claim", "A hundred people died after the vaccine in 1999")]),
    ("chips", [("claim", "The vaccine contains microchips that track you")]),
]
FIRST = LinearModel(features=["cos_best", "bm25_log"], weights=[5.0, 1.0], bias=-2.0)


def test_the_reranker_reorders_only_its_depth_and_keeps_each_claims_confidence() -> None:
    index = build_index(CLAIMS, HashingEmbedder("test"))
    text = "A hundred people died after the vaccine in 2021"
    (found,) = generate_candidates(index, HashingEmbedder("test").encode([text]), tokenize([text]), 5, [text])
    confidence = LinearModel(features=["cos_best"], weights=[1.0], bias=0.0)
    first = [m.claim_id for m in rank_candidates(index, found, FIRST, confidence, 3)]
    numbers = Reranker(features=["numbers_shared", "first_logit"], weights=[100.0, 1.0], depth=3)
    reranked = rank_candidates(index, found, FIRST, confidence, 3, numbers)
    assert sorted(m.claim_id for m in reranked) == sorted(first)
    # only the ten-deaths claim shares a number (2021) with the post: it goes first, the rest keep their order
    assert first[0] == "hundred-deaths"
    assert [m.claim_id for m in reranked] == ["ten-deaths", *(c for c in first if c != "ten-deaths")]
    scores = {m.claim_id: m.score for m in rank_candidates(index, found, FIRST, confidence, 3)}
    assert all(m.score == scores[m.claim_id] for m in reranked)  # confidence follows the claim, not the position
    shallow = Reranker(features=["numbers_shared"], weights=[-100.0], depth=2)  # pushes shared numbers down
    order, _ = ranked_order(index, found, FIRST, shallow)
    first_order, _ = ranked_order(index, found, FIRST)
    assert order[2:] == first_order[2:]  # beyond its depth the first stage's order stands


def test_rerank_features_from_the_first_stage() -> None:
    index = build_index(CLAIMS, HashingEmbedder("test"))
    text = "the vaccine has microchips"
    (found,) = generate_candidates(index, HashingEmbedder("test").encode([text]), tokenize([text]), 5, [text])
    order, scores = ranked_order(index, found, FIRST)
    top = np.asarray(order, dtype=np.int64)
    rows = rerank_features(found.features, scores, top, overlap_features(index, terms(text), found.claims, top))
    column = {name: rows[:, i] for i, name in enumerate(RERANK_FEATURES)}
    assert column["first_gap"][0] == 0.0
    assert (column["first_gap"] <= 0).all()
    assert list(column["first_rr"]) == [1.0, 0.5, 1 / 3]
    assert column["first_logit"][0] == pytest.approx(np.log(scores[top[0]] / (1 - scores[top[0]])))
    assert column["cos_z"].mean() == pytest.approx(0.0, abs=1e-9)


def labelled(texts_and_claims: list[tuple[str, str]]) -> LabelledPosts:
    embedder = HashingEmbedder("test")
    index = build_index(CLAIMS, embedder)
    texts = [t for t, _ in texts_and_claims]
    found = generate_candidates(index, embedder.encode(texts), tokenize(texts), 5, texts)
    return LabelledPosts(index, found, [{c} for _, c in texts_and_claims])


POSTS = [
    (f"{people} people died after the vaccine in {year}", claim)
    for people, claim in (("ten", "ten-deaths"), ("a hundred", "hundred-deaths"))
    for year in ("2021", "1999", "2020", "2022")
] + [("microchips in the vaccine track people", "chips"), ("they track you with microchips", "chips")]


def test_pairwise_fit_is_deterministic_and_cross_validation_measures_both_stages() -> None:
    data = labelled(POSTS)
    ranking = fit_first_stage(data, range(len(POSTS)))
    model = fit_pairwise(data, range(len(POSTS)), ranking, 3, 1.0)
    assert model == fit_pairwise(data, range(len(POSTS)), ranking, 3, 1.0)
    assert model.depth == 3
    assert model.features == list(RERANK_FEATURES)
    report = cross_validate(data, 3, 1.0, folds=2, seed=1)
    assert set(report) == {"first_stage", "reranked"}
    assert 0.0 <= report["reranked"]["map@5"] <= 1.0
    assert report["reranked"]["recall@5"] == 1.0  # three claims: the right one is always in the top five


def test_folds_are_seeded_and_balanced() -> None:
    assignment = fold_of(11, 5, 13)
    assert sorted(np.bincount(assignment)) == [2, 2, 2, 2, 3]
    assert (assignment == fold_of(11, 5, 13)).all()
    assert not (assignment == fold_of(11, 5, 14)).all()


def test_a_calibration_without_a_reranker_still_loads() -> None:
    calibration = load_calibration(PROJECT_ROOT / "knowledge_base" / "calibration.json")
    plain = calibration.model_dump(mode="json")
    plain.pop("reranker", None)
    assert Calibration.model_validate(plain).reranker is None


class CountingEmbedder(HashingEmbedder):
    pass


def test_the_vector_cache_embeds_each_text_once_and_survives_a_restart(tmp_path: Path) -> None:
    inner = CountingEmbedder("test")
    cached = CachedEmbedder(inner, tmp_path, "onnx abc")
    first = cached.encode(["a claim", "another claim", "a claim"])
    assert inner.calls == [["a claim", "another claim"]]
    assert np.array_equal(first[0], first[2])
    cached.save()
    again = CachedEmbedder(CountingEmbedder("test"), tmp_path, "onnx abc")
    assert np.array_equal(again.encode(["another claim", "a claim"]), first[[1, 0]])
    other_model = CountingEmbedder("test")
    CachedEmbedder(other_model, tmp_path, "onnx def").encode(["a claim"])
    assert other_model.calls == [["a claim"]]  # another model's vectors are never read
    assert np.array_equal(cached.encode(["new"]), inner.encode(["new"]))
