"""Match function cold start and memory, ONNX engine against torch engine: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/coldstart.py   (needs a built index: antidote kb build)

Each run is a new Python process, like a new Lambda container: it imports the match handler module and sends it
one claim check as API Gateway would (with an API key, on an in-memory DynamoDB Local started once for the
benchmark). Cold start is the time from the process's start to the handler's answer; then it answers a claim check
of 50 texts (the API's largest request) and reports its peak memory (max RSS).

- ``onnx``: the handler as it is (the artifact's exported model on onnxruntime);
- ``torch``: the same handler with its matcher built on the torch engine (sentence-transformers, as before).
- ``onnx_collector_on``: the ONNX handler with ``functions.shared.loading.loading`` made a no-op, so the garbage
  collector runs while the function imports and loads, as it did before ``loading()`` (docs/benchmarks.md).

- ``onnx_lambda_set`` (with ``--lambda-set``): the ONNX handler again, run by a throw-away virtual environment that
  holds only what the match function's image installs (``uv export --group lambda --group match``, slimmed, as
  ``runtime_size.py``): no torch, no scipy (which bm25s imports in the development environment, where the build
  group brings it).

Every variant runs from compiled bytecode, as the image does (its Dockerfile runs ``compileall`` over the virtual
environment and ``functions/``): the script compiles what each variant imports before timing. Without it, a
machine that sets ``PYTHONDONTWRITEBYTECODE`` (this one does) compiles every module from source in every new
process, about 2 s of the cold start that Lambda never pays.

The variants alternate, so machine noise falls on all alike; the medians of ``--runs`` each are compared. The
child's CPU time to its first answer (user + system) is reported too: on a busy machine the wall-clock time
stretches with the load, the CPU time much less; the load average at the start and end is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

CHILD = """
import json, os, sys, time
started = float(sys.argv[1])
engine, key = sys.argv[2], sys.argv[3]  # engine: onnx, torch, onnx_collector_on or onnx_lambda_set (ONNX handlers)
if engine == "onnx_collector_on":  # the baseline: loading() does nothing, the collector runs throughout
    import contextlib
    from functions.shared import loading
    loading.loading = contextlib.nullcontext
from functions.match import handler
if engine == "torch":
    from functions.match.engine.embedder import SentenceTransformerEmbedder
    from functions.match.engine.matcher import Matcher
    from functions.shared.settings import get_settings

    def torch_matcher():
        settings = get_settings()
        return Matcher.from_artifact(settings.resolved_index_dir, SentenceTransformerEmbedder(settings.embedding_model))

    handler.matcher = __import__("functools").lru_cache(maxsize=1)(torch_matcher)
from functions.local.runtime import FakeContext, api_event

def ask(body):
    headers = {"x-api-key": key, "content-type": "application/json"}
    event = api_event("POST", "/v1/claims:check", headers, {}, json.dumps(body).encode())
    reply = handler.handler(event, FakeContext("antidote-match"))
    assert reply["statusCode"] == 200, reply
    return json.loads(reply["body"])

first = ask({"text": "the measles jab gives kids autism, look it up"})
cold = time.time() - started
times = os.times()
cpu = times.user + times.system  # this process's CPU time: what the cold start costs on an idle machine
texts = [f"post {i}: the flu shot gives you the flu, my cousin got sick right after it" for i in range(50)]
ask({"texts": texts})
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "sentence_transformers"})
sys.path.insert(0, "scripts/benchmarks")  # counted above: not the handler's
from report import peak_rss_mb
print(json.dumps({
    "cold_start_s": cold,
    "cold_start_cpu_s": cpu,
    "peak_rss_mb": peak_rss_mb(),
    "decision": first["results"][0]["decision"],
    "heavy_modules": heavy,
}))
"""


def compile_bytecode(python: str) -> None:
    """Compile the interpreter's site-packages and the service's code, as the image's build does."""
    code = "import site, sys; print(site.getsitepackages()[0])"
    site_packages = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    command = [python, "-m", "compileall", "-q", "-j", "0", site_packages, str(ROOT / "functions")]
    subprocess.run(command, capture_output=True, check=False)  # a test file of some package may not compile: skipped


