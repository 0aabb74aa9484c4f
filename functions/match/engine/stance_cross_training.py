"""Build time only: fine-tune MiniLM as a cross-encoder that reads the claim and the post together.

The pair is ``("myth: <statement>" | "fact: <statement>", post)``: the encoder sees both texts in one sequence, so
attention can relate "lockdown couch syndrome" to "long covid is not real" — what the bag-of-features model cannot.
It predicts the post's side relative to the evidence (``Alignment``: spreads, counters, asks, neutral), mean-pools
the last layer and applies one linear layer. Only LoRA adapters (rank 8 on every attention and feed-forward
projection) and that layer are trained, so what is committed (``knowledge_base/stance_cross/``) is about a
megabyte; ``kb build`` merges the adapters into the installed MiniLM and exports the result to ONNX
(``export_cross_encoder``), which ``stance_cross.CrossEncoder`` runs with onnxruntime — never torch at run time.

torch, transformers, peft and safetensors are imported inside functions: they are the ``build`` group.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from functions.match.engine.embedder import resolve_model_path
from functions.match.engine.stance import Alignment
from functions.match.engine.stance_cross import (
    ADAPTER_FILE,
    CROSS_CONFIG_FILE,
    CROSS_MODEL_FILE,
    CROSS_TOKENIZER_FILE,
    CrossEncoder,
    CrossEncoderConfig,
    LoraSettings,
    claim_side,
)
from functions.shared.errors import ArtifactMissing

CLASSES = [a.value for a in Alignment]
TARGET_MODULES = ["query", "key", "value", "dense"]  # every projection of the BERT layers
EXPORT_MAX_PROBABILITY_GAP = 1e-4  # the ONNX export must give torch's probabilities


@dataclass(frozen=True)
class TrainingSettings:
    """Chosen for a shared 2-core CPU: short sequences, small batches, a few epochs, one thread."""

    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 5e-4
    warmup_share: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13
    threads: int = 1


@dataclass(frozen=True)
class Pair:
    claim: str  # claim_side(): verdict and statement
    post: str  # the normalised post text, as the matcher has it
    label: int  # index in CLASSES (-1 when unknown)


def dev_fifth(example_id: str) -> bool:
    """A fixed fifth of the training part, by a hash byte the held-back split does not use, for choosing the
    epoch, the ensemble weight and the threshold."""
    return hashlib.sha256(example_id.encode()).digest()[1] % 5 == 0


def _seed(seed: int) -> None:
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class _Tokenised:
    """Every pair tokenised once (no padding); batches are padded to their own longest pair."""

    def __init__(self, tokenizer: Any, pairs: Sequence[Pair], max_length: int) -> None:
        encoded = tokenizer(
            [p.claim for p in pairs], [p.post for p in pairs], truncation="only_second", max_length=max_length
        )
        self.input_ids: list[list[int]] = encoded["input_ids"]
        self.token_type_ids: list[list[int]] = encoded["token_type_ids"]
        self.labels = [p.label for p in pairs]
        self.pad_id = int(tokenizer.pad_token_id)

    def batch(self, rows: Sequence[int]) -> dict[str, Any]:
        import torch

        width = max(len(self.input_ids[r]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        types = torch.zeros((len(rows), width), dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(self.input_ids[r])
            ids[i, :n] = torch.tensor(self.input_ids[r])
            types[i, :n] = torch.tensor(self.token_type_ids[r])
            mask[i, :n] = 1
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def _classifier_class() -> Any:
    import torch

    class PairClassifier(torch.nn.Module):
        """BERT encoder → mean over the pair's tokens → dropout → one linear layer (one logit per class)."""

        def __init__(self, encoder: Any, classes: int, dropout: float = 0.1) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(int(encoder.config.hidden_size), classes)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.classify(hidden, attention_mask)

        def classify(self, hidden: Any, attention_mask: Any) -> Any:
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return PairClassifier


