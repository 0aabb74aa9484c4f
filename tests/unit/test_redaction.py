from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from functions.shared import redaction
from functions.shared.redaction import PLACEHOLDERS, Redaction, redact, redact_many

DEMO_POSTS = Path(__file__).resolve().parents[2] / "functions" / "local" / "demo_posts.jsonl"


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        # emails
        ("email me at jackie.herbs@example.com 💌", "email me at [email] 💌", "email"),
        ("Escríbeme a remedios.naturales@example.com ya", "Escríbeme a [email] ya", "email"),
        ("contact: First.Last+tag@mail.example.co.uk.", "contact: [email].", "email"),
        ("(sarah_k-2@sub.example.org)", "([email])", "email"),
        # phones: UK
        ("ring me on 07700 900461, he's shy", "ring me on [phone], he's shy", "phone"),
        ("call 01632 960215 after 6pm", "call [phone] after 6pm", "phone"),
        ("ring the surgery on 0117 496 0123 and ask", "ring the surgery on [phone] and ask", "phone"),
        ("WhatsApp +44 7700 900318.", "WhatsApp [phone].", "phone"),
        ("+44 (0)117 496 0123 is the number", "[phone] is the number", "phone"),
        ("london office 020 7946 0958", "london office [phone]", "phone"),
        ("text 07700900461 now", "text [phone] now", "phone"),
        # phones: US
        ("call Deb on (317) 555-0186 🥧", "call [name] on [phone] 🥧", "phone"),
        ("Callback 614-555-0139.", "Callback [phone].", "phone"),
        ("his number is (555) 010-1234, call him", "his number is [phone], call him", "phone"),
        ("dial 555-0123 tonight", "dial [phone] tonight", "phone"),
        ("dial +1 415 555 0172 tonight", "dial [phone] tonight", "phone"),
        ("dial 1-415-555-0199 tonight", "dial [phone] tonight", "phone"),
        ("or 415.555.0172", "or [phone]", "phone"),
        # phones: international and Spanish / French / Brazilian / German
        ("o al +52 55 5555 0199 y te paso", "o al [phone] y te paso", "phone"),
        ("llámame al 612 345 678 porfa", "llámame al [phone] porfa", "phone"),
        ("mi móvil 612 34 56 78", "mi móvil [phone]", "phone"),
        ("escríbeme por wasap 612345678", "escríbeme por wasap [phone]", "phone"),
        ("Tel: +34 912 345 678", "Tel: [phone]", "phone"),
        ("appelez le 06 12 34 56 78", "appelez le [phone]", "phone"),
        ("me liga (21) 99999-9999", "me liga [phone]", "phone"),
        ("ruf an: 030/12345678", "ruf an: [phone]", "phone"),
        ("call me 44 1234 5678 9", "call me [phone]", "phone"),
        # street addresses and postcodes
        (
            "22 Acacia Road, Walsall WS3 1DP. Want to",
            "[address]. Want to",
            "address",
        ),
        ("we're at 7 Mill Row, Bristol BS3 4XY if anyone", "we're at [address] if anyone", "address"),
        ("lives at 41 Harrow Lane, Leeds LS6 2QR. go", "lives at [address]. go", "address"),
        ("Flat 3, 22 Acacia Rd is mine", "[address] is mine", "address"),
        ("at 220 Clinton Ave apt 5, Brooklyn NY 11205 now", "at [address] now", "address"),
        ("his flat: 3/2 45 Byres Road, Glasgow G11 5RG", "his flat: [address]", "address"),
        ("envíos: Av. Corrientes 1234, piso 3, C1043 Buenos Aires", "envíos: [address]", "address"),
        ("Rua das Flores 88, apto 12, 01234-000 São Paulo - SP", "[address]", "address"),
        ("at 221B Cranbrook Street tonight", "at [address] tonight", "address"),
        ("1401 Pennsylvania Ave NW, Washington, DC 20004", "[address]", "address"),
        ("mail it to 123 Main St, Springfield, IL 62704 thanks", "mail it to [address] thanks", "address"),
        ("5 Elm Drive", "[address]", "address"),
        ("at 14 Cowley St. today", "at [address] today", "address"),
        ("post to SW1A 1AA please", "post to [address] please", "address"),
        ("in Austin, TX 78701 now", "in [address] now", "address"),
        ("vivo en la Calle Mayor 12, 3ºB, 28013 Madrid, ven", "vivo en la [address], ven", "address"),
        ("en C/ de Alcalá, 45 hay", "en [address] hay", "address"),
        ("Av. Insurgentes Sur 1234, Col. Roma sin número", "[address] sin número", "address"),
        ("Moro en Rua das Flores, 123", "Moro en [address]", "address"),
        ("chez moi au 12 rue de la Paix à Paris", "chez moi au [address] à Paris", "address"),
        ("Ich wohne in der Hauptstraße 5, 10115 Berlin", "Ich wohne in der [address]", "address"),
        ("123 Calle Sol Boulevard", "[address]", "address"),
        # record numbers
        ("Patient MRN 00441782, seen", "Patient MRN [record number], seen", "record_number"),
        ("NHS number 999 842 1053, 22", "NHS number [record number], 22", "record_number"),
        ("my nhs no: 9998421053", "my nhs no: [record number]", "record_number"),
        ("it's 943 476 5919 on the letter", "it's [record number] on the letter", "record_number"),
        ("it's 9434765919 on the letter", "it's [record number] on the letter", "record_number"),
        # ten digits that fail the NHS check are still removed, as a phone number
        ("it's 999 842 1053 on the letter", "it's [phone] on the letter", "phone"),
        ("or 4155550173 x", "or [phone] x", "phone"),
        ("patient ID is A-1234567", "patient ID is [record number]", "record_number"),
        ("record no. 55-123-9", "record no. [record number]", "record_number"),
        ("hospital number: RX12345", "hospital number: [record number]", "record_number"),
        ("SSN 123-45-6789", "SSN [record number]", "record_number"),
        (
            "mi número de historia clínica es 4455667",
            "mi número de historia clínica es [record number]",
            "record_number",
        ),
        ("DNI 12345678Z y ya", "DNI [record number] y ya", "record_number"),
        ("my dni is 12345678-Z", "my dni is [record number]", "record_number"),
        ("tarjeta sanitaria: BBBB 1234 5678 9012", "tarjeta sanitaria: [record number]", "record_number"),
        # dates of birth, only when introduced as such
        ("DOB 04/05/1987 thanks", "DOB [date of birth] thanks", "date_of_birth"),
        ("DOB 1979-06-02, dx", "DOB [date of birth], dx", "date_of_birth"),
        ("d.o.b. 4.5.87", "d.o.b. [date of birth]", "date_of_birth"),
        ("date of birth: 3rd March 1990", "date of birth: [date of birth]", "date_of_birth"),
        ("I was born on 3 March 1990 in Leeds", "I was born on [date of birth] in Leeds", "date_of_birth"),
        ("someone born 9 December 1953!", "someone born [date of birth]!", "date_of_birth"),
        ("born on March 3rd, 1990", "born on [date of birth]", "date_of_birth"),
        ("born in March 1990", "born in [date of birth]", "date_of_birth"),
        ("my birthday is 12 June", "my birthday is [date of birth]", "date_of_birth"),
        ("wrote down his birthday 7/22/1941", "wrote down his birthday [date of birth]", "date_of_birth"),
        ("DOB: 1987", "DOB: [date of birth]", "date_of_birth"),
        ("fecha de nacimiento: 14/03/1987", "fecha de nacimiento: [date of birth]", "date_of_birth"),
        ("nací el 3 de marzo de 1990 en Sevilla", "nací el [date of birth] en Sevilla", "date_of_birth"),
        ("nacida el 1 de enero del 2001", "nacida el [date of birth]", "date_of_birth"),
        ("née le 3 mars 1990", "née le [date of birth]", "date_of_birth"),
        ("geboren am 3. März 1990", "geboren am [date of birth]", "date_of_birth"),
        # labelled names
        ("Name: Jennifer Ashcroft, DOB", "Name: [name], DOB", "name"),
        ("Patient: Maria L. Ortega, MRN", "Patient: [name], MRN", "name"),
        ("Nombre: José de la Cruz Pérez.", "Nombre: [name].", "name"),
        # other people's handles
        ("ask @tara.m.jennings if you", "ask [@user] if you", "handle"),
        ("Ask @kristen.h.rn, she's a nurse", "Ask [@user], she's a nurse", "handle"),
        ("@dr_kelvin_h@med.example.social lives", "[@user] lives", "handle"),
        ("thanks @bp-nurse-kay.bsky.social!", "thanks [@user]!", "handle"),
        ("my ex @tyler_mcb_88 keeps", "my ex [@user] keeps", "handle"),
        ("@CDCgov care to explain?", "[@user] care to explain?", "handle"),
        ("(cc @someone)", "(cc [@user])", "handle"),
    ],
)
def test_redacts_each_kind(text: str, expected: str, kind: str) -> None:
    result = redact(text)
    assert result.text == expected
    assert result.removed.get(kind, 0) >= 1, result.removed


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        # a card's layout, whatever its check digit: a mistyped card number still gives away fifteen digits
        (
            "card 4111 1111 1111 1112 fails its check digit",
            "card [record number] fails its check digit",
            "record_number",
        ),
        ("my AmEx 3782 914503 27106 was", "my AmEx [record number] was", "record_number"),
        ("her Visa 4716-2290-3318-0452 and", "her Visa [record number] and", "record_number"),
        ("numer karty 4562813022910047 😡", "numer karty [record number] 😡", "record_number"),
        # a US Medicare number (MBI) and a Swedish personnummer with its century
        ("wrote down 3HK7-RN2-WC48 and", "wrote down [record number] and", "record_number"),
        ("19880512-3376 stod på lappen", "[record number] stod på lappen", "record_number"),
        # labels the number may stand a few words from, and labels of cards and files
        (
            "Cartão do SUS da minha mãe: 700 5028 4417 3960.",
            "Cartão do SUS da minha mãe: [record number].",
            "record_number",
        ),
        ("número de utente do SNS é 197 483 620 e", "número de utente do SNS é [record number] e", "record_number"),
        ("Carte RAMQ BOUL 8407 1523 dans son sac", "Carte RAMQ [record number] dans son sac", "record_number"),
        ("Claim # CLM-22-0481193, UnitedHealthcare", "Claim # [record number], UnitedHealthcare", "record_number"),
        ("file number SK-4471902 and then", "file number [record number] and then", "record_number"),
        ("account no. 400-2819374. Anh", "account no. [record number]. Anh", "record_number"),
        ("referral ref SVH-22-8841. Called", "referral ref [record number]. Called", "record_number"),
        ("Ordonnance n° 2024-MRS-88123, la", "Ordonnance n° [record number], la", "record_number"),
        ("card number 1EG4-TE5-MK73 AND her", "card number [record number] AND her", "record_number"),
        # an address spelt out
        ("Email her: priya dot raman at protonmail dot com 🙏", "Email her: [email] 🙏", "email"),
        ("write to jo.bloggs [at] gmail [dot] com", "write to [email]", "email"),
    ],
)
def test_redacts_numbers_and_addresses_written_as_people_write_them(text: str, expected: str, kind: str) -> None:
    result = redact(text)
    assert result.text == expected
    assert result.removed.get(kind, 0) >= 1, result.removed


