"""The real index from the real knowledge base with the real model: generalisation and safety."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.artifact import build_artifact, read_manifest
from functions.match.engine.calibration import load_calibration
from functions.match.engine.matcher import Decision, Matcher
from functions.match.engine.multilingual import load_multilingual_calibration
from functions.match.engine.onnx_export import MAX_PROBE_TEXTS
from functions.match.engine.stance import load_stance_model
from functions.match.engine.stance_cross import committed_cross
from functions.shared.errors import ArtifactMissing, InvalidInput
from functions.shared.settings import PROJECT_ROOT
from tests.conftest import MODEL

HELD_OUT = sorted((PROJECT_ROOT / "tests" / "data" / "heldout").glob("*.yaml"))


def held_out(kind: str) -> list[Any]:
    return [item for path in HELD_OUT for item in yaml.safe_load(path.read_text("utf-8"))[kind]]


def test_held_out_paraphrases_are_found(matcher: Matcher) -> None:
    """Myths phrased in ways the KB has never seen still reach the right claim."""
    paraphrases = held_out("paraphrases")
    assert len(paraphrases) >= 90
    results = matcher.check_many([p["text"] for p in paraphrases])
    outcome: Counter[str] = Counter()
    for item, result in zip(paraphrases, results, strict=True):
        top = result.matches[0].claim.id if result.matches else None
        right = top == item["claim_id"]
        flagged = result.decision is not Decision.NONE
        outcome["right top claim"] += right
        outcome["right and flagged"] += right and flagged
        outcome["wrong claim matched"] += (not right) and result.decision is Decision.MATCH
    share = {k: v / len(paraphrases) for k, v in outcome.items()}
    assert share["right top claim"] >= 0.75, share
    assert share["right and flagged"] >= 0.5, share
    assert share["wrong claim matched"] <= 0.05, share


def test_unrelated_on_topic_chatter_is_not_matched(matcher: Matcher) -> None:
    unrelated = held_out("unrelated")
    assert len(unrelated) >= 90
    decisions = Counter(r.decision for r in matcher.check_many(unrelated))
    assert decisions[Decision.MATCH] / len(unrelated) <= 0.03, decisions


@pytest.mark.parametrize(
    "text",
    [
        "Vaccines cause autism. The MMR shot gave my nephew autism, wake up people",
        "you don't need the flu jab, the flu shot literally gives you the flu",
    ],
)
def test_plain_myths_match_with_sources(matcher: Matcher, text: str) -> None:
    result = matcher.check(text)
    assert result.decision is Decision.MATCH
    best = result.matches[0]
    assert best.claim.verdict.value in {"false", "misleading"}
    assert all(s.url.startswith("https://") for s in best.claim.sources)


@pytest.mark.parametrize(
    "text",
    [
        "Arsenal won 3-1 last night, what a match",
        "New coffee place on Mill Road does a great flat white",
        "Train delayed again this morning, third time this week",
    ],
)
def test_unrelated_text_is_none(matcher: Matcher, text: str) -> None:
    assert matcher.check(text).decision is Decision.NONE


def test_short_and_link_only_posts_never_match(matcher: Matcher) -> None:
    assert matcher.check("vaccines autism").decision is not Decision.MATCH
    assert matcher.check("#VaccinesCauseAutism https://t.co/abc").decision is not Decision.MATCH
    assert matcher.check("https://t.co/abc").decision is Decision.NONE


def test_hashtags_and_bylines_are_normalised(matcher: Matcher) -> None:
    plain = matcher.check("the flu shot gives you the flu")
    noisy = matcher.check("#FluShot gives you the #flu 🤒 pic.twitter.com/x — Sam (@sam) January 2, 2021")
    assert plain.matches[0].claim.id == noisy.matches[0].claim.id


def test_bad_input_is_refused(matcher: Matcher) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        matcher.check("   ")
    with pytest.raises(InvalidInput, match="longer than"):
        matcher.check("x" * 10_001)


def test_same_inputs_give_the_same_artifact(tmp_path: Path, kb_index_dir: Path) -> None:
    """Built again in this process (export, quantisation, embedding, indexes, the multilingual index): every file is
    byte-identical."""
    kb_dir = PROJECT_ROOT / "knowledge_base"
    again = tmp_path / "again"
    manifest = build_artifact(
        load_knowledge_base(kb_dir),
        MODEL,
        load_calibration(kb_dir / "calibration.json"),
        load_stance_model(kb_dir / "stance_model.json"),
        again,
        multilingual=load_multilingual_calibration(kb_dir / "calibration.json"),
        stance_cross=committed_cross(kb_dir / "stance_model.json"),
    )
    first = read_manifest(kb_index_dir)
    assert manifest.artifact_hash == first.artifact_hash
    assert manifest.files == first.files
    assert {"model/model.onnx", "model/tokenizer.json", "model/embedding.json"} <= set(first.files)
    assert first.multilingual is not None
    assert manifest.multilingual == first.multilingual
    for name in [*first.files, *first.multilingual.files]:
        assert (again / name).read_bytes() == (kb_index_dir / name).read_bytes(), name


def test_manifest_records_what_was_built(kb_index_dir: Path) -> None:
    manifest = json.loads((kb_index_dir / "manifest.json").read_text())
    assert manifest["kb_version"].startswith("kb-")
    assert manifest["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["dimensions"] == 384
    assert manifest["claims"] >= 150
    assert 0 < manifest["calibration"]["thresholds"]["review"] <= manifest["calibration"]["thresholds"]["match"] < 1
    assert manifest["stance_version"].startswith("stance-")
    assert manifest["built_at"]
    embedding = manifest["embedding"]
    assert embedding["source_model"] == manifest["model_id"]
    assert embedding["source_package"] == MODEL
    assert len(embedding["source_weights_sha256"]) == 64
    assert embedding["opset"] == 17
    assert embedding["exporter"].startswith("torch.onnx.export")
    assert (embedding["pooling"], embedding["max_seq_length"], embedding["normalize"]) == ("mean", 256, True)
    assert embedding["input_names"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert embedding["quantisation"]["mode"] in {"int8", "fp32"}
    # an even sample of the phrasings: every k-th, at most MAX_PROBE_TEXTS
    assert embedding["quantisation"]["probe_texts"] == len(
        range(0, manifest["texts"], -(-manifest["texts"] // MAX_PROBE_TEXTS))
    )
    assert embedding["quantisation"]["probe_texts"] <= MAX_PROBE_TEXTS < manifest["texts"]
    assert embedding["quantisation"]["reason"]
    for name in ("model/model.onnx", "model/tokenizer.json", "model/embedding.json"):
        assert manifest["files"][name] == hashlib.sha256((kb_index_dir / name).read_bytes()).hexdigest()


def test_a_corrupt_artifact_is_reported(tmp_path: Path, kb_index_dir: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text((kb_index_dir / "manifest.json").read_text())
    with pytest.raises(ArtifactMissing, match="incomplete or corrupt"):
        Matcher.from_artifact(broken)
    with pytest.raises(ArtifactMissing, match="no index at"):
        Matcher.from_artifact(tmp_path / "nowhere")
    shutil.copytree(kb_index_dir, tmp_path / "no-model")
    (tmp_path / "no-model" / "model" / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ArtifactMissing, match=r"exported model .* is unreadable"):
        Matcher.from_artifact(tmp_path / "no-model")
