"""The reply policy, exhaustively: every stance × verdict × reach (above, below, unknown) × disclosure (none, an
agreeing or spreading story, a risky one) × someone else's personal data, against the rules as the issue states
them; then the signals the policy reads from a stored post (risk, exposed data) and the reach thresholds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from functions.match.policy import (
    PostSignals,
    decide_action,
    exposes_personal_data,
    reaches,
    signals_risk,
    trend_kind,
)
from functions.shared.models import Action, Reach, Stance, TrendKind
from functions.shared.settings import DEFAULT_REACH_THRESHOLDS, ReachThreshold, Settings

THRESHOLD = ReachThreshold(followers=100, engagement=10)
REACH = {
    "above": Reach(followers=5000, likes=40, shares=3),
    "below": Reach(followers=20, likes=2, shares=1),
    "unknown": None,
}
PERSONAL = ("none", "story", "risk")


@dataclass(frozen=True)
class Expected:
    action: Action
    private_reply: bool = False
    privacy_report: bool = False
    amplify: bool = False
    highest_priority: bool = False


def expected(stance: Stance, is_myth: bool, reach: str, personal: str, exposed: bool) -> Expected:
    """The issue's rules, written out independently of the implementation."""
    spreads = (stance is Stance.SUPPORTS and is_myth) or (stance is Stance.REFUTES and not is_myth)
    agrees = (stance is Stance.REFUTES and is_myth) or (stance is Stance.SUPPORTS and not is_myth)
    answer = Action.CORRECT if spreads else Action.INFORM
    if personal != "none" and agrees:  # a personal story that agrees with the evidence: no reply, not amplified
        return Expected(Action.NONE, privacy_report=exposed)
    if personal == "risk":  # risky disclosure: private reply, first, whatever the reach
        return Expected(answer, True, exposed, highest_priority=True)
    if personal == "story" and (spreads or stance is Stance.ASKS):  # own health: privately, never in public
        return Expected(answer, True, exposed)
    if exposed:  # someone else's data: no public reply, a report to the platform
        return Expected(Action.NONE, privacy_report=True)
    if spreads or stance is Stance.ASKS:
        return Expected(Action.MONITOR if spreads and reach == "below" else answer)
    return Expected(Action.NONE, amplify=agrees)


CASES = list(itertools.product(Stance, (True, False), REACH, PERSONAL, (False, True)))


def test_the_table_covers_every_combination() -> None:
    assert len(CASES) == 4 * 2 * 3 * 3 * 2


@pytest.mark.parametrize(("stance", "is_myth", "reach", "personal", "exposed"), CASES)
def test_policy_table(stance: Stance, is_myth: bool, reach: str, personal: str, exposed: bool) -> None:
    signals = PostSignals(
        reach=REACH[reach],
        discloses_own_health=personal != "none",
        risky_disclosure=personal == "risk",
        exposes_personal_data=exposed,
        platform="x",
    )
    decided = decide_action(stance, is_myth, signals, THRESHOLD)
    want = expected(stance, is_myth, reach, personal, exposed)
    got = Expected(
        decided.action, decided.private_reply, decided.privacy_report, decided.amplify, decided.highest_priority
    )
    assert got == want
    assert decided.reason
    assert decided.enters_queue == (want.action in (Action.CORRECT, Action.INFORM) or want.privacy_report)
    if reach == "unknown":
        assert decided.reach_rule is None
    else:
        assert decided.reach_rule is not None
        assert decided.reach_rule.reached == (reach == "above")
        assert decided.reach_rule.applied == (want.action is Action.MONITOR)


# ---------------------------------------------------------------- the rules, in words


def test_a_myth_spreader_is_corrected_and_a_debunker_never_is() -> None:
    big = PostSignals(reach=REACH["above"], platform="x")
    assert decide_action(Stance.SUPPORTS, True, big, THRESHOLD).action is Action.CORRECT
    debunk = decide_action(Stance.REFUTES, True, big, THRESHOLD)
    assert debunk.action is Action.NONE
    assert debunk.amplify
    assert "never corrected" in debunk.reason


