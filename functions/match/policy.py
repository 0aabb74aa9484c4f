"""The reply policy: from a post's stance towards its claim, the claim's verdict, the post's reach and what the post
reveals about people, decide what the service suggests — ``correct``, ``inform``, ``monitor`` or ``none``.

Only someone who spreads a myth (or denies an established fact) is corrected. A question gets an answer, not a
"you are wrong". Debunks, agreeing personal stories, news and jokes get nothing. A small account's myth is counted
but not answered, so a reply does not amplify it. A post whose author says they act on a myth in a way that can
hurt them (stopping a prescribed medicine, refusing treatment) gets a private-channel reply, first. A post that
exposes someone else's personal data gets no public reply at all: its item is marked for a privacy report to the
platform instead.

=========================  ==========================================  =====================================
stance × verdict           action                                      trend
=========================  ==========================================  =====================================
supports a myth            correct (monitor below the reach threshold)  spreading
refutes a fact             correct (monitor below the reach threshold)  spreading
asks                       inform                                       question
refutes a myth             none, amplify (a personal story: none)       counter-speech
supports a fact            none, amplify (a personal story: none)       counter-speech
neutral                    none                                         not counted
=========================  ==========================================  =====================================

Then, in this order: a disclosure that signals risk (unless the post agrees with the evidence) → a private reply
with the highest priority (``correct`` for a post that spreads the myth, ``inform`` otherwise), whatever the reach;
any other disclosure of the author's own health → the same action, privately, and never a reply to an agreeing
story; someone else's personal data → no public reply, a privacy report (a private reply stays); the reach rule
last, on public corrections only (a private reply amplifies nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from functions.shared.models import REDACTION_PLACEHOLDERS, Action, Reach, ReachRule, ReplyPolicy, Stance, TrendKind
from functions.shared.settings import ReachThreshold

# Redaction kinds that carry someone's contact or identifying details (handles alone do not: replies name other
# accounts all the time). A name alone ("my neighbour [name] says …") exposes nobody, nor does a date of birth: they
# count only together (a name with a date of birth) or beside one of these.
PRIVACY_KINDS = frozenset({"address", "phone", "email", "record_number"})
NAME = "name"
DATE_OF_BIRTH = "date_of_birth"
# A sentence that hands out the author's OWN details ("email me at", "call me on", "my number is", "escríbeme a"):
# advertising yourself is not exposing someone else.
_OWN_DETAILS = re.compile(
    r"(?<!\w)(?:(?:e-?mail|message|call|ring|text|dm|whatsapp|contact|reach|write to|find)\s+(?:me|us)"
    r"|(?:me|us)\s+(?:at|on)|my\s+(?:e-?mail|number|phone|mobile|address|details)|our\s+(?:e-?mail|number|address)"
    r"|we're at|we are at|i live at|we live at|escr[ií]beme|ll[aá]mame|cont[aá]ctame"
    r"|mi\s+(?:n[uú]mero|correo|tel[eé]fono|direcci[oó]n)"
    r"|[ée]cri(?:s|vez)-moi|appel(?:le|ez)-moi|contacte(?:z)?-moi|mon\s+(?:num[ée]ro|e-?mail|adresse))(?!\w)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

_MEDS = (
    r"(?:meds|medications?|medicines?|pills|tablets|insulin|metformin|statins?|inhalers?|chemo(?:therapy)?|"
    r"treatment|antidepressants?|sertraline|citalopram|lithium|amlodipine|ramipril|"
    r"blood pressure (?:pills|tablets|meds)|"
    r"steroids?|(?:steroid )?(?:nose |nasal )?sprays?|vaccines?|jabs?|shots?|vaccinations?|screening|mammograms?|"
    r"smear tests?|biopsy|surgery|radiotherapy|medicaci[oó]n|medicamentos?|pastillas|insulina|metformina|"
    r"antidepresivos|vacunas?|tratamiento|m[ée]dicaments?|traitement|insuline|metformine|vaccins?|chimio)"
)
# First-person statements of acting on a myth in a way that can hurt: stopping or refusing treatment, or not
# vaccinating a child (English, Spanish, French — the knowledge base's languages).
_RISK = re.compile(
    r"(?<!\w)(?:"
    r"(?:i|i've|i have|i'm|i am|we|we've|we're)\s+(?:just\s+|already\s+)?(?:stopped|quit|ditched|dropped|binned|"
    r"skipped|came off|come off|coming off|going off|stopped taking|am stopping|'m stopping|stopping|quitting|"
    r"skipping|am quitting|'m quitting|won't take|won't touch|refuse[ds]?|am refusing|'m refusing|refusing|"
    r"won't be (?:taking|getting|vaccinating)|will not (?:take|vaccinate)|am not (?:taking|vaccinating)|"
    r"'m not (?:taking|vaccinating)|aren't (?:vaccinating|getting)|are not vaccinating|won't vaccinate|"
    r"flushed|threw (?:out|away))"
    r"|(?:i'm|i am|we're|we are)\s+(?:going to|gonna)\s+(?:stop|quit|skip|refuse|come off|ditch)"
    r"|thinking (?:of|about) (?:just )?(?:stopping|quitting|coming off|ditching|skipping)"
    r"|never (?:having|getting) (?:another|it again)"
    r"|(?:doctor|doc|gp|consultant|oncologist) wants me (?:on|to (?:take|start|have|get))\b[^.!?]{0,60}\bbut\b"
    r"|off (?:my|all my|the) (?:meds|medication|pills|tablets|insulin|inhaler|metformin)"
    r"|(?:no more|ditching|quitting|skipping) my "
    + _MEDS
    + r"|instead of (?:my |the |taking (?:my |the )?)?"
    + _MEDS
    + r"|(?:dej[eé]|he dejado|voy a dejar|no voy a (?:tomar|vacunar)|no vacunar[eé]|rechac[eé]|me niego)"
    r"|en (?:lugar|vez) de (?:la |el |mi |mis |los |las )?" + _MEDS + r"|ya (?:casi )?no (?:necesito|tomo)"
    r"|(?:j'ai arr[êe]t[ée]|j'arr[êe]te|je refuse|je ne (?:prends|vaccinerai) plus|pas de vaccin pour (?:mon|ma|mes))"
    r"|[àa] la place (?:de la |de mon |de ma |de mes |du |des |de l')" + _MEDS + r")(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PostSignals:
    """What the policy needs to know about the post, besides its stance."""

    reach: Reach | None = None  # unknown for a partner's claim check: no reach rule applies
    discloses_own_health: bool = False
    risky_disclosure: bool = False  # acting on the myth in a way that can hurt (stopping treatment, …)
    exposes_personal_data: bool = False  # someone else's identifying or contact details were in the post
    platform: str | None = None  # for the reach rule's wording


@dataclass(frozen=True)
class PolicyDecision:
    action: Action
    reason: str
    private_reply: bool = False  # answer in a private channel, not in public
    privacy_report: bool = False  # report the post to the platform for exposing personal data
    amplify: bool = False  # counter-speech worth amplifying (a debunk, or support for a fact)
    highest_priority: bool = False
    reach_rule: ReachRule | None = None  # the platform's threshold and how the post measured against it

    @property
    def enters_queue(self) -> bool:
        """In the educators' default queue: something to send, or something to report."""
        return self.action in (Action.CORRECT, Action.INFORM) or self.privacy_report

    def as_policy(self, stance: Stance | None, confidence: float | None = None) -> ReplyPolicy:
        """The decision as stored and shown (API, review items, console)."""
        return ReplyPolicy(
            stance=stance,
            stance_confidence=None if confidence is None else round(confidence, 4),
            action=self.action,
            reason=self.reason,
            private_reply=self.private_reply,
            privacy_report=self.privacy_report,
            amplify=self.amplify,
            highest_priority=self.highest_priority,
            reach_rule=self.reach_rule,
        )


