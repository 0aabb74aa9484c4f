"""Reply drafting: platform length rules, language choice, and that nothing from the post reaches the reply."""

from __future__ import annotations

import re
from typing import Any

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.respond.drafting import (
    INFORM_OPENERS,
    NO_REPLY,
    OPENERS,
    PLATFORM_LIMITS,
    PRIVACY_REPORT,
    PRIVATE_CHANNEL,
    PRIVATE_REPLIES,
    PUBLIC,
    Draft,
    counted_length,
    draft_for,
    draft_reply,
    fits,
)
from functions.shared.claims import Claim, KnowledgeBase, Translation
from functions.shared.errors import InvalidInput
from functions.shared.models import Action, ReplyPolicy, Stance
from functions.shared.settings import PROJECT_ROOT

KB = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
MYTHS = [c for c in KB.claims if c.is_myth]


def without(claim: Claim, language: str) -> Claim:
    """The claim before its translation into ``language`` was written (every claim has all nine today)."""
    return claim.model_copy(update={"translations": {k: v for k, v in claim.translations.items() if k != language}})


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
        draft_reply(MYTHS[0], "myspace", "en", private_reply=False)


# --- public drafts, hand-worked -----------------------------------------------------------------------------------

CORRECTION_200 = ("Rest and fluids help most people recover at home within a week or two. " * 3)[:199] + "."
URLS_40 = [url_of_length(40, "a"), url_of_length(40, "b"), url_of_length(40, "c")]


def test_hand_worked_draft_on_x_keeps_one_link() -> None:
    claim = make_claim(CORRECTION_200, URLS_40)
    assert len(CORRECTION_200) == 200
    draft = draft_reply(claim, "x", "en", private_reply=False)
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
    draft = draft_reply(make_claim(CORRECTION_200, URLS_40), "mastodon", None, private_reply=False)
    assert draft.links == URLS_40
    assert draft.text.endswith("Sources: " + " ".join(URLS_40))
    assert draft.counted_length == 24 + 1 + 200 + 2 + 9 + 23 * 3 + 2 == 307


def test_hand_worked_draft_on_bluesky_counts_full_links() -> None:
    draft = draft_reply(make_claim(CORRECTION_200, URLS_40), "bluesky", None, private_reply=False)
    # one link: 24 + 1 + 200 + 2 + 8 + 40 = 275; two links: 24 + 1 + 200 + 2 + 9 + 40 + 1 + 40 = 317 > 300
    assert draft.links == URLS_40[:1]
    assert draft.counted_length == 275
    assert draft.limit == 300


def body_of(draft: Draft) -> str:
    """The correction part of a public draft: between the opener and the sources."""
    body = draft.text.split("\n\n")[0]
    for opener in OPENERS.values():
        body = body.removeprefix(f"{opener} ")
    return body


LONG_URL = url_of_length(150)


def test_too_long_correction_keeps_whole_sentences_and_the_source() -> None:
    first = "Measles spreads fast, and two doses of the vaccine protect almost everyone for life."
    correction = f"{first} Outbreaks start where fewer children are vaccinated, so every dose counts for the community."
    draft = draft_reply(make_claim(correction, [LONG_URL]), "bluesky", "en", private_reply=False)
    # 24 + 1 + 84 + 2 + 8 + 150 = 269; the whole correction (188) would need 373.
    assert len(first) == 84
    assert draft.text == f"Thanks for raising this. {first}\n\nSource: {LONG_URL}"
    assert draft.counted_length == 269
    assert draft.links == [LONG_URL]


def test_correction_is_cut_at_a_word_boundary_when_no_sentence_fits() -> None:
    correction = ("Measles spreads fast and two doses of the vaccine protect almost everyone for life " * 3)[:239] + "."
    draft = draft_reply(make_claim(correction, [LONG_URL]), "bluesky", "en", private_reply=False)
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
    draft = draft_reply(make_claim(correction, [LONG_URL, shorter_url]), "bluesky", "en", private_reply=False)
    assert draft.links == [shorter_url]
    # Two whole sentences (24 + 1 + 99 + 2 + 8 + 120 = 254) fit; three (305) do not.
    assert body_of(draft) == " ".join(["Two doses of the vaccine protect almost everyone."] * 2)
    assert draft.counted_length == 254