def _new_model(base: Path, lora: LoraSettings) -> tuple[Any, Any]:
    """The classifier over the base model with LoRA adapters on the layers from ``lora.first_layer`` up (the
    layers below stay frozen), and its tokenizer."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel, AutoTokenizer

    encoder = AutoModel.from_pretrained(str(base), add_pooling_layer=False)
    layers = list(range(lora.first_layer, int(encoder.config.num_hidden_layers)))
    config = LoraConfig(
        r=lora.rank,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=TARGET_MODULES,
        layers_to_transform=layers,
    )
    model = _classifier_class()(get_peft_model(encoder, config), len(CLASSES))
    return model, AutoTokenizer.from_pretrained(str(base))


def _trainable_state(model: Any) -> dict[str, Any]:
    return {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k or k.startswith("head.")}


class _LowerLayersOnce:
    """The hidden states entering the first trained layer, computed once per pair: the layers below are frozen
    and the pair never changes, so training runs only the top layers — several times cheaper on a CPU."""

    def __init__(self, model: Any, data: _Tokenised, first: int, batch_size: int) -> None:
        import torch

        self.bert = model.encoder.get_base_model()
        self.first = first
        self.labels = data.labels
        self.states: list[Any] = []
        model.eval()
        with torch.no_grad():
            for start in range(0, len(data.labels), batch_size):
                rows = range(start, min(start + batch_size, len(data.labels)))
                batch = data.batch(rows)
                hidden = self.bert(**batch, output_hidden_states=True).hidden_states[first]
                lengths = batch["attention_mask"].sum(dim=1).tolist()
                self.states += [hidden[i, : int(n)].clone() for i, n in enumerate(lengths)]

    def logits(self, model: Any, rows: Sequence[int]) -> Any:
        import torch

        width = max(int(self.states[r].shape[0]) for r in rows)
        hidden = torch.zeros((len(rows), width, self.states[rows[0]].shape[1]))
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = int(self.states[r].shape[0])
            hidden[i, :n] = self.states[r]
            mask[i, :n] = 1
        extended = self.bert._create_attention_masks(mask, None, hidden, None, None)[0]
        for layer in self.bert.encoder.layer[self.first :]:
            output = layer(hidden, attention_mask=extended)
            hidden = output[0] if isinstance(output, tuple) else output
        return model.classify(hidden, mask)

    def probabilities(self, model: Any, batch_size: int) -> np.ndarray:
        import torch

        model.eval()
        rows = []
        with torch.no_grad():
            for start in range(0, len(self.labels), batch_size):
                batch = list(range(start, min(start + batch_size, len(self.labels))))
                rows.append(torch.softmax(self.logits(model, batch), dim=-1).numpy())
        model.train()
        return np.vstack(rows) if rows else np.zeros((0, len(CLASSES)), dtype=np.float32)


@dataclass
class TrainedCrossEncoder:
    model: Any
    tokenizer: Any
    config: CrossEncoderConfig
    dev_probabilities: dict[int, np.ndarray]  # epoch → probabilities on the evaluation pairs (if any)
    states: dict[int, dict[str, Any]]  # epoch → the trained tensors after it

    def keep_epoch(self, epoch: int) -> None:
        """Put the adapters and head as they were after ``epoch`` back into the model."""
        self.model.load_state_dict(self.states[epoch], strict=False)


def _optimiser(model: Any, settings: TrainingSettings, steps_per_epoch: int) -> Callable[[Any], float]:
    """AdamW over the trained tensors with linear warm-up and decay; returns one optimisation step on a loss."""
    import torch

    parameters = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(parameters, lr=settings.learning_rate, weight_decay=settings.weight_decay)
    steps = settings.epochs * steps_per_epoch
    warmup = max(1, int(steps * settings.warmup_share))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )

    def step(loss: Any) -> float:
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        return float(loss.item())

    return step


def train_cross_encoder(
    pairs: Sequence[Pair],
    config: CrossEncoderConfig,
    settings: TrainingSettings,
    evaluate_on: Sequence[Pair] = (),
    log: Callable[[str], None] | None = None,
) -> TrainedCrossEncoder:
    """Fine-tune on ``pairs``; after each epoch, keep the trained tensors and the probabilities on ``evaluate_on``."""
    import torch

    _seed(settings.seed)
    torch.set_num_threads(settings.threads)
    model, tokenizer = _new_model(resolve_model_path(config.base_model), config.lora)
    first = config.lora.first_layer
    data = _LowerLayersOnce(model, _Tokenised(tokenizer, pairs, config.max_seq_length), first, settings.batch_size)
    held = _Tokenised(tokenizer, evaluate_on, config.max_seq_length) if evaluate_on else None
    dev_data = _LowerLayersOnce(model, held, first, settings.batch_size) if held else None
    step = _optimiser(model, settings, math.ceil(len(pairs) / settings.batch_size))
    generator = torch.Generator().manual_seed(settings.seed)
    labels = torch.tensor(data.labels)
    trained = TrainedCrossEncoder(model, tokenizer, config, {}, {})
    model.train()
    for epoch in range(1, settings.epochs + 1):
        order = torch.randperm(len(pairs), generator=generator).tolist()
        total = 0.0
        for start in range(0, len(order), settings.batch_size):
            rows = order[start : start + settings.batch_size]
            total += step(torch.nn.functional.cross_entropy(data.logits(model, rows), labels[rows])) * len(rows)
            if log and (start // settings.batch_size) % 20 == 19:
                done = start + len(rows)
                log(f"epoch {epoch}: {done}/{len(order)} pairs, running loss {total / done:.4f}")
        trained.states[epoch] = _trainable_state(model)
        if dev_data is not None:
            trained.dev_probabilities[epoch] = dev_data.probabilities(model, settings.batch_size)
        if log:
            log(f"epoch {epoch}: training loss {total / len(pairs):.4f}")
    model.eval()
    return trained


def save_adapters(trained: TrainedCrossEncoder, folder: Path) -> CrossEncoderConfig:
    """Write the adapters and the head (safetensors) and the configuration with the adapters' hash."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous() for k, v in sorted(_trainable_state(trained.model).items())}
    save_file(state, str(folder / ADAPTER_FILE), metadata={"format": "pt"})
    digest = hashlib.sha256((folder / ADAPTER_FILE).read_bytes()).hexdigest()
    config = trained.config.model_copy(update={"adapter_sha256": digest})
    (folder / CROSS_CONFIG_FILE).write_text(config.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return config


def load_trained(folder: Path, config: CrossEncoderConfig) -> tuple[Any, Any]:
    """The classifier with the committed adapters merged into the base model, and its tokenizer."""
    from safetensors.torch import load_file

    adapter = folder / ADAPTER_FILE
    if not adapter.is_file():
        raise ArtifactMissing(f"stance cross-encoder adapters not found: {adapter} (run 'antidote kb train-stance')")
    if hashlib.sha256(adapter.read_bytes()).hexdigest() != config.adapter_sha256:
        raise ArtifactMissing(f"{adapter} does not match its configuration's hash; retrain the stance model")
    model, tokenizer = _new_model(resolve_model_path(config.base_model), config.lora)
    state = load_file(str(adapter))
    missing = [k for k in model.load_state_dict(state, strict=False).missing_keys if "lora_" in k or "head." in k]
    if missing:
        raise ArtifactMissing(f"{adapter} lacks {len(missing)} trained tensors (e.g. {missing[0]})")
    model.encoder = model.encoder.merge_and_unload()
    return model.eval(), tokenizer


def export_cross_encoder(source: Path, out_dir: Path, probe: Sequence[tuple[str, str]]) -> CrossEncoderConfig:
    """Merge the committed adapters, export to ONNX (fp32, opset 17) with the tokenizer, and check the export gives
    torch's probabilities on ``probe`` pairs; a failing export stops the build."""
    import torch
    from tokenizers import Tokenizer

    config = CrossEncoderConfig.model_validate_json((source / CROSS_CONFIG_FILE).read_text("utf-8"))
    model, tokenizer = load_trained(source, config)
    out_dir.mkdir(parents=True, exist_ok=True)
    fast = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    fast.enable_truncation(config.max_seq_length, strategy="only_second")
    fast.enable_padding(pad_id=int(tokenizer.pad_token_id), pad_token=str(tokenizer.pad_token))
    fast.save(str(out_dir / CROSS_TOKENIZER_FILE), pretty=False)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tokenizer(
        ["myth: a claim", "fact: another"], ["a post", "a longer post here"], padding=True, return_tensors="pt"
    )
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            tuple(sample[n] for n in names),
            str(out_dir / CROSS_MODEL_FILE),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names} | {"logits": {0: "batch"}},
            opset_version=17,
            do_constant_folding=True,
            dynamo=False,
        )
    (out_dir / CROSS_CONFIG_FILE).write_text(config.model_dump_json(indent=2) + "\n", encoding="utf-8")
    _check_export(model, tokenizer, CrossEncoder(out_dir), probe, config.max_seq_length)
    return config


