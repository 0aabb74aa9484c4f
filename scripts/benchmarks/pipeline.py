"""Pipeline benchmark: prints figures, asserts nothing. Run: .venv/bin/python scripts/benchmarks/pipeline.py

In one run, against the local runtime on an in-memory DynamoDB Local:
- end-to-end posts per second: webhook (batches of 100) → posts queue → match → matches queue → respond,
  until every queue is empty;
- the matcher's own throughput on the same texts, at the posts queue's batch size (64, as deployed and as the local
  runtime delivers) and at 10, measured before and after the pipeline (the ratios use the mean of the two);
- claim-check latency p50/p99 over real HTTP with 10 concurrent clients;
- the ceiling the machine puts on the pipeline's ratio: ingest's redaction (two name models) and the DynamoDB Local
  the pipeline needs use the same cores as the matcher, so even with no other cost the pipeline could reach at most
  (cores ÷ the cores the matcher alone keeps busy) × matcher CPU ÷ (matcher + redaction + database CPU) of its rate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import cpu_seconds, print_figures  # noqa: E402

DEFAULT_POSTS = ROOT.parent / "shared" / "eval" / "checkthat2022" / "CT2022-Task2A-EN-Train-Dev_Queries.tsv"


def post_texts(path: Path, count: int) -> list[str]:
    from functions.local.demo import load_demo_posts
    from functions.match.engine.evaluation import read_queries

    texts = [p["text"] for p in load_demo_posts()]
    if path.is_file():
        texts += list(read_queries(path).values())
    return [texts[i % len(texts)] for i in range(count)]


def call(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, float]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json", **headers}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        response.read()
        return response.status, time.perf_counter() - start


def redaction_cpu_per_post(texts: list[str]) -> float:
    """CPU milliseconds a post of ingest's redaction alone (models loaded), in batches of 100 as webhooks deliver."""
    from functions.shared.redaction import redact_many

    redact_many([(text[:10_000], "@bench") for text in texts[:100]])  # load both models before timing
    cpu = os.times()
    for i in range(0, len(texts), 100):
        redact_many([(text[:10_000], "@bench") for text in texts[i : i + 100]])
    return (sum(os.times()[:2]) - sum(cpu[:2])) / len(texts) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--source", type=Path, default=DEFAULT_POSTS, help="TSV of extra post texts")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--checks-per-client", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]

    from functions.local.dynamodb_local import DynamoDBLocal
    from functions.local.runtime import prepare_environment
    from functions.local.server import LocalService
    from functions.match.handler import matcher
    from functions.shared import dependencies
    from functions.shared.auth import new_api_key
    from functions.shared.dal.models import create_tables
    from functions.shared.settings import Settings, get_settings

    texts = post_texts(args.source, args.posts)
    base = get_settings()
    with tempfile.TemporaryDirectory() as state, DynamoDBLocal(base.dynamodb_local_dir) as endpoint:
        os.environ["ANTIDOTE_DEV_TOKEN_SECRET"] = "benchmark-only-secret-0123456789abcdef"
        settings = Settings(dynamodb_endpoint=endpoint, state_dir=Path(state), index_dir=base.resolved_index_dir)
        create_tables(settings)
        prepare_environment(settings)
        dependencies.reset()
        service = LocalService(port=0)
        service.start()
        store = dependencies.keys()
        now = datetime.now(UTC)
        ingest_key, ingest = new_api_key("bench", "ingest", 10**9, now)
        check_key, check = new_api_key("bench", "check", 10**9, now)
        store.put_api_key(ingest)
        store.put_api_key(check)
        the_matcher = matcher()
        the_matcher.check_many(texts[:64])  # load and warm the model before timing anything

        matcher_cpu_ms: dict[int, list[float]] = {10: [], 64: []}  # each matcher_rates run's CPU per post

        # matcher alone, same texts, same batch size as the pipeline's SQS batches, and at 64: once before the
        # pipeline and once after, so a load that changes during the run falls on both sides alike (their mean)
        def matcher_rates() -> dict[int, float]:
            rates = {}
            for batch in (10, 64):
                start, cpu = time.perf_counter(), os.times()
                for i in range(0, len(texts), batch):
                    the_matcher.check_many(texts[i : i + batch])
                rates[batch] = len(texts) / (time.perf_counter() - start)
                matcher_cpu_ms[batch].append((sum(os.times()[:2]) - sum(cpu[:2])) / len(texts) * 1000)
            return rates

        before = matcher_rates()

        # end to end: webhook batches of 100, then wait until every queue is empty
        posts = [
            {
                "platform": "x",
                "post_id": f"bench-{i}",
                "author_handle": "@bench",
                "text": text[:10_000],
                "created_at": (now - timedelta(minutes=i % 600)).isoformat(),
                "reach": {"followers": 100 + i, "likes": i % 50, "shares": i % 7, "views": 1000 + i},
            }
            for i, text in enumerate(texts)
        ]
        database_port = int(endpoint.rsplit(":", 1)[1].strip("/"))
        service_cpu, database_cpu = cpu_seconds(database_port)
        start = time.perf_counter()
        for i in range(0, len(posts), 100):
            status, _ = call(f"{service.url}/v1/posts", {"posts": posts[i : i + 100]}, {"x-api-key": ingest_key})
            assert status == 200
        service.wait_idle(3600)
        pipeline_rate = len(posts) / (time.perf_counter() - start)
        service_cpu_after, database_cpu_after = cpu_seconds(database_port)
        after = matcher_rates()
        rates = {batch: (before[batch] + after[batch]) / 2 for batch in before}
        redaction_cpu_ms = redaction_cpu_per_post(texts)

        # claim-check latency with concurrent clients
        latencies: list[float] = []
        lock = threading.Lock()

        def client(n: int) -> None:
            for j in range(args.checks_per_client):
                text = texts[(n * args.checks_per_client + j) % len(texts)]
                _, seconds = call(f"{service.url}/v1/claims:check", {"text": text[:10_000]}, {"x-api-key": check_key})
                with lock:
                    latencies.append(seconds * 1000)

        call(f"{service.url}/v1/claims:check", {"text": "warm up"}, {"x-api-key": check_key})
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        latencies.sort()
        service.stop()

    matcher_cpu = statistics.mean(matcher_cpu_ms[64])
    matcher_cores = rates[64] * matcher_cpu / 1000
    cores = len(os.sched_getaffinity(0))
    database_ms = (database_cpu_after - database_cpu) / len(posts) * 1000
    ceiling = cores / matcher_cores * matcher_cpu / (matcher_cpu + redaction_cpu_ms + database_ms)
    figures = {
        "posts": len(posts),
        "pipeline_posts_per_s": round(pipeline_rate, 1),
        "matcher_posts_per_s_batch10": round(rates[10], 1),
        "matcher_posts_per_s_batch64": round(rates[64], 1),
        "matcher_posts_per_s_batch64_before_after": [round(before[64], 1), round(after[64], 1)],
        "pipeline_vs_matcher_batch64": round(pipeline_rate / rates[64], 3),
        "pipeline_vs_matcher_batch10": round(pipeline_rate / rates[10], 3),
        "pipeline CPU ms a post: service process / DynamoDB Local": (
            f"{(service_cpu_after - service_cpu) / len(posts) * 1000:.2f} / "
            f"{(database_cpu_after - database_cpu) / len(posts) * 1000:.2f}"
        ),
        "matcher alone CPU ms a post, batches of 64": round(matcher_cpu, 2),
        "ingest's redaction alone CPU ms a post, batches of 100": round(redaction_cpu_ms, 2),
        "cores the matcher alone keeps busy, batches of 64 / cores": f"{matcher_cores:.2f} / {cores}",
        "ceiling of pipeline_vs_matcher_batch64 from redaction and the database's CPU alone": round(ceiling, 3),
        "claim_check_clients": args.clients,
        "claim_check_requests": len(latencies),
        "claim_check_ms_p50": round(statistics.median(latencies), 1),
        "claim_check_ms_p99": round(latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))], 1),
        "claim_check_requests_per_s": round(len(latencies) / wall, 1),
        "load average (1 min) at the start / end": f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}",
    }
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
