"""``antidote sources list|test NAME`` and ``antidote scan NAME``: the scan sources, by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.table import Table

from functions.cli.common import err, out
from functions.shared.settings import get_settings

sources_app = typer.Typer(help="Scan sources: list them with their health, or test one.", no_args_is_help=True)
NameArgument = Annotated[str, typer.Argument(help="The source's name (antidote sources list).")]


def _register_local_sources() -> None:
    """The sources the local runtime registers (the demo feed), so that they can be listed, tested and scanned."""
    from functions.ingest import sources
    from functions.local.demo import demo_feed

    sources.register("demo", demo_feed)


@sources_app.command("list")
def sources_list(
    health: Annotated[bool, typer.Option(help="Also read each source's health from the local database.")] = True,
) -> None:
    """The configured sources (sources.toml, or ANTIDOTE_SOURCES) and how their last scans went."""
    from functions.ingest.sources import configured_sources

    _register_local_sources()
    settings = get_settings()
    sources = configured_sources(settings)
    states = _states(list(sources)) if health else {}
    table = Table("name", "connector", "every", "scheduled", "query", "last success", "failures", "last run")
    for name, source in sources.items():
        query = {k: list(v) for k, v in source.query.model_dump().items() if v}
        state = states.get(name)
        table.add_row(
            name,
            source.connector,
            f"{source.every_minutes} min",
            "yes" if source.enabled else "by hand",
            json.dumps(query, ensure_ascii=False) if query else "",
            state.last_success_at.isoformat(timespec="seconds") if state and state.last_success_at else "never",
            str(state.consecutive_failures) if state else "0",
            (f"{state.last_run.fetched} fetched, {state.last_run.accepted} accepted" if state else ""),
        )
    out.print(table)
    failing = [s for s in states.values() if s.last_error and s.consecutive_failures]
    for state in failing:
        out.print(f"[red]{state.name}[/red]: {state.last_error}", highlight=False)


def _states(names: list[str]) -> dict[str, Any]:
    from functions.cli.service import _database
    from functions.shared.dal.database import Database
    from functions.shared.dal.sources import SourceStateStore

    with _database(get_settings()) as db:
        return SourceStateStore(Database(db)).get_states(names)


@sources_app.command("test")
def sources_test(name: NameArgument) -> None:
    """Fetch from a source once, as a first scan would, and show what it maps; nothing is stored, no cursor moves."""
    from functions.ingest.connectors.base import Budget, FetchContext
    from functions.ingest.credentials import credentials_for
    from functions.ingest.logic import parse_scan_posts
    from functions.ingest.sources import find_source

    _register_local_sources()
    settings = get_settings()
    source, connector = find_source(settings, name)
    budget = Budget(max_requests=source.max_requests, seconds=settings.scan_budget_seconds)
    with err.status(f"fetching from {name} ({source.connector})"):
        fetched = connector.fetch(FetchContext(source, {}, credentials_for(source, settings), budget))
    posts, unreadable = parse_scan_posts(fetched.posts)
    out.print(f"{name}: {len(posts)} posts, {len(fetched.rejected) + len(unreadable)} rejected, {budget.used} requests")
    if fetched.stopped_early:
        out.print(f"stopped early: {fetched.stopped_early}", highlight=False)
    table = Table("platform", "post id", "author", "created", "language", "reach", "text")
    for post in posts[:20]:
        reach = post.reach
        table.add_row(
            post.platform.value,
            post.post_id,
            post.author_handle or "",
            post.created_at.isoformat(timespec="minutes"),
            post.language or "",
            f"{reach.followers} followers, {reach.likes} likes, {reach.shares} shares",
            post.text[:120],
        )
    out.print(table)
    for item in [*fetched.rejected, *unreadable]:
        out.print(f"rejected {item.post_id}: {item.reason}", highlight=False)


@contextmanager
def _pipeline() -> Iterator[Any]:
    """The three functions on the local database (the one 'antidote serve' runs, if it does)."""
    from functions.cli.service import _ensure_index
    from functions.local.runtime import local_database, prepare_environment, running_endpoint
    from functions.local.server import LocalService
    from functions.shared import dependencies

    settings = get_settings()
    _ensure_index(settings)
    endpoint = running_endpoint(settings)
    if endpoint:
        settings = settings.model_copy(update={"dynamodb_endpoint": endpoint})
    with err.status("starting the functions"), local_database(settings, persistent=True) as db:
        prepare_environment(db)
        dependencies.reset()
        service = LocalService(port=0)  # on a free port, only so that the functions run as they do when serving
        service.start()
        try:
            yield service
        finally:
            service.stop()


def scan(name: NameArgument) -> None:
    """Scan one source now: fetch what is new since its cursor, ingest, match, draft; print what happened."""
    from functions.local.scheduler import scan_event

    _register_local_sources()
    with _pipeline() as service, err.status(f"scanning {name}"):
        result = service.functions.invoke("ingest", scan_event(name))
        service.wait_idle()
    if "error" in result:
        err.print(f"[red]scan of {name} failed:[/red] {result['error']}", highlight=False)
        raise typer.Exit(1)
    out.print(
        f"{name}: fetched {result['fetched']}, accepted {result['accepted']}, duplicates {result['duplicates']}, "
        f"rejected {result['rejected']}, skipped (language/region) {result['skipped']}, {result['requests']} requests"
    )
    if result.get("stopped_early"):
        out.print(f"stopped early: {result['stopped_early']}", highlight=False)
    for item in result["items"]:
        if item["status"] == "rejected":
            out.print(f"rejected {item['platform']} {item['post_id']}: {item['reason']}", highlight=False)