def test_refuting_an_established_fact_is_corrected_supporting_it_is_counter_speech() -> None:
    big = PostSignals(reach=REACH["above"], platform="x")
    denial = decide_action(Stance.REFUTES, False, big, THRESHOLD)
    assert denial.action is Action.CORRECT
    assert "denies an established fact" in denial.reason
    assert decide_action(Stance.SUPPORTS, False, big, THRESHOLD).amplify


def test_below_the_reach_threshold_a_correction_is_monitored_and_the_reason_shows_the_rule() -> None:
    small = PostSignals(reach=Reach(followers=99, likes=5, shares=4), platform="mastodon")
    decided = decide_action(Stance.SUPPORTS, True, small, THRESHOLD)
    assert decided.action is Action.MONITOR
    assert not decided.enters_queue
    assert "below the reach threshold on mastodon (100 followers or 10 likes + shares)" in decided.reason
    assert decided.reach_rule is not None
    assert (decided.reach_rule.post_followers, decided.reach_rule.post_engagement) == (99, 9)
    # either number reaching the threshold is enough
    assert decide_action(Stance.SUPPORTS, True, PostSignals(reach=Reach(followers=100)), THRESHOLD).action is (
        Action.CORRECT
    )
    assert decide_action(Stance.SUPPORTS, True, PostSignals(reach=Reach(likes=6, shares=4)), THRESHOLD).action is (
        Action.CORRECT
    )


def test_the_reach_rule_never_touches_questions_or_private_replies() -> None:
    small = PostSignals(reach=REACH["below"])
    assert decide_action(Stance.ASKS, True, small, THRESHOLD).action is Action.INFORM
    risky = PostSignals(reach=REACH["below"], discloses_own_health=True, risky_disclosure=True)
    assert decide_action(Stance.SUPPORTS, True, risky, THRESHOLD).action is Action.CORRECT


def test_a_claim_check_has_no_reach_rule() -> None:
    decided = decide_action(Stance.SUPPORTS, True, PostSignals(), THRESHOLD)
    assert decided.action is Action.CORRECT
    assert decided.reach_rule is None


def test_a_risky_disclosure_gets_a_private_reply_first() -> None:
    signals = PostSignals(reach=REACH["below"], discloses_own_health=True, risky_disclosure=True)
    decided = decide_action(Stance.SUPPORTS, True, signals, THRESHOLD)
    assert (decided.private_reply, decided.highest_priority, decided.enters_queue) == (True, True, True)
    assert "privately, first" in decided.reason


def test_someone_elses_data_gets_a_privacy_report_and_no_public_reply() -> None:
    signals = PostSignals(reach=REACH["above"], exposes_personal_data=True)
    decided = decide_action(Stance.SUPPORTS, True, signals, THRESHOLD)
    assert (decided.action, decided.privacy_report, decided.private_reply) == (Action.NONE, True, False)
    assert decided.enters_queue
    assert "report it to the platform" in decided.reason


def test_as_policy_carries_the_stance_and_every_flag() -> None:
    decided = decide_action(Stance.ASKS, True, PostSignals(reach=REACH["above"], platform="x"), THRESHOLD)
    policy = decided.as_policy(Stance.ASKS, 0.876543)
    assert policy.stance is Stance.ASKS
    assert policy.stance_confidence == 0.8765
    assert policy.action is Action.INFORM
    assert policy.reason == decided.reason
    assert policy.reach_rule == decided.reach_rule
    assert policy.enters_queue


@pytest.mark.parametrize(
    ("stance", "is_myth", "kind"),
    [
        (Stance.SUPPORTS, True, TrendKind.SPREADING),
        (Stance.REFUTES, False, TrendKind.SPREADING),
        (Stance.REFUTES, True, TrendKind.COUNTER_SPEECH),
        (Stance.SUPPORTS, False, TrendKind.COUNTER_SPEECH),
        (Stance.ASKS, True, TrendKind.QUESTION),
        (Stance.ASKS, False, TrendKind.QUESTION),
        (Stance.NEUTRAL, True, None),
        (Stance.NEUTRAL, False, None),
    ],
)
def test_trend_kind(stance: Stance, is_myth: bool, kind: TrendKind | None) -> None:
    assert trend_kind(stance, is_myth) is kind


# ---------------------------------------------------------------- signals read from the post


