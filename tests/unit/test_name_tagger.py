"""The name tagger's pieces: tokens, labels, features, and a real CRFsuite model trained and used on a few posts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from functions.shared import name_tagger
from functions.shared.name_tagger import BEGIN, INSIDE, OUTSIDE, Example, features, labels, tagged_names, tokens, train


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in tokens(text)]


def test_tokens_keep_names_whole_and_split_off_possessives() -> None:
    assert words("my aunt Fatima Al-Hashimi's tea, Seamus O'Donoghue!") == [
        "my", "aunt", "Fatima", "Al-Hashimi", "'s", "tea", ",", "Seamus", "O'Donoghue", "!",
    ]  # fmt: skip
    assert words("call 0803 456 7812") == ["call", "0803", "456", "7812"]


def test_labels_mark_every_token_of_each_name() -> None:
    text = "ask Ana de la Cruz or Bisi"
    spans = tokens(text)
    names = [(text.index("Ana"), text.index(" or")), (text.index("Bisi"), len(text))]
    assert labels(spans, names) == [OUTSIDE, BEGIN, INSIDE, INSIDE, INSIDE, OUTSIDE, BEGIN]


def test_features_say_what_a_word_is_and_what_surrounds_it() -> None:
    text = "dinner with Maria said Fauci"
    rows = features(text, tokens(text))
    picked = {key: rows[2][key] for key in ("title", "given", "public", "-1:lower", "1:lower")}
    assert picked == {"title": True, "given": True, "public": False, "-1:lower": "with", "1:lower": "said"}
    assert (rows[4]["public"], rows[4]["given"]) == (True, False)
    assert (rows[0]["sentence_start"], rows[0]["-1:edge"]) == (True, True)
    assert (rows[1]["given"], rows[1]["title"]) == (False, False)


@pytest.fixture
def tiny_model(tmp_path: Path) -> Iterator[Path]:
    posts = [
        "had dinner with Olumide last night",
        "had dinner with Grace and Tomasz yesterday",
        "spoke to Ingrid at the shop",
        "spoke to Wanjiru about the tea",
        "had coffee with Deborah today",
        "the WHO said it again",
        "Fauci said masks work",
        "take 500 mg twice a day",
    ]
    examples: list[Example] = []
    for text in posts:
        names = [(s, e) for s, e in tokens(text) if text[s].isupper() and text[s:e] not in {"WHO", "Fauci"}]
        examples.append((text, None, None, names))
    model = tmp_path / "tiny.crfsuite"
    assert train(examples, model) == len(posts)
    name_tagger.use_model_file(model)
    yield model
    name_tagger.use_model_file(name_tagger.MODEL_FILE)


def test_a_trained_model_tags_names_in_a_new_post(tiny_model: Path) -> None:
    text = "had dinner with Chiamaka last week"
    assert [text[s:e] for s, e in tagged_names(text, None)] == ["Chiamaka"]
    assert tagged_names("take 200 mg twice a day", None) == []
    assert tagged_names("", None) == []


def test_training_is_deterministic(tmp_path: Path) -> None:
    again = tmp_path / "again.crfsuite"
    examples: list[Example] = [("spoke to Ingrid at the shop", None, None, [(9, 15)]), ("take 500 mg", None, None, [])]
    first = tmp_path / "first.crfsuite"
    train(examples, first)
    train(examples, again)
    assert first.read_bytes() == again.read_bytes()
