"""What the stance cross-encoder costs a check: the same matcher with and without it, in the same run.

Run: .venv/bin/python scripts/benchmarks/stance_cross.py [--json]   (needs a built index with the cross-encoder:
antidote kb train-stance-cross, then antidote kb build)

Posts: the 220 demo posts (``functions/local/demo_posts.jsonl``: myths, debunks, stories, chatter, five languages),
checked in batches of 10 as the match function receives them from SQS. ``lexical`` is the baseline (the stance
from the lexical model alone, as before the cross-encoder); ``with_cross`` adds the cross-encoder's ONNX pass for
every flagged post. Each mode runs ``--rounds`` times, alternating, and the fastest round counts (the machine is
shared). Also: how long the cross-encoder takes to load on first use, and its size.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

DEMO_POSTS = ROOT / "functions" / "local" / "demo_posts.jsonl"
BATCH = 10


def posts() -> list[tuple[str, str | None]]:
    """(text, language as ingest would store it where the demo file says)."""
    rows = [json.loads(line) for line in DEMO_POSTS.read_text("utf-8").splitlines() if line.strip()]
    return [(str(row["text"]), row.get("language")) for row in rows if str(row["text"]).strip()]


def one_round(matcher: Any, items: list[tuple[str, str | None]]) -> tuple[float, int]:
    """Seconds for every batch, and how many posts were flagged (and so given a stance)."""
    started = time.perf_counter()
    flagged = 0
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        results = matcher.check_many([t for t, _ in batch], languages=[lang for _, lang in batch])
        flagged += sum(r.stance is not None for r in results)
    return time.perf_counter() - started, flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from functions.match.engine.matcher import Matcher, _OnFirstUse
    from functions.match.engine.stance_cross import CROSS_DIR, CROSS_MODEL_FILE, load_cross_encoder
    from functions.shared.settings import get_settings

    folder = get_settings().resolved_index_dir
    with_cross = Matcher.from_artifact(folder)
    if with_cross.manifest.stance_cross_version is None:
        raise SystemExit("the built index has no stance cross-encoder: run 'antidote kb build' (docs/benchmarks.md)")
    lexical = Matcher.from_artifact(folder)
    lexical._stance_cross = _OnFirstUse(None)
    texts = posts()
    started = time.perf_counter()
    load_cross_encoder(folder)
    load_seconds = time.perf_counter() - started
    for matcher in (lexical, with_cross):
        one_round(matcher, texts[:BATCH])  # warm up: sessions, USE-m, the cross-encoder's first use
    best = {"lexical": float("inf"), "with_cross": float("inf")}
    flagged = 0
    for _ in range(args.rounds):
        for mode, matcher in (("lexical", lexical), ("with_cross", with_cross)):
            seconds, flagged = one_round(matcher, texts)
            best[mode] = min(best[mode], seconds)
    extra = best["with_cross"] - best["lexical"]
    print_figures(
        {
            "artifact": with_cross.manifest.artifact_hash,
            "stance_cross_version": with_cross.manifest.stance_cross_version,
            "posts": len(texts),
            "flagged_posts": flagged,
            "lexical_posts_per_second": round(len(texts) / best["lexical"], 1),
            "with_cross_posts_per_second": round(len(texts) / best["with_cross"], 1),
            "extra_ms_per_flagged_post": round(1000 * extra / max(1, flagged), 2),
            "cross_load_seconds": round(load_seconds, 2),
            "cross_model_mb": round((folder / CROSS_DIR / CROSS_MODEL_FILE).stat().st_size / 2**20, 1),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
