"""The local runtime's queues: SQS-shaped FIFOs kept in one SQLite file, so that nothing accepted is lost.

A message is written (and committed) when it is sent, taken in batches like an SQS receive, deleted only when its
consumer succeeded, made visible again after a back-off when it failed, and moved to the queue's dead-letter list
after ``max_receives`` receives. Messages taken by a process that died are visible again when the file is next
opened. ``antidote serve`` keeps the file at ``<state_dir>/queues.sqlite3``; tests and ``demo --exit`` use memory.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

QUEUE_NAMES = ("posts", "matches")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    correlation_id TEXT,
    receive_count INTEGER NOT NULL DEFAULT 0,
    visible_at REAL NOT NULL DEFAULT 0,
    in_flight INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_in_order ON messages (queue, in_flight, seq);
CREATE TABLE IF NOT EXISTS dead_letters (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    correlation_id TEXT,
    receive_count INTEGER NOT NULL,
    failed_at REAL NOT NULL,
    error TEXT
);
"""
_PARK = """
INSERT INTO dead_letters (queue, message_id, body, correlation_id, receive_count, failed_at, error)
SELECT queue, message_id, body, correlation_id, receive_count, ?, ? FROM messages WHERE message_id = ?
"""


@dataclass(frozen=True)
class DeadLetter:
    """A message that failed every receive, parked with the last error its consumer reported."""

    queue: str
    message_id: str
    body: str
    correlation_id: str | None
    receive_count: int
    failed_at: float
    error: str | None


