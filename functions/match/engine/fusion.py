"""Fusing dense and lexical evidence into one score per (post, claim).

Two logistic models over features from both retrievers, both fitted on real labelled data by
``antidote kb calibrate``; their weights live in ``knowledge_base/calibration.json`` and are copied into each index
manifest, never written into code:
- the *ranking* model orders a post's candidate claims (rank fusion, RRF, throws away how strong each signal is);
- the *confidence* model says how likely it is that the post really repeats its best claim, which decides
  ``match`` / ``review`` / ``none``.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, model_validator

FEATURES: tuple[str, ...] = (
    "cos_primary",  # cosine to the claim's canonical text
    "cos_best",  # best cosine over all the claim's phrasings
    "cos_gap",  # cos_best minus the best cosine of any claim for this post (0 for the top dense claim)
    "cos_margin",  # cos_best minus the best cosine of any *other* claim: how much this claim stands out
    "bm25_relative",  # BM25 of the claim over the best BM25 for this post
    "bm25_log",  # log(1 + BM25): absolute lexical evidence
    "dense_rr",  # 1 / (1 + rank) among dense candidates
    "bm25_rr",  # 1 / (1 + rank) among lexical candidates
)
RANKING_FEATURES = ("cos_primary", "cos_best", "cos_gap", "bm25_relative", "bm25_log", "dense_rr", "bm25_rr")
# Confidence must mean the same from one post to the next, so it reads only absolute evidence and how far the
# claim stands out: relative features make every post's best claim look good, even for posts about nothing known.
CONFIDENCE_FEATURES = ("cos_primary", "cos_best", "cos_margin", "bm25_log")


class LinearModel(BaseModel):
    """A logistic model over named candidate features."""

    features: list[str]
    weights: list[float]
    bias: float

    @model_validator(mode="after")
    def _known_features(self) -> LinearModel:
        unknown = [f for f in self.features if f not in FEATURES]
        if unknown or len(self.weights) != len(self.features):
            raise ValueError(f"model needs one weight per feature, features from {list(FEATURES)}")
        return self

    def score(self, features: np.ndarray) -> np.ndarray:
        """``features`` has one column per name in FEATURES; returns a probability per row."""
        columns = [FEATURES.index(f) for f in self.features]
        logits = features[:, columns] @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))


def fit_linear_model(features: np.ndarray, labels: np.ndarray, names: tuple[str, ...]) -> LinearModel:
    """Logistic regression on the named columns; deterministic (lbfgs, no sampling)."""
    from sklearn.linear_model import LogisticRegression

    columns = [FEATURES.index(f) for f in names]
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(features[:, columns], labels.astype(int))
    return LinearModel(
        features=list(names),
        weights=[round(float(w), 6) for w in model.coef_[0]],
        bias=round(float(model.intercept_[0]), 6),
    )


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> list[str]:
    """The classic baseline, kept for comparison in the evaluation report."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores, key=lambda item: (-scores[item], item))
