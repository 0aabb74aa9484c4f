"""Sentiment per matched post, so trends can show when the conversation around a claim turns negative.

VADER's lexicon ships inside the ``vaderSentiment`` wheel (no download) and is built for short social text; it is
English only, so a post in another language gets no score (``None``) rather than a wrong one. Its accuracy on the
project's labelled sample: ``scripts/benchmarks/sentiment.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEGATIVE_BELOW = -0.05  # VADER's own convention: compound <= -0.05 is negative, >= 0.05 positive
SCORED_LANGUAGES = frozenset({"en"})


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str, language: str | None) -> float | None:
    """VADER's compound score in [-1, 1] for an English post; None for any other (or unknown) language."""
    if language not in SCORED_LANGUAGES:
        return None
    return round(float(_analyzer().polarity_scores(text)["compound"]), 4)


def is_negative(score: float | None) -> bool:
    return score is not None and score <= NEGATIVE_BELOW
