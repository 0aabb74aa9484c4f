"""Information voids, the match side: is a post that matched no claim still about health? If so it is kept, with
its embedding, for the scheduled clustering (``functions/respond/voids.py``) to find what people ask about that
the knowledge base does not answer yet.

"Health-related" is a word list (body, symptoms, conditions, care, medicines, diet, safety; English, Spanish,
French, German and Portuguese stems) or, failing that, an embedding similarity to the nearest claim phrasing at or
above a floor (``ANTIDOTE_VOIDS_SIMILARITY_FLOOR``). Both are measured on a labelled sample by
``antidote voids eval`` (docs/benchmarks.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import Decision
from functions.shared.embedding_codec import encode_embedding
from functions.shared.models import StoredPost, UnmatchedPost, VoidClaim

HEALTH_TERMS_FILE = Path(__file__).with_name("health_terms.txt")
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class HealthVerdict:
    related: bool
    reason: str


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.casefold())


def health_terms(text: str) -> list[str]:
    """The words of ``text`` that start with a health stem, in order."""
    stems = _folded_stems()
    return [token for token in _TOKEN.findall(_fold(text)) if token.startswith(stems)]


@lru_cache(maxsize=1)
def _folded_stems() -> tuple[str, ...]:
    """The word list (``health_terms.txt``), read once per process."""
    lines = HEALTH_TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(dict.fromkeys(_fold(w) for line in lines if not line.startswith("#") for w in line.split()))


def health_related(text: str, nearest_similarity: float, floor: float) -> HealthVerdict:
    """Health words first (cheap, explainable); otherwise the nearest claim phrasing must be at least ``floor``
    similar (cosine) — a post that close to the knowledge base is on its ground even without the words."""
    terms = health_terms(text)
    if terms:
        return HealthVerdict(True, f"health words: {', '.join(dict.fromkeys(terms))}")
    if nearest_similarity >= floor:
        return HealthVerdict(True, f"similarity {nearest_similarity:.2f} to a claim, at or above {floor:.2f}")
    return HealthVerdict(False, f"no health words and similarity {nearest_similarity:.2f} below {floor:.2f}")


class KeptPosts(Protocol):
    def keep_posts(self, posts: list[UnmatchedPost]) -> dict[str, bool]: ...


def unmatched_health_posts(posts: list[StoredPost], results: list[EngineResult], floor: float) -> list[UnmatchedPost]:
    """The batch's posts that matched no claim but are about health, ready to keep (text as stored, redacted)."""
    kept: list[UnmatchedPost] = []
    for post, result in zip(posts, results, strict=True):
        if result.decision is not Decision.NONE or result.embedding is None:
            continue
        nearest = max((m.dense for m in result.matches), default=0.0)
        verdict = health_related(post.text, nearest, floor)
        if not verdict.related:
            continue
        kept.append(
            UnmatchedPost(
                post_key=post.post_key,
                platform=post.platform,
                language=post.language,
                region=post.region,
                text=post.text,
                received_at=post.received_at,
                embedding=encode_embedding(result.embedding),
                nearest=[
                    VoidClaim(claim_id=m.claim.id, topic=m.claim.topic, similarity=round(m.dense, 4))
                    for m in result.matches
                ],
                health_reason=verdict.reason,
            )
        )
    return kept


def keep_unmatched(posts: list[StoredPost], results: list[EngineResult], store: KeptPosts, floor: float) -> int:
    """Keep the batch's unmatched health posts (each once: a redelivery keeps nothing new); how many were new."""
    kept = unmatched_health_posts(posts, results, floor)
    return sum(store.keep_posts(kept).values()) if kept else 0
