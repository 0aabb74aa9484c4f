"""Compose the suggested reply to a matched post, as the reply policy asked for it.

A draft is built ONLY from curated text: a short fixed opener, the claim's curated text (in the post's language when
the claim has a translation) and the claim's own source links. The post itself is never an input, so its words,
its author's handle and any personal data cannot leak into a reply. What the draft says follows the policy's action:

* ``correct`` (and ``monitor``, should the post grow): "Thanks for raising this." and, for a myth, its correction;
  for someone who denies an established fact, the fact itself (the claim's statement).
* ``inform``: an answer that opens as one ("Good question!") with the claim's correction, never "you are wrong".
* a private reply (the author disclosed their own health): a public invitation to a direct message with no
  correction, no health detail and no links.
* a privacy report (the post exposes someone else's personal data): the text of a report to the platform, never a
  reply; it names only the kinds of data removed.
* ``none``: no draft at all.

A draft is written in the post's language only when the claim has that translation (and the opener tables have the
language: English, Spanish, French). Otherwise the draft's text is EMPTY and ``needs_translation`` is set, with the
English draft as ``reference`` for the educator to translate: nothing in English is presented as if it fitted. A
post with no detected language gets the claim's own language.

A public draft is "<opener> <text>\n\nSource(s): <links>". It carries the whole text with as many sources as fit
(curator's order, at least one). Only when the whole text and even one source cannot fit (Bluesky, whose links
count in full, is the usual case) is the text shortened, with the shortest source: first to its longest run of whole
sentences, then, if not even the first sentence fits, at a word boundary ending in "…"; dropping the opener is the
last resort. The only source is never dropped.

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
from functions.shared.models import Action, ReplyPolicy

PLATFORM_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "facebook": 8000,
    "instagram": 2200,
    "youtube": 10000,
    "reddit": 10000,
    # A news article or feed item is never answered (the policy monitors it); no reply limit beyond a post's size.
    "news": 10000,
}

# Platforms that count every link as a fixed length whatever the URL (X wraps links in t.co; Mastodon fixes 23).
LINK_LENGTH: dict[str, int] = {"x": 23, "mastodon": 23}

LINK_RE = re.compile(r"""https?://\S*[^\s.,;:!?'")\]}>]""")

# X counts these code-point ranges as 1 and everything else as 2 (twitter-text config v3).
_X_LIGHT_RANGES: tuple[tuple[int, int], ...] = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

PUBLIC = "public"
PRIVATE_CHANNEL = "private_channel"
PRIVACY_REPORT = "privacy_report"
NO_REPLY = "none"
ELLIPSIS = "…"
DEFAULT_LANGUAGE = "en"

