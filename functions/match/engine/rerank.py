"""Re-ranking the fused list's top candidates with what the first stage cannot see.

The first stage (``fusion.py``: a logistic model over dense and BM25 scores) puts the right claim in its top five
for almost every post, but not always first. The re-ranker looks again at its top ``depth`` candidates with
features that compare the post with each claim's own phrasings word by word — shared stemmed words and word pairs,
character trigrams, numbers and capitalised names the post and the claim share or disagree on, lengths — next to
the first stage's own evidence (its score and rank, each retriever's score and rank, reciprocal-rank fusion), and
orders them by a linear model fitted pairwise on labelled posts by ``antidote kb calibrate``
(``rerank_training.py``). Plain numpy and sets at run time: no scikit-learn in the match function.

The weights live in the calibration (``knowledge_base/calibration.json``), which every index manifest copies, so
the knowledge-base matcher and ``antidote eval`` rank with the same model.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field, model_validator

from functions.match.engine.fusion import FEATURES
from functions.match.engine.index import ClaimIndex
from functions.match.engine.phrasings import PhrasingTable

RRF_K = 60  # the reciprocal-rank-fusion constant of the baseline in fusion.py

RERANK_FEATURES: tuple[str, ...] = (
    # the first stage's own view
    "first_logit",  # the first stage's score (logit)
    "first_gap",  # first_logit minus the best first_logit among the re-ranked candidates
    "first_rr",  # 1 / (1 + position) in the first stage's order
    "cos_primary",
    "cos_best",
    "cos_gap",
    "bm25_relative",
    "bm25_log",
    "dense_rr",
    "bm25_rr",
    "rrf",  # reciprocal-rank fusion of the two retrievers' ranks (k = 60), scaled by k
    "cos_z",  # cos_best standardised among the re-ranked candidates
    # the post against the claim's phrasings, word by word
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

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’-]+")
_SENTENCE_END = ".!?:;…\n"


class Reranker(BaseModel):
    """A linear scorer over ``RERANK_FEATURES``, applied to the first stage's top ``depth`` candidates."""

    features: list[str]
    weights: list[float]
    depth: int = Field(ge=2, le=100, description="How many of the first stage's top candidates are re-ordered.")
    provenance: dict[str, object] = Field(default_factory=dict, description="How it was fitted and measured.")

    @model_validator(mode="after")
    def _known_features(self) -> Reranker:
        unknown = [f for f in self.features if f not in RERANK_FEATURES]
        if unknown or len(self.weights) != len(self.features):
            raise ValueError(f"re-ranker needs one weight per feature, features from {list(RERANK_FEATURES)}")
        return self

    def score(self, rows: np.ndarray) -> np.ndarray:
        """``rows`` has one column per name in RERANK_FEATURES; a higher score ranks higher."""
        columns = [RERANK_FEATURES.index(f) for f in self.features]
        return np.asarray(rows[:, columns] @ np.asarray(self.weights, dtype=np.float64))


@dataclass(frozen=True)
class Terms:
    """What the word-level features compare, for one text (a post or an indexed phrasing)."""

    words: frozenset[str]  # stemmed, stopwords removed: the BM25 tokenizer's output
    pairs: frozenset[tuple[str, str]]
    trigrams: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]  # lower-cased capitalised words that do not open a sentence
    lowered_words: frozenset[str]  # every word of the text, lower-cased, for finding a post's names in it
    length: int  # distinct words


def _opens_sentence(text: str, start: int) -> bool:
    """A capital that opens a sentence says nothing about names."""
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in _SENTENCE_END


def text_terms(text: str, words: list[str]) -> Terms:
    """``text`` normalised as the matcher normalises posts; ``words`` its BM25 tokens."""
    lowered = text.lower()
    squeezed = " ".join(lowered.split())
    names = {m.group(0).lower() for m in _CAPITALISED.finditer(text) if not _opens_sentence(text, m.start())}
    return Terms(
        words=frozenset(words),
        pairs=frozenset(itertools.pairwise(words)),
        trigrams=frozenset(squeezed[i : i + 3] for i in range(max(len(squeezed) - 2, 0))),
        numbers=frozenset(n.replace(",", "") for n in _NUMBER.findall(text)),
        names=frozenset(names),
        lowered_words=frozenset(re.findall(r"[\w'’-]+", lowered)),
        length=len(set(words)),
    )


@dataclass(frozen=True)
class ClaimTerms:
    """What all of one claim's phrasings say together."""

    words: frozenset[str]
    numbers: frozenset[str]
    lowered_words: frozenset[str]


def _claim_terms(index: ClaimIndex, table: PhrasingTable, claim: int) -> ClaimTerms:
    key = ("claim", claim)
    if key not in index.rerank_cache:
        rows = index.claim_rows(claim)
        found = [text_terms(table.texts[r], []) for r in rows]
        words = table.word_ids[table.word_ptr[rows.start] : table.word_ptr[rows.stop]]
        vocabulary = list(table.word_of)
        index.rerank_cache[key] = ClaimTerms(
            words=frozenset(vocabulary[i] for i in words),
            numbers=frozenset().union(*(t.numbers for t in found)),
            lowered_words=frozenset().union(*(t.lowered_words for t in found)),
        )
    return index.rerank_cache[key]  # type: ignore[no-any-return]


