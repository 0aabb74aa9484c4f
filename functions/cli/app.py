"""``antidote``: the one command-line program (knowledge base, checks, evaluation)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from functions.shared.errors import AntidoteError, KnowledgeBaseInvalid
from functions.shared.settings import Settings, get_settings

app = typer.Typer(help="Antidote: match social posts to known health claims.", no_args_is_help=True)
kb_app = typer.Typer(help="Validate, build and calibrate the knowledge base index.", no_args_is_help=True)
keys_app = typer.Typer(
    help="API keys for partners (scope 'check') and webhooks (scope 'ingest').", no_args_is_help=True
)
app.add_typer(kb_app, name="kb")
app.add_typer(keys_app, name="keys")

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

FileOption = Annotated[Path, typer.Option(exists=False, dir_okay=False)]


def main() -> None:
    """Console-script entry point: expected failures are one line on stderr, never a traceback."""
    try:
        app()
    except KnowledgeBaseInvalid as exc:
        for problem in exc.problems:
            err.print(f"[red]error[/red] {problem}", highlight=False, soft_wrap=True)
        err.print(f"[red]error:[/red] knowledge base invalid ({len(exc.problems)} problem(s))", highlight=False)
        sys.exit(2)
    except AntidoteError as exc:
        err.print(f"[red]error:[/red] {exc.detail}", highlight=False, soft_wrap=True)
        sys.exit(2)


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal and total < 0) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.advance(task, done)


def _embedder(settings: Settings) -> Any:
    from functions.match.engine.embedder import SentenceTransformerEmbedder

    with err.status(f"loading embedding model {settings.embedding_model}"):
        return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size)


# ---------------------------------------------------------------- kb


@kb_app.command("validate")
def kb_validate(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
) -> None:
    """Check every claim (schema, ids, sources, near-duplicates, review dates); warnings do not fail."""
    from functions.shared.knowledge_base import validate_knowledge_base

    settings = get_settings()
    report = validate_knowledge_base(kb_dir or settings.knowledge_base_dir)
    for problem in report.warnings:
        err.print(f"[yellow]warning[/yellow] {problem}", highlight=False, soft_wrap=True)
    if report.errors:
        raise KnowledgeBaseInvalid([str(p) for p in report.errors])
    topics = len({c.topic for c in report.claims})
    myths = sum(c.is_myth for c in report.claims)
    out.print(
        f"knowledge base valid: {len(report.claims)} claims ({myths} myths, {len(report.claims) - myths} facts) "
        f"in {topics} topics; {len(report.warnings)} warning(s)"
    )


@kb_app.command("build")
def kb_build(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Artifact folder (default: the index dir).")] = None,
) -> None:
    """Validate the knowledge base and build the index artifact (FAISS + BM25 + manifest)."""
    from functions.match.engine.artifact import build_artifact
    from functions.match.engine.calibration import load_calibration
    from functions.shared.knowledge_base import load_knowledge_base

    settings = get_settings()
    kb = load_knowledge_base(kb_dir or settings.knowledge_base_dir)
    calibration = load_calibration(settings.resolved_calibration_file)
    embedder = _embedder(settings)
    target = out_dir or settings.resolved_index_dir
    total = sum(len(c.texts()) for c in kb.claims)
    with progress_bar("embedding claims", total) as advance:
        manifest = build_artifact(kb, embedder, calibration, target, advance)
    out.print(
        f"built {target}: {manifest.claims} claims, {manifest.texts} phrasings, {manifest.kb_version}, "
        f"model {manifest.model_id} ({manifest.dimensions} dims), artifact {manifest.artifact_hash}"
    )


@kb_app.command("calibrate")
def kb_calibrate(
    claims: Annotated[Path, typer.Option(help="Claims JSONL (CheckThat format) for fitting the ranking model.")],
    queries: Annotated[Path, typer.Option(help="Queries TSV for fitting the ranking model.")],
    qrels: Annotated[Path, typer.Option(help="Training qrels (only these queries are used).")],
    negatives: Annotated[
        list[Path], typer.Option(help="TSV file(s) id<TAB>text of real posts that repeat no KB claim (repeatable).")
    ],
    match_rate: Annotated[float, typer.Option(help="Share of those posts allowed to reach 'match'.")] = 0.005,
    review_rate: Annotated[float, typer.Option(help="Share of those posts allowed to reach 'review'.")] = 0.05,
    chatter_match_rate: Annotated[
        float, typer.Option(help="Share of the KB's curated on-topic chatter allowed to reach 'match'.")
    ] = 0.02,
    chatter_review_rate: Annotated[
        float, typer.Option(help="Share of the KB's curated on-topic chatter allowed to reach 'review'.")
    ] = 0.25,
    depth: Annotated[int, typer.Option(help="Candidates taken from each retriever.")] = 30,
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Where to write calibration JSON.")] = None,
) -> None:
    """Fit ranking weights, the confidence model and decision thresholds; write calibration.json."""
    from functions.match.engine.calibrate import NegativeSet, calibrate
    from functions.match.engine.calibration import save_calibration
    from functions.match.engine.evaluation import read_claims, read_queries
    from functions.shared.knowledge_base import load_knowledge_base, load_unrelated_posts

    settings = get_settings()
    folder = kb_dir or settings.knowledge_base_dir
    kb = load_knowledge_base(folder)
    negative_sets = [
        NegativeSet(
            "real posts: " + ", ".join(p.name for p in negatives),
            [t for path in negatives for t in read_queries(path).values()],
            match_rate,
            review_rate,
        ),
        NegativeSet(
            "knowledge_base/unrelated_posts", load_unrelated_posts(folder), chatter_match_rate, chatter_review_rate
        ),
    ]
    embedder = _embedder(settings)
    total = sum(len(texts) for _, texts in read_claims(claims))
    with progress_bar("embedding training claims", total) as advance:
        calibration, _ = calibrate(kb, embedder, (claims, queries, qrels), negative_sets, depth, advance)
    target = output or settings.resolved_calibration_file
    save_calibration(calibration, target)
    out.print_json(calibration.model_dump_json())
    out.print(f"wrote {target}")


# ---------------------------------------------------------------- check


@app.command("check")
def check(
    text: Annotated[str, typer.Argument(help="The post text to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    top_k: Annotated[int, typer.Option(min=1, max=20, help="How many claims to list.")] = 3,
) -> None:
    """Does this text repeat a known claim? Prints the decision, the claims, scores, correction and sources."""
    from functions.match.engine.matcher import Matcher
    from functions.shared.errors import InvalidInput

    if not text.strip():
        raise InvalidInput('text is empty: pass the post text to check, e.g. antidote check "vaccines cause autism"')
    settings = get_settings()
    from functions.match.engine.artifact import read_manifest

    read_manifest(settings.resolved_index_dir)  # fail fast, before loading the model, if there is no index
    matcher = Matcher.from_artifact(settings.resolved_index_dir, _embedder(settings))
    result = matcher.check(text, top_k)
    if as_json:
        payload = {"kb_version": matcher.kb_version, **result.to_dict()}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    colour = {"match": "red", "review": "yellow", "none": "green"}[result.decision.value]
    out.print(f"decision: [bold {colour}]{result.decision.value}[/] — {result.reason}", highlight=False)
    table = Table("claim", "verdict", "score", "closest phrasing", show_lines=False)
    for m in result.matches:
        table.add_row(m.claim.id, m.claim.verdict.value, f"{m.score:.3f}", m.closest.text)
    out.print(table)
    if result.matches and result.decision.value != "none":
        best = result.matches[0].claim
        out.print(f"[bold]correction:[/bold] {best.correction}", highlight=False)
        for source in best.sources:
            out.print(f"  source: {source.publisher} — {source.url}", highlight=False)


# ---------------------------------------------------------------- evaluation


@app.command("eval")
def evaluate(
    claims: Annotated[Path, typer.Option(help="Claims JSONL: vclaim_id, vclaim (title, subtitle optional).")],
    queries: Annotated[Path, typer.Option(help="Queries TSV: id<TAB>text.")],
    qrels: Annotated[Path, typer.Option(help="Relevance judgements, TREC format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    per_query: Annotated[
        Path | None, typer.Option(help="Write one JSON line per query here (default: <state>/eval/…).")
    ] = None,
) -> None:
    """Build a throwaway index over the claims and report MAP@1/3/5, P@1, Recall@5/@20 (trec_eval semantics)."""
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.evaluation import evaluate as run_evaluation
    from functions.match.engine.evaluation import read_claims

    settings = get_settings()
    calibration = load_calibration(settings.resolved_calibration_file)
    embedder = _embedder(settings)
    total = sum(len(texts) for _, texts in read_claims(claims))
    with progress_bar("embedding claims", total) as advance:
        run = run_evaluation(claims, queries, qrels, embedder, calibration, advance)
    target = per_query or settings.state_dir / "eval" / f"{qrels.stem}.per-query.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in run.per_query), "utf-8")
    fused = run.metrics["fused"]
    if as_json:
        payload: dict[str, Any] = {**fused, "baselines": {k: v for k, v in run.metrics.items() if k != "fused"}}
        payload["per_query_file"] = str(target)
        sys.stdout.write(json.dumps(payload) + "\n")
        return
    table = Table("method", "MAP@1", "MAP@3", "MAP@5", "P@1", "R@5", "R@20", "queries")
    for name, m in run.metrics.items():
        table.add_row(
            name + (" (production)" if name == "fused" else ""),
            *(f"{m[key]:.4f}" for key in ("map@1", "map@3", "map@5", "p@1", "recall@5", "recall@20")),
            str(m["queries"]),
        )
    out.print(table)
    out.print(f"per-query results: {target}")


@app.command("eval-negatives")
def eval_negatives(
    posts: Annotated[list[Path], typer.Option(help="TSV file(s) id<TAB>text of posts that match no KB claim.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """How often unrelated posts get 'match' (false positives) or 'review' against the built KB index."""
    from functions.match.engine.evaluation import read_queries
    from functions.match.engine.matcher import Matcher

    settings = get_settings()
    matcher = Matcher.from_artifact(settings.resolved_index_dir, _embedder(settings))
    texts = [t for path in posts for t in read_queries(path).values() if t.strip()]
    counts = {"match": 0, "review": 0, "none": 0}
    matched: list[dict[str, Any]] = []
    with progress_bar("checking posts", len(texts)) as advance:
        for start in range(0, len(texts), 64):
            batch = texts[start : start + 64]
            for text, result in zip(batch, matcher.check_many(batch, 1), strict=True):
                counts[result.decision.value] += 1
                if result.decision.value == "match":
                    matched.append(
                        {
                            "text": text,
                            "claim_id": result.matches[0].claim.id,
                            "score": round(result.matches[0].score, 4),
                        }
                    )
            advance(len(batch))
    report = {
        "posts": len(texts),
        "match_rate": counts["match"] / max(len(texts), 1),
        "review_rate": counts["review"] / max(len(texts), 1),
        "counts": counts,
        "kb_version": matcher.kb_version,
        "matched": matched,
    }
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    out.print(
        f"{len(texts)} unrelated posts: match {report['match_rate']:.2%} ({counts['match']}), "
        f"review {report['review_rate']:.2%} ({counts['review']}), none {counts['none']}"
    )
    for row in matched:
        out.print(f"  match {row['claim_id']} ({row['score']}): {row['text'][:120]}", highlight=False)


# ---------------------------------------------------------------- local service


def _ensure_index(settings: Settings) -> None:
    """Build the index when it is missing or older than the knowledge base."""
    from functions.match.engine.artifact import read_manifest
    from functions.shared.errors import ArtifactMissing
    from functions.shared.knowledge_base import load_knowledge_base

    kb = load_knowledge_base(settings.knowledge_base_dir)
    try:
        if read_manifest(settings.resolved_index_dir).kb_version == kb.version:
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

    if aws:
        yield settings.model_copy(update={"dynamodb_endpoint": None})
        return
    endpoint = running_endpoint(settings)
    if endpoint:
        with local_database(settings.model_copy(update={"dynamodb_endpoint": endpoint}), persistent=True) as db:
            yield db
        return
    with err.status("starting DynamoDB Local"), local_database(settings, persistent=True) as db:
        yield db


@contextmanager
def _service(port: int, persistent: bool) -> Iterator[Any]:
    from functions.local.runtime import local_database, prepare_environment
    from functions.local.server import LocalService
    from functions.shared import dependencies

    settings = get_settings()
    _ensure_index(settings)
    with err.status("starting DynamoDB Local and the functions"), local_database(settings, persistent) as db:
        prepare_environment(db)
        dependencies.reset()
        service = LocalService(port=port)
        service.start()
        try:
            yield service
        finally:
            service.stop()


def _wait_for_interrupt(service: Any) -> None:
    import time

    out.print(f"serving on {service.url} — review API {service.url}/v1/reviews, OpenAPI {service.url}/swagger")
    out.print("educator token: antidote token --user NAME --role educator; partner key: antidote keys create …")
    out.print("Ctrl-C stops the service")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        out.print("stopping")


@app.command("serve")
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on localhost (0 picks a free one).")] = 8000,
) -> None:
    """Run both APIs locally on DynamoDB Local (data kept under the state folder) with in-process queues."""
    with _service(port, persistent=True) as service:
        _wait_for_interrupt(service)


@app.command("demo")
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
        table = Table("kind", "posts", "accepted", "duplicate", "rejected", "match", "review", "none", "review items")
        for kind, row in summary.rows.items():
            table.add_row(kind, *(str(row[c]) for c in summary.columns))
        out.print(table)
        out.print(
            f"{summary.review_items} review items waiting; most frequent claims: "
            + ", ".join(f"{c} ({n})" for c, n in summary.top_claims)
        )
        if not exit_after:
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
    from functions.shared.dal.store import Store
    from functions.shared.errors import InvalidInput

    if scope not in ("check", "ingest"):
        raise InvalidInput("--scope must be 'check' or 'ingest'")
    settings = get_settings()
    plaintext, key = new_api_key(owner, scope, daily_quota or settings.default_daily_quota, datetime.now(UTC))  # type: ignore[arg-type]
    with _database(settings, aws) as db:
        Store(db).put_api_key(key)
    out.print(f"created key {key.key_id} for {key.owner} (scope {key.scope}, {key.daily_quota}/day)")
    out.print("the key (shown once, store it safely):")
    sys.stdout.write(plaintext + "\n")


@keys_app.command("list")
def keys_list(aws: AwsOption = False) -> None:
    """All keys with owner, scope, quota and status (never the keys themselves)."""
    from functions.shared.dal.store import Store

    with _database(get_settings(), aws) as db:
        keys = Store(db).list_api_keys()
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

    from functions.shared.dal.store import Store

    with _database(get_settings(), aws) as db:
        key = Store(db).revoke_api_key(key_id, datetime.now(UTC))
    out.print(f"revoked {key.key_id} ({key.owner})")


@app.command("openapi")
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


@app.command("token")
def token(
    user: Annotated[str, typer.Option(help="The educator's name.")],
    role: Annotated[str, typer.Option(help="educator or admin")] = "educator",
) -> None:
    """Issue a local educator token (signed with this machine's dev secret) for the review API and console."""
    from functions.shared.auth import issue_dev_token

    sys.stdout.write(issue_dev_token(get_settings(), user, role) + "\n")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