# Small fixed phrase tables; a draft in a language missing here needs translation.
OPENERS: dict[str, str] = {  # a correction
    "en": "Thanks for raising this.",
    "ar": "شكرًا لطرحك هذا الموضوع.",
    "bg": "Благодарим, че повдигнахте тази тема.",
    "de": "Danke, dass Sie das ansprechen.",
    "es": "Gracias por plantear esto.",
    "fr": "Merci de soulever ce point.",
    "ko": "이 이야기를 꺼내 주셔서 감사합니다.",
    "pt": "Obrigado por trazer esse assunto.",
    "ru": "Спасибо, что подняли эту тему.",
    "zh": "感谢您提出这个话题。",
}
INFORM_OPENERS: dict[str, str] = {  # an answer to a question
    "en": "Good question!",
    "ar": "سؤال مهم!",
    "bg": "Добър въпрос!",
    "de": "Gute Frage!",
    "es": "¡Buena pregunta!",
    "fr": "Bonne question !",
    "ko": "좋은 질문입니다!",
    "pt": "Boa pergunta!",
    "ru": "Хороший вопрос!",
    "zh": "好问题！",
}
SOURCE_LABELS: dict[str, tuple[str, str]] = {  # (one link, several links)
    "en": ("Source:", "Sources:"),
    "ar": ("المصدر:", "المصادر:"),
    "bg": ("Източник:", "Източници:"),
    "de": ("Quelle:", "Quellen:"),
    "es": ("Fuente:", "Fuentes:"),
    "fr": ("Source :", "Sources :"),
    "ko": ("출처:", "출처:"),
    "pt": ("Fonte:", "Fontes:"),
    "ru": ("Источник:", "Источники:"),
    "zh": ("来源：", "来源："),
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
    "fr": (
        "Merci de nous confier quelque chose d'aussi personnel. Si cela peut vous aider, écrivez-nous en message "
        "privé : nous vous transmettrons des informations fiables."
    ),
    "ar": "شكرًا لمشاركتك أمرًا شخصيًا كهذا. إن كان ذلك يساعدك، راسلنا برسالة خاصة وسنشاركك معلومات موثوقة على انفراد.",
    "bg": (
        "Благодарим, че споделихте нещо толкова лично. Ако това ще Ви е от полза, пишете ни в лично съобщение и "
        "ще Ви изпратим надеждна информация насаме."
    ),
    "de": (
        "Danke, dass Sie etwas so Persönliches mit uns teilen. Wenn es Ihnen hilft, schreiben Sie uns eine "
        "Direktnachricht, dann schicken wir Ihnen verlässliche Informationen privat."
    ),
    "ko": (
        "개인적인 이야기를 나눠 주셔서 감사합니다. 도움이 필요하시면 DM(개인 메시지)으로 연락해 주세요. "
        "믿을 수 있는 정보를 따로 안내해 드리겠습니다."
    ),
    "pt": (
        "Obrigado por compartilhar algo tão pessoal com a gente. Se for útil, mande uma mensagem direta e "
        "enviaremos informações confiáveis para você em particular."
    ),
    "ru": (
        "Спасибо, что поделились чем-то настолько личным. Если это поможет, напишите нам в личные сообщения, "
        "и мы пришлём надёжную информацию лично вам."
    ),
    "zh": "感谢您分享如此私人的经历。如果需要，欢迎私信我们，我们可以私下为您提供可靠的信息。",
}
# What a privacy report may name: the kinds of personal data ingest removed, never the data itself.
REPORTABLE = {
    "name": "a name",
    "address": "a street address",
    "phone": "a phone number",
    "email": "an email address",
    "record_number": "a medical record number",
    "date_of_birth": "a date of birth",
}


@dataclass(frozen=True)
class Draft:
    """A reply ready for an educator to review; ``counted_length`` is as ``platform`` counts it."""

    text: str  # empty when the draft needs translation, or when there is nothing to send
    language: str  # the language the reply should be in
    variant: str  # PUBLIC | PRIVATE_CHANNEL | PRIVACY_REPORT | NO_REPLY
    links: list[str]
    counted_length: int
    limit: int
    needs_translation: bool = False
    reference: str | None = None  # the draft in ``reference_language``, to translate (needs translation only)
    reference_language: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "language": self.language,
            "variant": self.variant,
            "links": list(self.links),
            "counted_length": self.counted_length,
            "limit": self.limit,
            "needs_translation": self.needs_translation,
            "reference": self.reference,
            "reference_language": self.reference_language,
        }


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


def _unique_links(claim: Claim, language: str) -> list[str]:
    return list(dict.fromkeys(source.url for source in claim.sources_in(language)))


def _compose(opener: str, correction: str, links: list[str], language: str) -> str:
    one, several = SOURCE_LABELS.get(language, SOURCE_LABELS[DEFAULT_LANGUAGE])
    label = one if len(links) == 1 else several
    head = f"{opener} {correction}" if opener else correction
    return f"{head}\n\n{label} {' '.join(links)}"


# A sentence ends at . ! ? (or Arabic ؟) before a space, or at a full-width 。！？ (Chinese needs no space).
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|(?<=[。！？])")


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence but the last ends; the next word must not start in lower case, so "e.g. x" is not cut."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following and not following.islower() and not following.isdigit():
            ends.append(match.start())
    return ends


def _shortenings(correction: str) -> Iterator[str]:
    """Shorter forms of the correction, longest first: whole sentences, then a word-boundary cut with "…".

    Whole sentences come first because a cut inside a health sentence can change its meaning ("it isn't…").
    """
    for end in reversed(_sentence_ends(correction)):
        yield correction[:end].rstrip()
    words = correction.split()
    for keep in range(len(words) - 1, 0, -1):
        yield " ".join(words[:keep]).rstrip(" ,;:—–-") + ELLIPSIS


