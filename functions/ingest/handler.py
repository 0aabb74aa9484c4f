"""Ingest Lambda: the ``POST /v1/posts`` webhook and scheduled-scan events, through the same code path."""

# No "from __future__ import annotations" here: Powertools reads route signatures at run time.
from functions.shared.loading import loading

with loading():  # what the function imports lives as long as its container: no collections while it loads
    from datetime import UTC, datetime
    from typing import Any

    from aws_lambda_powertools import single_metric
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from functions.ingest.connectors.base import Budget
    from functions.ingest.credentials import credentials_for
    from functions.ingest.logic import ingest_delivered, ingest_posts, parse_scan_posts
    from functions.ingest.scanning import ScanFailed, run_scan
    from functions.ingest.sources import find_source
    from functions.shared.api import build_resolver, resolve
    from functions.shared.api_auth import require_api_key
    from functions.shared.dependencies import posts as post_store
    from functions.shared.dependencies import sink, source_states
    from functions.shared.models import IngestRequest, IngestResponse, PostIn, SourceState
    from functions.shared.observability import logger, metrics, start_invocation, tracer
    from functions.shared.settings import Settings, get_settings

SCAN_SOURCE = "antidote.scan"
METRICS_NAMESPACE = "Antidote"

get_settings().require(  # a deployed function with a missing table or queue fails here, at cold start
    "posts_table",
    "matches_table",
    "counters_table",
    "api_keys_table",
    "idempotency_table",
    "sources_table",
    "posts_queue_url",
)
app = build_resolver("Antidote ingest API", "Webhook for platforms and partners to deliver public posts.")


@app.post(
    "/v1/posts",
    middlewares=[require_api_key("ingest")],
    security=[{"apiKey": []}],
    summary="Deliver up to 100 public posts",
    description="Each post is validated on its own and is accepted, a duplicate of one already received "
    "(platform + post id), or rejected with a reason naming the field at fault; one bad post never fails the others. "
    "Personal data is removed before anything is stored. Needs an API key with scope 'ingest'.",
)
@tracer.capture_method
def receive_posts(request: IngestRequest) -> IngestResponse:
    response = ingest_delivered(
        request.posts, "webhook", post_store(), sink("posts"), datetime.now(UTC), logger.get_correlation_id()
    )
    metrics.add_metric(name="PostsAccepted", unit="Count", value=response.accepted)
    return response


def handle_scan(event: dict[str, Any]) -> dict[str, Any]:
    detail = event.get("detail") or {}
    source_name = str(detail.get("source_name") or "unnamed")
    # An event that carries posts is ingested as is; otherwise the scan pulls from its named source.
    if not detail.get("posts"):
        return scan_source(source_name, event.get("id"))
    source = f"scan:{source_name}"
    posts, rejected = parse_scan_posts(detail["posts"])
    response = ingest_posts(posts, source, post_store(), sink("posts"), datetime.now(UTC), event.get("id"))
    result = response.model_copy(
        update={"rejected": response.rejected + len(rejected), "items": response.items + rejected}
    )
    logger.info("scan ingested", extra={"source": source, "accepted": result.accepted, "rejected": result.rejected})
    metrics.add_metric(name="PostsAccepted", unit="Count", value=result.accepted)
    return result.model_dump(mode="json")


def scan_source(source_name: str, correlation_id: str | None) -> dict[str, Any]:
    """Fetch from the named source through its connector, ingest, and record its cursor and health. A failing
    source is reported (health, log, metric), not raised: retrying it at once would only hit the same fault."""
    settings = get_settings()
    source, connector = find_source(settings, source_name)
    now = datetime.now(UTC)

    def ingest(posts: list[PostIn]) -> IngestResponse:
        return ingest_posts(posts, f"scan:{source_name}", post_store(), sink("posts"), now, correlation_id)

    budget = Budget(max_requests=source.max_requests, seconds=settings.scan_budget_seconds)
    try:
        report = run_scan(
            source, connector, source_states(), ingest, lambda: credentials_for(source, settings), budget, now
        )
    except ScanFailed as exc:
        failures = (source_states().get_state(source_name) or SourceState(name=source_name)).consecutive_failures
        logger.error("scan failed", extra={"source": source_name, "error": exc.detail, "failures": failures})
        _source_metric(settings, source_name, "SourceConsecutiveFailures", failures)
        return {"source": source_name, "error": exc.detail, "consecutive_failures": failures}
    logger.info("scan ingested", extra=report.as_dict() | {"items": len(report.response.items)})
    metrics.add_metric(name="PostsAccepted", unit="Count", value=report.response.accepted)
    _source_metric(settings, source_name, "SourceConsecutiveFailures", 0)
    return report.as_dict()


def _source_metric(settings: Settings, source_name: str, name: str, value: float) -> None:
    """One metric per source (dimension ``source``): the alarm for a source that keeps failing watches it."""
    if settings.is_local:
        return
    with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=METRICS_NAMESPACE) as metric:
        metric.add_dimension(name="source", value=source_name)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_invocation(event)
    if event.get("source") == SCAN_SOURCE:
        return handle_scan(event)
    return resolve(app, event, context)
