from __future__ import annotations

import pytest

from functions.match.engine.normalise import normalise_post, split_tag


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Read this https://example.com/a?b=1 now", "Read this now"),
        ("see www.example.org/page and bit.ly/abc", "see and"),
        ("photo pic.twitter.com/OPdkueC45h", "photo"),
        (
            "Masks don't work pic.twitter.com/x — Jane Doe (@janedoe) January 28, 2021",
            "Masks don't work",
        ),
        ("Great thread — Dr Who (@drwho) Mar 3, 2020", "Great thread"),
        ("#VaccinesCauseAutism wake up", "Vaccines Cause Autism wake up"),
        ("#vaccinescauseautism", "vaccines cause autism"),
        ("#COVID_19 is over", "COVID 19 is over"),
        ("ask @JoeBiden about it", "ask Joe Biden about it"),
        ("love it 😍🔥 so much", "love it so much"),
        ("AT&amp;T &lt;b&gt;", "AT&T <b>"),
        ("  lots   of\n\nspace  ", "lots of space"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise_post(raw).text == expected


def test_url_only_and_word_count() -> None:
    post = normalise_post("https://t.co/abc 👀")
    assert post.text == ""
    assert post.word_count == 0
    assert post.url_only
    short = normalise_post("look https://t.co/abc")
    assert short.url_only
    assert short.word_count == 1
    full = normalise_post("vaccines cause autism, read https://t.co/abc")
    assert not full.url_only
    assert full.word_count == 4


def test_email_at_sign_is_not_a_handle() -> None:
    assert normalise_post("mail me at jo@example.com").text == "mail me at jo@example.com"


def test_split_tag_keeps_short_and_non_ascii_tags() -> None:
    assert split_tag("flu") == "flu"
    assert split_tag("vacunas") == "vacunas"
    assert split_tag("sarampión") == "sarampión"
    assert split_tag("getthejab") == "get the jab"
    assert split_tag("bigpharma") == "bigpharma"  # a bad split ("big p harm a") is not used


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("疫苗里有微芯片，打了就被追踪", 7),  # 13 characters in two phrases: a whole sentence, not two words
        ("新冠疫苗会改变DNA", 5),  # eight characters and a Latin word
        ("好", 1),
        ("ワクチンは危険です", 5),  # Japanese kana count like Chinese characters
        ("백신 맞으면 DNA가 바뀐다", 4),  # Korean is written with spaces: counted as spaced words
        ("vaccines cause autism", 3),
    ],
)
def test_words_of_unspaced_scripts_are_counted_by_characters(raw: str, words: int) -> None:
    """The short-post rules (no ``match`` under four words) once held back every Chinese post."""
    assert normalise_post(raw).word_count == words