def test_full_correction_with_a_later_source_beats_a_shortened_one() -> None:
    short_url = url_of_length(40)
    draft = draft_reply(make_claim(CORRECTION_200, [LONG_URL, short_url]), "bluesky", "en", private_reply=False)
    assert draft.links == [short_url]
    assert CORRECTION_200 in draft.text
    assert draft.counted_length == 275


def test_duplicate_source_urls_are_linked_once() -> None:
    url = url_of_length(40)
    draft = draft_reply(make_claim("Short correction.", [url, url]), "facebook", "en", private_reply=False)
    assert draft.links == [url]
    assert draft.text.count(url) == 1


# --- language -------------------------------------------------------------------------------------------------------


def test_spanish_correction_for_spanish_post_and_translation_needed_for_french() -> None:
    claim = KB.by_id["antibiotics-treat-colds-and-flu"]
    spanish = draft_reply(claim, "facebook", "es", private_reply=False)
    assert spanish.language == "es"
    assert not spanish.needs_translation
    assert spanish.text.startswith("Gracias por plantear esto. " + claim.translations["es"].correction)
    assert "Fuentes: " in spanish.text
    # No French translation: no English text is presented as the reply; it is a labelled reference to translate.
    french = draft_reply(without(claim, "fr"), "facebook", "fr", private_reply=False)
    assert french.needs_translation
    assert (french.text, french.language, french.links, french.counted_length) == ("", "fr", [], 0)
    assert french.reference_language == "en"
    assert french.reference is not None
    assert french.reference.startswith("Thanks for raising this. " + claim.correction)
    assert claim.translations["es"].correction not in french.reference
    # Nor in a language the knowledge base is not translated into
    italian = draft_reply(claim, "facebook", "it", private_reply=False)
    assert (italian.needs_translation, italian.text, italian.language) == (True, "", "it")
    unknown = draft_reply(claim, "facebook", None, private_reply=False)  # no language detected: the claim's own
    assert not unknown.needs_translation
    assert unknown.language == "en"
    assert unknown.text == french.reference


def test_spanish_post_on_a_claim_without_spanish_needs_translation() -> None:
    draft = draft_reply(without(MYTHS[0], "es"), "x", "es", private_reply=False)
    assert draft.needs_translation
    assert draft.text == ""
    assert draft.language == "es"
    assert draft.reference is not None
    assert draft.reference.startswith("Thanks for raising this.")
    assert counted_length(draft.reference, "x") <= 280  # the reference is fitted to the platform like a draft


def test_english_post_never_needs_translation() -> None:
    for claim in KB.claims:
        for action in (Action.CORRECT, Action.INFORM):
            draft = draft_reply(claim, "x", "en", private_reply=False, action=action)
            assert not draft.needs_translation
            assert draft.text
            assert draft.reference is None


# --- inform: an answer, not a correction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "opener"), [("en", "Good question!"), ("es", "¡Buena pregunta!"), ("fr", "Bonne question !")]
)
def test_inform_opens_as_an_answer_in_the_posts_language(language: str, opener: str) -> None:
    claim = KB.by_id["antibiotics-treat-colds-and-flu"]
    if language == "fr":  # no curated French: the French opener is only used once a claim has French
        claim = claim.model_copy(
            update={"translations": {**claim.translations, "fr": claim.translations["es"].model_copy(
                update={"correction": "Non. Les antibiotiques ne soignent pas les virus."})}}
        )  # fmt: skip
    draft = draft_reply(claim, "facebook", language, private_reply=False, action=Action.INFORM)
    _, correction = claim.correction_in(language)
    assert draft.language == language
    assert draft.text.startswith(f"{opener} {correction}")
    assert INFORM_OPENERS[language] == opener
    assert OPENERS[language] not in draft.text  # not the correction's opener
    assert not draft.needs_translation


