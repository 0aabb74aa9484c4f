"""One DynamoDB configuration per process: the PynamoDB models are pointed at the configured tables once, here,
and every aggregate store shares the connection used for transactions."""

from __future__ import annotations

from pynamodb.connection import Connection

from functions.shared.dal.models import configure
from functions.shared.settings import Settings


class Database:
    def __init__(self, settings: Settings) -> None:
        configure(settings)
        self.settings = settings
        local = settings.dynamodb_endpoint is not None  # DynamoDB Local accepts any credentials
        self.connection = Connection(
            region=settings.aws_region,
            host=settings.dynamodb_endpoint,
            aws_access_key_id="local" if local else None,
            aws_secret_access_key="local" if local else None,
        )


def conditional_failed(exc: Exception) -> bool:
    """True when a write (or a transaction) was refused by its condition, not by a fault."""
    cause = getattr(exc, "cause_response_code", None)
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return cause == "ConditionalCheckFailedException" or any(
        r is not None and r.code == "ConditionalCheckFailed" for r in reasons
    )
