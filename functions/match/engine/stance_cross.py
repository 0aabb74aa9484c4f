"""The stance cross-encoder at run time: MiniLM fine-tuned on (claim, post) pairs, exported to ONNX, no torch.

The bag-of-features stance model (``stance.py``) reads the post alone; sarcasm, shorthand and stories need the
post read *with* the claim. ``antidote kb train-stance`` fine-tunes the cross-encoder
(``stance_cross_training.py``) and commits its adapters to ``knowledge_base/stance_cross/``; ``kb build`` merges and
exports it into the artifact's ``stance_cross/`` folder::

    stance_cross/model.onnx         (claim, post) token ids in, one logit per alignment out
    stance_cross/tokenizer.json     MiniLM's tokenizer, truncating the post (never the claim) to max_seq_length
    stance_cross/stance_cross.json  classes, ensemble weight and the threshold on "spreads", provenance

The stance is the weighted mean of the two models' probabilities (the weight chosen on a fifth of the training
part); the post is said to spread the claim only when that probability reaches a threshold chosen there to favour
precision — a wrong correction costs more than a missed one. Must never import torch (a test checks).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from functions.match.engine.stance import Alignment, StanceModel, StanceResult, stance_of
from functions.shared.errors import ArtifactMissing
from functions.shared.models import Stance

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

CROSS_DIR = "stance_cross"
CROSS_MODEL_FILE = "model.onnx"
CROSS_TOKENIZER_FILE = "tokenizer.json"
CROSS_CONFIG_FILE = "stance_cross.json"
ADAPTER_FILE = "adapters.safetensors"


def claim_side(statement: str, is_myth: bool) -> str:
    """The first text of the pair: the verdict as a word, then the claim, so one model serves myths and facts."""
    return f"{'myth' if is_myth else 'fact'}: {statement}"


class LoraSettings(BaseModel):
    rank: int = Field(default=8, ge=1)
    alpha: int = Field(default=16, ge=1)
    dropout: float = Field(default=0.1, ge=0, lt=1)
    first_layer: int = Field(default=3, ge=0, description="Layers below stay frozen (MiniLM-L6 has 0-5).")


class CrossEncoderConfig(BaseModel):
    """``stance_cross.json``: how the cross-encoder was trained and how its output is used."""

    base_model: str = Field(description="ANTIDOTE_EMBEDDING_MODEL it was fine-tuned from (package or folder).")
    classes: list[Alignment] = Field(default_factory=lambda: list(Alignment))
    max_seq_length: int = Field(default=128, ge=16, le=512)
    lora: LoraSettings = Field(default_factory=LoraSettings)
    cross_weight: float = Field(default=1.0, ge=0, le=1, description="Its share of the mean with the other model.")
    spreads_threshold: float = Field(default=0.0, ge=0, le=1, description="Least probability to say 'spreads'.")
    adapter_sha256: str = ""
    provenance: dict[str, Any] = Field(default_factory=dict)

    @property
    def version(self) -> str:
        payload = self.model_dump_json(exclude={"provenance"})
        return "stance-cross-" + hashlib.sha256(payload.encode()).hexdigest()[:16]


def read_cross_config(folder: Path) -> CrossEncoderConfig:
    try:
        return CrossEncoderConfig.model_validate_json((folder / CROSS_CONFIG_FILE).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactMissing(f"stance cross-encoder configuration not found in {folder}") from exc
    except ValidationError as exc:
        raise ArtifactMissing(
            f"stance cross-encoder configuration in {folder} is invalid: {exc.errors()[0]['msg']}"
        ) from exc


class CrossEncoder:
    """The exported model with onnxruntime: alignment probabilities for (claim side, post) pairs."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.config = read_cross_config(folder)
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / CROSS_TOKENIZER_FILE))
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1  # a Lambda container has one vCPU's worth; locally, functions share cores
            self.session = ort.InferenceSession(
                str(folder / CROSS_MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime and tokenizers raise their own exception types
            raise ArtifactMissing(f"stance cross-encoder in {folder} cannot be loaded ({exc})") from exc
        self.input_names = [i.name for i in self.session.get_inputs()]

    def probabilities(self, claims: list[str], posts: list[str], batch_size: int = 32) -> np.ndarray:
        """One row per pair, columns in ``config.classes`` order."""
        rows = [np.zeros((0, len(self.config.classes)), dtype=np.float32)]
        for start in range(0, len(posts), batch_size):
            encoded = self.tokenizer.encode_batch(
                list(zip(claims[start : start + batch_size], posts[start : start + batch_size], strict=True))
            )
            feeds = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            logits = self.session.run(None, {n: feeds[n] for n in self.input_names})[0]
            rows.append(_softmax(np.asarray(logits, dtype=np.float32)))
        return np.vstack(rows)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: np.ndarray = shifted / shifted.sum(axis=1, keepdims=True)
    return result


def in_order(probabilities: np.ndarray, classes: list[Alignment], order: list[Alignment]) -> np.ndarray:
    """Columns rearranged from ``classes`` to ``order``."""
    return probabilities[:, [classes.index(a) for a in order]]


def combine(lexical: np.ndarray, cross: np.ndarray, weight: float) -> np.ndarray:
    """The weighted mean of two probability tables with the same column order."""
    return weight * cross + (1.0 - weight) * lexical


def choose(row: np.ndarray, classes: list[Alignment], spreads_threshold: float) -> Alignment:
    """The most probable alignment, except that "spreads" needs ``spreads_threshold``: below it the next one."""
    ranked = sorted(range(len(classes)), key=lambda i: -float(row[i]))
    best = classes[ranked[0]]
    if best is Alignment.SPREADS and float(row[ranked[0]]) < spreads_threshold:
        return classes[ranked[1]]
    return best


def results_from(
    probabilities: np.ndarray, classes: list[Alignment], claim_is_myth: list[bool], spreads_threshold: float
) -> list[StanceResult]:
    """Alignment probabilities → a stance per post, with the probabilities named by stance."""
    results = []
    for row, is_myth in zip(probabilities, claim_is_myth, strict=True):
        by_stance = {stance_of(a, is_myth).value: round(float(p), 4) for a, p in zip(classes, row, strict=True)}
        chosen = stance_of(choose(row, classes, spreads_threshold), is_myth)
        results.append(StanceResult(Stance(chosen), by_stance[chosen.value], by_stance))
    return results


def predict_with_cross(
    lexical: StanceModel,
    cross: CrossEncoder,
    texts: list[str],
    dense: np.ndarray,
    claims: list[tuple[str, bool]],
    posts: list[str],
) -> list[StanceResult]:
    """Both models on the same posts, mixed and thresholded as the cross-encoder's configuration says; whether a
    post is a risky disclosure is the lexical model's call, as without the cross-encoder.
    ``texts`` are the posts as written (the lexical model's cues), ``posts`` as normalised (what both encoders read),
    ``claims`` (statement, is_myth) of each post's top claim."""
    config = cross.config
    alignment, risky = lexical.alignment_and_risk(texts, dense)
    from_lexical = in_order(alignment, lexical.classes, config.classes)
    from_cross = cross.probabilities([claim_side(s, m) for s, m in claims], posts)
    mixed = combine(from_lexical, from_cross, config.cross_weight)
    found = results_from(mixed, config.classes, [m for _, m in claims], config.spreads_threshold)
    return [replace(result, risky=r) for result, r in zip(found, risky, strict=True)]


def load_cross_encoder(folder: Path) -> CrossEncoder | None:
    """The artifact's cross-encoder, or None when the index was built without one (the lexical model alone)."""
    return CrossEncoder(folder / CROSS_DIR) if (folder / CROSS_DIR / CROSS_CONFIG_FILE).is_file() else None


def committed_cross(stance_model_file: Path) -> Path | None:
    """``knowledge_base/stance_cross/`` beside the stance model's weights, when the cross-encoder was trained."""
    folder = stance_model_file.parent / CROSS_DIR
    return folder if (folder / CROSS_CONFIG_FILE).is_file() else None
