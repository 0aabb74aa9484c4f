"""``antidote kb …``: validate, build and calibrate the knowledge-base index."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from functions.cli.common import CacheOption, EngineOption, cached_embedder, embedder_for, err, out, progress_bar
from functions.shared.errors import InvalidInput, KnowledgeBaseInvalid
from functions.shared.settings import Settings, get_settings

if TYPE_CHECKING:
    from functions.match.engine.onnx_export import QuantiseChoice

kb_app = typer.Typer(help="Validate, build and calibrate the knowledge base index.", no_args_is_help=True)


@kb_app.command("validate")
def kb_validate(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
) -> None:
    """Check every claim (schema, ids, sources, near-duplicates, review dates); warnings do not fail."""
    from rich.markup import escape

    from functions.curation.knowledge_base import validate_knowledge_base
    from functions.curation.translations import coverage

    settings = get_settings()
    report = validate_knowledge_base(kb_dir or settings.knowledge_base_dir)
    for problem in report.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(str(problem))}", highlight=False, soft_wrap=True)
    if report.errors:
        raise KnowledgeBaseInvalid([str(p) for p in report.errors])
    topics = len({c.topic for c in report.claims})
    myths = sum(c.is_myth for c in report.claims)
    out.print(
        f"knowledge base valid: {len(report.claims)} claims ({myths} myths, {len(report.claims) - myths} facts) "
        f"in {topics} topics; {len(report.warnings)} warning(s)"
    )
    for label, high_harm_myths_only in (("high-harm myths", True), ("all claims", False)):
        counts = coverage(report.claims, high_harm_myths_only)
        of = counts.pop("of")
        out.print(f"{label} translated ({of}): " + ", ".join(f"{lang} {n}" for lang, n in counts.items()))


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
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import build_artifact
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.multilingual import load_multilingual_calibration
    from functions.match.engine.stance import load_stance_model
    from functions.match.engine.stance_cross import committed_cross

    settings = get_settings()
    kb = load_knowledge_base(kb_dir or settings.knowledge_base_dir)
    calibration = load_calibration(settings.resolved_calibration_file)
    multilingual = load_multilingual_calibration(settings.resolved_calibration_file)
    stance = load_stance_model(settings.resolved_stance_model_file)
    if quantise not in ("auto", "int8", "fp32"):
        raise InvalidInput("--quantise must be auto, int8 or fp32")
    target = out_dir or settings.resolved_index_dir
    total = sum(len(c.texts()) for c in kb.claims)
    cross = committed_cross(settings.resolved_stance_model_file)
    with (
        err.status(f"exporting {settings.embedding_model} to ONNX"),
        progress_bar("embedding claims", total) as advance,
    ):
        manifest = build_artifact(
            kb,
            settings.embedding_model,
            calibration,
            stance,
            target,
            advance,
            cast("QuantiseChoice", quantise),
            multilingual,
            cross,
        )
    quantisation = manifest.embedding.quantisation
    out.print(
        f"built {target}: {manifest.claims} claims, {manifest.texts} phrasings, {manifest.kb_version}, "
        f"model {manifest.model_id} ({manifest.dimensions} dims) as ONNX {quantisation.mode}, "
        f"artifact {manifest.artifact_hash}"
    )
    out.print(f"quantisation: {quantisation.reason}", highlight=False)
    if manifest.stance_cross_version:
        out.print(f"stance cross-encoder: {manifest.stance_cross_version}")
    if manifest.multilingual:
        out.print(f"multilingual index: {manifest.multilingual.texts} phrasings, {manifest.multilingual.model_id}")
    else:
        out.print("no multilingual index (no calibration_multilingual.json): every post uses the English engine")


@kb_app.command("calibrate-multilingual")
def kb_calibrate_multilingual(
    depth: Annotated[int, typer.Option(help="Candidates taken from each retriever.")] = 30,
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Where to write the calibration JSON.")] = None,
) -> None:
    """Fit the multilingual index's ranking, confidence and thresholds on the stance set's non-English posts and
    the on-topic chatter (never the multilingual test set); write calibration_multilingual.json."""
    from functions.curation.knowledge_base import load_knowledge_base, load_unrelated_posts
    from functions.match.engine.calibrate_multilingual import fit_multilingual
    from functions.match.engine.calibration import save_calibration
    from functions.match.engine.multilingual import CALIBRATION_FILE
    from functions.match.engine.usem import UsemEmbedder

    settings = get_settings()
    folder = kb_dir or settings.knowledge_base_dir
    kb = load_knowledge_base(folder)
    with err.status("embedding the knowledge base and the labelled posts with USE-m"):
        calibration = fit_multilingual(kb, folder, load_unrelated_posts(folder), UsemEmbedder(), depth)
    target = output or settings.resolved_calibration_file.with_name(CALIBRATION_FILE)
    save_calibration(calibration, target)
    out.print_json(calibration.model_dump_json())
    out.print(f"wrote {target}")


RerankOption = Annotated[
    bool,
    typer.Option(
        "--rerank/--no-rerank",
        help="Also fit the re-ranker over the ranking's top candidates (cross-validated; docs/decisions.md).",
    ),
]


@kb_app.command("calibrate")
def kb_calibrate(
    claims: Annotated[Path, typer.Option(help="Claims JSONL (CheckThat format) for fitting the ranking model.")],
    queries: Annotated[Path, typer.Option(help="Queries TSV for fitting the ranking model.")],
    qrels: Annotated[
        list[Path],
        typer.Option(help="Qrels of the queries to fit on (repeatable: CheckThat's train and dev; only those used)."),
    ],
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
    rerank: RerankOption = False,
    seed: Annotated[int, typer.Option(help="Seed for the re-ranker's cross-validation folds.")] = 13,
    cache: CacheOption = True,
) -> None:
    """Fit ranking weights, the re-ranker, the confidence model and decision thresholds; write calibration.json."""
    from functions.curation.knowledge_base import load_knowledge_base, load_unrelated_posts
    from functions.match.engine.calibrate import NegativeSet, calibrate
    from functions.match.engine.calibration import save_calibration
    from functions.match.engine.evaluation import read_claims, read_queries

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
    total = sum(len(texts) for _, texts in read_claims(claims))
    with (
        cached_embedder(settings, engine, cache) as embedder,
        progress_bar("embedding training claims", total) as advance,
    ):
        calibration, _ = calibrate(
            kb, embedder, (claims, queries, qrels), negative_sets, depth, advance, rerank, seed, err.print
        )
    target = output or settings.resolved_calibration_file
    save_calibration(calibration, target)
    out.print_json(calibration.model_dump_json())
    out.print(f"wrote {target}")


@kb_app.command("train-stance")
def kb_train_stance(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Where to write the stance model JSON.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for the cross-validation folds.")] = 13,
) -> None:
    """Fit the stance model on the training split of knowledge_base/stance/ (never the held-back split)."""
    from functions.match.engine.stance_training import fit_stance_model, provenance

    settings = get_settings()
    examples, indexed, embedder, claims = _stance_inputs(settings, kb_dir)
    train = [e for e in examples if e.split == "train"]
    inputs = _inputs(train, indexed, claims, embedder)
    risky = [e.personal == "risk" for e in train]
    model, report = fit_stance_model(inputs, [e.stance for e in train], risky, embedder.dimensions, seed, log=err.print)
    model = model.model_copy(update={"provenance": provenance(report, len(examples), embedder.model_id)})
    target = output or settings.resolved_stance_model_file
    target.write_text(model.model_dump_json() + "\n", encoding="utf-8")  # weights: compact, not for reading
    out.print(f"wrote {target}: {model.version}, C={report.c}, {len(train)} training examples; rebuild the index")


@kb_app.command("train-stance-cross")
def kb_train_stance_cross(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    epochs: Annotated[int, typer.Option(help="Most epochs tried on the dev fifth.")] = 3,
    first_layer: Annotated[
        int, typer.Option(help="First of MiniLM's layers (0-5) given adapters; those below stay frozen.")
    ] = 3,
    learning_rate: Annotated[float, typer.Option(help="AdamW's peak learning rate.")] = 5e-4,
    seed: Annotated[int, typer.Option(help="Seed for initialisation and batch order.")] = 13,
) -> None:
    """Fine-tune the stance cross-encoder (MiniLM reading claim and post together, LoRA adapters) on the training
    split less a fixed fifth, which chooses the epoch, the weight beside the lexical model and the threshold on
    'spreads'. Writes knowledge_base/stance_cross/. Needs the build group (torch, peft); takes minutes on a CPU."""
    from functions.match.engine import stance_cross_training as cross
    from functions.match.engine.stance import Alignment
    from functions.match.engine.stance_cross import CROSS_DIR, CrossEncoderConfig, LoraSettings, in_order
    from functions.match.engine.stance_training import fit_stance_model

    settings = get_settings()
    examples, indexed, embedder, claims = _stance_inputs(settings, kb_dir)
    train = [e for e in examples if e.split == "train"]
    fit = [e for e in train if not cross.dev_fifth(e.id)]
    dev = [e for e in train if cross.dev_fifth(e.id)]
    fit_inputs, dev_inputs = _inputs(fit, indexed, claims, embedder), _inputs(dev, indexed, claims, embedder)
    fit_risky = [e.personal == "risk" for e in fit]
    dimensions = embedder.dimensions
    lexical, _ = fit_stance_model(fit_inputs, [e.stance for e in fit], fit_risky, dimensions, seed, grid=(1.0,))
    order = [Alignment(c) for c in cross.CLASSES]
    dev_lexical = in_order(lexical.alignment_probabilities(dev_inputs.texts, dev_inputs.dense), lexical.classes, order)
    config = CrossEncoderConfig(base_model=settings.embedding_model, lora=LoraSettings(first_layer=first_layer))
    dev_pairs = cross.pairs_for(dev, claims)
    trial = cross.TrainingSettings(epochs=epochs, learning_rate=learning_rate, seed=seed)
    err.print(f"fine-tuning on {len(fit)} examples, measuring on the dev fifth ({len(dev)})")
    tried = cross.train_cross_encoder(cross.pairs_for(fit, claims), config, trial, dev_pairs, log=err.print)
    choice = cross.choose_setting(dev_lexical, tried.dev_probabilities, [p.label for p in dev_pairs])
    err.print(f"chosen on the dev fifth: {choice}")
    tried.keep_epoch(choice.epochs)
    tried.config = config.model_copy(
        update={
            "cross_weight": choice.cross_weight,
            "spreads_threshold": choice.spreads_threshold,
            "provenance": cross.cross_provenance(choice, trial, len(fit), len(dev), len(examples)),
        }
    )
    target = settings.resolved_stance_model_file.parent / CROSS_DIR
    written = cross.save_adapters(tried, target)
    out.print(f"wrote {target}: {written.version}; rebuild the index")


@kb_app.command("eval-stance")
def kb_eval_stance(
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    split: Annotated[str, typer.Option(help="'heldback' (the fixed test part) or 'train'.")] = "heldback",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    compare_with: Annotated[
        Path | None, typer.Option(help="Another lexical stance model (JSON) measured in the same run, e.g. main's.")
    ] = None,
) -> None:
    """Stance accuracy and the reply policy's figures per language on a split: the lexical model, and beside it the
    committed cross-encoder (as the match function runs the two) when there is one."""
    from functions.curation.stance_report import evaluate_stance
    from functions.match.engine.stance import load_stance_model
    from functions.match.engine.stance_cross import committed_cross

    settings = get_settings()
    examples, indexed, embedder, claims = _stance_inputs(settings, kb_dir)
    chosen = [e for e in examples if e.split == split]
    model = load_stance_model(settings.resolved_stance_model_file)
    inputs = _inputs(chosen, indexed, claims, embedder)
    report = evaluate_stance(chosen, model.predict_inputs(inputs.texts, inputs.dense, inputs.claim_is_myth), claims)
    committed = committed_cross(settings.resolved_stance_model_file)
    if committed:
        report = {"lexical": report, "with_cross_encoder": _evaluate_cross(committed, chosen, inputs, model, claims)}
    if compare_with:
        other = load_stance_model(compare_with)
        # A model from before the claim features reads the same columns less the last ones.
        dense = inputs.dense if other.anchor_features else inputs.dense[:, : len(other.mean)]
        predicted = other.predict_inputs(inputs.texts, dense, inputs.claim_is_myth)
        report = {**report, "compared": {"model": str(compare_with), **evaluate_stance(chosen, predicted, claims)}}
    if as_json:
        out.print_json(data=report)
    else:
        out.print(report)


def _evaluate_cross(committed: Path, chosen: list[Any], inputs: Any, model: Any, claims: dict[str, Any]) -> Any:
    """The committed cross-encoder exported to ONNX in a scratch folder and run as the match function runs it."""
    import tempfile

    from functions.curation.stance_report import evaluate_stance
    from functions.match.engine.stance_cross import CrossEncoder, predict_with_cross
    from functions.match.engine.stance_cross_training import export_cross_encoder, pairs_for

    pairs = pairs_for(chosen, claims)
    with tempfile.TemporaryDirectory(prefix="antidote-stance-cross-") as scratch:
        with err.status("exporting the stance cross-encoder to ONNX"):
            config = export_cross_encoder(committed, Path(scratch), [(p.claim, p.post) for p in pairs[:16]])
        cross = CrossEncoder(Path(scratch))
        with err.status(f"cross-encoding {len(pairs)} pairs"):
            top = [(claims[e.claim_id].statement, claims[e.claim_id].is_myth) for e in chosen]
            predicted = predict_with_cross(model, cross, inputs.texts, inputs.dense, top, [p.post for p in pairs])
    return {"version": config.version, **evaluate_stance(chosen, predicted, claims)}


def _stance_inputs(settings: Settings, kb_dir: Path | None) -> tuple[list[Any], tuple[Any, Any], Any, dict[str, Any]]:
    """The labelled examples, and the claims indexed in memory exactly as ``kb build`` indexes them: the claim index
    and the stance anchors (``stance_anchors.py``)."""
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts
    from functions.match.engine.index import build_index
    from functions.match.engine.stance_anchors import build_anchors
    from functions.match.engine.stance_training import load_stance_examples

    folder = kb_dir or settings.knowledge_base_dir
    kb = load_knowledge_base(folder)
    examples = load_stance_examples(folder / "stance", set(kb.by_id))
    embedder = embedder_for(settings)
    with err.status("embedding the knowledge base"):
        index = build_index(kb_index_texts(kb), embedder)
    with err.status("embedding the claims' statements, variants and corrections for the stance model"):
        anchors = build_anchors(kb.claims, embedder, _usem())
    return examples, (index, anchors), embedder, kb.by_id


def _inputs(examples: list[Any], indexed: tuple[Any, Any], claims: dict[str, Any], embedder: Any) -> Any:
    """``indexed``: the claim index and the stance anchors, as ``_stance_inputs`` built them."""
    from functions.match.engine.stance_training import example_inputs

    index, anchors = indexed
    with err.status(f"embedding {len(examples)} stance examples"):
        return example_inputs(examples, index, claims, embedder, _usem(), anchors)


@cache
def _usem() -> Any:
    """USE-m, loaded once per command (the stance model reads its vectors of every post)."""
    from functions.match.engine.usem import UsemEmbedder

    return UsemEmbedder()


@kb_app.command("coverage")
def kb_coverage(
    pool: Annotated[Path, typer.Option(help="Fact-checked claims JSONL (vclaim_id, vclaim), read in place.")],
    kb_dir: Annotated[Path | None, typer.Option("--kb", help="Knowledge base folder.")] = None,
    min_size: Annotated[int, typer.Option(min=2, help="The fewest pool claims that make a theme.")] = 5,
    floor: Annotated[
        float | None, typer.Option(help="Similarity to a claim phrasing that makes a claim health (voids' floor).")
    ] = None,
    words_floor: Annotated[
        float, typer.Option(help="Similarity to a claim phrasing a claim with health words must still reach.")
    ] = 0.3,
    distance: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="Cosine distance at which clustering stops joining groups.")
    ] = 0.5,
    limit: Annotated[int | None, typer.Option(min=1, help="Read only the pool's first this many claims.")] = None,
    report: Annotated[Path, typer.Option(help="Where to write the Markdown report.")] = Path("docs/coverage.md"),
    summary: Annotated[Path, typer.Option("--json", help="Where to write the JSON summary.")] = Path(
        "docs/coverage.json"
    ),
    cache: Annotated[
        Path | None, typer.Option(help="File of the pool's vectors kept between runs (default: <state>/coverage/).")
    ] = None,
) -> None:
    """Which recurring health themes in a pool of real fact-checked claims the knowledge base covers: health claims
    found, clustered into themes, each theme's best claim and score, or "not covered" (docs/coverage.md)."""
    import json

    from functions.curation.coverage import (
        CachedEncoder,
        CoverageRun,
        check_pool,
        coverage_report,
        read_pool,
        render_markdown,
    )

    settings = get_settings()
    folder = kb_dir or settings.knowledge_base_dir
    chosen_floor = settings.voids_similarity_floor if floor is None else floor
    claims = read_pool(pool, limit)
    matcher, kb_version, kb_claims = _current_kb_matcher(settings, folder)
    matcher.embedder = CachedEncoder(
        matcher.embedder,
        cache or settings.state_dir / "coverage" / "pool-vectors.npz",
        matcher.manifest.embedding.model_dump_json(),
    )
    with progress_bar("checking the pool's claims", len(claims)) as advance:
        checked = check_pool(matcher, claims, advance)
    matcher.embedder.save()
    command = _coverage_command(pool, min_size, words_floor, distance, floor, limit)
    run = CoverageRun(command, pool.name, kb_version, kb_claims, chosen_floor, words_floor, distance, min_size)
    result = coverage_report(run, claims, checked, err.print)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(render_markdown(result), encoding="utf-8")
    summary.write_text(json.dumps(result.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out.print(
        f"{result.health_claims} health claims of {result.pool_claims}; {len(result.themes)} themes, "
        f"{result.covered} covered; wrote {report} and {summary}"
    )


def _coverage_command(
    pool: Path, min_size: int, words_floor: float, distance: float, floor: float | None, limit: int | None
) -> str:
    """The command line that reproduces a report, for its head."""
    import shlex

    command = ["antidote kb coverage", f"--pool {shlex.quote(str(pool))}", f"--min-size {min_size}"]
    command += [f"--words-floor {words_floor}", f"--distance {distance}"]
    command += [f"--floor {floor}"] if floor is not None else []
    command += [f"--limit {limit}"] if limit is not None else []
    return " ".join(command)


def _current_kb_matcher(settings: Settings, folder: Path) -> tuple[Any, str, int]:
    """The matcher over the knowledge base as it is on disk now (indexed in memory with the built artifact's ONNX
    model, calibration and stance model), so a curator sees new claims' effect without rebuilding the artifact."""
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts, read_manifest
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.index import build_index
    from functions.match.engine.matcher import Matcher
    from functions.match.engine.stance import load_stance_model

    kb = load_knowledge_base(folder)
    embedder = embedder_for(settings, "onnx")
    manifest = read_manifest(settings.resolved_index_dir).model_copy(
        update={"calibration": load_calibration(settings.resolved_calibration_file), "kb_version": kb.version}
    )
    texts = kb_index_texts(kb)
    with progress_bar("embedding the knowledge base", sum(len(t) for _, t in texts)) as advance:
        index = build_index(texts, embedder, advance)
    stance = load_stance_model(settings.resolved_stance_model_file)
    return Matcher(index, kb.claims, manifest, embedder, stance), kb.version, len(kb.claims)
