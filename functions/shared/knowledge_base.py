"""The curated knowledge base: its schema, loading and validation.

The reviewed YAML files in ``knowledge_base/claims/`` are the source of truth. Everything downstream (the index,
replies, the review console) reads claims through :func:`load_knowledge_base`, so a claim that fails validation
never reaches a post.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator
from rapidfuzz import fuzz

from functions.shared.errors import KnowledgeBaseInvalid

CORRECTION_MAX_CHARS = 240
MIN_VARIANTS_PER_MYTH = 3
NEAR_DUPLICATE_SIMILARITY = 90.0  # rapidfuzz token_sort_ratio on normalised text, 0-100

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Correction = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=CORRECTION_MAX_CHARS)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class Verdict(StrEnum):
    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"
    TRUE = "true"


class Harm(StrEnum):
    """How much damage believing the claim can do; drives reply priority and SLA."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def weight(self) -> float:
        return {"low": 1.0, "medium": 2.0, "high": 3.0}[self.value]


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    publisher: Text
    url: Text

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


class Translation(BaseModel):
    """A claim's text in another language, so replies can be written in the post's language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    statement: Text
    correction: Correction
    variants: list[Text] = Field(default_factory=list)


class Claim(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
    statement: Text
    verdict: Verdict
    topic: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    harm: Harm
    language: LanguageCode = "en"
    correction: Correction
    explanation: Text
    sources: list[Source] = Field(min_length=1)
    variants: list[Text] = Field(default_factory=list)
    last_reviewed: date
    review_by: date
    translations: dict[LanguageCode, Translation] = Field(default_factory=dict)

    @property
    def is_myth(self) -> bool:
        return self.verdict is not Verdict.TRUE

    @field_validator("verdict", mode="before")
    @classmethod
    def _yaml_booleans_are_verdicts(cls, value: object) -> object:
        # Unquoted `verdict: false` in YAML arrives as a boolean; it means the verdict "false".
        return str(value).lower() if isinstance(value, bool) else value

    @model_validator(mode="after")
    def _check_rules(self) -> Claim:
        if self.is_myth and len(self.variants) < MIN_VARIANTS_PER_MYTH:
            raise ValueError(
                f"a myth needs at least {MIN_VARIANTS_PER_MYTH} variants (how people post it), has {len(self.variants)}"
            )
        if self.review_by <= self.last_reviewed:
            raise ValueError("review_by must be after last_reviewed")
        return self

    def texts(self) -> list[tuple[str, str]]:
        """Every phrasing that should retrieve this claim, as (kind, text), in a stable order."""
        out = [("statement", self.statement)] + [("variant", v) for v in self.variants]
        for lang in sorted(self.translations):
            tr = self.translations[lang]
            out += [(f"statement:{lang}", tr.statement)] + [(f"variant:{lang}", v) for v in tr.variants]
        return out

    def correction_in(self, language: str | None) -> tuple[str, str]:
        """The correction in ``language`` when the claim has it, else in the claim's own; returns (lang, text)."""
        if language and language in self.translations:
            return language, self.translations[language].correction
        return self.language, self.correction


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
class KnowledgeBase:
    claims: list[Claim]
    allowed_domains: list[str]
    version: str
    by_id: dict[str, Claim] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.claims}

    @property
    def topics(self) -> list[str]:
        return sorted({c.topic for c in self.claims})


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
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower()).strip()


def host_allowed(host: str, allowed_domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def _load_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
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
    claims_dir = kb_dir / "claims"
    sources_file = kb_dir / "sources.yaml"

    allowed: list[str] = []
    if not sources_file.is_file():
        problems.append(Problem("sources.yaml", "-", f"missing: {sources_file}"))
    else:
        data = _load_yaml(sources_file, problems)
        if isinstance(data, dict) and isinstance(data.get("allowed_domains"), list):
            allowed = [str(d).lower().strip() for d in data["allowed_domains"]]
        elif data is not None:
            problems.append(Problem("sources.yaml", "-", "must hold a list 'allowed_domains'"))

    files = sorted(claims_dir.glob("*.yaml")) if claims_dir.is_dir() else []
    if not files:
        problems.append(Problem("claims/", "-", f"no claim files (*.yaml) in {claims_dir}"))

    claims: list[tuple[str, Claim]] = []
    for path in files:
        rel = f"claims/{path.name}"
        data = _load_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Problem(rel, "-", "must be a YAML list of claim entries"))
            continue
        for index, raw in enumerate(data):
            entry = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
            if not isinstance(raw, dict):
                problems.append(Problem(rel, entry, "entry must be a mapping"))
                continue
            try:
                claim = Claim.model_validate(raw)
            except ValidationError as exc:
                problems.append(Problem(rel, entry, _format_validation_error(exc)))
                continue
            if claim.topic != path.stem:
                problems.append(Problem(rel, entry, f"topic '{claim.topic}' does not match file name '{path.stem}'"))
            for source in claim.sources:
                if urlsplit(source.url).scheme != "https":
                    problems.append(Problem(rel, entry, f"source is not https: {source.url}"))
                elif not host_allowed(source.host, allowed):
                    problems.append(Problem(rel, entry, f"source domain not on the allowlist: {source.host}"))
            if claim.review_by < today:
                problems.append(
                    Problem(rel, entry, f"review overdue: review_by {claim.review_by} is past", severity="warning")
                )
            claims.append((rel, claim))

    problems += _cross_entry_problems(claims)
    return ValidationReport([c for _, c in claims], allowed, problems)


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


def content_version(claims: Iterable[Claim], allowed_domains: Iterable[str]) -> str:
    """A hash of the knowledge base's content, so the same claims always give the same version."""
    payload = {
        "claims": [c.model_dump(mode="json") for c in sorted(claims, key=lambda c: c.id)],
        "allowed_domains": sorted(allowed_domains),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"kb-{digest[:16]}"


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
