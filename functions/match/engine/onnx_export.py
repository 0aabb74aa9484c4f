"""Build time only: export a sentence-transformers model to ONNX for the torch-free runtime (``onnx_embedder``).

Works for BERT-like sentence-transformers models (Transformer → Pooling → optional Normalize), e.g. the default
all-MiniLM-L6-v2 or a multilingual MiniLM/XLM-R model; anything else is refused with the reason.

- **Export**: ``torch.onnx.export`` with the TorchScript tracer (``dynamo=False``), opset 17, batch and sequence
  axes dynamic. Its output is byte-identical for the same weights and versions (a test builds twice).
- **Quantisation**: dynamic int8 (``onnxruntime.quantization.quantize_dynamic``: int8 weights per output channel,
  activations quantised on the fly), keeping the feed-forward down-projections in fp32. ``quantise="auto"`` keeps
  it only when its embeddings of the probe texts (the knowledge base's own phrasings, every k-th of them up to
  ``MAX_PROBE_TEXTS``, so every claim and language is represented and the check costs seconds, not minutes) stay within
  ``INT8_MIN_MEAN_COSINE`` / ``INT8_MIN_COSINE`` of the torch model's, else the fp32 export is shipped. Those bounds
  come from measurement: all-MiniLM-L6-v2 in int8 reached a mean cosine of 0.9965–0.9976 to torch (depending on
  which layers stay fp32) and still changed 1.5 % of the matcher's decisions on held-back posts, so ``auto``
  ships fp32 for it; figures in docs/benchmarks.md ("Torch-free runtime") and docs/decisions.md.
- The fp32 export itself is checked against torch on the same probes (``FP32_MIN_COSINE``); a failing export
  stops the build instead of shipping a wrong model.

torch, transformers, sentence-transformers and onnx are imported inside functions: they are the ``build``
dependency group, absent from the Lambda image.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from functions.match.engine.embedder import SentenceTransformerEmbedder, describe_model, resolve_model_path
from functions.match.engine.onnx_embedder import (
    CONFIG_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    EmbeddingConfig,
    OnnxEmbedder,
    Pooling,
    Quantisation,
)
from functions.shared.errors import ArtifactMissing

OPSET = 17
OUTPUT_NAME = "token_embeddings"
FP32_MIN_COSINE = 0.999  # the export must reproduce the torch model
INT8_MIN_MEAN_COSINE = 0.999  # int8 is kept only if its embeddings stay this close to torch's on average …
INT8_MIN_COSINE = 0.995  # … and for every probe text (MiniLM's int8: 0.9965 mean flipped 1.5 % of decisions)
MAX_PROBE_TEXTS = 1200  # evenly spread; the whole knowledge base (5,716 phrasings) took 90 s of the build's 150
QuantiseChoice = Literal["auto", "int8", "fp32"]

_POOLING_KEYS: dict[str, Pooling] = {
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
}
_INT8_METHOD = "onnxruntime.quantization.quantize_dynamic: QInt8 weights per output channel, dynamic uint8 activations"


class ExportUnsupported(ArtifactMissing):
    """The configured model has a module or setting the ONNX runtime does not reproduce."""


def read_sentence_config(path: Path) -> tuple[Pooling, bool, int | None, bool]:
    """(pooling, normalize, max_seq_length, do_lower_case) from the model folder's own files: modules.json,
    the Pooling module's config.json and sentence_bert_config.json."""
    modules = json.loads((path / "modules.json").read_text("utf-8"))
    kinds = [str(m["type"]).rsplit(".", 1)[-1] for m in modules]
    if not kinds or kinds[0] != "Transformer" or "Pooling" not in kinds:
        raise ExportUnsupported(f"model at {path} is not Transformer → Pooling (modules: {kinds})")
    unsupported = [k for k in kinds if k not in {"Transformer", "Pooling", "Normalize"}]
    if unsupported:
        raise ExportUnsupported(f"model at {path} has modules the ONNX runtime does not reproduce: {unsupported}")
    pooling_dir = next(m["path"] for m in modules if str(m["type"]).endswith("Pooling"))
    config = json.loads((path / pooling_dir / "config.json").read_text("utf-8"))
    if "pooling_mode" in config:  # sentence-transformers ≥ 6 writes one key
        modes = config["pooling_mode"] if isinstance(config["pooling_mode"], list) else [config["pooling_mode"]]
        modes = [{"mean_tokens": "mean", "cls_token": "cls"}.get(m, m) for m in modes]
    else:
        modes = [mode for key, mode in _POOLING_KEYS.items() if config.get(key)]
        modes += [k for k, v in config.items() if k.startswith("pooling_mode_") and v and k not in _POOLING_KEYS]
    if len(modes) != 1 or modes[0] not in _POOLING_KEYS.values():
        raise ExportUnsupported(
            f"pooling {modes} of the model at {path} is not one of {sorted(_POOLING_KEYS.values())}"
        )
    if config.get("include_prompt") is False:
        raise ExportUnsupported(f"model at {path} pools without its prompt, which the ONNX runtime does not do")
    sbert_file = path / "sentence_bert_config.json"
    sbert = json.loads(sbert_file.read_text("utf-8")) if sbert_file.is_file() else {}
    max_seq = sbert.get("max_seq_length")
    pooling: Pooling = modes[0]
    return pooling, "Normalize" in kinds, int(max_seq) if max_seq else None, bool(sbert.get("do_lower_case", False))


