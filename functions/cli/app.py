"""``antidote``: the one command-line program. Each group of commands lives in its own module."""

from __future__ import annotations

import sys

import typer

from functions.cli import matching, service, sources, voids
from functions.cli.common import err
from functions.cli.kb import kb_app
from functions.cli.pii import pii_app
from functions.shared.errors import AntidoteError, KnowledgeBaseInvalid

app = typer.Typer(help="Antidote: match social posts to known health claims.", no_args_is_help=True)
kb_app.command("draft")(voids.kb_draft)
app.add_typer(kb_app, name="kb")
app.add_typer(service.keys_app, name="keys")
app.add_typer(sources.sources_app, name="sources")
app.command("scan")(sources.scan)
app.add_typer(pii_app, name="pii")
app.add_typer(service.dlq_app, name="dlq")
app.add_typer(voids.voids_app, name="voids")
app.command("check")(matching.check)
app.command("eval")(matching.evaluate)
app.command("eval-negatives")(matching.eval_negatives)
app.command("serve")(service.serve)
app.command("demo")(service.demo)
app.command("token")(service.token)
app.command("openapi")(service.openapi)


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


if __name__ == "__main__":
    main()
