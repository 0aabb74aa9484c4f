"""Learning the ranking weights, the confidence model and the decision thresholds from data.

``antidote kb calibrate`` runs this and writes ``knowledge_base/calibration.json``:

- Ranking: a logistic model over candidate features fitted on labelled (post, claim) pairs — the CheckThat!
  training and development tweets against their full 14,231-claim pool.
- Re-ranking: a pairwise linear model over the ranking's top candidates, fitted on the same posts, its depth and
  regularisation chosen by cross-validation on them (``rerank_training.py``).
- Confidence: a logistic model over *absolute* features of a post's best claim, fitted on the health KB:
  positives are the KB's own phrasings, two-fold (half of each claim's phrasings indexed, the other half asked);
  negatives are posts that repeat no KB claim — real tweets (CheckThat!) and the curated on-topic chatter in
  ``knowledge_base/unrelated_posts/`` — plus held-out phrasings whose best claim came out wrong.
- Thresholds: ``match`` is the lowest confidence that each negative set reaches at most its own ``match_rate``
  of the time (a wrong correction insults a person, so these targets are strict); ``review`` likewise with the
  looser ``review_rate``, so reviewers still see plausible candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from functions.match.engine.artifact import kb_index_texts
from functions.match.engine.calibration import Calibration, Thresholds
from functions.match.engine.embedder import Embedder
from functions.match.engine.evaluation import prepare_queries, read_claims, read_qrels, read_queries
from functions.match.engine.fusion import CONFIDENCE_FEATURES, LinearModel, fit_linear_model
from functions.match.engine.index import ClaimIndex, build_index
from functions.match.engine.normalise import normalise_post
from functions.match.engine.rerank import Reranker
from functions.match.engine.rerank_training import SEED, LabelledPosts, fit_first_stage, fit_reranker
from functions.match.engine.retrieval import generate_candidates, ranked_order
from functions.shared.claims import KnowledgeBase

MIN_WORDS_FOR_MATCH = 4  # policy, not a fitted number: fewer words than this rarely state a claim


@dataclass
class NegativeSet:
    """Posts that repeat no KB claim, with how often each may reach 'match' and 'review'."""

    name: str
    posts: list[str]
    match_rate: float
    review_rate: float


@dataclass
class CalibrationReport:
    positives: int
    positive_top1_accuracy: float
    positive_recall_at_match: float
    positive_recall_at_review: float
    negative_rates: dict[str, dict[str, float]] = field(default_factory=dict)


def labelled_posts_from_files(
    claims_path: Path,
    queries_path: Path,
    qrels_paths: list[Path],
    embedder: Embedder,
    depth: int,
    progress: Callable[[int], None] | None = None,
) -> LabelledPosts:
    """The judged queries' candidates against an index of the whole claim pool (every qrels file names queries of
    the one queries file; CheckThat's train and dev judgements do)."""
    claims = read_claims(claims_path)
    queries = read_queries(queries_path)
    qrels: dict[str, set[str]] = {}
    for path in qrels_paths:
        for query, relevant in read_qrels(path).items():
            if query in queries:
                qrels.setdefault(query, set()).update(relevant)
    index = build_index(claims, embedder, progress)
    prepared = prepare_queries(index, embedder, queries, sorted(qrels), depth)
    return LabelledPosts(index, prepared.candidates, [qrels[q] for q in prepared.ids])


def score_at_rate(scores: np.ndarray, rate: float) -> float:
    """The smallest threshold t with mean(scores >= t) <= rate."""
    if len(scores) == 0:
        return 0.0
    ordered = np.sort(scores)[::-1]
    allowed = int(np.floor(rate * len(ordered)))
    if allowed >= len(ordered):
        return float(ordered[-1])
    return float(np.nextafter(ordered[allowed], np.inf))


def best_claims(
    index: ClaimIndex,
    embedder: Embedder,
    texts: list[str],
    ranking: LinearModel,
    depth: int,
    reranker: Reranker | None = None,
) -> tuple[list[str | None], np.ndarray]:
    """Each post's top-ranked claim and that claim's feature row (zeros when nothing was proposed)."""
    normalised = [normalise_post(t).text for t in texts]
    found_all = generate_candidates(index, embedder.encode(normalised), index.tokenize(normalised), depth, normalised)
    best: list[str | None] = []
    rows = []
    for found in found_all:
        if len(found.claims) == 0:
            best.append(None)
            rows.append(np.zeros(found.features.shape[1]))
            continue
        top = ranked_order(index, found, ranking, reranker)[0][0]
        best.append(index.claim_ids[found.claims[top]])
        rows.append(found.features[top])
    return best, np.vstack(rows) if rows else np.zeros((0, 0))


