"""Re-ranking variants, cross-validated on the CheckThat! 2022 training and development tweets: prints figures,
asserts nothing, never reads the 2021 test set.

Run: .venv/bin/python scripts/benchmarks/rerank.py   (needs ../shared/eval and a built index for its ONNX model;
the claim pool's vectors are cached like ``antidote eval``'s, so a second run takes a minute or two)

Every variant is measured on the same folds of the 1,196 train + dev tweets (5 folds, seed 13): in each fold the
first stage (the fusion model) and the re-ranker are fitted on the other four, so the figures are what a post
never seen in fitting gets. The baseline, in the same run, is the first stage alone.

- ``pairwise`` (production): logistic regression on within-post differences over every feature of ``rerank.py``,
  at each re-ranking depth and regularisation ``antidote kb calibrate`` chooses between;
- ``pairwise, first-stage features only``: the same without the word-level features (what they add);
- ``pairwise, word-level features + first_logit``: the word-level features with only the first stage's score;
- ``pointwise``: logistic regression on each candidate alone;
- ``gradient boosting``: scikit-learn's HistGradientBoostingClassifier on each candidate (non-linear; would need
  its trees evaluated at run time, which the match function does not do).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "checkthat2022"


def sample_pool(qrels: list[Path], others: int) -> Path:
    """The relevant claims of ``qrels`` plus the first ``others`` other claims, written beside the state folder."""
    from functions.match.engine.evaluation import read_qrels
    from functions.shared.settings import get_settings

    relevant = {claim for path in qrels for claims in read_qrels(path).values() for claim in claims}
    kept, extra = [], 0
    for line in (EVAL / "vclaims.jsonl").read_text("utf-8").splitlines():
        claim = json.loads(line)["vclaim_id"]
        if claim in relevant or extra < others:
            extra += claim not in relevant
            kept.append(line)
    target = get_settings().state_dir / "eval" / f"vclaims-sample-{others}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(kept) + "\n", "utf-8")
    return target


def fit_pointwise(data: Any, posts: Sequence[int], ranking: Any, depth: int, c: float) -> Any:
    """Logistic regression on each candidate alone (right or wrong): the comparison for the pairwise fit."""
    from sklearn.linear_model import LogisticRegression

    from functions.match.engine.rerank import RERANK_FEATURES
    from functions.match.engine.rerank_training import reranker_from, standardised_groups

    groups, scale = standardised_groups(data, posts, ranking, depth, RERANK_FEATURES)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(np.vstack([rows for rows, _ in groups]), np.concatenate([labels for _, labels in groups]))
    return reranker_from(model.coef_[0], scale, RERANK_FEATURES, depth)


def boosted_cv(data: Any, depth: int, folds: int, seed: int) -> dict[str, float]:
    """Gradient-boosted trees on each candidate, the same folds and first stage as ``cross_validate``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from functions.match.engine.rerank_training import (
        candidate_rows,
        fit_first_stage,
        fold_of,
        ranked_ids,
        scores,
        training_rows,
    )

    assignment = fold_of(len(data.candidates), folds, seed)
    ranked: list[list[str]] = [[] for _ in data.candidates]
    for fold in range(folds):
        train = [p for p in range(len(data.candidates)) if assignment[p] != fold]
        ranking = fit_first_stage(data, train)
        groups = training_rows(data, train, ranking, depth)
        model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=seed)
        model.fit(np.vstack([r for r, _ in groups]), np.concatenate([labels for _, labels in groups]))
        for post in np.flatnonzero(assignment == fold):
            order = ranked_ids(data, int(post), ranking, None)
            rows, _ = candidate_rows(data, int(post), ranking, depth)
            top = order[:depth]
            boosted = [top[i] for i in np.argsort(-model.predict_proba(rows)[:, 1], kind="stable")]
            ranked[post] = boosted + order[depth:]
    return scores(ranked, data.relevant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--pool-sample",
        type=int,
        help="a smaller pool: the judged queries' relevant claims plus the first N other claims of vclaims.jsonl "
        "(file order); figures are then on that pool, not the full one",
    )
    parser.add_argument("--chosen-only", action="store_true", help="only the settings 'kb calibrate' chooses among")
    args = parser.parse_args()

    from functions.cli.common import cached_embedder
    from functions.match.engine.calibrate import labelled_posts_from_files
    from functions.match.engine.rerank import RERANK_FEATURES
    from functions.match.engine.rerank_training import DEPTHS, STRENGTHS, cross_validate, fit_pairwise
    from functions.shared.settings import get_settings

    started = time.perf_counter()
    qrels = [EVAL / "CT2022-Task2A-EN-Train_QRELs.tsv", EVAL / "CT2022-Task2A-EN-Dev_QRELs.tsv"]
    pool = EVAL / "vclaims.jsonl" if args.pool_sample is None else sample_pool(qrels, args.pool_sample)
    with cached_embedder(get_settings(), "onnx", True) as embedder:
        data = labelled_posts_from_files(pool, EVAL / "CT2022-Task2A-EN-Train-Dev_Queries.tsv", qrels, embedder, 30)
    figures: dict[str, Any] = {"posts": len(data.candidates), "claims": len(data.index.claim_ids)}
    figures.update({"folds": args.folds, "seed": args.seed})
    figures["embedding_and_candidates_s"] = round(time.perf_counter() - started, 1)
    cv = partial(cross_validate, data, folds=args.folds, seed=args.seed)
    first_stage_only: Sequence[str] = RERANK_FEATURES[:12]
    word_level: Sequence[str] = ("first_logit", *RERANK_FEATURES[12:])
    for depth in DEPTHS:
        for c in STRENGTHS:
            result = cv(depth, c)
            figures["first stage alone"] = result["first_stage"]
            figures[f"pairwise depth={depth} C={c}"] = result["reranked"]
        if args.chosen_only:
            continue
        figures[f"pairwise depth={depth} C=1.0, first-stage features only"] = cv(
            depth, 1.0, partial(fit_pairwise, features=first_stage_only)
        )["reranked"]
        figures[f"pairwise depth={depth} C=1.0, word-level + first_logit"] = cv(
            depth, 1.0, partial(fit_pairwise, features=word_level)
        )["reranked"]
        figures[f"pointwise depth={depth} C=1.0"] = cv(depth, 1.0, fit_pointwise)["reranked"]
        figures[f"gradient boosting depth={depth}"] = boosted_cv(data, depth, args.folds, args.seed)
    figures["total_s"] = round(time.perf_counter() - started, 1)
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
