"""Vectors already computed, kept on disk by text: ``antidote eval`` and ``kb calibrate`` embed the same 40,000
CheckThat! claim texts on every run (minutes on two cores), so the second run reads them instead.

Build time and evaluation only: the match function never uses it. The cache is keyed by the model's identity
(the exported ONNX file's hash, or the torch model's id), so a different model never reads another's vectors. The
ONNX engine embeds each text alone, so a text's vector does not depend on what it was embedded with and a cached
vector is exactly the one the engine would compute again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from functions.match.engine.embedder import Embedder


class CachedEmbedder:
    """An ``Embedder`` that asks ``inner`` only for texts it has not seen; ``save()`` writes what was added."""

    def __init__(self, inner: Embedder, folder: Path, model_key: str) -> None:
        self.model_id = inner.model_id
        self.dimensions = inner.dimensions
        self._inner = inner
        stem = hashlib.sha256(model_key.encode()).hexdigest()[:20]
        self._texts_file = folder / f"{stem}.texts.json"
        self._vectors_file = folder / f"{stem}.npy"
        self._known: dict[str, int] = {}
        self._vectors = np.zeros((0, self.dimensions), dtype=np.float32)
        if self._texts_file.is_file() and self._vectors_file.is_file():
            texts = json.loads(self._texts_file.read_text("utf-8"))
            vectors = np.load(self._vectors_file)
            if len(texts) == len(vectors) and vectors.shape[1] == self.dimensions:
                self._known = {t: i for i, t in enumerate(texts)}
                self._vectors = vectors.astype(np.float32, copy=False)
        self._saved = len(self._known)

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            fresh = np.asarray(self._inner.encode(missing), dtype=np.float32)
            self._known.update({t: len(self._known) + i for i, t in enumerate(missing)})
            self._vectors = np.vstack([self._vectors, fresh])
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.ascontiguousarray(self._vectors[[self._known[t] for t in texts]])

    def save(self) -> None:
        """Write the cache when texts were added (each file written aside, then moved into place)."""
        if len(self._known) == self._saved:
            return
        self._texts_file.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._known, key=self._known.__getitem__)
        aside_texts = self._texts_file.with_suffix(".json.tmp")
        aside_texts.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        aside_vectors = self._vectors_file.with_name(self._vectors_file.name + ".tmp.npy")
        np.save(aside_vectors, self._vectors)
        os.replace(aside_vectors, self._vectors_file)
        os.replace(aside_texts, self._texts_file)
        self._saved = len(self._known)
