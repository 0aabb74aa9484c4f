"""Rampart's names: joining its tagged pieces, the rules that keep public people, and the two thresholds (unit tier:
the tagger's reading is given, the model is not loaded; tests/integration/test_redaction_quality.py runs it)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from functions.shared import redaction
from functions.shared.name_tagger import TaggedNames, TaggedWord
from functions.shared.names import TAGGED_THRESHOLD, TAGGED_THRESHOLD_EXPOSING, following_surnames, tagged_names


def tagged(text: str, *names: tuple[str, float]) -> TaggedNames:
    """The reading a tagger would give: each listed word (first occurrence) with its confidence."""
    return TaggedNames(text, tuple(TaggedWord(text.index(w), text.index(w) + len(w), c) for w, c in names))


def test_pieces_join_into_whole_names_and_unsure_ones_are_left_out() -> None:
    text = "Nkechi Obi and I argued, then Bongani left"
    reading = TaggedNames(
        text,
        (
            TaggedWord(0, 3, 0.95),  # "Nke", a piece of a word: widened to "Nkechi"
            TaggedWord(3, 6, 0.93),
            TaggedWord(7, 10, 0.91),  # "Obi", after white space only: the same name
            TaggedWord(30, 37, 0.6),  # "Bongani", unsure
        ),
    )
    assert [text[s:e] for s, e in reading.spans(0.9)] == ["Nkechi Obi"]
    assert [text[s:e] for s, e in reading.spans(0.5)] == ["Nkechi Obi", "Bongani"]


def test_a_name_is_as_sure_as_its_surest_piece() -> None:
    """ "Obi" tagged at 0.72 belongs to "Nkechi" tagged at 0.95: the whole name is kept at 0.9; a piece below the
    floor is not part of any name."""
    text = "Nkechi Obi and I argued"
    reading = TaggedNames(text, (TaggedWord(0, 6, 0.95), TaggedWord(7, 10, 0.72), TaggedWord(11, 14, 0.4)))
    assert [text[s:e] for s, e in reading.spans(0.9)] == ["Nkechi Obi"]
    assert reading.spans(0.96) == []


def test_names_apart_stay_apart() -> None:
    text = "Lwazi, Thabo"
    reading = tagged(text, ("Lwazi", 0.99), ("Thabo", 0.99))
    assert [text[s:e] for s, e in reading.spans(0.9)] == ["Lwazi", "Thabo"]


@pytest.mark.parametrize(
    ("text", "name", "kept"),
    [
        ("Nkechi Obi and I argued about the jab", "Nkechi Obi", False),
        ("Anthony Fauci lied about the lab", "Anthony Fauci", True),  # listed public name
        ("Marcus Rashford said the school meals help", "Marcus Rashford", True),  # news wording after the name
        ("Senator Bongani Dube wants the ban", "Bongani Dube", True),  # a title of office before
        ("Sloan Kettering Hospital told us", "Sloan Kettering", True),  # an institution's start
        ("Sloan Kettering turned us away for the trial", "Sloan Kettering", True),  # a listed medical centre
        ("a Dana-Farber study found", "Dana-Farber", True),
        ("the Lincoln Memorial was packed", "Lincoln Memorial", True),  # a landmark's word after the name
        ("my mate Callum reckons ice baths work", "Callum", False),
        # an institution's word before the name or after it, a saint's name, an acronym
        ("gevonden bij het Catharina Ziekenhuis? Mijn zorgpas", "Catharina Ziekenhuis", True),
        ("el Hospital Luis Calvo Mackenna atiende sin previsión", "Luis Calvo Mackenna", True),
        ("admitted at St. Luke's BGC last March", "Luke's", True),
        ("RIVM meldt: 92% van de kinderen is gevaccineerd", "RIVM", True),
        ("WHO and MoH have proven it's safe", "MoH", True),
        ("follow @bongani for more", "bongani", True),  # a handle's words, and not capitalised
        ("Bongani's mum swears by it", "Bongani's", False),  # removed without the possessive
        # a place's whole name (place_names.txt); one that is also a given name only after "in", "near", …
        ("Back from two weeks in Nairobi and nobody wore a mask", "Nairobi", True),
        ("Hashimoto's is autoimmune, not a gluten thing", "Hashimoto's", True),
        ("the anti-5G clinic in Sydney sells the pendants", "Sydney", True),
        ("Sydney swears the pendant works", "Sydney", False),
        ("I sent the leaflet to Sydney yesterday", "Sydney", False),  # "to" may name a person
        ("the jab is poison — EF Paisley (@efp) June 3, 2021", "Paisley", False),  # a display name before its handle
        # a medicine's name (medicine_names.txt) that is no given name as well
        ("My insurance denied my Mounjaro AGAIN", "Mounjaro", True),
        ("Calpol every 4 hours. Nurofen can go in between", "Nurofen", True),
        ("Dona Neusa mora sozinha", "Dona", True),
        ("Allegra swears the pendant works", "Allegra", False),  # a brand, but a given name first
    ],
)
def test_tagged_names_pass_the_public_figure_rules(text: str, name: str, kept: bool) -> None:
    start = text.index(name)
    found = tagged_names(text, [(start, start + len(name))])
    if kept:
        assert found == []
    else:
        assert [text[s:e] for s, e in found] == [name.removesuffix("'s")]


def test_the_threshold_depends_on_whether_the_post_exposes_someone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name Rampart is unsure of is removed from a post that exposes someone's details, not from another."""
    readings = {
        "Bongani keeps sending me videos about garlic": tagged(
            "Bongani keeps sending me videos about garlic", ("Bongani", 0.7)
        ),
        "Bongani keeps sending me videos, ring 07700 900123": tagged(
            "Bongani keeps sending me videos, ring 07700 900123", ("Bongani", 0.7)
        ),
        "Dilnoza keeps sending me videos about garlic": tagged(
            "Dilnoza keeps sending me videos about garlic", ("Dilnoza", 0.95)
        ),
    }

    def fake_tag(texts: Sequence[str]) -> list[TaggedNames]:
        return [readings[t] for t in texts]

    monkeypatch.setattr(redaction, "tag_names", fake_tag)
    monkeypatch.setattr(redaction._Redactor, "needs_the_model", lambda _self: False)  # spaCy's part is not tested here
    assert TAGGED_THRESHOLD_EXPOSING < 0.7 < TAGGED_THRESHOLD < 0.95
    texts = list(readings)
    one_by_one = [redaction.redact(t, use_model=True).text for t in texts]
    assert one_by_one == [
        "Bongani keeps sending me videos about garlic",
        "[name] keeps sending me videos, ring [phone]",
        "[name] keeps sending me videos about garlic",
    ]
    assert [r.text for r in redaction.redact_many([(t, None) for t in texts], use_model=True)] == one_by_one
    assert redaction.redact(texts[2], use_model=False).text == texts[2]  # without the models, no tagger


def test_a_text_without_a_capital_letter_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []

    def fake_tag(texts: Sequence[str]) -> list[TaggedNames]:
        read.extend(texts)
        return [TaggedNames(t, ()) for t in texts]

    monkeypatch.setattr(redaction, "tag_names", fake_tag)
    monkeypatch.setattr(redaction._Redactor, "needs_the_model", lambda _self: False)
    redaction.redact_many([("garlic cures everything", None), ("Garlic cures everything", None)], use_model=True)
    assert read == ["Garlic cures everything"]


def test_a_one_word_name_grows_over_the_surname_after_it() -> None:
    text = "Lwazi Mthembu, Ayanda Khumalo and Lindiwe Dube completed the counselling course"
    assert following_surnames(text, text, [(0, 5)]) == [(0, 13)]
    # not after a name of two words, not over words that are never names or make an institution, not in a headline
    assert following_surnames(text, text, [(15, 29)]) == []
    assert following_surnames("ask Maria Hospital staff", "ask Maria Hospital staff", [(4, 9)]) == []
    headline = "Buzz Aldrin Warns It Is Evil Itself"
    assert following_surnames(headline, headline, [(0, 4)]) == []