def signals_risk(text: str) -> bool:
    return _RISK.search(text) is not None


def exposes_personal_data(redactions: dict[str, int], text: str | None = None) -> bool:
    """Whether ingest removed someone else's identifying or contact details from the post.

    With the stored (redacted) ``text``, details in a sentence where the author hands out their own ("email me
    at", "call us on", "my number is") do not count; a name or a date of birth counts only beside the other or
    beside a record number, address or contact detail that does.
    """
    counts = {kind: redactions.get(kind, 0) for kind in (*PRIVACY_KINDS, NAME, DATE_OF_BIRTH)}
    if text:
        for sentence in _SENTENCE.split(text):
            if _OWN_DETAILS.search(sentence):
                for kind in counts:
                    counts[kind] -= sentence.count(REDACTION_PLACEHOLDERS[kind])
    return any(counts[kind] > 0 for kind in PRIVACY_KINDS) or (counts[NAME] > 0 and counts[DATE_OF_BIRTH] > 0)


def reaches(threshold: ReachThreshold, reach: Reach) -> bool:
    return reach.followers >= threshold.followers or reach.likes + reach.shares >= threshold.engagement


def _reach_rule(signals: PostSignals, threshold: ReachThreshold | None) -> ReachRule | None:
    if threshold is None or signals.reach is None:
        return None
    reach = signals.reach
    return ReachRule(
        platform=signals.platform or "",
        followers=threshold.followers,
        engagement=threshold.engagement,
        post_followers=reach.followers,
        post_engagement=reach.likes + reach.shares,
        reached=reaches(threshold, reach),
        applied=False,
    )


