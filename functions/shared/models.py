"""Pydantic models for every payload that crosses a boundary: HTTP bodies, queue messages, stored items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_TEXT_CHARS = 10_000
MAX_POSTS_PER_REQUEST = 100
MAX_CHECK_BATCH = 50

_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
# An http(s) link: no control characters, no space of any kind and no brackets (an unmatched "[" breaks urlsplit;
# platforms' permalinks never hold an IPv6 literal). Spaces are listed, not written \s, because the engines that read
# this pattern (pydantic's Rust regex, JSON Schema's ECMAScript, Python's re) disagree on what \s covers (U+0085,
# U+FEFF), and a client must be able to tell from the document what will be accepted.
WEB_URL = r"^https?://[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\[\]]+$"
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL)]
Handle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=_NO_CONTROL)]
LanguageCode = Annotated[str, StringConstraints(to_lower=True, pattern=r"^[a-zA-Z]{2}$")]
RegionCode = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[a-zA-Z]{2}$")]
PostText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("string_too_short", "the text is empty (white space only)")
    return value


# A text to check has something in it besides white space; the document says so as a pattern.
CheckText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS),
    AfterValidator(_not_blank),
    Field(json_schema_extra={"pattern": r"\S"}),
]


class Platform(StrEnum):
    X = "x"
    BLUESKY = "bluesky"
    MASTODON = "mastodon"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    REDDIT = "reddit"
    NEWS = "news"  # a news article or feed item: monitored, never answered (no reply, no reply limit)


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
    url: Annotated[str, StringConstraints(max_length=2048, pattern=WEB_URL)] | None = None
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

    @field_validator("created_at")
    @classmethod
    def _in_utc_range(cls, value: datetime) -> datetime:
        """Stored in UTC: a time whose offset takes it outside the calendar (0001-01-01T00:00+14:00) is refused."""
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise ValueError("created_at is out of range") from exc

    @property
    def post_key(self) -> str:
        return f"{self.platform.value}#{self.post_id}"


class IngestRequest(BaseModel):
    """Posts are checked one by one (``PostIn``): a bad post is rejected with its reason, the rest are taken."""

    model_config = ConfigDict(extra="forbid")

    posts: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_POSTS_PER_REQUEST,
        description="Posts as PostIn describes them; each is validated on its own, and one that is not valid is "
        "rejected in the response with the field at fault while the others are taken.",
    )


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


class Stance(StrEnum):
    """A post's stance towards the claim it matched."""

    SUPPORTS = "supports"  # restates or endorses it
    REFUTES = "refutes"  # debunks or corrects it
    ASKS = "asks"  # a question about it
    NEUTRAL = "neutral"  # mentions it without taking a side: news, jokes, quotes, another sense of the words


class Action(StrEnum):
    """What the service suggests doing about a post (the reply policy)."""

    CORRECT = "correct"  # a public correction, for someone who spreads a myth (or denies a fact)
    INFORM = "inform"  # an answer to a question, with its own opener
    MONITOR = "monitor"  # counted in trends, not answered (e.g. too small an account to amplify)
    NONE = "none"  # nothing to answer


# What removing personal data leaves in stored text for each kind (functions/shared/redaction.py writes them; the
# match policy reads them back to tell a post's own contact details from someone else's).
REDACTION_PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "address": "[address]",
    "record_number": "[record number]",
    "date_of_birth": "[date of birth]",
    "name": "[name]",
    "handle": "[@user]",
}


class TrendKind(StrEnum):
    """What a matched post adds to its claim's trend."""

    SPREADING = "spreading"  # supports a myth, or denies an established fact
    COUNTER_SPEECH = "counter_speech"  # debunks a myth, or supports an established fact
    QUESTION = "question"  # asks about the claim


