"""The stance model's run-time arithmetic (no model download, no sklearn): the lexical features, the mapping from
the predicted side to a stance, and the guards that refuse an artifact that does not fit the index."""

from __future__ import annotations

from typing import cast

import numpy as np
import pytest

from functions.match.engine.stance import (
    CUE_NAMES,
    Alignment,
    StanceModel,
    alignment_of,
    cue_features,
    dense_features,
    stance_of,
    terms,
)
from functions.match.engine.stance_cross import CrossEncoder, CrossEncoderConfig, predict_with_cross
from functions.shared.errors import ArtifactMissing
from functions.shared.models import Stance

DIMS = 2


def tiny_model(**overrides: object) -> StanceModel:
    """Four terms and a 2-d embedding; 'myth' pushes 'counters', 'cure' pushes 'spreads', '?' pushes 'asks'."""
    vocabulary = {"myth": 0, "cure": 1, "?": 2, "news": 3}
    dense = 2 * DIMS + 1 + len(CUE_NAMES)
    lexical_weights = {
        Alignment.COUNTERS: [5, 0, 0, 0],
        Alignment.SPREADS: [0, 5, 0, 0],
        Alignment.ASKS: [0, 0, 5, 0],
        Alignment.NEUTRAL: [0, 0, 0, 5],
    }
    fields: dict[str, object] = {
        "classes": list(lexical_weights),
        "cue_names": CUE_NAMES,
        "dimensions": DIMS,
        "usem_dimensions": 0,
        "vocabulary": vocabulary,
        "idf": [1.0, 1.0, 1.0, 1.0],
        "mean": [0.0] * dense,
        "scale": [1.0] * dense,
        "dense_weight": 0.05,
        "coef": [row + [0.0] * dense for row in lexical_weights.values()],
        "intercept": [0.0, 0.0, 0.0, 0.0],
        "risk_coef": [0.0, 6.0, 0.0, 0.0] + [0.0] * dense,  # 'cure' reads as acting on the myth
        "risk_intercept": -3.0,
        "risk_threshold": 0.5,
    }
    return StanceModel.model_validate(fields | overrides)


NO_USEM = np.zeros((1, 0), dtype=np.float32)


def predict(model: StanceModel, texts: list[str], myths: list[bool]) -> list[Stance]:
    vectors = np.tile(np.array([[0.6, 0.8]], dtype=np.float32), (len(texts), 1))
    return [r.stance for r in model.predict(texts, vectors, vectors, np.zeros((len(texts), 0)), myths)]


def test_terms_are_words_pairs_and_question_marks() -> None:
    assert terms("Garlic CURES it? ¿Sí") == ["garlic", "cures", "it", "?", "¿", "sí", "garlic cures", "cures it",
                                            "it ?", "? ¿", "¿ sí"]  # fmt: skip


def test_redaction_placeholders_are_no_words_of_the_author() -> None:
    """Stored posts carry ingest's placeholders, the labelled examples never do: "[phone]" adds no "phone", and the
    words on either side of it make no pair."""
    assert terms("ring [phone] now, or [@user] or [record number]") == ["ring", "now", "or", "or", "now or"]
    assert terms("ring phone now") == ["ring", "phone", "now", "ring phone", "phone now"]


def test_the_side_becomes_a_stance_through_the_verdict() -> None:
    for stance in Stance:
        for is_myth in (True, False):
            assert stance_of(alignment_of(stance, is_myth), is_myth) is stance
    assert alignment_of(Stance.REFUTES, is_myth=False) is Alignment.SPREADS  # denying a fact spreads doubt


def test_prediction_follows_the_weights_and_the_verdict() -> None:
    model = tiny_model()
    assert predict(model, ["that's a myth", "this will cure it", "really?", "in the news"], [True] * 4) == [
        Stance.REFUTES,
        Stance.SUPPORTS,
        Stance.ASKS,
        Stance.NEUTRAL,
    ]
    # On a true claim the sides swap: countering misinformation supports the fact, spreading doubt refutes it.
    assert predict(model, ["that's a myth", "this will cure it"], [False, False]) == [Stance.SUPPORTS, Stance.REFUTES]
    result = model.predict(["that's a myth"], np.ones((1, DIMS), np.float32), np.ones((1, DIMS)), NO_USEM, [True])
    assert result[0].confidence == result[0].probability(Stance.REFUTES) > 0.9
    assert sum(result[0].probabilities.values()) == pytest.approx(1.0, abs=1e-3)


def test_lexical_rows_are_sublinear_tf_idf_and_unit_length() -> None:
    rows = tiny_model(idf=[2.0, 1.0, 1.0, 1.0]).lexical(["myth myth cure", "nothing known"])
    tf_myth, tf_cure = (1 + np.log(2)) * 2.0, 1.0
    expected = np.array([tf_myth, tf_cure, 0, 0]) / np.hypot(tf_myth, tf_cure)
    np.testing.assert_allclose(rows[0], expected, rtol=1e-6)
    assert not rows[1].any()


