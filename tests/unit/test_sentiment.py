"""Sentiment per post: VADER for English, no score for other languages."""

from __future__ import annotations

from functions.match.sentiment import is_negative, sentiment


def test_english_posts_get_vader_scores_with_the_right_sign() -> None:
    angry = sentiment("These vaccines are poison, they are killing our kids and the liars know it", "en")
    glad = sentiment("So glad I got my flu shot, feeling great and my whole family is protected", "en")
    assert angry is not None
    assert angry < -0.5
    assert is_negative(angry)
    assert glad is not None
    assert glad > 0.5
    assert not is_negative(glad)


def test_other_or_unknown_languages_are_not_scored() -> None:
    assert sentiment("Las vacunas son veneno y matan a los niños", "es") is None
    assert sentiment("vaccines are poison", None) is None
    assert not is_negative(None)