class AlertKind(StrEnum):
    """What the hourly detector raises (functions/alerts/detection.py)."""

    SPIKE = "spike"  # an hour's spreading posts far above the series' own baseline
    FIRST_SEEN = "first_seen"  # a claim counted for the first time
    SENTIMENT_DIP = "sentiment_dip"  # an hour's share of negative posts far above the series' baseline share


class AlertDelivery(StrEnum):
    IMMEDIATE = "immediate"  # sent to the destinations when raised
    DIGEST = "digest"  # the day's immediate allowance was used up: sent in the daily digest


class Alert(BaseModel):
    """One raised alert, as stored and as ``GET /v1/alerts`` lists it."""

    alert_id: str = Field(description="kind, series and hour: the detector raises each at most once")
    kind: AlertKind
    series: str = Field(description="'<dimension>:<value>': claim, topic, region or language ('-': unknown)")
    hour: datetime = Field(description="the hour (UTC) the alert is about")
    count: int = Field(description="spreading posts (spike), counted posts (first seen) or negative posts (dip)")
    expected: float = Field(description="what the series' baseline expected for that hour")
    p_value: float = Field(description="the chance of at least this count under the baseline")
    detail: dict[str, float | int] = Field(default_factory=dict)
    delivery: AlertDelivery
    raised_at: datetime


@dataclass(frozen=True)
class HourCount:
    """One dimensioned trend counter: posts of one kind about one claim in one region and language in one hour."""

    hour: datetime
    kind: TrendKind
    claim_id: str
    region: str  # "-" when the post named none
    language: str  # "-" when none was detected
    tally: int
    scored: int = 0  # posts a sentiment was computed for
    negative: int = 0  # of those, posts whose sentiment is negative


class AlertsResponse(BaseModel):
    alerts: list[Alert]


class ReachRule(BaseModel):
    """The reach threshold of the post's platform, and how the post measured against it."""

    platform: str
    followers: int  # the threshold: below this many followers …
    engagement: int  # … and this many likes + shares, a would-be correction is monitored instead
    post_followers: int
    post_engagement: int
    reached: bool
    applied: bool  # the rule turned a correction into ``monitor``


class ReplyPolicy(BaseModel):
    """What the reply policy decided for a post and its claim, and why (``functions/match/policy.py``)."""

    stance: Stance | None
    stance_confidence: float | None = None
    action: Action
    reason: str
    private_reply: bool = False  # answer in a private channel, never in public
    privacy_report: bool = False  # the post exposes someone's personal data: report it to the platform
    amplify: bool = False  # counter-speech worth amplifying, never corrected
    highest_priority: bool = False  # a disclosure that signals risk
    reach_rule: ReachRule | None = None

    @property
    def enters_queue(self) -> bool:
        """In the educators' default queue: something to send, or something to report; the rest is filed."""
        return self.action in (Action.CORRECT, Action.INFORM) or self.privacy_report


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
    """One post's match as stored: its decision, the ranked claims, the claim its trend counts (if flagged) and
    under which kind, and the reply policy's decision."""

    post_key: str
    decision: str
    reason: str
    kb_version: str
    matches: list[dict[str, Any]]
    counted_claim: str | None
    trend: TrendKind | None = None  # None: counted nowhere (a neutral mention, or nothing matched)
    policy: ReplyPolicy | None = None
    region: str | None = None  # the post's region (ingest gives a single-region source's region to posts without)
    language: str | None = None
    sentiment: float | None = None  # VADER compound in [-1, 1]; None: not scored (not English, or not flagged)


class StoredMatch(BaseModel):
    """A post's match as read back from storage."""

    post_key: str
    decision: str
    reason: str
    kb_version: str
    matches: list[MatchedClaim]
    matched_at: datetime
    trend: TrendKind | None = None
    policy: ReplyPolicy | None = None  # None for a post that matched nothing (or one stored before the policy)
    sentiment: float | None = None

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
    policy: ReplyPolicy | None = None  # None only in a message queued before the reply policy existed


