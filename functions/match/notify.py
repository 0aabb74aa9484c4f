"""Partner notifications: tell a partner when the knowledge base gains a claim that now matches a text it asked
about earlier and got ``none`` or ``review`` for.

When: on a schedule (EventBridge Scheduler hourly in AWS; ``antidote serve`` at start and every
``partner_notify_minutes``), in the match function, whose container holds the index. A run compares the index's
claim set with the set it last compared against (stored with the kept queries); only when claims were added does it
re-check the kept queries of the keys that registered a webhook, and only a ``match`` decision whose top claim is
one of the added claims notifies. A partner gets one signed ``partner.claim_added`` delivery per new claim, listing
all its kept queries that now match it. Each (query, claim) is claimed with a conditional write before sending and
given back if the delivery fails, so it is never sent twice and a failed one is tried again at the next run (the
claim set is only saved once every delivery went through). The first run records the claim set and notifies
nothing: every claim would be "new" otherwise.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from functions.match.engine.matcher import CheckResult as EngineResult
from functions.match.engine.matcher import Decision
from functions.match.logic import check_claim
from functions.shared.claims import Claim
from functions.shared.models import ApiKey, KeptQuery, NotifiedQuery, PartnerClaimAdded
from functions.shared.partner_webhooks import CLAIM_ADDED_EVENT
from functions.shared.webhooks import DeliveryResult, Destination


class KnowledgeBase(Protocol):
    @property
    def kb_version(self) -> str: ...

    @property
    def claims(self) -> Mapping[str, Claim]: ...

    def check_many(self, texts: list[str], top_k: int = 3) -> list[EngineResult]: ...


class WebhookKeys(Protocol):
    def keys_with_webhooks(self) -> list[ApiKey]: ...


class KeptQueries(Protocol):
    def for_key(self, key_id: str, now: datetime) -> list[KeptQuery]: ...
    def claim_notification(self, key_id: str, query_id: str, claim_id: str) -> bool: ...
    def release_notification(self, key_id: str, query_id: str, claim_id: str) -> None: ...
    def notified_claim_set(self) -> set[str] | None: ...
    def save_notified_claim_set(self, claim_ids: Iterable[str]) -> None: ...


class Sender(Protocol):
    def send(
        self, destination: Destination, event: str, payload: Mapping[str, Any], delivery_id: str
    ) -> DeliveryResult: ...


@dataclass
class NotifyReport:
    new_claims: list[str] = field(default_factory=list)
    baseline: bool = False  # the first run: the claim set was recorded, nothing sent
    delivered: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "new_claims": self.new_claims,
            "baseline": self.baseline,
            "delivered": self.delivered,
            "failed": self.failed,
        }


def notify_partners(
    kb: KnowledgeBase,
    keys: WebhookKeys,
    queries: KeptQueries,
    sender: Sender,
    destination_for: Callable[[ApiKey], Destination],
    now: datetime,
) -> NotifyReport:
    current = set(kb.claims)
    last = queries.notified_claim_set()
    if last is None:
        queries.save_notified_claim_set(current)
        return NotifyReport(baseline=True)
    report = NotifyReport(new_claims=sorted(current - last))
    if report.new_claims:
        for key in keys.keys_with_webhooks():
            delivered, failed = _notify_key(kb, key, set(report.new_claims), queries, sender, destination_for, now)
            report.delivered += delivered
            report.failed += failed
    if report.failed == 0:
        queries.save_notified_claim_set(current)
    return report


def _notify_key(
    kb: KnowledgeBase,
    key: ApiKey,
    new_claims: set[str],
    queries: KeptQueries,
    sender: Sender,
    destination_for: Callable[[ApiKey], Destination],
    now: datetime,
) -> tuple[int, int]:
    """One partner: re-check its kept queries, one delivery per new claim they now match. (delivered, failed)."""
    kept = [q for q in queries.for_key(key.key_id, now) if not new_claims <= set(q.notified)]
    if not kept:
        return 0, 0
    found = kb.check_many([q.text for q in kept], top_k=1)
    by_claim: dict[str, list[tuple[KeptQuery, float]]] = defaultdict(list)
    for query, result in zip(kept, found, strict=True):
        top = result.matches[0] if result.matches else None
        if (
            result.decision is Decision.MATCH
            and top
            and top.claim.id in new_claims
            and top.claim.id not in query.notified
        ):
            by_claim[top.claim.id].append((query, top.score))
    delivered = failed = 0
    for claim_id, matching in sorted(by_claim.items()):
        claimed = [(q, s) for q, s in matching if queries.claim_notification(key.key_id, q.query_id, claim_id)]
        if not claimed:
            continue
        sent = sender.send(
            destination_for(key),
            CLAIM_ADDED_EVENT,
            _payload(kb, key, kb.claims[claim_id], claimed).model_dump(mode="json"),
            _delivery_id(key.key_id, claim_id, [q for q, _ in claimed]),
        )
        if sent.delivered:
            delivered += 1
            continue
        failed += 1
        for query, _ in claimed:
            queries.release_notification(key.key_id, query.query_id, claim_id)
    return delivered, failed


def _payload(kb: KnowledgeBase, key: ApiKey, claim: Claim, queries: list[tuple[KeptQuery, float]]) -> PartnerClaimAdded:
    return PartnerClaimAdded(
        key_id=key.key_id,
        kb_version=kb.kb_version,
        claim=check_claim(claim, max(score for _, score in queries), language=None),
        queries=[
            NotifiedQuery(
                query_id=q.query_id, text=q.text, asked_at=q.asked_at, decision_then=q.decision, score=round(score, 4)
            )
            for q, score in sorted(queries, key=lambda pair: pair[0].asked_at)
        ],
    )


def _delivery_id(key_id: str, claim_id: str, queries: list[KeptQuery]) -> str:
    """The same (key, claim, queries) gives the same id, so a receiver de-duplicates a resend after a failure."""
    material = "\n".join([key_id, claim_id, *sorted(q.query_id for q in queries)])
    return "dlv_" + hashlib.sha256(material.encode()).hexdigest()[:32]
