"""Match: decide for each stored post whether it repeats a known claim, record it, pass it on for a reply."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import Decision, Matcher
from functions.shared.claims import Claim
from functions.shared.errors import InvalidInput, NotFound
from functions.shared.models import (
    CheckClaim,
    CheckRequest,
    CheckResponse,
    CheckResult,
    CheckSource,
    MatchedClaim,
    MatchEntry,
    MatchMessage,
    StoredPost,
)
from functions.shared.queues import MessageSink


class MatchStore(Protocol):
    def get_posts(self, post_keys: list[str]) -> dict[str, StoredPost]: ...
    def record_matches(self, entries: list[MatchEntry], now: datetime) -> dict[str, bool]: ...


@dataclass(frozen=True)
class PreparedMatch:
    """What a batch decided for one post, recorded in storage, waiting to be forwarded."""

    post_key: str
    decision: str
    best: Claim | None  # the claim to answer, when the post was flagged
    matched: list[MatchedClaim]
    newly_recorded: bool


@dataclass(frozen=True)
class MatchOutcome:
    post_key: str
    decision: str
    claim_id: str | None
    newly_recorded: bool
    forwarded: bool


def load_posts(post_keys: list[str], store: MatchStore) -> dict[str, StoredPost]:
    """The batch's posts in their order; keys with no stored post (expired, never ingested) are left out."""
    found = store.get_posts(post_keys)
    return {key: found[key] for key in dict.fromkeys(post_keys) if key in found}


def check_posts(posts: list[StoredPost], matcher: Matcher) -> list[EngineResult]:
    """Embed the whole batch at once: encoding dominates the cost and batching is what makes it cheap."""
    return matcher.check_many([p.text for p in posts]) if posts else []


def _matched_claims(result: EngineResult) -> list[MatchedClaim]:
    return [
        MatchedClaim(
            claim_id=m.claim.id,
            verdict=m.claim.verdict.value,
            topic=m.claim.topic,
            harm=m.claim.harm.value,
            score=round(m.score, 4),
            dense_similarity=round(m.dense, 4),
            lexical_score=round(m.lexical, 4),
            closest_phrasing=m.closest.text,
        )
        for m in result.matches
    ]


def record_batch(
    posts: list[StoredPost], results: list[EngineResult], kb_version: str, store: MatchStore, now: datetime
) -> dict[str, PreparedMatch]:
    """Record every post's match (and its claim's trend count) in as few writes as the store allows."""
    entries: list[MatchEntry] = []
    prepared: dict[str, PreparedMatch] = {}
    for post, result in zip(posts, results, strict=True):
        matched = _matched_claims(result)
        flagged = result.decision is not Decision.NONE
        best = result.matches[0].claim if flagged and result.matches else None
        entries.append(
            MatchEntry(
                post.post_key,
                result.decision.value,
                result.reason,
                kb_version,
                [m.model_dump() for m in matched],
                best.id if best else None,
            )
        )
        prepared[post.post_key] = PreparedMatch(post.post_key, result.decision.value, best, matched, False)
    newly = store.record_matches(entries, now)
    return {key: replace(p, newly_recorded=newly.get(key, False)) for key, p in prepared.items()}


def forward(prepared: PreparedMatch, kb_version: str, sink: MessageSink, correlation_id: str | None) -> MatchOutcome:
    """Facts need no correction; a flagged myth goes on to respond. Respond is idempotent, so forwarding again
    after a redelivery (e.g. a crash between recording and sending) changes nothing there."""
    best = prepared.best
    send = best is not None and best.is_myth
    if send and best is not None:
        message = MatchMessage(
            post_key=prepared.post_key,
            decision=prepared.decision,
            kb_version=kb_version,
            matches=prepared.matched,
            claim=best.model_dump(mode="json"),
        )
        sink.send([message], correlation_id)
    return MatchOutcome(prepared.post_key, prepared.decision, best.id if best else None, prepared.newly_recorded, send)


def claim_check(request: CheckRequest, matcher: Matcher) -> CheckResponse:
    """The partners' API: texts in, decisions with claims, corrections and sources out."""
    try:
        texts = request.all_texts()
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    results = []
    for found in matcher.check_many(texts, request.top_k):
        claims = []
        for m in found.matches:
            _, correction = m.claim.correction_in(request.language)
            claims.append(
                CheckClaim(
                    claim_id=m.claim.id,
                    verdict=m.claim.verdict.value,
                    topic=m.claim.topic,
                    score=round(m.score, 4),
                    statement=m.claim.statement,
                    correction=correction,
                    sources=[CheckSource(publisher=s.publisher, url=s.url) for s in m.claim.sources],
                )
            )
        results.append(CheckResult(decision=found.decision.value, reason=found.reason, claims=claims))
    return CheckResponse(kb_version=matcher.kb_version, results=results)


def require_post(posts: dict[str, StoredPost], post_key: str) -> StoredPost:
    post = posts.get(post_key)
    if post is None:
        raise NotFound(f"post {post_key} is not stored (expired or never ingested)")
    return post
