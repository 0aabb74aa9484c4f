"""Translations, one file per language: joined to their claims, checked, required for high-harm myths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from functions.curation.knowledge_base import validate_knowledge_base
from functions.curation.translations import REPLY_LANGUAGES, coverage
from functions.respond.drafting import counted_length, draft_reply
from functions.shared.claims import Claim
from tests.unit.conftest import KbWriter
from tests.unit.test_knowledge_base import TODAY, claim

RUSSIAN = {
    "statement": "Корь — лёгкая детская болезнь, от которой не нужно защищаться.",
    "correction": "Корь может вызвать пневмонию и отёк мозга; две дозы вакцины защищают почти всех.",
    "variants": ["корь это ерунда, все болели и ничего"],
}


def with_translations(write_kb: KbWriter, files: dict[str, Any], claims: list[dict[str, Any]] | None = None) -> Path:
    kb = write_kb({"measles.yaml": claims or [claim()]})
    (kb / "translations").mkdir(exist_ok=True)
    for name, content in files.items():
        (kb / "translations" / name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return kb


def errors(kb: Path) -> list[str]:
    return [str(p) for p in validate_knowledge_base(kb, TODAY).errors]


def test_a_translation_file_is_joined_to_its_claim(write_kb: KbWriter) -> None:
    kb = with_translations(write_kb, {"ru.yaml": {"language": "ru", "translations": {"measles-mild": RUSSIAN}}})
    report = validate_knowledge_base(kb, TODAY)
    assert report.errors == []
    (measles,) = report.claims
    assert measles.translations["ru"].statement == RUSSIAN["statement"]
    assert ("variant:ru", RUSSIAN["variants"][0]) in measles.texts()  # a phrasing the matcher indexes


def test_unknown_claims_wrong_language_and_bad_sources_are_named(write_kb: KbWriter) -> None:
    bad_source = {**RUSSIAN, "sources": [{"publisher": "Blog", "url": "https://example.com/ru"}]}
    files = {
        "ru.yaml": {"language": "ru", "translations": {"measles-nope": RUSSIAN, "measles-mild": bad_source}},
        "de.yaml": {"language": "fr", "translations": {}},
        "it.yaml": {"language": "it", "translations": {}},
    }
    found = errors(with_translations(write_kb, files))
    assert "translations/ru.yaml [measles-nope]: no claim has this id" in found
    assert "translations/ru.yaml [measles-mild]: source domain not on the allowlist: example.com" in found
    assert "translations/de.yaml [language]: 'language' must be 'de', the file's name" in found
    assert any(e.startswith("translations/it.yaml [language]: 'it' is not one of the reply languages") for e in found)


def test_a_myths_translation_needs_a_variant_and_a_correction_within_the_budget(write_kb: KbWriter) -> None:
    # Chinese counts twice on X: 130 characters are 260, over the 240 an English correction may have.
    long_chinese = {"statement": "麻疹很轻微。", "correction": "麻" * 130, "variants": []}
    kb = with_translations(write_kb, {"zh.yaml": {"language": "zh", "translations": {"measles-mild": long_chinese}}})
    found = errors(kb)
    assert "translations/zh.yaml [measles-mild]: correction is 260 long as X counts it (at most 240)" in found
    assert any("needs at least one variant" in e for e in found)


def test_translations_inline_in_a_claim_file_are_rejected(write_kb: KbWriter) -> None:
    found = errors(write_kb({"measles.yaml": [claim(translations={"ru": RUSSIAN})]}))
    assert found == [
        "claims/measles.yaml [measles-mild]: translations live in translations/<language>.yaml, one file per language"
    ]


def test_a_high_harm_myth_missing_languages_is_reported(write_kb: KbWriter) -> None:
    kb = with_translations(
        write_kb,
        {"ru.yaml": {"language": "ru", "translations": {"measles-mild": RUSSIAN}}},
        [claim(harm="high")],
    )
    report = validate_knowledge_base(kb, TODAY)
    missing = [str(p) for p in report.errors if "not translated" in p.message]
    assert missing == [
        "translations/ [measles-mild]: high-harm myth not translated into ar, bg, de, es, fr, ko, pt, zh"
    ]
    assert coverage(report.claims) == {lang: int(lang == "ru") for lang in REPLY_LANGUAGES} | {"of": 1}


def test_every_claim_is_counted_when_asked(write_kb: KbWriter) -> None:
    fact = claim(
        id="measles-fact-two-doses",
        statement="Two doses of the MMR vaccine protect about 97 in 100 people from measles.",
        verdict="true",
        harm="low",
        variants=[],
    )
    kb = with_translations(
        write_kb,
        {"ru.yaml": {"language": "ru", "translations": {"measles-mild": RUSSIAN}}},
        [claim(harm="high"), fact],
    )
    claims = validate_knowledge_base(kb, TODAY).claims
    assert coverage(claims, high_harm_myths_only=False) == {lang: int(lang == "ru") for lang in REPLY_LANGUAGES} | {
        "of": 2
    }
    assert coverage(claims)["of"] == 1


def test_a_chinese_draft_is_written_in_chinese_and_shortened_at_a_sentence() -> None:
    correction = "麻疹会引起肺炎、脑炎甚至死亡。接种两剂疫苗可以保护几乎所有人。" * 4
    chinese = {
        "statement": "麻疹只是一种无害的儿童疾病。",
        "correction": correction,
        "variants": ["麻疹没什么大不了的"],
    }
    measles = Claim.model_validate(claim(translations={"zh": chinese}))
    draft = draft_reply(measles, "x", "zh", private_reply=False)
    assert draft.language == "zh"
    assert not draft.needs_translation
    assert draft.text.startswith("感谢您提出这个话题。 麻疹会引起肺炎")
    assert counted_length(draft.text, "x") <= 280
    body = draft.text.split("\n\n")[0]
    assert body.endswith("。")  # cut after a whole sentence, never inside one
    assert body != "感谢您提出这个话题。 " + correction  # it was shortened


def test_a_translations_own_source_is_cited_first() -> None:
    german_source = {"publisher": "WHO", "url": "https://www.who.int/de/news-room/fact-sheets/detail/measles"}
    german = {"statement": "Masern sind harmlos.", "correction": "Masern können schwer verlaufen.", "variants": ["x"]}
    measles = Claim.model_validate(claim(translations={"de": {**german, "sources": [german_source]}}))
    assert next(s.url for s in measles.sources_in("de")) == german_source["url"]
    assert [s.url for s in measles.sources_in("en")] == [measles.sources[0].url]
    assert german_source["url"] in draft_reply(measles, "mastodon", "de", private_reply=False).links


def test_phrasings_in_other_scripts_are_compared_by_their_words(write_kb: KbWriter) -> None:
    # Cyrillic (or Hangul, Han, Arabic) text must not normalise to nothing and collide with every other translation.
    second = claim(
        id="measles-vitamin-a",
        statement="Vitamin A stops you catching measles, so skip the vaccine.",
        variants=["vit A > MMR", "cod liver oil instead of the measles jab", "is vitamin A enough against measles?"],
    )
    russian_vitamin = {
        "statement": "Витамин А защищает от заражения корью, поэтому прививка не нужна.",
        "correction": "Витамин А не защищает от кори; от неё защищают две дозы вакцины.",
        "variants": ["вместо прививки от кори даём рыбий жир"],
    }
    translations = {"measles-mild": RUSSIAN, "measles-vitamin-a": russian_vitamin}
    files = {"ru.yaml": {"language": "ru", "translations": translations}}
    assert errors(with_translations(write_kb, files, [claim(), second])) == []

    shared = {**russian_vitamin, "variants": [RUSSIAN["variants"][0].upper() + "!"]}  # same words, case, punctuation
    files = {"ru.yaml": {"language": "ru", "translations": {**translations, "measles-vitamin-a": shared}}}
    found = errors(with_translations(write_kb, files, [claim(), second]))
    assert any("is also a phrasing of 'measles-mild'" in e for e in found)
