"""The knowledge base's runtime model: claims, their verdicts, sources and translations.

Every function reads claims through these types; the curation tooling (``functions/curation``) loads and
validates the reviewed YAML into them, and the index build publishes them as ``claims.json`` beside the index,
so no Lambda needs YAML, validation or the matching engine to show a claim.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from functions.shared.errors import ArtifactMissing
from functions.shared.seasons import Season

CORRECTION_MAX_CHARS = 240
MIN_VARIANTS_PER_MYTH = 3

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
    # A page in this language from an allowlisted publisher, when one exists; replies fall back to the claim's own.
    sources: list[Source] = Field(default_factory=list)


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
    season: Season | None = None  # the months it matters per hemisphere (functions/shared/seasons.py)

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

    def texts(self, with_translations: bool = True) -> list[tuple[str, str]]:
        """Every phrasing that should retrieve this claim, as (kind, text), in a stable order."""
        out = [("statement", self.statement)] + [("variant", v) for v in self.variants]
        for lang in sorted(self.translations) if with_translations else []:
            tr = self.translations[lang]
            out += [(f"statement:{lang}", tr.statement)] + [(f"variant:{lang}", v) for v in tr.variants]
        return out

    def sources_in(self, language: str | None) -> list[Source]:
        """The sources to cite for a reply in ``language``: the translation's own first, then the claim's."""
        translation = self.translations.get(language or "")
        own = list(translation.sources) if translation else []
        return own + [s for s in self.sources if s not in own]

    def correction_in(self, language: str | None) -> tuple[str, str]:
        """The correction in ``language`` when the claim has it, else in the claim's own; returns (lang, text)."""
        if language and language in self.translations:
            return language, self.translations[language].correction
        return self.language, self.correction


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


def host_allowed(host: str, allowed_domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def content_version(claims: Iterable[Claim], allowed_domains: Iterable[str]) -> str:
    """A hash of the knowledge base's content, so the same claims always give the same version."""
    payload = {
        "claims": [c.model_dump(mode="json") for c in sorted(claims, key=lambda c: c.id)],
        "allowed_domains": sorted(allowed_domains),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"kb-{digest[:16]}"


CLAIMS_FILE = "claims.json"
MANIFEST_FILE = "manifest.json"


def read_published_claims(index_dir: Path) -> tuple[list[Claim], str]:
    """The claims and KB version the index build published: for code that shows claims but never matches."""
    try:
        manifest = json.loads((index_dir / MANIFEST_FILE).read_text("utf-8"))
        claims = [Claim.model_validate(c) for c in json.loads((index_dir / CLAIMS_FILE).read_text("utf-8"))]
        return claims, str(manifest["kb_version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArtifactMissing(
            f"index at {index_dir} is missing, incomplete or corrupt ({exc}); rebuild with 'antidote kb build'"
        ) from exc
