"""The stance model end to end with the real embedding model: the labelled set, its fixed held-back split, the
run-time arithmetic against scikit-learn's, and the committed model's quality on the held-back part."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from functions.curation.knowledge_base import load_knowledge_base
from functions.curation.stance_report import evaluate_stance
from functions.match.engine.embedder import SentenceTransformerEmbedder
from functions.match.engine.matcher import Matcher
from functions.match.engine.stance import Alignment, alignment_of, load_stance_model
from functions.match.engine.stance_anchors import StanceAnchors, load_anchors
from functions.match.engine.stance_training import (
    StanceExample,
    _pipeline,
    _table,
    example_inputs,
    fit_stance_model,
    load_stance_examples,
)
from functions.match.engine.usem import USEM_DIR, UsemEmbedder
from functions.shared.errors import KnowledgeBaseInvalid
from functions.shared.models import Stance
from functions.shared.settings import PROJECT_ROOT

KB = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
EXAMPLES = load_stance_examples(PROJECT_ROOT / "knowledge_base" / "stance", set(KB.by_id))


def test_the_labelled_set_covers_every_topic_stance_and_language() -> None:
    assert len(EXAMPLES) >= 800
    assert {KB.by_id[e.claim_id].topic for e in EXAMPLES} == set(KB.topics)
    for stance in Stance:
        assert sum(e.stance is stance for e in EXAMPLES) >= 150
    assert {e.language for e in EXAMPLES} >= {"en", "es", "fr"}


def test_every_language_the_matcher_handles_has_training_posts_of_every_stance() -> None:
    """The multilingual calibration learns from these; a language without them lands under the review threshold."""
    for language in ("es", "fr", "de", "pt", "ru", "bg", "ko", "zh", "ar"):
        train = [e for e in EXAMPLES if e.language == language and e.split == "train"]
        assert len(train) >= 35, language
        assert {e.stance for e in train} == set(Stance), language


def test_the_held_back_split_is_fixed_by_id_and_about_a_quarter() -> None:
    held = [e for e in EXAMPLES if e.split == "heldback"]
    hashed = [e for e in EXAMPLES if not e.training_only]  # examples written later to train on never join it
    assert 0.2 < len(held) / len(hashed) < 0.3
    assert all(not e.training_only for e in held)
    same = StanceExample.model_validate(EXAMPLES[0].model_dump() | {"text": "completely different text"})
    assert same.split == EXAMPLES[0].split  # the text does not move an example between splits


def test_a_bad_example_names_its_file_and_line(tmp_path: Path) -> None:
    good = EXAMPLES[0].model_dump(mode="json")
    (tmp_path / "topic.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps(good | {"id": "x-2", "claim_id": "no-such-claim"}) + "\n{oops\n"
    )
    with pytest.raises(KnowledgeBaseInvalid) as raised:
        load_stance_examples(tmp_path, set(KB.by_id))
    assert "topic.jsonl:2: unknown claim 'no-such-claim'" in raised.value.problems
    assert any(p.startswith("topic.jsonl:3:") for p in raised.value.problems)


@pytest.fixture(scope="module")
def usem(kb_index_dir: Path) -> UsemEmbedder:
    return UsemEmbedder(kb_index_dir / USEM_DIR)


@pytest.fixture(scope="module")
def anchors(kb_index_dir: Path) -> StanceAnchors:
    """The claims' texts as the built artifact stores them for the stance model."""
    return load_anchors(kb_index_dir)


