"""Fitting the multilingual index's ranking, confidence and thresholds, only on non-test data in the repo.

``antidote kb calibrate-multilingual`` runs this and writes ``knowledge_base/calibration_multilingual.json``.
The English calibration cannot be reused: USE-m's cosines live on another scale than MiniLM's. Data, none of it
from the multilingual test set (``tests/data/multilingual``, which only measures):

- labelled posts: the stance set's non-English training posts (``knowledge_base/stance/*.jsonl``, nine
  languages, each written for a claim; never its held-back quarter) — asked against the whole multilingual index,
  they fit the ranking model and are the confidence model's positives (the top claim right) and hard negatives;
- posts that repeat no indexed claim: the same posts asked against an index holding only the *other* half of the
  claims (two folds), so they are on-topic, in the same languages and repeat nothing indexed; and the curated
  on-topic chatter in ``knowledge_base/unrelated_posts/``.

Thresholds follow the English rule (``calibrate.score_at_rate``): the lowest confidence each negative set reaches
at most its own rate of the time. A language whose own posts-without-their-claim reach that review threshold
less often than the rate gets a review threshold of its own at the rate (``review_by_language``); none is set above
the pooled one, and the match threshold is the same for every language.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from functions.match.engine.artifact import kb_index_texts
from functions.match.engine.calibrate import MIN_WORDS_FOR_MATCH, NegativeSet, best_claims, score_at_rate
from functions.match.engine.calibration import Calibration, Thresholds
from functions.match.engine.embedder import Embedder
from functions.match.engine.fusion import CONFIDENCE_FEATURES, RANKING_FEATURES, LinearModel, fit_linear_model
from functions.match.engine.index import ClaimIndex, build_index
from functions.match.engine.multilingual import TOKENIZER
from functions.match.engine.normalise import normalise_post
from functions.match.engine.retrieval import Candidates, generate_candidates
from functions.match.engine.stance_training import StanceExample, load_stance_examples
from functions.shared.claims import KnowledgeBase

HELD_OUT_CLAIMS_RATES = (0.01, 0.25)  # (match, review): on-topic posts whose claim is not indexed
CHATTER_RATES = (0.02, 0.25)
MIN_POSTS_PER_LANGUAGE = 80  # fewer say too little about a language's 25 % point to set its own review threshold


def labelled_posts(kb_dir: Path, kb: KnowledgeBase) -> list[StanceExample]:
    """The stance set's non-English posts that name a claim of this knowledge base, from its training part only: its
    held-back quarter stays unseen by every fitting, this one included."""
    examples = load_stance_examples(kb_dir / "stance", {c.id for c in kb.claims})
    return [e for e in examples if e.language != "en" and e.split == "train"]


def _candidates(index: ClaimIndex, embedder: Embedder, texts: list[str], depth: int) -> list[Candidates]:
    normalised = [normalise_post(t).text for t in texts]
    return generate_candidates(index, embedder.encode(normalised), index.tokenize(normalised), depth, normalised)


def _held_out_claim_rows(
    kb: KnowledgeBase, posts: list[StanceExample], embedder: Embedder, ranking: LinearModel, depth: int
) -> np.ndarray:
    """Each post's best row (in the posts' order) against an index of the half of the claims that does not hold its
    own claim."""
    claim_texts = kb_index_texts(kb)
    fold_of = {claim_id: i % 2 for i, (claim_id, _) in enumerate(claim_texts)}
    rows: list[np.ndarray] = [np.empty(0)] * len(posts)
    for fold in (0, 1):
        index = build_index([c for c in claim_texts if fold_of[c[0]] != fold], embedder, tokenizer=TOKENIZER)
        asked = [i for i, p in enumerate(posts) if fold_of[p.claim_id] == fold]
        found = best_claims(index, embedder, [posts[i].text for i in asked], ranking, depth)[1]
        for i, row in zip(asked, found, strict=True):
            rows[i] = row
    return np.vstack(rows)


def review_by_language(posts: list[StanceExample], held_out_scores: np.ndarray, review: float) -> dict[str, float]:
    """For each language with enough posts, the review threshold its own on-topic posts whose claim is not indexed
    reach at the pooled rate — where that is below the pooled threshold. USE-m's scores sit lower in some languages
    (Bulgarian, which it was not trained on; Chinese, Korean, Arabic): the pooled threshold lets far fewer of their
    negatives reach review than the rate it was set for, and with them far fewer of their right claims."""
    languages = np.array([p.language for p in posts])
    found = {}
    for language in sorted(set(languages)):
        mine = held_out_scores[languages == language]
        if len(mine) >= MIN_POSTS_PER_LANGUAGE:
            threshold = score_at_rate(mine, HELD_OUT_CLAIMS_RATES[1])
            if threshold < review:
                found[str(language)] = round(threshold, 6)
    return found


def fit_multilingual(
    kb: KnowledgeBase, kb_dir: Path, chatter: list[str], embedder: Embedder, depth: int = 30
) -> Calibration:
    posts = labelled_posts(kb_dir, kb)
    full = build_index(kb_index_texts(kb), embedder, tokenizer=TOKENIZER)
    found = _candidates(full, embedder, [p.text for p in posts], depth)
    labels = [np.array([full.claim_ids[c] == p.claim_id for c in f.claims]) for p, f in zip(posts, found, strict=True)]
    ranking = fit_linear_model(np.vstack([f.features for f in found]), np.concatenate(labels), RANKING_FEATURES)

    best, positive_rows = best_claims(full, embedder, [p.text for p in posts], ranking, depth)
    correct = np.array([b == p.claim_id for b, p in zip(best, posts, strict=True)])
    negative_sets = [
        NegativeSet("stance posts, own claim not indexed", [], *HELD_OUT_CLAIMS_RATES),
        NegativeSet("knowledge_base/unrelated_posts", chatter, *CHATTER_RATES),
    ]
    negative_rows = {
        negative_sets[0].name: _held_out_claim_rows(kb, posts, embedder, ranking, depth),
        negative_sets[1].name: best_claims(full, embedder, chatter, ranking, depth)[1],
    }
    features = np.vstack([positive_rows, *negative_rows.values()])
    targets = np.concatenate([correct, np.zeros(sum(len(r) for r in negative_rows.values()), dtype=bool)])
    confidence = fit_linear_model(features, targets, CONFIDENCE_FEATURES)

    scores = {name: confidence.score(rows) for name, rows in negative_rows.items()}
    match = max(score_at_rate(scores[s.name], s.match_rate) for s in negative_sets)
    review = min(match, max(score_at_rate(scores[s.name], s.review_rate) for s in negative_sets))
    by_language = review_by_language(posts, scores[negative_sets[0].name], review)
    thresholds = Thresholds(
        match=round(match, 6),
        review=round(review, 6),
        min_words_for_match=MIN_WORDS_FOR_MATCH,
        review_by_language=by_language,
    )
    positive_scores = confidence.score(positive_rows)
    review_of = np.array([by_language.get(p.language, thresholds.review) for p in posts])
    provenance = {
        "command": "antidote kb calibrate-multilingual",
        "model_id": embedder.model_id,
        "kb_version": kb.version,
        "labelled_posts": {"source": "knowledge_base/stance/*.jsonl, non-English, training part", "posts": len(posts)},
        "negative_sets": {
            s.name: {"posts": len(negative_rows[s.name]), "rates": [s.match_rate, s.review_rate]} for s in negative_sets
        },
        "report": {
            "labelled_top1_accuracy": round(float(correct.mean()), 4),
            "labelled_right_and_match": round(float((correct & (positive_scores >= thresholds.match)).mean()), 4),
            "labelled_right_and_flagged": round(float((correct & (positive_scores >= review_of)).mean()), 4),
            "labelled_right_and_flagged_pooled_review": round(
                float((correct & (positive_scores >= thresholds.review)).mean()), 4
            ),
            "negative_match_rates": {n: round(float((s >= thresholds.match).mean()), 4) for n, s in scores.items()},
        },
        "test_set_used": False,
    }
    return Calibration(
        ranking=ranking, confidence=confidence, thresholds=thresholds, candidate_depth=depth, provenance=provenance
    )
