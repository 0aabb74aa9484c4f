"""Match Lambda: the posts-queue consumer (batches, partial failures) and the partners' claim-check API."""

# No "from __future__ import annotations" here: Powertools reads route signatures at run time.
from functions.shared.loading import loading

with loading():  # what the function imports lives as long as its container: no collections while it loads
    import threading
    from dataclasses import dataclass, field
    from datetime import UTC, datetime
    from functools import lru_cache
    from typing import Any

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from pydantic import ValidationError

    from functions.match.batching import MicroBatcher
    from functions.match.engine.matcher import CheckResult as EngineResult
    from functions.match.engine.matcher import Matcher
    from functions.match.logic import (
        PreparedMatch,
        check_posts,
        claim_check,
        forward,
        keep_unanswered_checks,
        load_posts,
        record_batch,
        require_post,
    )
    from functions.match.notify import NotifyReport, notify_partners
    from functions.match.voids import keep_unmatched
    from functions.shared.api import ResolverPool, build_resolver
    from functions.shared.api_auth import require_api_key
    from functions.shared.claims import Claim
    from functions.shared.dependencies import deliveries, partner_queries, sink
    from functions.shared.dependencies import keys as key_store
    from functions.shared.dependencies import posts as post_store
    from functions.shared.dependencies import voids as void_store
    from functions.shared.models import ApiKey, CheckRequest, CheckResponse, PostMessage, StoredPost
    from functions.shared.observability import logger, metrics, record_correlation_id, start_invocation, tracer
    from functions.shared.partner_webhooks import master_secret, partner_destination
    from functions.shared.settings import get_settings
    from functions.shared.webhooks import DeliveryPolicy, UrlRule, WebhookSender

get_settings().require(  # a deployed function with a missing table or queue fails here, at cold start
    "posts_table",
    "matches_table",
    "counters_table",
    "api_keys_table",
    "idempotency_table",
    "unmatched_table",
    "matches_queue_url",
    "partner_queries_table",
    "deliveries_table",
)


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """Loaded once per container (cold start): the index artifact with its exported ONNX model (no torch)."""
    settings = get_settings()
    return Matcher.from_artifact(settings.resolved_index_dir)  # loads under ``loading()`` itself


CHECK_PATH = "/v1/claims:check"
_checker_lock = threading.Lock()


@lru_cache(maxsize=1)
def _checker() -> MicroBatcher[EngineResult]:
    settings = get_settings()
    return MicroBatcher(
        matcher(), settings.check_batch_window_seconds, settings.check_batch_max_texts, settings.check_queue_limit
    )


def checker() -> MicroBatcher[EngineResult]:
    """Every check against the matcher goes through here: concurrent claim checks are batched, a queue batch takes the
    matcher alone (``exclusive``). In Lambda there is one caller at a time and it runs at once."""
    with _checker_lock:  # concurrent first calls must share one matcher, not load one each
        return _checker()


def warm() -> None:
    """Load the model and the index and answer one check, so that no request pays for it."""
    checker().check_many(["warming up: does the flu jab give you the flu?"])


@tracer.capture_method
def check_for(request: CheckRequest, key: ApiKey | None) -> CheckResponse:
    response = claim_check(request, checker())
    metrics.add_metric(name="ClaimChecks", unit="Count", value=len(response.results))
    if key is not None and key.webhook_url:  # opted in to notifications: keep what did not match
        kept = keep_unanswered_checks(request, response, key.key_id, partner_queries(), datetime.now(UTC))
        metrics.add_metric(name="PartnerQueriesKept", unit="Count", value=kept)
    return response


def build_app() -> APIGatewayRestResolver:
    """The claim-check API. Claim checks may run concurrently (the local runtime batches them), so each invocation
    resolves on a resolver of its own from ``apis``."""
    app = build_resolver("Antidote claim-check API", "Ask whether a text repeats a known health myth.")

    def check(request: CheckRequest) -> CheckResponse:
        return check_for(request, app.context.get("api_key"))

    app.post(
        CHECK_PATH,
        middlewares=[require_api_key("check")],
        security=[{"apiKey": []}],
        summary="Check one text or up to 50",
        description="For each text: the decision (match, review, none); the text's stance towards the top claim "
        "and the reply policy's action (correct, inform or none) with its reason (reach is unknown here, so no reach "
        "rule applies); the closest known claims with verdict, score, correction (in `language` when the claim has "
        "it) and sources; and the knowledge-base version. "
        "Needs an API key with scope 'check'; each request counts once against the key's daily quota. When the key "
        "registered a webhook (partner notifications), each text that came back none or review is kept, redacted, "
        "for that partner for 30 days, and a partner.claim_added webhook follows if the knowledge base gains a "
        "claim that matches it.",
    )(check)
    return app


