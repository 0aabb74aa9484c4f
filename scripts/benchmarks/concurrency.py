"""Concurrent claim-check benchmark: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/concurrency.py

In one run, on the local service over an in-memory DynamoDB Local, on the same texts:
- the baseline: the matcher's own throughput, called directly, in batches of as many texts as there are clients
  (the most a batch of single-text requests can hold);
- N concurrent clients sending one text per ``POST /v1/claims:check`` over real HTTP, each with the API key and
  quota check, from a separate process (so they do not share the service's interpreter lock): requests per second,
  p50, p99, errors, and how many answers differ from the matcher's own answer for the same text;
- for comparison, the same load with the runtime running claim checks one at a time (as before micro-batching), and
  one client alone (a lone caller waits for no batch window);
- where the time goes: CPU milliseconds per text of the matcher alone, and per request of the service's process
  (HTTP, authentication, the matcher) and of DynamoDB Local (keys and quotas), which share the machine's cores.
Baseline and concurrent rounds are interleaved (``--rounds``, best of each), so machine noise falls on both alike;
latencies are pooled over every round. Targets: throughput ≥ 0.8 × baseline, p99 ≤ 300 ms, no errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import cpu_seconds, print_figures  # noqa: E402

DEFAULT_TEXTS = ROOT.parent / "shared" / "eval" / "checkthat2022" / "CT2022-Task2A-EN-Dev-Test_Queries.tsv"
Answer = tuple[str, str | None]  # decision, top claim id


def load_texts(path: Path) -> tuple[list[str], str]:
    """The CheckThat 2021 test tweets when the shared evaluation data is there (read in place), else the demo posts."""
    from functions.local.demo import load_demo_posts
    from functions.match.engine.evaluation import read_queries

    if path.is_file():
        return [t[:10_000] for t in read_queries(path).values()], path.name
    return [str(p["text"])[:10_000] for p in load_demo_posts()], "demo posts"


def plan(texts: list[str], clients: int, per_client: int) -> list[list[int]]:
    """Which text each client sends, in order: every client walks the texts from its own starting point."""
    return [[(n * per_client + j) % len(texts) for j in range(per_client)] for n in range(clients)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---------------------------------------------------------------- the load generator (a separate process)


_CLOSED = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)  # the server closed the connection


class Connection:
    """One client's HTTP connection: kept alive between requests, as partners' HTTP clients (requests' sessions,
    httpx, a Java or Go client's pool) keep theirs, or new for every request (``keep_alive=False``)."""

    def __init__(self, url: str, keep_alive: bool) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.keep_alive = parsed.hostname or "127.0.0.1", parsed.port or 80, keep_alive
        self.http: http.client.HTTPConnection | None = None

    def post_check(self, key: str, text: str) -> tuple[int, float, dict[str, Any] | None]:
        body = json.dumps({"text": text}).encode()
        headers = {"Content-Type": "application/json", "x-api-key": key}
        start = time.perf_counter()
        try:
            status, payload = self._exchange(body, headers)
        except _CLOSED:
            status, payload = self._exchange(body, headers)  # a kept connection the server closed: opened again, once
        seconds = time.perf_counter() - start
        return status, seconds, json.loads(payload) if status == 200 else None

    def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.http is None:
            self.http = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            self.http.request("POST", "/v1/claims:check", body=body, headers=headers)
            response = self.http.getresponse()
            payload = response.read()
        except _CLOSED:
            self.close()
            raise
        if not self.keep_alive or response.will_close:
            self.close()
        return response.status, payload

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None


def drive(url: str, key: str, texts: list[str], schedule: list[list[int]], keep_alive: bool) -> dict[str, Any]:
    """Every client in its own thread, one request after another; what came back, per request, and the CPU this
    load generator used (it shares the machine's cores with the service)."""
    outcomes: list[tuple[int, int, float, Answer | None]] = []
    lock = threading.Lock()

    def client(indices: list[int]) -> None:
        connection = Connection(url, keep_alive)
        for index in indices:
            try:
                status, seconds, body = connection.post_check(key, texts[index])
            except OSError as error:  # refused or reset connections count as errors, with no status
                status, seconds, body = 0, 0.0, None
                print(f"request failed: {error}", file=sys.stderr)
            answer = None
            if body is not None:
                result = body["results"][0]
                answer = (result["decision"], result["claims"][0]["claim_id"] if result["claims"] else None)
            with lock:
                outcomes.append((index, status, seconds * 1000, answer))
        connection.close()

    threads = [threading.Thread(target=client, args=(indices,)) for indices in schedule]
    cpu = time.process_time()
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu, "outcomes": outcomes}


