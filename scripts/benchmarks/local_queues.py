"""Local queue benchmark: prints figures, asserts nothing. Run: .venv/bin/python scripts/benchmarks/local_queues.py

What keeping the local runtime's queues in SQLite costs per message, against the in-memory deque they replaced
(the baseline, measured in the same run): ingest sends batches of 100, the worker takes batches of 64 and
acknowledges them, until every message went through. The file store commits every send and every ack to disk
(WAL), which is what makes an accepted post survive a crash.

With ``--sweep-posts N`` (Java and DynamoDB Local needed): the start sweep that finds stored posts without a match
(``PostStore.post_keys_without_match``) over N stored posts, half of them matched, against the bare scan of the
posts' keys it starts with (the baseline).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402


class DequeQueue:
    """The baseline: what the in-memory queue did per message (a dict per record in a deque)."""

    def __init__(self) -> None:
        self.records: deque[dict[str, Any]] = deque()

    def send(self, messages: list[Any], correlation_id: str | None = None) -> None:
        for message in messages:
            self.records.append({"body": message.model_dump_json(), "attributes": {"ApproximateReceiveCount": "1"}})

    def take(self, count: int) -> list[dict[str, Any]]:
        return [self.records.popleft() for _ in range(min(count, len(self.records)))]

    def ack(self, message_ids: list[str]) -> None:
        return


def run_through(queue: Any, messages: list[Any]) -> float:
    """Seconds to send in 100s, then take in 64s and ack, every message."""
    started = time.perf_counter()
    for start in range(0, len(messages), 100):
        queue.send(messages[start : start + 100])
    while True:
        taken = queue.take(64)
        if not taken:
            break
        queue.ack([r.get("messageId", "") for r in taken])
    return time.perf_counter() - started


def sweep_figures(count: int) -> dict[str, Any]:
    from datetime import UTC, datetime

    from functions.ingest.logic import prepare_post
    from functions.local.dynamodb_local import DynamoDBLocal
    from functions.shared.dal.database import Database
    from functions.shared.dal.models import PostRecord, create_tables
    from functions.shared.dal.posts import PostStore
    from functions.shared.models import MatchEntry, PostIn
    from functions.shared.settings import get_settings

    now = datetime.now(UTC)
    with DynamoDBLocal(get_settings().dynamodb_local_dir) as endpoint:
        settings = get_settings().model_copy(update={"dynamodb_endpoint": endpoint})
        create_tables(settings)
        store = PostStore(Database(settings))
        posts = [
            prepare_post(
                PostIn.model_validate(
                    {"platform": "x", "post_id": str(i), "text": f"post number {i}", "created_at": now.isoformat()}
                ),
                "webhook",
                now,
            )
            for i in range(count)
        ]
        store.put_posts_if_new(posts)
        store.record_matches([MatchEntry(p.post_key, "none", "benchmark", "kb", [], None) for p in posts[::2]], now)
        started = time.perf_counter()
        keys = [r.post_key for r in PostRecord.scan(attributes_to_get=["post_key"], consistent_read=True)]
        scan_only = time.perf_counter() - started
        started = time.perf_counter()
        missing = store.post_keys_without_match()
        sweep = time.perf_counter() - started
    return {
        "stored posts": len(keys),
        "posts without a match found": len(missing),
        "scan of post keys (baseline) s": round(scan_only, 2),
        "start sweep s": round(sweep, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--sweep-posts", type=int, default=0, help="also time the start sweep over N stored posts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from functions.local.queues import LocalQueue, QueueStore
    from functions.shared.models import PostMessage

    messages = [PostMessage(post_key=f"x#{i}") for i in range(args.messages)]
    baseline = run_through(DequeQueue(), messages)
    memory = QueueStore(None)
    in_memory = run_through(LocalQueue("posts", memory), messages)
    memory.close()
    with tempfile.TemporaryDirectory() as folder:
        store = QueueStore(Path(folder) / "queues.sqlite3")
        on_disk = run_through(LocalQueue("posts", store), messages)
        store.close()
    per_message = 1e6 / args.messages
    figures: dict[str, Any] = {
        "messages": args.messages,
        "deque (baseline) µs/message": round(baseline * per_message, 1),
        "SQLite in memory µs/message": round(in_memory * per_message, 1),
        "SQLite file (WAL) µs/message": round(on_disk * per_message, 1),
        "SQLite file messages/s": round(args.messages / on_disk),
    }
    if args.sweep_posts:
        figures.update(sweep_figures(args.sweep_posts))
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
