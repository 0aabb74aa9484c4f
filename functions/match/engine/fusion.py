"""Fusing dense and lexical evidence into one score per (post, claim).

Rank fusion (RRF) throws away how *strong* each signal is, and a decision needs a score that means the same thing
from one post to the next. So the fused score is a logistic model over a handful of features from both retrievers,
fitted on real labelled pairs (``antidote kb calibrate``); its weights live in ``knowledge_base/calibration.json``
and are copied into each index manifest, never written into code.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field, model_validator

FEATURES: tuple[str, ...] = (
    "cos_primary",  # cosine to the claim's canonical text
    "cos_best",  # best cosine over all the claim's phrasings
    "cos_gap",  # cos_best minus the best cosine of any claim for this post (0 for the top dense claim)
    "bm25_relative",  # BM25 of the claim over the best BM25 for this post
    "bm25_log",  # log(1 + BM25): absolute lexical evidence
    "dense_rr",  # 1 / (1 + rank) among dense candidates
    "bm25_rr",  # 1 / (1 + rank) among lexical candidates
)


class FusionModel(BaseModel):
    features: list[str] = Field(default_factory=lambda: list(FEATURES))
    weights: list[float]
    bias: float

    @model_validator(mode="after")
    def _same_features(self) -> FusionModel:
        if tuple(self.features) != FEATURES or len(self.weights) != len(FEATURES):
            raise ValueError(f"fusion model must have weights for exactly {list(FEATURES)}")
        return self

    def score(self, features: np.ndarray) -> np.ndarray:
        logits = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return 1.0 / (1.0 + np.exp(-logits))


def fit_fusion(features: np.ndarray, labels: np.ndarray) -> FusionModel:
    """Logistic regression over candidate features; deterministic (lbfgs, no sampling)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(features, labels.astype(int))
    return FusionModel(
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