def drive_from_another_process(
    url: str, key: str, texts: list[str], schedule: list[list[int]], keep_alive: bool
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"url": url, "key": key, "texts": texts, "schedule": schedule, "keep_alive": keep_alive}, handle)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--drive", handle.name], capture_output=True, text=True, check=True
        )
    finally:
        os.unlink(handle.name)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---------------------------------------------------------------- measuring, in the service's process


def answers_of(results: list[Any]) -> list[Answer]:
    return [(r.decision.value, r.matches[0].claim.id if r.matches else None) for r in results]


def matcher_round(
    matcher: Any, texts: list[str], sequence: list[int], batch: int, port: int
) -> tuple[float, float, dict[int, Answer]]:
    """The baseline: the matcher alone on the same texts, in batches of ``batch``: texts per second, CPU ms per text
    and each text's answer."""
    answers: dict[int, Answer] = {}
    cpu = cpu_seconds(port)[0]
    start = time.perf_counter()
    for i in range(0, len(sequence), batch):
        chunk = sequence[i : i + batch]
        for index, answer in zip(chunk, answers_of(matcher.check_many([texts[j] for j in chunk])), strict=True):
            answers[index] = answer
    seconds = time.perf_counter() - start
    return len(sequence) / seconds, (cpu_seconds(port)[0] - cpu) * 1000 / len(sequence), answers


def http_round(
    service: Any, key: str, texts: list[str], schedule: list[list[int]], port: int, keep_alive: bool
) -> dict[str, Any]:
    from functions.match.handler import checker

    stats = checker().stats
    before = (stats.batches, stats.texts, stats.largest)
    stats.largest = 0
    cpu = cpu_seconds(port)
    driven = drive_from_another_process(service.url, key, texts, schedule, keep_alive)
    service_cpu, database_cpu = (after - earlier for after, earlier in zip(cpu_seconds(port), cpu, strict=True))
    outcomes = driven["outcomes"]
    return {
        "service_cpu_ms": service_cpu * 1000 / len(outcomes),
        "database_cpu_ms": database_cpu * 1000 / len(outcomes),
        "client_cpu_ms": driven["cpu_s"] * 1000 / len(outcomes),
        "requests_per_s": len(outcomes) / driven["wall_s"],
        "latencies": [o[2] for o in outcomes if o[1] == 200],
        "statuses": Counter(o[1] for o in outcomes),
        "answers": [(o[0], tuple(o[3]) if o[3] else None) for o in outcomes],
        "batches": stats.batches - before[0],
        "batched_texts": stats.texts - before[1],
        "largest_batch": stats.largest,
    }


def wrong_answers(rounds: list[dict[str, Any]], expected: dict[int, Answer]) -> int:
    return sum(1 for r in rounds for index, answer in r["answers"] if answer is not None and answer != expected[index])


def start_service(stack: ExitStack, engine_dir: Path, index_dir: Path) -> tuple[Any, str, int]:
    """The local service on an in-memory DynamoDB Local, warmed, and a check key with a quota that never runs out."""
    from functions.local.dynamodb_local import DynamoDBLocal
    from functions.local.runtime import prepare_environment
    from functions.local.server import LocalService
    from functions.shared import dependencies
    from functions.shared.auth import new_api_key
    from functions.shared.dal.models import create_tables
    from functions.shared.settings import Settings

    endpoint = stack.enter_context(DynamoDBLocal(engine_dir))
    state = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    os.environ["ANTIDOTE_DEV_TOKEN_SECRET"] = "benchmark-only-secret-0123456789abcdef"
    settings = Settings(dynamodb_endpoint=endpoint, state_dir=state, index_dir=index_dir)
    create_tables(settings)
    prepare_environment(settings)
    dependencies.reset()
    service = LocalService(port=0)
    service.start()  # loads the model and index and answers one check before serving
    stack.callback(service.stop)
    key, record = new_api_key("bench", "check", 10**9, datetime.now(UTC))
    dependencies.keys().put_api_key(record)
    return service, key, int(endpoint.rsplit(":", 1)[1])


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from functions.match.handler import matcher
    from functions.shared.settings import get_settings

    texts, source = load_texts(args.texts)
    base = get_settings()
    with ExitStack() as stack:
        service, key, port = start_service(stack, base.dynamodb_local_dir, base.resolved_index_dir)
        schedule = plan(texts, args.clients, args.per_client)
        sequence = [i for indices in schedule for i in indices]
        keep = args.keep_alive
        drive_from_another_process(service.url, key, texts, plan(texts, args.clients, 2), keep)  # resolvers, threads
        baseline: list[tuple[float, float]] = []
        rounds: list[dict[str, Any]] = []
        expected: dict[int, Answer] = {}
        for _ in range(args.rounds):
            rate, cpu_ms, expected = matcher_round(matcher(), texts, sequence, args.clients, port)
            baseline.append((rate, cpu_ms))
            rounds.append(http_round(service, key, texts, schedule, port, keep))
        alone = http_round(service, key, texts, plan(texts, 1, args.alone), port, keep)
        service.functions.concurrent_apis = frozenset()  # as before micro-batching: one claim check at a time
        serial = http_round(service, key, texts, schedule, port, keep) if args.compare_serial else None
    return figures(args, source, len(texts), baseline, rounds, alone, serial, expected)


