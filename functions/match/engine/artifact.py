"""The index artifact: everything the match function loads at cold start, built from the knowledge base.

Layout of the artifact folder::

    manifest.json   KB version, model id, dimensions, calibration, stance model version, the exported model's
                    description (source model, opset, quantisation), build time, file hashes
    claims.json     the validated claims (so the runtime needs no YAML and no validation)
    texts.jsonl     one row per indexed phrasing, pointing at its claim
    vectors.faiss   FAISS inner-product index over normalised embeddings
    bm25/           bm25s lexical index over the same phrasings
    stance_model.json  the stance model's weights (see engine/stance.py)
    model/          the embedding model exported to ONNX, its tokenizer and pooling (``onnx_embedder.py``)
    stance_anchors/ every claim's statement, variants and correction embedded by both encoders, half precision:
                    what the stance model compares a post with (``stance_anchors.py``)
    usem/           USE-m's loaded state (tokenizer tables, uncompressed weights), so the match function loads
                    USE-m in a fifth of the package's time (``usem.py``)
    multilingual/   the same phrasings embedded with USE-m, FAISS + BM25, for non-English posts
                    (``multilingual.py``; built when the multilingual calibration exists)
    stance_cross/   the stance cross-encoder: the committed LoRA adapters merged into the model, exported to ONNX
                    (``stance_cross.py``; built when ``knowledge_base/stance_cross/`` exists)

The build exports the configured sentence-transformers model first (torch, build time only) and embeds the
phrasings with that exported model, so the index holds exactly the vectors the match function's ``OnnxEmbedder``
computes for the same text. The same knowledge base, model and calibration always give byte-identical files;
``artifact_hash`` covers them all and everything in the manifest except the build time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from functions.match.engine.onnx_export import QuantiseChoice

from functions.match.engine.calibration import Calibration
from functions.match.engine.index import ClaimIndex, build_index, load_index, save_index
from functions.match.engine.multilingual import MultilingualManifest, build_multilingual
from functions.match.engine.normalise import text_to_embed
from functions.match.engine.onnx_embedder import MODEL_DIR, EmbeddingConfig, OnnxEmbedder
from functions.match.engine.stance import STANCE_FILE, StanceModel, load_stance_model
from functions.match.engine.stance_anchors import build_anchors, save_anchors
from functions.match.engine.stance_cross import CROSS_DIR, claim_side
from functions.match.engine.usem import USEM_DIR, UsemEmbedder, save_usem_state
from functions.shared.claims import CLAIMS_FILE, MANIFEST_FILE, Claim, KnowledgeBase, read_published_claims
from functions.shared.errors import ArtifactMissing

ARTIFACT_FORMAT = 3  # 2: the ONNX model is part of the artifact; 3: so is the re-ranker's phrasing table


class Manifest(BaseModel):
    format: int = ARTIFACT_FORMAT
    kb_version: str
    model_id: str
    dimensions: int
    claims: int
    texts: int
    calibration: Calibration
    stance_version: str
    embedding: EmbeddingConfig
    files: dict[str, str]
    artifact_hash: str
    built_at: datetime
    multilingual: MultilingualManifest | None = None  # the non-English index, when one was built
    stance_cross_version: str | None = None  # the stance cross-encoder, when one was built


def kb_index_texts(kb: KnowledgeBase, with_translations: bool = True) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(claim.id, claim.texts(with_translations)) for claim in kb.claims]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_claims_and_stance(folder: Path, kb: KnowledgeBase, stance: StanceModel) -> list[Path]:
    claims_file = folder / CLAIMS_FILE
    claims_file.write_text(
        json.dumps([c.model_dump(mode="json") for c in kb.claims], ensure_ascii=False, indent=1, sort_keys=True),
        encoding="utf-8",
    )
    stance_file = folder / STANCE_FILE
    stance_file.write_text(stance.model_dump_json() + "\n", encoding="utf-8")
    return [claims_file, stance_file]


def build_artifact(
    kb: KnowledgeBase,
    model: str,
    calibration: Calibration,
    stance: StanceModel,
    out_dir: Path,
    progress: Callable[[int], None] | None = None,
    quantise: QuantiseChoice = "auto",
    multilingual: Calibration | None = None,
    stance_cross: Path | None = None,
) -> Manifest:
    """Export ``model`` to ONNX, embed the knowledge base with the export, index it. Builds into a temporary
    folder and swaps it in, so a failed build never leaves a half-written artifact. Needs the build group (torch)."""
    from functions.match.engine.onnx_export import export_model

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".index-", dir=out_dir.parent))
    try:
        # The English engine reads the claims' own (English) texts when the multilingual index is built beside it:
        # every other language is routed there, and MiniLM cannot read Hangul or Cyrillic (docs/decisions.md)
        every_phrasing = kb_index_texts(kb)
        claim_texts = every_phrasing if multilingual is None else kb_index_texts(kb, with_translations=False)
        probes = [text_to_embed(text) for _, texts in claim_texts for _, text in texts]
        embedding = export_model(model, staging / MODEL_DIR, probes, quantise)
        embedder = OnnxEmbedder(staging / MODEL_DIR)
        index = build_index(claim_texts, embedder, progress)
        written = [*save_index(index, staging), *sorted((staging / MODEL_DIR).iterdir())]
        written += _write_claims_and_stance(staging, kb, stance)
        written += save_usem_state(staging / USEM_DIR)
        usem = UsemEmbedder(staging / USEM_DIR)  # from the state just saved: the package's loading costs a second
        written += save_anchors(build_anchors(kb.claims, embedder, usem), staging)
        cross_version = _export_stance_cross(stance_cross, staging, kb) if stance_cross else None
        written += sorted((staging / CROSS_DIR).iterdir()) if cross_version else []
        files = {str(p.relative_to(staging)): _sha256(p) for p in sorted(written)}
        other_languages = build_multilingual(every_phrasing, multilingual, staging, usem)[0] if multilingual else None
        manifest = Manifest(
            kb_version=kb.version,
            model_id=embedder.model_id,
            dimensions=embedder.dimensions,
            claims=len(index.claim_ids),
            texts=len(index.texts),
            calibration=calibration,
            stance_version=stance.version,
            embedding=embedding,
            files=files,
            artifact_hash="",
            built_at=datetime.now(UTC).replace(microsecond=0),
            multilingual=other_languages,
            stance_cross_version=cross_version,
        )
        manifest.artifact_hash = _identity_hash(manifest)
        (staging / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
        return manifest
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _identity_hash(manifest: Manifest) -> str:
    """Everything that decides an answer: the manifest less its counts, build time and optional parts not built."""
    dumped = manifest.model_dump(mode="json", exclude={"claims", "texts", "artifact_hash", "built_at"})
    identity = {key: value for key, value in dumped.items() if value is not None}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:24]


def _export_stance_cross(source: Path, staging: Path, kb: KnowledgeBase) -> str:
    """Merge and export the committed cross-encoder; its export is checked on (claim, variant) pairs."""
    from functions.match.engine.stance_cross_training import export_cross_encoder

    probe = [(claim_side(c.statement, c.is_myth), v) for c in kb.claims[:40] for v in c.variants[:1]]
    return export_cross_encoder(source, staging / CROSS_DIR, probe).version


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactMissing(f"no index at {folder} (run 'antidote kb build')")
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise ArtifactMissing(f"index manifest {path} is unreadable; rebuild with 'antidote kb build'") from exc


def _incomplete(folder: Path, exc: Exception) -> ArtifactMissing:
    return ArtifactMissing(f"index at {folder} is incomplete or corrupt ({exc}); rebuild with 'antidote kb build'")


def load_artifact(folder: Path) -> tuple[ClaimIndex, list[Claim], Manifest, StanceModel]:
    manifest = read_manifest(folder)
    claims, _ = read_published_claims(folder)
    try:
        index = load_index(folder)
    except (OSError, ValueError, RuntimeError) as exc:
        raise _incomplete(folder, exc) from exc
    return index, claims, manifest, load_stance_model(folder / STANCE_FILE)
