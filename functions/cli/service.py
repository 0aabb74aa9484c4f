"""``antidote serve``, ``demo``, ``keys``, ``token`` and ``openapi``: the local service and its credentials."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from functions.cli.common import err, out
from functions.cli.kb import kb_build
from functions.shared.settings import Settings, get_settings

keys_app = typer.Typer(
    help="API keys for partners (scope 'check') and webhooks (scope 'ingest').", no_args_is_help=True
)


def _ensure_index(settings: Settings) -> None:
    """Build the index when it is missing, unreadable, of an older artifact format, or older than the knowledge
    base, the calibration, the stance model or the configured embedding model."""
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import ARTIFACT_FORMAT, read_manifest
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.multilingual import load_multilingual_calibration
    from functions.match.engine.stance import load_stance_model
    from functions.shared.errors import ArtifactMissing

    kb = load_knowledge_base(settings.knowledge_base_dir)
    try:
        built = read_manifest(settings.resolved_index_dir)
        multilingual = load_multilingual_calibration(settings.resolved_calibration_file)
        current = (
            built.format == ARTIFACT_FORMAT
            and built.kb_version == kb.version
            and built.calibration == load_calibration(settings.resolved_calibration_file)
            and (built.multilingual.calibration if built.multilingual else None) == multilingual
            and built.stance_version == load_stance_model(settings.resolved_stance_model_file).version
            and built.embedding.source_package == settings.embedding_model
        )
        if current:
            return
    except ArtifactMissing:
        pass
    kb_build(None, None)


AwsOption = Annotated[
    bool, typer.Option("--aws", help="Use the deployed tables (ANTIDOTE_* table names, region, AWS credentials).")
]


@contextmanager
def _database(settings: Settings, aws: bool = False) -> Iterator[Settings]:
    """The deployed tables with --aws; else the local database: the one 'antidote serve' is running, or this
    state folder's data started for the call."""
    from functions.local.runtime import local_database, running_endpoint
    from functions.local.signals import stop_on_signals

    if aws:
        yield settings.model_copy(update={"dynamodb_endpoint": None})
        return
    endpoint = running_endpoint(settings)
    if endpoint:
        with local_database(settings.model_copy(update={"dynamodb_endpoint": endpoint}), persistent=True) as db:
            yield db
        return
    with stop_on_signals(), err.status("starting DynamoDB Local"), local_database(settings, persistent=True) as db:
        yield db


@contextmanager
def _service(port: int, persistent: bool) -> Iterator[Any]:
    """The service for the block, on DynamoDB Local and the durable queues; SIGTERM or SIGINT (foreground or
    background) unwinds it: stop serving, let deliveries under way finish, close the queues, stop the database."""
    from functions.local.runtime import durable_queues, local_database, prepare_environment
    from functions.local.server import LocalService
    from functions.local.signals import stop_on_signals
    from functions.shared import dependencies

    settings = get_settings()
    with stop_on_signals():
        _ensure_index(settings)
        with (
            err.status("starting DynamoDB Local and the functions"),
            local_database(settings, persistent) as db,
            durable_queues(db, persistent),
        ):
            prepare_environment(db)
            dependencies.reset()
            service = LocalService(port=port)
            if persistent:
                _recover(settings)
            service.start()
            try:
                yield service
            finally:
                service.stop()


def _recover(settings: Settings) -> None:
    """Before serving: queue the stored posts that never got a match, and say what waits in the dead letters."""
    from functions.local.queues import queue_store
    from functions.local.runtime import clear_abandoned_invocations, requeue_unmatched

    cleared = clear_abandoned_invocations()
    if cleared:
        err.print(f"cleared {cleared} idempotency mark(s) of invocations cut short, so their messages can run again")
    requeued = requeue_unmatched()
    if requeued:
        err.print(f"re-queued {requeued} stored post(s) that had no match")
    parked = len(queue_store().dead_letters())
    if parked:
        err.print(f"{parked} message(s) in the dead-letter lists: antidote dlq list, then antidote dlq redrive")


def _wait_for_interrupt(service: Any) -> None:
    import time

    try:  # a signal may arrive as soon as the first line is out: it still stops the service by this path
        out.print(f"serving on {service.url} — review console {service.url}/ , OpenAPI {service.url}/swagger")
        out.print("sign in to the console: antidote token --user NAME --link  (opens signed in)")
        out.print("partner or webhook key: antidote keys create --owner NAME --scope check|ingest")
        out.print("Ctrl-C stops the service")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt as stopping:  # Ctrl-C, or SIGTERM/SIGINT however started (functions/local/signals.py)
        out.print(f"stopping ({stopping or 'SIGINT'})")


