"""Fitting the query adapter (``query_adapter.py``) at build time: torch, never imported by the match function.

W = I + change is fitted by Adam on a contrastive loss — each post's right claim's best text against the post's
``NEAREST`` nearest texts of the pool — plus ``strength`` × ‖change‖², so W stays near the identity where the data
says little. The ranking models read out-of-fold adapted vectors (``cross_fitted``): fitted on vectors W had already
seen, they would trust its scores more than a new post deserves (W places its own training posts almost perfectly).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from functions.match.engine.index import ClaimIndex
from functions.match.engine.query_adapter import QueryAdapter, adapt

NEAREST = 256
TEMPERATURE = 0.05
STEPS = 200
STRENGTH = 0.01  # chosen out of fold on CheckThat! train + dev (scripts/benchmarks/query_adapter.py)


def contrast_sets(index: ClaimIndex, vectors: np.ndarray, relevant: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each post's NEAREST pool texts, the right claims' texts always among them, and which of them are right."""
    nearest = min(NEAREST, len(index.texts))  # a small pool: every text
    _, hits = index.dense.search(np.ascontiguousarray(vectors, dtype=np.float32), nearest)
    position = {claim: i for i, claim in enumerate(index.claim_ids)}
    rows = np.zeros((len(vectors), nearest), dtype=np.int64)
    right = np.zeros((len(vectors), nearest), dtype=bool)
    for post, claims in enumerate(relevant):
        wanted = {position[c] for c in claims if c in position}
        own = [int(r) for r in np.flatnonzero(np.isin(index.row_claim, list(wanted)))][:nearest]
        chosen = [int(r) for r in hits[post] if int(r) not in own][: nearest - len(own)] + own
        rows[post] = chosen
        right[post] = [int(index.row_claim[r]) in wanted for r in chosen]
    return rows, right


def fit_matrix(
    vectors: np.ndarray, rows: np.ndarray, right: np.ndarray, pool: np.ndarray, strength: float = STRENGTH
) -> np.ndarray:
    import torch

    torch.manual_seed(13)
    queries = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
    texts = torch.from_numpy(np.ascontiguousarray(pool, dtype=np.float32))[torch.from_numpy(rows)]
    mask = torch.from_numpy(right)
    dimensions = queries.shape[1]
    change = torch.zeros(dimensions, dimensions, requires_grad=True)
    optimiser = torch.optim.Adam([change], lr=1e-3)
    for _ in range(STEPS):
        adapted = torch.nn.functional.normalize(queries @ (torch.eye(dimensions) + change), dim=1)
        logits = torch.einsum("nd,nkd->nk", adapted, texts) / TEMPERATURE
        loss = torch.logsumexp(logits, 1) - torch.logsumexp(logits.masked_fill(~mask, -1e9), 1)
        total: Any = loss.mean() + strength * (change**2).sum()
        optimiser.zero_grad()
        total.backward()
        optimiser.step()
    matrix: np.ndarray = (torch.eye(dimensions) + change).detach().numpy()
    return matrix


def cross_fitted(
    index: ClaimIndex, vectors: np.ndarray, relevant: list[set[str]], folds: np.ndarray, strength: float = STRENGTH
) -> tuple[np.ndarray, QueryAdapter]:
    """Each post adapted by a W fitted without its fold, and the W fitted on every post (the one deployed)."""
    rows, right = contrast_sets(index, vectors, relevant)
    adapted = np.zeros_like(vectors, dtype=np.float32)
    for fold in np.unique(folds):
        train = folds != fold
        adapted[~train] = adapt(
            fit_matrix(vectors[train], rows[train], right[train], index.vectors, strength), vectors[~train]
        )
    every = fit_matrix(vectors, rows, right, index.vectors, strength)
    return adapted, QueryAdapter.from_matrix(every, strength)