def test_inform_never_says_the_asker_is_wrong() -> None:
    for claim in KB.claims:
        draft = draft_reply(claim, "facebook", "en", private_reply=False, action=Action.INFORM)
        assert draft.text.startswith("Good question! ")
        assert not re.search(r"\byou(?:'re| are) wrong\b", draft.text, re.IGNORECASE)


def test_inform_on_a_french_post_without_french_needs_translation() -> None:
    draft = draft_reply(without(MYTHS[0], "fr"), "x", "fr", private_reply=False, action=Action.INFORM)
    assert draft.needs_translation
    assert draft.text == ""
    assert draft.reference is not None
    assert draft.reference.startswith("Good question! ")


# --- nothing from the post -----------------------------------------------------------------------------------------


def test_draft_shares_no_five_words_with_a_post_repeating_the_claim() -> None:
    claim = KB.by_id["antibiotics-treat-colds-and-flu"]
    for language, statement in (("en", claim.statement), ("es", claim.translations["es"].statement)):
        post = f"@maria_lopez84 {statement} My husband Juan had it last week, call me on 07700 900123 #salud"
        post_grams = five_grams(post)
        assert len(post_grams) > 10
        for platform in PLATFORMS:
            draft = draft_reply(claim, platform, language, private_reply=False)
            assert not post_grams & five_grams(draft.text), (language, platform)
            assert "maria" not in draft.text.lower()
            assert "07700" not in draft.text


def correction_texts(claim: Claim) -> str:
    """What a draft may legitimately share with a post: the curated corrections and the source links (a URL such as
    nhs.uk/conditions/sudden-infant-death-syndrome-sids/ names the myth's subject too)."""
    links = [s.url for s in claim.sources] + [s.url for t in claim.translations.values() for s in t.sources]
    return " ".join([claim.correction, *(t.correction for t in claim.translations.values()), *links])


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
            draft = draft_reply(claim, platform, language, private_reply=False)
            shared = five_grams(post) & five_grams(draft.text)
            assert shared <= five_grams(correction_texts(claim)), (claim.id, language, shared)
            assert not re.search(r"\bjane\b|jane_doe", draft.text.lower())  # Portuguese "janela" is a window
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
            draft = draft_reply(claim, platform, language, private_reply=True)
            assert draft.variant == PRIVATE_CHANNEL
            assert draft.links == []
            assert "http" not in draft.text
            assert draft.language == (language or "en")
            assert draft.text == PRIVATE_REPLIES[draft.language]
            words = set(re.findall(r"\w+", draft.text.lower()))
            assert not words & CONDITION_WORDS
            assert not words & set(claim.topic.split("-"))
            assert not five_grams(correction_texts(claim)) & five_grams(draft.text)
            assert draft.counted_length <= draft.limit


def test_private_replies_invite_a_direct_message() -> None:
    assert "direct message" in PRIVATE_REPLIES["en"]
    assert "mensaje directo" in PRIVATE_REPLIES["es"]
    assert "message privé" in PRIVATE_REPLIES["fr"]


def test_private_reply_in_a_language_without_one_needs_translation() -> None:
    draft = draft_reply(MYTHS[0], "x", "it", private_reply=True)
    assert draft.variant == PRIVATE_CHANNEL
    assert draft.needs_translation
    assert draft.text == ""
    assert draft.reference == PRIVATE_REPLIES["en"]


# --- facts and the whole knowledge base ------------------------------------------------------------------------------


def test_a_fact_denied_is_answered_with_the_fact_itself() -> None:
    fact = next(c for c in KB.claims if not c.is_myth)
    draft = draft_reply(fact, "facebook", "en", private_reply=False)
    assert draft.text.startswith(f"Thanks for raising this. {fact.statement}")
    assert fact.correction not in draft.text  # "Yes. …" answers a question, not a denial
    asked = draft_reply(fact, "facebook", "en", private_reply=False, action=Action.INFORM)
    assert asked.text.startswith(f"Good question! {fact.correction}")
    assert draft_reply(without(fact, "es"), "facebook", "es", private_reply=False).needs_translation
    translated = fact.model_copy(
        update={"translations": {"es": Translation(statement="Es un hecho.", correction="Sí. Es un hecho.")}}
    )
    spanish = draft_reply(translated, "facebook", "es", private_reply=False)
    assert spanish.text.startswith("Gracias por plantear esto. Es un hecho.\n\n")


