"""The redaction evaluation: a fixed held-back part, and how items, look-alikes and ordinary words are scored."""

from __future__ import annotations

from pathlib import Path

from functions.ingest.redaction_eval import LabelledPost, evaluate, load_posts
from functions.shared.redaction import Redaction, Span

DATA = Path(__file__).resolve().parents[1] / "data" / "pii" / "posts.jsonl"


def test_the_held_back_part_is_a_fixed_third_chosen_by_id() -> None:
    posts = load_posts(DATA)
    hashed = [p for p in posts if p.fixed_split is None]
    held = [p for p in hashed if p.split == "heldback"]
    assert len(posts) >= 400
    assert 0.28 < len(held) / len(hashed) < 0.38
    # Posts written later to tune on are development posts whatever their id; they never join the held-back part.
    added = [p for p in posts if p.fixed_split is not None]
    assert added
    assert all(p.split == "development" for p in added)
    assert len(held) == 149
    # The split depends on the id alone: the same post is held back whatever else the file holds.
    assert LabelledPost("pii-001", "", None, (), ()).split == next(p.split for p in posts if p.id == "pii-001")
    assert {p.split for p in posts if p.id in {"pii-003", "pii-007", "pii-011"}} <= {"development", "heldback"}


def _post(text: str, pii: tuple[tuple[str, str], ...], keep: tuple[str, ...] = ()) -> LabelledPost:
    return LabelledPost("t-1", text, None, pii, keep)


def test_an_item_counts_as_removed_only_when_every_letter_of_every_occurrence_was() -> None:
    text = "ring Grace on 555 0100, Grace will answer"
    post = _post(text, (("person_name", "Grace"), ("phone", "555 0100")))
    first_grace_only = Redaction("", {}, (Span(5, 10, "name"), Span(14, 22, "phone")))
    report = evaluate([post], lambda t, a: first_grace_only)
    assert report.recall("person_name") == (0.0, 1)
    assert report.recall("phone") == (1.0, 1)
    partly = Redaction("", {}, (Span(5, 10, "name"), Span(24, 29, "name"), Span(14, 19, "phone")))
    report = evaluate([post], lambda t, a: partly)
    assert report.recall("person_name") == (1.0, 1)
    assert report.recall("phone") == (0.0, 1)


def test_look_alikes_and_ordinary_words_removed_are_false_removals() -> None:
    text = "SPF 50 daily, ask Jo"
    post = _post(text, (("person_name", "Jo"),), ("SPF 50",))
    too_much = Redaction("", {}, (Span(4, 6, "phone"), Span(7, 12, "name"), Span(18, 20, "name")))
    report = evaluate([post], lambda t, a: too_much)
    assert report.lookalike_removal_rate == 1.0
    assert [o.value for o in report.ordinary_removed] == ["daily"]
    assert report.ordinary_words == 2  # "daily", "ask"
    assert report.precision() == (1 / 3, 3)
