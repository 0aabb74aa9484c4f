"""``antidote kb draft --from-void``: the skeleton is in the knowledge base's format, carries the void's examples and
topic guess, and fails validation until a curator writes the statement and sources (and the rest of the text)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from functions.curation.drafts import claim_skeleton, skeleton_yaml
from functions.curation.knowledge_base import validate_knowledge_base
from functions.shared.models import Platform, Void, VoidClaim, VoidExample
from functions.shared.settings import PROJECT_ROOT

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
EXAMPLES = [
    "stop cracking your knuckles, you'll get arthritis",
    "knuckle cracking wears out your joints and gives you arthritis",
    "crujirse los nudillos provoca artritis",
    "stop cracking your knuckles, you'll get arthritis",  # a repost: one variant
]
VOID = Void(
    void_id="v-0123456789ab",
    rank=1,
    size=14,
    growth=14,
    growth_hours=24,
    languages={"en": 13, "es": 1},
    platforms={"x": 9, "reddit": 5},
    examples=[
        VoidExample(post_key=f"x#{n}", platform=Platform.X, language="en", text=text, received_at=NOW)
        for n, text in enumerate(EXAMPLES)
    ],
    closest_claims=[VoidClaim(claim_id="antibiotics-treat-colds-and-flu", topic="antibiotics", similarity=0.31)],
    topic_guess="antibiotics",
    first_seen=NOW,
    last_post_at=NOW,
    clustered_at=NOW,
)


def test_the_skeleton_carries_the_examples_and_the_topic_guess() -> None:
    entry = claim_skeleton(VOID, TODAY)
    assert entry["id"] == "antibiotics-draft-v-0123456789ab"
    assert entry["topic"] == "antibiotics"
    assert entry["variants"] == EXAMPLES[:3]
    assert (entry["statement"], entry["sources"]) == ("", [])
    text = skeleton_yaml(VOID, TODAY)
    assert text.startswith("# Draft claim from information void v-0123456789ab")
    assert "antibiotics-treat-colds-and-flu (0.31)" in text
    assert yaml.safe_load(text)[0]["variants"] == EXAMPLES[:3]


def _validate_with(tmp_path: Path, entry_text: str) -> list[str]:
    kb = tmp_path / "kb"
    shutil.copytree(PROJECT_ROOT / "knowledge_base", kb, ignore=shutil.ignore_patterns("unrelated_posts", "stance"))
    claims = kb / "claims" / "antibiotics.yaml"
    claims.write_text(claims.read_text("utf-8") + "\n" + entry_text, encoding="utf-8")
    return [str(p) for p in validate_knowledge_base(kb, TODAY).errors]


def test_the_skeleton_fails_validation_until_a_curator_fills_it(tmp_path: Path) -> None:
    errors = _validate_with(tmp_path, skeleton_yaml(VOID, TODAY))
    assert len(errors) == 1
    assert "antibiotics-draft-v-0123456789ab" in errors[0]
    for field in ("statement", "correction", "explanation", "sources"):
        assert field in errors[0]


def test_a_filled_skeleton_validates(tmp_path: Path) -> None:
    entry = claim_skeleton(VOID, TODAY)
    entry |= {
        "id": "antibiotics-knuckle-cracking-arthritis",
        "statement": "Cracking your knuckles causes arthritis.",
        "correction": "Cracking your knuckles does not cause arthritis; the sound is gas bubbles in the joint fluid.",
        "explanation": "Studies comparing habitual knuckle crackers with others found no more arthritis among them.",
        "sources": [{"publisher": "NHS", "url": "https://www.nhs.uk/conditions/arthritis/"}],
    }
    assert _validate_with(tmp_path, yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)) == []