def test_run_time_probabilities_equal_scikit_learns(
    matcher: Matcher, embedder: SentenceTransformerEmbedder, usem: UsemEmbedder, anchors: StanceAnchors
) -> None:
    train = [e for e in EXAMPLES if e.split == "train"]
    sample = train[:160] + [e for e in train[160:] if e.personal == "risk"][:20]  # enough risky ones for five folds
    inputs = example_inputs(sample, matcher.index, KB.by_id, embedder, usem, anchors)
    risky = [e.personal == "risk" for e in sample]
    model, report = fit_stance_model(inputs, [e.stance for e in sample], risky, matcher.index.dimensions, grid=(1.0,))
    reference = _pipeline(1.0).fit(_table(inputs), [r.value for r in _alignments(sample)])
    expected = reference.predict_proba(_table(inputs))
    ours = model.alignment_probabilities(inputs.texts, inputs.dense)
    order = [list(reference.classes_).index(c.value) for c in model.classes]
    np.testing.assert_allclose(ours, expected[:, order], atol=2e-4)
    # The risk model: a logistic regression over the same fitted features, with the chosen regularisation.
    features = reference.named_steps["features"].transform(_table(inputs))
    risk = LogisticRegression(C=report.risk.c, max_iter=5000, class_weight="balanced").fit(features, risky)
    expected_risk = risk.predict_proba(features)[:, 1]
    np.testing.assert_allclose(model.risk_probabilities(inputs.texts, inputs.dense), expected_risk, atol=2e-4)
    assert model.alignment_and_risk(inputs.texts, inputs.dense)[1] == [
        bool(p >= report.risk.threshold) for p in expected_risk
    ]


def _alignments(sample: list[StanceExample]) -> list[Alignment]:
    return [alignment_of(e.stance, KB.by_id[e.claim_id].is_myth) for e in sample]


def test_the_committed_model_on_the_held_back_split(
    matcher: Matcher, embedder: SentenceTransformerEmbedder, usem: UsemEmbedder, anchors: StanceAnchors
) -> None:
    """Floors a little under the figures in docs/benchmarks.md, so a worse model or data change fails here."""
    held = [e for e in EXAMPLES if e.split == "heldback"]
    model = load_stance_model(PROJECT_ROOT / "knowledge_base" / "stance_model.json")
    inputs = example_inputs(held, matcher.index, KB.by_id, embedder, usem, anchors)
    report = evaluate_stance(held, model.predict_inputs(inputs.texts, inputs.dense, inputs.claim_is_myth), KB.by_id)
    # 754 held back. With every claim translated (2026-12-02, fourth session: the claim features read every
    # translation): accuracy 0.869, precision 0.810, recall 0.794, debunks corrected 0.161, risky 24 of 43 (of 45).
    # With the 238 examples for true claims written on 2026-12-02 (hard-cases-4) added to the training
    # part: accuracy 0.873, precision 0.832, recall 0.785, debunks corrected 0.135, risky 26 of 43 (of 49 put first).
    # Before them, with the 516 hard cases written on 2026-11-30 (eighth session: hard-cases-3, -ml-3): accuracy
    # 0.877, precision 0.821, recall 0.813, debunks corrected 0.161, risky 27 of 43 (of 50 put first); before those,
    # with the 506 examples and the variants of the seventh session: 0.870, 0.824, 0.790, 0.148, 26 of 43 (of 48);
    # before those (the claim features alone): accuracy 0.857, precision 0.800, recall 0.748, debunks corrected
    # 0.142, risky 29 of 43 (of 63 put first); before the claim features: 0.834, 0.764, 0.710, 0.174, 31 of 43.
    assert report["stance_accuracy"] >= 0.85  # 0.869 measured
    assert report["asks_given_inform"] >= 0.85  # 0.988 measured
    assert report["correct_precision"] >= 0.80  # 0.810 measured (the issue asks 0.95: not met)
    assert report["correct_recall"] >= 0.76  # 0.794 measured (the issue asks 0.90: not met)
    assert report["refutes_given_correct"] <= 0.17  # 0.161 measured (the issue asks 0.03: not met)
    found, risky = map(int, report["risky_disclosures_first_and_private"].split("/"))
    # 24 of 43 measured (of 45 put first; 8 with the cue rules alone): the risk threshold is chosen for F1 on the
    # training folds (0.45, then 0.55 with the seventh session's stories, 0.5 with the eighth's, 0.55 again)
    assert found / risky >= 0.55  # answered privately, first
