"""The searchable index over claims: a FAISS index of embeddings and a bm25s lexical index of the same texts.

Each claim contributes several texts (its statement, the ways people post it, translations); every text is one
row in both indexes and points back at its claim. Rows of a claim are contiguous, so per-claim maxima are a
single ``np.maximum.reduceat``.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property, partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np
import Stemmer

from functions.match.engine.embedder import Embedder
from functions.match.engine.normalise import text_to_embed
from functions.match.engine.phrasings import (
    PhrasingTable,
    build_phrasing_table,
    check_phrasing_rows,
    load_phrasing_table,
    save_phrasing_table,
)
from functions.shared.loading import loading


def _import_bm25s_without_scipy() -> ModuleType:
    """bm25s imports scipy.sparse only for its scipy build backend; the build asks for the numpy one, and searching a
    saved index needs numpy alone. scipy is in the image for scikit-learn (the respond function's clustering), and
    importing it would add about 0.15-0.2 s of CPU to every match function's cold start (decisions.md)."""
    if "bm25s" in sys.modules or "scipy.sparse" in sys.modules:
        return importlib.import_module("bm25s")
    sys.modules["scipy.sparse"] = None  # type: ignore[assignment]  # makes `import scipy.sparse` raise ImportError
    try:
        return importlib.import_module("bm25s")
    finally:
        del sys.modules["scipy.sparse"]


if TYPE_CHECKING:
    import bm25s
else:
    bm25s = _import_bm25s_without_scipy()

ClaimTexts = tuple[str, list[tuple[str, str]]]  # (claim id, [(kind, text), …]) — the first text is the primary one
Progress = Callable[[int], None]

_STEMMER = Stemmer.Stemmer("english")
_ENCODE_CHUNK = 256
LEXICAL_FILE = "lexical.json"  # which LexicalTokenizer an index's BM25 was built with


class LexicalTokenizer(StrEnum):
    """How an index's texts become BM25's words; queries to that index are split the same way."""

    ENGLISH = "english"  # bm25s's words, English stop words and stemmer: the English index
    BY_SCRIPT = "by-script"  # the same, then Chinese, Japanese and Korean as character pairs, Cyrillic and Arabic
    # words stemmed: the multilingual index (the English split keeps a Chinese clause as one word that only the
    # same clause matches, and Russian, Bulgarian and Arabic words in one inflection only)


# Scripts written without spaces between words (Han, kana) or with particles joined to them (Hangul): a word is
# read as its overlapping character pairs, as Lucene's CJK analyser does, so "疫苗" is found in "打疫苗会".
_PAIRED_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_PAIRED_RUN = re.compile(f"[{_PAIRED_SCRIPTS}]+|[^{_PAIRED_SCRIPTS}]+")
_PAIRED = re.compile(f"[{_PAIRED_SCRIPTS}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ARABIC = re.compile("[\u0600-\u06ff]")


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _by_script(word: str) -> list[str]:
    if _PAIRED.search(word):
        words = []
        for run in _PAIRED_RUN.findall(word):
            if not _PAIRED.match(run):
                words += [run] if len(run) > 1 else []
            else:
                words += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        return words
    if _CYRILLIC.search(word):  # Snowball has no Bulgarian; Russian's endings take many of its inflections too
        return [_stemmer("russian").stemWord(word)]
    if _ARABIC.search(word):
        return [_stemmer("arabic").stemWord(word)]
    return [word]


def tokenize(texts: list[str], tokenizer: LexicalTokenizer = LexicalTokenizer.ENGLISH) -> list[list[str]]:
    """The one tokenizer for an index's documents and its queries, so both sides of BM25 agree."""
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)
    if tokenizer is LexicalTokenizer.ENGLISH:
        return [list(t) for t in tokens]
    return [[part for word in t for part in _by_script(word)] for t in tokens]


@dataclass(frozen=True)
class IndexedText:
    claim_id: str
    kind: str
    text: str


@dataclass
class ClaimIndex:
    texts: list[IndexedText]
    claim_ids: list[str]
    claim_start: np.ndarray  # row where each claim's texts begin; its first row is the primary text
    row_claim: np.ndarray  # claim position of each row
    vectors: np.ndarray  # (rows, dims), L2-normalised
    dense: faiss.Index
    lexical: bm25s.BM25
    read_phrasings: Callable[[], PhrasingTable] = field(compare=False, repr=False)  # see ``phrasings``
    tokenizer: LexicalTokenizer = LexicalTokenizer.ENGLISH
    # what the re-ranker (rerank.py) derives from single claims and rows, filled on first use
    rerank_cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def phrasings(self) -> PhrasingTable:
        """Read on first use: only an index whose calibration has a re-ranker needs it (the multilingual one has
        none), and reading it is most of what loading an index costs."""
        with loading():
            return self.read_phrasings()

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        """Queries split into words as this index's texts were."""
        return tokenize(texts, self.tokenizer)

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1])

    def claim_rows(self, claim: int) -> range:
        """The rows of the claim at position ``claim`` (contiguous; the first is its primary text)."""
        return range(*block_bounds(self.claim_start, claim, len(self.texts)))

    def primary_vectors(self, claim_ids: list[str]) -> np.ndarray:
        """Each claim's primary text (its statement) as embedded in the index."""
        position = {claim_id: i for i, claim_id in enumerate(self.claim_ids)}
        return self.vectors[[int(self.claim_start[position[c]]) for c in claim_ids]]


