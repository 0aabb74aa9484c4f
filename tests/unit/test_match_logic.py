"""Match's plumbing of the reply policy, against in-memory fakes: the policy decided from the stored post, the trend
counted as spreading, counter-speech or a question, every flagged post forwarded with its decision, and the
claim-check answer. Stances are constructed here, never predicted, so nothing depends on the stance model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.index import IndexedText
from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import ClaimMatch, Decision, Matcher
from functions.match.engine.normalise import normalise_post
from functions.match.engine.stance import StanceResult
from functions.match.logic import PreparedMatch, claim_check, forward, record_batch
from functions.shared.claims import Claim, Translation
from functions.shared.models import (
    Action,
    CheckRequest,
    MatchMessage,
    Platform,
    Reach,
    Stance,
    StoredPost,
    TrendKind,
)
from functions.shared.settings import DEFAULT_REACH_THRESHOLDS, PROJECT_ROOT
from tests.unit.fakes import FakePosts, FakeSink

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
KB = load_knowledge_base(PROJECT_ROOT / "knowledge_base")
MYTH = KB.by_id["measles-mild-illness"]
FACT = next(c for c in KB.claims if not c.is_myth)
BIG = Reach(followers=5000, likes=40, shares=3)
SMALL = Reach(followers=12, likes=1)


def stored(post_id: str, text: str = "a post", **overrides: object) -> StoredPost:
    fields: dict[str, object] = {
        "post_key": f"x#{post_id}",
        "platform": Platform.X,
        "post_id": post_id,
        "author_handle": "@someone",
        "text": text,
        "url": None,
        "created_at": NOW - timedelta(minutes=30),
        "received_at": NOW - timedelta(minutes=29),
        "language": "en",
        "region": None,
        "reach": BIG,
        "discloses_own_health": False,
        "redactions": {},
        "source": "webhook",
    }
    fields.update(overrides)
    return StoredPost.model_validate(fields)


def result(claim: Claim | None, stance: Stance | None, decision: Decision = Decision.MATCH) -> EngineResult:
    matches = [] if claim is None else [ClaimMatch(claim, 0.9, 0.8, 12.0, IndexedText(claim.id, "statement", "x"))]
    predicted = None if stance is None else StanceResult(stance, 0.83, {stance.value: 0.83})
    return EngineResult(decision, "test", matches, normalise_post("a post"), predicted)


def run(posts: list[StoredPost], results: list[EngineResult]) -> tuple[FakePosts, dict[str, PreparedMatch]]:
    store = FakePosts()
    store.put_posts_if_new(posts)
    return store, record_batch(posts, results, "kb-test", store, NOW, DEFAULT_REACH_THRESHOLDS)


def test_each_flagged_post_gets_its_policy_and_its_trend_kind() -> None:
    posts = [stored(str(i)) for i in range(5)]
    results = [
        result(MYTH, Stance.SUPPORTS),
        result(MYTH, Stance.REFUTES),
        result(FACT, Stance.REFUTES),
        result(MYTH, Stance.ASKS, Decision.REVIEW),
        result(MYTH, Stance.NEUTRAL),
    ]
    store, prepared = run(posts, results)
    actions = [prepared[p.post_key].policy for p in posts]
    assert [p.action if p else None for p in actions] == [
        Action.CORRECT,
        Action.NONE,
        Action.CORRECT,
        Action.INFORM,
        Action.NONE,
    ]
    assert [store.matches[p.post_key].trend for p in posts] == [
        TrendKind.SPREADING,
        TrendKind.COUNTER_SPEECH,
        TrendKind.SPREADING,
        TrendKind.QUESTION,
        None,
    ]
    assert store.trends == {
        (TrendKind.SPREADING, MYTH.id): 1,
        (TrendKind.SPREADING, FACT.id): 1,
        (TrendKind.COUNTER_SPEECH, MYTH.id): 1,
        (TrendKind.QUESTION, MYTH.id): 1,
    }  # the neutral mention counts nowhere
    stored_policy = store.matches[posts[1].post_key].policy
    assert stored_policy is not None
    assert stored_policy.amplify
    assert stored_policy.stance is Stance.REFUTES
    assert stored_policy.stance_confidence == 0.83


def test_the_reach_rule_uses_the_posts_platform_threshold() -> None:
    small_x = stored("1", reach=SMALL)
    small_instagram = stored("2", platform=Platform.INSTAGRAM, reach=Reach(followers=120, likes=30))
    big_mastodon = stored("3", platform=Platform.MASTODON, reach=Reach(followers=60))
    posts = [small_x, small_instagram, big_mastodon]
    _, prepared = run(posts, [result(MYTH, Stance.SUPPORTS) for _ in posts])
    policies = [prepared[p.post_key].policy for p in posts]
    assert [p.action if p else None for p in policies] == [Action.MONITOR, Action.MONITOR, Action.CORRECT]
    rule = policies[1].reach_rule if policies[1] else None
    assert rule is not None
    assert (rule.platform, rule.followers, rule.engagement, rule.applied) == ("instagram", 500, 50, True)


def test_disclosures_and_exposed_data_come_from_the_stored_post() -> None:
    risky = stored("1", "I stopped taking my statins, garlic works", discloses_own_health=True, reach=SMALL)
    story = stored("2", "had measles as a kid, it was awful", discloses_own_health=True)
    doxx = stored("3", "call him on [phone] and tell him", redactions={"phone": 1})
    own = stored("4", "email me at [email] for the protocol", redactions={"email": 1})
    stances = [Stance.SUPPORTS, Stance.REFUTES, Stance.SUPPORTS, Stance.SUPPORTS]
    _, prepared = run([risky, story, doxx, own], [result(MYTH, s) for s in stances])
    first = prepared[risky.post_key].policy
    assert first is not None
    assert (first.action, first.private_reply, first.highest_priority) == (Action.CORRECT, True, True)
    agreeing = prepared[story.post_key].policy
    assert agreeing is not None
    assert (agreeing.action, agreeing.amplify) == (Action.NONE, False)
    reported = prepared[doxx.post_key].policy
    assert reported is not None
    assert (reported.action, reported.privacy_report) == (Action.NONE, True)
    advertised = prepared[own.post_key].policy
    assert advertised is not None
    assert (advertised.action, advertised.privacy_report) == (Action.CORRECT, False)


def test_a_flagged_post_without_a_stance_is_filed_not_corrected() -> None:
    post = stored("1")
    store, prepared = run([post], [result(MYTH, None)])
    policy = prepared[post.post_key].policy
    assert policy is not None
    assert policy.action is Action.NONE
    assert not policy.enters_queue
    assert store.trends == {}


def test_every_flagged_post_is_forwarded_with_its_decision_and_unflagged_ones_are_not() -> None:
    posts = [stored("1"), stored("2"), stored("3"), stored("4")]
    results = [
        result(MYTH, Stance.SUPPORTS),
        result(MYTH, Stance.REFUTES),
        result(FACT, Stance.REFUTES),
        result(MYTH, None, Decision.NONE),
    ]
    _, prepared = run(posts, results)
    sink = FakeSink()
    outcomes = [forward(prepared[p.post_key], "kb-test", sink, "corr-1") for p in posts]
    assert [o.forwarded for o in outcomes] == [True, True, True, False]
    assert [o.action for o in outcomes] == ["correct", "none", "correct", None]
    messages = [cast(MatchMessage, m) for m, _ in sink.sent]
    assert [m.post_key for m in messages] == [p.post_key for p in posts[:3]]
    assert messages[2].claim["id"] == FACT.id  # a refuted fact goes on too
    assert all(m.policy is not None for m in messages)
    assert {c for _, c in sink.sent} == {"corr-1"}


def test_redelivery_records_once_and_counts_once() -> None:
    post = stored("1")
    store, first = run([post], [result(MYTH, Stance.SUPPORTS)])
    again = record_batch([post], [result(MYTH, Stance.SUPPORTS)], "kb-test", store, NOW, DEFAULT_REACH_THRESHOLDS)
    assert first[post.post_key].newly_recorded
    assert not again[post.post_key].newly_recorded
    assert store.trends == {(TrendKind.SPREADING, MYTH.id): 1}


class FakeMatcher:
    kb_version = "kb-test"

    def __init__(self, results: list[EngineResult]) -> None:
        self.results = results
        self.languages: list[str | None] | None = None

    def check_many(
        self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None
    ) -> list[EngineResult]:
        assert len(texts) == len(self.results)
        self.languages = list(languages) if languages is not None else None
        return self.results


def test_claim_check_routes_every_text_by_the_declared_language() -> None:
    engine = FakeMatcher([result(MYTH, Stance.SUPPORTS)] * 2)
    claim_check(CheckRequest(texts=["홍역은 별거 아냐", "麻疹没什么"], language="ko"), cast(Matcher, engine))
    assert engine.languages == ["ko", "ko"]
    texts = [
        "홍역은 그냥 가벼운 병이라서 백신이 필요 없어요",
        "measles is just a mild illness, my kids got over it fine",
    ]
    response = claim_check(CheckRequest(texts=texts), cast(Matcher, engine))
    assert engine.languages == ["ko", "en"]  # undeclared: the language CLD2 is sure of
    assert [(r.language, r.language_guessed) for r in response.results] == [("ko", True), ("en", True)]
    claim_check(CheckRequest(texts=["MMR", "ok 👍"]), cast(Matcher, engine))
    assert engine.languages == [None, None]  # too little to tell: read as English, routed by script


def test_a_claim_check_says_which_language_its_correction_is_in_and_whether_it_needs_translation() -> None:
    translated = MYTH.model_copy(
        update={
            "translations": {"es": Translation(statement="El sarampión es leve.", correction="No lo es: " + "x" * 30)}
        }
    )
    engine = FakeMatcher([result(translated, Stance.SUPPORTS)])
    (spanish,) = claim_check(CheckRequest(text="el sarampión es leve", language="es"), cast(Matcher, engine)).results
    assert (spanish.claims[0].correction_language, spanish.claims[0].needs_translation) == ("es", False)
    assert spanish.claims[0].correction.startswith("No lo es")
    (german,) = claim_check(CheckRequest(text="Masern sind harmlos", language="de"), cast(Matcher, engine)).results
    assert (german.claims[0].correction_language, german.claims[0].needs_translation) == ("en", True)
    assert german.claims[0].correction == MYTH.correction
    (unknown,) = claim_check(CheckRequest(text="MMR"), cast(Matcher, engine)).results
    assert (unknown.language, unknown.claims[0].correction_language, unknown.claims[0].needs_translation) == (
        None,
        "en",
        False,
    )


@pytest.mark.parametrize(
    ("engine", "text", "action", "private"),
    [
        (result(MYTH, Stance.SUPPORTS), "measles is just a rash", Action.CORRECT, False),
        (result(MYTH, Stance.ASKS), "is measles really dangerous?", Action.INFORM, False),
        (result(MYTH, Stance.REFUTES), "measles is not mild", Action.NONE, False),
        (result(FACT, Stance.REFUTES), "that is a lie", Action.CORRECT, False),
        (result(MYTH, Stance.SUPPORTS), "I stopped my kids' jabs, measles is mild", Action.CORRECT, True),
        (result(None, None, Decision.NONE), "lovely day", Action.NONE, False),
    ],
)
def test_claim_check_returns_stance_and_action_without_a_reach_rule(
    engine: EngineResult, text: str, action: Action, private: bool
) -> None:
    response = claim_check(CheckRequest(text=text), cast(Matcher, FakeMatcher([engine])))
    (answer,) = response.results
    assert answer.action is action
    assert answer.private_reply is private
    assert answer.action_reason
    assert answer.decision == engine.decision.value
    if engine.stance is None:
        assert (answer.stance, answer.stance_confidence, answer.claims) == (None, None, [])
    else:
        assert answer.stance is engine.stance.stance
        assert answer.stance_confidence == 0.83
