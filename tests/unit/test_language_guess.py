"""The claim check's language for texts sent without one (CLD2), and None whenever it is not sure."""

from __future__ import annotations

import pytest

from functions.shared.language_guess import guess_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("독감 백신을 맞으면 독감에 걸린다는 말은 사실이 아닙니다", "ko"),
        ("流感疫苗不会让你得流感，里面没有活病毒", "zh"),
        ("インフルエンザの予防接種でインフルエンザになる", "ja"),
        ("لقاح الإنفلونزا لا يمكن أن يسبب الإنفلونزا", "ar"),
        ("واکسن آنفولانزا باعث آنفولانزا نمی‌شود چون ویروس زنده ندارد", "fa"),
        ("Вакцины вызывают аутизм, это точно, мы все знаем", "ru"),
        ("Ваксините причиняват аутизъм, това е ясно на всички", "bg"),
        ("Вакцини викликають аутизм, і це всі знають", "uk"),
        ("La vacuna triple vírica causa autismo y lo sabe todo el mundo", "es"),
        ("Le vaccin ROR cause l'autisme, tout le monde le sait mais personne ne dit rien", "fr"),
        ("Die Impfung macht krank und das wird nicht gesagt, aber ich weiß es", "de"),
        ("A vacina da gripe não causa gripe, isso é mentira que circula no WhatsApp", "pt"),
        ("The MMR jab causes autism and they know it, look at the numbers", "en"),
    ],
)
def test_the_language_of_a_sentence_is_told(text: str, language: str) -> None:
    assert guess_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "",
        "lol",
        "😂😂😂 !!!",
        "Ozempic Mounjaro Wegovy",  # names only
        "taxi hotel",
        "abc \udcff lone surrogate",  # text CLD2 cannot encode
        "https://example.org/la-vacuna-causa-autismo @someone #vaccines",  # links and handles are not words
    ],
)
def test_without_enough_words_it_says_none(text: str) -> None:
    assert guess_language(text) is None
