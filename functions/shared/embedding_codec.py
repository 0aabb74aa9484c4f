"""Embeddings kept in DynamoDB: what match writes for a kept post and respond's clustering reads back."""

from __future__ import annotations

import base64

import numpy as np


def encode_embedding(vector: np.ndarray) -> str:
    """An L2-normalised embedding as base64 float16 (768 bytes for 384 dimensions): small enough to keep on every
    kept post, precise enough for clustering (cosines change by under 0.001)."""
    unit = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(unit))
    if norm > 0:
        unit = unit / norm
    return base64.b64encode(unit.astype("<f2").tobytes()).decode("ascii")


def decode_embedding(encoded: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(encoded), dtype="<f2").astype(np.float32)
