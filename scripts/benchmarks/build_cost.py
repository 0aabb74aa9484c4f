"""What `antidote kb build` costs, stage by stage: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/build_cost.py   (needs the build group: torch; about 6 minutes)

Builds the artifact from the committed knowledge base twice into temporary folders, as ``kb build`` and the test
session do: first as before 2026-11-30's third session (the baseline, same run: the export checked against torch on
every phrasing, USE-m on the package's default of 4 BLAS threads), then as now (an even sample of at most
``MAX_PROBE_TEXTS`` phrasings, USE-m on ``cpu_threads()``). Prints each stage's wall time and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

STAGES = [  # (module where build_artifact looks the function up, function)
    ("functions.match.engine.onnx_export", "export_model"),
    ("functions.match.engine.artifact", "build_index"),
    ("functions.match.engine.artifact", "build_multilingual"),
]


@contextmanager
def timed_stages(seconds: dict[str, float]) -> Iterator[None]:
    """Wraps each stage's function where it is looked up, adding its wall time to ``seconds``."""
    import importlib

    originals: list[tuple[Any, str, Callable[..., Any]]] = []
    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapper(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                seconds[_name] = seconds.get(_name, 0.0) + time.perf_counter() - started

        originals.append((module, name, original))
        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


@contextmanager
def as_before() -> Iterator[None]:
    """Every phrasing as a probe, and USE-m with the package's own thread count."""
    from unittest import mock

    from functions.match.engine import multilingual, onnx_export

    with (
        mock.patch.object(onnx_export, "MAX_PROBE_TEXTS", 10**9),
        mock.patch.object(multilingual, "cpu_threads", return_value=4),
    ):
        yield


def build_once(folder: Path) -> tuple[dict[str, float], Any]:
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import build_artifact
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.multilingual import load_multilingual_calibration
    from functions.match.engine.stance import load_stance_model
    from functions.shared.settings import Settings

    kb_dir = ROOT / "knowledge_base"
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with timed_stages(seconds):
        manifest = build_artifact(
            load_knowledge_base(kb_dir),
            Settings.model_fields["embedding_model"].default,
            load_calibration(kb_dir / "calibration.json"),
            load_stance_model(kb_dir / "stance_model.json"),
            folder,
            multilingual=load_multilingual_calibration(kb_dir / "calibration.json"),
        )
    seconds["whole build"] = time.perf_counter() - started
    return seconds, manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="antidote-build-cost-") as scratch:
        with as_before():
            before, old = build_once(Path(scratch) / "before")
        after, new = build_once(Path(scratch) / "after")
    figures: dict[str, object] = {"phrasings": new.texts, "claims": new.claims}
    for stage in [*(name for _, name in STAGES), "whole build"]:
        figures[f"{stage}, before (baseline), s"] = round(before[stage], 1)
        figures[f"{stage}, now, s"] = round(after[stage], 1)
        figures[f"{stage}, ratio"] = f"{after[stage] / before[stage]:.3f}x"
    for label, manifest in (("before", old), ("now", new)):
        quantisation = manifest.embedding.quantisation
        figures[f"export check {label}"] = (
            f"{quantisation.probe_texts} probes; int8 verdict: {quantisation.reason}; "
            f"fp32 mean/min cosine {quantisation.mean_cosine_to_torch}/{quantisation.min_cosine_to_torch}"
        )
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