def _check_export(model: Any, tokenizer: Any, exported: CrossEncoder, probe: Sequence[tuple[str, str]], n: int) -> None:
    import torch

    claims, posts = [c for c, _ in probe], [p for _, p in probe]
    batch = tokenizer(claims, posts, truncation="only_second", max_length=n, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected = torch.softmax(model(**batch), dim=-1).numpy()
    gap = float(np.abs(exported.probabilities(claims, posts) - expected).max()) if probe else 0.0
    if gap > EXPORT_MAX_PROBABILITY_GAP:
        raise ArtifactMissing(f"the stance cross-encoder's ONNX export differs from torch (probability gap {gap:.2g})")


def pair_for(claim_statement: str, is_myth: bool, post: str, label: Alignment | None = None) -> Pair:
    return Pair(claim_side(claim_statement, is_myth), post, CLASSES.index(label.value) if label else -1)


@dataclass(frozen=True)
class Choice:
    """What the dev fifth chose, and how the chosen setting did there."""

    epochs: int
    cross_weight: float
    spreads_threshold: float
    accuracy: float
    spreads_precision: float
    spreads_recall: float
    precision_target_reached: bool


WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 … 0.95
TARGET_PRECISION = 0.95  # of "spreads" (→ correct): the stance issue's targets
TARGET_RECALL = 0.90


def spreads_figures(probabilities: np.ndarray, labels: Sequence[int], threshold: float) -> tuple[float, float, float]:
    """(accuracy, precision, recall) of "spreads" when it needs ``threshold`` (columns in CLASSES order)."""
    from functions.match.engine.stance_cross import choose

    order = [Alignment(c) for c in CLASSES]
    chosen = [CLASSES.index(choose(row, order, threshold).value) for row in probabilities]
    spreads = CLASSES.index(Alignment.SPREADS.value)
    truth = np.asarray(labels)
    predicted = np.asarray(chosen)
    hits = int(np.sum((predicted == spreads) & (truth == spreads)))
    precision = hits / max(1, int(np.sum(predicted == spreads)))
    recall = hits / max(1, int(np.sum(truth == spreads)))
    return float(np.mean(predicted == truth)), precision, recall


def choose_setting(lexical: np.ndarray, cross_by_epoch: dict[int, np.ndarray], labels: Sequence[int]) -> Choice:
    """Epoch, ensemble weight and threshold on the dev fifth: the least total shortfall from the stance issue's
    targets for "spreads" (precision 0.95, recall 0.90) — so neither a precise model that corrects almost nobody
    nor one that corrects everybody wins — then the most recall, then accuracy."""
    best: tuple[tuple[float, ...], Choice] | None = None
    for epochs, cross in sorted(cross_by_epoch.items()):
        for weight in WEIGHTS:
            mixed = weight * cross + (1.0 - weight) * lexical
            for threshold in THRESHOLDS:
                accuracy, precision, recall = spreads_figures(mixed, labels, threshold)
                shortfall = max(0.0, TARGET_PRECISION - precision) + max(0.0, TARGET_RECALL - recall)
                key = (-round(shortfall, 9), recall, accuracy)
                reached = precision >= TARGET_PRECISION
                choice = Choice(epochs, weight, threshold, accuracy, precision, recall, reached)
                if best is None or key > best[0]:
                    best = (key, choice)
    if best is None:
        raise ValueError("choose_setting needs at least one epoch's probabilities")
    return best[1]


def pairs_for(examples: Sequence[Any], claims: dict[str, Any]) -> list[Pair]:
    """(claim side, normalised post, alignment) for labelled stance examples."""
    from functions.match.engine.normalise import text_to_embed
    from functions.match.engine.stance import alignment_of

    pairs = []
    for example in examples:
        claim = claims[example.claim_id]
        label = alignment_of(example.stance, claim.is_myth)
        pairs.append(pair_for(claim.statement, claim.is_myth, text_to_embed(example.text), label))
    return pairs


def cross_provenance(choice: Choice, settings: TrainingSettings, fit: int, dev: int, total: int) -> dict[str, Any]:
    from datetime import UTC, datetime

    return {
        "command": "antidote kb train-stance-cross",
        "data": "knowledge_base/stance/*.jsonl, training split: fitted on four fifths, the fixed fifth chose",
        "fit_examples": fit,
        "dev_examples": dev,
        "examples": total,
        "epoch": choice.epochs,
        "epochs_tried": settings.epochs,
        "batch_size": settings.batch_size,
        "learning_rate": settings.learning_rate,
        "seed": settings.seed,
        "dev": {
            "accuracy": round(choice.accuracy, 4),
            "spreads_precision": round(choice.spreads_precision, 4),
            "spreads_recall": round(choice.spreads_recall, 4),
            "precision_target_reached": choice.precision_target_reached,
        },
        "trained_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
