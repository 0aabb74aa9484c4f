"""What a "sure enough to correct" rule would cost: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/stance_thresholds.py [--json]   (about 3 minutes on 2 cores)

Out-of-fold predictions on the stance set's training part only (5 folds, seed 13: ``kb train-stance``'s folds, its
features and the committed model's regularisation); the held-back part is not read. The reply policy runs as in
``antidote kb eval-stance`` (``functions/curation/stance_report.py``), except that a post whose most probable stance
is "spreads" is corrected only when the rule holds, and otherwise gets the next most probable stance other than
"counters" (so it is monitored or left alone, never called counter-speech). Printed per rule: precision of
``correct``, recall (of the posts that truly spread a myth or deny a fact, how many get ``correct``) and the share
of debunks given ``correct``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

Rule = Callable[[dict[str, float]], bool]


def at_least(threshold: float) -> Rule:
    return lambda p: p["spreads"] >= threshold


def margin(over_counters: float) -> Rule:
    return lambda p: p["spreads"] - p["counters"] >= over_counters


RULES: dict[str, Rule] = {
    "most_probable": lambda p: True,
    **{f"spreads_at_least_{t:g}": at_least(t) for t in (0.5, 0.6, 0.7, 0.8)},
    **{f"margin_over_counters_{m:g}": margin(m) for m in (0.1, 0.3, 0.5)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from functions.cli.kb import _inputs, _stance_inputs
    from functions.curation.stance_report import evaluate_stance
    from functions.match.engine.stance import Alignment, StanceResult, alignment_of, load_stance_model, stance_of
    from functions.match.engine.stance_training import _pipeline, _table
    from functions.shared.settings import get_settings

    settings = get_settings()
    committed = load_stance_model(settings.resolved_stance_model_file)
    examples, indexed, embedder, claims = _stance_inputs(settings, None)
    train = [e for e in examples if e.split == "train"]
    inputs = _inputs(train, indexed, claims, embedder)
    labels = np.array([alignment_of(e.stance, m).value for e, m in zip(train, inputs.claim_is_myth, strict=True)])
    table = _table(inputs)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    c = float(committed.provenance.get("regularisation_c", 3.0))
    probabilities = cross_val_predict(_pipeline(c), table, labels, cv=folds, method="predict_proba")
    risky_labels = np.array([e.personal == "risk" for e in train], dtype=int)
    risk = cross_val_predict(_pipeline(c), table, risky_labels, cv=folds, method="predict_proba")[:, 1]
    classes = sorted(set(labels))  # scikit-learn's order

    figures: dict[str, object] = {"training_examples": len(train), "regularisation_c": c}
    for name, rule in RULES.items():
        predicted = []
        for example, row, risk_p in zip(train, probabilities, risk, strict=True):
            by_class = dict(zip(classes, (float(p) for p in row), strict=True))
            ranked = sorted(by_class, key=lambda k: -by_class[k])
            chosen = ranked[0]
            if chosen == "spreads" and not rule(by_class):
                chosen = next(k for k in ranked[1:] if k != "counters")
            stance = stance_of(Alignment(chosen), claims[example.claim_id].is_myth)
            risky = bool(risk_p >= committed.risk_threshold)
            predicted.append(StanceResult(stance, by_class[chosen], {stance.value: by_class[chosen]}, risky))
        # the reply policy and its counts exactly as `antidote kb eval-stance` runs them
        report = evaluate_stance(train, predicted, claims)
        figures[f"{name}_precision"] = report["correct_precision"]
        figures[f"{name}_recall"] = report["correct_recall"]
        figures[f"{name}_debunks_corrected"] = report["refutes_given_correct"]
    print_figures(figures, as_json=args.json)


if __name__ == "__main__":
    main()
