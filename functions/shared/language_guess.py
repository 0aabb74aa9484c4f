"""The language of a text whose sender did not declare it: partners' claim checks.

Ingest detects languages with lingua (``functions/ingest/language.py``), whose models cost 195-200 MB the first
time they read Latin text and 60-70 MB per other script; the match function answers claim checks inside a 400 MB
budget (issue 11), so it cannot load them. Google's CLD2 (``pycld2``) has its model compiled into a C extension of a
few MB and reads a text in microseconds. Only an answer CLD2 itself calls reliable is used; otherwise None, and the
caller keeps its default (English), as before this existed. Measured beside lingua in
``scripts/benchmarks/language_detection.py`` and beside other identifiers that would fit in
``scripts/benchmarks/language_guess_alternatives.py`` (docs/decisions.md, "A language for claim checks sent without
one").
"""

from __future__ import annotations

import re

import pycld2

# Fewer letters than this say nothing about a language.
_MIN_LETTERS = 5
# Links, handles and hashtags are not words of the text's language.
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])[@#][\w.-]+", re.IGNORECASE)
# CLD2's codes that are not ISO 639-1 two-letter codes, as the service writes languages.
_CODES = {"zh-Hant": "zh", "iw": "he", "jw": "jv"}


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language when CLD2 is sure of it, else None."""
    words = _NOT_WORDS.sub(" ", text)
    if sum(char.isalpha() for char in words) < _MIN_LETTERS:
        return None
    try:
        reliable, _, details = pycld2.detect(words)
    except (pycld2.error, UnicodeError):  # text CLD2 cannot read (lone surrogates, invalid bytes)
        return None
    code = str(details[0][1])
    if not reliable or code == "un":
        return None
    return _CODES.get(code, code.split("-", maxsplit=1)[0])
