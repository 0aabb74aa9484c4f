from __future__ import annotations

import json
from pathlib import Path

import pytest

from functions.ingest.language import detect_language, normalise_declared, resolve_language

DEMO_POSTS = Path(__file__).resolve().parents[2] / "functions" / "local" / "demo_posts.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The flu jab cannot give you flu, it has no live virus in it.", "en"),
        ("Las vacunas no causan autismo, lo dicen todos los estudios.", "es"),
        ("Le bicarbonate de soude guérit le cancer, c'est un champignon.", "fr"),
        ("Seit meiner Diagnose nehme ich jeden Morgen meine Tabletten.", "de"),
        ("Dia nublado não precisa de protetor solar, o sol nem aparece", "pt"),
        ("Il vaccino contro il morbillo è sicuro e protegge i bambini.", "it"),
        ("Het vaccin tegen mazelen is veilig en beschermt kinderen.", "nl"),
        # links, handles, emails and '#' are ignored
        ("Las vacunas causan autismo #despierta @someone https://x.com/a/status/1", "es"),
        ("@dr_kelvin_h@med.example.social https://example.org/the-page-title vaccines cause autism, wake up", "en"),
        ("#MMR #autismo las vacunas son veneno, infórmate en www.example.es/verdad", "es"),
        ("<script>alert(1)</script> the MMR causes autism and they KNOW it. wake up", "en"),
        # redaction placeholders are not English words
        ("Escríbeme a [email] o al [phone] y te paso el protocolo, [@user] [name] [address]", "es"),
    ],
)
def test_detects_supported_languages(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "ok",
        "lol 😂",
        "omg",
        "🍞🔥💉",
        "12345 678",
        "https://x.com/a/status/2123572070193924485",
        "@someone @other.bsky.social",
        "#tag",
        "taxi hotel",
    ],
)
def test_short_or_ambiguous_text_is_none(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the other five languages the service replies in
        ("Вакцините срещу морбили причиняват аутизъм, всички го знаят", "bg"),
        ("Прививка от гриппа не может вызвать грипп, в ней нет живого вируса", "ru"),
        ("독감 백신을 맞으면 독감에 걸린다는 말은 사실이 아닙니다", "ko"),
        ("流感疫苗不会让你得流感，里面没有活病毒", "zh"),
        ("لقاح الإنفلونزا لا يمكن أن يسبب الإنفلونزا", "ar"),
        # languages that share a script with them are told apart, so they are never answered in the wrong one
        ("Щеплення від грипу не може викликати грип, у ньому немає живого вірусу", "uk"),
        ("واکسن آنفولانزا نمی‌تواند باعث آنفولانزا شود", "fa"),
        ("インフルエンザワクチンでインフルエンザにはなりません", "ja"),
    ],
)
def test_detects_every_language_the_service_replies_in(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_only_known_codes_come_back() -> None:
    # Polish and Swedish are outside the detected set: never a code the detector was not built for.
    for text in ["Szczepionki powodują autyzm u dzieci", "Vacciner orsakar inte autism"]:
        assert detect_language(text) in {None, "en", "es", "fr", "de", "pt", "it", "nl"}


@pytest.mark.parametrize(
    ("declared", "text", "expected"),
    [
        ("en", "Las vacunas no causan autismo, lo dicen todos los estudios.", "en"),
        ("ES", "The flu jab cannot give you flu, it has no live virus in it.", "es"),
        ("pt-BR", "anything", "pt"),
        ("en_GB", "", "en"),
        (" fr ", "", "fr"),
        ("ja", "The flu jab cannot give you flu.", "ja"),  # a declared language wins even if unsupported
        (None, "Las vacunas no causan autismo, lo dicen todos los estudios.", "es"),
        ("", "The flu jab cannot give you flu, it has no live virus in it.", "en"),
        ("und", "The flu jab cannot give you flu, it has no live virus in it.", "en"),
        ("english", "Il vaccino contro il morbillo è sicuro e protegge i bambini.", "it"),
        (None, "ok", None),
    ],
)
def test_resolve_language(declared: str | None, text: str, expected: str | None) -> None:
    assert resolve_language(declared, text) == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("zh-Hant-TW", "zh"),
        ("und", None),
        ("", None),
        (None, None),
        ("e", None),
    ],
)
def test_normalise_declared(declared: str | None, expected: str | None) -> None:
    assert normalise_declared(declared) == expected


def test_demo_posts_agree_with_their_declared_language() -> None:
    with DEMO_POSTS.open(encoding="utf-8") as handle:
        posts = [json.loads(line) for line in handle if line.strip()]
    labelled = [p for p in posts if p["language"] is not None]
    assert len(labelled) >= 50
    disagreements = [
        f"{p['language']} != {detect_language(p['text'])}: {p['text']}"
        for p in labelled
        if detect_language(p["text"]) != p["language"]
    ]
    agreement = 1 - len(disagreements) / len(labelled)
    assert agreement >= 0.9, f"{agreement:.0%} agreement; disagreements:\n" + "\n".join(disagreements)
