"""Cold-start footprint of each Lambda handler: prints figures, asserts nothing (docs/deploy.md quotes them).

Run: ``.venv/bin/python infra/footprint.py [--one-cpu]`` (needs ``antidote kb build`` first for the match index).

For each function, in a new Python process: the time to import its handler module (Lambda's init phase), for
match also the time to load the model and index and answer one check (its first invocation), and the process's
peak resident memory. ``--one-cpu`` pins each process to one core with one OpenMP thread, which is what a
function of 1769 MB gets in Lambda (one vCPU); the stack sets ``OMP_NUM_THREADS`` the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, resource, sys, time
start = time.perf_counter()
import importlib
module = importlib.import_module(sys.argv[1])
imported = time.perf_counter() - start
first = None
if sys.argv[1] == "functions.match.handler":
    t = time.perf_counter()
    module.matcher().check("the measles jab gives kids autism, look it up")
    first = time.perf_counter() - t
print(json.dumps({"import_s": round(imported, 2), "first_check_s": None if first is None else round(first, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""
HANDLERS = {
    "ingest": "functions.ingest.handler",
    "match": "functions.match.handler",
    "respond": "functions.respond.handler",
}


def measure(module: str, one_cpu: bool) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "POWERTOOLS_METRICS_NAMESPACE": "Antidote"}
    preexec = None
    if one_cpu:
        env["OMP_NUM_THREADS"] = "1"
        first_cpu = min(os.sched_getaffinity(0))

        def preexec() -> None:
            os.sched_setaffinity(0, {first_cpu})

    done = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=preexec,  # sets CPU affinity only
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one-cpu", action="store_true", help="one core, one OpenMP thread (Lambda at 1769 MB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = {name: measure(module, args.one_cpu) for name, module in HANDLERS.items()}
    if args.json:
        print(json.dumps({"one_cpu": args.one_cpu, **results}))
        return
    print(f"{'function':<10}{'import s':>10}{'first check s':>16}{'peak RSS MB':>14}   (one cpu: {args.one_cpu})")
    for name, r in results.items():
        first = "-" if r["first_check_s"] is None else r["first_check_s"]
        print(f"{name:<10}{r['import_s']:>10}{first:>16}{r['peak_rss_mb']:>14}")


if __name__ == "__main__":
    main()