def _split_phrasings(
    kb: KnowledgeBase, fold: int
) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[tuple[str, str]]]:
    """Index the statement and every other phrasing; hold back the rest (English variants) as questions."""
    indexed, held = [], []
    for claim_id, texts in kb_index_texts(kb):
        primary, rest = texts[0], texts[1:]
        indexed.append((claim_id, [primary] + [t for i, t in enumerate(rest) if i % 2 != fold]))
        held += [(claim_id, t[1]) for i, t in enumerate(rest) if i % 2 == fold and t[0] == "variant"]
    return indexed, held


def fit_confidence(
    kb: KnowledgeBase,
    embedder: Embedder,
    ranking: LinearModel,
    negative_sets: list[NegativeSet],
    depth: int,
    min_words_for_match: int = MIN_WORDS_FOR_MATCH,
    reranker: Reranker | None = None,
) -> tuple[LinearModel, Thresholds, CalibrationReport]:
    full = build_index(kb_index_texts(kb), embedder)
    negative_rows = {s.name: best_claims(full, embedder, s.posts, ranking, depth, reranker)[1] for s in negative_sets}

    positive_rows, positive_labels = [], []
    for fold in (0, 1):
        indexed, held = _split_phrasings(kb, fold)
        asked = [t for _, t in held]
        best, rows = best_claims(build_index(indexed, embedder), embedder, asked, ranking, depth, reranker)
        positive_rows.append(rows)
        positive_labels += [claim_id == top for (claim_id, _), top in zip(held, best, strict=True)]
    positives = np.vstack(positive_rows)
    correct = np.asarray(positive_labels, dtype=bool)

    features = np.vstack([positives, *negative_rows.values()])
    labels = np.concatenate([correct, np.zeros(sum(len(r) for r in negative_rows.values()), dtype=bool)])
    confidence = fit_linear_model(features, labels, CONFIDENCE_FEATURES)

    scores = {name: confidence.score(rows) for name, rows in negative_rows.items()}
    sets = {s.name: s for s in negative_sets}
    match = max(score_at_rate(scores[name], sets[name].match_rate) for name in scores)
    review = min(match, max(score_at_rate(scores[name], sets[name].review_rate) for name in scores))
    thresholds = Thresholds(match=round(match, 6), review=round(review, 6), min_words_for_match=min_words_for_match)

    positive_scores = confidence.score(positives)
    report = CalibrationReport(
        positives=len(correct),
        positive_top1_accuracy=float(correct.mean()),
        positive_recall_at_match=float((correct & (positive_scores >= thresholds.match)).mean()),
        positive_recall_at_review=float((correct & (positive_scores >= thresholds.review)).mean()),
        negative_rates={
            name: {
                "posts": len(s),
                "match_rate": float((s >= thresholds.match).mean()),
                "review_rate": float((s >= thresholds.review).mean()),
            }
            for name, s in scores.items()
        },
    )
    return confidence, thresholds, report


def calibrate(
    kb: KnowledgeBase,
    embedder: Embedder,
    labelled: tuple[Path, Path, list[Path]],
    negative_sets: list[NegativeSet],
    depth: int,
    progress: Callable[[int], None] | None = None,
    rerank: bool = False,
    seed: int = SEED,
    log: Callable[[str], None] | None = None,
) -> tuple[Calibration, CalibrationReport]:
    """Ranking on the labelled posts, then (``rerank``) the re-ranker on the same posts, then the confidence model
    and thresholds on the knowledge base, reading the top claim as the whole ranking orders it."""
    posts = labelled_posts_from_files(*labelled, embedder, depth, progress)
    ranking = fit_first_stage(posts, range(len(posts.candidates)))
    trained_on = len(posts.candidates)
    reranker = fit_reranker(posts, ranking, seed, log) if rerank else None
    confidence, thresholds, report = fit_confidence(kb, embedder, ranking, negative_sets, depth, reranker=reranker)
    provenance = {
        "command": "antidote kb calibrate",
        "ranking_fitted_on": [labelled[0].name, labelled[1].name, *(p.name for p in labelled[2])],
        "ranking_training_queries": trained_on,
        "negative_sets": {
            s.name: {"posts": len(s.posts), "match_rate_target": s.match_rate, "review_rate_target": s.review_rate}
            for s in negative_sets
        },
        "kb_version": kb.version,
        "model_id": embedder.model_id,
        "report": {
            "kb_positive_phrasings": report.positives,
            "kb_positive_top1_accuracy": round(report.positive_top1_accuracy, 4),
            "kb_positive_recall_at_match": round(report.positive_recall_at_match, 4),
            "kb_positive_recall_at_review": round(report.positive_recall_at_review, 4),
            "negative_rates": {
                name: {k: round(v, 4) for k, v in rates.items()} for name, rates in report.negative_rates.items()
            },
        },
    }
    calibration = Calibration(
        ranking=ranking,
        confidence=confidence,
        thresholds=thresholds,
        candidate_depth=depth,
        reranker=reranker,
        provenance=provenance,
    )
    return calibration, report