# ---------------------------------------------------------------- claim-check API


def _exactly_one_of_text_or_texts(schema: dict[str, Any]) -> None:
    """The document says what the API enforces: ``text`` or ``texts``, exactly one, never null."""
    properties = schema["properties"]
    for name in ("text", "texts"):
        options = properties[name].pop("anyOf")
        properties[name].update(next(o for o in options if o.get("type") != "null"))
        properties[name].pop("default", None)
    schema["oneOf"] = [{"required": ["text"]}, {"required": ["texts"]}]


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_exactly_one_of_text_or_texts)

    text: CheckText | None = None
    texts: list[CheckText] | None = Field(default=None, min_length=1, max_length=MAX_CHECK_BATCH)
    language: LanguageCode | None = None
    top_k: int = Field(default=3, ge=1, le=10)

    @model_validator(mode="before")
    @classmethod
    def _no_null_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in ("text", "texts"):
                if name in data and data[name] is None:
                    raise ValueError(f"{name} must not be null; leave it out instead")
        return data

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
    correction_language: str = Field(
        default="en",
        description="The language `correction` is written in (ISO 639-1): the text's when the claim "
        "has that translation, else the claim's own (English).",
    )
    needs_translation: bool = Field(
        default=False,
        description="The text's language is known and the claim has no correction in it: the "
        "correction is in the claim's own language and should not be sent as if it fitted.",
    )
    sources: list[CheckSource]


class CheckResult(BaseModel):
    decision: Literal["match", "review", "none"]
    reason: str
    language: str | None = Field(
        default=None,
        description="The language the text was read in (ISO 639-1): the request's `language`, else "
        "the one Google's CLD2 is sure of (`language_guessed`); null when neither tells, and the text is read as "
        "English.",
    )
    language_guessed: bool = Field(default=False, description="`language` was guessed, not given in the request.")
    stance: Stance | None = Field(
        default=None, description="The text's stance towards the top claim; null when nothing matched."
    )
    stance_confidence: float | None = Field(default=None, description="The stance model's probability for it.")
    action: Action = Field(
        default=Action.NONE,
        description="What the reply policy suggests: correct (repeats a myth or denies a fact), inform (asks), "
        "none (debunks a myth, supports a fact, neutral, or nothing matched). Reach is unknown here, so no reach "
        "rule applies and 'monitor' never appears.",
    )
    action_reason: str = Field(default="", description="Why the policy chose the action.")
    private_reply: bool = Field(
        default=False, description="The text signals risk to its author: answer privately, not in public."
    )
    claims: list[CheckClaim]


class CheckResponse(BaseModel):
    kb_version: str
    results: list[CheckResult]


# ---------------------------------------------------------------- review API


class ReviewStatus(StrEnum):
    PENDING = "pending"  # in the educators' queue: a correction, an answer or a privacy report
    APPROVED = "approved"
    REJECTED = "rejected"
    FILED = "filed"  # visible under a filter, never in the queue: monitor, counter-speech, neutral mentions
    ESCALATED = "escalated"  # taken out of the queue for a privacy or safeguarding lead, with a reason


class Decision(StrEnum):
    """What an educator may decide besides approve and reject (matching the reply policy's actions)."""

    MONITOR = "monitor"  # count it, do not answer: a reply would amplify it
    AMPLIFY = "amplify"  # the post debunks the myth (counter-speech): share or boost it instead of replying
    ESCALATE = "escalate"  # privacy or safeguarding: a lead must look at it, with the reason


class EscalationKind(StrEnum):
    PRIVACY = "privacy"
    SAFEGUARDING = "safeguarding"


class ApproveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)] | None = None
    version: int | None = Field(default=None, description="The item version you saw; a stale one gets 409.")