def _fitted(opener: str, body: str, links: list[str], lang: str, platform: str) -> tuple[str, list[str]]:
    """The whole body with as many sources as fit; else a shortened body with the shortest source (see above)."""
    # The whole text with the first source (curator's order) that fits, then every further source that fits.
    for first in links:
        if fits(_compose(opener, body, [first], lang), platform):
            chosen = [first]
            for link in links:
                if link not in chosen and fits(_compose(opener, body, [*chosen, link], lang), platform):
                    chosen.append(link)
            chosen.sort(key=links.index)
            return _compose(opener, body, chosen, lang), chosen
    # Never drop the only source: keep the shortest one and shorten the text; drop the opener as a last resort.
    shortest = min(links, key=lambda url: counted_length(url, platform))
    for head in (opener, ""):
        for shortened in _shortenings(body):
            text = _compose(head, shortened, [shortest], lang)
            if fits(text, platform):
                return text, [shortest]
    raise ValueError(f"even one word of the text and one source do not fit on {platform}")


def curated_text(claim: Claim, action: Action, language: str | None) -> tuple[str, str]:
    """What the reply says, as (language, text): the correction of a myth, or the fact itself for someone who
    denies it; for a question, the claim's correction either way ("No. …" for a myth, "Yes. …" for a fact)."""
    if claim.is_myth or action is Action.INFORM:
        return claim.correction_in(language)
    if language and language in claim.translations:
        return language, claim.translations[language].statement
    return claim.language, claim.statement


def writable_in(claim: Claim, language: str | None) -> bool:
    """Whether a reply can be written in ``language`` from curated text alone (None: the claim's own language)."""
    if language is None or language == claim.language:
        return True
    return language in claim.translations and language in OPENERS


def _public(claim: Claim, platform: str, language: str | None, action: Action) -> Draft:
    limit = platform_limit(platform)
    target = language if writable_in(claim, language) and language else claim.language
    lang, body = curated_text(claim, action, target)
    openers = INFORM_OPENERS if action is Action.INFORM else OPENERS
    try:
        text, links = _fitted(openers[lang], body, _unique_links(claim, lang), lang, platform)
    except ValueError as exc:
        raise ValueError(f"claim '{claim.id}': {exc}") from None
    if writable_in(claim, language):
        return Draft(text, lang, PUBLIC, links, counted_length(text, platform), limit)
    return Draft("", str(language), PUBLIC, [], 0, limit, True, text, lang)


def _private(platform: str, language: str | None) -> Draft:
    limit = platform_limit(platform)
    if language is None or language in PRIVATE_REPLIES:
        lang = language or DEFAULT_LANGUAGE
        text = PRIVATE_REPLIES[lang]
        return Draft(text, lang, PRIVATE_CHANNEL, [], counted_length(text, platform), limit)
    reference = PRIVATE_REPLIES[DEFAULT_LANGUAGE]
    return Draft("", language, PRIVATE_CHANNEL, [], 0, limit, True, reference, DEFAULT_LANGUAGE)


def privacy_report(platform: str, redactions: dict[str, int]) -> Draft:
    """A report to the platform (in English, for its trust and safety team): which kinds of data, never the data."""
    kinds = [label for kind, label in REPORTABLE.items() if redactions.get(kind, 0) > 0] or ["personal details"]
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    name = {"x": "X", "youtube": "YouTube"}.get(platform, platform.capitalize())
    text = (
        f"Privacy report to {name}: this post shares personal details of someone other than its author "
        f"({listed}). Please review it under your privacy rules and remove those details."
    )
    return Draft(text, DEFAULT_LANGUAGE, PRIVACY_REPORT, [], counted_length(text, platform), platform_limit(platform))


def draft_reply(
    claim: Claim, platform: str, language: str | None, private_reply: bool, action: Action = Action.CORRECT
) -> Draft:
    """Draft the reply to a post that matched ``claim``, in ``language`` when the claim has it (else an empty
    draft that needs translation, with the English one as reference).

    ``private_reply`` gives the private-channel invitation whatever the action. Raises ValueError for ``none`` (there
    is nothing to say) and InvalidInput for an unknown platform.
    """
    platform_limit(platform)
    if private_reply:
        return _private(platform, language)
    if action is Action.NONE:
        raise ValueError("the action is 'none': there is no reply to draft")
    return _public(claim, platform, language, action)


def draft_for(
    claim: Claim, platform: str, language: str | None, policy: ReplyPolicy, redactions: dict[str, int]
) -> Draft:
    """The draft the policy's decision calls for: a reply, a privacy report, or nothing."""
    if policy.private_reply or policy.action in (Action.CORRECT, Action.INFORM, Action.MONITOR):
        return draft_reply(claim, platform, language, policy.private_reply, policy.action)
    if policy.privacy_report:
        return privacy_report(platform, redactions)
    return Draft("", language or claim.language, NO_REPLY, [], 0, platform_limit(platform))
