"""Turn a raw social post into the text the matcher compares.

Posts carry noise that says nothing about the claim: links, ``pic.twitter.com`` attachments, the
``— Name (@handle) Date`` byline of an embedded tweet, emoji, HTML entities. Hashtags and handles, by contrast,
often *are* the claim (``#VaccinesCauseAutism``), so they are split into words rather than dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import emoji

_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:pic\.twitter\.com|t\.co|bit\.ly)/\S+", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "— Tom Elliott (@tomselliott) January 26, 2021" at the end of an embedded tweet.
_BYLINE = re.compile(
    rf"\s*[—–-]{{1,2}}\s*[^—–\n]{{0,80}}?\(@\w{{1,30}}\)\s*(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})?\s*$",
    re.IGNORECASE,
)
_TAG = re.compile(r"(?<![\w&])([#@])(\w{2,})")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
# Chinese and Japanese are written without spaces: a run of ideographs or kana is a phrase, not a word. Chinese
# words average under two characters, so every two such characters count as one word for the short-post rules.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class NormalisedPost:
    text: str
    word_count: int
    had_url: bool

    @property
    def url_only(self) -> bool:
        """The post is essentially a link: nothing of its own to compare."""
        return self.had_url and self.word_count <= 2


def split_tag(tag: str) -> str:
    """``VaccinesCauseAutism`` and ``vaccinescauseautism`` both become ``vaccines cause autism``."""
    if any(ch.isupper() for ch in tag[1:]) or "_" in tag:
        words = [w for part in tag.split("_") for w in _CAMEL.split(part) if w]
    elif tag.isascii() and tag.isalpha() and len(tag) > 6:
        # Word segmentation is English-only: keep its split only when every piece looks like a real word, so a
        # Spanish "#vacunas" stays whole instead of becoming "vac un as".
        import wordninja  # loads its word list (~0.1 s): paid by the first all-lower-case hashtag, not every start

        pieces = wordninja.split(tag)
        words = pieces if all(len(p) >= 3 for p in pieces) else [tag]
    else:
        words = [tag]
    return " ".join(words)


def _tag_to_words(match: re.Match[str]) -> str:
    return " " + split_tag(match.group(2)) + " "


def normalise_post(raw: str) -> NormalisedPost:
    text = html.unescape(raw)
    had_url = bool(_URL.search(text))
    text = _URL.sub(" ", text)
    text = _BYLINE.sub(" ", text)
    text = emoji.replace_emoji(text, replace=" ")
    text = _TAG.sub(_tag_to_words, text)
    text = _SPACE.sub(" ", text).strip()
    return NormalisedPost(text=text, word_count=count_words(text), had_url=had_url)


def count_words(text: str) -> int:
    """Words as the short-post rules mean them: spaced words, plus one for every two Chinese or Japanese characters
    (before, a Chinese post of a whole sentence counted as one or two words and could never be a ``match``)."""
    unspaced = len(_UNSPACED.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + (unspaced + 1) // 2


def text_to_embed(raw: str) -> str:
    """A phrasing or training example as the encoders see it: normalised like a post, or left raw when normalising
    leaves nothing, so every indexed text has a vector (a post that normalises to nothing is never matched)."""
    return normalise_post(raw).text or raw
