"""Partner API keys (only their hashes) and each key's daily quota counter."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import ApiKeyRecord, CounterRecord
from functions.shared.errors import NotFound
from functions.shared.models import ApiKey

QUOTA_RETENTION_DAYS = 3
WEBHOOK_ON = "on"
_KEY_FIELDS = ("key_hash", "owner", "scope", "status", "created_at", "revoked_at")


class KeyStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def put_api_key(self, key: ApiKey) -> None:
        ApiKeyRecord(
            key.key_id, daily_quota=key.daily_quota, **{name: getattr(key, name) for name in _KEY_FIELDS}
        ).save(condition=ApiKeyRecord.key_id.does_not_exist())

    def get_api_key(self, key_id: str) -> ApiKey | None:
        try:
            return _to_key(ApiKeyRecord.get(key_id, consistent_read=True))
        except ApiKeyRecord.DoesNotExist:
            return None

    def list_api_keys(self) -> list[ApiKey]:
        return sorted((_to_key(r) for r in ApiKeyRecord.scan()), key=lambda k: k.created_at)

    def revoke_api_key(self, key_id: str, now: datetime) -> ApiKey:
        return self._update(key_id, [ApiKeyRecord.status.set("revoked"), ApiKeyRecord.revoked_at.set(now)])

    def set_webhook(self, key_id: str, url: str | None, now: datetime) -> ApiKey:
        """Register (or, with None, remove) the key's webhook; each registration bumps the version its signing
        secret is derived from, so registering again retires the previous secret."""
        actions = (
            [
                ApiKeyRecord.webhook_url.set(url),
                ApiKeyRecord.webhook_flag.set(WEBHOOK_ON),
                ApiKeyRecord.webhook_version.add(1),
            ]
            if url
            else [ApiKeyRecord.webhook_url.remove(), ApiKeyRecord.webhook_flag.remove()]
        )
        return self._update(key_id, [*actions, ApiKeyRecord.webhook_set_at.set(now)])

    def _update(self, key_id: str, actions: list[Any]) -> ApiKey:
        """Apply ``actions`` to an existing key (NotFound otherwise) and return it as stored now."""
        try:
            ApiKeyRecord(key_id).update(actions=actions, condition=ApiKeyRecord.key_id.exists())
        except UpdateError as exc:
            if conditional_failed(exc):
                raise NotFound(f"no API key {key_id}") from exc
            raise
        key = self.get_api_key(key_id)
        if key is None:
            raise NotFound(f"no API key {key_id}")
        return key

    def keys_with_webhooks(self) -> list[ApiKey]:
        """Active keys that registered a webhook (a query of the sparse index: no table scan)."""
        found = (_to_key(r) for r in ApiKeyRecord.with_webhook.query(WEBHOOK_ON))
        return [k for k in found if k.status == "active" and k.webhook_url]

    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime, count: int = 1) -> bool:
        """Count ``count`` requests against the key's daily quota, atomically, all or none; False when they do not
        all fit in what is left of it."""
        if count > limit:
            return False
        counter = CounterRecord(f"quota#{key_id}", day)
        try:
            counter.update(
                actions=[
                    CounterRecord.tally.add(count),
                    CounterRecord.expires_at.set(now + timedelta(days=QUOTA_RETENTION_DAYS)),
                ],
                condition=CounterRecord.tally.does_not_exist() | (CounterRecord.tally <= limit - count),
            )
        except UpdateError as exc:
            if conditional_failed(exc):
                return False
            raise
        return True


def _to_key(r: ApiKeyRecord) -> ApiKey:
    return ApiKey(
        key_id=r.key_id,
        daily_quota=int(r.daily_quota),
        webhook_url=r.webhook_url,
        webhook_version=int(r.webhook_version or 0),
        webhook_set_at=r.webhook_set_at,
        **{name: getattr(r, name) for name in _KEY_FIELDS},
    )