def _weights_sha256(path: Path) -> str:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            return hashlib.sha256((path / name).read_bytes()).hexdigest()
    return ""


def _export_fp32(transformer: Any, tokenizer: Any, input_names: Sequence[str], target: Path) -> None:
    import torch

    class TokenEmbeddings(torch.nn.Module):
        """The Hugging Face model with positional inputs and one output: the last hidden state."""

        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: Any) -> Any:
            return self.model(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    sample = tokenizer(
        ["a short text", "a somewhat longer text, so that the batch is padded"], padding=True, return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "sequence"} for name in [*input_names, OUTPUT_NAME]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation warnings: the result is checked against torch
        torch.onnx.export(
            TokenEmbeddings(transformer).eval(),
            tuple(sample[name] for name in input_names),
            str(target),
            input_names=input_names,
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def down_projections(model_file: Path) -> list[str]:
    """MatMul nodes whose weight maps a wider space to a narrower one: the feed-forward blocks' output layers,
    whose inputs (after GELU) have the outliers that int8 handles worst."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(model_file))
    shapes = {i.name: numpy_helper.to_array(i).shape for i in model.graph.initializer}
    found = []
    for node in model.graph.node:
        if node.op_type != "MatMul":
            continue
        weight = next((shapes[name] for name in node.input if name in shapes), None)
        if weight is not None and len(weight) == 2 and weight[0] > weight[1]:
            found.append(node.name)
    return found


def _quantise(fp32: Path, target: Path) -> list[str]:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:  # importing onnxruntime.quantization calls logging.basicConfig(level=INFO) on the root logger
        from onnxruntime.quantization import QuantType, quantize_dynamic

        excluded = down_projections(fp32)
        quantize_dynamic(
            str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=excluded
        )
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    return excluded


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class _Source:
    """The sentence-transformers model being exported, and what its configuration says about it."""

    model: str
    path: Path
    reference: SentenceTransformerEmbedder
    transformer: Any
    hf_tokenizer: Any
    pooling: str
    model_normalizes: bool
    max_seq_length: int
    lower: bool
    input_names: list[str]


def _load_source(model: str) -> _Source:
    path = resolve_model_path(model)
    pooling, model_normalizes, max_seq, lower = read_sentence_config(path)
    reference = SentenceTransformerEmbedder(model)
    transformer = reference.model[0].auto_model.eval()
    hf_tokenizer = reference.model[0].tokenizer
    accepted = set(inspect.signature(transformer.forward).parameters)
    input_names: list[str] = [
        name
        for name in ("input_ids", "attention_mask", "token_type_ids")
        if name in accepted and (name in hf_tokenizer.model_input_names or name == "attention_mask")
    ]
    if hf_tokenizer.pad_token is None:
        raise ExportUnsupported(f"model at {path} has no padding token")
    max_seq_length = int(max_seq or reference.model.max_seq_length)
    return _Source(
        model, path, reference, transformer, hf_tokenizer, pooling, model_normalizes, max_seq_length, lower,
        input_names,
    )  # fmt: skip


def _write_tokenizer(source: _Source, out_dir: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(source.hf_tokenizer.backend_tokenizer.to_str())
    tokenizer.enable_truncation(source.max_seq_length)
    tokenizer.enable_padding(pad_id=int(source.hf_tokenizer.pad_token_id), pad_token=str(source.hf_tokenizer.pad_token))
    tokenizer.save(str(out_dir / TOKENIZER_FILE), pretty=False)


def _config(source: _Source, quantisation: Quantisation) -> EmbeddingConfig:
    import torch

    return EmbeddingConfig(
        source_model=describe_model(source.path),
        source_package=source.model,
        source_weights_sha256=_weights_sha256(source.path),
        dimensions=source.reference.dimensions,
        max_seq_length=source.max_seq_length,
        do_lower_case=source.lower,
        pooling=source.pooling,
        normalize=True,
        source_normalizes=source.model_normalizes,
        input_names=source.input_names,
        output_name=OUTPUT_NAME,
        pad_token=str(source.hf_tokenizer.pad_token),
        pad_token_id=int(source.hf_tokenizer.pad_token_id),
        opset=OPSET,
        exporter=f"torch.onnx.export (TorchScript tracer) torch {torch.__version__}",
        quantisation=quantisation,
    )


@dataclass(frozen=True)
class _Probe:
    """Compares the export in ``out_dir`` with torch on the probe texts."""

    source: _Source
    out_dir: Path
    texts: list[str]
    torch_vectors: np.ndarray

    def write(self, quantisation: Quantisation) -> EmbeddingConfig:
        embedding = _config(self.source, quantisation)
        (self.out_dir / CONFIG_FILE).write_text(embedding.model_dump_json(indent=2) + "\n", encoding="utf-8")
        return embedding

    def measure(self, quantisation: Quantisation) -> Quantisation:
        """Mean and min cosine between the export's and torch's embeddings of the probe texts."""
        self.write(quantisation)
        found = _cosines(OnnxEmbedder(self.out_dir).encode(self.texts), self.torch_vectors)
        return quantisation.model_copy(
            update={
                "probe_texts": len(self.texts),
                "mean_cosine_to_torch": round(float(found.mean()), 4),
                "min_cosine_to_torch": round(float(found.min()), 4),
            }
        )


def _choose(probe: _Probe, fp32_file: Path, fp32: Quantisation, quantise: QuantiseChoice) -> Quantisation:
    """int8 when asked, or (``auto``) when it stays within the check; otherwise the fp32 model is put back."""
    excluded = _quantise(fp32_file, probe.out_dir / MODEL_FILE)
    int8 = probe.measure(
        Quantisation(mode="int8", method=_INT8_METHOD, excluded_nodes=excluded, reason="int8 requested")
    )
    mean, low = int8.mean_cosine_to_torch or 0.0, int8.min_cosine_to_torch or 0.0
    bounds = f"mean cosine to torch {mean:.4f} (≥ {INT8_MIN_MEAN_COSINE}), min {low:.4f} (≥ {INT8_MIN_COSINE})"
    if quantise == "int8":
        return int8
    if mean >= INT8_MIN_MEAN_COSINE and low >= INT8_MIN_COSINE:
        return int8.model_copy(update={"reason": f"int8 kept: {bounds}"})
    shutil.copyfile(fp32_file, probe.out_dir / MODEL_FILE)
    return fp32.model_copy(update={"reason": f"int8 failed the check, fp32 kept: {bounds}"})


def export_model(
    model: str, out_dir: Path, probe_texts: Sequence[str], quantise: QuantiseChoice = "auto"
) -> EmbeddingConfig:
    """Export ``model`` (a folder or a package shipping one) into ``out_dir``: model.onnx, tokenizer.json,
    embedding.json. ``probe_texts`` check the export and decide int8 against fp32 (``quantise="auto"``)."""
    source = _load_source(model)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_tokenizer(source, out_dir)
    texts = [t for t in probe_texts if t.strip()]
    if not texts:
        raise ValueError("export_model needs probe texts to check the export against torch")
    texts = texts[:: -(-len(texts) // MAX_PROBE_TEXTS)]
    probe = _Probe(source, out_dir, texts, source.reference.encode(texts))
    with tempfile.TemporaryDirectory(prefix="antidote-onnx-") as scratch:
        fp32_file = Path(scratch) / "fp32.onnx"
        _export_fp32(source.transformer, source.hf_tokenizer, source.input_names, fp32_file)
        shutil.copyfile(fp32_file, out_dir / MODEL_FILE)
        fp32 = probe.measure(Quantisation(mode="fp32", method="none", reason="fp32 requested"))
        if (fp32.min_cosine_to_torch or 0.0) < FP32_MIN_COSINE:
            raise ExportUnsupported(
                f"the ONNX export of {model} differs from torch "
                f"(min cosine {fp32.min_cosine_to_torch:.4f} < {FP32_MIN_COSINE})"
            )
        final = fp32 if quantise == "fp32" else _choose(probe, fp32_file, fp32, quantise)
        return probe.write(final)
