"""PynamoDB models: the shape of every table. Only ``functions/shared/dal`` imports this module.

Table names and the endpoint come from settings at :func:`configure` time, not at import, so the same code
serves AWS, the local runtime and tests (each test session gets its own DynamoDB Local).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from functions.shared.settings import Settings


class ReachAttribute(MapAttribute[str, Any]):
    followers = NumberAttribute(default=0)
    likes = NumberAttribute(default=0)
    shares = NumberAttribute(default=0)
    views = NumberAttribute(default=0)


class PostRecord(Model):
    """A post as stored: personal data already removed; raw social text expires (TTL)."""

    class Meta:
        table_name = "antidote-posts"

    post_key = UnicodeAttribute(hash_key=True)  # "<platform>#<post_id>"
    platform = UnicodeAttribute()
    post_id = UnicodeAttribute()
    author_handle = UnicodeAttribute(null=True)
    text = UnicodeAttribute()
    url = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    received_at = UTCDateTimeAttribute()
    language = UnicodeAttribute(null=True)
    region = UnicodeAttribute(null=True)
    reach = ReachAttribute()
    discloses_own_health = BooleanAttribute(default=False)
    redactions = JSONAttribute(default=dict)
    source = UnicodeAttribute()
    expires_at = TTLAttribute()


class MatchRecord(Model):
    class Meta:
        table_name = "antidote-matches"

    post_key = UnicodeAttribute(hash_key=True)
    decision = UnicodeAttribute()
    reason = UnicodeAttribute()
    kb_version = UnicodeAttribute()
    matches = JSONAttribute(default=list)
    trend = UnicodeAttribute(null=True)  # spreading | counter_speech | question; null: counted nowhere
    policy = JSONAttribute(null=True)  # the reply policy's decision (ReplyPolicy), for a flagged post
    sentiment = NumberAttribute(null=True)  # VADER compound in [-1, 1] for a flagged English post
    matched_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


class ByStatusIndex(GlobalSecondaryIndex["ReviewItemRecord"]):
    """Lists review items of one status, most urgent first (``priority_key`` sorts ascending by urgency)."""

    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    priority_key = UnicodeAttribute(range_key=True)


class ReviewItemRecord(Model):
    class Meta:
        table_name = "antidote-reviews"

    item_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()  # pending | approved | rejected | filed
    priority = NumberAttribute()
    priority_key = UnicodeAttribute()
    by_status = ByStatusIndex()
    post_key = UnicodeAttribute()
    platform = UnicodeAttribute()
    language = UnicodeAttribute(null=True)
    region = UnicodeAttribute(null=True)  # the post's region: the queue can be cut by it
    topic = UnicodeAttribute()
    claim_id = UnicodeAttribute()
    post = JSONAttribute()  # the stored post, personal data removed
    claim = JSONAttribute()  # the matched claim as curated (statement, verdict, correction, sources)
    match = JSONAttribute()  # decision, scores, closest phrasings
    draft = JSONAttribute()  # the suggested reply
    stance = UnicodeAttribute(null=True)  # supports | refutes | asks | neutral
    stance_confidence = NumberAttribute(null=True)
    action = UnicodeAttribute(null=True)  # correct | inform | monitor | none (null: stored before the policy)
    action_reason = UnicodeAttribute(null=True)
    private_reply = BooleanAttribute(default=False)
    privacy_report = BooleanAttribute(default=False)
    amplify = BooleanAttribute(default=False)
    highest_priority = BooleanAttribute(default=False)
    needs_translation = BooleanAttribute(default=False)
    reach_rule = JSONAttribute(null=True)
    final_text = UnicodeAttribute(null=True)
    reject_reason = UnicodeAttribute(null=True)
    acted_by = UnicodeAttribute(null=True)
    acted_at = UTCDateTimeAttribute(null=True)
    sla_due = UTCDateTimeAttribute(null=True)  # pending items only
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    decision = UnicodeAttribute(null=True)  # monitor | amplify | escalate (an educator's, besides approve/reject)
    decision_reason = UnicodeAttribute(null=True)
    escalation_kind = UnicodeAttribute(null=True)  # privacy | safeguarding
    assignee = UnicodeAttribute(null=True)
    notes = JSONAttribute(null=True)  # internal notes: [{note_id, by, at, text}]
    first_approval = JSONAttribute(null=True)  # second sign-off: {by, at, text} until a second educator confirms
    posted_url = UnicodeAttribute(null=True)
    posted_by = UnicodeAttribute(null=True)
    posted_at = UTCDateTimeAttribute(null=True)
    search_text = UnicodeAttribute(null=True)  # folded claim, post, handle and topic: server-side search (contains)
    version = VersionAttribute()  # every save is conditional on it: two educators cannot both win


class AuditRecord(Model):
    """Append-only: written with a condition that the event does not exist, never updated or deleted."""

    class Meta:
        table_name = "antidote-audit"

    item_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)  # "<iso time>#<uuid>"
    actor = UnicodeAttribute()
    role = UnicodeAttribute()
    action = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    before = JSONAttribute(null=True)
    after = JSONAttribute(null=True)


class WithWebhookIndex(GlobalSecondaryIndex["ApiKeyRecord"]):
    """Sparse: only keys with a registered webhook carry ``webhook_flag``, so the notifier finds them by query."""

    class Meta:
        index_name = "with_webhook"
        projection = AllProjection()

    webhook_flag = UnicodeAttribute(hash_key=True)
    key_id = UnicodeAttribute(range_key=True)


class ApiKeyRecord(Model):
    class Meta:
        table_name = "antidote-api-keys"

    key_id = UnicodeAttribute(hash_key=True)
    key_hash = UnicodeAttribute()  # sha256 of the whole key; the key itself is never stored
    owner = UnicodeAttribute()
    scope = UnicodeAttribute()  # check | ingest
    daily_quota = NumberAttribute()
    status = UnicodeAttribute()  # active | revoked
    created_at = UTCDateTimeAttribute()
    revoked_at = UTCDateTimeAttribute(null=True)
    webhook_url = UnicodeAttribute(null=True)
    webhook_version = NumberAttribute(default=0)
    webhook_set_at = UTCDateTimeAttribute(null=True)
    webhook_flag = UnicodeAttribute(null=True)  # "on" while a webhook is registered (the sparse index's key)
    with_webhook = WithWebhookIndex()


class CounterRecord(Model):
    """Atomic counters: per-claim hourly trends (spreading, counter-speech, questions) and per-key daily quota use."""

    class Meta:
        table_name = "antidote-counters"

    name = UnicodeAttribute(hash_key=True)
    bucket = UnicodeAttribute(range_key=True)
    tally = NumberAttribute(default=0)
    scored = NumberAttribute(null=True)  # dimensioned trend counters: posts a sentiment was computed for
    negative = NumberAttribute(null=True)  # … and of those, posts whose sentiment is negative
    expires_at = TTLAttribute(null=True)


class IdempotencyRecord(Model):
    """Declared so the local runtime and tests create the table Powertools Idempotency writes to."""

    class Meta:
        table_name = "antidote-idempotency"

    id = UnicodeAttribute(hash_key=True)
    expiration = TTLAttribute(null=True)
    status = UnicodeAttribute(null=True)  # Powertools writes INPROGRESS, then COMPLETED


class SourceStateRecord(Model):
    """Per scan source: the connector's cursor (last-seen ids) and the source's health counters."""

    class Meta:
        table_name = "antidote-sources"

    name = UnicodeAttribute(hash_key=True)
    state = JSONAttribute(default=dict)  # functions.shared.models.SourceState, as JSON
    version = VersionAttribute()


class UnmatchedRecord(Model):
    """A kept health post that matched no claim (``UnmatchedPost``), partitioned by the UTC day it arrived, so the
    clustering reads the retention window with one Query per day (no Scan). Expires with the post."""

    class Meta:
        table_name = "antidote-unmatched"

    day = UnicodeAttribute(hash_key=True)  # YYYY-MM-DD of received_at
    post_key = UnicodeAttribute(range_key=True)
    post = JSONAttribute()  # functions.shared.models.UnmatchedPost, as JSON
    expires_at = TTLAttribute()


class VoidRecord(Model):
    """The clustering's output: the current voids under board "voids", the last run's summary under "runs"."""

    class Meta:
        table_name = "antidote-voids"

    board = UnicodeAttribute(hash_key=True)
    void_id = UnicodeAttribute(range_key=True)
    data = JSONAttribute()  # StoredVoid, or the run summary {clustered_at, kept_posts, voids}


class ByOwnerIndex(GlobalSecondaryIndex["DeliveryRecord"]):
    """A destination owner's delivery attempts in time order (``owner_key`` starts with the attempt's time)."""

    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    owner_key = UnicodeAttribute(range_key=True)


class DeliveryRecord(Model):
    """The webhook delivery log: one item per attempt (host, status or error, duration), never body or secret."""

    class Meta:
        table_name = "antidote-deliveries"

    delivery_id = UnicodeAttribute(hash_key=True)
    attempt_key = UnicodeAttribute(range_key=True)  # the attempt number, zero-padded: "001"
    owner_key = UnicodeAttribute()  # "<iso time>#<delivery id>#<attempt>"
    by_owner = ByOwnerIndex()
    attempt = NumberAttribute()
    owner = UnicodeAttribute()
    event = UnicodeAttribute()
    host = UnicodeAttribute()
    status = NumberAttribute(null=True)
    error = UnicodeAttribute(null=True)
    duration_ms = NumberAttribute()
    at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


class PartnerQueryRecord(Model):
    """A partner's unmatched claim check (redacted, 30 days), and which new claims it was notified about.

    One item per (key, text); the item ``(NOTIFIER_STATE_KEY, "claims")`` holds the claim set last notified.
    """

    class Meta:
        table_name = "antidote-partner-queries"

    key_id = UnicodeAttribute(hash_key=True)
    query_id = UnicodeAttribute(range_key=True)
    text = UnicodeAttribute(null=True)
    decision = UnicodeAttribute(null=True)
    asked_at = UTCDateTimeAttribute(null=True)
    notified = UnicodeSetAttribute(null=True)
    claims = JSONAttribute(null=True)  # the notifier state item only
    expires_at = TTLAttribute(null=True)


class AlertRecord(Model):
    """Raised alerts, one partition per UTC day of the hour they are about; also the markers that make a first
    sighting once per claim (partition ``first_seen``) and a digest once per day (partition ``digest``)."""

    class Meta:
        table_name = "antidote-alerts"

    day = UnicodeAttribute(hash_key=True)  # "YYYY-MM-DD" | "first_seen" | "digest"
    alert_key = UnicodeAttribute(range_key=True)  # "HH#kind#series" | the series | the day
    alert = JSONAttribute(null=True)  # functions.shared.models.Alert, as JSON
    expires_at = TTLAttribute(null=True)


ALL_MODELS: dict[str, type[Model]] = {
    "posts_table": PostRecord,
    "matches_table": MatchRecord,
    "reviews_table": ReviewItemRecord,
    "audit_table": AuditRecord,
    "api_keys_table": ApiKeyRecord,
    "counters_table": CounterRecord,
    "idempotency_table": IdempotencyRecord,
    "sources_table": SourceStateRecord,
    "unmatched_table": UnmatchedRecord,
    "voids_table": VoidRecord,
    "alerts_table": AlertRecord,
    "deliveries_table": DeliveryRecord,
    "partner_queries_table": PartnerQueryRecord,
}


def configure(settings: Settings) -> None:
    """Point every model at the configured tables, region and endpoint."""
    for setting, model in ALL_MODELS.items():
        model.Meta.table_name = getattr(settings, setting)
        model.Meta.region = settings.aws_region
        model.Meta.host = settings.dynamodb_endpoint
        if settings.dynamodb_endpoint:  # DynamoDB Local accepts any credentials
            model.Meta.aws_access_key_id = "local"
            model.Meta.aws_secret_access_key = "local"
        model._connection = None  # forget a connection bound to a previous configuration


def create_tables(settings: Settings) -> None:
    """Create any missing table (local runtime and tests; in AWS the CDK stack owns the tables).

    PynamoDB enables time-to-live on the model's ``TTLAttribute`` as part of ``create_table``.
    """
    configure(settings)
    for model in ALL_MODELS.values():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