@pytest.mark.parametrize(
    "text",
    [
        # ordinary numbers
        "Two MMR doses protect roughly 97 in 100 kids. 3 doses in 2026.",
        "SPF 100 isn't 'twice' SPF 50 — both block the vast majority of UVB.",
        "100k views in 24 hours, 1,250,000 impressions",
        "take 500-1000 mg of vitamin C? no: 200-1000 mg is pointless",
        "Ran my first half marathon this morning in 2:14! prod went down at 4:59pm",
        "Bake sale this Saturday 10–2 in the church hall, 12–20 inches of snow, 9am–1pm",
        "down 3-1 after two periods. 3 down has beaten me (11)",
        "If tonight is a dark one: 988 (call or text), 116 123 for Samaritans, call 000 or 111",
        "Le cabinet sera fermé vendredi. Pour toute urgence, composez le 15.",
        "HbA1c is 48 mmol/mol, losing 14kg since my type 2 diagnosis, metformin 500mg BID",
        "library sale haul: 11 paperbacks for $6. Our manager set a $15 limit",
        "Loaf #47 🍞 finally got the ear. Thesis chapter 3. Class 37 through Crewe.",
        "1.000.000 de personas y 250.000 casos en 2023; 700 000 000 dosis",
        "vitamin B12 and COVID-19 and H1N1 and SW1A",
        "the 1918 flu pandemic and Wakefield's 1998 paper; 1998-2004 was bad",
        "A1c down from 9.1 to 6.4 over 3 months, 120/80 blood pressure",
        # dates that are not introduced as a date of birth
        "on 3 March we went to the clinic; the 04/05/1987 paper; see you 12 June",
        "my son was born 3 weeks ago and my daughter was born in 2019",
        "Holiday hours: we will be closed on December 25 and 26 and January 1.",
        "Me operaron de un cáncer de colon en 2023, el 3 de marzo de 2023",
        # streets without a house number, and title-case words that are not addresses
        "Car park on Mill Lane is closed for resurfacing, so use the Tesco one across the road.",
        "last seen on Lydgate Lane S10. My 5 Favourite Running Routes",
        "it rained 4 days in a row and a 3 hour drive is too close",
        "Hice el Camino de Santiago 2 veces y un paseo de 20 minutos",
        "Bring 2 friends During 3 days",
        "a 20 Minute Drive away, 10 Best Way to",
        "COVID-19 in the 2024-2025 season, 10,000 steps a day, 1 in 3 people, 9/11, 24/7, 50/50, 1:1000",
        "3.14159265 and v2.3.1 and 0.5 mg at 10:30-11:30, $1,000,000 and 1.5 million",
        "Vitamin D 1000-4000 IU daily; ages 12-17 get 2 doses 21 days apart; call 911 now",
        "The study (n=12345678) found rates of 250 300 350 400 over 900 000 people",
        # HTML passes through untouched: rendering it inert is the renderer's job
        "<script>alert(1)</script> the MMR causes autism and they KNOW it. wake up",
        '<a href="javascript:alert(document.domain)">click here for the real cure</a>',
        '"><svg onload=alert(document.cookie)> the fluoride in your tap',
        '<iframe src="https://evil.example/steal" style="display:none"></iframe><b onmouseover=alert(1)>hover</b>',
        # URLs (public permalinks) keep their @ and digits
        "see https://mstdn.ca/@snowpine/117645844921452612 and https://x.com/a/status/2123572070193924485",
        "https://www.facebook.com/mamis.naturales.es/posts/3214938695331719",
        "mastodon.social/@wetgrass/117646115426115090 and www.example.org/a?phone=07700900461",
        "https://user:pw@example.com/path and https://en.wikipedia.org/wiki/Foo_(bar)",
        # an @ that is not a handle
        "meet @ 5pm at the clinic, AT&T, me@ lol",
        # not a name: no label, or a lower-case word after it
        "Pt asked if cinnamon can replace metformin. Name: that tune",
        # public figures in a news sense, failed card check digits, helplines, quantities, German nouns
        "Dr Anthony Fauci said masks don't work in March 2020",
        "Joe Rogan took ivermectin and recovered in 3 days",
        "Canada Post tracking 7342 9981 0456 2213 says in transit, order 1234-5678-9012-3456 too",
        "just look at google dot com, meet me at noon dot com",
        "call the poison line 1-800-222-1222 or Childline 0800 1111",
        "Mind's infoline is 0300 123 3393 (a British 03 line: public bodies and charities)",
        "SPF 50 every day, 2 puffs of Ventolin 100mcg, since 2020, NHS 111 or Samaritans 116 123",
        "700 000 000 dosis en 2023",
        "Fluorid im Leitungswasser senkt den IQ",
    ],
)
def test_leaves_ordinary_text_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.removed == {}


