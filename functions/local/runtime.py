"""The local runtime: the very same Lambda handlers, on DynamoDB Local, with in-process queues.

HTTP requests become API Gateway proxy events; queue hops become SQS-shaped batch events with Lambda's
semantics: batches of up to the deployed event sources' sizes (posts 64, matches 10; ``infra/config.py``), a record
reported in ``batchItemFailures`` is delivered again after a back-off, and after
``MAX_RECEIVES`` deliveries it moves to the queue's dead-letter list. Queues and dead letters are kept in SQLite
under the state folder (``functions/local/queues.py``), so ``antidote serve`` loses nothing it accepted when it, or
its database, stops.
"""

from __future__ import annotations

import base64
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from functions.local.dynamodb_local import DynamoDBLocal
from functions.local.queues import LocalQueue, close_queues, local_queue, open_queues, post_keys_queued
from functions.shared.settings import Settings

MAX_RECEIVES = 5  # as the deployed queues' redrive policy (infra/config.py max_receive_count)
MAX_RETRY_DELAY_SECONDS = 60.0
# Functions whose API invocations may run at the same time inside the one local "container": the match function's
# API resolves each request on a resolver of its own (``ResolverPool``) and reaches the matcher only through its
# micro-batcher, which is what batches concurrent claim checks. Queue deliveries, and the other functions' APIs, run
# one at a time, as in one Lambda instance.
CONCURRENT_APIS = frozenset({"match"})
QUEUES_FILE = "queues.sqlite3"
BATCH_SIZES = {"posts": 64, "matches": 10}  # as the CDK app's event source mappings (infra/config.py)
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class FakeContext:
    """Enough of the Lambda context for Powertools (logger, idempotency, batch)."""

    function_name: str
    memory_limit_in_mb: int = 2048
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def prepare_environment(settings: Settings) -> None:
    """Settings the handlers read from the environment, as the CDK stack sets them in AWS."""
    os.environ["ANTIDOTE_DYNAMODB_ENDPOINT"] = settings.dynamodb_endpoint or ""
    os.environ["ANTIDOTE_STATE_DIR"] = str(settings.state_dir)
    os.environ["ANTIDOTE_INDEX_DIR"] = str(settings.resolved_index_dir)
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "antidote-local")


class Functions:
    """The handlers (ingest, match, respond, alerts), imported after the environment is prepared, each behind its
    own lock (like one container) except for the concurrent APIs above."""

    def __init__(self) -> None:
        from functions.ingest import sources
        from functions.local.demo import demo_feed
        from functions.shared import dependencies

        dependencies.install_local_sinks({"posts": local_queue("posts"), "matches": local_queue("matches")})
        sources.register("demo", demo_feed)
        from functions.alerts import handler as alerts
        from functions.ingest import handler as ingest
        from functions.match import handler as match
        from functions.respond import handler as respond

        self.handlers: dict[str, Handler] = {
            "ingest": ingest.handler,
            "match": match.handler,
            "respond": respond.handler,
            "alerts": alerts.handler,
        }
        self.locks = {name: threading.Lock() for name in self.handlers}
        self.concurrent_apis = CONCURRENT_APIS  # empty: every invocation one at a time (benchmarks compare both)

    def invoke(self, name: str, event: dict[str, Any]) -> dict[str, Any]:
        from functions.shared.observability import metrics

        concurrent = name in self.concurrent_apis and "Records" not in event
        with nullcontext() if concurrent else self.locks[name]:
            try:
                return self.handlers[name](event, FakeContext(f"antidote-{name}"))
            finally:
                # With metrics disabled Powertools never clears its buffer, and prints it when it reaches 100
                # values; locally nothing collects EMF, so drop it after each invocation.
                metrics.clear_metrics()

    def warm(self) -> None:
        """Load the matcher (model and index) and answer one check before the first request arrives."""
        from functions.match.handler import warm

        warm()


