"""Match: decide for each stored post whether it repeats a known claim, record it, pass it on for a reply."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import Decision, Matcher
from functions.match.policy import (
    PolicyDecision,
    PostSignals,
    decide_action,
    exposes_personal_data,
    signals_risk,
    trend_kind,
)
from functions.match.sentiment import sentiment
from functions.shared.claims import Claim
from functions.shared.errors import InvalidInput, NotFound
from functions.shared.language_guess import guess_language
from functions.shared.models import (
    Action,
    CheckClaim,
    CheckRequest,
    CheckResponse,
    CheckResult,
    CheckSource,
    MatchedClaim,
    MatchEntry,
    MatchMessage,
    ReplyPolicy,
    StoredPost,
    TrendKind,
)
from functions.shared.queues import MessageSink
from functions.shared.settings import ReachThreshold


class ClaimChecker(Protocol):
    """The matcher, or the micro-batcher in front of it (``functions/match/batching.py``)."""

    @property
    def kb_version(self) -> str: ...

    def check_many(
        self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None
    ) -> list[EngineResult]: ...


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
    policy: ReplyPolicy | None = None  # what the reply policy decided, when the post was flagged


@dataclass(frozen=True)
class MatchOutcome:
    post_key: str
    decision: str
    claim_id: str | None
    newly_recorded: bool
    forwarded: bool
    action: str | None = None


def load_posts(post_keys: list[str], store: MatchStore) -> dict[str, StoredPost]:
    """The batch's posts in their order; keys with no stored post (expired, never ingested) are left out."""
    found = store.get_posts(post_keys)
    return {key: found[key] for key in dict.fromkeys(post_keys) if key in found}


def check_posts(posts: list[StoredPost], matcher: Matcher) -> list[EngineResult]:
    """Embed the whole batch at once: encoding dominates the cost and batching is what makes it cheap. Each post's
    language as ingest stored it routes non-English posts to the multilingual index."""
    return matcher.check_many([p.text for p in posts], languages=[p.language for p in posts]) if posts else []


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


def post_signals(post: StoredPost) -> PostSignals:
    """What the stored post tells the reply policy: its reach, its author's disclosure, risk and exposed data."""
    return PostSignals(
        reach=post.reach,
        discloses_own_health=post.discloses_own_health,
        risky_disclosure=signals_risk(post.text),
        exposes_personal_data=exposes_personal_data(post.redactions, post.text),
        platform=post.platform.value,
    )


def reply_policy(
    result: EngineResult, claim: Claim, signals: PostSignals, threshold: ReachThreshold | None
) -> tuple[ReplyPolicy, TrendKind | None]:
    """The policy's decision for a flagged post and its top claim, and the trend the post counts in."""
    if result.stance is None:  # the matcher gives every flagged post a stance; without one, correct nobody
        unknown = PolicyDecision(Action.NONE, "no stance was predicted for this post: filed, not answered")
        return unknown.as_policy(None), None
    stance = result.stance.stance
    if result.stance.risky:  # the stance model's reading; the rules in ``signals_risk`` count too
        signals = replace(signals, risky_disclosure=True)
    decided = decide_action(stance, claim.is_myth, signals, threshold)
    return decided.as_policy(stance, result.stance.confidence), trend_kind(stance, claim.is_myth)


def record_batch(
    posts: list[StoredPost],
    results: list[EngineResult],
    kb_version: str,
    store: MatchStore,
    now: datetime,
    thresholds: Mapping[str, ReachThreshold] | None = None,
) -> dict[str, PreparedMatch]:
    """Decide the reply policy for every flagged post and record every post's match (and its claim's trend count,
    as spreading, counter-speech or a question) in as few writes as the store allows."""
    entries: list[MatchEntry] = []
    prepared: dict[str, PreparedMatch] = {}
    for post, result in zip(posts, results, strict=True):
        matched = _matched_claims(result)
        flagged = result.decision is not Decision.NONE
        best = result.matches[0].claim if flagged and result.matches else None
        policy, trend = None, None
        if best is not None:
            threshold = (thresholds or {}).get(post.platform.value)
            policy, trend = reply_policy(result, best, post_signals(post), threshold)
        entries.append(
            MatchEntry(
                post.post_key,
                result.decision.value,
                result.reason,
                kb_version,
                [m.model_dump() for m in matched],
                best.id if best and trend else None,
                trend,
                policy,
                post.region,
                post.language,
                sentiment(post.text, post.language) if best is not None else None,
            )
        )
        prepared[post.post_key] = PreparedMatch(post.post_key, result.decision.value, best, matched, False, policy)
    newly = store.record_matches(entries, now)
    return {key: replace(p, newly_recorded=newly.get(key, False)) for key, p in prepared.items()}


