"""Translations of claims, one file per language (``knowledge_base/translations/<lang>.yaml``).

A translator works on one language at a time, so each language is one file; the loader joins them to the claims.
Every high-harm myth must be translated into every language our users post in (REPLY_LANGUAGES), so that a post
in any of them gets a reply written in its own language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from functions.respond.drafting import counted_length
from functions.shared.claims import CORRECTION_MAX_CHARS, Claim, Harm, Translation, host_allowed

# The languages replies must be written in, besides English (the matching engine issue's list).
REPLY_LANGUAGES = ("ar", "bg", "de", "es", "fr", "ko", "pt", "ru", "zh")

# How a missing translation is reported. Every claim is translated into every reply language (2026-12-02), so a new
# high-harm myth cannot land untranslated; any other claim may, and is listed until its translations are written
# (a post in a missing language gets a draft marked "needs translation").
MISSING_TRANSLATION_SEVERITY = "error"
MISSING_TRANSLATION_SEVERITY_LOWER_HARM = "warning"


def translation_problems(
    kb_dir: Path,
    claims: list[Claim],
    allowed: list[str],
    load_yaml: Callable[[Path], Any],
) -> tuple[list[Claim], list[tuple[str, str, str, str]]]:
    """The claims with their translations joined, and every finding as (file, entry, message, severity)."""
    by_id = {claim.id: claim for claim in claims}
    joined: dict[str, dict[str, Translation]] = {claim.id: {} for claim in claims}
    problems: list[tuple[str, str, str, str]] = []
    folder = kb_dir / "translations"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = f"translations/{path.name}"
        for claim_id, translation, message in _entries(path, load_yaml):
            if message:
                problems.append((rel, claim_id, message, "error"))
            elif claim_id not in by_id:
                problems.append((rel, claim_id, "no claim has this id", "error"))
            elif translation is not None:
                problems += [
                    (rel, claim_id, m, "error") for m in _check(by_id[claim_id], path.stem, translation, allowed)
                ]
                joined[claim_id][path.stem] = translation
    problems += _missing(claims, joined)
    merged = [claim.model_copy(update={"translations": dict(sorted(joined[claim.id].items()))}) for claim in claims]
    return merged, problems


def _entries(path: Path, load_yaml: Callable[[Path], Any]) -> list[tuple[str, Translation | None, str]]:
    """(claim id, translation, problem message) for each entry of one language's file."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("translations"), dict):
        return [("-", None, "must be a mapping with 'language' and 'translations' (claim id → translation)")]
    if data.get("language") != path.stem:
        return [("language", None, f"'language' must be '{path.stem}', the file's name")]
    if path.stem not in REPLY_LANGUAGES:
        return [("language", None, f"'{path.stem}' is not one of the reply languages {', '.join(REPLY_LANGUAGES)}")]
    found: list[tuple[str, Translation | None, str]] = []
    for claim_id, raw in data["translations"].items():
        try:
            found.append((str(claim_id), Translation.model_validate(raw), ""))
        except ValidationError as exc:
            details = "; ".join(f"{'.'.join(map(str, e['loc'])) or '-'}: {e['msg']}" for e in exc.errors())
            found.append((str(claim_id), None, details))
    return found


def _check(claim: Claim, language: str, translation: Translation, allowed: list[str]) -> list[str]:
    messages: list[str] = []
    if language == claim.language:
        messages.append(f"the claim is written in '{language}' already")
    # X counts Chinese and Korean characters twice: the same budget as an English correction, counted as X does.
    weighted = counted_length(translation.correction, "x")
    if weighted > CORRECTION_MAX_CHARS:
        messages.append(f"correction is {weighted} long as X counts it (at most {CORRECTION_MAX_CHARS})")
    if claim.is_myth and not translation.variants:
        messages.append("a myth's translation needs at least one variant (how people post it in this language)")
    for source in translation.sources:
        if urlsplit(source.url).scheme != "https":
            messages.append(f"source is not https: {source.url}")
        elif not host_allowed(source.host, allowed):
            messages.append(f"source domain not on the allowlist: {source.host}")
    return messages


def _missing(claims: list[Claim], joined: dict[str, dict[str, Translation]]) -> list[tuple[str, str, str, str]]:
    problems = []
    for claim in claims:
        missing = [lang for lang in REPLY_LANGUAGES if lang not in joined[claim.id] and lang != claim.language]
        if not missing:
            continue
        if claim.harm is Harm.HIGH and claim.is_myth:
            message = f"high-harm myth not translated into {', '.join(missing)}"
            problems.append(("translations/", claim.id, message, MISSING_TRANSLATION_SEVERITY))
        else:
            message = f"not translated into {', '.join(missing)} (replies in those languages need translating)"
            problems.append(("translations/", claim.id, message, MISSING_TRANSLATION_SEVERITY_LOWER_HARM))
    return problems


def coverage(claims: list[Claim], high_harm_myths_only: bool = True) -> dict[str, int]:
    """How many claims each reply language covers (what `antidote kb validate` prints): the high-harm myths, which
    must all be translated, or every claim, whose translation lets a reply be drafted in the post's language."""
    counted = [c for c in claims if c.harm is Harm.HIGH and c.is_myth] if high_harm_myths_only else claims
    return {lang: sum(lang in c.translations for c in counted) for lang in REPLY_LANGUAGES} | {"of": len(counted)}
