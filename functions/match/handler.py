"""Match Lambda: the posts-queue consumer (batches, partial failures) and the partners' claim-check API."""

# No "from __future__ import annotations" here: Powertools reads route signatures at run time.
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from functions.match.engine.matcher import Matcher
from functions.match.logic import (
    PreparedMatch,
    check_posts,
    claim_check,
    forward,
    load_posts,
    record_batch,
    require_post,
)
from functions.shared.api import build_resolver, resolve
from functions.shared.api_auth import require_api_key
from functions.shared.dependencies import sink, store
from functions.shared.models import CheckRequest, CheckResponse, PostMessage, StoredPost
from functions.shared.observability import logger, metrics, tracer
from functions.shared.settings import get_settings

app = build_resolver("Antidote claim-check API", "Ask whether a text repeats a known health myth.")
processor = BatchProcessor(event_type=EventType.SQS)


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """Loaded once per container (cold start): the index artifact with its exported ONNX model (no torch)."""
    settings = get_settings()
    return Matcher.from_artifact(settings.resolved_index_dir)


@app.post(
    "/v1/claims:check",
    middlewares=[require_api_key("check")],
    security=[{"apiKey": []}],
    summary="Check one text or up to 50",
    description="For each text: the decision (match, review, none), the closest known claims with verdict, score, "
    "correction (in `language` when the claim has it) and sources, and the knowledge-base version. "
    "Needs an API key with scope 'check'; each request counts once against the key's daily quota.",
)
@tracer.capture_method
def check(request: CheckRequest) -> CheckResponse:
    response = claim_check(request, matcher())
    metrics.add_metric(name="ClaimChecks", unit="Count", value=len(response.results))
    return response


class _Batch:
    """What the whole batch computed up front, so each record's handler only records and forwards."""

    posts: dict[str, StoredPost] = {}  # noqa: RUF012 - replaced per batch
    prepared: dict[str, PreparedMatch] = {}  # noqa: RUF012


def _prepare_batch(records: list[dict[str, Any]]) -> None:
    keys: list[str] = []
    for record in records:
        try:
            keys.append(PostMessage.model_validate_json(record.get("body") or "").post_key)
        except ValidationError:
            continue  # the record's own handler reports it as a failure
    posts = load_posts(keys, store())
    ordered = list(posts.values())
    results = check_posts(ordered, matcher())
    _Batch.posts = posts
    _Batch.prepared = record_batch(ordered, results, matcher().kb_version, store(), datetime.now(UTC))


def _record_handler(record: SQSRecord) -> dict[str, Any]:
    message = PostMessage.model_validate_json(record.body)
    post = require_post(_Batch.posts, message.post_key)
    correlation_id = (record.raw_event.get("messageAttributes") or {}).get("correlation_id", {}).get("stringValue")
    outcome = forward(_Batch.prepared[post.post_key], matcher().kb_version, sink("matches"), correlation_id)
    metrics.add_metric(name=f"Decision_{outcome.decision}", unit="Count", value=1)
    return {"post_key": outcome.post_key, "decision": outcome.decision, "claim_id": outcome.claim_id}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in event:
        _prepare_batch(event["Records"])
        return dict(
            process_partial_response(event=event, record_handler=_record_handler, processor=processor, context=context)
        )
    return resolve(app, event, context)
