"""Matcher benchmark: prints figures, asserts nothing. Run: .venv/bin/python scripts/benchmarks/matcher.py

Measures, in one run on the same posts:
- raw ``model.encode`` throughput (the baseline: what embedding alone costs), on the posts as they are and on the
  posts after normalisation (links, bylines and emoji removed: shorter inputs, which is what the matcher embeds);
- the matcher's throughput (normalise + encode + FAISS + BM25 + fusion + decision) and its ratio to both baselines
  (the second ratio isolates what everything except the model costs);
- single-text ``check`` latency p50/p99 after warm-up;
- cold start (new process start to first answer) and that process's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

DEFAULT_POSTS = ROOT.parent / "shared" / "eval" / "checkthat2022" / "CT2022-Task2A-EN-Train-Dev_Queries.tsv"
COLD_START = """
import sys, time
start = float(sys.argv[1])
from pathlib import Path
from functions.match.engine.matcher import Matcher
from functions.shared.settings import get_settings
s = get_settings()
from functions.match.engine.embedder import SentenceTransformerEmbedder
m = Matcher.from_artifact(s.resolved_index_dir, SentenceTransformerEmbedder(s.embedding_model))
m.check("the measles jab gives kids autism, look it up")
print(time.time() - start)
"""


def load_posts(path: Path, limit: int) -> list[str]:
    from functions.match.engine.evaluation import read_queries

    if path.suffix == ".jsonl":
        texts = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    else:
        texts = list(read_queries(path).values())
    return texts[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=Path, default=DEFAULT_POSTS, help="TSV (id<TAB>text) or JSONL with 'text'")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--latency-calls", type=int, default=200)
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    from functions.match.engine.embedder import SentenceTransformerEmbedder
    from functions.match.engine.matcher import Matcher
    from functions.shared.settings import get_settings

    settings = get_settings()
    posts = load_posts(args.posts, args.limit)
    embedder = SentenceTransformerEmbedder(settings.embedding_model, args.batch)
    matcher = Matcher.from_artifact(settings.resolved_index_dir, embedder)
    batches = [posts[i : i + args.batch] for i in range(0, len(posts), args.batch)]

    matcher.check_many(posts[: args.batch])  # warm-up both paths
    embedder.encode(posts[: args.batch])

    from functions.match.engine.normalise import normalise_post

    normalised_batches = [[normalise_post(t).text for t in batch] for batch in batches]

    def run_encode(which: list[list[str]]) -> float:
        start = time.perf_counter()
        for batch in which:
            embedder.encode(batch)
        return len(posts) / (time.perf_counter() - start)

    def run_matcher() -> float:
        start = time.perf_counter()
        for batch in batches:
            matcher.check_many(batch)
        return len(posts) / (time.perf_counter() - start)

    # Interleave the two so machine noise falls on both alike; keep the best of three each.
    encode_rates, normalised_rates, matcher_rates = [], [], []
    for _ in range(3):
        encode_rates.append(run_encode(batches))
        normalised_rates.append(run_encode(normalised_batches))
        matcher_rates.append(run_matcher())
    encode_rate, normalised_rate, matcher_rate = max(encode_rates), max(normalised_rates), max(matcher_rates)

    latencies = []
    for text in (posts * 2)[: args.latency_calls]:
        start = time.perf_counter()
        matcher.check(text)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]

    cold = []
    for _ in range(args.cold_starts):
        result = subprocess.run(
            [sys.executable, "-c", COLD_START, repr(time.time())],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        cold.append(float(result.stdout.strip().splitlines()[-1]))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    figures = {
        "posts": len(posts),
        "batch": args.batch,
        "raw_encode_posts_per_s": round(encode_rate, 1),
        "raw_encode_normalised_posts_per_s": round(normalised_rate, 1),
        "matcher_posts_per_s": round(matcher_rate, 1),
        "matcher_vs_raw_encode": round(matcher_rate / encode_rate, 3),
        "matcher_vs_raw_encode_normalised": round(matcher_rate / normalised_rate, 3),
        "check_latency_ms_p50": round(p50, 1),
        "check_latency_ms_p99": round(p99, 1),
        "cold_start_s_median": round(statistics.median(cold), 2),
        "cold_start_peak_rss_mb": round(peak_mb, 0),
        "kb_version": matcher.kb_version,
        "model": matcher.manifest.model_id,
    }
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
