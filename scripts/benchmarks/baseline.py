"""The same built artifact under another calibration: how a benchmark measures a change of ranking or thresholds
(the re-ranker, a refitted calibration) against the calibration before it, in the same run, on the same index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

BASELINE_HELP = (
    "also measure the built artifact under this calibration file (e.g. the one before a change, from "
    "'git show main:knowledge_base/calibration.json'), in the same run; figures prefixed 'baseline_'"
)


def matcher_with_calibration(matcher: Any, path: Path) -> Any:
    """A second matcher sharing ``matcher``'s index, claims, model and stance model, ranking and deciding with the
    calibration in ``path`` (its multilingual index, if any, is not carried over: English only)."""
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.matcher import Matcher

    manifest = matcher.manifest.model_copy(update={"calibration": load_calibration(path)})
    return Matcher(matcher.index, list(matcher.claims.values()), manifest, matcher.embedder, matcher.stance)