def _three_characters_besides_white_space(value: str) -> str:
    stripped = value.strip()
    if len(stripped) < 3:
        raise PydanticCustomError("string_too_short", "String should have at least 3 characters besides white space")
    return stripped


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # At least three characters besides the white space around them, which is dropped; the document says the same
    # as a pattern (a pattern's own error message would mean nothing to an educator).
    reason: Annotated[
        str,
        StringConstraints(max_length=1000),
        AfterValidator(_three_characters_besides_white_space),
        Field(json_schema_extra={"pattern": r"\S[\s\S]*\S[\s\S]*\S"}),
    ]
    version: int | None = None


class UndoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = None


class DecideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)] | None = Field(
        default=None, description="Required to escalate; kept in the audit log."
    )
    kind: EscalationKind | None = Field(default=None, description="Required to escalate: privacy or safeguarding.")
    version: int | None = None


EDUCATOR_NAME = r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$"


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: Annotated[str, StringConstraints(pattern=EDUCATOR_NAME)] | None = Field(
        description="The educator who takes the item (yourself to claim it); null to unassign."
    )


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{8,64}$")] = Field(
        description="Chosen by the client (e.g. a UUID), so a retried request adds the note once."
    )
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PostedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(pattern=WEB_URL, max_length=2000)] = Field(
        description="Where the approved reply was posted."
    )


class ReviewNote(BaseModel):
    note_id: str
    by: str
    at: datetime
    text: str


class ReviewItem(BaseModel):
    """A suggested reply waiting for (or past) an educator's decision."""

    item_id: str
    status: ReviewStatus
    priority: float
    post_key: str
    platform: str
    language: str | None
    region: str | None = None  # the post's region (from the post, else its single-region source)
    topic: str
    claim_id: str
    post: dict[str, Any]
    claim: dict[str, Any]
    match: dict[str, Any]
    draft: dict[str, Any]
    stance: Stance | None = None
    stance_confidence: float | None = None
    action: Action = Action.CORRECT  # items stored before the reply policy were all corrections
    action_reason: str = ""
    private_reply: bool = False
    privacy_report: bool = False
    amplify: bool = False
    highest_priority: bool = False
    needs_translation: bool = Field(
        default=False, description="No curated text in the post's language: the draft is empty, with a reference."
    )
    reach_rule: ReachRule | None = None
    final_text: str | None = None
    reject_reason: str | None = None
    acted_by: str | None = None
    acted_at: datetime | None = None
    sla_due: datetime | None = Field(default=None, description="Only items in the queue (pending) have an SLA.")
    created_at: datetime
    updated_at: datetime
    version: int = 0
    decision: Decision | None = Field(default=None, description="An educator's decision other than approve/reject.")
    decision_reason: str | None = None
    escalation_kind: EscalationKind | None = None
    assignee: str | None = Field(default=None, description="Who has taken the item.")
    notes: list[ReviewNote] = Field(default_factory=list, description="Internal notes, never sent.")
    first_approval: dict[str, Any] | None = Field(
        default=None, description="With second sign-off: who approved first, when, and the text; a second confirms."
    )
    posted_url: str | None = Field(default=None, description="Where the approved reply was posted, once it was.")
    posted_by: str | None = None
    posted_at: datetime | None = None


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    next_cursor: str | None


class ReviewSummary(BaseModel):
    """The whole selection (every page) for the same filters: how many items, how many overdue or due soon."""

    total: int
    overdue: int
    due_soon: int = Field(description="Due within the next 30 minutes.")
    by_topic: dict[str, int]
    by_platform: dict[str, int]
    by_language: dict[str, int] = Field(default_factory=dict, description="Items per detected language ('' unknown).")
    by_region: dict[str, int] = Field(default_factory=dict, description="Items per post region ('' unknown).")


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
    webhook_url: str | None = None  # partner notifications: opted in when set (functions/shared/partner_webhooks.py)
    webhook_version: int = 0  # bumped at each registration: the signing secret is derived from it
    webhook_set_at: datetime | None = None