def build_index(
    claims: Sequence[ClaimTexts],
    embedder: Embedder,
    progress: Progress | None = None,
    tokenizer: LexicalTokenizer = LexicalTokenizer.ENGLISH,
) -> ClaimIndex:
    """Embed and index every text of every claim; ``progress`` is called with the number of texts just done."""
    texts: list[IndexedText] = []
    claim_ids: list[str] = []
    starts: list[int] = []
    for claim_id, claim_texts in claims:
        if not claim_texts:
            continue
        claim_ids.append(claim_id)
        starts.append(len(texts))
        texts += [IndexedText(claim_id, kind, text) for kind, text in claim_texts]

    normalised = [text_to_embed(t.text) for t in texts]
    chunks = []
    for begin in range(0, len(normalised), _ENCODE_CHUNK):
        batch = normalised[begin : begin + _ENCODE_CHUNK]
        chunks.append(embedder.encode(batch))
        if progress:
            progress(len(batch))
    vectors = np.vstack(chunks) if chunks else np.zeros((0, embedder.dimensions), dtype=np.float32)
    return _assemble(texts, claim_ids, np.asarray(starts, dtype=np.int64), vectors, normalised, tokenizer)


def _assemble(
    texts: list[IndexedText],
    claim_ids: list[str],
    starts: np.ndarray,
    vectors: np.ndarray,
    normalised: list[str],
    tokenizer: LexicalTokenizer,
) -> ClaimIndex:
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    tokens = tokenize(normalised, tokenizer)
    lexical = bm25s.BM25(csc_backend="numpy")  # the same index with or without scipy (see above)
    lexical.index(_with_sorted_vocabulary(tokens), show_progress=False)
    table = build_phrasing_table(normalised, tokens)
    rows = _row_claims(starts, len(texts))
    return ClaimIndex(texts, claim_ids, starts, rows, vectors, dense, lexical, lambda: table, tokenizer)


def _with_sorted_vocabulary(tokens: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    """bm25s numbers the words of a token corpus in set order, which follows the process's hash seed, so two builds
    of the same texts wrote different files; numbered here in sorted order, they write the same bytes."""
    vocabulary = {word: i for i, word in enumerate(sorted({word for text in tokens for word in text}))}
    return [[vocabulary[word] for word in text] for text in tokens], vocabulary


def claim_blocks(row_claims: Iterable[str]) -> tuple[list[str], np.ndarray]:
    """Rows grouped by claim, each claim's rows together: the claims in order, and the row where each one's begin."""
    claim_ids: list[str] = []
    starts: list[int] = []
    for row, claim_id in enumerate(row_claims):
        if not claim_ids or claim_ids[-1] != claim_id:
            claim_ids.append(claim_id)
            starts.append(row)
    return claim_ids, np.asarray(starts, dtype=np.int64)


def block_bounds(starts: np.ndarray, block: int, rows: int) -> tuple[int, int]:
    """First and past-the-last row of block ``block``, blocks being contiguous runs of ``rows`` rows that begin at
    ``starts`` (``claim_blocks``)."""
    end = int(starts[block + 1]) if block + 1 < len(starts) else rows
    return int(starts[block]), end


def _row_claims(starts: np.ndarray, rows: int) -> np.ndarray:
    return np.repeat(np.arange(len(starts)), np.diff(np.append(starts, rows)))


def save_index(index: ClaimIndex, folder: Path) -> list[Path]:
    """Write the index files; the manifest is written by whoever knows the build's context."""
    folder.mkdir(parents=True, exist_ok=True)
    texts_file = folder / "texts.jsonl"
    with texts_file.open("w", encoding="utf-8") as out:
        for t in index.texts:
            out.write(json.dumps({"claim_id": t.claim_id, "kind": t.kind, "text": t.text}, ensure_ascii=False) + "\n")
    vectors_file = folder / "vectors.faiss"
    faiss.write_index(index.dense, str(vectors_file))
    index.lexical.save(str(folder / "bm25"), show_progress=False)
    lexical_file = folder / LEXICAL_FILE
    lexical_file.write_text(json.dumps({"tokenizer": index.tokenizer.value}) + "\n", encoding="utf-8")
    phrasing_files = save_phrasing_table(index.phrasings, folder)
    return [texts_file, vectors_file, *sorted((folder / "bm25").iterdir()), lexical_file, *phrasing_files]


def load_index(folder: Path) -> ClaimIndex:
    texts = [IndexedText(**json.loads(line)) for line in (folder / "texts.jsonl").read_text("utf-8").splitlines()]
    dense = faiss.read_index(str(folder / "vectors.faiss"))
    vectors = dense.reconstruct_n(0, dense.ntotal)
    lexical = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
    claim_ids, starts_array = claim_blocks(t.claim_id for t in texts)
    check_phrasing_rows(folder, len(texts))  # a table from another build is refused now, not at the first post
    lexical_file = folder / LEXICAL_FILE  # absent from indexes built before there was a choice: English
    tokenizer = (
        LexicalTokenizer(json.loads(lexical_file.read_text("utf-8"))["tokenizer"])
        if lexical_file.is_file()
        else LexicalTokenizer.ENGLISH
    )
    return ClaimIndex(
        texts,
        claim_ids,
        starts_array,
        _row_claims(starts_array, len(texts)),
        vectors,
        dense,
        lexical,
        partial(load_phrasing_table, folder, len(texts)),
        tokenizer,
    )