def test_nothing_is_drafted_for_none() -> None:
    fact = next(c for c in KB.claims if not c.is_myth)
    with pytest.raises(ValueError, match="no reply to draft"):
        draft_reply(fact, "x", "en", private_reply=False, action=Action.NONE)
    assert draft_reply(fact, "x", "en", private_reply=True, action=Action.NONE).variant == PRIVATE_CHANNEL


def policy(action: Action, **flags: Any) -> ReplyPolicy:
    return ReplyPolicy(stance=Stance.SUPPORTS, action=action, reason="test", **flags)


def test_draft_for_follows_the_policy() -> None:
    myth = KB.by_id["antibiotics-treat-colds-and-flu"]
    assert draft_for(myth, "x", "en", policy(Action.CORRECT), {}).variant == PUBLIC
    monitored = draft_for(myth, "x", "en", policy(Action.MONITOR), {})
    assert monitored.text == draft_reply(myth, "x", "en", private_reply=False).text  # ready should the post grow
    private = draft_for(myth, "x", "en", policy(Action.CORRECT, private_reply=True, privacy_report=True), {"phone": 1})
    assert private.variant == PRIVATE_CHANNEL  # a private reply is not public: it stays beside the report
    nothing = draft_for(myth, "x", "en", policy(Action.NONE, amplify=True), {})
    assert (nothing.variant, nothing.text, nothing.links) == (NO_REPLY, "", [])


def test_privacy_report_names_kinds_of_data_never_the_data() -> None:
    myth = KB.by_id["antibiotics-treat-colds-and-flu"]
    report = draft_for(
        myth, "x", "fr", policy(Action.NONE, privacy_report=True), {"phone": 1, "address": 2, "handle": 3}
    )
    assert report.variant == PRIVACY_REPORT
    assert report.text.startswith("Privacy report to X: ")
    assert "a street address and a phone number" in report.text
    assert "handle" not in report.text  # other people's handles are ordinary in replies
    assert not report.needs_translation  # a report goes to the platform's team, in English
    assert report.counted_length <= report.limit
    assert myth.correction not in report.text


def test_real_kb_has_myths_and_facts() -> None:
    assert isinstance(KB, KnowledgeBase)
    assert len(MYTHS) > 50
    assert any(c.translations for c in MYTHS)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("language", ["en", "bg", "de", "es", "fr", "pt"])
def test_every_myth_in_the_kb_drafts_a_reply_that_fits(platform: str, language: str) -> None:
    limit = PLATFORM_LIMITS[platform]
    for claim in MYTHS:
        draft = draft_reply(claim, platform, language, private_reply=False)
        urls = [s.url for s in claim.sources_in(language)]  # a translation's own sources come first
        assert draft.variant == PUBLIC
        assert draft.limit == limit
        assert draft.needs_translation == (language != "en" and language not in claim.translations)
        lang, correction = claim.correction_in(language)
        if draft.needs_translation:  # judged on the reference: the text the educator translates
            assert (draft.text, draft.language, draft.links, draft.reference_language) == ("", language, [], lang)
            assert draft.reference is not None
            draft = Draft(draft.reference, lang, PUBLIC, re.findall(r"https?://\S+", draft.reference), 0, limit)
        assert counted_length(draft.text, platform) <= limit, claim.id
        assert fits(draft.text, platform)
        assert 1 <= len(draft.links) <= len(urls)
        assert all(link in urls and link in draft.text for link in draft.links)
        assert re.findall(r"https?://\S+", draft.text) == draft.links  # no other link sneaks in
        assert draft.language == lang
        body = body_of(draft)
        kept = body.removesuffix("…")
        assert correction.startswith(kept), claim.id
        assert body == correction or body.endswith(("…", ".", "!", "?")), claim.id
        assert kept == correction or not correction[len(kept)].isalnum(), claim.id
        if limit >= 2200:  # the long-form platforms always carry the whole correction and every source
            assert correction in draft.text
            assert draft.links == list(dict.fromkeys(urls))
