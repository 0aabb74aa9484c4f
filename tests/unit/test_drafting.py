"""Reply drafting: platform length rules, language choice, and that nothing from the post reaches the reply."""

from __future__ import annotations

import re
from typing import Any

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.respond.drafting import (
    PLATFORM_LIMITS,
    PRIVATE_CHANNEL,
    PRIVATE_REPLIES,
    PUBLIC,
    Draft,
    counted_length,
    draft_reply,
    fits,
)
from functions.shared.claims import Claim, KnowledgeBase
from functions.shared.errors import InvalidInput
from functions.shared.settings import PROJECT_ROOT

KB = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
MYTHS = [c for c in KB.claims if c.is_myth]
PLATFORMS = sorted(PLATFORM_LIMITS)


def url_of_length(n: int, stem: str = "a") -> str:
    base = f"https://www.who.int/{stem}/"
    return base + "x" * (n - len(base))


def make_claim(correction: str, urls: list[str], **overrides: Any) -> Claim:
    entry: dict[str, Any] = {
        "id": "test-claim",
        "statement": "Test statement that is a myth.",
        "verdict": "false",
        "topic": "test",
        "harm": "medium",
        "correction": correction,
        "explanation": "Why.",
        "sources": [{"publisher": "WHO", "url": u} for u in urls],
        "variants": ["one", "two", "three"],
        "last_reviewed": "2026-11-01",
        "review_by": "2027-11-01",
    }
    entry.update(overrides)
    return Claim.model_validate(entry)


def five_grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


# --- counting -------------------------------------------------------------------------------------------------------


def test_x_counts_every_link_as_23() -> None:
    url1, url2 = url_of_length(100, "one"), url_of_length(100, "two")
    prose = ("word " * 20)[:98]
    text = f"{prose} {url1} {url2}"
    assert len(text) == 300
    assert counted_length(text, "x") == 98 + 1 + 23 + 1 + 23 == 146
    assert fits(text, "x")
    assert len(text) > PLATFORM_LIMITS["x"]  # by raw length it would not fit


def test_bluesky_counts_links_at_full_length() -> None:
    url = url_of_length(100)
    text = "a" * 199 + " " + url
    assert counted_length(text, "bluesky") == 300
    assert fits(text, "bluesky")
    assert not fits("a" + text, "bluesky")
    assert counted_length(text, "x") == 199 + 1 + 23


def test_mastodon_counts_links_as_23_whatever_their_length() -> None:
    url = url_of_length(600)
    text = "b" * 476 + " " + url
    assert len(text) == 1077
    assert counted_length(text, "mastodon") == 500
    assert fits(text, "mastodon")
    assert not fits("b" + text, "mastodon")


def test_other_platforms_count_raw_length() -> None:
    url = url_of_length(100)
    assert counted_length(f"see {url}", "instagram") == 104
    assert fits("c" * 2200, "instagram")
    assert not fits("c" * 2201, "instagram")
    assert fits("c" * 8000, "facebook")
    assert not fits("c" * 8001, "facebook")
    assert fits("c" * 10000, "youtube")
    assert fits("c" * 10000, "reddit")
    assert not fits("c" * 10001, "reddit")


def test_trailing_punctuation_is_not_part_of_a_link() -> None:
    assert counted_length("see https://www.who.int/x.", "x") == 4 + 23 + 1
    assert counted_length("(https://www.who.int/x)", "mastodon") == 1 + 23 + 1
    assert counted_length("http://a.b/c", "x") == 23
    assert counted_length("https:// alone", "x") == len("https:// alone")  # not a link


def test_x_weights_characters_like_x_does() -> None:
    assert counted_length("café — ok", "x") == 9  # Latin and the em dash weigh 1
    assert counted_length("…", "x") == 2  # U+2026 is outside X's light ranges
    assert counted_length("日本", "x") == 4
    assert counted_length("😀", "x") == 2
    assert counted_length("…", "bluesky") == 1
    assert counted_length("cafe\u0301", "bluesky") == 4  # NFC-normalised before counting


