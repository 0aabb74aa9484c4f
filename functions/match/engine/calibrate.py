"""Learning the fusion weights and the decision thresholds from data (``antidote kb calibrate``).

- Fusion weights: a logistic model over candidate features, fitted on labelled (post, claim) pairs — the
  CheckThat! training queries against their full claim pool.
- Thresholds on the health knowledge base:
  * ``match``: the lowest score that unrelated posts (real tweets that match nothing in the KB) reach at most
    ``match_false_positive_rate`` of the time; a wrong correction insults a person, so this target is strict.
  * ``review``: the same with the looser ``review_false_positive_rate``, so reviewers see plausible candidates.
  Positives come from the KB itself, two-fold: half of each claim's phrasings are indexed, the other half query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from functions.match.engine.artifact import kb_index_texts
from functions.match.engine.embedder import Embedder
from functions.match.engine.evaluation import prepare_queries, read_claims, read_qrels, read_queries
from functions.match.engine.fusion import FusionModel, fit_fusion
from functions.match.engine.index import build_index, tokenize
from functions.match.engine.retrieval import generate_candidates, rank_candidates
from functions.shared.knowledge_base import KnowledgeBase

MIN_WORDS_FOR_MATCH = 4  # policy, not a fitted number: fewer words than this rarely state a claim


@dataclass
class ThresholdFit:
    match: float
    review: float
    negatives: int
    positives: int
    positive_recall_at_match: float
    positive_recall_at_review: float
    positive_top1_accuracy: float


def fit_fusion_from_files(
    claims_path: Path,
    queries_path: Path,
    qrels_path: Path,
    embedder: Embedder,
    depth: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[FusionModel, int]:
    claims = read_claims(claims_path)
    queries = read_queries(queries_path)
    qrels = {q: r for q, r in read_qrels(qrels_path).items() if q in queries}
    index = build_index(claims, embedder, progress)
    prepared = prepare_queries(index, embedder, queries, sorted(qrels), depth)
    features, labels = [], []
    for query_id, found in zip(prepared.ids, prepared.candidates, strict=True):
        features.append(found.features)
        labels.append(np.array([index.claim_ids[c] in qrels[query_id] for c in found.claims]))
    return fit_fusion(np.vstack(features), np.concatenate(labels)), len(prepared.ids)


def _score_at_rate(scores: np.ndarray, rate: float) -> float:
    """The smallest threshold t with mean(scores >= t) <= rate."""
    if len(scores) == 0:
        return 0.5
    ordered = np.sort(scores)[::-1]
    allowed = int(np.floor(rate * len(ordered)))
    # Everything strictly above ordered[allowed] passes; put t just above that score.
    return float(np.nextafter(ordered[allowed], 1.0)) if allowed < len(ordered) else float(ordered[-1])


def _split_phrasings(kb: KnowledgeBase, fold: int) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[tuple[str, str]]]:
    indexed, held = [], []
    for claim_id, texts in kb_index_texts(kb):
        primary, rest = texts[0], texts[1:]
        keep = [primary] + [t for i, t in enumerate(rest) if i % 2 != fold]
        held += [(claim_id, t[1]) for i, t in enumerate(rest) if i % 2 == fold and t[0] == "variant"]
        indexed.append((claim_id, keep))
    return indexed, held


def fit_thresholds(
    kb: KnowledgeBase,
    embedder: Embedder,
    fusion: FusionModel,
    negatives: list[str],
    depth: int,
    match_false_positive_rate: float,
    review_false_positive_rate: float,
) -> ThresholdFit:
    full = build_index(kb_index_texts(kb), embedder)
    negative_vectors = embedder.encode(negatives)
    negative_scores = []
    for found in generate_candidates(full, negative_vectors, tokenize(negatives), depth):
        ranked = rank_candidates(full, found, fusion, 1)
        negative_scores.append(ranked[0].score if ranked else 0.0)
    match = _score_at_rate(np.asarray(negative_scores), match_false_positive_rate)
    review = min(match, _score_at_rate(np.asarray(negative_scores), review_false_positive_rate))

    correct_scores, total, correct = [], 0, 0
    for fold in (0, 1):
        indexed, held = _split_phrasings(kb, fold)
        index = build_index(indexed, embedder)
        texts = [t for _, t in held]
        for (claim_id, _), found in zip(
            held, generate_candidates(index, embedder.encode(texts), tokenize(texts), depth), strict=True
        ):
            ranked = rank_candidates(index, found, fusion, 1)
            total += 1
            if ranked and ranked[0].claim_id == claim_id:
                correct += 1
                correct_scores.append(ranked[0].score)
    scores = np.asarray(correct_scores)
    return ThresholdFit(
        match=round(match, 6),
        review=round(review, 6),
        negatives=len(negatives),
        positives=total,
        positive_recall_at_match=float((scores >= match).sum() / max(total, 1)),
        positive_recall_at_review=float((scores >= review).sum() / max(total, 1)),
        positive_top1_accuracy=correct / max(total, 1),
    )
