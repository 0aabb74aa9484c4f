"""The cross-encoder's run-time arithmetic and the dev-fifth choice (no torch, no model): how two probability
tables are mixed, when "spreads" is refused for lack of confidence, and what the choice prefers."""

from __future__ import annotations

import numpy as np
import pytest

from functions.match.engine.stance import Alignment
from functions.match.engine.stance_cross import (
    CrossEncoderConfig,
    choose,
    claim_side,
    combine,
    in_order,
    results_from,
)
from functions.match.engine.stance_cross_training import CLASSES, choose_setting, dev_fifth, spreads_figures
from functions.match.engine.stance_training import StanceExample
from functions.shared.models import Stance

ORDER = [Alignment(c) for c in CLASSES]
SPREADS, COUNTERS, ASKS, NEUTRAL = range(4)


def test_class_order_is_the_alignment_order() -> None:
    assert ORDER == [Alignment.SPREADS, Alignment.COUNTERS, Alignment.ASKS, Alignment.NEUTRAL]


def test_the_claim_side_names_the_verdict() -> None:
    assert claim_side("Flu jabs give you flu.", is_myth=True) == "myth: Flu jabs give you flu."
    assert claim_side("Sunscreen protects.", is_myth=False) == "fact: Sunscreen protects."


def test_columns_are_rearranged_by_name() -> None:
    sklearn_order = [Alignment.ASKS, Alignment.COUNTERS, Alignment.NEUTRAL, Alignment.SPREADS]
    table = np.array([[0.1, 0.2, 0.3, 0.4]])
    assert in_order(table, sklearn_order, ORDER).tolist() == [[0.4, 0.2, 0.1, 0.3]]


def test_combine_is_the_weighted_mean() -> None:
    lexical, cross = np.array([[1.0, 0, 0, 0]]), np.array([[0, 1.0, 0, 0]])
    assert combine(lexical, cross, 0.25).tolist() == [[0.75, 0.25, 0, 0]]
    assert combine(lexical, cross, 1.0).tolist() == [[0, 1.0, 0, 0]]


def test_spreads_below_the_threshold_falls_to_the_next_alignment() -> None:
    row = np.array([0.55, 0.35, 0.05, 0.05])
    assert choose(row, ORDER, 0.5) is Alignment.SPREADS
    assert choose(row, ORDER, 0.6) is Alignment.COUNTERS
    assert choose(np.array([0.1, 0.2, 0.6, 0.1]), ORDER, 0.99) is Alignment.ASKS  # only "spreads" needs it


def test_results_name_probabilities_by_stance_through_the_verdict() -> None:
    table = np.array([[0.7, 0.2, 0.05, 0.05], [0.7, 0.2, 0.05, 0.05]])
    myth, fact = results_from(table, ORDER, [True, False], spreads_threshold=0.5)
    assert myth.stance is Stance.SUPPORTS
    assert myth.confidence == 0.7
    assert fact.stance is Stance.REFUTES
    assert fact.probability(Stance.SUPPORTS) == pytest.approx(0.2)
    held_back = results_from(table[:1], ORDER, [True], spreads_threshold=0.8)[0]
    assert held_back.stance is Stance.REFUTES
    assert held_back.confidence == pytest.approx(0.2)


def test_spreads_figures_count_precision_and_recall_of_spreads() -> None:
    table = np.array([[0.9, 0.1, 0, 0], [0.6, 0.4, 0, 0], [0.2, 0.8, 0, 0], [0, 0, 1.0, 0]])
    labels = [SPREADS, COUNTERS, SPREADS, ASKS]
    assert spreads_figures(table, labels, 0.5) == (0.5, 0.5, 0.5)
    accuracy, precision, recall = spreads_figures(table, labels, 0.7)
    assert (accuracy, precision, recall) == (0.75, 1.0, 0.5)


def test_the_choice_prefers_the_setting_that_reaches_the_precision_target() -> None:
    labels = [SPREADS] * 10 + [COUNTERS] * 10
    truth = np.eye(4)[labels]
    noise = np.full((20, 4), 0.25)
    lexical = 0.5 * truth + 0.5 * noise  # right and confident
    wrong = np.eye(4)[[COUNTERS] * 10 + [SPREADS] * 10]
    choice = choose_setting(lexical, {1: wrong, 2: lexical}, labels)
    assert choice.precision_target_reached
    assert choice.spreads_precision == 1.0
    assert choice.spreads_recall == 1.0
    assert choice.cross_weight < 1.0 or choice.epochs == 2  # never the model that is always wrong alone


def test_dev_fifth_is_stable_and_about_a_fifth() -> None:
    ids = [f"topic-{i:03d}" for i in range(2000)]
    share = sum(dev_fifth(i) for i in ids) / len(ids)
    assert 0.17 < share < 0.23
    assert [dev_fifth(i) for i in ids[:50]] == [dev_fifth(i) for i in ids[:50]]


def test_training_only_examples_never_join_the_held_back_part() -> None:
    fields = {"claim_id": "c", "stance": "supports", "language": "en", "platform": "x", "text": "t"}
    ids = [f"hard-cases-{i:03d}" for i in range(200)]
    plain = [StanceExample.model_validate({"id": i, **fields}) for i in ids]
    marked = [StanceExample.model_validate({"id": i, "training_only": True, **fields}) for i in ids]
    assert any(e.split == "heldback" for e in plain)
    assert all(e.split == "train" for e in marked)


def test_the_version_changes_with_what_decides_and_not_with_provenance() -> None:
    config = CrossEncoderConfig(base_model="m", adapter_sha256="a", cross_weight=0.5, spreads_threshold=0.6)
    assert config.version == config.model_copy(update={"provenance": {"trained_at": "now"}}).version
    assert config.version != config.model_copy(update={"spreads_threshold": 0.7}).version
    assert config.version != config.model_copy(update={"adapter_sha256": "b"}).version


def test_the_choice_does_not_buy_precision_with_almost_no_recall() -> None:
    """A threshold so high that one spreader in twenty is corrected is further from the targets than a slightly
    less precise setting that corrects most of them."""
    labels = [SPREADS] * 20 + [COUNTERS] * 20
    spreads = np.array([[0.9, 0.1, 0, 0]] * 1 + [[0.6, 0.4, 0, 0]] * 19)
    counters = np.array([[0.55, 0.45, 0, 0]] * 1 + [[0.2, 0.8, 0, 0]] * 19)
    table = np.vstack([spreads, counters])
    choice = choose_setting(table, {1: table}, labels)
    assert choice.spreads_recall == 1.0  # not the 0.9 threshold: precision 1.0, recall 0.05
    assert choice.spreads_threshold <= 0.6
    assert choice.precision_target_reached
