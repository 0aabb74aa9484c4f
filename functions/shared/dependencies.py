"""Objects a Lambda container builds once and reuses across invocations."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from functions.shared.dal.store import Store
from functions.shared.queues import MessageSink, sink_for
from functions.shared.settings import get_settings


@lru_cache(maxsize=1)
def store() -> Store:
    return Store(get_settings())


def sink(name: str) -> MessageSink:
    return sink_for(name, get_settings())


def reset() -> None:
    """Forget cached objects (the local runtime and tests call this after changing settings)."""
    store.cache_clear()
    idempotency_store.cache_clear()
    get_settings.cache_clear()


@lru_cache(maxsize=1)
def idempotency_store() -> Any:
    """Powertools Idempotency's DynamoDB layer, pointed at the configured table (and DynamoDB Local locally)."""
    import boto3
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    settings = get_settings()
    local = settings.dynamodb_endpoint is not None
    client = boto3.client(
        "dynamodb",
        region_name=settings.aws_region,
        endpoint_url=settings.dynamodb_endpoint,
        aws_access_key_id="local" if local else None,
        aws_secret_access_key="local" if local else None,
    )
    return DynamoDBPersistenceLayer(table_name=settings.idempotency_table, boto3_client=client)