def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on localhost (0 picks a free one).")] = 8000,
) -> None:
    """Run both APIs locally on DynamoDB Local (data kept under the state folder) with in-process queues, and scan
    the configured sources (sources.toml) on their schedules; cluster the information voids at start and then every
    ANTIDOTE_VOIDS_EVERY_MINUTES; tell partners about new claims that match their earlier checks; run the alerts
    detector every hour."""
    from functions.local.scheduler import partner_notifications, scheduled_detector, scheduled_scans, scheduled_voids

    with (
        _service(port, persistent=True) as service,
        scheduled_scans(service),
        scheduled_voids(service),
        partner_notifications(service),
        scheduled_detector(service),
    ):
        _wait_for_interrupt(service)


def demo(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on localhost (0 picks a free one).")] = 8000,
    posts_file: Annotated[
        Path | None, typer.Option("--posts", help="JSONL of posts (default: bundled sample).")
    ] = None,
    exit_after: Annotated[bool, typer.Option("--exit", help="Stop after the summary instead of serving.")] = False,
) -> None:
    """Run the service and feed it a demo scan of the bundled sample posts; then keep serving the review queue."""
    from functions.local.demo import load_demo_posts, run_demo_scan

    posts = load_demo_posts(posts_file)
    with _service(port, persistent=not exit_after) as service:
        with err.status(f"feeding {len(posts)} posts through ingest → match → respond"):
            summary = run_demo_scan(service, posts)
        table = Table("kind", *summary.columns, title="Demo scan: decisions and the reply policy's actions")
        for kind, row in summary.rows.items():
            table.add_row(kind, *(str(row[c]) for c in summary.columns))
        out.print(table)
        out.print(
            f"{summary.queued} items in the educators' queue, {summary.filed} filed (monitor, counter-speech, "
            "neutral: GET /v1/reviews?status=filed, or 'Filed' in the console); most frequent claims: "
            + ", ".join(f"{c} ({n})" for c, n in summary.top_claims)
        )
        if not exit_after:
            from functions.local.scheduler import scheduled_voids

            with scheduled_voids(service):  # the voids view has something to show from the start
                _wait_for_interrupt(service)


@keys_app.command("create")
def keys_create(
    owner: Annotated[str, typer.Option(help="Who the key is for (organisation or system).")],
    scope: Annotated[str, typer.Option(help="'check' (claim-check API) or 'ingest' (webhook).")],
    daily_quota: Annotated[int | None, typer.Option(min=1, help="Requests per UTC day.")] = None,
    aws: AwsOption = False,
) -> None:
    """Create a key; the key itself is printed once and only its hash is stored."""
    from datetime import UTC, datetime

    from functions.shared.auth import new_api_key
    from functions.shared.dal.database import Database
    from functions.shared.dal.keys import KeyStore
    from functions.shared.errors import InvalidInput

    if scope not in ("check", "ingest"):
        raise InvalidInput("--scope must be 'check' or 'ingest'")
    settings = get_settings()
    plaintext, key = new_api_key(owner, scope, daily_quota or settings.default_daily_quota, datetime.now(UTC))  # type: ignore[arg-type]
    with _database(settings, aws) as db:
        KeyStore(Database(db)).put_api_key(key)
    out.print(f"created key {key.key_id} for {key.owner} (scope {key.scope}, {key.daily_quota}/day)")
    out.print("the key (shown once, store it safely):")
    sys.stdout.write(plaintext + "\n")


@keys_app.command("list")
def keys_list(aws: AwsOption = False) -> None:
    """All keys with owner, scope, quota and status (never the keys themselves)."""
    from functions.shared.dal.database import Database
    from functions.shared.dal.keys import KeyStore

    with _database(get_settings(), aws) as db:
        keys = KeyStore(Database(db)).list_api_keys()
    table = Table("key id", "owner", "scope", "daily quota", "status", "created")
    for key in keys:
        table.add_row(key.key_id, key.owner, key.scope, str(key.daily_quota), key.status, key.created_at.isoformat())
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id from 'antidote keys list'.")], aws: AwsOption = False
) -> None:
    """Revoke a key at once: its next request gets 401."""
    from datetime import UTC, datetime

    from functions.shared.dal.database import Database
    from functions.shared.dal.keys import KeyStore

    with _database(get_settings(), aws) as db:
        key = KeyStore(Database(db)).revoke_api_key(key_id, datetime.now(UTC))
    out.print(f"revoked {key.key_id} ({key.owner})")


