"""Detect the language of a post so that a match and a reply use the right knowledge-base translation.

lingua ships its language models inside the wheel, so detection needs no download at run time. The detector knows
the ten languages the service writes replies in, Italian and Dutch, and the languages that share a script with
them and would otherwise be taken for them (Ukrainian for Russian or Bulgarian, Persian and Urdu for Arabic,
Japanese for Chinese): a Ukrainian post is called Ukrainian, so its item says "needs translation", instead of
getting a Russian reply. It is built once, on first use; lingua first narrows the candidates to the post's script,
so Korean and Chinese cost nothing, and a script's models load only when a post in it arrives (Latin about a
second and 180 MB, Cyrillic and Arabic about 0.8 s and 70-110 MB each: ``scripts/benchmarks/language_detection.py``).
A minimum relative distance makes lingua answer None for text too short or too mixed to call, rather than guess.
"""

from __future__ import annotations

import re
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

DETECTED: dict[Language, str] = {
    Language.ENGLISH: "en",
    Language.SPANISH: "es",
    Language.FRENCH: "fr",
    Language.GERMAN: "de",
    Language.PORTUGUESE: "pt",
    Language.ITALIAN: "it",
    Language.DUTCH: "nl",
    Language.ARABIC: "ar",
    Language.BULGARIAN: "bg",
    Language.KOREAN: "ko",
    Language.RUSSIAN: "ru",
    Language.CHINESE: "zh",
    # told apart from the ones above, never served in them
    Language.UKRAINIAN: "uk",
    Language.PERSIAN: "fa",
    Language.URDU: "ur",
    Language.JAPANESE: "ja",
}
# How far ahead of the runner-up the winner must be: 0.2 keeps every demo post with a declared language and
# refuses mixed or one-word text ("taxi hotel", "hello hola bonjour" is still a guess lingua makes, see tests).
MINIMUM_RELATIVE_DISTANCE = 0.2
# Fewer letters than this say nothing about a language, and lingua would guess anyway ("lol" -> it, "omg" -> nl).
_MIN_LETTERS = 5

_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,24}/\S*", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.-]+(?:@[\w-]+(?:\.[\w-]+)+)?")
_EMAIL = re.compile(r"\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Placeholders left by redaction ("[email]", "[@user]") are English words in any post.
_PLACEHOLDER = re.compile(r"\[(?:email|phone|address|record number|date of birth|name|@user)\]")
_HTML_TAG = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"\s+")
_DECLARED = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$")


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*DETECTED)
        .with_minimum_relative_distance(MINIMUM_RELATIVE_DISTANCE)
        .build()
    )


def _clean(text: str) -> str:
    """The words of a post: no links, handles, emails, placeholders or markup; hashtags keep their word, not '#'."""
    text = _PLACEHOLDER.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = text.replace("#", " ")
    return _SPACE.sub(" ", text).strip()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (one of DETECTED's) of the post's language, or None when it cannot be told."""
    cleaned = _clean(text)
    if sum(ch.isalpha() for ch in cleaned) < _MIN_LETTERS:
        return None
    language = _detector().detect_language_of(cleaned)
    return DETECTED.get(language) if language is not None else None


def normalise_declared(declared: str | None) -> str | None:
    """'en', 'EN', 'en-GB', 'pt_BR' -> the two-letter code; anything else (None, '', 'und', 'english') -> None."""
    if not declared:
        return None
    match = _DECLARED.match(declared.strip().lower())
    return match.group(1) if match else None


def resolve_language(declared: str | None, text: str) -> str | None:
    """The platform's declared language when it gives one, else the detected language of the text."""
    return normalise_declared(declared) or detect_language(text)
