"""Fusion models, threshold fitting and the decision policy."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from functions.match.engine.calibrate import score_at_rate
from functions.match.engine.calibrate_multilingual import MIN_POSTS_PER_LANGUAGE, review_by_language
from functions.match.engine.calibration import Thresholds
from functions.match.engine.fusion import FEATURES, LinearModel, fit_linear_model, reciprocal_rank_fusion
from functions.match.engine.matcher import Decision, decide
from functions.match.engine.normalise import normalise_post
from functions.match.engine.stance_training import StanceExample
from functions.shared.models import Stance

THRESHOLDS = Thresholds(match=0.8, review=0.4, min_words_for_match=4)


def test_reciprocal_rank_fusion_hand_worked() -> None:
    # k=60: a = 1/61 + 1/62, b = 1/62 + 1/61, c = 1/63; ties broken by name.
    assert reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]]) == ["a", "b", "c"]
    assert reciprocal_rank_fusion([["x"], ["y", "x"]]) == ["x", "y"]


def test_linear_model_reads_its_named_columns() -> None:
    model = LinearModel(features=["cos_best", "bm25_log"], weights=[2.0, 1.0], bias=-1.0)
    row = np.zeros((1, len(FEATURES)))
    row[0, FEATURES.index("cos_best")] = 0.5
    row[0, FEATURES.index("bm25_log")] = 1.0
    assert model.score(row)[0] == pytest.approx(1 / (1 + np.exp(-(2 * 0.5 + 1.0 - 1.0))))


def test_linear_model_rejects_unknown_features() -> None:
    with pytest.raises(ValidationError):
        LinearModel(features=["shoe_size"], weights=[1.0], bias=0.0)
    with pytest.raises(ValidationError):
        LinearModel(features=["cos_best"], weights=[1.0, 2.0], bias=0.0)


def test_fitted_model_prefers_the_informative_feature() -> None:
    rng = np.random.default_rng(7)
    features = rng.random((400, len(FEATURES)))
    labels = features[:, FEATURES.index("cos_best")] > 0.5
    model = fit_linear_model(features, labels, ("cos_best", "bm25_log"))
    assert model.weights[0] > 5 * abs(model.weights[1])
    assert model == fit_linear_model(features, labels, ("cos_best", "bm25_log"))  # deterministic


def test_score_at_rate_allows_exactly_the_rate() -> None:
    scores = np.array([0.1, 0.2, 0.3, 0.9, 0.95] + [0.0] * 95)
    threshold = score_at_rate(scores, 0.01)  # one in a hundred may pass
    assert (scores >= threshold).sum() == 1
    assert (scores >= score_at_rate(scores, 0.0)).sum() == 0
    assert (scores >= score_at_rate(scores, 0.05)).sum() == 5


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValidationError):
        Thresholds(match=0.3, review=0.5, min_words_for_match=4)
    with pytest.raises(ValidationError):  # a language's own review threshold is never above the pooled one
        Thresholds(match=0.8, review=0.4, min_words_for_match=4, review_by_language={"bg": 0.5})


def test_a_language_with_its_own_review_threshold_is_decided_with_it() -> None:
    thresholds = Thresholds(match=0.8, review=0.4, min_words_for_match=4, review_by_language={"bg": 0.2})
    post = normalise_post("ваксините причиняват аутизъм и всички го знаят")
    assert thresholds.for_language("bg").review == 0.2
    assert thresholds.for_language("BG-bg").review == 0.2
    assert thresholds.for_language("ru") is thresholds
    assert thresholds.for_language(None) is thresholds
    assert decide(0.3, post, thresholds.for_language("bg"))[0] is Decision.REVIEW
    assert decide(0.3, post, thresholds.for_language("ru"))[0] is Decision.NONE
    assert decide(0.8, post, thresholds.for_language("bg"))[0] is Decision.MATCH  # the match threshold is shared


def test_review_by_language_only_lowers_where_a_language_under_reaches_the_rate() -> None:
    def examples(language: str, count: int) -> list[StanceExample]:
        return [
            StanceExample(
                id=f"{language}{i}", claim_id="c", stance=Stance.SUPPORTS, language=language, platform="x", text="t"
            )
            for i in range(count)
        ]

    n = MIN_POSTS_PER_LANGUAGE
    posts = examples("bg", n) + examples("es", n) + examples("ko", n - 1)
    # Bulgarian's scores sit low, Spanish's high; Korean has too few posts to set a threshold of its own
    scores = np.concatenate([np.linspace(0.0, 0.3, n), np.linspace(0.2, 0.9, n), np.linspace(0.0, 0.1, n - 1)])
    found = review_by_language(posts, scores, review=0.5)
    assert set(found) == {"bg"}
    assert (scores[:n] >= found["bg"]).mean() <= 0.25 < (scores[:n] >= found["bg"] - 0.01).mean()


@pytest.mark.parametrize(
    ("score", "text", "expected"),
    [
        (0.95, "vaccines cause autism and everyone knows it", Decision.MATCH),
        (0.80, "vaccines cause autism and everyone knows it", Decision.MATCH),  # at the threshold
        (0.79, "vaccines cause autism and everyone knows it", Decision.REVIEW),
        (0.40, "vaccines cause autism and everyone knows it", Decision.REVIEW),
        (0.39, "vaccines cause autism and everyone knows it", Decision.NONE),
        (0.99, "vaccines cause autism", Decision.REVIEW),  # too short to be sure
        (0.99, "autism https://t.co/x", Decision.REVIEW),  # link only
        (0.99, "https://t.co/x", Decision.NONE),  # nothing left to compare
        (None, "anything at all here really", Decision.NONE),
    ],
)
def test_decision_policy(score: float | None, text: str, expected: Decision) -> None:
    decision, reason = decide(score, normalise_post(text), THRESHOLDS)
    assert decision is expected
    assert reason
