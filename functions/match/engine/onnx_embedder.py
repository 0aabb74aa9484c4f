"""Sentence embeddings at run time: the exported ONNX model with onnxruntime and tokenizers, no torch.

``antidote kb build`` exports the configured sentence-transformers model into the index artifact's ``model/``
folder (``functions/match/engine/onnx_export.py``)::

    model/model.onnx       the transformer: token ids in, one vector per token out (int8 or fp32)
    model/tokenizer.json   the model's own fast tokenizer
    model/embedding.json   everything else sentence-transformers would do: input names, maximum sequence length,
                           lower-casing, pooling (mean, cls, max, mean_sqrt_len_tokens) and normalisation

This module reads those three files and nothing else; it must never import torch, transformers or
sentence-transformers (a test imports every Lambda handler and checks).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from functions.match.engine.embedder import cpu_threads
from functions.shared.errors import ArtifactMissing

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_DIR = "model"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "embedding.json"

Pooling = Literal["mean", "cls", "max", "mean_sqrt_len_tokens"]


class Quantisation(BaseModel):
    """What was done to the exported weights, and the check that decided it."""

    mode: Literal["int8", "fp32"]
    method: str  # e.g. "onnxruntime.quantization.quantize_dynamic, QInt8 weights, per channel"
    excluded_nodes: list[str] = Field(default_factory=list)  # kept in fp32
    reason: str  # why this mode: the quality check's figures, or why int8 was not tried
    probe_texts: int = 0
    mean_cosine_to_torch: float | None = None
    min_cosine_to_torch: float | None = None


class EmbeddingConfig(BaseModel):
    """``model/embedding.json``: how the exported model turns texts into one unit vector each."""

    source_model: str  # the upstream id (as in the model card), e.g. sentence-transformers/all-MiniLM-L6-v2
    source_package: str  # ANTIDOTE_EMBEDDING_MODEL as configured for the build: a package name or a folder
    source_weights_sha256: str  # of the model's weights file, so a changed model is visible in the manifest
    dimensions: int
    max_seq_length: int  # from sentence_bert_config.json
    do_lower_case: bool  # from sentence_bert_config.json
    pooling: Pooling  # from 1_Pooling/config.json
    normalize: bool  # unit vectors, so inner product is cosine similarity (the FAISS index needs it)
    source_normalizes: bool  # whether the model itself ends in a Normalize module (the torch engine normalises
    # either way: it encodes with normalize_embeddings=True)
    input_names: list[str]  # the ONNX graph's inputs, e.g. input_ids, attention_mask, token_type_ids
    output_name: str
    pad_token: str
    pad_token_id: int
    opset: int
    exporter: str  # e.g. "torch.onnx.export (TorchScript) torch 2.13.0+cpu"
    quantisation: Quantisation


def read_embedding_config(folder: Path) -> EmbeddingConfig:
    path = folder / CONFIG_FILE
    try:
        return EmbeddingConfig.model_validate_json(path.read_text("utf-8"))
    except (OSError, ValidationError) as exc:
        raise ArtifactMissing(
            f"no usable exported model at {folder} ({exc}); rebuild with 'antidote kb build'"
        ) from exc


def pool(token_vectors: np.ndarray, mask: np.ndarray, pooling: Pooling) -> np.ndarray:
    """Token vectors (batch, tokens, dims) and the attention mask (batch, tokens) to one vector per text,
    as sentence-transformers' Pooling module computes it."""
    weights = mask[..., None].astype(np.float32)
    summed = (token_vectors * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    pooled: np.ndarray
    if pooling == "cls":
        pooled = token_vectors[:, 0]
    elif pooling == "max":
        pooled = np.where(weights > 0, token_vectors, np.float32(-1e9)).max(axis=1)
    elif pooling == "mean_sqrt_len_tokens":
        pooled = summed / np.sqrt(counts)
    else:
        pooled = summed / counts
    return np.ascontiguousarray(pooled, dtype=np.float32)


class OnnxEmbedder:
    """The match function's embedder: the index artifact's exported model on onnxruntime's CPU provider."""

    def __init__(self, folder: Path, batch_size: int = 1, workers: int | None = None) -> None:
        """``batch_size`` 1 (the default) runs each text alone: no padding, and the int8 model's activations are
        quantised with scales from that text only, so a text's vector never depends on what else is in the
        request. It was also the fastest on the posts we measured (docs/benchmarks.md).

        ``workers`` texts are encoded at once, each on one thread (default: ``OMP_NUM_THREADS``, which the CDK
        app sets to the vCPUs Lambda grants, else the machine's cores). One text per thread cost about half the CPU
        of one text on two of onnxruntime's threads, which mostly wait for each other on inputs this short
        (decisions.md, "Embedding texts side by side")."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.config = read_embedding_config(folder)
        self._workers = max(1, workers or cpu_threads())
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # warnings about unused initializers are noise here
        options.intra_op_num_threads = 1  # parallel across texts instead (see above)
        options.inter_op_num_threads = 1
        try:
            self._session = ort.InferenceSession(
                str(folder / MODEL_FILE), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        except Exception as exc:  # onnxruntime and tokenizers raise their own exception types
            raise ArtifactMissing(
                f"exported model at {folder} is unreadable ({exc}); rebuild with 'antidote kb build'"
            ) from exc
        self._tokenizer.enable_truncation(self.config.max_seq_length)
        self._tokenizer.enable_padding(pad_id=self.config.pad_token_id, pad_token=self.config.pad_token)
        self._batch_size = batch_size
        self.model_id = self.config.source_model
        self.dimensions = self.config.dimensions

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        prepared = [t.strip() for t in texts]
        if self.config.do_lower_case:
            prepared = [t.lower() for t in prepared]
        # Longest first, like sentence-transformers, so a batch pads to similar lengths; results in input order.
        order = sorted(range(len(prepared)), key=lambda i: -len(prepared[i]))
        out = np.empty((len(prepared), self.dimensions), dtype=np.float32)
        groups = [order[begin : begin + self._batch_size] for begin in range(0, len(order), self._batch_size)]
        if len(groups) == 1 or self._workers == 1:
            for rows in groups:
                out[rows] = self._encode_batch([prepared[i] for i in rows])
            return out
        # onnxruntime releases the GIL while it runs, so the texts really are encoded side by side.
        encoded = self._thread_pool().map(lambda rows: self._encode_batch([prepared[i] for i in rows]), groups)
        for rows, vectors in zip(groups, encoded, strict=True):
            out[rows] = vectors
        return out

    def _thread_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:  # created on first use: a single-text check never starts threads
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="onnx-embed")
            return self._pool

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        columns = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        feed = {name: columns[name] for name in self.config.input_names}
        (token_vectors,) = self._session.run([self.config.output_name], feed)
        vectors = pool(token_vectors, columns["attention_mask"], self.config.pooling)
        if self.config.normalize:
            vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return vectors
