"""Compose the suggested reply to a post that repeats a known myth.

A draft is built ONLY from curated text: a short fixed opener, the claim's correction (in the post's language when
the claim has a translation) and the claim's own source links. The post itself is never an input, so its words,
its author's handle and any personal data cannot leak into a reply. A post whose author disclosed their own health
gets the private-channel variant instead: a public invitation to a direct message with no correction, no health
detail and no links.

A public draft is "<opener> <correction>\n\nSource(s): <links>". It carries the whole correction with as many
sources as fit (curator's order, at least one). Only when the whole correction and even one source cannot fit
(Bluesky, whose links count in full, is the usual case) is the correction shortened, with the shortest source: first
to its longest run of whole sentences, then, if not even the first sentence fits, at a word boundary ending in "…";
dropping the opener is the last resort. The only source is never dropped.

Length counting (``counted_length``) is deliberately simple because the web console mirrors it in JavaScript:

* A link is a token that starts with ``http://`` or ``https://`` and runs to the next whitespace; trailing
  punctuation ``.,;:!?'")]}>`` is not part of the link (it is counted as ordinary text). Bare domains
  ("who.int") are plain text.
* Text is NFC-normalised, then counted in Unicode code points (JavaScript: ``[...text].length``, not
  ``text.length``, which counts UTF-16 units). Platforms that count graphemes (Bluesky, Mastodon) never count
  more than code points, so this errs on the safe side.
* X ("x"): limit 280; every link counts as 23 (t.co wrapping). X's weighting: a code point in U+0000-U+10FF,
  U+2000-U+200D, U+2010-U+201F or U+2032-U+2037 counts 1, any other (CJK, emoji, "…" U+2026) counts 2. An emoji
  sequence therefore counts 2 per code point here, at least as much as X counts it.
* Bluesky: limit 300; ASSUMPTION: the reply is posted with the full URL in its text, so a link counts its full
  length (clients may display links shortened through rich-text facets, but the 300 limit applies to the text).
* Mastodon: limit 500; every link counts as 23, as Mastodon does whatever the URL's length.
* Facebook 8000, Instagram 2200, YouTube 10000, Reddit 10000: links count their full length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from functions.shared.claims import Claim
from functions.shared.errors import InvalidInput

PLATFORM_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "facebook": 8000,
    "instagram": 2200,
    "youtube": 10000,
    "reddit": 10000,
}

# Platforms that count every link as a fixed length whatever the URL (X wraps links in t.co; Mastodon fixes 23).
LINK_LENGTH: dict[str, int] = {"x": 23, "mastodon": 23}

LINK_RE = re.compile(r"""https?://\S*[^\s.,;:!?'")\]}>]""")

# X counts these code-point ranges as 1 and everything else as 2 (twitter-text config v3).
_X_LIGHT_RANGES: tuple[tuple[int, int], ...] = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

PUBLIC = "public"
PRIVATE_CHANNEL = "private_channel"
ELLIPSIS = "…"
DEFAULT_LANGUAGE = "en"

# Small fixed phrase tables; a language missing here falls back to English.
OPENERS: dict[str, str] = {
    "en": "Thanks for raising this.",
    "es": "Gracias por plantear esto.",
}
SOURCE_LABELS: dict[str, tuple[str, str]] = {  # (one link, several links)
    "en": ("Source:", "Sources:"),
    "es": ("Fuente:", "Fuentes:"),
}
PRIVATE_REPLIES: dict[str, str] = {
    "en": (
        "Thanks for sharing something so personal. If it would help, send us a direct message and we can share "
        "reliable information privately."
    ),
    "es": (
        "Gracias por compartir algo tan personal. Si te sirve, escríbenos por mensaje directo y podremos "
        "compartir contigo información fiable en privado."
    ),
}


@dataclass(frozen=True)
class Draft:
    """A reply ready for an educator to review; ``counted_length`` is as ``platform`` counts it."""

    text: str
    language: str
    variant: str  # PUBLIC | PRIVATE_CHANNEL
    links: list[str]
    counted_length: int
    limit: int


def platform_limit(platform: str) -> int:
    """The platform's reply limit; an unknown platform is a client error (422), not a silent default."""
    try:
        return PLATFORM_LIMITS[platform]
    except KeyError:
        known = ", ".join(sorted(PLATFORM_LIMITS))
        raise InvalidInput(f"unknown platform '{platform}' (known: {known})") from None


