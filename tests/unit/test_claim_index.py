"""The claim index's files: the same texts give the same bytes in any process, and a saved index searches as the
built one did. A hashing embedder stands in for the model; FAISS and bm25s are real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from functions.match.engine.index import LEXICAL_FILE, LexicalTokenizer, build_index, load_index, save_index, tokenize
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


def test_by_script_reads_chinese_as_character_pairs_and_stems_cyrillic_and_arabic() -> None:
    chinese, korean, russian, arabic, latin = tokenize(
        [
            "疫苗会导致自闭症吗",
            "백신이 자폐증을",
            "прививки вызывают аутизм",
            "اللقاحات تسبب التوحد",
            "Vaccines cause covid19疫苗",
        ],
        LexicalTokenizer.BY_SCRIPT,
    )
    assert chinese[:3] == ["疫苗", "苗会", "会导"]
    assert "自闭" in chinese
    assert korean == ["백신", "신이", "자폐", "폐증", "증을"]
    assert russian == ["прививк", "вызыва", "аутизм"]
    assert arabic == ["لقاح", "تسبب", "توحد"]
    assert latin == ["vaccin", "caus", "covid19", "疫苗"]  # Latin words exactly as the English split gives them
    assert tokenize(["Vaccines cause autism"], LexicalTokenizer.BY_SCRIPT) == tokenize(["Vaccines cause autism"])


def test_an_index_searches_with_the_words_it_was_built_with(tmp_path: Path) -> None:
    """A Chinese post shares no word with a Chinese phrasing under the English split (each clause is one word);
    the multilingual index's split finds it, and a saved index keeps its split."""
    claims = [*CLAIMS, ("autism", [("claim", "Vaccines cause autism"), ("translation", "疫苗会导致自闭症")])]
    post = ["我听说打疫苗会导致孩子得自闭症"]
    english = build_index(claims, HashingEmbedder("test"))
    assert english.lexical.retrieve(english.tokenize(post), k=1, show_progress=False)[1][0, 0] == 0
    by_script = build_index(claims, HashingEmbedder("test"), tokenizer=LexicalTokenizer.BY_SCRIPT)
    save_index(by_script, tmp_path)
    loaded = load_index(tmp_path)
    assert loaded.tokenizer is LexicalTokenizer.BY_SCRIPT
    docs, scores = loaded.lexical.retrieve(loaded.tokenize(post), k=1, show_progress=False)
    assert scores[0, 0] > 0
    assert loaded.texts[int(docs[0, 0])].claim_id == "autism"


def test_an_index_saved_before_the_choice_reads_as_english(tmp_path: Path) -> None:
    save_index(build_index(CLAIMS, HashingEmbedder("test"), tokenizer=LexicalTokenizer.BY_SCRIPT), tmp_path)
    (tmp_path / LEXICAL_FILE).unlink()
    assert load_index(tmp_path).tokenizer is LexicalTokenizer.ENGLISH
