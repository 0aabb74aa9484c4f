"""Pydantic models for every payload that crosses a boundary: HTTP bodies, queue messages, stored items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_TEXT_CHARS = 10_000
MAX_POSTS_PER_REQUEST = 100
MAX_CHECK_BATCH = 50

_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL)]
Handle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=_NO_CONTROL)]
LanguageCode = Annotated[str, StringConstraints(to_lower=True, pattern=r"^[a-zA-Z]{2}$")]
RegionCode = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[a-zA-Z]{2}$")]
PostText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]


class Platform(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    REDDIT = "reddit"


class Reach(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    followers: int = Field(default=0, ge=0, le=10**12)
    likes: int = Field(default=0, ge=0, le=10**12)
    shares: int = Field(default=0, ge=0, le=10**12)
    views: int = Field(default=0, ge=0, le=10**13)


class PostIn(BaseModel):
    """A public post as a webhook or a scan delivers it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    platform: Platform
    post_id: Identifier
    author_handle: Handle | None = None
    text: PostText
    url: Annotated[str, StringConstraints(max_length=2048, pattern=r"^https?://[^\s]+$")] | None = None
    created_at: AwareDatetime
    language: LanguageCode | None = None
    region: RegionCode | None = None
    reach: Reach = Field(default_factory=Reach)

    @field_validator("text")
    @classmethod
    def _has_content(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value

    @property
    def post_key(self) -> str:
        return f"{self.platform.value}#{self.post_id}"


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posts: list[PostIn] = Field(min_length=1, max_length=MAX_POSTS_PER_REQUEST)


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class IngestItemResult(BaseModel):
    platform: str | None
    post_id: str | None
    status: ItemStatus
    reason: str | None = None


class IngestResponse(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    items: list[IngestItemResult]


class StoredPost(BaseModel):
    """A post after personal data was removed; this is all any later stage ever sees of it."""

    post_key: str
    platform: Platform
    post_id: str
    author_handle: str | None
    text: str
    url: str | None
    created_at: datetime
    received_at: datetime
    language: str | None
    region: str | None
    reach: Reach
    discloses_own_health: bool
    redactions: dict[str, int]
    source: str


class PostMessage(BaseModel):
    """Posts queue message: ingest → match."""

    post_key: str


class MatchedClaim(BaseModel):
    claim_id: str
    verdict: str
    topic: str
    harm: str
    score: float
    dense_similarity: float
    lexical_score: float
    closest_phrasing: str


@dataclass(frozen=True)
class MatchEntry:
    """One post's match as stored: its decision, the ranked claims, and the claim its trend counts (if flagged)."""

    post_key: str
    decision: str
    reason: str
    kb_version: str
    matches: list[dict[str, Any]]
    counted_claim: str | None


class StoredMatch(BaseModel):
    """A post's match as read back from storage."""

    post_key: str
    decision: str
    reason: str
    kb_version: str
    matches: list[MatchedClaim]
    matched_at: datetime

    @property
    def top_claim(self) -> MatchedClaim | None:
        return self.matches[0] if self.matches else None


class MatchMessage(BaseModel):
    """Matches queue message: match → respond. Carries what respond needs, so it never reloads the index."""

    post_key: str
    decision: Literal["match", "review"]
    kb_version: str
    matches: list[MatchedClaim]
    claim: dict[str, Any]  # the best claim as curated (Claim.model_dump)


# ---------------------------------------------------------------- claim-check API


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: PostText | None = None
    texts: list[PostText] | None = Field(default=None, min_length=1, max_length=MAX_CHECK_BATCH)
    language: LanguageCode | None = None
    top_k: int = Field(default=3, ge=1, le=10)

    def all_texts(self) -> list[str]:
        if (self.text is None) == (self.texts is None):
            raise ValueError("give exactly one of 'text' or 'texts'")
        return [self.text] if self.text is not None else list(self.texts or [])


class CheckSource(BaseModel):
    publisher: str
    url: str


class CheckClaim(BaseModel):
    claim_id: str
    verdict: str
    topic: str
    score: float
    statement: str
    correction: str
    sources: list[CheckSource]


class CheckResult(BaseModel):
    decision: Literal["match", "review", "none"]
    reason: str
    claims: list[CheckClaim]


class CheckResponse(BaseModel):
    kb_version: str
    results: list[CheckResult]


# ---------------------------------------------------------------- review API


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApproveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)] | None = None
    version: int | None = Field(default=None, description="The item version you saw; a stale one gets 409.")


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]
    version: int | None = None


class UndoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = None


class ReviewItem(BaseModel):
    """A suggested reply waiting for (or past) an educator's decision."""

    item_id: str
    status: ReviewStatus
    priority: float
    post_key: str
    platform: str
    language: str | None
    topic: str
    claim_id: str
    post: dict[str, Any]
    claim: dict[str, Any]
    match: dict[str, Any]
    draft: dict[str, Any]
    final_text: str | None = None
    reject_reason: str | None = None
    acted_by: str | None = None
    acted_at: datetime | None = None
    sla_due: datetime
    created_at: datetime
    updated_at: datetime
    version: int = 0


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None


class AuditEvent(BaseModel):
    item_id: str
    event_key: str
    actor: str
    role: str
    action: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ApiKey(BaseModel):
    key_id: str
    key_hash: str
    owner: str
    scope: Literal["check", "ingest"]
    daily_quota: int
    status: Literal["active", "revoked"]
    created_at: datetime
    revoked_at: datetime | None = None