def forward(prepared: PreparedMatch, kb_version: str, sink: MessageSink, correlation_id: str | None) -> MatchOutcome:
    """Every flagged post goes on to respond with its policy decision — myths and facts alike: respond queues the
    corrections, answers and privacy reports for educators and files the rest where a filter shows them. Respond is
    idempotent, so forwarding again after a redelivery (e.g. a crash between recording and sending) changes
    nothing there."""
    best, policy = prepared.best, prepared.policy
    send = best is not None and policy is not None
    if best is not None and policy is not None:
        message = MatchMessage(
            post_key=prepared.post_key,
            decision=prepared.decision,
            kb_version=kb_version,
            matches=prepared.matched,
            claim=best.model_dump(mode="json"),
            policy=policy,
        )
        sink.send([message], correlation_id)
    return MatchOutcome(
        prepared.post_key,
        prepared.decision,
        best.id if best else None,
        prepared.newly_recorded,
        send,
        policy.action.value if policy else None,
    )


def check_claim(claim: Claim, score: float, language: str | None) -> CheckClaim:
    """A claim as partners see it: verdict, correction (in ``language`` when the claim has it, flagged as needing
    translation when it has not) and sources."""
    correction_language, correction = claim.correction_in(language)
    return CheckClaim(
        claim_id=claim.id,
        verdict=claim.verdict.value,
        topic=claim.topic,
        score=round(score, 4),
        statement=claim.statement,
        correction=correction,
        correction_language=correction_language,
        needs_translation=language is not None and correction_language != language,
        sources=[CheckSource(publisher=s.publisher, url=s.url) for s in claim.sources],
    )


def _check_claims(found: EngineResult, language: str | None) -> list[CheckClaim]:
    return [check_claim(m.claim, m.score, language) for m in found.matches]


def _check_result(text: str, found: EngineResult, language: str | None, guessed: bool) -> CheckResult:
    """One text's answer; its reach is unknown, so the policy runs without the reach rule."""
    policy: ReplyPolicy | None = None
    if found.decision is not Decision.NONE and found.matches:
        policy, _ = reply_policy(found, found.matches[0].claim, PostSignals(risky_disclosure=signals_risk(text)), None)
    return CheckResult(
        decision=found.decision.value,
        reason=found.reason,
        language=language,
        language_guessed=guessed and language is not None,
        stance=policy.stance if policy else None,
        stance_confidence=policy.stance_confidence if policy else None,
        action=policy.action if policy else Action.NONE,
        action_reason=policy.reason if policy else "no known claim matched: nothing to answer",
        private_reply=policy.private_reply if policy else False,
        claims=_check_claims(found, language),
    )


def claim_check(request: CheckRequest, matcher: ClaimChecker) -> CheckResponse:
    """The partners' API: texts in; decisions, stance and the suggested action, with claims, corrections and
    sources out."""
    try:
        texts = request.all_texts()
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    # A text sent without a language is read in the one CLD2 is sure of (lingua's models do not fit the match
    # function's memory), so a Russian or Spanish text meets the multilingual index and its translation.
    languages = [request.language or guess_language(text) for text in texts]
    found = matcher.check_many(texts, request.top_k, languages)
    guessed = request.language is None
    results = [
        _check_result(text, f, language, guessed) for text, f, language in zip(texts, found, languages, strict=True)
    ]
    return CheckResponse(kb_version=matcher.kb_version, results=results)


class QueryKeeper(Protocol):
    def keep(self, key_id: str, kept: Iterable[tuple[str, str]], now: datetime) -> None: ...


def keep_unanswered_checks(
    request: CheckRequest, response: CheckResponse, key_id: str, store: QueryKeeper, now: datetime
) -> int:
    """Keep, redacted as ingest redacts, each text of an opted-in partner's check that came back none or review,
    so the partner can be told when the knowledge base gains a claim that matches it. Returns how many."""
    from functions.shared.redaction import redact  # loads only for partners who opted in

    unmatched = [
        (redact(text).text, result.decision)
        for text, result in zip(request.all_texts(), response.results, strict=True)
        if result.decision != "match"
    ]
    store.keep(key_id, unmatched, now)
    return len(unmatched)


def require_post(posts: dict[str, StoredPost], post_key: str) -> StoredPost:
    post = posts.get(post_key)
    if post is None:
        raise NotFound(f"post {post_key} is not stored (expired or never ingested)")
    return post