class QueueStore:
    """The SQLite file (or memory) behind every local queue; safe to share between threads and processes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            str(path) if path else ":memory:", check_same_thread=False, isolation_level=None, timeout=30
        )
        self._lock = threading.RLock()
        with self._lock:
            if path:
                # WAL with synchronous=NORMAL: a commit survives the process being killed (what this is for); only
                # a power cut can lose the last commits.
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)

    def release_in_flight(self) -> int:
        """Make visible again what a process that is gone had taken (call once, at the runtime's start)."""
        with self._lock:
            return self._db.execute("UPDATE messages SET in_flight = 0 WHERE in_flight = 1").rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    def transaction(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Run the statements as one transaction: all of them or none."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, group in itertools.groupby(statements, key=lambda statement: statement[0]):
                    self._db.executemany(sql, [parameters for _, parameters in group])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def dead_letters(self, queue: str | None = None) -> list[DeadLetter]:
        where, parameters = ("WHERE queue = ?", (queue,)) if queue else ("", ())
        rows = self.execute(
            "SELECT queue, message_id, body, correlation_id, receive_count, failed_at, error "
            f"FROM dead_letters {where} ORDER BY seq",
            parameters,
        )
        return [DeadLetter(*row) for row in rows]

    def redrive(self, queue: str | None = None, message_ids: Sequence[str] = ()) -> int:
        """Move dead letters (of one queue, or only the ids named) back to their queues, as new messages."""
        letters = [d for d in self.dead_letters(queue) if not message_ids or d.message_id in message_ids]
        statements: list[tuple[str, Sequence[Any]]] = []
        for letter in letters:
            statements.append(("DELETE FROM dead_letters WHERE message_id = ?", (letter.message_id,)))
            statements.append(
                (
                    "INSERT INTO messages (queue, message_id, body, correlation_id) VALUES (?, ?, ?, ?)",
                    (letter.queue, str(uuid.uuid4()), letter.body, letter.correlation_id),
                )
            )
        self.transaction(statements)
        return len(letters)

    def receive(self, queue: str, count: int) -> list[tuple[str, str, str | None, int]]:
        """Up to ``count`` visible messages of a queue, marked taken with their receive counted, oldest first."""
        with self._lock:
            rows = self.execute(
                "SELECT message_id, body, correlation_id, receive_count + 1 FROM messages "
                "WHERE queue = ? AND in_flight = 0 AND visible_at <= ? ORDER BY seq LIMIT ?",
                (queue, time.time(), count),
            )
            taken = "UPDATE messages SET in_flight = 1, receive_count = receive_count + 1 WHERE message_id = ?"
            self.transaction([(taken, (row[0],)) for row in rows])
        return [(str(m), str(b), c, int(n)) for m, b, c, n in rows]


class LocalQueue:
    """One named queue in a :class:`QueueStore`; the functions' sink (``send``) and the worker's source."""

    def __init__(self, name: str, store: QueueStore) -> None:
        self.name = name
        self.store = store

    def send(self, messages: Sequence[BaseModel], correlation_id: str | None = None) -> None:
        """Commit every message before returning: once ingest answers "accepted", the post is queued on disk."""
        statements = [_insert(self.name, m.model_dump_json(), correlation_id) for m in messages]
        self.store.transaction(statements)

    def put_raw(self, body: str, correlation_id: str | None = None) -> None:
        self.store.transaction([_insert(self.name, body, correlation_id)])

    def take(self, count: int) -> list[dict[str, Any]]:
        """Up to ``count`` visible messages as SQS records, each receive counted; they stay stored until acked."""
        return [self._record(*row) for row in self.store.receive(self.name, count)]

    def ack(self, message_ids: Sequence[str]) -> None:
        """Delivered: delete them."""
        self.store.transaction([("DELETE FROM messages WHERE message_id = ?", (m,)) for m in message_ids])

    def retry_later(self, message_id: str, delay_seconds: float) -> None:
        """Failed: visible again after the delay (SQS's visibility timeout)."""
        self.store.transaction(
            [
                (
                    "UPDATE messages SET in_flight = 0, visible_at = ? WHERE message_id = ?",
                    (time.time() + delay_seconds, message_id),
                )
            ]
        )

    def dead_letter(self, message_id: str, error: str | None) -> None:
        """Failed its last receive: moved, in one transaction, to the dead-letter list."""
        self.store.transaction(
            [
                (_PARK, (time.time(), error, message_id)),
                ("DELETE FROM messages WHERE message_id = ?", (message_id,)),
            ]
        )

    def waiting(self) -> int:
        return int(self.store.execute("SELECT COUNT(*) FROM messages WHERE queue = ?", (self.name,))[0][0])

    def bodies(self) -> list[str]:
        """Every message body in the queue and its dead-letter list (to tell what is already queued)."""
        rows = self.store.execute(
            "SELECT body FROM messages WHERE queue = ? UNION ALL SELECT body FROM dead_letters WHERE queue = ?",
            (self.name, self.name),
        )
        return [r[0] for r in rows]

    @property
    def dead_letters(self) -> list[DeadLetter]:
        return self.store.dead_letters(self.name)

    def _record(self, message_id: str, body: str, correlation_id: str | None, receives: int) -> dict[str, Any]:
        attributes = {"correlation_id": {"stringValue": correlation_id, "dataType": "String"}} if correlation_id else {}
        return {
            "messageId": message_id,
            "receiptHandle": message_id,
            "body": body,
            "attributes": {"ApproximateReceiveCount": str(receives)},
            "messageAttributes": attributes,
            "md5OfBody": "",
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:local:000000000000:{self.name}",
            "awsRegion": "local",
        }


def _insert(queue: str, body: str, correlation_id: str | None) -> tuple[str, Sequence[Any]]:
    return (
        "INSERT INTO messages (queue, message_id, body, correlation_id) VALUES (?, ?, ?, ?)",
        (queue, str(uuid.uuid4()), body, correlation_id),
    )


_STORE: list[QueueStore] = []


def open_queues(path: Path | None) -> QueueStore:
    """Open the queues the runtime's functions send to (a file for ``antidote serve``, else memory); messages a
    previous process had taken become visible again."""
    close_queues()
    store = QueueStore(path)
    store.release_in_flight()
    _STORE.append(store)
    return store


def close_queues() -> None:
    while _STORE:
        _STORE.pop().close()


def queue_store() -> QueueStore:
    """The open store; memory when the runtime opened none (tests that build the service themselves)."""
    if not _STORE:
        _STORE.append(QueueStore(None))
    return _STORE[-1]


def local_queue(name: str) -> LocalQueue:
    return LocalQueue(name, queue_store())


def post_keys_queued(queue: LocalQueue) -> set[str]:
    """The post keys a posts queue already holds, waiting or dead-lettered."""
    keys: set[str] = set()
    for body in queue.bodies():
        try:
            keys.add(str(json.loads(body)["post_key"]))
        except (ValueError, KeyError, TypeError):
            continue
    return keys
