"""A query-side linear adapter on MiniLM's vectors, cross-validated on the CheckThat! 2022 train + dev tweets: prints
figures, asserts nothing, never reads the 2021 test set.

Run: .venv/bin/python scripts/benchmarks/query_adapter.py   (needs ../shared/eval, a built index for its ONNX model
and the build group's torch; the pool's vectors are cached like ``antidote eval``'s; about 3 minutes)

The idea (issue 10, "learn from the data we have"): instead of fine-tuning the encoder, learn one matrix W that maps a
post's vector before it is compared with the claims' (the claims' vectors, and so the index, stay as they are). W
starts at the identity and is fitted by a contrastive loss — the right claim's best text against the post's 256
nearest texts in the pool — with an L2 pull back to the identity (``--strength``). Applying it costs one 384 × 384
product a post.

Every figure is out of fold (5 folds, seed 13: the folds of ``antidote kb calibrate --rerank``):
- dense alone: each post adapted by a W fitted on the other folds' posts, against the raw vectors;
- the knowledge base's own phrasings (every text of every claim, each searched for among the others, dense alone):
  the right claim first with raw vectors and with a W fitted on all the tweets, for what W does to posts that are
  not tweets (the knowledge base is not fitting data for W);
- the production ranking (the fusion model, then the re-ranker, fitted per fold by ``cross_validate``) over
  candidates generated with the raw vectors, against candidates generated with the out-of-fold adapted ones. The
  ranking models of a fold are fitted on the other folds' adapted vectors, which is how a deployed W would have to
  be used: ranking models fitted on vectors W had already seen would trust its scores more than they deserve.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "checkthat2022"
NEAREST = 256  # texts of the pool each post is contrasted with
TEMPERATURE = 0.05
STEPS = 200


def fit_adapter(vectors: np.ndarray, rows: np.ndarray, positive: np.ndarray, pool: np.ndarray, strength: float) -> Any:
    """W = I + M, M fitted by Adam on the posts' contrastive loss plus ``strength`` × ‖M‖²."""
    import torch

    torch.manual_seed(13)
    queries = torch.from_numpy(vectors)
    texts = torch.from_numpy(pool)[torch.from_numpy(rows)]  # (posts, NEAREST, dims)
    mask = torch.from_numpy(positive)
    dims = queries.shape[1]
    change = torch.zeros(dims, dims, requires_grad=True)
    optimiser = torch.optim.Adam([change], lr=1e-3)
    for _ in range(STEPS):
        adapted = torch.nn.functional.normalize(queries @ (torch.eye(dims) + change), dim=1)
        logits = torch.einsum("nd,nkd->nk", adapted, texts) / TEMPERATURE
        loss = torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~mask, -1e9), 1)
        total: Any = loss.mean() + strength * (change**2).sum()
        optimiser.zero_grad()
        total.backward()
        optimiser.step()
    return (torch.eye(dims) + change).detach().numpy()


