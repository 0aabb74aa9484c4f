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
# The post against one claim's own phrasings, word by word (``rerank.overlap_features`` computes them, for the
# re-ranker and for the confidence model).
WORD_FEATURES: tuple[str, ...] = (
    "claim_word_cover",  # best share of a phrasing's words (stemmed, no stopwords) that the post uses
    "post_word_cover",  # share of the post's words found in any of the claim's phrasings
    "word_jaccard",  # best Jaccard of the words of the post and one phrasing
    "pair_overlap",  # log(1 + word pairs shared with the best phrasing)
    "trigram_jaccard",  # Jaccard of lower-cased character trigrams with the phrasing closest in words
    "numbers_shared",  # 1 when a number in the post appears in the claim
    "numbers_conflict",  # 1 when both carry numbers and share none
    "names_cover",  # share of the post's capitalised words (names, places) found in the claim
    "names_missing",  # log(1 + capitalised words of the post the claim lacks)
    "length_ratio",  # log of the best phrasing's word count over the post's
)
CANDIDATE_FEATURES = FEATURES + WORD_FEATURES  # what a model over one candidate may read
RANKING_FEATURES = ("cos_primary", "cos_best", "cos_gap", "bm25_relative", "bm25_log", "dense_rr", "bm25_rr")
# Confidence must mean the same from one post to the next, so it reads only absolute evidence and how far the
# claim stands out: relative features make every post's best claim look good, even for posts about nothing known.
# How much of the post the claim's own words account for tells a post that repeats the claim from one that only
# shares its topic (docs/decisions.md, "The confidence model reads how much of the post the claim accounts for").
CONFIDENCE_FEATURES = ("cos_primary", "cos_best", "cos_margin", "bm25_log", "post_word_cover")
# The multilingual calibration keeps the dense and BM25 evidence alone (its word features were not measured).
MULTILINGUAL_CONFIDENCE_FEATURES = ("cos_primary", "cos_best", "cos_margin", "bm25_log")


class LinearModel(BaseModel):
    """A logistic model over named candidate features."""

    features: list[str]
    weights: list[float]
    bias: float

    @model_validator(mode="after")
    def _known_features(self) -> LinearModel:
        unknown = [f for f in self.features if f not in CANDIDATE_FEATURES]
        if unknown or len(self.weights) != len(self.features):
            raise ValueError(f"model needs one weight per feature, features from {list(CANDIDATE_FEATURES)}")
        return self

    @property
    def reads_words(self) -> bool:
        """Whether scoring needs the word-level features beside the retrievers' FEATURES."""
        return any(f in WORD_FEATURES for f in self.features)

    def score(self, features: np.ndarray, names: tuple[str, ...] = FEATURES) -> np.ndarray:
        """``features`` has one column per name in ``names`` (FEATURES, or CANDIDATE_FEATURES when the model
        reads words); returns a probability per row."""
        columns = [names.index(f) for f in self.features]
        logits = features[:, columns] @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))


def fit_linear_model(
    features: np.ndarray, labels: np.ndarray, names: tuple[str, ...], columns_of: tuple[str, ...] = FEATURES
) -> LinearModel:
    """Logistic regression on the named columns of ``features`` (whose columns are ``columns_of``); deterministic
    (lbfgs, no sampling)."""
    from sklearn.linear_model import LogisticRegression

    columns = [columns_of.index(f) for f in names]
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