def retry_delay(receives: int, base_seconds: float) -> float:
    """How long a failed message stays invisible: doubling from ``base_seconds`` (1, 2, 4, 8 s by default), so a
    database outage of a quarter of a minute is outlasted instead of burning every receive in moments."""
    return float(min(base_seconds * 2 ** max(receives - 1, 0), MAX_RETRY_DELAY_SECONDS))


def report_dead_letter(queue: str, record: dict[str, Any], error: str) -> None:
    """A log line and a metric (``DeadLetters`` by queue, EMF on standard output) for each message parked."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    from functions.shared.observability import logger

    receives = int(record["attributes"]["ApproximateReceiveCount"])
    correlation = (record.get("messageAttributes") or {}).get("correlation_id", {}).get("stringValue")
    details = {"queue": queue, "message_id": record["messageId"], "receives": receives, "error": error}
    logger.error("message moved to the dead-letter list", extra={**details, "correlation_id": correlation})
    with single_metric(name="DeadLetters", unit=MetricUnit.Count, value=1, namespace="Antidote") as metric:
        metric.add_dimension(name="queue", value=queue)


TAKE_RETRY_SECONDS = 1.0  # after the queue store failed to give messages


class QueueWorker:
    """Moves messages along posts → match → matches → respond, like SQS event source mappings.

    ``start`` runs one consumer thread per queue, so match and respond work at the same time as their Lambda
    functions would. A delivered message is deleted; a failed one comes back after :func:`retry_delay`; after
    ``MAX_RECEIVES`` receives it is parked in the queue's persisted dead-letter list (``antidote dlq``).
    """

    def __init__(self, functions: Functions) -> None:
        from functions.shared.settings import get_settings

        self.functions = functions
        self.retry_base_seconds = get_settings().local_retry_base_seconds
        self.routes: list[tuple[LocalQueue, str]] = [
            (local_queue("posts"), "match"),
            (local_queue("matches"), "respond"),
        ]
        self._state = threading.Condition()
        self._busy = 0
        self._stopping = False
        self._threads: list[threading.Thread] = []

    def deliver(self, queue: LocalQueue, function: str, records: list[dict[str, Any]]) -> None:
        try:
            result = self.functions.invoke(function, {"Records": records})
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
            error = f"reported failed by the {function} function"
        except Exception as exc:  # the whole invocation failed (Powertools raises when every record failed): retry all
            failed = {r["messageId"] for r in records}
            error = f"{type(exc).__name__}: {exc}"[:1000]
        queue.ack([r["messageId"] for r in records if r["messageId"] not in failed])
        for record in records:
            if record["messageId"] not in failed:
                continue
            receives = int(record["attributes"]["ApproximateReceiveCount"])
            if receives >= MAX_RECEIVES:
                queue.dead_letter(record["messageId"], error)
                report_dead_letter(queue.name, record, error)
            else:
                queue.retry_later(record["messageId"], retry_delay(receives, self.retry_base_seconds))

    def _take(self, queue: LocalQueue) -> list[dict[str, Any]]:
        with self._state:
            records = queue.take(BATCH_SIZES.get(queue.name, 10))
            if records:
                self._busy += 1
            return records

    def _done(self) -> None:
        with self._state:
            self._busy -= 1
            self._state.notify_all()

    def _consume(self, queue: LocalQueue, function: str) -> None:
        while not self._stopping:
            try:
                records = self._take(queue)
            except Exception:  # the queue store failed (locked, closed): log, wait, go on; a dead thread takes nothing
                from functions.shared.observability import logger

                logger.exception("taking from a local queue failed", extra={"queue": queue.name})
                with self._state:
                    self._state.wait(timeout=TAKE_RETRY_SECONDS)
                continue
            if not records:
                with self._state:
                    self._state.wait(timeout=0.05)
                continue
            try:
                self.deliver(queue, function, records)
            finally:
                self._done()

    def start(self) -> None:
        for queue, function in self.routes:
            thread = threading.Thread(target=self._consume, args=(queue, function), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Take nothing more and let the deliveries under way finish; whatever is still queued stays in the store."""
        self._stopping = True
        with self._state:
            self._state.notify_all()
        for thread in self._threads:
            thread.join(timeout=60)

    def notify(self) -> None:
        with self._state:
            self._state.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once every queue is empty (delayed retries included) and no delivery is in flight."""
        deadline = time.monotonic() + timeout
        with self._state:
            while self._busy or any(q.waiting() for q, _ in self.routes):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._state.wait(timeout=min(remaining, 0.05))
        return True


def api_event(
    method: str, path: str, headers: dict[str, str], query: dict[str, list[str]], body: bytes | None
) -> dict[str, Any]:
    """An API Gateway REST proxy event, as API Gateway would send it."""
    text: str | None = None
    encoded = False
    if body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text, encoded = base64.b64encode(body).decode(), True
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "stage": "local",
            "httpMethod": method,
            "path": path,
            "resourcePath": path,
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": text,
        "isBase64Encoded": encoded,
    }


def route_for(path: str) -> str:
    if path.startswith("/v1/posts"):
        return "ingest"
    if path.startswith("/v1/claims:check"):
        return "match"
    return "respond"


@contextmanager
def local_database(settings: Settings, persistent: bool) -> Iterator[Settings]:
    """DynamoDB Local for the block (skipped when an endpoint is configured), with every table created."""
    from functions.shared.dal.models import create_tables

    if settings.dynamodb_endpoint:
        create_tables(settings)
        yield settings
        return
    data_dir = settings.state_dir / "dynamodb-data" if persistent else None
    endpoint_file = settings.state_dir / "dynamodb-local.endpoint"
    with DynamoDBLocal(settings.dynamodb_local_dir, data_dir) as endpoint:
        configured = settings.model_copy(update={"dynamodb_endpoint": endpoint})
        create_tables(configured)
        if persistent:
            endpoint_file.write_text(endpoint)
        try:
            yield configured
        finally:
            if persistent and endpoint_file.is_file() and endpoint_file.read_text() == endpoint:
                endpoint_file.unlink()


def running_endpoint(settings: Settings) -> str | None:
    """The endpoint of a DynamoDB Local that ``antidote serve`` is running on this state folder, if any."""
    import socket
    from urllib.parse import urlsplit

    endpoint_file = settings.state_dir / "dynamodb-local.endpoint"
    if not endpoint_file.is_file():
        return None
    endpoint = endpoint_file.read_text().strip()
    parts = urlsplit(endpoint)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=1):
            return endpoint
    except OSError:
        return None


@contextmanager
def durable_queues(settings: Settings, persistent: bool) -> Iterator[None]:
    """The runtime's queues for the block: ``<state_dir>/queues.sqlite3`` when persistent, else memory."""
    open_queues(settings.state_dir / QUEUES_FILE if persistent else None)
    try:
        yield
    finally:
        close_queues()


def clear_abandoned_invocations() -> int:
    """At start, before any delivery: idempotency marks of invocations a crash or a database outage cut short."""
    from functions.shared import dependencies
    from functions.shared.dal.idempotency import clear_abandoned_in_progress

    dependencies.database()  # the tables configured for this runtime's database
    return clear_abandoned_in_progress()


def requeue_unmatched() -> int:
    """Queue every stored post that has no match and is not already queued or dead-lettered: what a crash between
    storing a post and queueing it (or a queue lost with an older runtime) left behind. Returns how many."""
    from functions.shared import dependencies
    from functions.shared.models import PostMessage
    from functions.shared.observability import logger

    queue = local_queue("posts")
    missing = sorted(set(dependencies.posts().post_keys_without_match()) - post_keys_queued(queue))
    if missing:
        queue.send([PostMessage(post_key=key) for key in missing])
        logger.warning("re-queued stored posts that had no match", extra={"posts": len(missing)})
    return len(missing)
