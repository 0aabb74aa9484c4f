"""A trained tagger of private people's names in free text: a linear-chain CRF (CRFsuite) over word features.

The cue words, name lists and spaCy's model in ``names.py`` are rules written from examples; the tagger learns the
same decision from the labelled posts (``tests/data/pii/posts.jsonl``, development part only): which capitalised
words are a private person ("Had dinner with Olumide and Bisi", "spoke to Sven at the shop") and which are not (a
public figure in a news sense, a drug, a place, a brand). Its features are the word, its shape, whether it is a
listed given name or part of a listed public name, and the words around it. ``antidote pii train`` writes the
model (``name_tagger.crfsuite``, a few hundred KB, deterministic: CRFsuite's L-BFGS has no randomness); the
runtime only reads it. Tagging a post takes well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from functions.shared.names import first_names, public_names

MODEL_FILE = Path(__file__).with_name("name_tagger.crfsuite")
NAME, BEGIN, INSIDE, OUTSIDE = "N", "B-N", "I-N", "O"
# Words (with inner hyphens and apostrophes: "Al-Hashimi", "O'Donoghue"), a possessive "'s" apart, digits, or any
# other single character.
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?=['’]s\b)|['’]s\b|\w+(?:[-'’]\w+)*|[^\w\s]")
_SENTENCE_END = frozenset('.!?:;"“”()[]')
# CRFsuite's training settings: L-BFGS with both penalties (sparse and small weights), enough iterations to converge.
TRAINING_PARAMS = {"c1": 0.01, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def _public_words() -> frozenset[str]:
    return frozenset(word for name in public_names() for word in name.split())


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-ÖØ-Þ]", "X", word)
    shape = re.sub(r"[a-zß-öø-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1{2,}", r"\1\1", shape)


def _word_features(word: str, given: frozenset[str], public: frozenset[str]) -> dict[str, Any]:
    return {
        "lower": word.lower(),
        "shape": _shape(word),
        "title": word[:1].isupper() and word[1:2].islower(),
        "given": word in given or word.split("-", 1)[0] in given,
        "public": word in public,
    }


def _entity_labels(spans: Sequence[tuple[int, int]], doc: Any) -> list[str]:
    """The label of spaCy's entity each token falls in ("PERSON", "ORG", …), or "" outside any."""
    labels = [""] * len(spans)
    if doc is None:
        return labels
    for entity in doc.ents:
        for i, (start, end) in enumerate(spans):
            if start < entity.end_char and entity.start_char < end:
                labels[i] = entity.label_
    return labels


@dataclass(frozen=True)
class Evidence:
    """What redaction's rules already say about a post: where each rule (cue words, spaCy's people, listed given
    names) would put a name, which characters other steps found as personal data (``found``), and whether the post
    exposes someone's details. The tagger weighs these with the words themselves."""

    hints: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    found: tuple[tuple[int, int], ...] = ()
    exposes: bool = False


def _hint_features(spans: Sequence[tuple[int, int]], evidence: Evidence) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{} for _ in spans]
    for i, (start, end) in enumerate(spans):
        for source, places in evidence.hints.items():
            if any(s < end and start < e for s, e in places):
                rows[i][f"hint:{source}"] = True
        if any(s < end and start < e for s, e in evidence.found):
            rows[i]["found"] = True
    return rows


def features(
    text: str, spans: Sequence[tuple[int, int]], doc: Any = None, evidence: Evidence | None = None
) -> list[dict[str, Any]]:
    """One feature mapping per token: the word's own, its neighbours' (two each side), where it stands, the entity
    spaCy's model (``doc``, its reading of ``text``) puts it in, and what the rules say (``evidence``)."""
    given, public = first_names(), _public_words()
    words = [text[s:e] for s, e in spans]
    own = [_word_features(word, given, public) for word in words]
    for mapping, entity in zip(own, _entity_labels(spans, doc), strict=True):
        mapping["entity"] = entity
    hints = _hint_features(spans, evidence or Evidence())
    for mapping, hint in zip(own, hints, strict=True):
        mapping.update(hint)
    rows: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        row: dict[str, Any] = {"bias": 1.0, **own[i], "suffix3": word[-3:].lower(), "prefix2": word[:2].lower()}
        row["sentence_start"] = i == 0 or words[i - 1] in _SENTENCE_END
        row["exposes"] = evidence is not None and evidence.exposes
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                for key in ("lower", "title", "given", "public", "entity"):
                    row[f"{offset}:{key}"] = own[j][key]
                for key in (k for k in own[j] if k.startswith("hint:")):
                    row[f"{offset}:{key}"] = True
            else:
                row[f"{offset}:edge"] = True
        if i > 0:
            row["-1|0"] = f"{own[i - 1]['lower']}|{own[i]['shape']}"
        rows.append(row)
    return rows


def labels(spans: Sequence[tuple[int, int]], names: Iterable[tuple[int, int]]) -> list[str]:
    """BIO labels of the tokens, given where the names are (characters)."""
    tags = [OUTSIDE] * len(spans)
    for start, end in sorted(names):
        inside = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
        for n, i in enumerate(inside):
            tags[i] = BEGIN if n == 0 else INSIDE
    return tags


_active = {"model": MODEL_FILE}


def use_model_file(path: Path) -> None:
    """Tag with the model at ``path`` from now on (cross-validation trains one model per fold)."""
    _active["model"] = path
    _tagger.cache_clear()


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(_active["model"]))
    return tagger


def tagged_names(text: str, doc: Any, evidence: Evidence | None = None) -> list[tuple[int, int]]:
    """Where the tagger sees private people's names in ``text`` (character spans); ``doc`` is spaCy's reading."""
    spans = tokens(text)
    if not spans:
        return []
    found: list[tuple[int, int]] = []
    tags = _tagger().tag(_as_items(features(text, spans, doc, evidence)))
    for (start, end), tag in zip(spans, tags, strict=True):
        if tag == INSIDE and found and not text[found[-1][1] : start].strip():
            found[-1] = (found[-1][0], end)
        elif tag != OUTSIDE:
            found.append((start, end))
    return found


def _as_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CRFsuite's item form: booleans as 1.0/0.0 weights, strings as 'key=value' with weight 1."""
    items = []
    for row in rows:
        item: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    item[key] = 1.0
            elif isinstance(value, str):
                item[f"{key}={value}"] = 1.0
            else:
                item[key] = float(value)
        items.append(item)
    return items


Example = tuple[str, Any, "Evidence | None", list[tuple[int, int]]]
"""One post to learn from: its text, spaCy's reading, the rules' evidence and where its private names are."""


def train(examples: Iterable[Example], model_file: Path = MODEL_FILE) -> int:
    """Fit the tagger on examples and write its model; returns how many texts it learned from."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    for text, doc, evidence, names in examples:
        spans = tokens(text)
        if spans:
            trainer.append(_as_items(features(text, spans, doc, evidence)), labels(spans, names))
            count += 1
    trainer.set_params(TRAINING_PARAMS)
    trainer.train(str(model_file))
    return count
