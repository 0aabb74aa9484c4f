"""Sentence embeddings. The model is configuration: a folder, or an installed package that ships one.

``SentenceTransformerEmbedder`` is the torch engine: the index build (which exports the model to ONNX), calibration,
evaluation and the comparisons in tests and benchmarks use it. The match function embeds with ``OnnxEmbedder``
(``onnx_embedder.py``) and never imports this module's torch side: sentence-transformers is imported only when a
``SentenceTransformerEmbedder`` is created.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from functions.shared.errors import ArtifactMissing

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub: there is none in Lambda or here
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder(Protocol):
    model_id: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def cpu_threads() -> int:
    """Threads an embedder may use: ``OMP_NUM_THREADS`` (the CDK app sets it to the vCPUs Lambda grants), else the
    cores this process may run on. More threads than cores is far worse than fewer: OpenBLAS threads spin-wait
    for each other; USE-m with 4 threads on 2 cores took 164 ms a post against 2.5 ms with 2
    (``scripts/benchmarks/embedder_threads.py``)."""
    configured = int(os.environ.get("OMP_NUM_THREADS") or 0)
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, configured or available)


def resolve_model_path(model: str) -> Path:
    """A folder is used as is; otherwise ``model`` names a package exposing ``get_model_path()``."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        package = importlib.import_module(model.replace("-", "_"))
    except ImportError as exc:
        raise ArtifactMissing(f"embedding model '{model}' is neither a folder nor an installed package") from exc
    get_model_path = getattr(package, "get_model_path", None)
    if get_model_path is None:
        raise ArtifactMissing(f"package '{model}' does not expose get_model_path()")
    return Path(get_model_path())


_CARD_MODEL_NAME = re.compile(r"SentenceTransformer\(['\"]([^'\"]+)['\"]\)")


def describe_model(path: Path) -> str:
    """A stable id for the manifest: the upstream name the model card loads, else the folder name."""
    card = path / "README.md"
    if card.is_file():
        found = _CARD_MODEL_NAME.search(card.read_text(encoding="utf-8", errors="ignore"))
        if found:
            return found.group(1)
    return path.name


class SentenceTransformerEmbedder:
    """Wraps sentence-transformers; vectors come back L2-normalised so inner product is cosine similarity."""

    def __init__(self, model: str, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        path = resolve_model_path(model)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.model_id = describe_model(path)
        self.dimensions = int(self._model.get_embedding_dimension() or 0)

    @property
    def model(self) -> Any:
        """The loaded SentenceTransformer (the ONNX export reads its modules)."""
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
