"""The phrasing table: every indexed phrasing's distinct words and word pairs, for the re-ranker's word features.

Built at ``kb build`` from the same normalised texts and tokens as the BM25 index and saved beside it, so a match
function's first post does not pay for normalising and tokenising every phrasing (about 0.8 s of CPU for the 3,970
phrasings of 2026-11-30, more than the rest of the re-ranker's cold start together — docs/decisions.md).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

Item = TypeVar("Item", str, tuple[str, str])

ARRAYS_FILE = "phrasings.npz"
VOCABULARY_FILE = "phrasings.json"


@dataclass(frozen=True)
class PhrasingTable:
    """Words and word pairs of each phrasing as id lists (compressed rows), so a post is compared with all its
    candidates' phrasings in a few array operations."""

    word_ptr: np.ndarray  # row r's word ids are word_ids[word_ptr[r]:word_ptr[r + 1]]
    word_ids: np.ndarray
    pair_ptr: np.ndarray
    pair_ids: np.ndarray
    word_of: dict[str, int]
    pair_of: dict[tuple[str, str], int]
    texts: list[str]  # the phrasings normalised as posts are


def _compressed(rows: Sequence[frozenset[Item]], vocabulary: dict[Item, int]) -> tuple[np.ndarray, np.ndarray]:
    ids = [[vocabulary.setdefault(item, len(vocabulary)) for item in sorted(row, key=str)] for row in rows]
    pointers = np.zeros(len(ids) + 1, dtype=np.int64)
    pointers[1:] = np.cumsum([len(row) for row in ids])
    return pointers, np.asarray([i for row in ids for i in row], dtype=np.int64)


def build_phrasing_table(texts: list[str], tokens: list[list[str]]) -> PhrasingTable:
    """``texts`` normalised as posts are, ``tokens`` their BM25 tokens (one list per text)."""
    word_of: dict[str, int] = {}
    pair_of: dict[tuple[str, str], int] = {}
    word_ptr, word_ids = _compressed([frozenset(t) for t in tokens], word_of)
    pair_ptr, pair_ids = _compressed([frozenset(itertools.pairwise(t)) for t in tokens], pair_of)
    return PhrasingTable(word_ptr, word_ids, pair_ptr, pair_ids, word_of, pair_of, list(texts))


def save_phrasing_table(table: PhrasingTable, folder: Path) -> list[Path]:
    arrays = folder / ARRAYS_FILE
    np.savez(arrays, word_ptr=table.word_ptr, word_ids=table.word_ids, pair_ptr=table.pair_ptr, pair_ids=table.pair_ids)
    vocabulary = folder / VOCABULARY_FILE
    words = sorted(table.word_of, key=table.word_of.__getitem__)
    pairs = [list(p) for p in sorted(table.pair_of, key=table.pair_of.__getitem__)]
    payload = {"texts": table.texts, "words": words, "pairs": pairs}
    vocabulary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return [arrays, vocabulary]


def check_phrasing_rows(folder: Path, rows: int) -> None:
    """Raises ValueError unless the saved table has ``rows`` rows; reads one small array, not the vocabulary."""
    with np.load(folder / ARRAYS_FILE) as arrays:
        found = len(arrays["word_ptr"]) - 1
    if found != rows:
        raise ValueError(f"the phrasing table ({found} rows) does not describe the index's {rows} phrasings")


def load_phrasing_table(folder: Path, rows: int) -> PhrasingTable:
    """Raises ValueError when the files do not describe ``rows`` phrasings (an index from another build)."""
    payload = json.loads((folder / VOCABULARY_FILE).read_text("utf-8"))
    with np.load(folder / ARRAYS_FILE) as arrays:
        word_ptr, word_ids = arrays["word_ptr"], arrays["word_ids"]
        pair_ptr, pair_ids = arrays["pair_ptr"], arrays["pair_ids"]
    if not len(payload["texts"]) == len(word_ptr) - 1 == len(pair_ptr) - 1 == rows:
        raise ValueError(f"the phrasing table does not describe the index's {rows} phrasings")
    return PhrasingTable(
        word_ptr,
        word_ids,
        pair_ptr,
        pair_ids,
        {word: i for i, word in enumerate(payload["words"])},
        {(first, second): i for i, (first, second) in enumerate(payload["pairs"])},
        payload["texts"],
    )
