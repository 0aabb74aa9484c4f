"""Numbers learned from data that steer matching: ranking, re-ranking and confidence weights, decision thresholds.

They are produced by ``antidote kb calibrate`` from labelled data, committed as
``knowledge_base/calibration.json`` (reviewable in a diff) and copied into every index manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator

from functions.match.engine.fusion import LinearModel
from functions.match.engine.rerank import Reranker
from functions.shared.errors import ArtifactMissing


class Thresholds(BaseModel):
    match: float = Field(ge=0, le=1, description="Confidence at or above which a post repeats a claim.")
    review: float = Field(ge=0, le=1, description="Confidence at or above which a person should look.")
    min_words_for_match: int = Field(
        ge=1, description="Posts with fewer words (after normalisation) can reach 'review' at most."
    )
    review_by_language: dict[str, float] = Field(
        default_factory=dict,
        description="A lower review threshold for posts in these languages (ISO 639-1 codes), where the pooled one "
        "holds the language's scores to a stricter rate than the others (calibrate_multilingual.py).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.review > self.match:
            raise ValueError("review threshold must not exceed match threshold")
        if any(not 0 <= review <= self.review for review in self.review_by_language.values()):
            raise ValueError("a language's review threshold must be between 0 and the pooled review threshold")
        return self

    def for_language(self, language: str | None) -> Thresholds:
        """The thresholds a post in ``language`` is decided with (the pooled ones when it has none of its own)."""
        review = self.review_by_language.get((language or "").strip().lower()[:2])
        return self if review is None else self.model_copy(update={"review": review, "review_by_language": {}})


class Calibration(BaseModel):
    ranking: LinearModel = Field(description="Orders a post's candidate claims.")
    confidence: LinearModel = Field(description="How likely the post repeats its best claim; compared to thresholds.")
    thresholds: Thresholds
    candidate_depth: int = Field(default=30, ge=1, le=500)
    reranker: Reranker | None = Field(
        default=None, description="Re-orders the ranking model's top candidates (rerank.py); none: its order stands."
    )
    provenance: dict[str, Any] = Field(default_factory=dict, description="What data and command produced this.")


def load_calibration(path: Path) -> Calibration:
    try:
        return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactMissing(f"calibration file not found: {path} (run 'antidote kb calibrate')") from exc
    except ValidationError as exc:
        raise ArtifactMissing(f"calibration file {path} is invalid: {exc.errors()[0]['msg']}") from exc


def save_calibration(calibration: Calibration, path: Path) -> None:
    path.write_text(calibration.model_dump_json(indent=2) + "\n", encoding="utf-8")
