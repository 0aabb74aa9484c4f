"""``antidote pii eval``: how well ingest's redaction removes labelled personal data and keeps look-alikes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from functions.cli.common import out
from functions.shared.errors import InvalidInput
from functions.shared.settings import PROJECT_ROOT

pii_app = typer.Typer(help="Measure the redaction of personal data.", no_args_is_help=True)
DEFAULT_DATA = PROJECT_ROOT / "tests" / "data" / "pii" / "posts.jsonl"


@pii_app.command("eval")
def pii_eval(
    data: Annotated[Path, typer.Option("--data", help="Labelled posts (JSON lines).")] = DEFAULT_DATA,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Patterns and cued names only, without spaCy's model.")
    ] = False,
    failures: Annotated[
        bool, typer.Option("--failures", help="Also list what the development part missed or removed wrongly.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of text.")] = False,
) -> None:
    """Per-kind recall and precision and the false-removal rate, on the development and the held-back part.

    Failures are listed for the development part only: the held-back part is for reporting, never for tuning.
    """
    from functions.ingest.redaction import redact
    from functions.ingest.redaction_eval import evaluate, format_report, load_posts, summary

    if not data.is_file():
        raise InvalidInput(f"no labelled posts at {data}")
    posts = load_posts(data)
    use_model = not no_model
    reports = {
        split: evaluate([p for p in posts if p.split == split], lambda t, a: redact(t, a, use_model=use_model))
        for split in ("development", "heldback")
    }
    if as_json:
        out.print_json(json.dumps({split: summary(report) for split, report in reports.items()}))
        return
    for split, report in reports.items():
        for line in format_report(split, report):
            out.print(line, highlight=False, markup=False)
    if failures:
        out.print("failures (development part):", highlight=False)
        for outcome in reports["development"].failures():
            out.print(f"  {outcome.post_id}  {outcome.kind:<14} {outcome.value!r}", highlight=False, markup=False)