def test_unknown_platform_is_a_client_error() -> None:
    with pytest.raises(InvalidInput, match="unknown platform 'myspace'"):
        counted_length("hi", "myspace")
    with pytest.raises(InvalidInput):
        draft_reply(MYTHS[0], "myspace", "en", discloses_own_health=False)


# --- public drafts, hand-worked -----------------------------------------------------------------------------------

CORRECTION_200 = ("Rest and fluids help most people recover at home within a week or two. " * 3)[:199] + "."
URLS_40 = [url_of_length(40, "a"), url_of_length(40, "b"), url_of_length(40, "c")]


def test_hand_worked_draft_on_x_keeps_one_link() -> None:
    claim = make_claim(CORRECTION_200, URLS_40)
    assert len(CORRECTION_200) == 200
    draft = draft_reply(claim, "x", "en", discloses_own_health=False)
    # "Thanks for raising this." 24 + " " + 200 + "\n\n" + "Source: " 8 + link 23 = 258; a second link would be 283.
    assert draft == Draft(
        text=f"Thanks for raising this. {CORRECTION_200}\n\nSource: {URLS_40[0]}",
        language="en",
        variant=PUBLIC,
        links=[URLS_40[0]],
        counted_length=258,
        limit=280,
    )


def test_hand_worked_draft_on_mastodon_keeps_all_links() -> None:
    draft = draft_reply(make_claim(CORRECTION_200, URLS_40), "mastodon", None, discloses_own_health=False)
    assert draft.links == URLS_40
    assert draft.text.endswith("Sources: " + " ".join(URLS_40))
    assert draft.counted_length == 24 + 1 + 200 + 2 + 9 + 23 * 3 + 2 == 307


def test_hand_worked_draft_on_bluesky_counts_full_links() -> None:
    draft = draft_reply(make_claim(CORRECTION_200, URLS_40), "bluesky", None, discloses_own_health=False)
    # one link: 24 + 1 + 200 + 2 + 8 + 40 = 275; two links: 24 + 1 + 200 + 2 + 9 + 40 + 1 + 40 = 317 > 300
    assert draft.links == URLS_40[:1]
    assert draft.counted_length == 275
    assert draft.limit == 300


def body_of(draft: Draft) -> str:
    """The correction part of a public draft: between the opener and the sources."""
    body = draft.text.split("\n\n")[0]
    for opener in ("Thanks for raising this. ", "Gracias por plantear esto. "):
        body = body.removeprefix(opener)
    return body


LONG_URL = url_of_length(150)


def test_too_long_correction_keeps_whole_sentences_and_the_source() -> None:
    first = "Measles spreads fast, and two doses of the vaccine protect almost everyone for life."
    correction = f"{first} Outbreaks start where fewer children are vaccinated, so every dose counts for the community."
    draft = draft_reply(make_claim(correction, [LONG_URL]), "bluesky", "en", discloses_own_health=False)
    # 24 + 1 + 84 + 2 + 8 + 150 = 269; the whole correction (188) would need 373.
    assert len(first) == 84
    assert draft.text == f"Thanks for raising this. {first}\n\nSource: {LONG_URL}"
    assert draft.counted_length == 269
    assert draft.links == [LONG_URL]


def test_correction_is_cut_at_a_word_boundary_when_no_sentence_fits() -> None:
    correction = ("Measles spreads fast and two doses of the vaccine protect almost everyone for life " * 3)[:239] + "."
    draft = draft_reply(make_claim(correction, [LONG_URL]), "bluesky", "en", discloses_own_health=False)
    assert draft.links == [LONG_URL]
    assert draft.text.endswith(f"\n\nSource: {LONG_URL}")
    assert draft.counted_length <= 300
    assert draft.text.startswith("Thanks for raising this. ")
    body = body_of(draft)
    assert body.endswith("…")
    kept = body.removesuffix("…")
    assert correction.startswith(kept)
    assert not correction[len(kept)].isalnum()  # cut between words, never inside one
    # The longest prefix that fits was kept: one more word would overflow.
    next_word = correction[len(kept) :].split()[0]
    one_more = f"{kept} {next_word}".rstrip(" ,;:—–-") + "…"
    assert not fits(f"Thanks for raising this. {one_more}\n\nSource: {LONG_URL}", "bluesky")
    # The budget is 300 - (24 + 1 + 2 + 8 + 150) = 115 for the shortened correction and its ellipsis.
    assert 100 < len(body) <= 115


