"""What every command shares: the two consoles, progress bars, loading the embedding model."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

import typer
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


Engine = Literal["onnx", "torch"]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="onnx: the built index's exported model, as the match function runs it (needs 'antidote kb build'); "
        "torch: the configured sentence-transformers model.",
    ),
]


def embedder_for(settings: Settings, engine: str = "torch") -> Any:
    """The torch engine (build group: imported only here, lazily) or the built artifact's ONNX model."""
    if engine == "onnx":
        from functions.match.engine.artifact import read_manifest
        from functions.match.engine.onnx_embedder import MODEL_DIR, OnnxEmbedder
        from functions.shared.errors import ArtifactMissing

        folder = settings.resolved_index_dir
        built = read_manifest(folder).embedding.source_package  # a clear message when there is no index yet
        if built != settings.embedding_model:
            raise ArtifactMissing(
                f"the index at {folder} holds {built}, not the configured {settings.embedding_model}; "
                "run 'antidote kb build' first"
            )
        return OnnxEmbedder(folder / MODEL_DIR)
    if engine != "torch":
        from functions.shared.errors import InvalidInput

        raise InvalidInput(f"--engine must be 'onnx' or 'torch', not {engine!r}")
    from functions.match.engine.embedder import SentenceTransformerEmbedder

    with err.status(f"loading embedding model {settings.embedding_model}"):
        return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size)


CacheOption = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Keep the vectors of the texts embedded (under <state>/cache/embeddings, per model) and reuse them on "
        "the next run.",
    ),
]


@contextmanager
def cached_embedder(settings: Settings, engine: str, use_cache: bool) -> Iterator[Any]:
    """``embedder_for``, behind the on-disk vector cache when ``use_cache``; the cache is saved on the way out,
    also after a failure, so the texts already embedded are not embedded again."""
    embedder = embedder_for(settings, engine)
    if not use_cache:
        yield embedder
        return
    from functions.match.engine.embedding_cache import CachedEmbedder

    if engine == "onnx":
        from functions.match.engine.artifact import read_manifest

        model_key = "onnx " + read_manifest(settings.resolved_index_dir).files["model/model.onnx"]
    else:
        model_key = f"torch {settings.embedding_model} {embedder.model_id}"
    cached = CachedEmbedder(embedder, settings.state_dir / "cache" / "embeddings", model_key)
    try:
        yield cached
    finally:
        cached.save()
