"""Ingest Lambda: the ``POST /v1/posts`` webhook and scheduled-scan events, through the same code path."""

# No "from __future__ import annotations" here: Powertools reads route signatures at run time.
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.ingest.logic import ingest_delivered, ingest_posts, parse_scan_posts
from functions.ingest.sources import fetch
from functions.shared.api import build_resolver, resolve
from functions.shared.api_auth import require_api_key
from functions.shared.dependencies import posts as post_store
from functions.shared.dependencies import sink
from functions.shared.models import IngestRequest, IngestResponse
from functions.shared.observability import logger, metrics, start_invocation, tracer
from functions.shared.settings import get_settings

SCAN_SOURCE = "antidote.scan"

get_settings().require(  # a deployed function with a missing table or queue fails here, at cold start
    "posts_table", "matches_table", "counters_table", "api_keys_table", "idempotency_table", "posts_queue_url"
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
    source = f"scan:{source_name}"
    # An event that carries posts is ingested as is; otherwise the scan pulls from its named source.
    raw_posts = detail["posts"] if detail.get("posts") else fetch(source_name)
    posts, rejected = parse_scan_posts(raw_posts)
    response = ingest_posts(posts, source, post_store(), sink("posts"), datetime.now(UTC), event.get("id"))
    result = response.model_copy(
        update={"rejected": response.rejected + len(rejected), "items": response.items + rejected}
    )
    logger.info("scan ingested", extra={"source": source, "accepted": result.accepted, "rejected": result.rejected})
    metrics.add_metric(name="PostsAccepted", unit="Count", value=result.accepted)
    return result.model_dump(mode="json")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_invocation(event)
    if event.get("source") == SCAN_SOURCE:
        return handle_scan(event)
    return resolve(app, event, context)