def test_when_shortening_is_needed_the_shortest_source_is_kept() -> None:
    correction = "Two doses of the vaccine protect almost everyone. " * 3 + "Ask a nurse."
    shorter_url = url_of_length(120)
    # Even the shorter source needs shortening: 24 + 1 + 162 + 2 + 8 + 120 = 317 > 300.
    assert len(correction) == 162
    draft = draft_reply(make_claim(correction, [LONG_URL, shorter_url]), "bluesky", "en", discloses_own_health=False)
    assert draft.links == [shorter_url]
    # Two whole sentences (24 + 1 + 99 + 2 + 8 + 120 = 254) fit; three (305) do not.
    assert body_of(draft) == " ".join(["Two doses of the vaccine protect almost everyone."] * 2)
    assert draft.counted_length == 254


def test_full_correction_with_a_later_source_beats_a_shortened_one() -> None:
    short_url = url_of_length(40)
    draft = draft_reply(make_claim(CORRECTION_200, [LONG_URL, short_url]), "bluesky", "en", discloses_own_health=False)
    assert draft.links == [short_url]
    assert CORRECTION_200 in draft.text
    assert draft.counted_length == 275


def test_duplicate_source_urls_are_linked_once() -> None:
    url = url_of_length(40)
    draft = draft_reply(make_claim("Short correction.", [url, url]), "facebook", "en", discloses_own_health=False)
    assert draft.links == [url]
    assert draft.text.count(url) == 1


# --- language -------------------------------------------------------------------------------------------------------


def test_spanish_correction_for_spanish_post_and_english_fallback() -> None:
    claim = KB.by_id["antibiotics-treat-colds-and-flu"]
    spanish = draft_reply(claim, "facebook", "es", discloses_own_health=False)
    assert spanish.language == "es"
    assert spanish.text.startswith("Gracias por plantear esto. " + claim.translations["es"].correction)
    assert "Fuentes: " in spanish.text
    french = draft_reply(claim, "facebook", "fr", discloses_own_health=False)
    assert french.language == "en"
    assert french.text.startswith("Thanks for raising this. " + claim.correction)
    assert claim.translations["es"].correction not in french.text
    assert draft_reply(claim, "facebook", None, discloses_own_health=False).text == french.text


def test_spanish_post_on_a_claim_without_spanish_gets_english() -> None:
    claim = next(c for c in MYTHS if "es" not in c.translations)
    draft = draft_reply(claim, "x", "es", discloses_own_health=False)
    assert draft.language == "en"
    assert draft.text.startswith("Thanks for raising this.")


# --- nothing from the post -----------------------------------------------------------------------------------------


def test_draft_shares_no_five_words_with_a_post_repeating_the_claim() -> None:
    claim = KB.by_id["antibiotics-treat-colds-and-flu"]
    for language, statement in (("en", claim.statement), ("es", claim.translations["es"].statement)):
        post = f"@maria_lopez84 {statement} My husband Juan had it last week, call me on 07700 900123 #salud"
        post_grams = five_grams(post)
        assert len(post_grams) > 10
        for platform in PLATFORMS:
            draft = draft_reply(claim, platform, language, discloses_own_health=False)
            assert not post_grams & five_grams(draft.text), (language, platform)
            assert "maria" not in draft.text.lower()
            assert "07700" not in draft.text


def correction_texts(claim: Claim) -> str:
    return " ".join([claim.correction, *(t.correction for t in claim.translations.values())])


