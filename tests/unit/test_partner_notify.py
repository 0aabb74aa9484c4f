"""Partner notifications with in-memory fakes: the first run only records the claim set; a new claim that now
matches a partner's kept queries sends one signed delivery per (partner, claim) listing them; nothing is sent
twice; a failed delivery is given back and retried by the next run; review decisions and old claims never notify."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from functions.curation.knowledge_base import load_knowledge_base
from functions.match.engine.index import IndexedText
from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import ClaimMatch, Decision
from functions.match.engine.normalise import normalise_post
from functions.match.notify import notify_partners
from functions.shared.claims import Claim
from functions.shared.models import ApiKey, KeptQuery
from functions.shared.settings import PROJECT_ROOT
from functions.shared.webhooks import DeliveryResult, Destination

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
CLAIMS = {c.id: c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims}
OLD, NEW, OTHER_NEW = sorted(CLAIMS)[:3]


def key(key_id: str, url: str | None = "https://partner.example.org/hook") -> ApiKey:
    return ApiKey(
        key_id=key_id,
        key_hash="x",
        owner=key_id,
        scope="check",
        daily_quota=10,
        status="active",
        created_at=NOW,
        webhook_url=url,
        webhook_version=1,
    )


@dataclass
class Index:
    """The loaded index: its claim set, and what each text now matches (text -> (decision, claim id))."""

    claim_ids: set[str]
    answers: dict[str, tuple[Decision, str | None]]
    kb_version: str = "kb-test"
    checked: list[list[str]] = field(default_factory=list)

    @property
    def claims(self) -> Mapping[str, Claim]:
        return {i: CLAIMS[i] for i in self.claim_ids}

    def check_many(self, texts: list[str], top_k: int = 3) -> list[EngineResult]:
        self.checked.append(texts)
        results = []
        for text in texts:
            decision, claim_id = self.answers.get(text, (Decision.NONE, None))
            matches = (
                []
                if claim_id is None
                else [ClaimMatch(CLAIMS[claim_id], 0.91, 0.8, 1.0, IndexedText(claim_id, "s", "x"))]
            )
            results.append(EngineResult(decision, "test", matches, normalise_post(text)))
        return results


class Keys:
    def __init__(self, *keys: ApiKey) -> None:
        self.keys = list(keys)

    def keys_with_webhooks(self) -> list[ApiKey]:
        return [k for k in self.keys if k.webhook_url]


class Queries:
    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], KeptQuery] = {}
        self.claim_set: set[str] | None = None

    def add(self, key_id: str, text: str, decision: Literal["none", "review"] = "none") -> None:
        query_id = f"q{len(self.kept)}"
        self.kept[(key_id, query_id)] = KeptQuery(
            key_id=key_id,
            query_id=query_id,
            text=text,
            decision=decision,
            asked_at=NOW - timedelta(days=1),
        )

    def for_key(self, key_id: str, now: datetime) -> list[KeptQuery]:
        return [q for (k, _), q in self.kept.items() if k == key_id]

    def claim_notification(self, key_id: str, query_id: str, claim_id: str) -> bool:
        query = self.kept[(key_id, query_id)]
        if claim_id in query.notified:
            return False
        self.kept[(key_id, query_id)] = query.model_copy(update={"notified": [*query.notified, claim_id]})
        return True

    def release_notification(self, key_id: str, query_id: str, claim_id: str) -> None:
        query = self.kept[(key_id, query_id)]
        self.kept[(key_id, query_id)] = query.model_copy(
            update={"notified": [c for c in query.notified if c != claim_id]}
        )

    def notified_claim_set(self) -> set[str] | None:
        return None if self.claim_set is None else set(self.claim_set)

    def save_notified_claim_set(self, claim_ids: Iterable[str]) -> None:
        self.claim_set = set(claim_ids)


@dataclass
class Sender:
    fail: bool = False
    sent: list[tuple[Destination, str, Mapping[str, Any], str]] = field(default_factory=list)

    def send(
        self, destination: Destination, event: str, payload: Mapping[str, Any], delivery_id: str
    ) -> DeliveryResult:
        self.sent.append((destination, event, payload, delivery_id))
        return DeliveryResult(delivery_id, not self.fail, 1, 500 if self.fail else 200, None)


def destination(k: ApiKey) -> Destination:
    return Destination(k.webhook_url or "", f"secret-{k.key_id}", owner=f"key#{k.key_id}")


def test_the_first_run_records_the_claim_set_and_sends_nothing() -> None:
    queries, sender = Queries(), Sender()
    queries.add("k1", "a text")
    index = Index({OLD, NEW}, {"a text": (Decision.MATCH, NEW)})
    report = notify_partners(index, Keys(key("k1")), queries, sender, destination, NOW)
    assert report.baseline
    assert sender.sent == []
    assert queries.claim_set == {OLD, NEW}
    assert index.checked == []  # nothing re-checked either


def test_a_new_claim_that_now_matches_sends_one_delivery_per_partner_listing_its_queries() -> None:
    queries, sender = Queries(), Sender()
    queries.claim_set = {OLD}
    queries.add("k1", "first text")
    queries.add("k1", "second text", decision="review")
    queries.add("k1", "still unmatched")
    queries.add("k2", "first text")
    queries.add("k3", "first text")  # no webhook: never notified
    answers = {
        "first text": (Decision.MATCH, NEW),
        "second text": (Decision.MATCH, NEW),
        "still unmatched": (Decision.NONE, None),
    }
    index = Index({OLD, NEW}, answers)
    keys = Keys(key("k1"), key("k2", "https://other.example.org/h"), key("k3", None))

    report = notify_partners(index, keys, queries, sender, destination, NOW)

    assert (report.new_claims, report.delivered, report.failed) == ([NEW], 2, 0)
    assert [(d.owner, event) for d, event, _, _ in sender.sent] == [
        ("key#k1", "partner.claim_added"),
        ("key#k2", "partner.claim_added"),
    ]
    payload = sender.sent[0][2]
    assert payload["claim"]["claim_id"] == NEW
    assert payload["claim"]["correction"] == CLAIMS[NEW].correction
    assert payload["claim"]["sources"] == [{"publisher": s.publisher, "url": s.url} for s in CLAIMS[NEW].sources]
    assert sorted(q["text"] for q in payload["queries"]) == ["first text", "second text"]
    assert {q["decision_then"] for q in payload["queries"]} == {"none", "review"}
    assert queries.claim_set == {OLD, NEW}


def test_nothing_is_sent_twice_for_the_same_query_and_claim() -> None:
    queries, sender = Queries(), Sender()
    queries.claim_set = {OLD}
    queries.add("k1", "first text")
    index = Index({OLD, NEW}, {"first text": (Decision.MATCH, NEW)})
    notify_partners(index, Keys(key("k1")), queries, sender, destination, NOW)
    queries.claim_set = {OLD}  # as if the state write had been lost: the per-query marks still hold
    notify_partners(index, Keys(key("k1")), queries, sender, destination, NOW)
    assert len(sender.sent) == 1

    index.claim_ids.add(OTHER_NEW)  # another claim later, matching the same text better: a new (query, claim)
    index.answers["first text"] = (Decision.MATCH, OTHER_NEW)
    notify_partners(index, Keys(key("k1")), queries, sender, destination, NOW)
    assert [p["claim"]["claim_id"] for _, _, p, _ in sender.sent] == [NEW, OTHER_NEW]


def test_a_failed_delivery_is_given_back_and_sent_by_the_next_run_with_the_same_id() -> None:
    queries, failing = Queries(), Sender(fail=True)
    queries.claim_set = {OLD}
    queries.add("k1", "first text")
    index = Index({OLD, NEW}, {"first text": (Decision.MATCH, NEW)})
    report = notify_partners(index, Keys(key("k1")), queries, failing, destination, NOW)
    assert (report.delivered, report.failed) == (0, 1)
    assert queries.claim_set == {OLD}  # not advanced: the next run looks again
    assert queries.kept[("k1", "q0")].notified == []

    working = Sender()
    report = notify_partners(index, Keys(key("k1")), queries, working, destination, NOW)
    assert (report.delivered, report.failed) == (1, 0)
    assert working.sent[0][3] == failing.sent[0][3]  # the same delivery id: receivers de-duplicate


def test_review_decisions_and_claims_the_partner_already_had_do_not_notify() -> None:
    queries, sender = Queries(), Sender()
    queries.claim_set = {OLD}
    queries.add("k1", "close but unsure")
    queries.add("k1", "matches an old claim")
    answers: dict[str, tuple[Decision, str | None]] = {
        "close but unsure": (Decision.REVIEW, NEW),
        "matches an old claim": (Decision.MATCH, OLD),
    }
    report = notify_partners(Index({OLD, NEW}, answers), Keys(key("k1")), queries, sender, destination, NOW)
    assert (report.new_claims, report.delivered) == ([NEW], 0)
    assert sender.sent == []


def test_no_new_claim_means_no_re_check() -> None:
    queries, sender = Queries(), Sender()
    queries.claim_set = {OLD, NEW}
    queries.add("k1", "first text")
    index = Index({OLD, NEW}, {"first text": (Decision.MATCH, NEW)})
    report = notify_partners(index, Keys(key("k1")), queries, sender, destination, NOW)
    assert report.new_claims == []
    assert index.checked == []
    assert sender.sent == []