def test_keeps_the_authors_own_handle() -> None:
    text = "follow @snowpine for more, and @snowpine@mstdn.ca too, but not @other or @snowpine@elsewhere.social"
    result = redact(text, author_handle="@snowpine@mstdn.ca")
    assert result.text == "follow @snowpine for more, and @snowpine@mstdn.ca too, but not [@user] or [@user]"
    assert result.removed == {"handle": 2}
    assert redact("I'm @Bob_1 here", author_handle="bob_1").text == "I'm @Bob_1 here"
    assert redact("I'm @bob here", author_handle=None).text == "I'm [@user] here"


def test_counts_every_kind() -> None:
    text = (
        "Name: Jennifer Ashcroft, DOB 14/03/1987, NHS number 999 842 1053, 22 Acacia Road, Walsall WS3 1DP. "
        "Email jen@example.com or jen.a@example.org, call 07700 900461 or +44 7700 900318. cc @nurse_kath_uk"
    )
    result = redact(text)
    assert result.removed == {
        "name": 1,
        "date_of_birth": 1,
        "record_number": 1,
        "address": 1,
        "email": 2,
        "phone": 2,
        "handle": 1,
    }
    assert result.text == (
        "Name: [name], DOB [date of birth], NHS number [record number], [address]. "
        "Email [email] or [email], call [phone] or [phone]. cc [@user]"
    )