@pytest.mark.parametrize("platform", PLATFORMS)
def test_across_the_kb_a_draft_adds_no_words_from_the_post(platform: str) -> None:
    # A few curated corrections legitimately share a phrase with their myth ("la vacuna de la gripe"); whatever
    # a draft shares with the post must therefore come from the curated correction, never from the post.
    for claim in MYTHS:
        for language, statement in [
            ("en", claim.statement),
            *((k, t.statement) for k, t in claim.translations.items()),
        ]:
            post = f"@jane_doe92 {statement} {' '.join(claim.variants[:2])} ring me on 07700 900123"
            draft = draft_reply(claim, platform, language, discloses_own_health=False)
            shared = five_grams(post) & five_grams(draft.text)
            assert shared <= five_grams(correction_texts(claim)), (claim.id, language, shared)
            assert "jane" not in draft.text.lower()
            assert "07700" not in draft.text


# --- private channel -------------------------------------------------------------------------------------------------

CONDITION_WORDS = {
    "measles", "cancer", "diabetes", "autism", "vaccine", "vaccines", "flu", "covid", "hpv", "pregnancy",
    "pregnant", "depression", "anxiety", "blood", "pressure", "antibiotics", "infection", "disease", "illness",
    "sarampión", "vacuna", "embarazo", "gripe", "cáncer", "enfermedad",
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es", "fr", None])
def test_private_variant_has_no_links_correction_or_condition_words(language: str | None) -> None:
    for claim in MYTHS:
        for platform in PLATFORMS:
            draft = draft_reply(claim, platform, language, discloses_own_health=True)
            assert draft.variant == PRIVATE_CHANNEL
            assert draft.links == []
            assert "http" not in draft.text
            assert draft.language == (language if language in ("en", "es") else "en")
            assert draft.text == PRIVATE_REPLIES[draft.language]
            words = set(re.findall(r"\w+", draft.text.lower()))
            assert not words & CONDITION_WORDS
            assert not words & set(claim.topic.split("-"))
            assert not five_grams(correction_texts(claim)) & five_grams(draft.text)
            assert draft.counted_length <= draft.limit


def test_private_replies_invite_a_direct_message() -> None:
    assert "direct message" in PRIVATE_REPLIES["en"]
    assert "mensaje directo" in PRIVATE_REPLIES["es"]


# --- facts and the whole knowledge base ------------------------------------------------------------------------------


def test_true_claim_is_not_drafted() -> None:
    fact = next(c for c in KB.claims if not c.is_myth)
    with pytest.raises(ValueError, match="verified fact"):
        draft_reply(fact, "x", "en", discloses_own_health=False)
    with pytest.raises(ValueError, match="verified fact"):
        draft_reply(fact, "x", "en", discloses_own_health=True)


def test_real_kb_has_myths_and_facts() -> None:
    assert isinstance(KB, KnowledgeBase)
    assert len(MYTHS) > 50
    assert any(c.translations for c in MYTHS)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_myth_in_the_kb_drafts_a_reply_that_fits(platform: str, language: str) -> None:
    limit = PLATFORM_LIMITS[platform]
    for claim in MYTHS:
        draft = draft_reply(claim, platform, language, discloses_own_health=False)
        urls = [s.url for s in claim.sources]
        assert draft.variant == PUBLIC
        assert draft.limit == limit
        assert draft.counted_length == counted_length(draft.text, platform) <= limit, claim.id
        assert fits(draft.text, platform)
        assert 1 <= len(draft.links) <= len(urls)
        assert all(link in urls and link in draft.text for link in draft.links)
        assert re.findall(r"https?://\S+", draft.text) == draft.links  # no other link sneaks in
        lang, correction = claim.correction_in(language)
        assert draft.language == lang
        body = body_of(draft)
        kept = body.removesuffix("…")
        assert correction.startswith(kept), claim.id
        assert body == correction or body.endswith(("…", ".", "!", "?")), claim.id
        assert kept == correction or not correction[len(kept)].isalnum(), claim.id
        if limit >= 2200:  # the long-form platforms always carry the whole correction and every source
            assert correction in draft.text
            assert draft.links == list(dict.fromkeys(urls))
