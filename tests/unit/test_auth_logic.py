"""Authentication and authorisation logic with an in-memory key store: API keys (scope, revocation, quota) and
educator tokens (dev HS256 locally, Cognito claims in AWS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from functions.shared.auth import authenticate_api_key, authenticate_educator, issue_dev_token, new_api_key
from functions.shared.errors import Forbidden, RateLimited, Unauthorized
from functions.shared.models import ApiKey
from functions.shared.settings import Settings
from tests.unit.fakes import FakeKeys

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
SECRET = "unit-test-secret-0123456789abcdef-0123"


@pytest.fixture
def keys() -> tuple[FakeKeys, str, str]:
    check_plain, check = new_api_key("City Clinic", "check", 2, NOW)
    revoked_plain, revoked = new_api_key("Old partner", "check", 10, NOW)
    return FakeKeys(check, revoked.model_copy(update={"status": "revoked"})), check_plain, revoked_plain


def test_a_valid_key_of_the_right_scope_passes_until_its_daily_quota(keys: tuple[FakeKeys, str, str]) -> None:
    store, plain, _ = keys
    assert authenticate_api_key(store, {"X-Api-Key": plain}, "check", NOW).owner == "City Clinic"
    authenticate_api_key(store, {"x-api-key": plain}, "check", NOW)
    with pytest.raises(RateLimited) as limited:
        authenticate_api_key(store, {"x-api-key": plain}, "check", NOW)
    assert limited.value.headers()["Retry-After"] == str(3601)  # until midnight UTC
    assert authenticate_api_key(store, {"x-api-key": plain}, "check", NOW + timedelta(hours=2)).key_id


@pytest.mark.parametrize(
    ("headers", "error", "message"),
    [
        ({}, Unauthorized, "missing API key"),
        ({"Authorization": "Bearer x"}, Unauthorized, "not an educator token"),
        ({"x-api-key": "nonsense"}, Unauthorized, "unknown API key"),
        ({"x-api-key": "adk_nokey_secret"}, Unauthorized, "unknown API key"),
    ],
)
def test_strangers_are_unauthorised(
    keys: tuple[FakeKeys, str, str], headers: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        authenticate_api_key(keys[0], headers, "check", NOW)


@pytest.mark.parametrize("presented", ["adk__secret", "adk_abc_", "adk_" + "a" * 2100 + "_x", "adk_ABC_x", "_" * 3000])
def test_a_malformed_key_is_refused_without_a_lookup(keys: tuple[FakeKeys, str, str], presented: str) -> None:
    """An empty or oversized id would reach DynamoDB as a key it refuses (a fault, not a 401)."""
    store = keys[0]
    looked_up: list[str] = []
    original = store.get_api_key

    def recording(key_id: str) -> ApiKey | None:
        looked_up.append(key_id)
        return original(key_id)

    store.get_api_key = recording  # type: ignore[method-assign]
    with pytest.raises(Unauthorized, match="unknown API key"):
        authenticate_api_key(store, {"x-api-key": presented}, "check", NOW)
    assert looked_up == []


def test_a_tampered_revoked_or_wrong_scope_key_is_refused(keys: tuple[FakeKeys, str, str]) -> None:
    store, plain, revoked = keys
    with pytest.raises(Unauthorized, match="unknown API key"):
        authenticate_api_key(store, {"x-api-key": plain[:-1] + ("a" if plain[-1] != "a" else "b")}, "check", NOW)
    with pytest.raises(Unauthorized, match="revoked"):
        authenticate_api_key(store, {"x-api-key": revoked}, "check", NOW)
    with pytest.raises(Forbidden, match="needs 'ingest'"):
        authenticate_api_key(store, {"x-api-key": plain}, "ingest", NOW)


def dev_settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path, dev_token_secret=SECRET)


def test_dev_tokens_carry_user_and_role_and_expire(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path)
    token = issue_dev_token(settings, "amina", "admin")
    educator = authenticate_educator(settings, {"Authorization": f"Bearer {token}"}, None)
    assert (educator.user, educator.role) == ("amina", "admin")
    old = issue_dev_token(settings, "amina", "educator", datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(Unauthorized, match="expired"):
        authenticate_educator(settings, {"Authorization": f"Bearer {old}"}, None)
    forged = jwt.encode({"sub": "x", "role": "admin", "exp": 2**31, "iss": "antidote-dev"}, "another-secret-" * 3)
    with pytest.raises(Unauthorized, match="invalid educator token"):
        authenticate_educator(settings, {"Authorization": f"Bearer {forged}"}, None)
    with pytest.raises(Forbidden, match="API keys cannot use the review API"):
        authenticate_educator(settings, {"x-api-key": "adk_a_b"}, None)


def test_cognito_groups_decide_the_role(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path, auth_mode="cognito")
    context = {"authorizer": {"claims": {"cognito:username": "ben", "cognito:groups": "educator"}}}
    assert authenticate_educator(settings, {}, context).role == "educator"
    with pytest.raises(Forbidden, match="not in the educator or admin group"):
        authenticate_educator(settings, {}, {"authorizer": {"claims": {"cognito:username": "eve"}}})
    with pytest.raises(Unauthorized):
        authenticate_educator(settings, {}, {})
