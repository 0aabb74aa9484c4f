"""Retrieval evaluation on data in the CLEF CheckThat! Task 2A format, with trec_eval semantics.

Formats (the three files ``antidote eval`` takes):
- claims JSONL: one object a line with ``vclaim_id`` and ``vclaim``; ``title`` and ``subtitle`` are used if present;
- queries TSV: ``id<TAB>text``, some lines CSV-quoted; an optional header line ``id<TAB>text`` is skipped;
- qrels TSV (TREC): ``query_id 0 claim_id relevance``; relevance > 0 means relevant.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from functions.match.engine.calibration import Calibration
from functions.match.engine.embedder import Embedder
from functions.match.engine.fusion import FEATURES, reciprocal_rank_fusion
from functions.match.engine.index import ClaimIndex, build_index
from functions.match.engine.normalise import normalise_post
from functions.match.engine.retrieval import Candidates, generate_candidates, rank_candidates
from functions.shared.errors import InvalidInput

CUTOFFS = (1, 3, 5)
CLAIM_TEXT_FIELDS = ("vclaim", "title", "subtitle")  # the first is the claim's canonical text


# ---------------------------------------------------------------- readers


def read_claims(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    claims = []
    seen: set[str] = set()
    with _open(path) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("vclaim_id"), str):
                raise InvalidInput(f"{path}:{number}: needs a string 'vclaim_id'")
            if not isinstance(row.get("vclaim"), str) or not row["vclaim"].strip():
                raise InvalidInput(f"{path}:{number}: needs a non-empty string 'vclaim'")
            if row["vclaim_id"] in seen:
                raise InvalidInput(f"{path}:{number}: duplicate vclaim_id {row['vclaim_id']}")
            seen.add(row["vclaim_id"])
            texts = [(f, row[f].strip()) for f in CLAIM_TEXT_FIELDS if isinstance(row.get(f), str) and row[f].strip()]
            claims.append((row["vclaim_id"], texts))
    if not claims:
        raise InvalidInput(f"{path}: no claims")
    return claims


def read_queries(path: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    with _open(path) as lines:
        for number, row in enumerate(csv.reader(lines, delimiter="\t"), 1):
            if not row or (number == 1 and row[:2] == ["id", "text"]):
                continue
            if len(row) < 2 or not row[0].strip():
                raise InvalidInput(f"{path}:{number}: expected 'id<TAB>text'")
            queries[row[0].strip()] = "\t".join(row[1:])
    if not queries:
        raise InvalidInput(f"{path}: no queries")
    return queries


def read_qrels(path: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    with _open(path) as lines:
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise InvalidInput(f"{path}:{number}: expected 'query_id 0 claim_id relevance'")
            try:
                relevant = int(parts[3]) > 0
            except ValueError as exc:
                raise InvalidInput(f"{path}:{number}: relevance must be an integer") from exc
            if relevant:
                qrels.setdefault(parts[0], set()).add(parts[2])
    if not qrels:
        raise InvalidInput(f"{path}: no relevant judgements")
    return qrels


def _open(path: Path):  # type: ignore[no-untyped-def]
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc


# ---------------------------------------------------------------- metrics


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """trec_eval AP cut at k: sum of precision at each relevant hit within k, over all relevant items."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for position, item in enumerate(ranked[:k], 1):
        if item in relevant:
            hits += 1
            total += hits / position
    return total / len(relevant)


def precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for item in ranked[:k] if item in relevant) / k


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for item in ranked[:k] if item in relevant) / len(relevant) if relevant else 0.0


def summarise(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float | int]:
    """Mean metrics over the judged queries; a judged query with no ranking counts as zero."""
    judged = sorted(qrels)
    report: dict[str, float | int] = {}
    for k in CUTOFFS:
        report[f"map@{k}"] = float(np.mean([average_precision(rankings.get(q, []), qrels[q], k) for q in judged]))
    report["p@1"] = float(np.mean([precision_at(rankings.get(q, []), qrels[q], 1) for q in judged]))
    for k in (5, 20):
        report[f"recall@{k}"] = float(np.mean([recall_at(rankings.get(q, []), qrels[q], k) for q in judged]))
    report["queries"] = len(judged)
    return report


# ---------------------------------------------------------------- running


@dataclass
class EvalRun:
    # method → metrics; "fused" is the production method (with the re-ranker when the calibration has one),
    # "first_stage" the same without the re-ranker
    metrics: dict[str, dict[str, float | int]]
    per_query: list[dict[str, object]]


@dataclass
class PreparedQueries:
    ids: list[str]
    texts: list[str]
    candidates: list[Candidates]


def prepare_queries(
    index: ClaimIndex, embedder: Embedder, queries: dict[str, str], ids: list[str], depth: int
) -> PreparedQueries:
    texts = [normalise_post(queries[q]).text for q in ids]
    vectors = embedder.encode(texts)
    return PreparedQueries(ids, texts, generate_candidates(index, vectors, index.tokenize(texts), depth, texts))


def evaluate(
    claims_path: Path,
    queries_path: Path,
    qrels_path: Path,
    embedder: Embedder,
    calibration: Calibration,
    progress: Callable[[int], None] | None = None,
) -> EvalRun:
    """Build a throwaway index over the claims, rank every judged query and score the rankings."""
    claims = read_claims(claims_path)
    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path)
    missing = sorted(set(qrels) - set(queries))
    if missing:
        raise InvalidInput(f"{len(missing)} judged queries are not in {queries_path}, e.g. {missing[0]}")
    index = build_index(claims, embedder, progress)
    ids = sorted(qrels)
    depth = calibration.candidate_depth
    prepared = prepare_queries(index, embedder, queries, ids, depth)

    methods: dict[str, dict[str, list[str]]] = {"fused": {}, "first_stage": {}, "dense": {}, "bm25": {}, "rrf": {}}
    per_query: list[dict[str, object]] = []
    for query_id, text, found in zip(prepared.ids, prepared.texts, prepared.candidates, strict=True):
        ranked = rank_candidates(index, found, calibration.ranking, calibration.confidence, 20, calibration.reranker)
        fused = [r.claim_id for r in ranked]
        first_stage = rank_candidates(index, found, calibration.ranking, calibration.confidence, 20)
        claim_names = [index.claim_ids[c] for c in found.claims]
        not_retrieved = 1.0 / (1 + depth)  # dense_rr of a claim the dense retriever did not propose
        proposed_by_dense = found.features[:, FEATURES.index("dense_rr")] > not_retrieved
        dense = [claim_names[i] for i in np.argsort(-found.dense, kind="stable") if proposed_by_dense[i]]
        lexical = [claim_names[i] for i in np.argsort(-found.lexical, kind="stable") if found.lexical[i] > 0]
        methods["fused"][query_id] = fused
        methods["first_stage"][query_id] = [r.claim_id for r in first_stage]
        methods["dense"][query_id] = dense[:20]
        methods["bm25"][query_id] = lexical[:20]
        methods["rrf"][query_id] = reciprocal_rank_fusion([dense, lexical])[:20]
        relevant = qrels[query_id]
        rank_of_relevant = next((i + 1 for i, c in enumerate(fused) if c in relevant), None)
        per_query.append(
            {
                "query_id": query_id,
                "text": text,
                "relevant": sorted(relevant),
                "ranked": fused[:5],
                "rank_of_first_relevant": rank_of_relevant,
                "ap@5": round(average_precision(fused, relevant, 5), 4),
            }
        )
    return EvalRun({name: summarise(r, qrels) for name, r in methods.items()}, per_query)
