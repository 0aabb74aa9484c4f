"""A linear map of an English post's vector before it is compared with the claims' (issue 10).

MiniLM was not trained on tweets about fact-checked claims; one matrix W, fitted contrastively on the CheckThat!
training pairs (``query_adapter_training.py``, build time), moves a post's vector towards the claims such posts
repeat. Only posts move: the claims' vectors, and so the index, stay as the encoder made them, and the stance model
and the voids keep reading the post's own vector. W = I + change; the change is stored (small numbers, exact in
float32) in the calibration, base64-encoded, and applying it is one matrix product a post.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field, model_validator


class QueryAdapter(BaseModel):
    dimensions: int = Field(ge=1, description="Size of the vectors it maps (the encoder's).")
    change: str = Field(description="W − I, float32, row-major, little-endian, base64.")
    strength: float = Field(ge=0, description="The L2 pull towards the identity it was fitted with.")

    @model_validator(mode="after")
    def _shape(self) -> QueryAdapter:
        if len(base64.b64decode(self.change)) != 4 * self.dimensions**2:
            raise ValueError(f"change must hold {self.dimensions} × {self.dimensions} float32 numbers")
        return self

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, strength: float) -> QueryAdapter:
        dimensions = matrix.shape[0]
        change = np.asarray(matrix, dtype="<f4") - np.eye(dimensions, dtype="<f4")
        return cls(dimensions=dimensions, change=base64.b64encode(change.tobytes()).decode(), strength=strength)

    def matrix(self) -> np.ndarray:
        return _decoded(self.change, self.dimensions)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Each row mapped and L2-normalised again (the index compares unit vectors)."""
        return adapt(self.matrix(), vectors)

    @property
    def version(self) -> str:
        return "adapter-" + hashlib.sha256(self.change.encode()).hexdigest()[:16]


def adapt(matrix: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    if len(vectors) == 0:
        return np.asarray(vectors, dtype=np.float32)
    mapped = np.asarray(vectors, dtype=np.float32) @ matrix
    norms = np.linalg.norm(mapped, axis=1, keepdims=True)
    result: np.ndarray = (mapped / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return result


@lru_cache(maxsize=4)
def _decoded(change: str, dimensions: int) -> np.ndarray:
    """W from its stored form, once per process and adapter (the match function applies it to every batch)."""
    stored = np.frombuffer(base64.b64decode(change), dtype="<f4").reshape(dimensions, dimensions)
    matrix: np.ndarray = (stored + np.eye(dimensions, dtype=np.float32)).astype(np.float32)
    matrix.flags.writeable = False
    return matrix
