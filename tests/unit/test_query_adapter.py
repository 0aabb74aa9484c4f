"""The query adapter: stored exactly, applied as a normalised linear map, fitted to move posts towards their claims."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from functions.match.engine.calibration import Calibration, Thresholds
from functions.match.engine.fusion import CONFIDENCE_FEATURES, RANKING_FEATURES, LinearModel
from functions.match.engine.index import build_index
from functions.match.engine.query_adapter import QueryAdapter
from functions.match.engine.query_adapter_training import contrast_sets, cross_fitted
from tests.unit.fakes import HashingEmbedder


def _calibration(adapter: QueryAdapter | None) -> Calibration:
    def linear(features: tuple[str, ...]) -> LinearModel:
        return LinearModel(features=list(features), weights=[0.0] * len(features), bias=0.0)

    return Calibration(
        ranking=linear(tuple(RANKING_FEATURES)),
        confidence=linear(tuple(CONFIDENCE_FEATURES)),
        thresholds=Thresholds(match=0.8, review=0.5, min_words_for_match=4),
        query_adapter=adapter,
    )


def test_the_matrix_survives_the_calibration_file_exactly() -> None:
    rng = np.random.default_rng(1)
    matrix = (np.eye(8) + 0.01 * rng.standard_normal((8, 8))).astype(np.float32)
    stored = _calibration(QueryAdapter.from_matrix(matrix, 0.01)).model_dump_json()
    loaded = Calibration.model_validate_json(stored)
    assert loaded.query_adapter is not None
    assert np.array_equal(loaded.query_adapter.matrix(), matrix)
    assert loaded.query_adapter.version == QueryAdapter.from_matrix(matrix, 0.01).version


def test_a_change_of_the_wrong_size_is_refused() -> None:
    adapter = QueryAdapter.from_matrix(np.eye(4, dtype=np.float32), 0.01)
    with pytest.raises(ValidationError, match="4 × 4"):
        QueryAdapter(dimensions=4, change=adapter.change[:-8], strength=0.01)


def test_applying_maps_and_normalises_and_no_adapter_changes_nothing() -> None:
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    swap = QueryAdapter.from_matrix(np.array([[0.0, 2.0], [2.0, 0.0]], dtype=np.float32), 0.0)
    assert np.allclose(swap.apply(vectors), [[0.0, 1.0], [0.8, 0.6]])
    assert swap.apply(np.zeros((0, 2), dtype=np.float32)).shape == (0, 2)
    assert _calibration(None).adapt(vectors) is vectors
    assert np.allclose(_calibration(swap).adapt(vectors), swap.apply(vectors))


def test_fitting_moves_posts_towards_the_claims_they_repeat() -> None:
    """Posts that sit nearer a neighbouring claim than their own, the same way every time: the adapter fitted
    without a post's fold puts more of them next to their own claim than their raw vectors do."""
    embedder = HashingEmbedder("test", dimensions=32)
    topics = ["garlic", "vinegar", "onion", "lemon", "ginger", "honey", "pepper", "cinnamon"]
    index = build_index([(f"c{i}", [("vclaim", f"{t} cures the common cold")]) for i, t in enumerate(topics)], embedder)
    rng = np.random.default_rng(7)
    vectors, relevant = [], []
    for post in range(80):
        own = post % len(topics)
        neighbour = (own + 1) % len(topics)
        mixed = 0.55 * index.vectors[own] + 0.75 * index.vectors[neighbour] + 0.05 * rng.standard_normal(32)
        vectors.append(mixed / np.linalg.norm(mixed))
        relevant.append({f"c{own}"})
    raw = np.asarray(vectors, dtype=np.float32)
    rows, right = contrast_sets(index, raw, relevant)
    assert rows.shape == right.shape == (80, len(topics))
    assert right.sum(axis=1).tolist() == [1] * 80

    adapted, adapter = cross_fitted(index, raw, relevant, np.arange(80) % 5, strength=0.001)

    def nearest_is_own(found: np.ndarray) -> float:
        _, hits = index.dense.search(np.ascontiguousarray(found), 1)
        return float(
            np.mean([index.claim_ids[index.row_claim[h[0]]] in r for h, r in zip(hits, relevant, strict=True)])
        )

    assert nearest_is_own(raw) < 0.2
    assert nearest_is_own(adapted) > 0.9
    assert adapter.dimensions == 32
    assert adapter.strength == 0.001