def lambda_set_python(folder: Path) -> Path:
    """A virtual environment with exactly the match function image's packages, from the lock and slimmed as the
    Dockerfile slims them (as runtime_size.py builds it)."""
    from runtime_size import SLIM, export, make_venv

    python = make_venv(folder / "venv", export(folder / "match.txt", "lambda", "match"))
    subprocess.run(["sh", str(SLIM), str(folder / "venv")], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lambda-set", action="store_true", help="also run the ONNX handler in the Lambda set")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]

    from functions.local.dynamodb_local import DynamoDBLocal
    from functions.local.runtime import prepare_environment
    from functions.shared.auth import new_api_key
    from functions.shared.dal.database import Database
    from functions.shared.dal.keys import KeyStore
    from functions.shared.dal.models import create_tables
    from functions.shared.settings import Settings, get_settings

    base = get_settings()
    runs: dict[str, list[dict[str, Any]]] = {"onnx": [], "onnx_collector_on": [], "torch": []}
    pythons = {"onnx": sys.executable, "onnx_collector_on": sys.executable, "torch": sys.executable}
    with (
        tempfile.TemporaryDirectory() as state,
        tempfile.TemporaryDirectory(prefix="antidote-coldstart-") as scratch,
        DynamoDBLocal(base.dynamodb_local_dir) as endpoint,
    ):
        if args.lambda_set:
            runs["onnx_lambda_set"] = []
            pythons["onnx_lambda_set"] = str(lambda_set_python(Path(scratch)))
        for python in set(pythons.values()):
            compile_bytecode(python)
        settings = Settings(dynamodb_endpoint=endpoint, state_dir=Path(state), index_dir=base.resolved_index_dir)
        create_tables(settings)
        prepare_environment(settings)
        plaintext, key = new_api_key("bench", "check", 10**9, datetime.now(UTC))
        KeyStore(Database(settings)).put_api_key(key)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for _ in range(args.runs):
            for engine, results in runs.items():
                done = subprocess.run(
                    [pythons[engine], "-c", CHILD, repr(time.time()), engine, plaintext],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise SystemExit(f"{engine} run failed:\n{done.stderr[-3000:]}")
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def median(engine: str, key: str) -> float:
        return float(statistics.median(r[key] for r in runs[engine]))

    figures = {
        "runs_each": args.runs,
        "onnx_cold_start_s_median": round(median("onnx", "cold_start_s"), 2),
        "torch_cold_start_s_median": round(median("torch", "cold_start_s"), 2),
        "onnx_cold_start_s_all": [round(r["cold_start_s"], 2) for r in runs["onnx"]],
        "torch_cold_start_s_all": [round(r["cold_start_s"], 2) for r in runs["torch"]],
        "cold_start_onnx_vs_torch": round(median("onnx", "cold_start_s") / median("torch", "cold_start_s"), 3),
        "onnx_cold_start_cpu_s_median": round(median("onnx", "cold_start_cpu_s"), 2),
        "collector_on_cold_start_s_median": round(median("onnx_collector_on", "cold_start_s"), 2),
        "collector_on_cold_start_cpu_s_median": round(median("onnx_collector_on", "cold_start_cpu_s"), 2),
        "cold_start_onnx_vs_collector_on": round(
            median("onnx", "cold_start_s") / median("onnx_collector_on", "cold_start_s"), 3
        ),
        "collector_on_peak_rss_mb_median": round(median("onnx_collector_on", "peak_rss_mb")),
        "torch_cold_start_cpu_s_median": round(median("torch", "cold_start_cpu_s"), 2),
        "onnx_peak_rss_mb_median": round(median("onnx", "peak_rss_mb")),
        "torch_peak_rss_mb_median": round(median("torch", "peak_rss_mb")),
        "peak_rss_onnx_vs_torch": round(median("onnx", "peak_rss_mb") / median("torch", "peak_rss_mb"), 3),
        "onnx_loaded_torch_side_modules": sorted({m for r in runs["onnx"] for m in r["heavy_modules"]}),
        "first_decisions": sorted({f"{e}:{r['decision']}" for e, rs in runs.items() for r in rs}),
    }
    if args.lambda_set:
        figures["onnx_lambda_set_cold_start_s_median"] = round(median("onnx_lambda_set", "cold_start_s"), 2)
        figures["onnx_lambda_set_cold_start_s_all"] = [round(r["cold_start_s"], 2) for r in runs["onnx_lambda_set"]]
        figures["onnx_lambda_set_cold_start_cpu_s_median"] = round(median("onnx_lambda_set", "cold_start_cpu_s"), 2)
        figures["onnx_lambda_set_peak_rss_mb_median"] = round(median("onnx_lambda_set", "peak_rss_mb"))
    figures["load average (1 min) at the start / end"] = f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}"
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
