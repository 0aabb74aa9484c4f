"""The stance model's claim features: which texts of a claim are compared with a post, by which encoder, and how the
verdict turns them; the stored file round trip; the model weighing them apart from the other dense features."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from functions.match.engine.stance import CUE_NAMES, StanceModel
from functions.match.engine.stance_anchors import (
    ANCHOR_FEATURE_NAMES,
    ANCHORS_DIR,
    CORRECTION,
    STATEMENT,
    VARIANT,
    StanceAnchors,
    anchor_texts,
    build_anchors,
    load_anchors,
    save_anchors,
)
from functions.shared.claims import Claim
from functions.shared.errors import ArtifactMissing
from tests.unit.fakes import HashingEmbedder

SOURCE = {"publisher": "WHO", "url": "https://www.who.int/news-room/fact-sheets/detail/measles"}


def claim(claim_id: str, verdict: str, translations: dict[str, object] | None = None) -> Claim:
    return Claim.model_validate(
        {
            "id": claim_id,
            "statement": f"{claim_id} statement",
            "verdict": verdict,
            "topic": "measles",
            "harm": "high",
            "correction": f"{claim_id} correction",
            "explanation": "Why.",
            "sources": [SOURCE],
            "variants": [f"{claim_id} variant one", f"{claim_id} variant two", f"{claim_id} variant three"],
            "last_reviewed": date(2026, 1, 1),
            "review_by": date(2027, 1, 1),
            "translations": translations or {},
        }
    )


MYTH = claim("myth", "false", {"fr": {"statement": "mythe", "correction": "correction fr", "variants": ["mythe v"]}})
FACT = claim("fact", "true")


def test_every_side_of_every_claim_in_every_language_is_an_anchor() -> None:
    rows = anchor_texts([MYTH, FACT])
    assert [(c, side, english) for c, side, english, _ in rows if c == "myth"] == [
        ("myth", STATEMENT, True),
        *[("myth", VARIANT, True)] * 3,
        ("myth", CORRECTION, True),
        ("myth", STATEMENT, False),
        ("myth", VARIANT, False),
        ("myth", CORRECTION, False),
    ]
    assert [text for c, *_, text in rows if c == "fact"][-1] == "fact correction"


def unit(index: int, dimensions: int) -> np.ndarray:
    vector = np.zeros(dimensions, dtype=np.float32)
    vector[index] = 1.0
    return vector


def anchors_with(usem: list[int], minilm: list[int], sides: list[int], english: list[bool]) -> StanceAnchors:
    """One claim ("c") whose rows are unit vectors along the given axes: cosines are 1 or 0, easy to read."""
    return StanceAnchors(
        claim_ids=["c"],
        claim_start=np.array([0]),
        sides=np.array(sides, dtype=np.int8),
        english=np.array(english),
        usem=np.vstack([unit(i, 4) for i in usem]).astype(np.float16),
        minilm=np.vstack([unit(i, 3) for i, e in zip(minilm, english, strict=True) if e]).astype(np.float16),
    )


def named(row: np.ndarray) -> dict[str, float]:
    return dict(zip(ANCHOR_FEATURE_NAMES, row.tolist(), strict=True))


def test_a_post_worded_like_the_correction_leans_to_the_correction_and_the_verdict_signs_it() -> None:
    anchors = anchors_with(
        usem=[0, 1, 2, 3], minilm=[0, 1, 2, 2], sides=[STATEMENT, VARIANT, CORRECTION, CORRECTION], english=[True] * 4
    )
    post_usem, post_minilm = unit(3, 4)[None], unit(2, 3)[None]  # the (translated) correction's words, both encoders
    myth, fact = (named(anchors.features(["c"], [m], post_usem, post_minilm)[0]) for m in (True, False))
    assert myth["usem_correction"] == 1.0
    assert myth["usem_statement"] == 0.0
    assert myth["usem_variant"] == 0.0
    assert myth["usem_statement_minus_correction"] == -1.0
    assert myth["minilm_variant_minus_correction"] == -1.0
    assert myth["verdict_sign"] == 1.0
    assert fact["verdict_sign"] == -1.0
    assert myth["usem_statement_minus_correction_by_verdict"] == -1.0  # far from a myth's words: counters it
    assert fact["usem_statement_minus_correction_by_verdict"] == 1.0  # far from a fact's words: the opposite
    assert myth["usem_correction"] == fact["usem_correction"]  # the unsigned half does not depend on the verdict


def test_minilm_reads_only_the_english_texts_and_use_m_reads_every_language() -> None:
    anchors = anchors_with(usem=[0, 1], minilm=[0, 1], sides=[STATEMENT, STATEMENT], english=[True, False])
    row = named(anchors.features(["c"], [True], unit(1, 4)[None], unit(1, 3)[None])[0])
    assert row["usem_statement"] == 1.0  # the translated statement, close in USE-m
    assert row["minilm_statement"] == 0.0  # the same row is invisible to MiniLM, which cannot read it
    assert row["usem_variant"] == 0.0  # no variant at all: nothing close


def test_each_post_is_compared_with_its_own_claim() -> None:
    encoder = HashingEmbedder("m", 8)
    anchors = build_anchors([MYTH, FACT], encoder, HashingEmbedder("u", 16))
    assert anchors.claim_ids == ["myth", "fact"]
    assert anchors.rows("fact").start == len(anchor_texts([MYTH]))
    posts = ["myth statement", "myth statement"]
    usem, minilm = HashingEmbedder("u", 16).encode(posts), encoder.encode(posts)
    own, other = (named(r) for r in anchors.features(["myth", "fact"], [True, False], usem, minilm))
    assert own["usem_statement"] == pytest.approx(1.0, abs=1e-3)  # half precision, as stored
    assert other["usem_statement"] < 0.9


def test_stored_and_loaded_alike(tmp_path: Path) -> None:
    anchors = build_anchors([MYTH, FACT], HashingEmbedder("m", 8), HashingEmbedder("u", 16))
    assert {p.name for p in save_anchors(anchors, tmp_path)} == {p.name for p in (tmp_path / ANCHORS_DIR).iterdir()}
    loaded = load_anchors(tmp_path)
    assert isinstance(loaded.usem, np.memmap)  # read from the file as rows are needed
    assert len(loaded.minilm) == sum(english for _, _, english, _ in anchor_texts([MYTH, FACT]))
    assert loaded.claim_ids == anchors.claim_ids
    for name in ("claim_start", "sides", "english", "usem", "minilm"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(anchors, name))
    assert loaded.usem.dtype == np.float16
    posts = HashingEmbedder("u", 16).encode(["mythe"]), HashingEmbedder("m", 8).encode(["mythe"])
    np.testing.assert_array_equal(loaded.features(["myth"], [True], *posts), anchors.features(["myth"], [True], *posts))


def test_a_missing_or_broken_file_asks_for_a_rebuild(tmp_path: Path) -> None:
    with pytest.raises(ArtifactMissing, match="kb build"):
        load_anchors(tmp_path)
    save_anchors(build_anchors([MYTH], HashingEmbedder("m", 8), HashingEmbedder("u", 16)), tmp_path)
    np.save(tmp_path / ANCHORS_DIR / "usem.npy", np.zeros((2, 16), dtype=np.float16))
    with pytest.raises(ArtifactMissing, match="inconsistent"):
        load_anchors(tmp_path)
    (tmp_path / ANCHORS_DIR / "usem.npy").write_bytes(b"not an array")
    with pytest.raises(ArtifactMissing, match="unreadable"):
        load_anchors(tmp_path)


def test_the_model_weighs_the_claim_features_apart() -> None:
    """The last columns of the dense features are the claim features, standardised and given their own weight."""
    dense = 2 * 2 + 1 + len(CUE_NAMES) + len(ANCHOR_FEATURE_NAMES)
    model = StanceModel(
        classes=["spreads", "counters", "asks", "neutral"],
        cue_names=CUE_NAMES,
        dimensions=2,
        usem_dimensions=0,
        vocabulary={},
        idf=[],
        mean=[0.0] * dense,
        scale=[2.0] * dense,
        dense_weight=0.03,
        anchor_features=ANCHOR_FEATURE_NAMES,
        anchor_weight=0.5,
        coef=[[0.0] * dense] * 4,
        intercept=[0.0] * 4,
        risk_coef=[0.0] * dense,
        risk_intercept=0.0,
        risk_threshold=0.5,
    )
    features = model.features(["x"], np.ones((1, dense), dtype=np.float32))
    anchors = len(ANCHOR_FEATURE_NAMES)
    np.testing.assert_allclose(features[0, : dense - anchors], 0.5 * 0.03)
    np.testing.assert_allclose(features[0, dense - anchors :], 0.5 * 0.5)
    with pytest.raises(ArtifactMissing, match="claim features"):
        model.features(["x"], np.ones((1, dense - anchors), dtype=np.float32))
    with pytest.raises(ValueError, match="anchor_weight"):
        StanceModel.model_validate(model.model_dump() | {"anchor_weight": 0.0})