def figures(
    args: argparse.Namespace,
    source: str,
    distinct: int,
    matcher_rounds: list[tuple[float, float]],
    rounds: list[dict[str, Any]],
    alone: dict[str, Any],
    serial: dict[str, Any] | None,
    expected: dict[int, Answer],
) -> dict[str, Any]:
    baseline_rates = [rate for rate, _ in matcher_rounds]
    baseline = max(baseline_rates)
    best = max(r["requests_per_s"] for r in rounds)
    latencies = [ms for r in rounds for ms in r["latencies"]]
    errors = sum(n for r in rounds for status, n in r["statuses"].items() if status != 200)
    batches = sum(r["batches"] for r in rounds)
    out: dict[str, Any] = {
        "texts": f"{distinct} distinct ({source})",
        "clients": args.clients,
        "connections": "kept alive" if args.keep_alive else "new for every request",
        "requests": sum(len(r["answers"]) for r in rounds),
        "rounds": args.rounds,
        "matcher_batch": args.clients,
        "matcher_texts_per_s": round(baseline, 1),
        "concurrent_requests_per_s": round(best, 1),
        "concurrent_vs_matcher": round(best / baseline, 3),
        "concurrent_ms_p50": round(statistics.median(latencies), 1),
        "concurrent_ms_p99": round(percentile(latencies, 0.99), 1),
        "concurrent_errors": errors,
        "concurrent_statuses": dict(sorted(Counter(s for r in rounds for s in r["statuses"].elements()).items())),
        "answers_differing_from_matcher_alone": wrong_answers(rounds, expected),
        "mean_texts_per_batch": round(sum(r["batched_texts"] for r in rounds) / max(batches, 1), 1),
        "largest_batch": max(r["largest_batch"] for r in rounds),
        "matcher_texts_per_s_each_round": [round(r, 1) for r in baseline_rates],
        "concurrent_requests_per_s_each_round": [round(r["requests_per_s"], 1) for r in rounds],
        "matcher_cpu_ms_per_text": round(statistics.mean(cpu for _, cpu in matcher_rounds), 1),
        "concurrent_service_cpu_ms_per_request": round(statistics.mean(r["service_cpu_ms"] for r in rounds), 1),
        "concurrent_dynamodb_local_cpu_ms_per_request": round(statistics.mean(r["database_cpu_ms"] for r in rounds), 1),
        "concurrent_client_cpu_ms_per_request": round(statistics.mean(r["client_cpu_ms"] for r in rounds), 1),
        "one_client_ms_p50": round(statistics.median(alone["latencies"]), 1),
        "one_client_ms_p99": round(percentile(alone["latencies"], 0.99), 1),
    }
    if serial is not None:
        out |= {
            "one_at_a_time_requests_per_s": round(serial["requests_per_s"], 1),
            "one_at_a_time_vs_matcher": round(serial["requests_per_s"] / baseline, 3),
            "one_at_a_time_ms_p50": round(statistics.median(serial["latencies"]), 1),
            "one_at_a_time_ms_p99": round(percentile(serial["latencies"], 0.99), 1),
            "one_at_a_time_dynamodb_local_cpu_ms_per_request": round(serial["database_cpu_ms"], 1),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="TSV (id<TAB>text); else the demo posts")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=40, help="requests per client per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--alone", type=int, default=100, help="requests from one client alone")
    parser.add_argument("--no-compare-serial", dest="compare_serial", action="store_false")
    parser.add_argument(
        "--new-connections",
        dest="keep_alive",
        action="store_false",
        help="open a new connection for every request (the default keeps each client's connection alive)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--drive", type=Path, help=argparse.SUPPRESS)  # internal: be the load generator
    args = parser.parse_args()
    if args.drive:
        job = json.loads(args.drive.read_text())
        print(json.dumps(drive(job["url"], job["key"], job["texts"], job["schedule"], job["keep_alive"])))
        return
    load_at_start = os.getloadavg()[0]
    figures = measure(args)
    figures["load average (1 min) at the start / end"] = f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}"
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
