"""Fitting the re-ranker (``rerank.py``) and measuring it by cross-validation. Build time only (scikit-learn).

``antidote kb calibrate`` calls this with the CheckThat! training and development tweets against their full claim
pool. The model is a logistic regression on *pairs* within a post — each relevant candidate's feature row minus
each irrelevant one's (and the reverse), standardised, no intercept — so it learns what puts the right claim above
the others for the same post, which is all an order needs. The figures it reports are cross-validated: folds of
posts (a fixed seed), and in each fold the first stage *and* the re-ranker are fitted on the other folds, so
neither has seen the posts it is measured on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from functions.match.engine.evaluation import summarise
from functions.match.engine.fusion import RANKING_FEATURES, LinearModel, fit_linear_model
from functions.match.engine.index import ClaimIndex
from functions.match.engine.rerank import (
    RERANK_FEATURES,
    Reranker,
    overlap_features,
    rerank_features,
    text_terms,
)
from functions.match.engine.retrieval import Candidates, ranked_order

DEPTHS = (5, 10)  # how many of the first stage's top candidates to re-order: chosen by cross-validation
STRENGTHS = (0.1, 1.0)  # inverse L2 regularisation (scikit-learn's C): chosen by cross-validation
FOLDS = 5
SEED = 13


@dataclass
class LabelledPosts:
    """Posts with their candidates (from ``generate_candidates``) and which candidates are right."""

    index: ClaimIndex
    candidates: list[Candidates]
    relevant: list[set[str]]  # claim ids judged relevant, per post

    def labels(self, post: int) -> np.ndarray:
        found = self.candidates[post]
        return np.array([self.index.claim_ids[c] in self.relevant[post] for c in found.claims], dtype=bool)


Fitter = Callable[[LabelledPosts, Sequence[int], LinearModel, int, float], Reranker]
ALL = tuple(RERANK_FEATURES)


def fit_first_stage(data: LabelledPosts, posts: Sequence[int]) -> LinearModel:
    """The fusion model's ranking weights, fitted on the candidates of ``posts``."""
    features = np.vstack([data.candidates[p].features for p in posts])
    labels = np.concatenate([data.labels(p) for p in posts])
    return fit_linear_model(features, labels, RANKING_FEATURES)