def test_spanish_post_with_every_kind() -> None:
    text = (
        "Soy Lucía, nací el 3 de marzo de 1990, DNI 12345678Z, vivo en Calle Mayor 12, 28013 Madrid. "
        "Escríbeme a lucia.g@example.es o llámame al 612 345 678. Díselo a @pepa_perez"
    )
    result = redact(text, author_handle="@lucia")
    assert result.text == (
        "Soy [name], nací el [date of birth], DNI [record number], vivo en [address]. "
        "Escríbeme a [email] o llámame al [phone]. Díselo a [@user]"
    )
    assert set(result.removed) == {"name", "date_of_birth", "record_number", "address", "email", "phone", "handle"}


def test_redaction_is_idempotent_and_frozen() -> None:
    once = redact("call 07700 900461 or mail a@example.com, @someone")
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.removed == {}
    with pytest.raises(AttributeError):
        once.text = "x"  # type: ignore[misc]
    assert isinstance(once, Redaction)


def test_placeholders_cover_the_documented_kinds() -> None:
    assert {"email", "phone", "address", "record_number", "date_of_birth", "handle"} <= set(PLACEHOLDERS)
    assert PLACEHOLDERS["handle"] == "[@user]"
    assert PLACEHOLDERS["record_number"] == "[record number]"