app = build_app()  # the one whose schema goes into openapi.json, and the first in the pool
apis = ResolverPool(build_app, app)


NOTIFY_SOURCE = "antidote.notify"  # the scheduled event that runs partner notifications
# Each delivery gets a short budget: the function's timeout bounds the whole run, and what fails is tried next run.
NOTIFY_DELIVERY_POLICY = DeliveryPolicy(max_attempts=4, budget_seconds=15)


class _PublishedIndex:
    """What the notifier needs from the loaded index: its claims, and checks through the same batcher as requests."""

    @property
    def kb_version(self) -> str:
        return matcher().kb_version

    @property
    def claims(self) -> dict[str, Claim]:
        return matcher().claims

    def check_many(self, texts: list[str], top_k: int = 3) -> list[EngineResult]:
        return checker().check_many(texts, top_k)


def run_partner_notifications() -> NotifyReport:
    settings = get_settings()
    master = master_secret(settings)
    sender = WebhookSender(deliveries(), rule=UrlRule.for_stage(settings.is_local), policy=NOTIFY_DELIVERY_POLICY)
    report = notify_partners(
        _PublishedIndex(),
        key_store(),
        partner_queries(),
        sender,
        lambda key: partner_destination(master, key),
        datetime.now(UTC),
    )
    logger.info("partner notifications", extra=report.as_dict())
    metrics.add_metric(name="PartnerNotificationsDelivered", unit="Count", value=report.delivered)
    metrics.add_metric(name="PartnerNotificationsFailed", unit="Count", value=report.failed)
    return report


@dataclass(frozen=True)
class PreparedBatch:
    """What the whole batch computed up front (one embedding call, one round of writes)."""

    posts: dict[str, StoredPost] = field(default_factory=dict)
    prepared: dict[str, PreparedMatch] = field(default_factory=dict)


def prepare_batch(records: list[dict[str, Any]]) -> PreparedBatch:
    keys: list[str] = []
    for record in records:
        try:
            keys.append(PostMessage.model_validate_json(record.get("body") or "").post_key)
        except ValidationError:
            continue  # the record's own handler reports it as a failure
    found = load_posts(keys, post_store())
    ordered = list(found.values())
    with checker().exclusive():  # the batch as it came, never merged with claim checks nor refused
        results = check_posts(ordered, matcher())
    settings = get_settings()
    now = datetime.now(UTC)
    prepared = record_batch(ordered, results, matcher().kb_version, post_store(), now, settings.reach_thresholds)
    kept = keep_unmatched(ordered, results, void_store(), settings.voids_similarity_floor)
    if kept:
        metrics.add_metric(name="UnmatchedHealthPostsKept", unit="Count", value=kept)
    return PreparedBatch(found, prepared)


def forward_record(record: SQSRecord, batch: PreparedBatch) -> dict[str, Any]:
    """One record's share of the batch: forward its prepared match (a pure function of record and batch)."""
    message = PostMessage.model_validate_json(record.body)
    post = require_post(batch.posts, message.post_key)
    correlation_id = record_correlation_id(record.raw_event)
    outcome = forward(batch.prepared[post.post_key], matcher().kb_version, sink("matches"), correlation_id)
    metrics.add_metric(name=f"Decision_{outcome.decision}", unit="Count", value=1)
    if outcome.action:
        metrics.add_metric(name=f"Action_{outcome.action}", unit="Count", value=1)
    return {
        "post_key": outcome.post_key,
        "decision": outcome.decision,
        "claim_id": outcome.claim_id,
        "action": outcome.action,
    }


class MatchBatchProcessor(BatchProcessor):
    """Powertools' batch processor, extended at its own hook: ``_prepare`` embeds and records the whole batch
    before any record is handled, ``_clean`` forgets it, so nothing about a batch outlives its invocation."""

    def __init__(self) -> None:
        super().__init__(event_type=EventType.SQS)
        self.batch = PreparedBatch()

    def _prepare(self) -> None:
        super()._prepare()  # type: ignore[no-untyped-call]
        self.batch = prepare_batch(self.records)

    def _clean(self) -> None:
        self.batch = PreparedBatch()
        super()._clean()  # type: ignore[no-untyped-call]


processor = MatchBatchProcessor()


def _record_handler(record: SQSRecord) -> dict[str, Any]:
    return forward_record(record, processor.batch)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_invocation(event)
    if event.get("source") == NOTIFY_SOURCE:
        return run_partner_notifications().as_dict()
    if "Records" in event:
        return dict(
            process_partial_response(event=event, record_handler=_record_handler, processor=processor, context=context)
        )
    if event.get("resource") != CHECK_PATH:
        return apis.resolve(event, context)
    with checker().coming():  # on its way to a check: a batch about to start may wait for it (local runtime)
        return apis.resolve(event, context)