def candidate_rows(data: LabelledPosts, post: int, ranking: LinearModel, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """RERANK_FEATURES rows of the first stage's top ``depth`` candidates of ``post``, and their labels."""
    found = data.candidates[post]
    order, scores = ranked_order(data.index, found, ranking)
    top = np.asarray(order[:depth], dtype=np.int64)
    terms = text_terms(found.query_text, list(found.query_tokens))
    rows = rerank_features(found.features, scores, top, overlap_features(data.index, terms, found.claims, top))
    return rows, data.labels(post)[top]


def training_rows(
    data: LabelledPosts, posts: Sequence[int], ranking: LinearModel, depth: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per post, its candidate rows and labels; posts whose right claim is not among them teach nothing."""
    out = []
    for post in posts:
        rows, labels = candidate_rows(data, post, ranking, depth)
        if labels.any() and not labels.all():
            out.append((rows, labels))
    return out


def standardised_groups(
    data: LabelledPosts, posts: Sequence[int], ranking: LinearModel, depth: int, features: Sequence[str]
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """The training groups on the chosen columns, divided by each column's spread, and that spread (the fitted
    weights are divided by it again, so the stored model reads raw features)."""
    columns = [RERANK_FEATURES.index(f) for f in features]
    groups = [(rows[:, columns], labels) for rows, labels in training_rows(data, posts, ranking, depth)]
    spread = np.vstack([rows for rows, _ in groups]).std(axis=0)
    scale = np.where(spread > 1e-9, spread, 1.0)
    return [(rows / scale, labels) for rows, labels in groups], scale


def reranker_from(coefficients: np.ndarray, scale: np.ndarray, features: Sequence[str], depth: int) -> Reranker:
    weights = coefficients / scale
    return Reranker(features=list(features), weights=[round(float(w), 6) for w in weights], depth=depth)


def fit_pairwise(
    data: LabelledPosts,
    posts: Sequence[int],
    ranking: LinearModel,
    depth: int,
    c: float,
    features: Sequence[str] = ALL,
) -> Reranker:
    """Logistic regression on within-post differences (right minus wrong, and wrong minus right)."""
    from sklearn.linear_model import LogisticRegression

    groups, scale = standardised_groups(data, posts, ranking, depth, features)
    pairs = np.vstack(
        [(rows[labels][:, None, :] - rows[~labels][None, :, :]).reshape(-1, len(features)) for rows, labels in groups]
    )
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(np.vstack([pairs, -pairs]), np.concatenate([np.ones(len(pairs)), np.zeros(len(pairs))]))
    return reranker_from(model.coef_[0], scale, features, depth)


def ranked_ids(data: LabelledPosts, post: int, ranking: LinearModel, reranker: Reranker | None) -> list[str]:
    order, _ = ranked_order(data.index, data.candidates[post], ranking, reranker)
    return [data.index.claim_ids[data.candidates[post].claims[i]] for i in order]


def scores(rankings: list[list[str]], relevant: list[set[str]]) -> dict[str, float]:
    """MAP@1, MAP@5 and R@5, computed by ``evaluation.summarise``."""
    report = summarise({str(i): r for i, r in enumerate(rankings)}, {str(i): s for i, s in enumerate(relevant)})
    return {k: round(float(report[k]), 4) for k in ("map@1", "map@5", "recall@5")}


def fold_of(posts: int, folds: int, seed: int) -> np.ndarray:
    """Each post's fold: a seeded permutation dealt round-robin, so folds differ in size by one at most."""
    return np.random.default_rng(seed).permutation(posts) % folds


def cross_validate(
    data: LabelledPosts, depth: int, c: float, fit: Fitter = fit_pairwise, folds: int = FOLDS, seed: int = SEED
) -> dict[str, dict[str, float]]:
    """First stage alone and first stage + re-ranker, each post ranked by models fitted without its fold."""
    assignment = fold_of(len(data.candidates), folds, seed)
    first: list[list[str]] = [[] for _ in data.candidates]
    reranked: list[list[str]] = [[] for _ in data.candidates]
    for fold in range(folds):
        train = [p for p in range(len(data.candidates)) if assignment[p] != fold]
        ranking = fit_first_stage(data, train)
        reranker = fit(data, train, ranking, depth, c)
        for post in np.flatnonzero(assignment == fold):
            first[post] = ranked_ids(data, int(post), ranking, None)
            reranked[post] = ranked_ids(data, int(post), ranking, reranker)
    return {"first_stage": scores(first, data.relevant), "reranked": scores(reranked, data.relevant)}


def fit_reranker(
    data: LabelledPosts, ranking: LinearModel, seed: int = SEED, log: Callable[[str], None] | None = None
) -> Reranker:
    """Choose depth and regularisation by cross-validated MAP@5, then fit on every post with the given first stage;
    the provenance records every setting's cross-validated figures."""
    measured: dict[str, dict[str, dict[str, float]]] = {}
    for depth in DEPTHS:
        for c in STRENGTHS:
            measured[f"depth={depth} C={c}"] = cross_validate(data, depth, c, seed=seed)
            if log:
                log(f"re-ranker depth={depth} C={c}: {measured[f'depth={depth} C={c}']}")
    best = max(measured, key=lambda k: (measured[k]["reranked"]["map@5"], measured[k]["reranked"]["map@1"]))
    depth, c = int(best.split()[0].split("=")[1]), float(best.split()[1].split("=")[1])
    reranker = fit_pairwise(data, range(len(data.candidates)), ranking, depth, c)
    return reranker.model_copy(
        update={
            "provenance": {
                "fit": "pairwise logistic regression (scikit-learn), standardised features, no intercept",
                "posts": len(data.candidates),
                "chosen": best,
                "cross_validation": {"folds": FOLDS, "seed": seed, "by_setting": measured},
            }
        }
    )
