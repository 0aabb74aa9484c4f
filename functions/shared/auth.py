"""Who is calling: machine clients by API key (hashed, scoped, with a daily quota); educators by token.

Partners and the ingest webhook send ``x-api-key``. Educators send ``Authorization: Bearer <token>``: in AWS a
Cognito token that API Gateway has already verified (we read its claims from the request context); locally a
token signed with a per-machine secret that ``antidote token`` issues. The two never substitute for each other.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from functions.shared.errors import Forbidden, InvalidInput, RateLimited, Unauthorized
from functions.shared.models import ApiKey
from functions.shared.settings import Settings

KEY_PREFIX = "adk"
# What new_api_key issues (12 hex digits, 32 url-safe characters), with room to spare.
KEY_FORMAT = re.compile(rf"{KEY_PREFIX}_(?P<key_id>[0-9a-f]{{1,64}})_[A-Za-z0-9_-]{{1,256}}")
Scope = Literal["check", "ingest"]
Role = Literal["educator", "admin"]
ROLES: tuple[Role, ...] = ("educator", "admin")


class KeyLookup(Protocol):
    def get_api_key(self, key_id: str) -> ApiKey | None: ...
    def consume_quota(self, key_id: str, day: str, limit: int, now: datetime) -> bool: ...


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key(owner: str, scope: Scope, daily_quota: int, now: datetime) -> tuple[str, ApiKey]:
    """A fresh key: the plaintext is shown once; only its hash is stored."""
    if not owner.strip():
        raise InvalidInput("owner must not be empty")
    key_id = secrets.token_hex(6)
    plaintext = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(24)}"
    record = ApiKey(
        key_id=key_id,
        key_hash=hash_key(plaintext),
        owner=owner.strip(),
        scope=scope,
        daily_quota=daily_quota,
        status="active",
        created_at=now,
    )
    return plaintext, record


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def authenticate_api_key(store: KeyLookup, headers: Mapping[str, str] | None, scope: Scope, now: datetime) -> ApiKey:
    presented = _header(headers, "x-api-key")
    if not presented:
        if _header(headers, "authorization"):
            raise Unauthorized("this API takes an API key (x-api-key), not an educator token")
        raise Unauthorized("missing API key: send it in the x-api-key header")
    match = KEY_FORMAT.fullmatch(presented.strip())
    if match is None:  # never looked up: an empty or oversized id is not a key the store could hold
        raise Unauthorized("unknown API key")
    key = store.get_api_key(match["key_id"])
    if key is None or not hmac.compare_digest(key.key_hash, hash_key(presented.strip())):
        raise Unauthorized("unknown API key")
    if key.status != "active":
        raise Unauthorized("this API key has been revoked")
    if key.scope != scope:
        raise Forbidden(f"this API key has scope '{key.scope}'; this API needs '{scope}'")
    if not store.consume_quota(key.key_id, now.strftime("%Y-%m-%d"), key.daily_quota, now):
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        raise RateLimited(
            f"daily quota of {key.daily_quota} requests used up", int((midnight - now).total_seconds()) + 1
        )
    return key


@dataclass(frozen=True)
class Educator:
    user: str
    role: Role


def dev_token_secret(settings: Settings) -> str:
    """The local signing secret: configured, or generated once into the state folder (never committed)."""
    if settings.dev_token_secret:
        return settings.dev_token_secret
    return local_secret(settings.state_dir / "dev-token-secret")


def local_secret(path: Path) -> str:
    """A random secret generated once into the local state folder (owner-only), then read from there."""
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def issue_dev_token(settings: Settings, user: str, role: Role, now: datetime | None = None) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    if not user.strip():
        raise InvalidInput("user must not be empty")
    now = now or datetime.now(UTC)
    claims = {
        "sub": user.strip(),
        "role": role,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=settings.dev_token_hours)).timestamp()),
        "iss": "antidote-dev",
    }
    import jwt  # only for dev tokens: PyJWT with cryptography is ~0.15 s that a claim check's cold start never needs

    return jwt.encode(claims, dev_token_secret(settings), algorithm="HS256")


def authenticate_educator(
    settings: Settings, headers: Mapping[str, str] | None, request_context: Mapping[str, Any] | None
) -> Educator:
    if settings.auth_mode == "cognito":
        claims = ((request_context or {}).get("authorizer") or {}).get("claims") or {}
        if not claims:
            raise Unauthorized("missing educator token")
        groups = str(claims.get("cognito:groups", "")).replace(",", " ").split()
        role: Role | None = "admin" if "admin" in groups else "educator" if "educator" in groups else None
        if role is None:
            raise Forbidden("your account is not in the educator or admin group")
        return Educator(str(claims.get("cognito:username") or claims.get("sub")), role)

    authorization = _header(headers, "authorization")
    if not authorization:
        if _header(headers, "x-api-key"):
            raise Forbidden("API keys cannot use the review API; sign in as an educator")
        raise Unauthorized("missing educator token: send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("expected 'Authorization: Bearer <token>'")
    import jwt  # as in dev_token

    try:
        claims = jwt.decode(
            token.strip(),
            dev_token_secret(settings),
            algorithms=["HS256"],
            issuer="antidote-dev",
            options={"require": ["exp", "sub", "role"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("educator token expired; sign in again") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("invalid educator token") from exc
    if claims.get("role") not in ROLES:
        raise Forbidden("token has no educator role")
    return Educator(str(claims["sub"]), claims["role"])
