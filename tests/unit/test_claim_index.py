"""The claim index's files: the same texts give the same bytes in any process, and a saved index searches as the
built one did. A hashing embedder stands in for the model; FAISS and bm25s are real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from functions.match.engine.index import build_index, load_index, save_index, tokenize
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import HashingEmbedder

CLAIMS = [
    ("gates-chips", [("claim", "Bill Gates puts microchips in vaccines"), ("title", "Gates and chips")]),
    ("ten-percent", [("claim", "Vaccines are only 10% effective against severe illness")]),
    ("garlic", [("claim", "Eating raw garlic cures COVID-19"), ("variant", "garlic kills the virus, eat it raw")]),
    ("5g", [("claim", "5G masts spread the coronavirus"), ("variant", "the towers went up and then people got sick")]),
]

_BUILD = f"""
import sys
from functions.match.engine.index import build_index, save_index
from tests.unit.fakes import HashingEmbedder
from pathlib import Path
save_index(build_index({CLAIMS!r}, HashingEmbedder("test")), Path(sys.argv[1]))
"""


def _build_in_a_process(folder: Path, hash_seed: str) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-c", _BUILD, str(folder)],
        cwd=PROJECT_ROOT,
        env={"PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path: Path) -> None:
    """bm25s numbers words in set order; kb build's artifact hash must not depend on the process's hash seed."""
    first = _build_in_a_process(tmp_path / "one", "1")
    second = _build_in_a_process(tmp_path / "two", "2")
    assert any(name.startswith("bm25/") for name in first)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_a_saved_index_scores_as_the_built_one(tmp_path: Path) -> None:
    built = build_index(CLAIMS, HashingEmbedder("test"))
    save_index(built, tmp_path)
    loaded = load_index(tmp_path)
    query = tokenize(["is it true garlic kills the coronavirus"])
    built_docs, built_scores = built.lexical.retrieve(query, k=3, show_progress=False)
    loaded_docs, loaded_scores = loaded.lexical.retrieve(query, k=3, show_progress=False)
    np.testing.assert_array_equal(built_docs, loaded_docs)
    np.testing.assert_allclose(built_scores, loaded_scores)
    assert built.texts[int(built_docs[0, 0])].claim_id == "garlic"