def _trigrams(index: ClaimIndex, table: PhrasingTable, row: int) -> frozenset[str]:
    key = ("trigrams", row)
    if key not in index.rerank_cache:
        index.rerank_cache[key] = text_terms(table.texts[row], []).trigrams
    return index.rerank_cache[key]  # type: ignore[no-any-return]


def _hits(
    pointers: np.ndarray, ids: np.ndarray, vocabulary: int, wanted: list[int], spans: list[range]
) -> tuple[np.ndarray, np.ndarray]:
    """For every row of ``spans``: how many of its ids are ``wanted``, and how many ids it has."""
    lengths = np.concatenate(
        [pointers[span.start + 1 : span.stop + 1] - pointers[span.start : span.stop] for span in spans]
    )
    segment = np.concatenate([ids[pointers[span.start] : pointers[span.stop]] for span in spans])
    mask = np.zeros(vocabulary + 1, dtype=bool)
    mask[wanted] = True
    running = np.zeros(len(segment) + 1, dtype=np.int64)
    np.cumsum(mask[segment], out=running[1:])
    ends = np.cumsum(lengths)
    return (running[ends] - running[ends - lengths]).astype(np.float64), lengths.astype(np.float64)


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(whole) if whole else 0.0


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    shared = len(left & right)
    union = len(left) + len(right) - shared
    return shared / union if union else 0.0


def overlap_features(index: ClaimIndex, post: Terms, claims: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Word-level features (the last ten of RERANK_FEATURES) for the candidates at positions ``chosen``."""
    table = index.phrasings
    positions = [int(claims[i]) for i in chosen]
    spans = [index.claim_rows(claim) for claim in positions]
    known_words = [table.word_of[w] for w in post.words if w in table.word_of]
    word_hits, word_lengths = _hits(table.word_ptr, table.word_ids, len(table.word_of), known_words, spans)
    known_pairs = [table.pair_of[p] for p in post.pairs if p in table.pair_of]
    pair_hits, _ = _hits(table.pair_ptr, table.pair_ids, len(table.pair_of), known_pairs, spans)
    cover = np.divide(word_hits, word_lengths, out=np.zeros_like(word_hits), where=word_lengths > 0)
    union = len(post.words) + word_lengths - word_hits
    jaccard = np.divide(word_hits, union, out=np.zeros_like(word_hits), where=union > 0)
    rows = []
    first = 0
    for claim, span in zip(positions, spans, strict=True):
        group = slice(first, first + len(span))
        first += len(span)
        best = group.start + int(np.argmax(jaccard[group]))
        terms = _claim_terms(index, table, claim)
        found_names = len(post.names & terms.lowered_words)
        rows.append(
            [
                float(cover[group].max()),
                _share(terms.words, post.words),
                float(jaccard[best]),
                math.log1p(float(pair_hits[group].max())),
                _jaccard(post.trigrams, _trigrams(index, table, span.start + best - group.start)),
                float(bool(post.numbers & terms.numbers)),
                float(bool(post.numbers) and bool(terms.numbers) and not post.numbers & terms.numbers),
                found_names / len(post.names) if post.names else 0.0,
                math.log1p(len(post.names) - found_names),
                math.log((word_lengths[best] + 1) / (post.length + 1)),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(chosen), 10)


def rerank_features(first: np.ndarray, first_scores: np.ndarray, order: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    """All of RERANK_FEATURES for the candidates ``order`` (the first stage's top, best first).

    ``first`` holds their FEATURES rows (all candidates), ``first_scores`` the first stage's probabilities, and
    ``overlap`` the word-level rows of ``order``'s candidates, in that order."""
    rows = first[order]
    logit = np.log(np.clip(first_scores[order], 1e-9, 1.0) / np.clip(1.0 - first_scores[order], 1e-9, 1.0))
    dense_rr = rows[:, FEATURES.index("dense_rr")]
    bm25_rr = rows[:, FEATURES.index("bm25_rr")]
    cos_best = rows[:, FEATURES.index("cos_best")]
    spread = cos_best.std()
    columns = [
        logit,
        logit - logit.max(),
        1.0 / (1.0 + np.arange(len(order))),
        *(rows[:, FEATURES.index(name)] for name in RERANK_FEATURES[3:10]),
        # 1 / (1 + rank) back to a rank, then k / (k + 1 + rank) for each retriever
        RRF_K / (RRF_K + 1 / dense_rr) + RRF_K / (RRF_K + 1 / bm25_rr),
        (cos_best - cos_best.mean()) / spread if spread > 0 else np.zeros(len(order)),
    ]
    return np.column_stack([*columns, overlap]).reshape(len(order), len(RERANK_FEATURES))


def rerank_order(
    index: ClaimIndex,
    post: Terms,
    claims: np.ndarray,
    first: np.ndarray,
    first_scores: np.ndarray,
    order: list[int],
    reranker: Reranker,
) -> list[int]:
    """``order`` (the first stage's, best first) with its top ``reranker.depth`` re-ordered by the re-ranker;
    ties keep the first stage's order."""
    top = np.asarray(order[: reranker.depth], dtype=np.int64)
    if len(top) < 2:
        return order
    overlap = overlap_features(index, post, claims, top)
    scores = reranker.score(rerank_features(first, first_scores, top, overlap))
    reordered = [int(top[i]) for i in np.argsort(-scores, kind="stable")]
    return reordered + order[reranker.depth :]
