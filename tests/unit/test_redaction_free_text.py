"""Names in free text, cards, national ids, toll-free lines and addresses with their towns (no model: unit tier)."""

from __future__ import annotations

import pytest

from functions.shared.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the outside check's four leaks (issue 15)
        ("my neighbour Margaret Ellison swears by ivermectin", "my neighbour [name] swears by ivermectin"),
        ("Dr. Rajesh Kumaran at St Mary's is pushing it", "Dr. [name] at St Mary's is pushing it"),
        ("my son Oliver Pemberton had his MMR", "my son [name] had his MMR"),
        ("Come by 301 W 4th St, Austin, TX 78701 for milk", "Come by [address] for milk"),
        # relations, roles, titles and introductions in the service's languages
        ("my neighbour Jane Smith says garlic works", "my neighbour [name] says garlic works"),
        ("the hospice nurse Ingrid told us", "the hospice nurse [name] told us"),
        ("ask for Jess, she does the drips", "ask for [name], she does the drips"),
        ("Mi vecino Paco dice que no", "Mi vecino [name] dice que no"),
        ("ma voisine Sylvie Marchand dit que", "ma voisine [name] dit que"),
        ("meine Nachbarin Ingrid Hoffmann sagt", "meine Nachbarin [name] sagt"),
        ("minha vizinha Dona Cida disse", "minha vizinha Dona [name] disse"),
        ("Je m'appelle Hélène Duval et", "Je m'appelle [name] et"),
        ("Sou Marta Sousa e quero", "Sou [name] e quero"),
        ("Frau Dr. Sabine Krüger aus der Praxis", "Frau Dr. [name] aus der Praxis"),
        # payment cards (Luhn), national ids by label or by shape
        ("pay with card 4111 1111 1111 1111 now", "pay with card [record number] now"),
        ("CPF 279.401.995-36 pedido", "CPF [record number] pedido"),
        ("NI number QQ 12 34 56 C on it", "NI number [record number] on it"),
        ("Aadhaar 2468 1357 9024 leaked", "Aadhaar [record number] leaked"),
        ("CF RSSMRA85T10A562S (public!)", "CF [record number] (public!)"),
        ("mon numéro de sécu c'est 1 85 03 75 116 238 81 et", "mon numéro de sécu c'est [record number] et"),
        # addresses in other national shapes, one placeholder each
        ("Rue de Rivoli 12, 75001 Paris, demandez", "[address], demandez"),
        ("Via Roma 45, 20121 Milano.", "[address]."),
        ("PO Box 4471, Tulsa, OK 74159 thanks", "[address] thanks"),
        ("at 88 Queen St W, Toronto ON M5H 2N2, call", "at [address], call"),
        ("Berliner Str. 44a, 79098 Freiburg, Tel. 0761 1234567", "[address], Tel. [phone]"),
        # phones in national formats libphonenumber knows
        ("her whatsapp +234 812 555 0176 ok", "her whatsapp [phone] ok"),
        ("her number 06-6123-4567, go ask", "her number [phone], go ask"),
    ],
)
def test_removes(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_spans_point_into_the_original_text() -> None:
    text = "email jo@example.com or ring my sister Rosie on 07700 900776 (see https://x.com/a/1)"
    result = redact(text)
    assert [(text[s.start : s.end], s.kind) for s in result.spans] == [
        ("jo@example.com", "email"),
        ("Rosie", "name"),
        ("07700 900776", "phone"),
    ]
    assert result.removed == {"email": 1, "name": 1, "phone": 1}
