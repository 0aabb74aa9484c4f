"""Measure redaction against labelled posts: per-kind recall and precision, and how much that must stay was removed.

The labelled set (``tests/data/pii/posts.jsonl``) gives each post's personal data by kind and value, and the
look-alikes that must survive (doses, "SPF 50", years, helplines, public figures). A fixed third of it, chosen by
a hash of each post's id so that adding posts never moves old ones, is held back: redaction rules are tuned on the
development part only, and the held-back figures are the ones reported. Nothing here prints a held-back post.
Posts written later to tune on (``"split": "development"`` in the file) are development posts whatever their id
hashes to: they add to the development part and never touch the held-back one.

A labelled item counts as removed only when every letter and digit of every place it occurs in the post was
inside a removed span; a look-alike counts as falsely removed when any of its letters or digits was; every other
word of the post is an ordinary word, falsely removed when any of its characters was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from functions.shared.redaction import Redaction

Split = Literal["development", "heldback"]
HELD_BACK_SHARE = 3  # one post in three
KINDS = (
    "person_name",
    "handle",
    "phone",
    "email",
    "address",
    "record_number",
    "date_of_birth",
    "card_number",
    "national_id",
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class LabelledPost:
    id: str
    text: str
    author_handle: str | None
    pii: tuple[tuple[str, str], ...]
    keep: tuple[str, ...]
    fixed_split: Split | None = None
    batch: str | None = None  # which round of written posts (e.g. "r3b"): lets one batch be measured alone

    @property
    def split(self) -> Split:
        if self.fixed_split is not None:
            return self.fixed_split
        digest = hashlib.sha256(self.id.encode()).digest()
        return "heldback" if digest[0] % HELD_BACK_SHARE == 0 else "development"


def load_posts(path: Path) -> list[LabelledPost]:
    posts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        posts.append(
            LabelledPost(
                id=row["id"],
                text=row["text"],
                author_handle=row.get("author_handle"),
                pii=tuple((item["kind"], item["value"]) for item in row["pii"]),
                keep=tuple(row.get("keep", [])),
                fixed_split="development" if row.get("split") == "development" else None,
                batch=row.get("batch"),
            )
        )
    return posts


def occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Every place ``value`` occurs in ``text`` as a whole (not inside a longer word)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(value) + r"(?!\w)")
    return [m.span() for m in pattern.finditer(text)] or [m.span() for m in re.finditer(re.escape(value), text)]


@dataclass
class Outcome:
    """One labelled item, look-alike or removed span, and whether the redactor got it right."""

    post_id: str
    kind: str
    value: str
    ok: bool


@dataclass
class Report:
    items: list[Outcome] = field(default_factory=list)  # labelled personal data: ok = removed
    keeps: list[Outcome] = field(default_factory=list)  # look-alikes: ok = survived
    spans: list[Outcome] = field(default_factory=list)  # removed spans by placeholder kind: ok = was labelled data
    ordinary_words: int = 0
    ordinary_removed: list[Outcome] = field(default_factory=list)

    def recall(self, kind: str) -> tuple[float, int]:
        chosen = [o for o in self.items if o.kind == kind]
        return (sum(o.ok for o in chosen) / len(chosen) if chosen else 1.0), len(chosen)

    def precision(self, kind: str | None = None) -> tuple[float, int]:
        chosen = [o for o in self.spans if kind is None or o.kind == kind]
        return (sum(o.ok for o in chosen) / len(chosen) if chosen else 1.0), len(chosen)

    @property
    def lookalike_removal_rate(self) -> float:
        return sum(not o.ok for o in self.keeps) / len(self.keeps) if self.keeps else 0.0

    @property
    def ordinary_removal_rate(self) -> float:
        return len(self.ordinary_removed) / self.ordinary_words if self.ordinary_words else 0.0

    @property
    def false_removal_rate(self) -> float:
        """Look-alikes and ordinary words removed, over all look-alikes and ordinary words."""
        wrong = sum(not o.ok for o in self.keeps) + len(self.ordinary_removed)
        total = len(self.keeps) + self.ordinary_words
        return wrong / total if total else 0.0

    def failures(self) -> list[Outcome]:
        return [o for o in (*self.items, *self.keeps) if not o.ok] + self.ordinary_removed


def _covered(removed: list[bool], start: int, end: int, text: str) -> tuple[bool, bool]:
    """(every letter/digit in start:end removed, any letter/digit removed)."""
    flags = [removed[i] for i in range(start, end) if text[i].isalnum()]
    return (all(flags) if flags else True), any(flags)


def score_post(post: LabelledPost, redaction: Redaction, report: Report) -> None:
    text = post.text
    removed = [False] * len(text)
    for span in redaction.spans:
        for i in range(span.start, span.end):
            removed[i] = True
    labelled: list[tuple[int, int]] = []
    for kind, value in post.pii:
        places = occurrences(text, value)
        labelled += places
        ok = bool(places) and all(_covered(removed, s, e, text)[0] for s, e in places)
        report.items.append(Outcome(post.id, kind, value, ok))
    for value in post.keep:
        places = occurrences(text, value)
        touched = any(_covered(removed, s, e, text)[1] for s, e in places)
        report.keeps.append(Outcome(post.id, "look-alike", value, not touched))
    for span in redaction.spans:
        hit = any(span.start < e and s < span.end for s, e in labelled)
        report.spans.append(Outcome(post.id, span.kind, text[span.start : span.end], hit))
    kept_places = [p for value in post.keep for p in occurrences(text, value)]
    for word in _WORD.finditer(text):
        s, e = word.span()
        if any(s < le and ls < e for ls, le in (*labelled, *kept_places)):
            continue
        report.ordinary_words += 1
        if any(removed[s:e]):
            report.ordinary_removed.append(Outcome(post.id, "ordinary word", word.group(0), False))


def evaluate(posts: Iterable[LabelledPost], redact: Callable[[str, str | None], Redaction]) -> Report:
    report = Report()
    for post in posts:
        score_post(post, redact(post.text, post.author_handle), report)
    return report


def format_report(name: str, report: Report) -> list[str]:
    """Plain-text lines: recall per labelled kind, precision per placeholder kind, false removals."""
    lines = [f"{name}: {len({o.post_id for o in report.items + report.keeps})} posts with labels"]
    for kind in KINDS:
        recall, count = report.recall(kind)
        lines.append(f"  recall     {kind:<15} {recall:6.3f}  ({count} items)")
    for kind in sorted({o.kind for o in report.spans}):
        precision, count = report.precision(kind)
        lines.append(f"  precision  {kind:<15} {precision:6.3f}  ({count} removed spans)")
    precision, count = report.precision()
    lines.append(f"  precision  {'all':<15} {precision:6.3f}  ({count} removed spans)")
    lines.append(
        f"  false removals {report.false_removal_rate:6.3%}: look-alikes {report.lookalike_removal_rate:.3%} "
        f"of {len(report.keeps)}, ordinary words {report.ordinary_removal_rate:.3%} of {report.ordinary_words}"
    )
    return lines


def summary(report: Report) -> dict[str, object]:
    """The figures as one JSON-ready mapping."""
    return {
        "recall": {kind: round(report.recall(kind)[0], 4) for kind in KINDS},
        "items": {kind: report.recall(kind)[1] for kind in KINDS},
        "precision": {kind: round(report.precision(kind)[0], 4) for kind in sorted({o.kind for o in report.spans})},
        "precision_all": round(report.precision()[0], 4),
        "lookalike_removal_rate": round(report.lookalike_removal_rate, 4),
        "ordinary_word_removal_rate": round(report.ordinary_removal_rate, 4),
        "false_removal_rate": round(report.false_removal_rate, 4),
    }