@pytest.mark.parametrize(
    "text",
    [
        "I stopped taking my statins, garlic does the same job",
        "diagnosed with type 2 last spring and i've been doing cinnamon capsules instead of the metformin",
        "HbA1c is normal so I'm coming off the metformin this week",
        "Been on sertraline for 8 months. Thinking of just stopping this weekend",
        "Doc wants me on meds but I'm going to try beetroot juice first",
        "I truly believe the mammograms caused it. Never having another one.",
        "we aren't vaccinating our kids, natural immunity is better",
        "Dejé los antidepresivos de golpe",
        "Ya casi no necesito la metformina",
        "Je prends de la cannelle à la place de la metformine",
        "J'ai arrêté mon traitement, le jeûne suffit",
    ],
)
def test_risky_disclosures_are_recognised(text: str) -> None:
    assert signals_risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "2 years on citalopram. not a zombie, still me",
        "Once your A1c is normal on keto you are CURED, no more meds needed, ever",  # advice, not the author acting
        "my doctor wants me to rest but I'm bored",
        "I have never had the flu",
        "Had my flu jab at 30 weeks and my son is a healthy toddler",
    ],
)
def test_ordinary_posts_do_not_signal_risk(text: str) -> None:
    assert not signals_risk(text)


@pytest.mark.parametrize(
    ("redactions", "text", "exposed"),
    [
        ({"phone": 1, "address": 1}, "ring the surgery on [phone], ask for Dr Patel. we're at [address]", True),
        (
            {"name": 1, "record_number": 1, "date_of_birth": 1, "phone": 1},
            "Patient: [name], MRN [record number], DOB [date of birth]. Callback [phone].",
            True,
        ),
        ({"phone": 1, "handle": 1}, "my ex [@user] keeps lying. his number is [phone], call him", True),
        ({"handle": 2}, "ask [@user] and [@user], they know", False),
        ({"email": 1, "phone": 1}, "Message me for the full protocol [email] or WhatsApp [phone].", False),
        ({"email": 1, "phone": 1}, "Escríbeme a [email] o al [phone] y te paso el protocolo", False),
        ({"date_of_birth": 1}, "I stopped my tablets. Not bad for someone born [date of birth]!", False),
        ({"address": 1, "email": 1}, "I live at [address]. Email me at [email] about the group", False),
        ({"phone": 1}, "", True),  # no text to read: every removed contact detail counts
        # a name alone exposes nobody (ingest removes names in free text); with a date of birth it does
        ({"name": 1}, "my neighbour [name] swears the flu jab gives you flu", False),
        ({"name": 1, "date_of_birth": 1}, "[name], born [date of birth], refused the jab", True),
    ],
)  # fmt: skip
def test_exposed_personal_data_is_someone_elses(redactions: dict[str, int], text: str, exposed: bool) -> None:
    assert exposes_personal_data(redactions, text) is exposed


# ---------------------------------------------------------------- reach thresholds are settings, per platform


def test_every_platform_has_a_default_threshold() -> None:
    assert set(DEFAULT_REACH_THRESHOLDS) == {"x", "bluesky", "mastodon", "facebook", "instagram", "youtube", "reddit"}
    assert Settings().reach_thresholds == DEFAULT_REACH_THRESHOLDS


def test_thresholds_are_configured_as_json_per_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTIDOTE_REACH_THRESHOLDS", '{"x": {"followers": 1000, "engagement": 50}}')
    settings = Settings()
    assert settings.reach_thresholds["x"] == ReachThreshold(followers=1000, engagement=50)
    assert settings.reach_thresholds["reddit"] == DEFAULT_REACH_THRESHOLDS["reddit"]  # the others keep defaults
    monkeypatch.setenv("ANTIDOTE_REACH_THRESHOLDS", '{"myspace": {"followers": 1, "engagement": 1}}')
    with pytest.raises(ValidationError, match="unknown platform"):
        Settings()


def test_a_zero_threshold_turns_the_rule_off() -> None:
    off = ReachThreshold(followers=0, engagement=0)
    assert reaches(off, Reach())
    signals = PostSignals(reach=Reach(), platform="x")
    assert decide_action(Stance.SUPPORTS, True, signals, off).action is Action.CORRECT
