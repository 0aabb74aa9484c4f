"""Partners' kept claim checks: the redacted text of a check that came back ``none`` or ``review``, kept for that
partner only (hash key: the API key id) for ``partner_query_days``, and the claims each was notified about.

"Never twice for the same (query, claim)" is a conditional write: a notification claims the pair by adding the
claim to the query's ``notified`` set only if it is not there yet, and gives it back if the delivery failed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import PartnerQueryRecord
from functions.shared.models import KeptQuery

NOTIFIER_STATE_KEY = "~notifier"  # not a key id (those are hex): the item holding the claim set last notified
_STATE_ITEM = "claims"


def query_id_for(text: str) -> str:
    """Stable per text: the same text asked again is the same query (its time and expiry move on)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PartnerQueryStore:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._retention = timedelta(days=database.settings.partner_query_days)

    def keep(self, key_id: str, kept: Iterable[tuple[str, str]], now: datetime) -> None:
        """Keep each (redacted text, decision) for the key; asking again refreshes the time and the expiry."""
        for text, decision in kept:
            PartnerQueryRecord(key_id, query_id_for(text)).update(
                actions=[
                    PartnerQueryRecord.text.set(text),
                    PartnerQueryRecord.decision.set(decision),
                    PartnerQueryRecord.asked_at.set(now),
                    PartnerQueryRecord.expires_at.set(now + self._retention),
                ]
            )

    def for_key(self, key_id: str, now: datetime) -> list[KeptQuery]:
        """The key's kept queries not yet expired (DynamoDB's TTL deletes late, so expiry is checked here too)."""
        return [
            KeptQuery(
                key_id=key_id,
                query_id=r.query_id,
                text=r.text,
                decision=r.decision,
                asked_at=r.asked_at,
                notified=sorted(r.notified or ()),
            )
            for r in PartnerQueryRecord.query(key_id, consistent_read=True)
            if r.text and r.expires_at and r.expires_at > now
        ]

    def claim_notification(self, key_id: str, query_id: str, claim_id: str) -> bool:
        """Mark (query, claim) as notified; False when it already was (or the query expired)."""
        try:
            PartnerQueryRecord(key_id, query_id).update(
                actions=[PartnerQueryRecord.notified.add({claim_id})],
                condition=PartnerQueryRecord.query_id.exists() & ~PartnerQueryRecord.notified.contains(claim_id),
            )
        except UpdateError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True

    def release_notification(self, key_id: str, query_id: str, claim_id: str) -> None:
        """Give a (query, claim) back after a failed delivery, so the next run tries again."""
        PartnerQueryRecord(key_id, query_id).update(
            actions=[PartnerQueryRecord.notified.delete({claim_id})], condition=PartnerQueryRecord.query_id.exists()
        )

    def notified_claim_set(self) -> set[str] | None:
        """The claim ids the notifier last compared against; None before its first run."""
        try:
            record = PartnerQueryRecord.get(NOTIFIER_STATE_KEY, _STATE_ITEM, consistent_read=True)
        except PartnerQueryRecord.DoesNotExist:
            return None
        return set(record.claims or [])

    def save_notified_claim_set(self, claim_ids: Iterable[str]) -> None:
        PartnerQueryRecord(NOTIFIER_STATE_KEY, _STATE_ITEM, claims=sorted(claim_ids)).save()
