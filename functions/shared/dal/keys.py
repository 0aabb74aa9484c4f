"""Partner API keys (only their hashes) and each key's daily quota counter."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import ApiKeyRecord, CounterRecord
from functions.shared.errors import NotFound
from functions.shared.models import ApiKey

QUOTA_RETENTION_DAYS = 3
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
        try:
            ApiKeyRecord(key_id).update(
                actions=[ApiKeyRecord.status.set("revoked"), ApiKeyRecord.revoked_at.set(now)],
                condition=ApiKeyRecord.key_id.exists(),
            )
        except UpdateError as exc:
            if conditional_failed(exc):
                raise NotFound(f"no API key {key_id}") from exc
            raise
        key = self.get_api_key(key_id)
        if key is None:
            raise NotFound(f"no API key {key_id}")
        return key

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
    return ApiKey(key_id=r.key_id, daily_quota=int(r.daily_quota), **{name: getattr(r, name) for name in _KEY_FIELDS})