# ------------------------------------------------------------------------------------------------ partner webhooks

WebhookUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2048, pattern=WEB_URL)]


class WebhookRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl = Field(
        description="Where Antidote POSTs signed notifications: https and a public address (the local stage also "
        "accepts http and this machine)."
    )


class WebhookRegistered(BaseModel):
    key_id: str
    url: str
    secret: str = Field(
        description="The signing secret, shown once: verify each delivery's Antidote-Signature header with it. "
        "Registering again (even the same URL) issues a new secret and retires the old one."
    )
    signature_header: str = "Antidote-Signature"


class KeptQuery(BaseModel):
    """A partner's claim check that came back none or review, kept (redacted) for that partner only."""

    key_id: str
    query_id: str
    text: str
    decision: Literal["review", "none"]
    asked_at: datetime
    notified: list[str] = Field(default_factory=list)  # claim ids this query was already notified about


class NotifiedQuery(BaseModel):
    query_id: str = Field(description="Stable per text and partner: the same text asked twice is one query.")
    text: str = Field(description="The text as kept: personal data removed as ingest removes it.")
    asked_at: datetime = Field(description="When the partner last asked about it.")
    decision_then: Literal["review", "none"]
    score: float = Field(description="How close the text is to the new claim now (the claim's score is the best).")


class PartnerClaimAdded(BaseModel):
    """The body's ``data`` of a ``partner.claim_added`` delivery."""

    key_id: str
    kb_version: str
    claim: CheckClaim
    queries: list[NotifiedQuery]


class PartnerClaimAddedDelivery(BaseModel):
    """What a partner's webhook receives (the envelope functions/shared/webhooks.py writes for every event)."""

    id: str = Field(description="The delivery id, also in Antidote-Delivery: the same on every retry.")
    type: Literal["partner.claim_added"]
    created_at: datetime
    data: PartnerClaimAdded


# ------------------------------------------------------------------------------------------------ scan sources

SourceName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")]
QueryTerm = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_CONTROL)]
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2048, pattern=WEB_URL)]


class SourceQuery(BaseModel):
    """What a source asks its platform for; each connector reads the parts that mean something to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keywords: tuple[QueryTerm, ...] = ()
    hashtags: tuple[QueryTerm, ...] = ()  # without the leading '#'
    feeds: tuple[HttpUrl, ...] = ()  # RSS/Atom feed URLs
    subreddits: tuple[QueryTerm, ...] = ()  # without 'r/'
    instances: tuple[HttpUrl, ...] = ()  # Mastodon servers, e.g. https://mastodon.social

    @field_validator("hashtags", "subreddits", mode="after")
    @classmethod
    def _bare(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(term.lstrip("#").removeprefix("r/") for term in value)


class SourceConfig(BaseModel):
    """A scan source is configuration, not code: which connector, what to ask it, which posts to keep, how often.

    Credentials never appear here: ``secret`` names a Secrets Manager secret (deployed) whose JSON holds them;
    locally they come from the environment variable ``ANTIDOTE_SOURCE_<NAME>_CREDENTIALS`` (see the README).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: SourceName
    connector: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,30}$")]
    query: SourceQuery = Field(default_factory=SourceQuery)
    languages: tuple[LanguageCode, ...] = ()  # keep only posts in these languages (empty: every language)
    regions: tuple[RegionCode, ...] = ()  # one region: the region of every post that does not name its own
    every_minutes: int = Field(default=60, ge=1, le=1440, description="The schedule: one scan every N minutes.")
    enabled: bool = True
    secret: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9/_+=.@-]{1,512}$")] | None = None
    max_requests: int = Field(default=20, ge=1, le=1000, description="Per-run budget of requests to the platform.")
    page_size: int = Field(default=40, ge=1, le=100)


class SourceRunCounts(BaseModel):
    fetched: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0


