"""Knowledge-base validation: every rule has a failing example, and errors name the file and the entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from functions.curation.knowledge_base import load_knowledge_base, load_unrelated_posts, validate_knowledge_base
from functions.shared.claims import content_version
from functions.shared.errors import KnowledgeBaseInvalid
from functions.shared.settings import PROJECT_ROOT
from tests.unit.conftest import KbWriter

TODAY = date(2026, 11, 22)


# a claim of lower harm may land before its translations (a high-harm myth may not: test_translations.py)
UNTRANSLATED = (
    "translations/ [measles-mild]: not translated into ar, bg, de, es, fr, ko, pt, ru, zh "
    "(replies in those languages need translating)"
)


def claim(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "measles-mild",
        "statement": "Measles is a mild childhood illness that nobody needs protecting from.",
        "verdict": "false",
        "topic": "measles",
        "harm": "medium",
        "language": "en",
        "correction": "Measles can cause pneumonia and brain swelling; two MMR doses protect almost everyone.",
        "explanation": "Measles is one of the most contagious diseases and can be serious at any age.",
        "sources": [{"publisher": "WHO", "url": "https://www.who.int/news-room/fact-sheets/detail/measles"}],
        "variants": ["measles is harmless lol", "we all had measles and survived #measles", "measles = mild rash"],
        "last_reviewed": "2026-11-01",
        "review_by": "2027-11-01",
    }
    entry.update(overrides)
    return entry


def messages(kb: Path) -> list[str]:
    return [str(p) for p in validate_knowledge_base(kb, TODAY).errors]


def test_a_valid_entry_passes(write_kb: KbWriter) -> None:
    report = validate_knowledge_base(write_kb({"measles.yaml": [claim()]}), TODAY)
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [UNTRANSLATED]
    assert [c.id for c in report.claims] == ["measles-mild"]


def test_unquoted_yaml_boolean_verdict_is_read_as_the_verdict(write_kb: KbWriter) -> None:
    unquoted = yaml.safe_dump([claim()]).replace("verdict: 'false'", "verdict: false")
    assert "verdict: false" in unquoted
    kb = write_kb({"measles.yaml": unquoted})
    report = validate_knowledge_base(kb, TODAY)
    assert report.errors == []
    assert report.claims[0].verdict.value == "false"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"verdict": "sort of"}, "verdict: Input should be 'false', 'misleading', 'unproven' or 'true'"),
        ({"harm": "extreme"}, "harm: Input should be 'low', 'medium' or 'high'"),
        ({"correction": "x" * 241}, "correction: String should have at most 240 characters"),
        ({"sources": []}, "sources: List should have at least 1 item"),
        ({"variants": ["only one"]}, "a myth needs at least 3 variants"),
        ({"review_by": "2026-10-01"}, "review_by must be after last_reviewed"),
        ({"id": "Measles Mild"}, "id: String should match pattern"),
        ({"statement": ""}, "statement: String should have at least 1 character"),
        ({"colour": "red"}, "colour: Extra inputs are not permitted"),
        ({"language": "english"}, "language: String should match pattern"),
    ],
)
def test_schema_errors_name_file_entry_and_field(write_kb: KbWriter, overrides: dict[str, Any], expected: str) -> None:
    found = messages(write_kb({"measles.yaml": [claim(**overrides)]}))
    assert len(found) == 1
    assert found[0].startswith("claims/measles.yaml [")
    assert expected in found[0]


def test_missing_field_is_named(write_kb: KbWriter) -> None:
    entry = claim()
    del entry["correction"]
    assert messages(write_kb({"measles.yaml": [entry]})) == [
        "claims/measles.yaml [measles-mild]: correction: Field required"
    ]


def test_a_fact_needs_no_variants(write_kb: KbWriter) -> None:
    fact = claim(id="measles-fact", verdict="true", statement="MMR vaccine is highly effective.", variants=[])
    assert messages(write_kb({"measles.yaml": [fact]})) == []


def test_duplicate_ids_across_files(write_kb: KbWriter) -> None:
    other = claim(topic="flu", statement="Flu is just a bad cold.", variants=["a", "b", "c"])
    found = messages(write_kb({"measles.yaml": [claim()], "flu.yaml": [other]}))
    assert "claims/measles.yaml [measles-mild]: duplicate id (also in claims/flu.yaml)" in found


def test_sources_must_be_https_and_allowlisted(write_kb: KbWriter) -> None:
    entry = claim(
        sources=[
            {"publisher": "WHO", "url": "http://www.who.int/x"},
            {"publisher": "Blog", "url": "https://natural-cures.example.com/measles"},
            {"publisher": "Look-alike", "url": "https://who.int.evil.example/page"},
        ]
    )
    found = messages(write_kb({"measles.yaml": [entry]}))
    assert "claims/measles.yaml [measles-mild]: source is not https: http://www.who.int/x" in found
    assert "claims/measles.yaml [measles-mild]: source domain not on the allowlist: natural-cures.example.com" in found
    assert "claims/measles.yaml [measles-mild]: source domain not on the allowlist: who.int.evil.example" in found


def test_subdomains_of_allowlisted_publishers_pass(write_kb: KbWriter) -> None:
    entry = claim(sources=[{"publisher": "NHS", "url": "https://www.nhs.uk/conditions/measles/"}])
    assert messages(write_kb({"measles.yaml": [entry]})) == []


def test_near_duplicate_statements_are_errors(write_kb: KbWriter) -> None:
    twin = claim(
        id="measles-mild-again",
        statement="Measles is a mild childhood illness nobody needs protecting from!",
        variants=["x1 measles", "x2 measles", "x3 measles"],
    )
    found = messages(write_kb({"measles.yaml": [claim(), twin]}))
    assert any("statement near-duplicates 'measles-mild-again'" in f for f in found)


def test_the_same_phrasing_in_two_claims_is_an_error(write_kb: KbWriter) -> None:
    other = claim(
        id="measles-other", statement="Vitamin A stops measles.", variants=["measles is harmless lol", "b", "c"]
    )
    found = messages(write_kb({"measles.yaml": [claim(), other]}))
    assert any("is also a phrasing of 'measles-mild'" in f for f in found)


def test_topic_must_match_file_name(write_kb: KbWriter) -> None:
    found = messages(write_kb({"flu.yaml": [claim()]}))
    assert found == ["claims/flu.yaml [measles-mild]: topic 'measles' does not match file name 'flu'"]


def test_unreadable_yaml_and_wrong_shapes(write_kb: KbWriter) -> None:
    kb = write_kb({"measles.yaml": "- id: [unclosed", "flu.yaml": {"not": "a list"}, "hpv.yaml": ["just text"]})
    found = messages(kb)
    assert any(f.startswith("measles.yaml [-]: cannot read:") for f in found)
    assert "claims/flu.yaml [-]: must be a YAML list of claim entries" in found
    assert "claims/hpv.yaml [#1]: entry must be a mapping" in found


def test_missing_allowlist_and_empty_kb(tmp_path: Path) -> None:
    found = messages(tmp_path)
    assert any(f.startswith("sources.yaml [-]: missing") for f in found)
    assert any(f.startswith("claims/ [-]: no claim files") for f in found)


def test_overdue_review_is_a_warning_listing_the_entry(write_kb: KbWriter) -> None:
    stale = claim(last_reviewed="2024-01-01", review_by="2025-01-01")
    report = validate_knowledge_base(write_kb({"measles.yaml": [stale]}), TODAY)
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "claims/measles.yaml [measles-mild]: review overdue: review_by 2025-01-01 is past",
        UNTRANSLATED,
    ]


def test_load_raises_with_every_problem(write_kb: KbWriter) -> None:
    kb = write_kb({"measles.yaml": [claim(verdict="?"), claim(id="measles-two", harm="?")]})
    with pytest.raises(KnowledgeBaseInvalid) as raised:
        load_knowledge_base(kb, TODAY)
    assert len(raised.value.problems) == 2


def test_version_is_a_content_hash(write_kb: KbWriter) -> None:
    kb = load_knowledge_base(write_kb({"measles.yaml": [claim()]}), TODAY)
    assert kb.version == content_version(kb.claims, kb.allowed_domains)
    changed = load_knowledge_base(write_kb({"measles.yaml": [claim(harm="low")]}), TODAY)
    assert changed.version != kb.version


def test_the_real_knowledge_base_meets_the_curation_bar() -> None:
    kb_dir = PROJECT_ROOT / "knowledge_base"
    report = validate_knowledge_base(kb_dir, TODAY)
    assert report.errors == []
    assert len(report.claims) >= 150
    assert len({c.topic for c in report.claims}) >= 12
    verdicts = {c.verdict.value for c in report.claims}
    assert {"false", "true"} <= verdicts
    assert all(len(c.variants) >= 3 for c in report.claims if c.is_myth)
    assert len(load_unrelated_posts(kb_dir)) >= 200