@keys_app.command("webhook")
def keys_webhook(
    key_id: Annotated[str, typer.Argument(help="The partner's key id (scope 'check').")],
    url: Annotated[str | None, typer.Argument(help="Where notifications go; leave out with --remove.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Opt the key out of notifications.")] = False,
    aws: AwsOption = False,
) -> None:
    """Opt a partner key in to notifications: its unmatched checks are kept (redacted, 30 days) and a signed
    webhook goes to URL when the knowledge base gains a claim that matches one. Prints the signing secret once."""
    from datetime import UTC, datetime

    from functions.shared.dal.database import Database
    from functions.shared.dal.keys import KeyStore
    from functions.shared.errors import InvalidInput
    from functions.shared.partner_webhooks import register_webhook, remove_webhook

    if remove == (url is not None):
        raise InvalidInput("give a URL, or --remove (not both)")
    settings = get_settings()
    if aws and settings.is_local:
        raise InvalidInput("--aws signs with the deployed master secret: set ANTIDOTE_STAGE and its settings")
    with _database(settings, aws) as db:
        store = KeyStore(Database(db))
        if url is None:
            remove_webhook(store, key_id, datetime.now(UTC))
            out.print(f"removed the webhook of {key_id}: nothing more is kept or sent")
            return
        registered = register_webhook(store, key_id, url, settings, datetime.now(UTC))
    out.print(f"{key_id} notifies {registered.url}; verify each delivery's {registered.signature_header} with")
    out.print("the signing secret (shown once, store it safely; registering again issues a new one):")
    sys.stdout.write(registered.secret + "\n")


def openapi(
    output: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")] = None,
) -> None:
    """The service's OpenAPI document (all three functions' routes); the repo keeps it in openapi.json."""
    from functions.local.openapi import render

    text = render()
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


def token(
    user: Annotated[str, typer.Option(help="The educator's name.")],
    role: Annotated[str, typer.Option(help="educator or admin")] = "educator",
    link: Annotated[bool, typer.Option("--link", help="Print a console link that signs in with the token.")] = False,
    port: Annotated[int, typer.Option(help="The console's port, for --link.")] = 8000,
) -> None:
    """Issue a local educator token (signed with this machine's dev secret) for the review API and console."""
    from functions.shared.auth import issue_dev_token

    issued = issue_dev_token(get_settings(), user, role)  # type: ignore[arg-type]
    sys.stdout.write((f"http://127.0.0.1:{port}/#token={issued}" if link else issued) + "\n")


dlq_app = typer.Typer(
    help="The local runtime's dead letters: queue messages that failed every retry (kept under the state folder).",
    no_args_is_help=True,
)
QueueOption = Annotated[str | None, typer.Option("--queue", help="'posts' or 'matches' (default: both).")]


@contextmanager
def _queue_store(queue: str | None) -> Iterator[Any]:
    from functions.local.queues import QUEUE_NAMES, QueueStore
    from functions.local.runtime import QUEUES_FILE
    from functions.shared.errors import InvalidInput

    if queue is not None and queue not in QUEUE_NAMES:
        raise InvalidInput(f"--queue must be one of {', '.join(QUEUE_NAMES)}")
    path = get_settings().state_dir / QUEUES_FILE
    store = QueueStore(path) if path.is_file() else QueueStore(None)
    try:
        yield store
    finally:
        store.close()


@dlq_app.command("list")
def dlq_list(
    queue: QueueOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per dead letter.")] = False,
) -> None:
    """Messages parked after their last retry, oldest first, with the error of their last delivery."""
    import json
    from dataclasses import asdict
    from datetime import UTC, datetime

    with _queue_store(queue) as store:
        letters = store.dead_letters(queue)
    if as_json:
        sys.stdout.write("".join(json.dumps(asdict(letter)) + "\n" for letter in letters))
        return
    table = Table("queue", "message id", "receives", "parked at (UTC)", "body", "last error")
    for letter in letters:
        parked = datetime.fromtimestamp(letter.failed_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(
            letter.queue,
            letter.message_id,
            str(letter.receive_count),
            parked,
            letter.body[:60],
            (letter.error or "")[:80],
        )
    out.print(table)
    out.print(f"{len(letters)} dead letter(s)" + (" — antidote dlq redrive sends them again" if letters else ""))


@dlq_app.command("redrive")
def dlq_redrive(
    queue: QueueOption = None,
    message_ids: Annotated[
        list[str] | None, typer.Option("--id", help="Only these message ids (repeatable; default: all).")
    ] = None,
) -> None:
    """Send dead letters back to their queues as new messages: a running 'antidote serve' delivers them at once,
    otherwise the next start does. Every hop is idempotent, so a message that had half succeeded changes nothing."""
    with _queue_store(queue) as store:
        if store.path is None:
            out.print("0 message(s) sent back (no local queues under the state folder yet)")
            return
        moved = store.redrive(queue, message_ids or ())
    out.print(f"{moved} message(s) sent back to their queues")