class SourceState(BaseModel):
    """Per source, what the scans remember: the connector's cursor (last-seen ids) and the source's health."""

    name: str
    cursor: dict[str, Any] = Field(default_factory=dict)
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    last_run: SourceRunCounts = Field(default_factory=SourceRunCounts)
    day: str | None = None  # the UTC day ``today`` counts (YYYY-MM-DD)
    today: SourceRunCounts = Field(default_factory=SourceRunCounts)


class SourceHealth(BaseModel):
    """One configured source as educators see it: what it scans, and how its last runs went."""

    name: str
    connector: str
    enabled: bool
    every_minutes: int
    languages: list[str]
    regions: list[str]
    query: dict[str, list[str]]
    status: Literal["ok", "failing", "never run"]
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    last_run: SourceRunCounts
    today: SourceRunCounts


class SourcesResponse(BaseModel):
    sources: list[SourceHealth]


class VoidClaim(BaseModel):
    """A known claim near a void: how close (mean cosine over the void's posts) and, in the API, its statement."""

    claim_id: str
    topic: str
    similarity: float
    statement: str | None = None


class UnmatchedPost(BaseModel):
    """A health post that matched no claim, kept for the voids: its text as stored (personal data already
    removed), its embedding (base64 float16, ``functions/shared/embedding_codec.py``) so clustering never embeds
    again, and the claims nearest to it. It expires with the post."""

    post_key: str
    platform: Platform
    language: str | None
    region: str | None = None
    text: str
    received_at: datetime
    embedding: str
    nearest: list[VoidClaim] = Field(default_factory=list)
    health_reason: str


class VoidExample(BaseModel):
    post_key: str
    platform: Platform
    language: str | None
    text: str = Field(description="as stored: personal data already removed")
    received_at: datetime


class Void(BaseModel):
    """A cluster of kept health posts that no claim answers: what curators might add to the knowledge base."""

    void_id: str = Field(description="stable across clustering runs while the cluster keeps most of its posts")
    rank: int = Field(ge=1, description="1 = the largest and fastest-growing")
    size: int = Field(ge=1, description="kept posts in the cluster")
    growth: int = Field(ge=0, description="of those, how many arrived in the last growth_hours")
    growth_hours: int
    languages: dict[str, int]
    platforms: dict[str, int]
    examples: list[VoidExample] = Field(description="the posts closest to the cluster's centre")
    closest_claims: list[VoidClaim]
    topic_guess: str | None = Field(description="the topic of the nearest claims: where a new claim would go")
    first_seen: datetime
    last_post_at: datetime
    clustered_at: datetime


class StoredVoid(Void):
    """A void as stored: with its members' keys, which the next run compares to keep the id."""

    members: list[str]


class VoidsResponse(BaseModel):
    clustered_at: datetime | None = Field(description="the last clustering run; null: never run")
    kept_posts: int = Field(description="kept health posts that run clustered")
    voids: list[Void]


# ------------------------------------------------------------------------------------------------ seasonal claims


class SeasonalClaim(BaseModel):
    claim_id: str
    statement: str
    topic: str
    verdict: str
    harm: str
    months: list[int] = Field(description="The months (1-12) it is in season in this hemisphere.")
    starts_on: date | None = Field(default=None, description="When its season starts (entering claims only).")


class ComingUp(BaseModel):
    hemisphere: Literal["north", "south"]
    today: date
    until: date
    entering: list[SeasonalClaim] = Field(description="Out of season today, starting before `until`: soonest first.")
    in_season: list[SeasonalClaim] = Field(description="In season today: their review items get the season boost.")


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every error the APIs return, as ``application/problem+json`` (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str | None = None
    correlation_id: str | None = Field(default=None, description="quote it when reporting a 5xx")
    errors: list[FieldProblem] | None = Field(default=None, description="each invalid field (400, 422)")
    retry_after_seconds: int | None = Field(default=None, description="429, 503: also in Retry-After")