def test_invalid_nhs_and_dni_check_digits_are_not_record_numbers() -> None:
    # 12345678A has the wrong DNI letter; 999 842 1053 fails the NHS modulus-11 check (so it counts as a phone).
    assert redact("ref 12345678A").text == "ref 12345678A"
    assert redact("code 999 842 1053 here").removed == {"phone": 1}
    assert redact("+1 943 476 5919").removed == {"phone": 1}


_PHONE_LIKE = re.compile(r"(?<![\w/.#])\+?\(?\d[\d ().-]{6,}\d")


def _load_demo_posts() -> list[dict[str, object]]:
    with DEMO_POSTS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_demo_posts_lose_all_personal_data() -> None:
    posts = _load_demo_posts()
    assert len(posts) > 100
    leaks: list[str] = []
    for post in posts:
        text, author = str(post["text"]), str(post["author_handle"])
        redacted = redact(text, author_handle=author).text
        without_urls = re.sub(r"https?://\S+", "", redacted)
        problems = [
            "@example." in without_urls,
            bool(_PHONE_LIKE.search(without_urls)),
            bool(re.search(r"\b(?:MRN|DOB|NHS number)\s+\d", redacted)),
            bool(re.search(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b", redacted)),  # a UK postcode
            bool(re.search(r"\b\d+\s+[A-Z][a-z]+\s+(?:Road|Lane|Row|Street)\b", redacted)),
            bool(re.search(r"(?<![\w@/\[])@\w", without_urls.replace(author, ""))),  # someone else's handle
        ]
        if any(problems):
            leaks.append(f"{post['post_id']}: {redacted}")
    assert not leaks, "\n".join(leaks)


def test_demo_posts_keep_their_urls_html_and_chatter() -> None:
    for post in _load_demo_posts():
        text = str(post["text"])
        redacted = redact(text, author_handle=str(post["author_handle"])).text
        for url in re.findall(r"https?://[^\s<>\"']+", text):
            assert url in redacted, (url, redacted)
        for tag in re.findall(r"<[^>]*>", text):
            assert tag in redacted, (tag, redacted)
        if post["kind"] in {"myth", "debunk"} and "@" not in text:
            assert redacted == text, (text, redacted)


def test_demo_hostile_posts_are_redacted() -> None:
    by_id = {str(post["post_id"]): post for post in _load_demo_posts()}
    hostile = [post for post in by_id.values() if post["kind"] == "hostile"]
    removed_kinds: set[str] = set()
    for post in hostile:
        removed_kinds |= set(redact(str(post["text"]), author_handle=str(post["author_handle"])).removed)
    assert {"email", "phone", "address", "record_number", "date_of_birth", "handle"} <= removed_kinds


def test_a_batch_is_redacted_as_each_post_alone() -> None:
    posts = [
        ("call 07700 900461 or mail a@example.com, @someone", None),
        ("I'm @Bob_1 here", "bob_1"),
        ("", None),
        ("my neighbour Margaret Ellison lives at 301 W 4th St", "@x"),
    ]
    assert redact_many(posts) == [redact(text, author) for text, author in posts]
    assert redact_many([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a PESEL whose check digit fails, the document named a sentence before
        (
            "trzeba było podać PESEL i kartę. Podała 42071503862 i",
            "trzeba było podać PESEL i kartę. Podała [record number] i",
        ),
        ("meine AHV-Nummer 756.4821.9930.12 haben sie", "meine AHV-Nummer [record number] haben sie"),
        ("meine Steuer-ID. Ist 47 815 962 304 – äh", "meine Steuer-ID. Ist [record number] – äh"),
        ("sin el NIE. Lo tengo: Y4829173-R. Y aun así", "sin el NIE. Lo tengo: [record number]. Y aun así"),
        # ids, records and birth dates named by the words of more languages
        ("nüfus cüzdanım (TC 52187439618) kayıp", "nüfus cüzdanım (TC [record number]) kayıp"),
        ("his PPSN as 8123456W on the form", "his PPSN as [record number] on the form"),
        (
            "mitt fødselsnummer er feil. Skrev 01029912345 i går",
            "mitt fødselsnummer er feil. Skrev [record number] i går",
        ),
        ("Min mormor (född 1941-03-02) bor", "Min mormor (född [date of birth]) bor"),
        ("Moja babcia (ur. 03.11.1940) mieszka", "Moja babcia (ur. [date of birth]) mieszka"),
        ("Dossiernummer 5521904, klacht ingediend", "Dossiernummer [record number], klacht ingediend"),
        # a claim's or a referral's reference with letters, an Italian medical record, a Polish e-prescription code,
        # an Irish medical card
        ("the insurer says claim HCX-20481733 is closed", "the insurer says claim [record number] is closed"),
        ("waiting since March, ref OPD/2024/55190 still", "waiting since March, ref [record number] still"),
        ("cartella clinica n. 17/MN/40982 smarrita", "cartella clinica n. [record number] smarrita"),
        ("kod e-recepty 7302 nie działa", "kod e-recepty [record number] nie działa"),
        ("my GMS no. 0629134T is on it", "my GMS no. [record number] is on it"),
        # a reference needs more than a year after its letters: "ref WHO/2021" is a document's
        ("the guidance ref WHO/2021 says so", "the guidance ref WHO/2021 says so"),
    ],
)
def test_ids_and_birth_dates_are_removed_after_the_words_that_name_them(text: str, expected: str) -> None:
    assert redact(text, use_model=False).text == expected


def test_an_id_layout_with_a_wrong_check_digit_stays_without_a_documents_name() -> None:
    # the same digits with no identity document named before them: a number, not known to be anyone's id
    assert "42071503862" in redact("order 42071503862 shipped, the PESEL comes later", use_model=False).text
    far = "PESEL " + "x " * (redaction.ID_NAMED_WITHIN // 2) + "then 42071503862"
    assert "42071503862" in redact(far, use_model=False).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Korean road-name address with its building and flat, then its district and city
        ("lives at 102-dong 1503-ho, 45 Yeonhui-ro, Seodaemun-gu, Seoul and", "lives at [address] and"),
        # a Japanese block address with the building before it and the ward, city and postcode after it
        (
            "Address: Sakura Heights 305, 3-14-2 Shimogamo Izumikawa-cho, Sakyo-ku, Kyoto 606-0807. Is it",
            "Address: [address] [phone]. Is it",
        ),
        ("Tokyo 2-14-5 Shibuya is far", "Tokyo [address] is far"),
        # a Welsh street, its type first
        ("she's at 41 Cwrt y Felin and has the keys", "she's at [address] and has the keys"),
        ("Adres: Yenimahalle Mah. 18. Sok. No:9 D:2, Keçiören/Ankara lütfen", "Adres: [address] lütfen"),
        ("Vive en Cl 52 #23-14, barrio Belén, Medellín. Gracias", "Vive en [address]. Gracias"),
        ("send it to Blk 3 Lot 9, Phase 1, Brgy. Malinta, Valenzuela City please", "send it to [address] please"),
        ("house at H.No 8-3-222/B, Ameerpet, near Aditya Hospital, Hyderabad 500038, call", "house at [address], call"),
        ("he stays Kariobangi Estate, house no. 14, off Outering Road, Nairobi. Thanks", "he stays [address]. Thanks"),
        ("wohnt Quellenstraße 24/5, 1100 Wien. Danke", "wohnt [address]. Danke"),
        ("woont op Prinsengracht 210-III, 1016 HD Amsterdam en", "woont op [address] en"),
        ("bor på Kungsgatan 7B, 3 tr, 111 43 Stockholm sedan", "bor på [address] sedan"),
        ("her flat: 4 Bóthar an Easa, Knocknacarra, Co. Galway, H91 X2E4. Thanks", "her flat: [address]. Thanks"),
        (
            "Vive en Calle Sur 109, Col. San Pedro de los Pinos, Alcaldía Benito Juárez, C.P. 03800, CDMX y",
            "Vive en [address] y",
        ),
    ],
)
def test_home_addresses_in_more_countries_shapes_are_removed(text: str, expected: str) -> None:
    assert redact(text, use_model=False).text == expected


@pytest.mark.parametrize("text", ["I ran 45 km on the Olympic-ro path", "Stryd 12 is fun", "my 3 Heol kids"])
def test_address_words_without_an_address_stay(text: str) -> None:
    assert redact(text, use_model=False).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Rückruf: Ramipril 5 mg, Charge 4471B2, bitte prüfen",
        "Waran 2,5 mg (batch 3041877) – check yours",
        "Infolinia NFZ 800 190 590 — dwa dni czekania",
        "Teléfono de la Esperanza: 717 003 717.",
        "Fraudehelpdesk 088-786 73 72 gebeld",
        "Spara Giftinformationscentralen: 010-456 67 00.",
        "Cliniques universitaires Saint-Luc, Avenue Hippocrate 10, 1200 Bruxelles",
        "Klacht over UMC Utrecht (Heidelberglaan 100): lang gewacht",
        "Uniwersyteckie Centrum Kliniczne WUM, ul. Banacha 1a — 8 godzin na SOR-ze",
        "Ma mère était à l'hôpital Necker (149 Rue de Sèvres) hier",
    ],
)
def test_batch_codes_helplines_and_hospitals_addresses_stay(text: str) -> None:
    assert redact(text, use_model=False).text == text


def test_a_clinic_nobody_names_keeps_no_address() -> None:
    # "Clinic at …" names no institution: the address may be a private practice's, and goes
    assert redact("Clinic at 123 Queen St W, Toronto, ON M5H 2M9 offers chelation", use_model=False).text == (
        "Clinic at [address] offers chelation"
    )