def contrast_sets(index: Any, vectors: np.ndarray, relevant: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each post's NEAREST pool texts, the right claims' texts always among them, and which of them are right."""
    _, hits = index.dense.search(np.ascontiguousarray(vectors), NEAREST)
    position = {claim: i for i, claim in enumerate(index.claim_ids)}
    rows = np.zeros((len(vectors), NEAREST), dtype=np.int64)
    right = np.zeros((len(vectors), NEAREST), dtype=bool)
    for post, claims in enumerate(relevant):
        wanted = {position[c] for c in claims if c in position}
        own = [int(r) for r in np.flatnonzero(np.isin(index.row_claim, list(wanted)))]
        chosen = [int(r) for r in hits[post] if int(r) not in own][: NEAREST - len(own)] + own
        rows[post] = chosen
        right[post] = [int(index.row_claim[r]) in wanted for r in chosen]
    return rows, right


def adapt(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    adapted = vectors @ matrix
    result: np.ndarray = (adapted / np.linalg.norm(adapted, axis=1, keepdims=True)).astype(np.float32)
    return result


def dense_map5(index: Any, vectors: np.ndarray, relevant: list[set[str]]) -> float:
    from functions.match.engine.evaluation import average_precision

    _, hits = index.dense.search(np.ascontiguousarray(vectors), 200)
    values = []
    for post, claims in enumerate(relevant):
        ranked = list(dict.fromkeys(index.claim_ids[int(index.row_claim[r])] for r in hits[post] if r >= 0))
        values.append(average_precision(ranked, claims, 5))
    return round(float(np.mean(values)), 4)


def knowledge_base_first(index: Any, vectors: np.ndarray) -> float:
    """Each phrasing of the knowledge base searched for among the others (itself and identical texts left out):
    how often the nearest other text belongs to the same claim."""
    _, hits = index.dense.search(np.ascontiguousarray(vectors), 20)
    right = []
    for row, found in enumerate(hits):
        own = index.texts[row].text
        others = [int(r) for r in found if r >= 0 and r != row and index.texts[int(r)].text != own]
        right.append(bool(others) and index.row_claim[others[0]] == index.row_claim[row])
    return round(float(np.mean(right)), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strength", default="0.01,0.1", help="comma-separated L2 pulls towards the identity")
    parser.add_argument("--depth", type=int, default=10, help="the re-ranker's depth (production: 10)")
    parser.add_argument("--c", type=float, default=1.0, help="the re-ranker's C (production: 1)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from functions.cli.common import cached_embedder
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts
    from functions.match.engine.evaluation import read_claims, read_qrels, read_queries
    from functions.match.engine.index import build_index
    from functions.match.engine.normalise import normalise_post
    from functions.match.engine.rerank_training import FOLDS, SEED, LabelledPosts, cross_validate, fold_of
    from functions.match.engine.retrieval import generate_candidates
    from functions.shared.settings import get_settings

    started = time.perf_counter()
    queries = read_queries(EVAL / "CT2022-Task2A-EN-Train-Dev_Queries.tsv")
    qrels: dict[str, set[str]] = {}
    for name in ("Train", "Dev"):
        for query, claims in read_qrels(EVAL / f"CT2022-Task2A-EN-{name}_QRELs.tsv").items():
            qrels.setdefault(query, set()).update(claims)
    ids = sorted(qrels)
    relevant = [qrels[q] for q in ids]
    texts = [normalise_post(queries[q]).text for q in ids]
    with cached_embedder(get_settings(), "onnx", True) as embedder:
        index = build_index(read_claims(EVAL / "vclaims.jsonl"), embedder)
        raw = np.asarray(embedder.encode(texts), dtype=np.float32)
        kb_index = build_index(kb_index_texts(load_knowledge_base(get_settings().knowledge_base_dir)), embedder)
    tokens = index.tokenize(texts)
    rows, right = contrast_sets(index, raw, relevant)
    assignment = fold_of(len(ids), FOLDS, SEED)
    figures: dict[str, Any] = {"posts": len(ids), "claims": len(index.claim_ids), "folds": FOLDS, "seed": SEED}
    figures["embedding_s"] = round(time.perf_counter() - started, 1)

    def ranking_cv(vectors: np.ndarray) -> dict[str, float]:
        candidates = generate_candidates(index, vectors, tokens, 30, texts)
        return cross_validate(LabelledPosts(index, candidates, relevant), args.depth, args.c)["reranked"]

    figures["raw: dense alone MAP@5"] = dense_map5(index, raw, relevant)
    figures["raw: fusion + re-ranker"] = ranking_cv(raw)
    figures["raw: knowledge-base phrasings, right claim nearest"] = knowledge_base_first(kb_index, kb_index.vectors)
    for strength in (float(s) for s in args.strength.split(",")):
        fitting = time.perf_counter()
        adapted = np.zeros_like(raw)
        for fold in range(FOLDS):
            train = assignment != fold
            matrix = fit_adapter(raw[train], rows[train], right[train], index.vectors, strength)
            adapted[~train] = adapt(matrix, raw[~train])
        figures[f"adapted (strength {strength:g}): fitting five folds s"] = round(time.perf_counter() - fitting, 1)
        figures[f"adapted (strength {strength:g}): dense alone MAP@5"] = dense_map5(index, adapted, relevant)
        figures[f"adapted (strength {strength:g}): fusion + re-ranker"] = ranking_cv(adapted)
        every_tweet = fit_adapter(raw, rows, right, index.vectors, strength)
        figures[f"adapted (strength {strength:g}): knowledge-base phrasings, right claim nearest"] = (
            knowledge_base_first(kb_index, adapt(every_tweet, kb_index.vectors))
        )
    print_figures(figures, as_json=args.json)


if __name__ == "__main__":
    main()
