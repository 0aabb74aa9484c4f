"""``antidote check``, ``eval`` and ``eval-negatives``: asking the matcher, and measuring it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from functions.cli.common import CacheOption, EngineOption, cached_embedder, out, progress_bar
from functions.shared.settings import get_settings


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
    matcher = Matcher.from_artifact(settings.resolved_index_dir)
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


def evaluate(
    claims: Annotated[Path, typer.Option(help="Claims JSONL: vclaim_id, vclaim (title, subtitle optional).")],
    queries: Annotated[Path, typer.Option(help="Queries TSV: id<TAB>text.")],
    qrels: Annotated[Path, typer.Option(help="Relevance judgements, TREC format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    per_query: Annotated[
        Path | None, typer.Option(help="Write one JSON line per query here (default: <state>/eval/…).")
    ] = None,
    engine: EngineOption = "onnx",
    cache: CacheOption = True,
) -> None:
    """Build a throwaway index over the claims and report MAP@1/3/5, P@1, Recall@5/@20 (trec_eval semantics)."""
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.evaluation import evaluate as run_evaluation
    from functions.match.engine.evaluation import read_claims

    settings = get_settings()
    calibration = load_calibration(settings.resolved_calibration_file)
    total = sum(len(texts) for _, texts in read_claims(claims))
    with cached_embedder(settings, engine, cache) as embedder, progress_bar("embedding claims", total) as advance:
        run = run_evaluation(claims, queries, qrels, embedder, calibration, advance)
    target = per_query or settings.state_dir / "eval" / f"{qrels.stem}.per-query.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in run.per_query), "utf-8")
    fused = run.metrics["fused"]
    if as_json:
        payload: dict[str, Any] = {**fused, "baselines": {k: v for k, v in run.metrics.items() if k != "fused"}}
        payload["engine"] = engine
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


def eval_negatives(
    posts: Annotated[list[Path], typer.Option(help="TSV file(s) id<TAB>text of posts that match no KB claim.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """How often unrelated posts get 'match' (false positives) or 'review' against the built KB index."""
    from functions.match.engine.evaluation import read_queries
    from functions.match.engine.matcher import Matcher

    settings = get_settings()
    matcher = Matcher.from_artifact(settings.resolved_index_dir)
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
