"""Reading a sentence-transformers model's own configuration for the ONNX runtime, and pooling (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from functions.match.engine.onnx_embedder import pool
from functions.match.engine.onnx_export import ExportUnsupported, read_sentence_config

TRANSFORMER = {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}
POOLING = {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
NORMALIZE = {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}


def model_folder(tmp_path: Path, modules: list[dict[str, Any]], pooling: dict[str, Any], sbert: Any = None) -> Path:
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    if sbert is not None:
        (tmp_path / "sentence_bert_config.json").write_text(json.dumps(sbert))
    return tmp_path


def test_minilm_style_configuration(tmp_path: Path) -> None:
    folder = model_folder(
        tmp_path,
        [TRANSFORMER, POOLING, NORMALIZE],
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True},
        {"max_seq_length": 256, "do_lower_case": False},
    )
    assert read_sentence_config(folder) == ("mean", True, 256, False)


def test_new_style_pooling_key_and_cls(tmp_path: Path) -> None:
    folder = model_folder(tmp_path, [TRANSFORMER, POOLING], {"pooling_mode": "cls"}, {"max_seq_length": 128})
    assert read_sentence_config(folder) == ("cls", False, 128, False)


def test_missing_sentence_bert_config_leaves_the_length_to_the_model(tmp_path: Path) -> None:
    folder = model_folder(tmp_path, [TRANSFORMER, POOLING], {"pooling_mode_max_tokens": True})
    assert read_sentence_config(folder) == ("max", False, None, False)


@pytest.mark.parametrize(
    ("modules", "pooling", "message"),
    [
        (
            [TRANSFORMER, POOLING, {**POOLING, "path": "2_Dense", "type": "sentence_transformers.models.Dense"}],
            {"pooling_mode_mean_tokens": True},
            "Dense",
        ),
        ([TRANSFORMER, POOLING], {"pooling_mode_lasttoken": True}, "pooling"),
        ([TRANSFORMER, POOLING], {"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": True}, "pooling"),
        ([POOLING], {"pooling_mode_mean_tokens": True}, "not Transformer"),
    ],
)
def test_what_the_runtime_cannot_reproduce_is_refused(
    tmp_path: Path, modules: list[dict[str, Any]], pooling: dict[str, Any], message: str
) -> None:
    folder = model_folder(tmp_path, modules, pooling)
    with pytest.raises(ExportUnsupported, match=message):
        read_sentence_config(folder)


def test_pooling_ignores_padding() -> None:
    tokens = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]], [[5.0, 6.0], [-1.0, 0.0], [7.0, 8.0]]], np.float32)
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    np.testing.assert_allclose(pool(tokens, mask, "mean"), [[2.0, 3.0], [11 / 3, 14 / 3]], rtol=1e-6)
    np.testing.assert_allclose(pool(tokens, mask, "cls"), [[1.0, 2.0], [5.0, 6.0]])
    np.testing.assert_allclose(pool(tokens, mask, "max"), [[3.0, 4.0], [7.0, 8.0]])
    np.testing.assert_allclose(
        pool(tokens, mask, "mean_sqrt_len_tokens"),
        [[4 / np.sqrt(2), 6 / np.sqrt(2)], [11 / np.sqrt(3), 14 / np.sqrt(3)]],
        rtol=1e-6,
    )
