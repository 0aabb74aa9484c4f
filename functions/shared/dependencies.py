"""Objects a Lambda container builds once and reuses across invocations."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from functions.shared.dal.alerts import AlertStore
from functions.shared.dal.counters import TrendStore
from functions.shared.dal.database import Database
from functions.shared.dal.deliveries import DeliveryStore
from functions.shared.dal.keys import KeyStore
from functions.shared.dal.partner_queries import PartnerQueryStore
from functions.shared.dal.posts import PostStore
from functions.shared.dal.reviews import ReviewStore
from functions.shared.dal.sources import SourceStateStore
from functions.shared.dal.voids import VoidStore
from functions.shared.key_coalescing import CoalescedKeys
from functions.shared.queues import MessageSink, sink_for
from functions.shared.settings import get_settings

# Sinks the local runtime installs for its in-process queues; always empty in Lambda.
_LOCAL_SINKS: dict[str, MessageSink] = {}


@lru_cache(maxsize=1)
def database() -> Database:
    return Database(get_settings())


@lru_cache(maxsize=1)
def posts() -> PostStore:
    return PostStore(database())


@lru_cache(maxsize=1)
def reviews() -> ReviewStore:
    return ReviewStore(database())


@lru_cache(maxsize=1)
def keys() -> KeyStore:
    return KeyStore(database())


@lru_cache(maxsize=1)
def api_keys() -> CoalescedKeys:
    """What authentication reads: the key store, with concurrent requests' round trips shared and key records kept
    for ``api_key_cache_seconds`` (the bound on how long a revoked key may still be accepted)."""
    return CoalescedKeys(keys(), get_settings().api_key_cache_seconds)


@lru_cache(maxsize=1)
def trends() -> TrendStore:
    return TrendStore(database())


@lru_cache(maxsize=1)
def source_states() -> SourceStateStore:
    return SourceStateStore(database())


@lru_cache(maxsize=1)
def voids() -> VoidStore:
    return VoidStore(database())


@lru_cache(maxsize=1)
def alerts() -> AlertStore:
    return AlertStore(database())


@lru_cache(maxsize=1)
def deliveries() -> DeliveryStore:
    return DeliveryStore(database())


@lru_cache(maxsize=1)
def partner_queries() -> PartnerQueryStore:
    return PartnerQueryStore(database())


def sink(name: str) -> MessageSink:
    return sink_for(name, get_settings(), _LOCAL_SINKS)


def install_local_sinks(sinks: dict[str, MessageSink]) -> None:
    """The local runtime's queues (only honoured in the local stage; see :func:`sink_for`)."""
    _LOCAL_SINKS.update(sinks)


def reset() -> None:
    """Forget cached objects (the local runtime and tests call this after changing settings)."""
    cached_objects = (
        database,
        posts,
        reviews,
        keys,
        api_keys,
        trends,
        source_states,
        voids,
        alerts,
        deliveries,
        partner_queries,
    )
    for cached in (*cached_objects, idempotency_store, get_settings):
        cached.cache_clear()


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
