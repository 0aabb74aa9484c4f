"""Curation tooling: load the reviewed YAML, check every rule a curator must meet, report each finding.

Used by ``antidote kb`` and the index build only; no Lambda imports this module (it needs yaml and rapidfuzz).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from functions.curation.translations import translation_problems
from functions.shared.claims import Claim, KnowledgeBase, content_version, host_allowed
from functions.shared.errors import KnowledgeBaseInvalid

NEAR_DUPLICATE_SIMILARITY = 90.0  # rapidfuzz token_sort_ratio on normalised text, 0-100


@dataclass(frozen=True)
class Problem:
    """One validation finding, located precisely enough that a curator can fix it without searching."""

    file: str
    entry: str
    message: str
    severity: str = "error"  # "error" blocks the build; "warning" is reported only

    def __str__(self) -> str:
        return f"{self.file} [{self.entry}]: {self.message}"


@dataclass
class ValidationReport:
    claims: list[Claim]
    allowed_domains: list[str]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def _normalise_for_comparison(text: str) -> str:
    """Case-folded words of any script (translations are Cyrillic, Hangul, Han, Arabic …), punctuation dropped."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# libyaml's safe loader (PyYAML's wheels ship it) reads the knowledge base about ten times faster than the pure-Python
# one; the same safe constructors either way.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(path.name, "-", f"cannot read: {str(exc).splitlines()[0]}"))
        return None


def _format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "entry"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def validate_knowledge_base(kb_dir: Path, today: date | None = None) -> ValidationReport:
    """Check every rule a curator must meet and report all findings at once, each naming file and entry."""
    today = today or date.today()
    problems: list[Problem] = []
    allowed = _allowed_domains(kb_dir / "sources.yaml", problems)
    claims_dir = kb_dir / "claims"
    files = sorted(claims_dir.glob("*.yaml")) if claims_dir.is_dir() else []
    if not files:
        problems.append(Problem("claims/", "-", f"no claim files (*.yaml) in {claims_dir}"))
    claims: list[tuple[str, Claim]] = []
    for path in files:
        for rel, claim in _claims_in(path, problems):
            problems += _claim_problems(rel, claim, path.stem, allowed, today)
            claims.append((rel, claim))
    translated, found = translation_problems(
        kb_dir, [c for _, c in claims], allowed, lambda path: _load_yaml(path, problems)
    )
    problems += [Problem(*finding) for finding in found]
    claims = [(rel, claim) for (rel, _), claim in zip(claims, translated, strict=True)]
    problems += _cross_entry_problems(claims)
    return ValidationReport([c for _, c in claims], allowed, problems)


def _allowed_domains(sources_file: Path, problems: list[Problem]) -> list[str]:
    if not sources_file.is_file():
        problems.append(Problem("sources.yaml", "-", f"missing: {sources_file}"))
        return []
    data = _load_yaml(sources_file, problems)
    if isinstance(data, dict) and isinstance(data.get("allowed_domains"), list):
        return [str(d).lower().strip() for d in data["allowed_domains"]]
    if data is not None:
        problems.append(Problem("sources.yaml", "-", "must hold a list 'allowed_domains'"))
    return []


def _claims_in(path: Path, problems: list[Problem]) -> list[tuple[str, Claim]]:
    """The schema-valid claims of one file; every entry that is not valid becomes a problem."""
    rel = f"claims/{path.name}"
    data = _load_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(rel, "-", "must be a YAML list of claim entries"))
        return []
    claims: list[tuple[str, Claim]] = []
    for index, raw in enumerate(data):
        if not isinstance(raw, dict):
            problems.append(Problem(rel, f"#{index + 1}", "entry must be a mapping"))
            continue
        if "translations" in raw:
            message = "translations live in translations/<language>.yaml, one file per language"
            problems.append(Problem(rel, str(raw.get("id", f"#{index + 1}")), message))
            continue
        try:
            claims.append((rel, Claim.model_validate(raw)))
        except ValidationError as exc:
            problems.append(Problem(rel, str(raw.get("id", f"#{index + 1}")), _format_validation_error(exc)))
    return claims


def _claim_problems(rel: str, claim: Claim, file_stem: str, allowed: list[str], today: date) -> list[Problem]:
    problems: list[Problem] = []
    if claim.topic != file_stem:
        problems.append(Problem(rel, claim.id, f"topic '{claim.topic}' does not match file name '{file_stem}'"))
    for source in claim.sources:
        if urlsplit(source.url).scheme != "https":
            problems.append(Problem(rel, claim.id, f"source is not https: {source.url}"))
        elif not host_allowed(source.host, allowed):
            problems.append(Problem(rel, claim.id, f"source domain not on the allowlist: {source.host}"))
    if claim.review_by < today:
        problems.append(
            Problem(rel, claim.id, f"review overdue: review_by {claim.review_by} is past", severity="warning")
        )
    return problems


def _cross_entry_problems(claims: list[tuple[str, Claim]]) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    for rel, claim in claims:
        if claim.id in seen_ids:
            problems.append(Problem(rel, claim.id, f"duplicate id (also in {seen_ids[claim.id]})"))
        else:
            seen_ids[claim.id] = rel

    # A phrasing that retrieves two different claims would make matching ambiguous.
    owner_of_text: dict[str, str] = {}
    for rel, claim in claims:
        for _, text in claim.texts():
            key = _normalise_for_comparison(text)
            other = owner_of_text.setdefault(key, claim.id)
            if other != claim.id:
                problems.append(Problem(rel, claim.id, f"text '{text[:60]}' is also a phrasing of '{other}'"))

    statements = [(rel, c, _normalise_for_comparison(c.statement)) for rel, c in claims]
    for i, (rel, claim, norm) in enumerate(statements):
        for _, twin, twin_norm in statements[i + 1 :]:
            if claim.id == twin.id:
                continue
            similarity = fuzz.token_sort_ratio(norm, twin_norm)
            if similarity >= NEAR_DUPLICATE_SIMILARITY:
                problems.append(
                    Problem(rel, claim.id, f"statement near-duplicates '{twin.id}' (similarity {similarity:.0f})")
                )
    return problems


def load_knowledge_base(kb_dir: Path, today: date | None = None) -> KnowledgeBase:
    """Load a valid knowledge base or raise :class:`KnowledgeBaseInvalid` listing every error."""
    report = validate_knowledge_base(kb_dir, today)
    if report.errors:
        raise KnowledgeBaseInvalid([str(p) for p in report.errors])
    claims = sorted(report.claims, key=lambda c: c.id)
    return KnowledgeBase(claims, report.allowed_domains, content_version(claims, report.allowed_domains))


def load_unrelated_posts(kb_dir: Path) -> list[str]:
    """Curated on-topic posts that repeat no claim (``unrelated_posts/*.yaml``), used only for calibration."""
    posts: list[str] = []
    problems: list[Problem] = []
    for path in sorted((kb_dir / "unrelated_posts").glob("*.yaml")):
        data = _load_yaml(path, problems)
        entries = data.get("posts") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(isinstance(p, str) and p.strip() for p in entries):
            problems.append(Problem(f"unrelated_posts/{path.name}", "posts", "must be a list of non-empty strings"))
            continue
        posts += entries
    if problems:
        raise KnowledgeBaseInvalid([str(p) for p in problems])
    return posts
