"""What importing the match handler costs, this checkout against an earlier commit: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/import_cost.py [--baseline main] [--runs 7]

The import of ``functions.match.handler`` is most of the match function's cold start (the model and index load
after it). The baseline commit is checked out into a throw-away git worktree (removed afterwards); both trees are
imported by this same interpreter and environment, alternately, each in a new process with tracing off (as outside
Lambda), so machine noise falls on both alike. Reported per tree: the median CPU time (user + system) and wall time
of the import, and the top-level packages the import loaded that the other tree's did not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

CHILD = """
import json, os, sys, time
started = time.perf_counter()
import functions.match.handler
times = os.times()
print(json.dumps({
    "cpu_s": times.user + times.system,
    "wall_s": time.perf_counter() - started,
    "loaded": sorted({name.split(".")[0] for name in sys.modules}),
}))
"""


def import_once(tree: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTIDOTE_")}
    env |= {"PYTHONPATH": str(tree), "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=tree, env=env, capture_output=True, text=True, check=True, timeout=300
    )
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="antidote-import-") as scratch:
        baseline_tree = Path(scratch) / "baseline"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(baseline_tree), args.baseline], check=True)
        try:
            runs: dict[str, list[dict[str, object]]] = {"this": [], "baseline": []}
            for _ in range(args.runs):
                runs["this"].append(import_once(ROOT))
                runs["baseline"].append(import_once(baseline_tree))
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(baseline_tree)], check=True)

    def median(tree: str, key: str) -> float:
        return float(statistics.median(float(r[key]) for r in runs[tree]))  # type: ignore[arg-type]

    loaded = {tree: set(rs[0]["loaded"]) for tree, rs in runs.items()}  # type: ignore[call-overload]
    figures = {
        "runs_each": args.runs,
        "baseline": args.baseline,
        "import_cpu_s_median_this / baseline": f"{median('this', 'cpu_s'):.2f} / {median('baseline', 'cpu_s'):.2f}",
        "import_cpu_this_vs_baseline": round(median("this", "cpu_s") / median("baseline", "cpu_s"), 3),
        "import_wall_s_median_this / baseline": f"{median('this', 'wall_s'):.2f} / {median('baseline', 'wall_s'):.2f}",
        "loaded_only_by_baseline": sorted(loaded["baseline"] - loaded["this"]),
        "loaded_only_by_this": sorted(loaded["this"] - loaded["baseline"]),
        "load average (1 min) at the start / end": f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}",
    }
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
