"""Routing by language: English stays on today's engine, other languages go to the multilingual index, which is
loaded only when a non-English post arrives. Small real indexes (FAISS, BM25) over real claims, with a hashing
embedder standing in for the models."""

from __future__ import annotations

from typing import Any

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.artifact import Manifest
from functions.match.engine.calibration import load_calibration
from functions.match.engine.embedder import Embedder
from functions.match.engine.index import build_index
from functions.match.engine.matcher import Decision, Matcher
from functions.match.engine.multilingual import MultilingualIndex
from functions.match.engine.routing import is_multilingual, non_latin_share
from functions.match.engine.stance import load_stance_model
from functions.match.engine.stance_anchors import build_anchors
from functions.shared.settings import PROJECT_ROOT
from tests.unit.fakes import HashingEmbedder

KB_DIR = PROJECT_ROOT / "knowledge_base"
KB = {c.id: c for c in load_knowledge_base(KB_DIR).claims}
FLU = KB["flu-vaccine-gives-you-flu"]
ANTIBIOTICS = KB["antibiotics-treat-colds-and-flu"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("the flu jab gives you the flu", None, False),
        ("the flu jab gives you the flu", "en", False),
        ("the flu jab gives you the flu", "EN-gb", False),
        ("la vacuna de la gripe te da la gripe", "es", True),
        ("die Grippeimpfung macht krank", "de", True),
        ("a vacina da gripe dá gripe", "pt-BR", True),
        ("la vacuna de la gripe te da la gripe", None, False),  # Latin script, no language: the English engine
        ("독감 예방주사 맞으면 독감 걸림", None, True),
        ("Сделала прививку от гриппа и слегла с гриппом", None, True),
        ("Ваксинирах се срещу грип и легнах с грип", None, True),
        ("打了流感疫苗反而得了流感", None, True),
        ("أخذت تطعيم الإنفلونزا وجتني إنفلونزا", None, True),
        ("MMR 맞고 나서 자폐 진단 받았어요", None, True),  # a Latin acronym in a Korean post
        ("my flu jab story, in Korean: 독감", None, False),  # an English post with one Korean word
        ("🤒🤒🤒 https://example.org", None, False),  # no letters at all
    ],
)
def test_routing(text: str, language: str | None, expected: bool) -> None:
    assert is_multilingual(text, language) is expected


def test_non_latin_share_counts_letters_only() -> None:
    assert non_latin_share("123 !!! 🤒") == 0.0
    assert non_latin_share("abc где") == 0.5
    assert non_latin_share("Ünïcödé façade") == 0.0


def manifest(model_id: str) -> Manifest:
    """Only what the matcher reads from a manifest."""
    fields: dict[str, Any] = {
        "kb_version": "test",
        "model_id": model_id,
        "dimensions": 384,
        "calibration": load_calibration(KB_DIR / "calibration.json"),
    }
    return Manifest.model_construct(**fields)


USEM_FOR_STANCE = HashingEmbedder("usem", dimensions=512)
Engines = tuple[Matcher, HashingEmbedder, list[int]]


@pytest.fixture
def engines() -> Engines:
    """An English engine over two claims, and a multilingual index holding only the antibiotics claim, so a routed
    post can only come back with that claim."""
    calibration = load_calibration(KB_DIR / "calibration.json")
    english = HashingEmbedder("english")
    index = build_index([(FLU.id, FLU.texts()), (ANTIBIOTICS.id, ANTIBIOTICS.texts())], english)
    other = HashingEmbedder("multilingual", dimensions=512)
    loads: list[int] = []

    def load(_usem: Embedder) -> MultilingualIndex:  # searches with its own fake, to tell the two apart
        loads.append(1)
        return MultilingualIndex(build_index([(ANTIBIOTICS.id, ANTIBIOTICS.texts())], other), calibration, other)

    stance = load_stance_model(KB_DIR / "stance_model.json")
    claims = [FLU, ANTIBIOTICS]
    anchors = build_anchors(claims, english, USEM_FOR_STANCE)  # as the artifact stores them, before any post
    USEM_FOR_STANCE.calls.clear()
    matcher = Matcher(
        index, claims, manifest("english"), english, stance, load, usem=lambda: USEM_FOR_STANCE, anchors=lambda: anchors
    )
    return matcher, other, loads


def test_english_posts_never_load_the_multilingual_index(engines: Engines) -> None:
    matcher, other, loads = engines
    results = matcher.check_many(["every time i get the flu jab i get the flu", "flu jab = flu"], languages=None)
    assert results[0].matches[0].claim.id == FLU.id
    matcher.check_many(["독감 예방주사 맞으면 독감 걸림"], languages=["en"])  # declared English wins over the script
    assert loads == []
    assert other.calls == []


def test_other_languages_go_to_the_multilingual_index_loaded_once(engines: Engines) -> None:
    matcher, other, loads = engines
    english_post = "every time i get the flu jab i get the flu"
    korean_post = "독감 예방주사 맞으면 독감 걸림. 다시는 안 맞아"
    results = matcher.check_many(
        [english_post, korean_post, "me puse la vacuna y me dio gripe"], languages=[None, None, "es"]
    )
    assert results[0].matches[0].claim.id == FLU.id  # English: today's engine
    assert [r.matches[0].claim.id for r in results[1:]] == [ANTIBIOTICS.id, ANTIBIOTICS.id]
    assert other.calls[-1] == [results[1].post.text, results[2].post.text]  # only the routed posts
    matcher.check("Сделала прививку от гриппа и слегла с гриппом")
    assert loads == [1]


def test_the_stance_model_reads_use_m_vectors_computed_once(engines: Engines) -> None:
    """A flagged post's stance reads its USE-m vector: a routed post's is the one routing computed; an English
    post's is encoded for it (and only flagged posts' are)."""
    matcher, other, _ = engines
    routed = matcher.check(ANTIBIOTICS.variants[0], language="es")
    assert routed.decision is not Decision.NONE
    assert routed.stance is not None
    assert other.calls[-1] == [routed.post.text]  # after the index build, the post alone
    assert USEM_FOR_STANCE.calls == []
    english, unflagged = matcher.check_many([FLU.variants[0], "a quiet walk in the park with the dog"])
    assert english.stance is not None
    assert unflagged.decision is Decision.NONE
    assert USEM_FOR_STANCE.calls == [[english.post.text]]


def test_without_a_multilingual_index_every_post_keeps_the_english_engine() -> None:
    english = HashingEmbedder("english")
    index = build_index([(FLU.id, FLU.texts())], english)
    stance = load_stance_model(KB_DIR / "stance_model.json")
    matcher = Matcher(index, [FLU], manifest("english"), english, stance, usem=lambda: USEM_FOR_STANCE)
    result = matcher.check("독감 예방주사 맞으면 독감 걸림", language="ko")
    assert [m.claim.id for m in result.matches] == [FLU.id]
