"""Which index reads a post: the English engine (MiniLM) or the multilingual one (USE-m).

English stays on the engine every English figure was measured with; every other language goes to the
multilingual index. The language comes from whoever knows it (ingest's detection stored with the post, a claim
check's declared ``language``); without one, the script decides: a post written mostly in a non-Latin script
(Hangul, Cyrillic, Han, Arabic, …) cannot be English. Nothing here loads a model, so an English check pays nothing.
"""

from __future__ import annotations

ENGLISH = "en"
# A post is routed by its script when at least this share of its letters are outside the Latin script.
NON_LATIN_SHARE = 0.5
_LATIN_RANGES = ((0x0041, 0x024F), (0x1E00, 0x1EFF), (0xFF21, 0xFF5A))  # Latin, Latin Extended, fullwidth Latin


def _is_latin(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _LATIN_RANGES)


def non_latin_share(text: str) -> float:
    """The share of the text's letters written in a script other than Latin (0 when it has no letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(not _is_latin(c) for c in letters) / len(letters)


def is_multilingual(text: str, language: str | None) -> bool:
    """True when the post should be read by the multilingual index rather than the English engine."""
    if language:
        return language.strip().lower()[:2] != ENGLISH
    return non_latin_share(text) >= NON_LATIN_SHARE
