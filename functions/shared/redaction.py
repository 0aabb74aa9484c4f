"""Remove personal data from a post before it is stored.

A stored post feeds matching, the review console and drafted replies; none of them needs anyone's email, phone
number, street address, medical record number, date of birth, a labelled full name or the handles of other people
the author mentions, and a reply must never repeat them. So they are replaced by placeholder tokens at ingest,
before anything is persisted.

Fixed, well-known shapes (emails, phone numbers in the common UK/US/EU/LatAm layouts, street addresses,
postcodes, labelled identifiers and dates) are regular expressions; numbers that carry a check digit are confirmed
by it (payment cards by Luhn, NHS numbers by modulus 11, national ids of many countries by python-stdnum); phone
numbers in other national formats by Google's libphonenumber; names in free text by ``names.py`` (cues, lists,
spaCy's model) and Rampart's model (``name_tagger.py``). What is deliberately left alone: URLs (public permalinks,
masked before any pattern runs so an ``@`` or a digit run inside a link is never touched), the author's own handle,
plain dates and ordinary numbers ("3 doses", "SPF 50", "2026", "100k views"), helplines ("116 123", toll-free and
British 03 lines), and HTML, which passes through unchanged: making it inert is the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from functions.shared.models import REDACTION_PLACEHOLDERS as PLACEHOLDERS

__all__ = ["PLACEHOLDERS", "Redaction", "Span", "redact", "redact_many"]
from functions.shared.name_tagger import TaggedNames, tag_names
from functions.shared.names import (
    TAGGED_THRESHOLD,
    TAGGED_THRESHOLD_EXPOSING,
    cued_names,
    following_surnames,
    given_names,
    listed_names,
    may_hold_a_given_name,
    may_hold_names,
    model_names,
    parse,
    parse_many,
    repeated_names,
    tagged_names,
)
from functions.shared.settings import get_settings


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of the original text were removed as ``kind``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    """The redacted text, how many items of each kind were removed (kinds with none are absent) and where."""

    text: str
    removed: dict[str, int] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()


# --- URLs: masked first, restored last --------------------------------------------------------------------------

_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'`]+"
    # A bare domain followed by a path (mastodon.social/@user/1, x.com/a/status/1); never right after an @ or a
    # word character, so it cannot start inside an email address.
    r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s<>\"'`]*",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\""
# Found URLs (and other text that must stay) and found personal data are overwritten with these (neither a word
# character, a digit nor a space), one for one, so that later patterns cannot match inside them and every offset
# stays that of the original text.
_URL_MASK, _FOUND_MASK = "\ue000", "\ue001"

# --- emails -------------------------------------------------------------------------------------------------------

# The local part may not follow an "@" (that is a fediverse handle such as @name@instance.social).
_EMAIL = re.compile(
    r"(?<![\w.%+@-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b"
)

# An address spelt out so that scrapers miss it: "priya dot raman at protonmail dot com", "jo.bloggs [at] gmail
# [dot] com". The name before "at" must be dotted or the domain a mail provider's, so "look at google dot com" is not
# one.
_SPOKEN_DOT = r"\s*(?:\bdot\b|\[dot\]|\(dot\))\s*"
_SPOKEN_AT = r"\s*(?:\bat\b|\[at\]|\(at\))\s*"
_MAIL_PROVIDERS = (
    r"gmail|googlemail|yahoo|hotmail|outlook|live|msn|icloud|me|aol|proton|protonmail|pm|gmx|web|yandex|mail|zoho|"
    r"btinternet|orange|free|laposte|libero|virgilio|uol|bol|terra|wp|onet|o2|interia|seznam|rediffmail|t-online"
)
_SPOKEN_EMAIL = re.compile(
    rf"(?i:(?<![\w.@])[a-z0-9][a-z0-9_%+-]*(?:(?:{_SPOKEN_DOT}|[._])[a-z0-9_%+-]+)+{_SPOKEN_AT}[a-z0-9-]+"
    rf"(?:{_SPOKEN_DOT}[a-z]{{2,24}})+\b"
    rf"|(?<![\w.@])[a-z0-9][a-z0-9._%+-]*{_SPOKEN_AT}(?:{_MAIL_PROVIDERS})(?:{_SPOKEN_DOT}[a-z]{{2,24}})+\b)"
)

# --- handles ------------------------------------------------------------------------------------------------------

# @user, @user.name (Instagram, ends on a letter/digit/underscore), @name.bsky.social, @user@instance.social.
# Not after a word character, "@", "." or "/" (emails, URLs) nor "[" (our own "[@user]" placeholder).
_HANDLE = re.compile(
    r"(?<![\w@./\[])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
    r"(?:@((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}))?"
    r"(?![\w@])"
)

# Reddit's users: u/name or /u/name (3-20 letters, digits, "_" and "-"); a subreddit (r/...) is public.
_REDDIT_USER = re.compile(r"(?<![\w/.])/?u/([A-Za-z0-9_-]{3,20})(?![\w/-])")

# --- record numbers -----------------------------------------------------------------------------------------------

_ID_VALUE = r"#?\s*(?:[A-Z]{1,4}[-/ ]?)?\d(?:[\d/-]|\s(?=\d)){3,19}[A-Z]?\b"
_RECORD_LABELLED = re.compile(
    r"(?:\b(?:MRN|mrn|NHC|NUSS|NSS|CURP|CIP|DNI|NIE|NIF|SSN)(?![A-Za-z])|"
    r"(?i:\b(?:"
    r"nhs\s*(?:number|no\.?|num\.?|\#)|chi\s*(?:number|no\.?)|"
    r"(?:medical|hospital|health|patient|case|chart|clinic|insurance|member|policy)\s*"
    r"(?:record\s*)?(?:number|no\.?|num\.?|id|\#)|"
    r"(?:medical\s*)?record\s*(?:number|no\.?|num\.?|\#)|"
    r"social\s+security\s*(?:number|no\.?|\#)?|national\s+insurance\s*(?:number|no\.?)?|"
    r"n[úu]mero\s+de\s+(?:historia(?:\s+cl[íi]nica)?|paciente|expediente|la\s+seguridad\s+social|afiliaci[óo]n)|"
    r"(?:n[º°o]\.?\s*(?:de\s+)?)?historia\s+cl[íi]nica|tarjeta\s+sanitaria|expediente|"
    r"passport\s*(?:number|no\.?)?|pasaporte"
    r")(?![A-Za-z])))"
    r"(\s*(?:is|es|:|-|=)?\s*(?:n[º°o]\.?\s*)?)"
    rf"({_ID_VALUE})"
)
# Identity numbers after the label that names them, in the countries the service sees. The value is groups of
# capitals and digits joined by one space, dot, dash or slash ("QQ 73 11 04 B", "279.401.995-36",
# "1 85 03 75 116 238 81", "12345678 9 ZZ1"); it must hold at least four digits.
_ID_LABEL = (
    r"(?:\b(?:ID|CPF|CNPJ|RG|NIF|NIE|NIR|RUT|RUN|SIN|NINO|NI|PAN|CC|CF|BSN|PESEL|CURP|RFC|TIN|ITIN|EIN|SSN|"
    r"INSEE|AHV|AVS|DNI|NSS|NUSS|CIP|NHC|MRN|IHI|PPS|PPSN|NIN)(?![A-Za-z])|"
    r"(?i:\b(?:aadhaar|aadhar|steuer-?id(?:entifikationsnummer)?|steuernummer|identifikationsnummer|"
    r"sozialversicherungsnummer|versichertennummer|krankenversichertennummer|personalausweis(?:nummer)?|"
    r"num[ée]ro\s+de\s+s[ée]cu(?:rit[ée]\s+sociale)?|s[ée]cu|carte\s+vitale|"
    r"cart[ãa]o\s+de\s+cidad[ãa]o|cart[ãa]o\s+do\s+sus|codice\s+fiscale|tessera\s+sanitaria|"
    r"c[ée]dula|documento|identidad|carteira\s+de\s+identidade|personnummer|"
    r"medicare(?:\s+(?:number|no\.?|card))?|medicaid(?:\s+id)?|health\s+card|"
    r"national\s+id(?:entity)?(?:\s+(?:number|no\.?|card))?|id\s+(?:number|no\.?|card)|identity\s+number|"
    r"sin\s+number|social|tax\s+(?:id|number|file\s+number)|tfn|passport|ins(?:urance)?\s+id|"
    r"claim\s+(?:number|no\.?|ref)|inquest\s+ref|ref(?:erence)?\s+(?:number|no\.?)|case|chart|prontu[áa]rio|"
    r"dossier(?:\s+(?:patient|m[ée]dical))?|dossiernummer|dossiernr\.?|pati[ëe]ntnummer|akte|patientennummer|fallnummer|"
    r"accession(?:\s+(?:number|no\.?))?|"
    r"lab\s+(?:number|no\.?|id)|versichertennr\.?|versichertenkarten?(?:-?nr\.?|nummer)?|carteirinha|philhealth(?:\s+(?:number|no\.?|id))?|"
    r"rx\s*(?:number|no\.?)?|"
    r"CNS|NHI|PIN|OHIP|RAMQ|SUS|carte\s+(?:soleil|RAMQ)|card\s*(?:number|no\.?|num\.?)|zorgpas(?:nummer)?|"
    r"numer\s+(?:karty|zlecenia|skierowania)|numero\s+(?:della\s+)?tessera|"
    r"n[úu]mero\s+de\s+(?:utente|afiliado|beneficiario|cart[ãa]o)|account\s*(?:number|no\.?|num\.?)|"
    r"account(?=\s*\#)|claim(?=\s*\#)|file\s+(?:number|no\.?)|(?:ref|claim)\.?(?=\s*[A-Z]{2,6}[-/][\d/-]{5,})|ordonnance|"
    r"radicad[oa]|receita|recette|cartella(?:\s+clinica)?|kod\s+e-?recepty|e-?recepta|"
    r"(?:gms|medical)\s+card(?:\s+(?:number|no\.?))?|gms\s+(?:number|no\.?))(?![A-Za-z])))"
)
# Labels unambiguous enough that a few words may stand between them and the number: "Cartão do SUS da minha mãe:
# 700 5028 4417 3960", "número de utente do SNS é 197 483 620", "CPF e CNS 702 4058 1937 6620".
_ID_LABEL_AT_A_DISTANCE = (
    r"(?:\b(?:CPF|CNS|SUS|NIE|NIF|DNI|PESEL|BSN|NHI|SIN|SSN|RUT|CURP|NIN|OHIP|RAMQ|NIR)(?![A-Za-z])|"
    r"(?i:\b(?:aadhaar|aadhar|medicare|utente|tessera(?:\s+sanitaria)?|carte\s+vitale|numer\s+karty|"
    r"card\s+number|zorgpas(?:nummer)?|krankenversichertennummer|versichertennummer|steuer-?id|personnummer|"
    r"codice\s+fiscale|philhealth|nhs\s+number|social\s+security\s+number|health\s+card)(?![A-Za-z])))"
)
# Payment cards named by their brand or kind: the number after the name, whatever its check digit.
_CARD_LABEL = (
    r"(?i:\b(?:visa|mastercard|master\s+card|amex|american\s+express|credit\s+card|debit\s+card|kreditkarte|"
    r"tarjeta(?:\s+de\s+(?:cr[ée]dito|d[ée]bito))?|carte\s+(?:bancaire|bleue|de\s+cr[ée]dit)|cart[ãa]o\s+de\s+"
    r"cr[ée]dito|carta\s+di\s+credito|karta\s+kredytowa|karty)(?![A-Za-z]))"
)
# (a group after a space holds a digit or is one or two capitals, so "1EG4-TE5-MK73 AND her Visa" stops at "AND")
_ID_GROUPED = r"[A-Z0-9]+(?:[.\-/][A-Z0-9]+|[ ](?:[A-Z]*\d[A-Z0-9]*|[A-Z]{1,2}\b))*"
_ID_LABELLED = re.compile(
    rf"{_ID_LABEL}(\s*(?:is|es|é|est|ist|:|-|=|#|[nN][º°oO]\.?|[nN]\.)?\s*(?:is\s+|es\s+)?(?:[nN][º°oO]\.?\s*)?)"
    rf"({_ID_GROUPED})(?![\w])"
)
_ID_AT_A_DISTANCE = re.compile(
    rf"{_ID_LABEL_AT_A_DISTANCE}((?:[ \t]+[^\W\d_]{{1,12}}){{1,3}}[ \t]*(?::|=|\(|n[º°o]\.?)?[ \t]*)"
    rf"({_ID_GROUPED})(?![\w])"
)
_CARD_LABELLED = re.compile(
    rf"{_CARD_LABEL}((?:[ \t]+[^\W\d_]{{1,12}}){{0,2}}[ \t]*(?::|=|\#|n[º°o]\.?)?[ \t]*)(\d[\d -]{{10,22}}\d)(?![\w])"
)
# Identity numbers whose shape alone gives them away: a Mexican CURP, an Italian codice fiscale, an Indian PAN, a UK
# National Insurance number, a Brazilian CPF, a Chilean RUT, a French social security number.
_ID_SHAPES = re.compile(
    r"(?<![\w.-])(?:"
    r"[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d"
    r"|[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]"
    r"|[A-Z]{5}\d{4}[A-Z]"
    r"|[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
    r"|\d{3}\.\d{3}\.\d{3}-\d{2}"
    r"|\d{1,2}\.\d{3}\.\d{3}-[\dkK]"
    r"|[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2}"
    # a US Medicare number (MBI): 1EG4-TE5-MK73
    r"|[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}"
    # Canadian health cards: Québec's RAMQ (TREM 8504 1216) and Ontario's OHIP with its version code (6284-193-057-RX)
    r"|[A-Z]{4} \d{4} \d{4}(?! ?\d)|\d{4}[- ]\d{3}[- ]\d{3}[- ][A-Z]{2}"
    # a Swedish personnummer written with the century: 19880512-3376
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-+]\d{4}"
    r")(?![\w-])"
)
# A payment card's layout, whatever its check digit ("4716 2290 3318 0452", "3782 914503 27106"), unless a parcel's
# tracking number is named just before it.
_CARD_LAYOUT = re.compile(r"(?<![\w.-])(?:\d{4}( |-)\d{4}\1\d{4}\1\d{4}|3[47]\d{2}( |-)\d{6}\2\d{5})(?![\w-])")
_TRACKING_BEFORE = re.compile(
    r"(?i:\b(?:tracking|parcel|shipment|package|order|sendungsnummer|sendung|suivi|colis|rastreio|seguimiento|"
    r"env[íi]o|pedido)\b)(?:\W+\w+){0,2}\W*$"
)
# National identity numbers whose layout is distinctive, kept only when python-stdnum confirms their check digits
# (or date) for one of the listed countries: Finnish HETU, Belgian national number, Swiss AHV, Irish PPSN, Spanish
# NIE, Swedish personnummer, Danish CPR, Czech/Slovak birth number, and bare 11 or 13 digit numbers (Polish PESEL,
# Norwegian fødselsnummer, German Steuer-ID, Romanian CNP, South African ID). Run after payment cards.
_CHECKED_LAYOUTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", ("fi.hetu",)),
    (r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}", ("be.nn",)),
    (r"756\.\d{4}\.\d{4}\.\d{2}", ("ch.ssn",)),
    (r"\d{7}[A-W][A-IW]?", ("ie.pps",)),
    (r"[XYZ]-?\d{7}-?[A-Z]", ("es.nie",)),
    (r"(?:\d{2})?\d{6}[-+]\d{4}", ("se.personnummer", "dk.cpr")),
    (r"\d{6}/\d{3,4}", ("cz.rc",)),
    # (not after a trunk 0: "07700900461" is a British mobile; a labelled PESEL starting 0 is found by its label)
    (r"[1-9]\d{10}", ("pl.pesel", "no.fodselsnummer", "de.idnr")),
    (r"\d{13}", ("ro.cnp", "za.idnr")),
)


def _standing_alone(layout: str) -> re.Pattern[str]:
    """``layout`` as a whole token: not part of a word, a longer number, a phone number ("+") or a path."""
    return re.compile(rf"(?<![\w.+-])(?:{layout})(?![\w/-])")


_CHECKED_IDS = tuple((_standing_alone(layout), formats) for layout, formats in _CHECKED_LAYOUTS)
# The same layouts whatever their check digits (and a German health-insurance number, "K482917305", a Steuer-ID in
# groups, "47 815 962 304", a Spanish DNI, "30917284Q", a Portuguese Cartão de Cidadão, "16301883 7 ZW1", eleven
# digits after a trunk 0, a fødselsnummer of someone born on the 1st to the 9th) when the post names an identity
# document in the 200 characters before: "PESEL i kartę. Podała 42071503862". A mistyped id is still the person's id.
_ID_LAYOUTS = _standing_alone(
    "|".join(
        [layout for layout, _ in _CHECKED_LAYOUTS]
        + [r"[A-Z]\d{9}", r"\d{2} \d{3} \d{3} \d{3}", r"\d{8}-?[A-Z]", r"\d{8} ?\d ?[A-Z]{2}\d", r"0\d{10}"]
    )
)
_ID_NAMED_BEFORE = re.compile(
    rf"{_ID_LABEL_AT_A_DISTANCE}|\b(?:TC|PPSN?|CPR|HETU)(?![A-Za-z])|(?i:\b(?:AHV|AVS|kimlik|NIN|national\s+id(?:entity)?|"
    r"identity\s+(?:number|card)|krankenversicherten(?:nummer|karte)|sozialversicherungsnummer|identifikationsnummer|"
    r"f[øo]dselsnummer|henkil[öo]tunnus|cart[ãa]o\s+de\s+cidad[ãa]o|rijksregisternummer|burgerservicenummer)(?![A-Za-z]))"
)
ID_NAMED_WITHIN = 200
# Payment card numbers: 13 to 19 digits, bare or in groups, whose Luhn check digit is right.
_CARD = re.compile(r"(?<![\w.-])\d{4}(?:[ -]?\d{2,7}){2,4}(?![\w-])")
# A US social security number written as 123-45-6789.
_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
# Ten digits, bare or 3-3-4 spaced: an NHS number when its modulus-11 check digit is right.
_NHS_SHAPE = re.compile(r"(?<![\w+.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w.-])")
# "+1 " or "(" right before ten digits: a phone number, whatever its check digit says.
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\+\d{1,3}[ .-]?|\()$")
# A Spanish DNI (8 digits + control letter) when the letter is right.
_DNI = re.compile(r"(?<![\w-])(\d{8})[- ]?([A-Z])\b")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

# --- dates of birth -----------------------------------------------------------------------------------------------

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|"
    r"januar|februar|m[äa]rz|juni|juli|oktober|dezember|"
    r"janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)\b\.?"
)
_DAY = r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th|º|°|er)?\.?"
_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    r"(?:"
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{_YEAR}|\d{{2}})(?!\d)"  # 04/05/1987, 4.5.87
    rf"|{_YEAR}[/.-]\d{{1,2}}[/.-]\d{{1,2}}(?!\d)"  # 1979-06-02
    rf"|{_DAY}\s*(?:of\s+|de\s+)?{_MONTHS}(?:,?\s*(?:de\s+|del\s+)?{_YEAR})?"  # 3 March 1990, 3 de marzo de 1990
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*{_YEAR})?"  # March 3rd, 1990
    rf"|{_MONTHS}\s*(?:de\s+|del\s+|,\s*)?{_YEAR}"  # March 1990
    r")"
)
# Labels that introduce a date of birth; with an explicit label a bare year counts too.
_DOB_LABEL = (
    r"d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s?date|"
    r"fecha\s+de\s+nacimiento|f\.\s?(?:de\s+)?nac\.?|data\s+de\s+nascimento|date\s+de\s+naissance|geburtsdatum"
)
_DOB_VERB = (
    r"born(?:\s+on|\s+in)?|(?:my|his|her|their|your)\s+birthday(?:\s+is)?|birthday\s*:|"
    r"nac[íi]\s+el|nac[íi]\s+en|naci[óo]\s+(?:el|en)|nacid[oa]\s+(?:el|en)|n[ée]e?\s+le|geboren(?:\s+(?:am|im|op))?|"
    r"geb\.|nasci\s+em|nascid[oa]\s+(?:em|a)|nasceu\s+(?:a|em|no\s+dia)|"
    r"nat[oa]\s+il|nat[oa]\s+nel|data\s+di\s+nascita|f[öø]dd|f[øo]dt|nascimento|ur\.|urodzon[ya]|urodzi[łl]a?\s+si[ęe]|"
    r"doğum\s+tarihi|doğumlu|geb\.?\s+op"
)
_DOB = re.compile(
    rf"(?i:\b(?:({_DOB_LABEL})|({_DOB_VERB}))(?![A-Za-z]))(\s*(?:[:=(-]\s*|is\s+|was\s+|es\s+|el\s+|on\s+)*)"
    rf"(?i:({_DATE})|({_YEAR}))(?!\d)"
)

# A full date right after a person's name is that person's date of birth ("bed 4 Norma Feld 02/02/1944").
_DATE_AFTER_NAME = re.compile(rf"[ \t]*[,(]?[ \t]*(?:b\.\s*|born\s+|\*\s*)?(?i:({_DATE}))(?!\d)")

# --- labelled names -----------------------------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÁÉÍÓÚÑÄÖÜ][a-záéíóúñäöüç'’-]+"
_LABELLED_NAME = re.compile(
    r"(?i:\b(?:full\s+name|name|patient(?:\s+name)?|pt|nombre(?:\s+completo)?|paciente|nom|nome|"
    r"surname|apellidos?)\s*:\s*)"
    rf"({_NAME_WORD}(?:\s+(?:[A-Z]\.|(?:(?:de|del|de\s+la|van|von|da|dos|y)\s+)?{_NAME_WORD})){{0,4}})"
)

# --- phone numbers ------------------------------------------------------------------------------------------------

# Ranges such as "500-1000 mg" or "250.000 people" are quantities, not phone numbers.
_NOT_A_QUANTITY = (
    r"(?!\s*(?i:mg|mcg|µg|g|kg|ml|l|iu|ui|units?|kcal|cal|calories|steps|%|percent|people|patients|cases|deaths|"
    r"times|years|days|words|feet|ft|m|km|miles|personas|casos|muertes|a[ñn]os|d[íi]as|veces|doses|dosis|"
    r"vaccinations|vacunas|vaccins|impfungen|kids|children|ni[ñn]os|enfants|kinder)\b)"
)
_NOT_A_QUANTITY_AFTER = re.compile(_NOT_A_QUANTITY)
_PHONE_PATTERNS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    # International: +44 7700 900318, +52 55 5555 0199, +1 (555) 010-1234, +44 (0)117 496 0123, +447700900318.
    (re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w+])"), 8, 15),
    # North American: (415) 555-0172, 614-555-0139, 614.555.0139, 555-0123, 1-800-555-0199, 4155550172.
    (
        re.compile(
            r"(?<![\w+.-])(?:(?:1[ .-])?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}|[2-9]\d{2}[.-]\d{4}"
            r"|1?[2-9]\d{2}[2-9]\d{6})"
            rf"(?![\w-]|\.\d){_NOT_A_QUANTITY}"
        ),
        7,
        11,
    ),
    # UK / German style trunk-0 numbers: 07700 900461, 0117 496 0123, 01632 960215, 020 7946 0958, 030/12345678.
    (re.compile(r"(?<![\w+.-])0\d{2,4}[ /-]?\d{3,4}[ -]?\d{3,4}(?![\w-])"), 10, 11),
    # French: 06 12 34 56 78.
    (re.compile(r"(?<![\w+.-])0[1-9](?:[ .-]\d{2}){4}(?![\w-])"), 10, 10),
    # Brazilian: (21) 99999-9999.
    (re.compile(r"(?<![\w+.-])\(\d{2}\)\s?\d{4,5}-\d{4}(?![\w-])"), 10, 11),
    # Spanish (and similar) nine-digit numbers starting 6-9: 612 345 678, 612 34 56 78, 912345678.
    (
        re.compile(
            r"(?<![\w+.,-])[6-9]\d{2}(?:[ .]?\d{3}[ .]?\d{3}|(?:[ .]?\d{2}){3})(?![\w,-]|\.\d)" + _NOT_A_QUANTITY
        ),
        9,
        9,
    ),
)
# North American and British toll-free numbers: 1-800-222-1222, (888) 555 0100, 0800 1111, 0808 808 4994.
# British 03 numbers are non-geographic lines of public bodies and charities (helplines): they stay too.
_TOLL_FREE = re.compile(
    r"(?<![\w+.-])(?:(?:\+?1[ .-]?)?\(?8(?:00|88|77|66|55|44|33)\)?[ .-]?\d{3}[ .-]?\d{4}|0800[ ]?\d{3,4}[ ]?\d{0,4}"
    r"|0808[ ]?\d{3}[ ]?\d{4}|03\d{2} \d{3} \d{4}"
    # organisations' numbers elsewhere, free or shared-cost, never a person's: 0800 and 0900 (Netherlands, Germany,
    # South Africa, Kenya, Nigeria, Brazil), 1800/1300 (Australia, Ireland, India, the Philippines), 0 800 (France),
    # 800 and 808 (Italy, Portugal), 900–902 (Spain), 600 (Chile)
    r"|0[89]00(?:[ -]?\d{2,4}){1,3}|1[38]00(?:[ -]?\d{3,4}){2}|0 ?80[0-9](?: ?\d){6}"
    r"|80[08](?: ?\d{2,3}){3}|80[08](?: ?\d){6}|90[0-2] ?\d{3} ?\d{3}|600 ?\d{3} ?\d{4})(?![\w-])"
)
# A medicine pack's codes after their names, as recall notices print them: its batch or lot ("batch 3041877",
# "Charge 2L4471", "lote A12345"), a US National Drug Code in its 4-4-2, 5-3-2 or 5-4-1/2 layout ("NDC 0781-5180-31",
# "the NDC on the box (ours was 0169-4772-12)") or a German PZN ("PZN 01234567"). A pack's code, not a person's number;
# the code is each pattern's group 1.
_PACK_CODES = (
    re.compile(
        r"(?:\b(?i:batch|lot|lote|lotto|partia)|\bCharge|\bCh\.-?B\.)\s*(?:(?i:no|nr)\.?|#)?\s*:?\s*"
        r"([A-Z0-9][A-Z0-9-]{3,14})\b"
    ),
    re.compile(r"\bNDC\b[^\d\n]{0,40}?(?<![\d-])(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2})(?![\w-])"),
    re.compile(r"\bPZN\b[ \t]*[:#-]?[ \t]*(\d{7,8})(?![\w-])"),
)
_NOT_A_PHONE = re.compile(
    r"(?<![\w/.-])(?:0[1-9]|1[0-2])/(?:19|20)\d{2}(?![\w/.-])|(?i:\bdoi:\s*)?\b10\.\d{4,9}/[^\s\"'<>]+"
)
# A service's number after its name: a poison centre, a helpline, a crisis or information line ("Centre antipoison
# de Paris : 01 40 05 48 48", "Telefono Amico 02 2327 2327", "Información Toxicológica: 91 562 04 20").
_HELPLINE_NUMBER = re.compile(
    r"(?i:\b(?:(?:centre|centro|center)\s+anti-?poisons?|antipoisons?|anti-poisons?|poison\s+(?:centre|center|control|line|"
    r"information)|informaci[óo]n\s+toxicol[óo]gica|toxicol[óo]gic[ao]|centro\s+antiveleni|giftnotruf|"
    r"giftinformationszentrum|helpline|hotline|crisis\s+line|telefono\s+amico|telefone\s+amigo|numéro\s+vert|"
    r"infoline|hilfetelefon|telefonseelsorge|samaritans|childline|lifeline|info-sant[ée]|linea\s+verde|"
    r"sos\s+amiti[ée]|suicide\s+[ée]coute|fil\s+sant[ée]\s+jeunes|tel-jeunes|giftinformation\w*|infolinia(?:\s+\w+)?|"
    r"tel[ée]fono\s+de\s+la\s+esperanza|\w*helpdesk)\b)"
    r"(?:[ \t]+[\w'’-]+){0,3}[ \t]*[:(-]?[ \t]*\+?\d[\d .-]{5,16}\d"
)
# Any other seven-to-fifteen digit run right after a word that says it is a phone number.
_PHONE_CUE = re.compile(
    r"(?i:\b(?:call|ring|phone|tel|telephone|mobile|cell|text|whatsapp|my\s+number\s+is|number\s+is|number:|"
    r"ll[áa]ma(?:me|nos)?|llamar|tel[ée]fono|m[óo]vil|celular|wasap|n[úu]mero\s+es|n[úu]mero:|"
    r"appelle[zr]?|t[ée]l[ée]phone|portable|ruf(?:\s+an)?|anrufen|handy|telefone|ligue|liga)\b)"
    r"([^\d\n]{0,12}?)"
    r"(\+?\d[\d ().-]{5,22}\d)(?![\w-])"
)

# --- addresses ----------------------------------------------------------------------------------------------------

_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Boulevard|Blvd|Court|Ct|Place|Pl|Crescent|Cres|"
    r"Terrace|Gardens|Gdns|Grove|Row|Square|Sq|Mews|Parade|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Walk|"
    # Indian streets and neighbourhoods: Shastri Path, MG Marg, Malviya Nagar, 5th Cross
    r"Marg|Path|Nagar|Colony|Enclave|Vihar|Layout|Cross|Chowk)"
)
_US_STATES = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    r"OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR)"
)
_UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Z]{2}"
_ZIP = r"\d{5}(?:-\d{4})?"
_CITY = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"
_UNIT = (
    r"(?:(?:Flat|Apt|Apartment|Unit|Suite|Ste|Room|(?i:flat|apt|apartment|unit|suite)(?![a-z]))\.?\s*#?\w{1,5}"
    # an Italian flat and staircase ("int. 7", "scala B"), a German floor ("3. OG links"), a Belgian box ("boîte 5")
    r"|(?:int|interno|scala)\.?\s*\w{1,3}"
    r"|\d{1,2}\.\s*(?:OG|Stock|Etage|UG|EG)(?:\s+(?:links|rechts|Mitte))?|bo[iî]te\s+\d{1,4}"
    r"|#\d{1,5}[A-Z]?)"
)
_ADDRESS_TAIL = (
    rf"(?:,?\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    rf"(?:,?\s+{_UNIT})?"
    rf"(?:,?\s+{_CITY},?\s+(?:{_UK_POSTCODE}|{_US_STATES}\s+{_ZIP}|{_US_STATES})\b|,?\s+{_UK_POSTCODE}\b)?"
)
# "a 20 Minute Drive", "3 Easy Ways": quantities and headline words are not street names.
_NOT_A_STREET_NAME = (
    r"(?:Minutes?|Mins?|Hours?|Hrs?|Miles?|Km|Days?|Weeks?|Months?|Years?|Steps?|Times?|Best|Top|Easy|Simple|Great)"
)
_ES_NAME_WORD = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü'’.-]*"
# A lane or block by its number, in Indian addresses: "Gali No. 3", "Sector 15".
_LANE_BY_NUMBER = (
    r"(?:(?:Gali|Lane|Street|Road|Sector|Block|Ward|Phase|Pocket)\s+(?:No\.?\s*)?\d{1,4}[A-Z]?"
    # Bengaluru's numbered crosses and mains, stages and blocks: "5th Cross", "2nd Main", "3rd Stage"
    r"|\d{1,2}(?:st|nd|rd|th)\s+(?:Cross|Main|Stage|Block|Phase|Sector|Lane)(?:\s+Road)?)"
)
# German towns joined to their region or river: "Freiburg im Breisgau", "Frankfurt am Main".
_TOWN_LINK_DE = r"(?:im|am|an\s+der|ob\s+der|bei)"
_ES_CONNECTOR = r"(?:de|del|la|las|los|el|da|das|do|dos|y|e)"
# What may follow a continental house number: a letter ("12B"), a flat after a slash ("112/7", Austria), a Dutch floor
# ("88-II", "88-hs") or a second number ("17-19").
_HOUSE_NUMBER_SUFFIX = r"(?:[a-zA-Z]|/\d{1,3}|-(?:I{1,3}|IV|hs|bis|\d{1,3}))?\b"
# Addresses that belong to the public, not to a person: seats of government and of health agencies, and the ones
# everyone knows from fiction ("10 Downing Street", "221B Baker Street"). They stay, as a helpline's number does.
_PUBLIC_ADDRESSES = re.compile(
    r"(?i:\b(?:1[01]\s+Downing\s+St(?:reet)?|221\s?B\s+Baker\s+St(?:reet)?|1600\s+Pennsylvania\s+Ave(?:nue)?"
    r"(?:\s+N\.?W)?|742\s+Evergreen\s+Terrace|4\s+Privet\s+Drive|12\s+Grimmauld\s+Place|1313\s+Mockingbird\s+Lane|"
    r"124\s+Conch\s+Street|350\s+Fifth\s+Ave(?:nue)?|1600\s+Clifton\s+R(?:oa)?d|200\s+Independence\s+Ave(?:nue)?"
    r"(?:\s+S\.?W)?|10903\s+New\s+Hampshire\s+Ave(?:nue)?|9000\s+Rockville\s+Pike|39\s+Victoria\s+St(?:reet)?|"
    r"Avenue\s+Appia\s+20))(?!\w)\.?"
)
_ADDRESS_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Rural and numbered roads (before the pattern below, which would stop at the road's type): Rural Route 2 Box 118
    # / 2418 County Rd K / 310 County Road 12.
    re.compile(r"\b(?:Rural\s+Route|RR|HC|Star\s+Route)\s+\d{1,4},?\s+Box\s+\d{1,5}\b"),
    re.compile(
        r"\b\d{1,6}\s+(?:County|State|Township|Forest|Farm\s+to\s+Market|FM)\s+(?:Road|Rd|Route|Rte|Highway|Hwy)"
        r"\s+[A-Z0-9]{1,4}\b"
    ),
    # 22 Acacia Road, Walsall WS3 1DP / Flat 3, 7 Mill Row / 1401 Pennsylvania Ave NW, Washington, DC 20004.
    re.compile(
        rf"(?:\b{_UNIT},?\s+)?\b(?:[A-Z]-)?\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}})?,?\s+"
        rf"(?:(?:N|S|E|W|NE|NW|SE|SW)\.?\s+)?"
        rf"(?!{_NOT_A_STREET_NAME}\b)(?:(?:[A-Z][A-Za-z'’-]+|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,4}}"
        rf"(?i:{_STREET_SUFFIX})\b\.?(?:\s+(?:Lower|Upper))?{_ADDRESS_TAIL}"
    ),
    # Calle Mayor 12, 3ºB, 28013 Madrid / C/ Alcalá, 45 / Av. Insurgentes Sur 1234 / Rua das Flores, 123.
    re.compile(
        r"(?i:\b(?:calle|c/|avenida|avda\.?|av\.|paseo|p[º°]\.?|plaza|pza\.?|carrer|"
        r"traves[íi]a|glorieta|rua|r\.|rúa|praça|travessa|alameda|calzada|callejón|bulevar|pasaje|pje\.))\s*"
        rf"(?:{_ES_CONNECTOR}\s+)*{_ES_NAME_WORD}(?:\s+(?:{_ES_CONNECTOR}\s+)*{_ES_NAME_WORD}){{0,4}}?"
        r",?\s*(?:n[º°o]\.?\s*)?\d{1,5}[A-Za-z]?\b"
        r"(?:,?\s*\d{1,2}\s*[º°ª]\s*(?:\d{1,2}\s*[º°ª]|izq(?:da|uierda)?\.?|dcha\.?|der(?:echa)?\.?|[A-Za-z])?)?"
        r"(?:,?\s*(?i:col(?:onia|\.))\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+(?:(?:de|del|la|las|los)\s+){0,2}[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*)?"
        r"(?:,?\s*\d{5}(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)?)?"
    ),
    # 12 rue de la Paix / 3 avenue Victor Hugo.
    re.compile(
        r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|all[ée]e|impasse|chemin|quai|place)\s+"
        r"(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?[A-ZÉÈ][\w'’-]*(?:\s+[A-ZÉÈ][\w'’-]*){0,3}"
        r"(?:,?\s*\d{5}(?:\s+[A-ZÉÈ][\w'’-]+)?)?"
    ),
    # Hauptstraße 5 / Berliner Str. 12a.
    re.compile(
        r"\b[A-ZÄÖÜ][a-zäöüß]+(?:er)?\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Damm)\s+\d{1,4}"
        rf"{_HOUSE_NUMBER_SUFFIX}"
    ),
    re.compile(
        r"\b(?:[A-ZÄÖÜ][a-zäöüß]+(?:er|e)\s+)?[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|Straße|Strasse|Str\.|weg|gasse|"
        rf"platz|allee|damm)\s+\d{{1,4}}{_HOUSE_NUMBER_SUFFIX}(?:,?\s*\d{{5}}(?:\s+[A-ZÄÖÜ][a-zäöüß]+"
        rf"(?:\s+{_TOWN_LINK_DE}\s+[A-ZÄÖÜ][a-zäöüß]+)?)?)?"
    ),
    # Springfield, IL 62704 (city, state and ZIP code without a street).
    re.compile(rf"\b{_CITY},\s+{_US_STATES}\s+{_ZIP}\b"),
    # A flat or house number, then the building and street names: Flat 302, Sai Residency, MG Road.
    re.compile(
        r"\b(?:Flat|Apt|Apartment|Unit|Suite|House|Plot|Door)\s*(?:No\.?\s*)?#?\d{1,5}[A-Z]?,\s+"
        rf"(?:{_LANE_BY_NUMBER}"
        rf"|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}})"
        rf"(?:,\s+(?:[A-Z][\w'’-]*\s+){{1,3}}{_STREET_SUFFIX}\b)?"
    ),
    # Dutch and Flemish street names are one word: Keizersgracht 123, Stationsstraat 5b.
    # Swedish, Danish, Norwegian and Finnish ones too: Drottninggatan 12, Strandvejen 5, Mannerheimintie 3.
    re.compile(
        r"\b[A-Z][a-zåäöæø]+(?:straat|gracht|weg|laan|plein|kade|singel|dijk|steeg|dreef|markt|gatan|vägen|gränd|"
        rf"torget|gade|vej|vejen|veien|gata|katu|tie)\s+\d{{1,4}}{_HOUSE_NUMBER_SUFFIX}"
    ),
    # German streets named after a place: Am Markt 3, An der Alster 12, Im Winkel 4.
    re.compile(r"\b(?:Am|An\s+der|An\s+den|Auf\s+der|Im|In\s+der|Zum|Zur)\s+[A-ZÄÖÜ][a-zäöüß]+\s+\d{1,4}[a-z]?\b"),
    # Japanese block addresses: 2-14-5 Shibuya / Sakura Heights 305, 3-14-2 Shimogamo Izumikawa-cho (the ward, city
    # and postcode after a comma are the common tail's).
    re.compile(
        r"(?:\b[A-Z][a-z]+\s+(?:Heights|Mansion|Haitsu|Residence|Court|Corpo|Palace|Apartments?)\s+\d{1,4},\s+)?"
        r"(?<![\w-])\d{1,2}-\d{1,3}-\d{1,3},?\s+[A-Z][a-z]+(?:-(?:ku|shi|cho|machi))?\b"
        r"(?:\s+[A-Z][a-z]+-(?:cho|machi)\b)?"
    ),
    # Korean road-name addresses: 45 Yeonhui-ro / 102-dong 1503-ho, 45 Yeonhui-ro 12-gil (the district, "-gu", and
    # city after a comma are the common tail's).
    re.compile(
        r"(?:\b\d{1,4}-dong\s+\d{1,5}-ho,?\s+)?\b\d{1,5}(?:-\d{1,4})?,?\s+[A-Z][a-z]+(?:\d{1,2})?-(?:ro|gil|daero)\b"
        r"(?:\s+\d{1,3}(?:beon)?-gil\b)?"
    ),
    # Welsh and Irish streets, their type first: 41 Cwrt y Felin / 7 Heol y Bryn / 17 Cnoc na Gréine / 3 Bóthar an Easa.
    re.compile(
        r"\b\d{1,4}[a-z]?,?\s+(?:Heol|Ffordd|Stryd|Cwrt|L[ôo]n|Rhodfa|Clos|Teras|Maes|"
        r"B[óo]thar|Sr[áa]id|Cnoc|Ascaill|L[áa]na|P[áa]irc|Radharc|C[úu]irt|Ard|Gleann|Bóithrín)\s+(?:(?:y|yr|na|an)\s+)?"
        r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
    ),
    # Turkish: a neighbourhood, then a street and the door: "Bahçelievler Mah. 312. Sok. No:14 D:5", "Cumhuriyet Mah.
    # Gül Sok. No:7/3" (the district and city after a comma, "Çankaya/Ankara", are the common tail's).
    re.compile(
        r"\b[A-ZÇĞİÖŞÜ][\wçğıöşü]+(?:\s+[A-ZÇĞİÖŞÜ][\wçğıöşü]+)?\s+Mah(?:\.|alle(?:si)?)\s+"
        r"(?:[\wçğıöşüÇĞİÖŞÜ.]+\s+){1,3}?(?:Sok(?:\.|a[ğk]ı?)|Sk\.|Cad(?:\.|desi)|Bulv(?:\.|arı))\s*"
        r"(?:No\s*:\s*\d{1,4}(?:/\d{1,3})?)?(?:\s*D(?:aire)?\s*:\s*\d{1,3})?"
    ),
    # Colombian streets by number: "Cra 43A #18-52", "Calle 10 No. 5-21", "Cl 80 Sur # 45-12".
    re.compile(
        r"(?i:\b(?:calle|cl|carrera|cra|kr|cr|avenida|av|diagonal|dg|transversal|tv))\.?\s*\d{1,3}[A-Z]?"
        r"(?:\s+(?:Bis|Sur|Este))?\s*(?:#|No\.?|N[º°o])\s*\d{1,3}[A-Z]?\s*-\s*\d{1,3}\b"
    ),
    # Philippine block and lot: "Blk 7 Lot 12" (the phase, barangay and city after a comma are the common tail's).
    re.compile(r"\b(?:Blk|Block)\.?\s*\d{1,4}[A-Z]?,?\s+Lot\s*\d{1,4}[A-Z]?\b"),
    # Indian house numbers: "H.No 12-2-417/A", "D.No. 4-5-6", "Door No 12/3".
    re.compile(r"\b(?:H|D)\.\s?No\.?\s*:?\s*\d{1,4}(?:[-/]\d{1,4}){0,3}(?:/[A-Z])?\b"),
    # A Kenyan or Nigerian estate and house: "Tom Mboya Estate, house no. 27".
    re.compile(
        r"\b(?:[A-Z][\w'’-]+\s+){1,3}(?:Estate|Gardens|Villas|Court)\s*,\s*(?i:house|hse|flat|block|plot)\s*"
        r"(?:no\.?\s*)?\d{1,4}[A-Z]?\b"
    ),
    # PO Box 4471 / Apartado de Correos 215 / Caixa Postal 12.
    re.compile(r"(?i:\bP\.?\s?O\.?\s?Box|\bapartado\s+de\s+correos|\bcaixa\s+postal|\bbo[iî]te\s+postale)\s+\d{1,6}\b"),
    # Street first, number after: Via Roma 45 / Rue de Rivoli 12 / Plac Zbawiciela 3/12 / Corso Italia 7.
    re.compile(
        r"\b(?:Via|Viale|Piazza|Corso|Largo|Plac|Aleje|Ulica|ul\.|Rue|Avenue|Boulevard|Rua|Avenida|Calle|Straat|Laan|"
        # written in lower case too, as French, Italian and Spanish do inside a sentence ("via" alone is English too)
        r"viale|piazza|corso|largo|plac|ulica|rue|avenue|boulevard|rua|avenida|calle|(?<=, )via|(?<=\bin )via)"
        r"\s+(?:(?:de\s+la|de\s+l'|du|des|de|d'|da|do|dos|das|del|dei|degli|della|delle|di|van|von)\s*)?"
        r"[A-ZÁÉÍÓÚÑÄÖÜŁŚŻŹ][\w'’-]*"
        r"(?:\s+[A-ZÁÉÍÓÚÑÄÖÜŁŚŻŹ][\w'’-]*){0,3},?\s+\d{1,4}[a-z]?(?:/\d{1,4})?\b(?:\s+m\.\s*\d{1,4}\b)?"
    ),
    # Welsh street names put the street's type first: 27 Heol y Coed, 4 Ffordd Las.
    re.compile(
        r"\b\d{1,5},?\s+(?:Heol|Ffordd|Stryd|Lôn|Rhodfa)\s+(?:(?:y|yr)\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
    ),
    # A UK postcode on its own: SW1A 1AA.
    re.compile(rf"\b{_UK_POSTCODE}\b"),
)


# An institution's name right before an address, then a comma (and perhaps its building's name) or a parenthesis.
_INSTITUTION_WORD = (
    r"(?:Hospital|Hôpital|Ospedale|Policlinico|Unispital|Universitätsspital|Klinikum|Klinik|Krankenhaus|Clinic|"
    r"Clinique|Cl[íi]nica|Infirmary|Hospice|Ministry|Ministerio|Ministère|Ministero|Ministerium|Department|Ombudsman|"
    r"Council|Institute|Instituto|Institut|Istituto|University|Universidad|Université|Agency|Agencia|Agence|"
    r"Authority|PHSO|NHS|"
    # the same in more languages and forms: "Cliniques universitaires Saint-Luc", "UZ Leuven", "UMC Utrecht",
    # "Szpital", "Uniwersyteckie Centrum Kliniczne", "Şişli Hamidiye Etfal Hastanesi", "Karolinska sjukhuset"
    r"Hospitals|Clinics|Cliniques|Cl[íi]nicas|Ziekenhuis|Medisch\s+Centrum|UMC|UZ|Szpital|Centrum\s+Kliniczne|"
    r"Klinika|Hastanesi|Sjukhus(?:et)?|Sykehus(?:et)?|Sairaala|Spital|Medical\s+Cent(?:er|re)|"
    r"Health\s+(?:Network|System|Centre|Center|Service|Authority))"
)
# An institution's name, then what joins it to its address: a comma (with a district), a bracket or a dash. The word
# in lower case only when a name in capitals follows it ("l'hôpital Necker (149 Rue de Sèvres)"); "a clinic at …" or
# "her clinic, 12 …" names nobody's institution and its address stays personal.
_INSTITUTION_BEFORE_ADDRESS = re.compile(
    rf"(?:\b{_INSTITUTION_WORD}\b(?:[ \t]+[A-ZÀ-Ýa-z][\w'’.-]*){{0,4}}|(?:[A-ZÀ-Ý][\w'’.-]*[ \t]+){{0,4}}"
    rf"{_INSTITUTION_WORD}\b|\b(?i:{_INSTITUTION_WORD})(?:[ \t]+[A-ZÀ-Ý][\w'’.-]*){{1,4}})"
    r"(?:,[ \t]*(?:[A-Z][\w'’-]*[ \t]*){0,2}(?:,[ \t]*)?|[ \t]*\([ \t]*|[ \t]+[—–-][ \t]+)$"
)

# Kinds whose presence makes a post about a private person: then every name in it is that person's or a relative's.
_EXPOSING_KINDS = frozenset({"email", "phone", "address", "record_number", "date_of_birth", "name"})

# What may follow a found street address and belongs to it: a unit, a district, a town, a state or province
# abbreviation and a postcode in the common national shapes, each after a comma (or " - "), up to four of them.
_POSTCODE = (
    rf"(?:{_UK_POSTCODE}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d{{4}}(?:[A-Z]{{3}})?(?![\w-])"
    rf"|\d{{4}} ?[A-Z]{{2}}(?![A-Za-z])|(?:Dublin|D)\s?\d{{1,2}}W?\b"
    # an Irish Eircode: routing key, then four letters and digits (T12 X4P8)
    rf"|(?:[AC-FHKNPRTV-Y]\d{{2}}|D6W) ?(?=[0-9AC-FHKNPRTV-Y]{{4}}\b)(?=[A-Z0-9]*\d)[0-9AC-FHKNPRTV-Y]{{4}}\b"
    rf"|\d{{3}} \d{{2}}(?= [A-ZÅÄÖ])|\d{{5}}-\d{{3}}|\d{{4}}-\d{{3}}|\d{{3}}-\d{{4}}|\d{{2}}-\d{{3}}"
    rf"|\d{{4,6}}(?:-\d{{4}})?)"
)
_NOT_A_TOWN = (
    r"(?!(?:Tel|Tél|Tlf|Phone|Ph|Mobile|Cell|Email|E-mail|Fax|Call|Ring|Text|Ask|Open|Book|CF|NI|CC|RG|PS|NB)\b)"
)
_TOWN_WORD = (
    r"[A-ZÁÉÍÓÚÑÄÖÜŁŚŻÇĞİŞ][a-záéíóúñäöüßàèìòùâêîôûãõçłśżźćńğış'’]+(?:-[A-Za-z][a-záéíóúñäöüß]+)*"
    # a Turkish district and its city: "Şişli/İstanbul"
    r"(?:/[A-ZÇĞİÖŞÜ][a-zçğıöşü]+)?"
)
_TOWN = (
    rf"{_NOT_A_TOWN}{_TOWN_WORD}"
    rf"(?:\s+(?:(?:de|do|da|dos|das|del|di|la|le|sur|upon|{_TOWN_LINK_DE})\s+)?{_NOT_A_TOWN}{_TOWN_WORD}){{0,3}}"
)
# Parts of an address after its street in the shapes the patterns above do not end with: a room, shop or floor
# ("sala 3", "loja 2", "3º 2ª", "2.º Esq."), a lane or block by number ("Gali No. 3", "Sector 15"), a street with
# its type ("J.P. Laurel Ave"), a state's abbreviation with stops ("N.L.", "B.C.") and a Mexican postcode ("C.P.").
_ADDRESS_PART = (
    r"(?:(?i:sala|loja|andar|bloque|portal|esc(?:alera)?|puerta|pta|planta|casa|lote|quadra|qd|conj(?:unto)?|"
    r"apto|apt|piso|bloco|bl)\.?\s*\w{1,5}"
    r"|\d{1,2}\.?\s*[º°ª](?:\s*(?:(?i:esq|dto|dt|dir|frente|izq(?:da)?|dcha|der)\.?|\d{1,2}\s*[º°ª]|[A-Z]\b))?"
    rf"|{_LANE_BY_NUMBER}"
    rf"|(?:[A-Z][\w.'’-]*\s+){{1,3}}{_STREET_SUFFIX}\.?"
    r"|C\.\s?P\.\s?\d{5}|(?:[A-Z]\.){2,3}"
    # a neighbourhood, barangay or borough by name: "barrio Manila", "Brgy. San Isidro", "Col. Santa María la Ribera",
    # "Alcaldía Cuauhtémoc"; Mexico City as its letters; a Swedish floor ("2 tr")
    r"|(?i:barrio|bairro|colonia|col\.|brgy\.?|barangay|alcald[íi]a|delegaci[óo]n|municipio|urbanizaci[óo]n|urb\.)\s+"
    r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’.-]*(?:\s+(?:(?:de|del|la|las|los|el)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’.-]*){0,3}"
    r"|CDMX|\d{1,2}\s?tr\.?|Co\.\s(?:[A-Z][a-z]+)"
    # a landmark people give for the door: "opp. Sai Baba temple", "near Canara Bank", "behind the water tank"
    r"|(?i:opp\.?|opposite|near|behind|beside|next\s+to)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}[A-Za-z][\w'’-]*)"
)
_ADDRESS_MORE = re.compile(
    rf"(?:(?:,\s*|\s+-\s+|\s+(?=(?:bo[iî]te|int\.|scala|interno)\s))"
    rf"(?:(?:[A-Z]{{2,3}}\s+)?{_POSTCODE}(?:\s+{_TOWN})?|{_UNIT}|{_ADDRESS_PART}"
    # a Nigerian address's street it is off: "No. 7 Adeola Crescent, off Allen Avenue, Ikeja"
    rf"|off\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?i:{_STREET_SUFFIX})\b"
    rf"|(?:{_TOWN_WORD}\s+)?(?:District|Arrondissement|Bezirk|Sector|Zone|Phase|Block|Extension)\s+\d{{1,2}}"
    rf"|{_TOWN}(?:\s+(?:[A-Z]{{2,3}}\s+)?{_POSTCODE})?|\d{{1,4}}|{_NOT_A_TOWN}[A-Z]{{2}})"
    rf"(?![\w-]))+"
)

_STATE_AFTER = re.compile(r",\s*(?:(?:[A-Z]\.){2,3}|[A-Z][a-z]{1,3}\.)(?!\w)")  # "…, 44100 Guadalajara, Jal."
_ENDS_WITH_POSTCODE_AND_TOWN = re.compile(
    rf"\b\d{{4,5}}\s+[A-ZÀ-ÝĽŁŚŻ][\w'’-]+(?:\s+(?:{_TOWN_LINK_DE}|sur|de|del)\s+[A-ZÀ-Ý][\w'’-]+)?$"
)

# A named building or a street without a number before a found address: "The Old Vicarage, Church Lane, Bampton
# OX18 2NA", "The Old Granary, 4 Station Road". Only segments ending in a street or building word, so a clinic's
# or a practice's name before its address stays.
_BUILDING = (
    r"(?:House|Cottage|Cottages|Barn|Granary|Vicarage|Rectory|Lodge|Manor|Court|Residency|Apartments|"
    r"Mansions|Towers?|Building|Block|Villa|Chambers)"
)
_NAMED_PLACE = rf"(?:The\s+)?(?:[A-Z][\w'’-]+\s+){{0,3}}(?:{_STREET_SUFFIX}|{_BUILDING})(?:\s+(?:Lower|Upper))?"
_ADDRESS_BEFORE = re.compile(rf"(?<![\w'’-])(?:{_NAMED_PLACE},\s*)+$")
# A flat's floor and door before the house number ("3/2 45 Byres Road", Scottish tenements; "flat 2/1, 10 …").
_FLAT_BEFORE = re.compile(r"(?<![\w/])(?:(?i:flat)\s*)?\d{1,2}/\d{1,2},?\s+$")
# What names the house or the flat right before a found address: "No. 7 …", "Lot 12 …", "number 9 …", "Apt 1207 - 88 …",
# a Spanish floor and doorway ("4º izquierda, Portal 2, Calle Olmo 15").
_HOUSE_BEFORE = re.compile(
    r"(?<![\w.])(?:(?:No\.?|Number|number|Lot|Plot)\s*"
    r"|(?:Apt|Apartment|Flat|Unit|Suite)\.?\s*#?\d{1,5}[A-Za-z]?\s*(?:-|,)?\s*"
    r"|\d{1,2}\s*[º°ª]\s*(?:izquierda|derecha|izq(?:da)?\.?|dcha\.?|[A-Z])?,\s*(?:(?:Portal|Escalera|Esc\.)\s*\w{1,3},\s*)?)$"
)
# The town before a postcode found alone: "Bampton OX18 2NA".
_TOWN_BEFORE = re.compile(rf"(?<![\w'’-]){_TOWN_WORD},?\s+$")

# Countries whose national phone formats Google's libphonenumber should recognise when no "+" says the country.
PHONE_REGIONS = (
    "US", "GB", "IE", "CA", "AU", "IN", "NG", "ZA", "KE", "PH", "ES", "MX", "AR", "CO", "CL", "PE", "PT", "BR",
    "FR", "BE", "DE", "AT", "CH", "IT", "NL", "PL", "JP",
)  # fmt: skip


@lru_cache(maxsize=1)
def _fewest_phone_digits() -> dict[str, int]:
    """The fewest digits of a valid national number in each of PHONE_REGIONS (libphonenumber's metadata)."""
    import phonenumbers

    fewest = {}
    for region in PHONE_REGIONS:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        general = metadata.general_desc if metadata else None
        lengths = [length for length in (general.possible_length if general else ()) or () if length > 0]
        fewest[region] = min(lengths, default=0)  # unknown: never skipped
    return fewest


def _valid_phone_numbers(text: str) -> list[tuple[int, int]]:
    """Numbers libphonenumber finds valid for one of PHONE_REGIONS, except toll-free, shared-cost and premium lines
    (organisations' numbers). Runs after the patterns, on what they left."""
    import phonenumbers  # a few MB of metadata per region, loaded on first use

    kept_types = {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.SHARED_COST,
                  phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.UAN}  # fmt: skip
    found: set[tuple[int, int]] = set()
    digits = _digits(text)
    for region, fewest in _fewest_phone_digits().items():
        if digits < fewest:
            continue  # no valid number of this region fits in the post's digits: skip its (costly) matcher
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            quantity = match.raw_string.endswith("000") or not _NOT_A_QUANTITY_AFTER.match(text, match.end)
            if not quantity and phonenumbers.number_type(match.number) not in kept_types:
                found.add((match.start, match.end))
    # Keep the longest of overlapping matches (two regions may read the same digits differently).
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen


# --- the redactor -------------------------------------------------------------------------------------------------


def _digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _enough_digits(match: re.Match[str]) -> Found:
    return (match.start(2), match.end()) if _digits(match.group(2)) >= 4 else None


def _checked_id(formats: tuple[str, ...]) -> Callable[[re.Match[str]], Found]:
    """Keep a match that one of python-stdnum's ``formats`` (module paths under ``stdnum``) finds valid."""
    import importlib

    validators = [importlib.import_module(f"stdnum.{name}").is_valid for name in formats]
    return lambda match: match.span() if any(valid(match.group(0)) for valid in validators) else None


def _named_before(match: re.Match[str]) -> Found:
    """Keep an id-shaped number when an identity document is named shortly before it in the post."""
    named = _ID_NAMED_BEFORE.search(match.string, max(0, match.start() - ID_NAMED_WITHIN), match.start())
    return match.span() if named else None


def _dni_letter_ok(digits: str, letter: str) -> bool:
    return _DNI_LETTERS[int(digits) % 23] == letter


def _normalise_handle(handle: str) -> tuple[str, str | None]:
    """Lower-case (user, instance) of '@user' or '@user@instance'."""
    user, _, instance = handle.strip().lstrip("@").lower().partition("@")
    return user, instance or None


Found = tuple[int, int] | None
"""What a recogniser decides for one match: the (start, end) to remove, or None to leave it."""


def _whole(match: re.Match[str]) -> Found:
    return match.span()


def _from_group(group: int) -> Callable[[re.Match[str]], Found]:
    """Remove from the start of ``group`` to the end of the match (what precedes it is a label that stays)."""
    return lambda match: (match.start(group), match.end())


class _Redactor:
    """One redaction pass over one text: each step finds spans in what earlier steps left, then masks them."""

    def __init__(self, text: str, author_handle: str | None) -> None:
        self.text = text
        self.doc: Any = None  # the model's reading of text, made once (by parse_many for a batch, else on first use)
        self.tagged: TaggedNames | None = None  # Rampart's reading, the same way (tag_names)
        self.masked = _mask_urls(text)
        self.spans: list[Span] = []
        self.author = _normalise_handle(author_handle) if author_handle else None

    def find(self, pattern: re.Pattern[str], kind: str, decide: Callable[[re.Match[str]], Found] = _whole) -> None:
        """Record what ``decide`` keeps of each match of ``pattern``, then mask it from later steps."""
        found = [span for match in pattern.finditer(self.masked) if (span := decide(match)) and span[1] > span[0]]
        self.add(found, kind)

    def protect(self, pattern: re.Pattern[str], tail: re.Pattern[str] | None = None, group: int = 0) -> None:
        """Mask what must stay (like a URL) so that no later step removes it, with what ``tail`` matches right after
        each match (a public address's town and postcode); with ``group``, only that group of each match (the
        label before it stays open to the other steps)."""
        for found in list(pattern.finditer(self.masked)):
            start, end = found.span(group)
            more = tail.match(self.masked, end) if tail else None
            end = more.end() if more else end
            self.masked = self.masked[:start] + _URL_MASK * (end - start) + self.masked[end:]

    def add(self, found: list[tuple[int, int]], kind: str) -> None:
        masked = self.masked
        for start, end in found:
            self.spans.append(Span(start, end, kind))
            masked = masked[:start] + _FOUND_MASK * (end - start) + masked[end:]
        self.masked = masked

    def is_author(self, user: str, instance: str | None) -> bool:
        if self.author is None:
            return False
        author_user, author_instance = self.author
        if user.lower() != author_user:
            return False
        # "@snowpine" in a post by "@snowpine@mstdn.ca" is the author; "@snowpine@other.social" is someone else.
        return instance is None or author_instance is None or instance.lower() == author_instance

    def handles(self) -> None:
        self.find(_HANDLE, "handle", lambda m: None if self.is_author(m.group(1), m.group(2)) else m.span())
        self.find(_REDDIT_USER, "handle", lambda m: None if self.is_author(m.group(1), None) else m.span())

    def record_numbers(self) -> None:
        self.find(
            _CARD,
            "record_number",
            lambda m: m.span() if 13 <= _digits(m.group(0)) <= 19 and _luhn_ok(re.sub(r"\D", "", m.group(0))) else None,
        )
        for pattern, formats in _CHECKED_IDS:
            self.find(pattern, "record_number", _checked_id(formats))
        self.find(_ID_LAYOUTS, "record_number", _named_before)
        self.find(_RECORD_LABELLED, "record_number", _from_group(2))
        self.find(_ID_LABELLED, "record_number", _enough_digits)
        self.find(_ID_AT_A_DISTANCE, "record_number", lambda m: _enough_digits(m) if _digits(m.group(2)) >= 5 else None)
        self.find(
            _CARD_LAYOUT,
            "record_number",
            lambda m: None if _TRACKING_BEFORE.search(m.string, 0, m.start()) else m.span(),
        )
        self.find(_CARD_LABELLED, "record_number", lambda m: m.span(2) if 12 <= _digits(m.group(2)) <= 19 else None)
        self.find(_ID_SHAPES, "record_number")
        self.find(_SSN, "record_number")

        def nhs(match: re.Match[str]) -> Found:
            digits = match.group(1) + match.group(3) + match.group(4)
            after_country_code = _COUNTRY_CODE_BEFORE.search(match.string, 0, match.start()) is not None
            if after_country_code or not _nhs_check_digit_ok(digits):
                return None  # left for the phone patterns
            return match.span()

        self.find(_NHS_SHAPE, "record_number", nhs)
        self.find(_DNI, "record_number", lambda m: m.span() if _dni_letter_ok(m.group(1), m.group(2)) else None)

    def dates_of_birth(self) -> None:
        def decide(match: re.Match[str]) -> Found:
            label, date, year_only = match.group(1), match.group(4), match.group(5)
            if year_only and not label:
                return None  # "born in 1990" is a year, not a date of birth
            return match.start(4 if date else 5), match.end()

        self.find(_DOB, "date_of_birth", decide)

    def names(self) -> None:
        self.find(_LABELLED_NAME, "name", _from_group(1))

    def before_the_model(self) -> None:
        """Every step that needs no model: fixed shapes, labels and cue words."""
        # Toll-free and shared-cost numbers belong to organisations (helplines, poison control): they stay, whatever
        # else their digits could be taken for.
        self.protect(_TOLL_FREE)
        for code in _PACK_CODES:
            self.protect(code, group=1)
        self.find(_EMAIL, "email")
        self.find(_SPOKEN_EMAIL, "email")
        self.handles()
        self.record_numbers()
        self.dates_of_birth()
        self.names()
        self.phones()
        self.addresses()
        self.add(cued_names(self.masked), "name")

    def exposes(self) -> bool:
        return any(span.kind in _EXPOSING_KINDS for span in self.spans)

    def needs_the_model(self) -> bool:
        """Whether the model's reading can change the result (after ``before_the_model``): in a post that exposes
        nobody's details, only a name that starts with a listed given name is kept, so a post without one is done."""
        return self.exposes() or may_hold_a_given_name(self.text)

    def needs_the_tagger(self) -> bool:
        """Whether Rampart's reading can change the result: every name taken from it starts with a capital letter."""
        return may_hold_names(self.text)

    def names_in_free_text(self, use_model: bool) -> None:
        """With the models, names in posts that expose someone's details, lone given names and the names Rampart
        is sure of (cued names are found before); then, with or without them, each name's surname, the names listed
        with it and its other mentions."""
        if use_model:
            self.names_the_models_find()
        self.add(following_surnames(self.text, self.masked, self.names_found()), "name")
        listed = listed_names(self.text, self.masked, self.names_found())
        self.add([(s, e) for s, e in listed if not self.overlaps(s, e)], "name")
        repeated = repeated_names(self.masked, self.names_found())
        self.add([(s, e) for s, e in repeated if not self.overlaps(s, e)], "name")

    def names_found(self) -> list[tuple[int, int]]:
        return [(span.start, span.end) for span in self.spans if span.kind == "name"]

    def names_the_models_find(self) -> None:
        if self.needs_the_model():
            exposes = self.exposes()
            # The model reads the original words (masks would confuse it); what overlaps found data or a URL is
            # dropped.
            if self.doc is None:
                self.doc = parse(self.text)
            found = model_names(self.text, exposes, self.doc) + given_names(self.masked, exposes)
            self.add([(s, e) for s, e in found if not self.overlaps(s, e)], "name")
            if not exposes and any(span.kind == "name" for span in self.spans):
                # A private person's name makes the post one about private people: every person the model sees.
                self.add([(s, e) for s, e in model_names(self.text, True, self.doc) if not self.overlaps(s, e)], "name")
        if self.needs_the_tagger():
            if self.tagged is None:
                self.tagged = tag_names([self.text])[0]
            threshold = TAGGED_THRESHOLD_EXPOSING if self.exposes() else TAGGED_THRESHOLD
            found = tagged_names(self.text, self.tagged.spans(threshold))
            self.add([(s, e) for s, e in found if not self.overlaps(s, e)], "name")

    def dates_after_names(self) -> None:
        """A full date (with its year) right after a removed name is that person's date of birth."""
        found = []
        for span in [s for s in self.spans if s.kind == "name"]:
            date = _DATE_AFTER_NAME.match(self.masked, span.end)
            if date and re.search(_YEAR, date.group(1)):
                found.append((date.start(1), date.end(1)))
        self.add(found, "date_of_birth")

    def overlaps(self, start: int, end: int) -> bool:
        """Whether start:end touches data already found or a URL."""
        return any(ch in (_URL_MASK, _FOUND_MASK) for ch in self.masked[start:end])

    def phones(self) -> None:
        def fixed(low: int, high: int) -> Callable[[re.Match[str]], Found]:
            def decide(match: re.Match[str]) -> Found:
                value = match.group(0)
                if not low <= _digits(value) <= high or value.rstrip().endswith("000"):
                    return None
                return match.span()

            return decide

        # A month and year ("expired 06/2023") and a DOI's digits ("10.1016/j.….2020.105949") are no phone number.
        self.protect(_NOT_A_PHONE)
        self.protect(_HELPLINE_NUMBER)
        for pattern, low, high in _PHONE_PATTERNS:
            self.find(pattern, "phone", fixed(low, high))
        self.find(_PHONE_CUE, "phone", lambda m: (m.start(2), m.end()) if 7 <= _digits(m.group(2)) <= 15 else None)
        self.add(_valid_phone_numbers(self.masked), "phone")

    def addresses(self) -> None:
        # A public address stays with its town and postcode ("1600 Pennsylvania Ave NW, Washington, DC 20500").
        self.protect(_PUBLIC_ADDRESSES, tail=_ADDRESS_MORE)
        for pattern in _ADDRESS_PATTERNS:
            self.find(pattern, "address")
        # Extend each address over the town, region and postcode that follow it, unless it already ends with a
        # postcode and its town, as continental addresses do (what follows is the post: "…, 79098 Freiburg, Krebs").
        tails = []
        for span in [s for s in self.spans if s.kind == "address"]:
            complete = _ENDS_WITH_POSTCODE_AND_TOWN.search(self.text, span.start, span.end)
            more = (_STATE_AFTER if complete else _ADDRESS_MORE).match(self.masked, span.end)
            if more and more.end() > span.end:
                tails.append((span.end, more.end()))
        self.add(tails, "address")
        heads = []
        for span in [s for s in self.spans if s.kind == "address"]:
            start = span.start
            if town := _TOWN_BEFORE.search(self.masked, 0, start):
                start = town.start() if re.match(_UK_POSTCODE, self.text[span.start : span.end]) else start
            if before := _ADDRESS_BEFORE.search(self.masked, 0, start):
                start = before.start()
            if flat := _FLAT_BEFORE.search(self.masked, 0, start):
                start = flat.start()
            if house := _HOUSE_BEFORE.search(self.masked, 0, start):
                start = house.start()
            if start < span.start:
                heads.append((start, span.start))
        self.add(heads, "address")
        self.institutions_keep_their_addresses()

    def institutions_keep_their_addresses(self) -> None:
        """An address written right after an institution's name is the institution's, and public ("Hôpital Necker,
        149 rue de Sèvres", "El Ministerio de Sanidad (Paseo del Prado 18-20, Madrid)"): it stays."""
        chains: list[list[Span]] = []
        for span in sorted((s for s in self.spans if s.kind == "address"), key=lambda s: s.start):
            if chains and self.joins(chains[-1][-1], span):
                chains[-1].append(span)
            else:
                chains.append([span])
        public = [
            span
            for chain in chains
            if _INSTITUTION_BEFORE_ADDRESS.search(self.text, 0, chain[0].start)
            for span in chain
        ]
        self.spans = [span for span in self.spans if not any(span is kept for kept in public)]

    def joins(self, last: Span, span: Span) -> bool:
        """Whether span continues last: they overlap, or they are parts of one address (a street, then its town)."""
        if span.start < last.end:
            return True
        return last.kind == span.kind == "address" and not self.text[last.end : span.start].strip(" ,-")

    def result(self) -> Redaction:
        """The original text with each removed span (overlaps merged, the first kind found wins) replaced."""
        merged: list[Span] = []
        for span in sorted(self.spans, key=lambda s: (s.start, -s.end)):
            if merged and self.joins(merged[-1], span):
                last = merged[-1]
                merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
            else:
                merged.append(span)
        pieces: list[str] = []
        removed: dict[str, int] = {}
        position = 0
        for span in merged:
            pieces += [self.text[position : span.start], PLACEHOLDERS[span.kind]]
            removed[span.kind] = removed.get(span.kind, 0) + 1
            position = span.end
        pieces.append(self.text[position:])
        return Redaction(text="".join(pieces), removed=removed, spans=tuple(merged))


def _mask_urls(text: str) -> str:
    def mask(match: re.Match[str]) -> str:
        url = match.group(0)
        stripped = url.rstrip(_URL_TRAILING)
        # Keep a closing bracket that belongs to the URL (wiki/Foo_(bar)).
        while stripped != url and url[len(stripped)] == ")" and stripped.count("(") > stripped.count(")"):
            stripped += ")"
        return _URL_MASK * len(stripped) + url[len(stripped) :]

    return _URL.sub(mask, text)


def redact(text: str, author_handle: str | None = None, use_model: bool | None = None) -> Redaction:
    """Replace personal data in a post with placeholder tokens; URLs and the author's own handle are kept.

    ``use_model`` (default: the ``redaction_model`` setting) adds the names spaCy's model and Rampart find.
    """
    return _redact_one(text, author_handle, use_model)


def redact_many(posts: Sequence[tuple[str, str | None]], use_model: bool | None = None) -> list[Redaction]:
    """``redact`` for many (text, author handle) pairs, with the same results: spaCy's model and Rampart read all the
    texts in batches first, which costs less per post than one call a post. Ingest redacts a delivery so."""
    if use_model is None:
        use_model = get_settings().redaction_model
    redactors = [_Redactor(text, author) for text, author in posts]
    for redactor in redactors:
        redactor.before_the_model()
    if use_model:
        reading = [redactor for redactor in redactors if redactor.needs_the_model()]
        for redactor, doc in zip(reading, parse_many([r.text for r in reading]), strict=True):
            redactor.doc = doc
        tagging = [redactor for redactor in redactors if redactor.needs_the_tagger()]
        for redactor, tagged in zip(tagging, tag_names([r.text for r in tagging]), strict=True):
            redactor.tagged = tagged
    return [_after_the_model(redactor, use_model) for redactor in redactors]


def _redact_one(text: str, author_handle: str | None, use_model: bool | None) -> Redaction:
    redactor = _Redactor(text, author_handle)
    redactor.before_the_model()
    return _after_the_model(redactor, get_settings().redaction_model if use_model is None else use_model)


def _after_the_model(redactor: _Redactor, use_model: bool) -> Redaction:
    redactor.names_in_free_text(use_model)
    redactor.dates_after_names()
    return redactor.result()
