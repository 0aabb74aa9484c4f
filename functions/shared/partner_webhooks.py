"""Partner webhooks: where a key's notifications go and the secret they are signed with.

A partner's signing secret is never stored: it is derived, ``whsec_`` + base64url(HMAC-SHA256(master, "<key id>#<
registration number>")), from one master secret (Secrets Manager deployed, the state folder locally) and shown once
when the partner registers. Registering again bumps the number, so the old secret stops verifying at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Protocol

from functions.shared.auth import local_secret
from functions.shared.errors import InvalidInput, NotFound
from functions.shared.models import ApiKey, WebhookRegistered
from functions.shared.settings import MissingSetting, Settings
from functions.shared.webhooks import Destination, UnsafeUrl, UrlRule, check_url

SECRET_CACHE_SECONDS = 300
CLAIM_ADDED_EVENT = "partner.claim_added"


def master_secret(settings: Settings) -> str:
    if settings.webhook_master_secret:
        return settings.webhook_master_secret
    if settings.is_local:
        return local_secret(settings.state_dir / "webhook-master-secret")
    if not settings.webhook_master_secret_arn:
        raise MissingSetting(f"stage '{settings.stage}' needs ANTIDOTE_WEBHOOK_MASTER_SECRET_ARN")
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_secret(settings.webhook_master_secret_arn, max_age=SECRET_CACHE_SECONDS))


def partner_secret(master: str, key: ApiKey) -> str:
    digest = hmac.new(master.encode(), f"{key.key_id}#{key.webhook_version}".encode(), hashlib.sha256).digest()
    return "whsec_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def partner_destination(master: str, key: ApiKey) -> Destination:
    if not key.webhook_url:
        raise ValueError(f"key {key.key_id} has no webhook")
    return Destination(key.webhook_url, partner_secret(master, key), owner=f"key#{key.key_id}")


class WebhookKeyStore(Protocol):
    def get_api_key(self, key_id: str) -> ApiKey | None: ...
    def set_webhook(self, key_id: str, url: str | None, now: datetime) -> ApiKey: ...


def register_webhook(
    store: WebhookKeyStore, key_id: str, url: str, settings: Settings, now: datetime
) -> WebhookRegistered:
    """Opt a partner's key in. The URL must pass the delivery's own SSRF rules now, so a partner learns at once that
    an address will be refused; the new secret is returned once."""
    _partner_key(store, key_id)
    try:
        check_url(url, UrlRule.for_stage(settings.is_local))
    except UnsafeUrl as exc:
        raise InvalidInput(f"webhook url refused: {exc}") from exc
    key = store.set_webhook(key_id, url, now)
    return WebhookRegistered(key_id=key.key_id, url=url, secret=partner_secret(master_secret(settings), key))


def remove_webhook(store: WebhookKeyStore, key_id: str, now: datetime) -> None:
    """Opt a partner's key out: nothing more is kept or sent."""
    _partner_key(store, key_id)
    store.set_webhook(key_id, None, now)


def _partner_key(store: WebhookKeyStore, key_id: str) -> ApiKey:
    key = store.get_api_key(key_id)
    if key is None or key.status != "active":
        raise NotFound(f"no active API key {key_id}")
    if key.scope != "check":
        raise InvalidInput("only keys with scope 'check' make claim checks, so only they can be notified")
    return key
