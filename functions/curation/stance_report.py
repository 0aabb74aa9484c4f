"""How well stance and the reply policy do on a labelled split: the figures the stance issue holds us to.

The policy runs exactly as in the pipeline — the predicted stance, the claim's verdict, the post's own signals
(self-disclosure from ingest's detector, risk from the stance model and the cue rules) — with reach left out (a
labelled example has none), so ``correct`` here means "would be corrected if the account were big enough". The
action the labels call for is the same policy run on the labelled stance and the labelled risk.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from functions.ingest.disclosure import discloses_own_health
from functions.match.engine.stance import StanceResult
from functions.match.engine.stance_training import StanceExample
from functions.match.policy import PolicyDecision, PostSignals, decide_action, signals_risk
from functions.shared.claims import Claim
from functions.shared.models import Action, Stance

STANCES = [s.value for s in Stance]


def policy_for(example: StanceExample, stance: Stance, claim: Claim, risky: bool) -> PolicyDecision:
    signals = PostSignals(reach=None, discloses_own_health=discloses_own_health(example.text), risky_disclosure=risky)
    return decide_action(stance, claim.is_myth, signals, None)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _confusion(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    table = {truth: dict.fromkeys(STANCES, 0) for truth in STANCES}
    for truth, predicted in pairs:
        table[truth][predicted] += 1
    return table


def evaluate_stance(
    examples: Sequence[StanceExample], predictions: Sequence[StanceResult], claims: dict[str, Claim]
) -> dict[str, Any]:
    pairs_by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for example, predicted in zip(examples, predictions, strict=True):
        claim = claims[example.claim_id]
        truth = policy_for(example, example.stance, claim, example.personal == "risk")  # what the labels call for
        decided = policy_for(example, predicted.stance, claim, predicted.risky or signals_risk(example.text))
        pairs_by_language[example.language].append((example.stance.value, predicted.stance.value))
        spreads = example.stance is (Stance.SUPPORTS if claim.is_myth else Stance.REFUTES)
        corrected = decided.action is Action.CORRECT
        counts["spreads"] += spreads
        counts["corrected"] += corrected
        counts["corrected_and_spreads"] += corrected and spreads
        counts["myth_supports"] += claim.is_myth and example.stance is Stance.SUPPORTS
        counts["myth_supports_corrected"] += claim.is_myth and example.stance is Stance.SUPPORTS and corrected
        counts["refutes"] += example.stance is Stance.REFUTES and claim.is_myth
        counts["refutes_corrected"] += example.stance is Stance.REFUTES and claim.is_myth and corrected
        counts["asks"] += example.stance is Stance.ASKS
        counts["asks_informed"] += example.stance is Stance.ASKS and decided.action is Action.INFORM
        counts["action_agrees"] += truth.action is decided.action
        counts["story"] += example.personal == "story"
        counts["story_answered"] += example.personal == "story" and decided.action is not Action.NONE
        counts["risk"] += example.personal == "risk"
        counts["risk_private_first"] += example.personal == "risk" and decided.highest_priority
        counts["first_and_private"] += decided.highest_priority
    every = [pair for pairs in pairs_by_language.values() for pair in pairs]
    return {
        "examples": len(examples),
        "stance_accuracy": _ratio(sum(t == p for t, p in every), len(every)),
        "stance_accuracy_by_language": {
            lang: _ratio(sum(t == p for t, p in pairs), len(pairs)) for lang, pairs in sorted(pairs_by_language.items())
        },
        "correct_precision": _ratio(counts["corrected_and_spreads"], counts["corrected"]),
        "correct_recall": _ratio(counts["corrected_and_spreads"], counts["spreads"]),
        "myth_supporters_corrected": _ratio(counts["myth_supports_corrected"], counts["myth_supports"]),
        "refutes_given_correct": _ratio(counts["refutes_corrected"], counts["refutes"]),
        "asks_given_inform": _ratio(counts["asks_informed"], counts["asks"]),
        "action_agreement": _ratio(counts["action_agrees"], len(examples)),
        "agreeing_stories_answered": f"{counts['story_answered']}/{counts['story']}",
        "risky_disclosures_first_and_private": f"{counts['risk_private_first']}/{counts['risk']}",
        "first_and_private_that_are_risky": f"{counts['risk_private_first']}/{counts['first_and_private']}",
        "confusion_by_language": {lang: _confusion(pairs) for lang, pairs in sorted(pairs_by_language.items())},
        "counts": dict(counts),
    }