def test_cues_count_in_three_languages() -> None:
    cues = dict(zip(CUE_NAMES, cue_features("¿Es verdad? C'est faux, it's a myth!"), strict=True))
    assert cues["question_mark"] > 0
    assert cues["debunk"] >= np.log1p(2)
    assert cues["exclamation"] > 0
    empty = dense_features([], np.zeros((0, DIMS)), np.zeros((0, DIMS)), np.zeros((0, 3)))
    assert empty.shape == (0, 2 * DIMS + 1 + len(CUE_NAMES) + 3)


def test_risk_is_its_own_reading_beside_the_stance() -> None:
    model = tiny_model()
    vectors = np.ones((3, DIMS), np.float32)
    found = model.predict(
        ["this will cure it", "that's a myth", "cure? really?"], vectors, vectors, np.zeros((3, 0)), [True] * 3
    )
    assert [r.risky for r in found] == [True, False, True]
    assert [r.stance for r in found] == [Stance.SUPPORTS, Stance.REFUTES, Stance.ASKS]
    with pytest.raises(ValueError, match="risk_coef must have"):
        tiny_model(risk_coef=[1.0])


def test_the_use_m_columns_come_last_and_carry_their_weights() -> None:
    """The model reads the post's USE-m vector after the cues; a weight on it moves the prediction."""
    dense = 2 * DIMS + 1 + len(CUE_NAMES) + 1
    zero_lexical = [0.0, 0.0, 0.0, 0.0]
    coef = [zero_lexical + [0.0] * (dense - 1) + [w] for w in (0.0, 40.0, 0.0, 0.0)]  # USE-m column → spreads
    model = tiny_model(
        usem_dimensions=1, mean=[0.0] * dense, scale=[1.0] * dense, coef=coef, risk_coef=[0.0] * (4 + dense)
    )
    vectors = np.ones((2, DIMS), np.float32)
    found = model.predict(["plain words", "plain words"], vectors, vectors, np.array([[0.0], [1.0]]), [True, True])
    assert [r.stance for r in found] != [Stance.SUPPORTS, Stance.SUPPORTS]
    assert found[1].stance is Stance.SUPPORTS
    assert found[1].confidence > 0.5


def test_an_artifact_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="scale positive"):
        tiny_model(scale=[0.0] * (2 * DIMS + 1 + len(CUE_NAMES)))
    with pytest.raises(ValueError, match="coef must be"):
        tiny_model(coef=[[0.0]] * 4)
    model = tiny_model()
    with pytest.raises(ArtifactMissing, match="expects 2-dimensional"):
        model.predict(["x"], np.ones((1, 3), np.float32), np.ones((1, 3), np.float32), NO_USEM, [True])
    with pytest.raises(ArtifactMissing, match="0 USE-m dimensions"):
        model.predict(["x"], np.ones((1, DIMS)), np.ones((1, DIMS)), np.ones((1, 4)), [True])
    with pytest.raises(ArtifactMissing, match="other cues"):
        tiny_model(cue_names=[*CUE_NAMES[:-1], "another cue"]).predict(
            ["x"], np.ones((1, DIMS)), np.ones((1, DIMS)), NO_USEM, [True]
        )


class FixedCrossEncoder:
    """Stands in for the exported cross-encoder: the same probabilities for every pair, all on 'counters'."""

    config = CrossEncoderConfig(base_model="test", cross_weight=1.0)

    def probabilities(self, claims: list[str], posts: list[str]) -> np.ndarray:
        table = np.zeros((len(posts), len(self.config.classes)), dtype=np.float32)
        table[:, self.config.classes.index(Alignment.COUNTERS)] = 1.0
        return table


def test_with_the_cross_encoder_the_risk_reading_stays_the_lexical_models() -> None:
    """The cross-encoder decides the stance alone here (weight 1); whether a post is a risky disclosure is still the
    lexical model's call, read from the same features, as the match function and ``kb eval-stance`` both use it."""
    model = tiny_model()
    texts = ["this will cure it", "that's a myth"]
    vectors = np.ones((2, DIMS), np.float32)
    dense = dense_features(texts, vectors, vectors, np.zeros((2, 0)))
    cross = cast(CrossEncoder, FixedCrossEncoder())
    found = predict_with_cross(model, cross, texts, dense, [("a cure", True)] * 2, texts)
    assert [r.stance for r in found] == [Stance.REFUTES, Stance.REFUTES]
    assert [r.risky for r in found] == model.alignment_and_risk(texts, dense)[1] == [True, False]
