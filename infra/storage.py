"""DynamoDB tables, one per PynamoDB model in ``functions/shared/dal/models.py``, with the same keys, GSI and TTL."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from infra.config import StageConfig

S = dynamodb.AttributeType.STRING


@dataclass(frozen=True)
class TableSpec:
    """One table as the data-access layer declares it; ``data`` tables hold what must survive a stack deletion."""

    key: str  # the settings field / logical name: posts, matches, ...
    env_var: str
    partition_key: str
    sort_key: str | None = None
    ttl_attribute: str | None = None
    data: bool = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec("posts", "ANTIDOTE_POSTS_TABLE", "post_key", ttl_attribute="expires_at"),
    TableSpec("matches", "ANTIDOTE_MATCHES_TABLE", "post_key", ttl_attribute="expires_at"),
    TableSpec("reviews", "ANTIDOTE_REVIEWS_TABLE", "item_id"),
    TableSpec("audit", "ANTIDOTE_AUDIT_TABLE", "item_id", sort_key="event_key"),
    TableSpec("api_keys", "ANTIDOTE_API_KEYS_TABLE", "key_id"),
    TableSpec("counters", "ANTIDOTE_COUNTERS_TABLE", "name", sort_key="bucket", ttl_attribute="expires_at"),
    # Information voids: health posts that matched no claim, kept as long as posts (one partition per UTC day, so the
    # clustering reads the window with Query, never Scan), and the clustering's current voids (rebuilt every run).
    TableSpec("unmatched", "ANTIDOTE_UNMATCHED_TABLE", "day", sort_key="post_key", ttl_attribute="expires_at"),
    TableSpec("voids", "ANTIDOTE_VOIDS_TABLE", "board", sort_key="void_id", data=False),
    # Raised alerts by day (and the first-seen and digest markers that make a rerun of the detector change nothing).
    TableSpec("alerts", "ANTIDOTE_ALERTS_TABLE", "day", sort_key="alert_key", ttl_attribute="expires_at"),
    # Each scan source's cursor and health: a lost cursor only makes the next scan re-read (ingest drops duplicates).
    TableSpec("sources", "ANTIDOTE_SOURCES_TABLE", "name", data=False),
    # Partner notifications: kept claim checks (30 days) and which claims each was told about; the delivery log.
    TableSpec(
        "partner_queries", "ANTIDOTE_PARTNER_QUERIES_TABLE", "key_id", sort_key="query_id", ttl_attribute="expires_at"
    ),
    TableSpec(
        "deliveries",
        "ANTIDOTE_DELIVERIES_TABLE",
        "delivery_id",
        sort_key="attempt_key",
        ttl_attribute="expires_at",
        data=False,
    ),
    # Powertools idempotency records are short-lived and rebuilt by the next delivery: not data worth keeping.
    TableSpec("idempotency", "ANTIDOTE_IDEMPOTENCY_TABLE", "id", ttl_attribute="expiration", data=False),
)
REVIEWS_BY_STATUS_INDEX = "by_status"
# Global secondary indexes, as the PynamoDB models declare them: table -> (name, partition key, sort key).
INDEXES: dict[str, tuple[str, str, str]] = {
    "reviews": (REVIEWS_BY_STATUS_INDEX, "status", "priority_key"),
    "api_keys": ("with_webhook", "webhook_flag", "key_id"),  # sparse: keys that registered a partner webhook
    "deliveries": ("by_owner", "owner", "owner_key"),
}


class Tables(Construct):
    """On-demand tables with point-in-time recovery; data tables are retained and, in prod, deletion-protected."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.by_key: dict[str, dynamodb.Table] = {}
        for spec in TABLES:
            table = dynamodb.Table(
                self,
                _logical_name(spec.key),
                partition_key=dynamodb.Attribute(name=spec.partition_key, type=S),
                sort_key=dynamodb.Attribute(name=spec.sort_key, type=S) if spec.sort_key else None,
                billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                encryption=dynamodb.TableEncryption.AWS_MANAGED,
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
                time_to_live_attribute=spec.ttl_attribute,
                deletion_protection=config.protect_data and spec.data,
                removal_policy=RemovalPolicy.RETAIN if spec.data else RemovalPolicy.DESTROY,
            )
            self.by_key[spec.key] = table
        self.indexes: dict[str, tuple[str, ...]] = {}
        for table_key, (index_name, partition_key, sort_key) in INDEXES.items():
            self.by_key[table_key].add_global_secondary_index(
                index_name=index_name,
                partition_key=dynamodb.Attribute(name=partition_key, type=S),
                sort_key=dynamodb.Attribute(name=sort_key, type=S),
                projection_type=dynamodb.ProjectionType.ALL,
            )
            self.indexes[table_key] = (index_name,)

    def __getitem__(self, key: str) -> dynamodb.Table:
        return self.by_key[key]


def _logical_name(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_")) + "Table"
