"""Candidate generation and scoring: FAISS and BM25 each propose claims, the fusion model scores the union."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from functions.match.engine.fusion import FEATURES, LinearModel
from functions.match.engine.index import ClaimIndex, IndexedText
from functions.match.engine.rerank import Reranker, rerank_order, text_terms


@dataclass(frozen=True)
class ScoredClaim:
    claim_id: str
    score: float  # confidence that the post repeats this claim, 0..1
    rank_score: float  # the ranking model's score, which orders the list
    dense: float  # best cosine over the claim's phrasings
    lexical: float  # best BM25 over the claim's phrasings
    closest: IndexedText  # the phrasing nearest in meaning, to show a reviewer why it matched


@dataclass(frozen=True)
class Candidates:
    """The claims proposed for one post with their feature rows (aligned), before fusion."""

    claims: np.ndarray  # claim positions in the index
    features: np.ndarray  # (len(claims), len(FEATURES))
    dense: np.ndarray
    lexical: np.ndarray
    closest_rows: np.ndarray
    query_text: str = ""  # the normalised post, for the re-ranker's word-level features
    query_tokens: tuple[str, ...] = ()  # its BM25 tokens


def _dense_ranking(index: ClaimIndex, rows: np.ndarray, depth: int) -> list[int]:
    ranking: list[int] = []
    seen: set[int] = set()
    for row in rows:
        if row < 0:
            break
        claim = int(index.row_claim[row])
        if claim not in seen:
            seen.add(claim)
            ranking.append(claim)
            if len(ranking) == depth:
                break
    return ranking


def generate_candidates(
    index: ClaimIndex,
    query_vectors: np.ndarray,
    query_tokens: list[list[str]],
    depth: int,
    query_texts: list[str] | None = None,
) -> list[Candidates]:
    """Top ``depth`` claims from each retriever, with the features the fusion model reads. ``query_texts`` (the
    normalised posts) are kept for the re-ranker."""
    texts = query_texts if query_texts is not None else [""] * len(query_tokens)
    if not index.texts:
        empty = np.zeros(0, dtype=np.int64)
        return [Candidates(empty, np.zeros((0, len(FEATURES))), empty, empty, empty) for _ in query_tokens]
    search_rows = min(index.dense.ntotal, depth * 8)
    _, hits = index.dense.search(np.ascontiguousarray(query_vectors, dtype=np.float32), search_rows)
    out = []
    for q, tokens in enumerate(query_tokens):
        dense_rank = _dense_ranking(index, hits[q], depth)
        row_bm25 = index.lexical.get_scores(tokens) if tokens else np.zeros(len(index.texts))
        claim_bm25 = np.maximum.reduceat(np.asarray(row_bm25, dtype=np.float64), index.claim_start)
        top_lexical = np.argsort(-claim_bm25, kind="stable")[:depth]
        lexical_rank = [int(c) for c in top_lexical if claim_bm25[c] > 0]

        claims = sorted(set(dense_rank) | set(lexical_rank))
        dense_pos = {c: r for r, c in enumerate(dense_rank)}
        lexical_pos = {c: r for r, c in enumerate(lexical_rank)}
        vector = query_vectors[q]
        best_bm25 = float(claim_bm25[lexical_rank[0]]) if lexical_rank else 0.0

        cos_primary = np.empty(len(claims))
        cos_best = np.empty(len(claims))
        closest = np.empty(len(claims), dtype=np.int64)
        for i, claim in enumerate(claims):
            span = index.claim_rows(claim)
            rows = slice(span.start, span.stop)
            sims = index.vectors[rows] @ vector
            cos_primary[i] = sims[0]
            cos_best[i] = sims.max()
            closest[i] = rows.start + int(sims.argmax())
        top_cos = cos_best.max() if claims else 0.0
        second_cos = np.sort(cos_best)[-2] if len(claims) > 1 else 0.0
        # For the best claim, the margin over the runner-up; for every other claim, its (negative) gap to the best.
        cos_margin = np.where(cos_best >= top_cos, cos_best - second_cos, cos_best - top_cos)
        lexical = np.asarray([claim_bm25[c] for c in claims])
        columns = {
            "cos_primary": cos_primary,
            "cos_best": cos_best,
            "cos_gap": cos_best - top_cos,
            "cos_margin": cos_margin,
            "bm25_relative": lexical / best_bm25 if best_bm25 > 0 else np.zeros(len(claims)),
            "bm25_log": np.log1p(lexical),
            "dense_rr": np.asarray([1.0 / (1 + dense_pos.get(c, depth)) for c in claims]),
            "bm25_rr": np.asarray([1.0 / (1 + lexical_pos.get(c, depth)) for c in claims]),
        }
        features = np.column_stack([columns[name] for name in FEATURES]).reshape(len(claims), len(FEATURES))
        claim_array = np.asarray(claims, dtype=np.int64)
        out.append(Candidates(claim_array, features, cos_best, lexical, closest, texts[q], tuple(tokens)))
    return out


def ranked_order(
    index: ClaimIndex, candidates: Candidates, ranking: LinearModel, reranker: Reranker | None = None
) -> tuple[list[int], np.ndarray]:
    """Candidate positions best first — the fusion model's order, its top re-ordered by the re-ranker when there is
    one — and the fusion model's scores."""
    rank_scores = ranking.score(candidates.features)
    order = sorted(range(len(rank_scores)), key=lambda i: (-rank_scores[i], index.claim_ids[candidates.claims[i]]))
    if reranker is not None and order:
        post = text_terms(candidates.query_text, list(candidates.query_tokens))
        order = rerank_order(index, post, candidates.claims, candidates.features, rank_scores, order, reranker)
    return order, rank_scores


def rank_candidates(
    index: ClaimIndex,
    candidates: Candidates,
    ranking: LinearModel,
    confidence: LinearModel,
    top_k: int,
    reranker: Reranker | None = None,
) -> list[ScoredClaim]:
    """The best ``top_k`` candidates. Each keeps its own confidence, so the decision reads the confidence of
    whichever claim ends up first."""
    if len(candidates.claims) == 0:
        return []
    order, rank_scores = ranked_order(index, candidates, ranking, reranker)
    confidences = confidence.score(candidates.features)
    return [
        ScoredClaim(
            claim_id=index.claim_ids[candidates.claims[i]],
            score=float(confidences[i]),
            rank_score=float(rank_scores[i]),
            dense=float(candidates.dense[i]),
            lexical=float(candidates.lexical[i]),
            closest=index.texts[int(candidates.closest_rows[i])],
        )
        for i in order[:top_k]
    ]
