"""The stance set's held-back part stays unseen: no example written later to train on sits close to a held-back post.

Examples marked ``training_only`` were written after the held-back part was fixed (knowledge_base/README.md, "The
stance set"); one that repeats a held-back post nearly word for word would let the model learn the test. Each is
checked against every held-back post by word overlap (Jaccard over lower-cased words) and by rapidfuzz's ratio,
the two checks the written batches were filtered with.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.stance_training import load_stance_examples
from functions.shared.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "knowledge_base"
MAX_WORD_OVERLAP = 0.35
MAX_FUZZY_RATIO = 75


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def test_no_training_only_example_is_close_to_a_held_back_post() -> None:
    examples = load_stance_examples(KB_DIR / "stance", {claim.id for claim in load_knowledge_base(KB_DIR).claims})
    held_back = [e.text.lower() for e in examples if e.split == "heldback"]
    written_later = [e for e in examples if e.training_only]
    assert len(held_back) > 700
    assert len(written_later) > 1000
    ratios = process.cdist([e.text.lower() for e in written_later], held_back, scorer=fuzz.ratio, workers=1)
    held_back_words = [words(text) for text in held_back]
    too_close = []
    for example, row in zip(written_later, ratios, strict=True):
        mine = words(example.text)
        overlap = max(len(mine & theirs) / max(1, len(mine | theirs)) for theirs in held_back_words)
        if overlap > MAX_WORD_OVERLAP or float(np.max(row)) > MAX_FUZZY_RATIO:
            too_close.append(example.id)
    assert too_close == []


def test_the_check_finds_a_copied_post() -> None:
    """The measure itself: a held-back post copied with a word changed is caught by both checks."""
    original = "my cousin got the flu shot and was in bed for a week, never again"
    copied = "my cousin got the flu shot and was in bed for a week, never ever again"
    overlap = len(words(original) & words(copied)) / len(words(original) | words(copied))
    assert overlap > MAX_WORD_OVERLAP
    assert fuzz.ratio(original, copied) > MAX_FUZZY_RATIO
