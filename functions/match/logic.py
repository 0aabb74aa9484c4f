"""Match: decide for each stored post whether it repeats a known claim, record it, pass it on for a reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import Decision, Matcher
from functions.shared.errors import InvalidInput, NotFound
from functions.shared.models import (
    CheckClaim,
    CheckRequest,
    CheckResponse,
    CheckResult,
    CheckSource,
    MatchedClaim,
    MatchMessage,
    StoredPost,
)
from functions.shared.queues import MessageSink


class MatchStore(Protocol):
    def get_post(self, post_key: str) -> StoredPost | None: ...
    def record_match(
        self,
        post_key: str,
        decision: str,
        reason: str,
        kb_version: str,
        matches: list[dict[str, Any]],
        counted_claim: str | None,
        now: datetime,
    ) -> bool: ...


@dataclass(frozen=True)
class MatchOutcome:
    post_key: str
    decision: str
    claim_id: str | None
    newly_recorded: bool
    forwarded: bool


def load_posts(post_keys: list[str], store: MatchStore) -> dict[str, StoredPost]:
    posts = {}
    for key in post_keys:
        post = store.get_post(key)
        if post is not None:
            posts[key] = post
    return posts


def check_posts(posts: list[StoredPost], matcher: Matcher) -> list[EngineResult]:
    """Embed the whole batch at once: encoding dominates the cost and batching is what makes it cheap."""
    return matcher.check_many([p.text for p in posts]) if posts else []


def record_and_forward(
    post: StoredPost,
    result: EngineResult,
    matcher: Matcher,
    store: MatchStore,
    sink: MessageSink,
    now: datetime,
    correlation_id: str | None = None,
) -> MatchOutcome:
    matched = [
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
    flagged = result.decision is not Decision.NONE
    best = result.matches[0].claim if flagged and result.matches else None
    newly = store.record_match(
        post.post_key,
        result.decision.value,
        result.reason,
        matcher.kb_version,
        [m.model_dump() for m in matched],
        best.id if best else None,
        now,
    )
    # Facts need no correction; a flagged myth goes on to respond. Respond is idempotent, so forwarding again
    # after a redelivery (e.g. a crash between recording and sending) changes nothing there.
    forward = best is not None and best.is_myth
    if forward and best is not None:
        sink.send(
            [
                MatchMessage(
                    post_key=post.post_key,
                    decision=result.decision.value,
                    kb_version=matcher.kb_version,
                    matches=matched,
                    claim=best.model_dump(mode="json"),
                )
            ],
            correlation_id,
        )
    return MatchOutcome(post.post_key, result.decision.value, best.id if best else None, newly, forward)


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
