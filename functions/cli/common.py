"""What every command shares: the two consoles, progress bars, loading the embedding model."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from functions.shared.settings import Settings

out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal and total < 0) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.advance(task, done)


def embedder_for(settings: Settings) -> Any:
    from functions.match.engine.embedder import SentenceTransformerEmbedder

    with err.status(f"loading embedding model {settings.embedding_model}"):
        return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size)