def _unit_weight(_char: str) -> int:
    return 1


def _x_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2


def counted_length(text: str, platform: str) -> int:
    """The length of ``text`` as ``platform`` counts it against its limit (rules in the module docstring)."""
    platform_limit(platform)
    text = unicodedata.normalize("NFC", text)
    fixed_link = LINK_LENGTH.get(platform)
    count_char = _x_weight if platform == "x" else _unit_weight
    total = 0
    position = 0
    for match in LINK_RE.finditer(text):
        total += sum(count_char(c) for c in text[position : match.start()])
        total += fixed_link if fixed_link is not None else len(match.group())
        position = match.end()
    total += sum(count_char(c) for c in text[position:])
    return total


def fits(text: str, platform: str) -> bool:
    """Whether ``text`` is within ``platform``'s limit; the review API re-checks edited replies with this."""
    return counted_length(text, platform) <= platform_limit(platform)


def _unique_links(claim: Claim) -> list[str]:
    return list(dict.fromkeys(source.url for source in claim.sources))


def _compose(opener: str, correction: str, links: list[str], language: str) -> str:
    one, several = SOURCE_LABELS.get(language, SOURCE_LABELS[DEFAULT_LANGUAGE])
    label = one if len(links) == 1 else several
    head = f"{opener} {correction}" if opener else correction
    return f"{head}\n\n{label} {' '.join(links)}"


# A sentence ends at . ! or ? followed by space and a capital (or Spanish opening mark), so "e.g. x" is not cut.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])")


def _shortenings(correction: str) -> Iterator[str]:
    """Shorter forms of the correction, longest first: whole sentences, then a word-boundary cut with "…".

    Whole sentences come first because a cut inside a health sentence can change its meaning ("it isn't…").
    """
    sentences = _SENTENCE_END.split(correction)
    for keep in range(len(sentences) - 1, 0, -1):
        yield " ".join(sentences[:keep])
    words = correction.split()
    for keep in range(len(words) - 1, 0, -1):
        yield " ".join(words[:keep]).rstrip(" ,;:—–-") + ELLIPSIS


def _public_text(claim: Claim, platform: str, language: str | None) -> tuple[str, str, list[str]]:
    lang, correction = claim.correction_in(language)
    opener = OPENERS.get(lang, OPENERS[DEFAULT_LANGUAGE])
    links = _unique_links(claim)
    # The whole correction with the first source (curator's order) that fits, then every further source that fits.
    for first in links:
        if fits(_compose(opener, correction, [first], lang), platform):
            chosen = [first]
            for link in links:
                if link not in chosen and fits(_compose(opener, correction, [*chosen, link], lang), platform):
                    chosen.append(link)
            chosen.sort(key=links.index)
            return _compose(opener, correction, chosen, lang), lang, chosen
    # Never drop the only source: keep the shortest one and shorten the correction; drop the opener as a last resort.
    shortest = min(links, key=lambda url: counted_length(url, platform))
    for head in (opener, ""):
        for shortened in _shortenings(correction):
            text = _compose(head, shortened, [shortest], lang)
            if fits(text, platform):
                return text, lang, [shortest]
    raise ValueError(f"claim '{claim.id}': even one word of the correction and one source do not fit on {platform}")


def draft_reply(claim: Claim, platform: str, language: str | None, discloses_own_health: bool) -> Draft:
    """Draft the reply for a post that matched ``claim``, in ``language`` when the claim has it.

    Raises ValueError for a claim with verdict "true" (a fact needs no correction) and InvalidInput for an unknown
    platform.
    """
    limit = platform_limit(platform)
    if not claim.is_myth:
        raise ValueError(f"claim '{claim.id}' is a verified fact (verdict true); it needs no correction")
    if discloses_own_health:
        lang = language if language in PRIVATE_REPLIES else DEFAULT_LANGUAGE
        text = PRIVATE_REPLIES[lang]
        return Draft(text, lang, PRIVATE_CHANNEL, [], counted_length(text, platform), limit)
    text, lang, links = _public_text(claim, platform, language)
    return Draft(text, lang, PUBLIC, links, counted_length(text, platform), limit)
