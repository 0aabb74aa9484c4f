"""Matcher benchmark, ONNX engine against torch engine: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/matcher.py   (needs a built index: antidote kb build)

Measures, in one run on the same posts, for both engines over the same built index:
- ``onnx``: the artifact's exported model on onnxruntime (what the match function runs);
- ``torch``: sentence-transformers (the engine before the ONNX runtime), batches of ``--batch``;
- raw ``encode`` throughput on the normalised posts (what the matcher embeds) and the matcher's throughput
  (normalise + encode + FAISS + BM25 + ranking + confidence + decision), in batches of ``--batch`` posts (the
  posts queue's batch size); the ratio ONNX ÷ torch of each;
- single-text ``check`` latency p50/p99 after warm-up, per engine;
- with ``--baseline-calibration FILE``, a third matcher on the same artifact and ONNX model under that calibration
  (e.g. without the re-ranker), so a ranking change is measured against what it replaces in the same run.

Each figure is the best of three interleaved rounds, so machine noise falls on both engines alike. Cold start and
memory: scripts/benchmarks/coldstart.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import BASELINE_HELP, matcher_with_calibration  # noqa: E402
from report import print_figures  # noqa: E402

DEFAULT_POSTS = ROOT.parent / "shared" / "eval" / "checkthat2022" / "CT2022-Task2A-EN-Train-Dev_Queries.tsv"


def load_posts(path: Path, limit: int) -> list[str]:
    from functions.match.engine.evaluation import read_queries

    if path.suffix == ".jsonl":
        texts = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    else:
        texts = list(read_queries(path).values())
    return texts[:limit]


def rate(count: int, work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return count / (time.perf_counter() - start)


def encode_all(matcher: Any, batches: list[list[str]]) -> None:
    for batch in batches:
        matcher.embedder.encode(batch)


def match_all(matcher: Any, batches: list[list[str]]) -> None:
    for batch in batches:
        matcher.check_many(batch)


def latency(matcher: Any, posts: list[str], calls: int) -> tuple[float, float]:
    found = []
    for text in (posts * 2)[:calls]:
        start = time.perf_counter()
        matcher.check(text)
        found.append((time.perf_counter() - start) * 1000)
    found.sort()
    return statistics.median(found), found[min(len(found) - 1, round(0.99 * (len(found) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=Path, default=DEFAULT_POSTS, help="TSV (id<TAB>text) or JSONL with 'text'")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--latency-calls", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--baseline-calibration", type=Path, help=BASELINE_HELP.replace("'baseline_'", "'baseline'"))
    parser.add_argument("--no-torch", action="store_true", help="leave the torch engine out")
    args = parser.parse_args()

    from functions.match.engine.embedder import SentenceTransformerEmbedder
    from functions.match.engine.matcher import Matcher
    from functions.match.engine.normalise import normalise_post
    from functions.shared.settings import get_settings

    settings = get_settings()
    posts = load_posts(args.posts, args.limit)
    batches = [posts[i : i + args.batch] for i in range(0, len(posts), args.batch)]
    normalised = [[normalise_post(t).text for t in batch] for batch in batches]
    matchers = {"onnx": Matcher.from_artifact(settings.resolved_index_dir)}
    if not args.no_torch:
        matchers["torch"] = Matcher.from_artifact(
            settings.resolved_index_dir, SentenceTransformerEmbedder(settings.embedding_model, args.batch)
        )
    if args.baseline_calibration:
        matchers["baseline"] = matcher_with_calibration(matchers["onnx"], args.baseline_calibration)
    for matcher in matchers.values():  # warm-up both paths
        matcher.check_many(posts[: args.batch])

    best: dict[str, float] = {}
    for _ in range(3):
        for name, matcher in matchers.items():
            encode = rate(len(posts), partial(encode_all, matcher, normalised))
            match = rate(len(posts), partial(match_all, matcher, batches))
            best[f"{name}_encode"] = max(best.get(f"{name}_encode", 0.0), encode)
            best[f"{name}_matcher"] = max(best.get(f"{name}_matcher", 0.0), match)
    latencies = {name: latency(matcher, posts, args.latency_calls) for name, matcher in matchers.items()}

    onnx = matchers["onnx"]
    figures: dict[str, Any] = {
        "posts": len(posts),
        "batch": args.batch,
        "onnx_quantisation": onnx.manifest.embedding.quantisation.mode,
        "onnx_reranker": onnx.calibration.reranker is not None,
    }
    for name in matchers:
        figures[f"{name}_encode_normalised_posts_per_s"] = round(best[f"{name}_encode"], 1)
        figures[f"{name}_matcher_posts_per_s"] = round(best[f"{name}_matcher"], 1)
        figures[f"{name}_check_latency_ms_p50_p99"] = [round(v, 1) for v in latencies[name]]
    for other in ("torch", "baseline"):
        if other in matchers:
            figures[f"encode_onnx_vs_{other}"] = round(best["onnx_encode"] / best[f"{other}_encode"], 2)
            figures[f"matcher_onnx_vs_{other}"] = round(best["onnx_matcher"] / best[f"{other}_matcher"], 2)
    figures["onnx_matcher_vs_its_encode"] = round(best["onnx_matcher"] / best["onnx_encode"], 3)
    figures["kb_version"] = onnx.kb_version
    figures["model"] = onnx.manifest.model_id
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