def _spreads(stance: Stance, is_myth: bool) -> bool:
    return stance is (Stance.SUPPORTS if is_myth else Stance.REFUTES)


def trend_kind(stance: Stance, is_myth: bool) -> TrendKind | None:
    """Which trend a matched post adds to: spreading, counter-speech, a question, or none (a neutral mention)."""
    if stance is Stance.ASKS:
        return TrendKind.QUESTION
    if stance is Stance.NEUTRAL:
        return None
    return TrendKind.SPREADING if _spreads(stance, is_myth) else TrendKind.COUNTER_SPEECH


def _stance_action(stance: Stance, is_myth: bool) -> PolicyDecision:
    """The table: stance × verdict, before disclosure, privacy and reach."""
    if _spreads(stance, is_myth):
        what = "repeats a myth" if is_myth else "denies an established fact"
        return PolicyDecision(Action.CORRECT, f"the post {what}")
    if stance is Stance.ASKS:
        return PolicyDecision(Action.INFORM, "the post asks about the claim: answer the question")
    if stance is Stance.NEUTRAL:
        return PolicyDecision(Action.NONE, "the post mentions the claim without taking a side")
    what = "debunks the myth" if is_myth else "supports the established fact"
    return PolicyDecision(Action.NONE, f"the post {what}: counter-speech, never corrected", amplify=True)


def _personal(base: PolicyDecision, signals: PostSignals) -> PolicyDecision | None:
    """The author speaks about their own health (or acts on the myth): a private reply, or none at all."""
    if base.amplify:
        return PolicyDecision(Action.NONE, "a personal story that agrees with the evidence: no reply")
    if signals.risky_disclosure:
        action = Action.CORRECT if base.action is Action.CORRECT else Action.INFORM
        return PolicyDecision(
            action,
            "the author says they act on the myth in a way that can hurt them (stopping or refusing treatment): "
            "reply privately, first",
            private_reply=True,
            highest_priority=True,
        )
    if base.action is Action.NONE:
        return None
    return PolicyDecision(
        base.action, base.reason + "; the author shares their own health: reply privately", private_reply=True
    )


def decide_action(
    stance: Stance, is_myth: bool, signals: PostSignals, threshold: ReachThreshold | None
) -> PolicyDecision:
    """The action for one post and its top claim; every branch says why, for the console and the API.

    ``threshold`` is the reach threshold of the post's platform (``signals.platform``); None when there is none or
    the reach is unknown (a partner's claim check).
    """
    rule = _reach_rule(signals, threshold)
    base = _stance_action(stance, is_myth)
    decided = base
    if signals.discloses_own_health or signals.risky_disclosure:
        decided = _personal(base, signals) or base
    if signals.exposes_personal_data:
        if not decided.private_reply:
            decided = PolicyDecision(
                Action.NONE, "the post exposes someone's personal data: report it to the platform, do not reply"
            )
        decided = replace(decided, privacy_report=True)
    if decided.action is Action.CORRECT and not decided.private_reply and rule is not None and not rule.reached:
        rule = rule.model_copy(update={"applied": True})
        decided = PolicyDecision(
            Action.MONITOR,
            f"{decided.reason}, but below the reach threshold on {rule.platform} ({rule.followers} followers or "
            f"{rule.engagement} likes + shares): counted, not answered, so a reply does not amplify it",
        )
    return replace(_unanswered_platform(decided, signals), reach_rule=rule)


# Platforms where nobody can be answered: a news article or feed item is monitored (counted in trends), never
# corrected, answered or reported.
UNANSWERED_PLATFORMS = frozenset({"news"})


def _unanswered_platform(decided: PolicyDecision, signals: PostSignals) -> PolicyDecision:
    if signals.platform not in UNANSWERED_PLATFORMS or not decided.enters_queue:
        return decided
    return PolicyDecision(Action.MONITOR, f"{decided.reason}; a news article or feed item: monitored, not answered")
