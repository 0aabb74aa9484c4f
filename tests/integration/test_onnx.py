"""The torch-free runtime's embeddings against the torch engine's, on the same texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from functions.match.engine.embedder import SentenceTransformerEmbedder
from functions.match.engine.onnx_embedder import MODEL_DIR, OnnxEmbedder, read_embedding_config
from functions.match.engine.onnx_export import INT8_MIN_COSINE, INT8_MIN_MEAN_COSINE, export_model
from functions.shared.settings import PROJECT_ROOT
from tests.conftest import MODEL

HELD_OUT = sorted((PROJECT_ROOT / "tests" / "data" / "heldout").glob("*.yaml"))
EDGE_CASES = [
    "flu",
    "Vaccines cause autism",
    "LA VACUNA CONTRA LA GRIPE TE DA GRIPE",  # upper case, Spanish: the tokenizer lower-cases
    "les vaccins provoquent l'autisme, c'est prouvé",
    "疫苗导致自闭症",
    "the flu shot gives you the flu " * 80,  # past max_seq_length: truncated like sentence-transformers does
    "  leading and trailing spaces  ",
]


def texts() -> list[str]:
    found: list[str] = []
    for path in HELD_OUT:
        data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
        found += [p["text"] for p in data["paraphrases"]] + list(data["unrelated"])
    return found + EDGE_CASES


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


@pytest.fixture(scope="module")
def torch_vectors(embedder: SentenceTransformerEmbedder) -> np.ndarray:
    return embedder.encode(texts())


def test_fp32_export_reproduces_the_torch_model(
    tmp_path_factory: pytest.TempPathFactory, torch_vectors: np.ndarray
) -> None:
    folder = tmp_path_factory.mktemp("fp32") / MODEL_DIR
    config = export_model(MODEL, folder, EDGE_CASES, quantise="fp32")
    assert config.quantisation.mode == "fp32"
    onnx = OnnxEmbedder(folder, batch_size=16)
    vectors = onnx.encode(texts())
    assert vectors.shape == torch_vectors.shape
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    found = cosines(vectors, torch_vectors)
    assert found.min() >= 0.99, found.min()
    assert found.mean() >= 0.999, found.mean()


def test_shipped_model_stays_close_to_the_torch_model(kb_index_dir: Path, torch_vectors: np.ndarray) -> None:
    """The artifact's model (int8 only where the build's check kept it; fp32 for MiniLM): docs/benchmarks.md."""
    folder = kb_index_dir / MODEL_DIR
    config = read_embedding_config(folder)
    found = cosines(OnnxEmbedder(folder).encode(texts()), torch_vectors)
    print(f"{config.quantisation.mode}: mean cosine {found.mean():.4f}, min {found.min():.4f} on {len(found)} texts")
    if config.quantisation.mode == "int8":
        assert found.mean() >= INT8_MIN_MEAN_COSINE - 0.002, found.mean()  # other texts than the build's probes
        assert found.min() >= INT8_MIN_COSINE - 0.01, found.min()
    else:
        assert found.min() >= 0.99, found.min()
        assert config.quantisation.reason.startswith("int8 failed the check")  # auto tried int8 and said why


def test_results_do_not_depend_on_batching_or_order(kb_index_dir: Path) -> None:
    """Each text runs alone (no padding; with int8, its dynamic activation scales come from that text only): a
    post's vector is the same whatever else is in its request or batch."""
    onnx = OnnxEmbedder(kb_index_dir / MODEL_DIR)
    sample = texts()[:20]
    together = onnx.encode(sample)
    alone = np.vstack([onnx.encode([t]) for t in sample])
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, onnx.encode(sample[::-1])[::-1])
    assert onnx.encode([]).shape == (0, onnx.dimensions)


def test_texts_encoded_side_by_side_get_the_vectors_they_get_one_after_another(kb_index_dir: Path) -> None:
    sample = texts()[:40]
    side_by_side = OnnxEmbedder(kb_index_dir / MODEL_DIR, workers=3)
    np.testing.assert_array_equal(
        side_by_side.encode(sample), OnnxEmbedder(kb_index_dir / MODEL_DIR, workers=1).encode(sample)
    )
    assert side_by_side._pool is not None  # it did run them in its threads


def test_int8_export_when_asked(tmp_path_factory: pytest.TempPathFactory, torch_vectors: np.ndarray) -> None:
    """`antidote kb build --quantise int8`: a third of the size, close to torch, down-projections kept in fp32."""
    folder = tmp_path_factory.mktemp("int8") / MODEL_DIR
    config = export_model(MODEL, folder, EDGE_CASES, quantise="int8")
    quantisation = config.quantisation
    assert quantisation.mode == "int8"
    assert len(quantisation.excluded_nodes) == 6  # one feed-forward down-projection per layer
    assert all("/output/dense/" in name for name in quantisation.excluded_nodes)
    assert (folder / "model.onnx").stat().st_size < 40 * 1024 * 1024  # fp32: about 90 MB
    found = cosines(OnnxEmbedder(folder).encode(texts()), torch_vectors)
    print(f"int8: mean cosine {found.mean():.4f}, min {found.min():.4f} on {len(found)} texts")
    assert found.mean() >= 0.99, found.mean()
    assert found.min() >= 0.97, found.min()
