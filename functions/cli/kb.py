"""``antidote kb …``: validate, build and calibrate the knowledge-base index."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from functions.cli.common import EngineOption, embedder_for, err, out, progress_bar
from functions.shared.errors import InvalidInput, KnowledgeBaseInvalid
from functions.shared.settings import get_settings

if TYPE_CHECKING:
    from functions.match.engine.onnx_export import QuantiseChoice

kb_app = typer.Typer(help="Validate, build and calibrate the knowledge base index.", no_args_is_help=True)


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
    quantise: Annotated[
        str, typer.Option(help="auto: int8 where it stays within the quality check, else fp32; or int8, fp32.")
    ] = "auto",
) -> None:
    """Validate the knowledge base, export the embedding model to ONNX and build the index artifact
    (ONNX model + tokenizer, FAISS + BM25, manifest). Needs the build dependency group (torch)."""
    from functions.match.engine.artifact import build_artifact
    from functions.match.engine.calibration import load_calibration
    from functions.shared.knowledge_base import load_knowledge_base

    settings = get_settings()
    kb = load_knowledge_base(kb_dir or settings.knowledge_base_dir)
    calibration = load_calibration(settings.resolved_calibration_file)
    if quantise not in ("auto", "int8", "fp32"):
        raise InvalidInput("--quantise must be auto, int8 or fp32")
    target = out_dir or settings.resolved_index_dir
    total = sum(len(c.texts()) for c in kb.claims)
    with (
        err.status(f"exporting {settings.embedding_model} to ONNX"),
        progress_bar("embedding claims", total) as advance,
    ):
        manifest = build_artifact(
            kb,
            settings.embedding_model,
            calibration,
            target,
            advance,
            cast("QuantiseChoice", quantise),
        )
    quantisation = manifest.embedding.quantisation
    out.print(
        f"built {target}: {manifest.claims} claims, {manifest.texts} phrasings, {manifest.kb_version}, "
        f"model {manifest.model_id} ({manifest.dimensions} dims) as ONNX {quantisation.mode}, "
        f"artifact {manifest.artifact_hash}"
    )
    out.print(f"quantisation: {quantisation.reason}", highlight=False)


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
    engine: EngineOption = "onnx",
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
    embedder = embedder_for(settings, engine)
    total = sum(len(texts) for _, texts in read_claims(claims))
    with progress_bar("embedding training claims", total) as advance:
        calibration, _ = calibrate(kb, embedder, (claims, queries, qrels), negative_sets, depth, advance)
    target = output or settings.resolved_calibration_file
    save_calibration(calibration, target)
    out.print_json(calibration.model_dump_json())
    out.print(f"wrote {target}")
