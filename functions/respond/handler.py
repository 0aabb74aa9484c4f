"""Respond Lambda: the matches-queue consumer that queues suggested replies, and the educators' review API."""

# No "from __future__ import annotations" here: Powertools reads route signatures at run time.
from functions.shared.loading import loading

with loading():  # what the function imports lives as long as its container: no collections while it loads
    import json
    from datetime import UTC, datetime, timedelta
    from functools import lru_cache
    from typing import Annotated, Any, Literal

    from aws_lambda_powertools.event_handler import Response
    from aws_lambda_powertools.event_handler.openapi.params import Path, Query
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from functions.respond.console import SECURITY_HEADERS, console_file
    from functions.respond.exports import audit_csv, reviews_csv
    from functions.respond.logic import (
        SeasonRule,
        SlaRule,
        add_note,
        add_sentiment_and_alerts,
        approve,
        assign,
        create_review_item,
        cut_trend_counts,
        decide,
        mark_posted,
        reject,
        trend_summary,
        undo,
    )
    from functions.respond.seasons import coming_up
    from functions.respond.sources import sources_view
    from functions.respond.voids import ClusteringRule, one_void, run_clustering, voids_response
    from functions.shared import dependencies
    from functions.shared.api import build_resolver, problems, resolve
    from functions.shared.api_auth import require_educator
    from functions.shared.auth import Educator
    from functions.shared.claims import Claim, read_published_claims
    from functions.shared.dal.reviews import ReviewFilters
    from functions.shared.dependencies import idempotency_store, reviews
    from functions.shared.models import (
        Action,
        AlertKind,
        AlertsResponse,
        ApproveRequest,
        AssignRequest,
        AuditEvent,
        ComingUp,
        DecideRequest,
        MatchMessage,
        NoteRequest,
        PostedRequest,
        RejectRequest,
        ReviewItem,
        ReviewPage,
        ReviewStatus,
        ReviewSummary,
        SourcesResponse,
        UndoRequest,
        Void,
        VoidsResponse,
        WebhookRegistered,
        WebhookRegistration,
    )
    from functions.shared.observability import logger, metrics, start_invocation, tracer
    from functions.shared.partner_webhooks import register_webhook, remove_webhook
    from functions.shared.settings import get_settings
    from functions.shared.source_config import read_sources

SLA_CHECK_SOURCE = "antidote.sla"
VOIDS_SOURCE = "antidote.voids"  # the scheduled clustering of kept health posts into information voids
get_settings().require(  # a deployed function with a missing table or queue fails here, at cold start
    "posts_table",
    "reviews_table",
    "audit_table",
    "counters_table",
    "idempotency_table",
    "sources_table",
    "unmatched_table",
    "voids_table",
    "api_keys_table",  # an admin registers partner webhooks on keys
    "alerts_table",
)
app = build_resolver("Antidote review API", "The queue of suggested replies that health educators work.")
processor = BatchProcessor(event_type=EventType.SQS)
EDUCATOR = [require_educator()]
SECURITY: list[dict[str, list[str]]] = [{"educatorToken": []}]
# Item ids are 24 hex digits; a longer one is refused (422) before it reaches DynamoDB, whose keys stop at 2 KB.
ItemId = Annotated[str, Path(min_length=1, max_length=64)]
VoidId = Annotated[str, Path(min_length=1, max_length=64, description="a void's id, as GET /v1/voids lists it")]
SEARCH_HELP = "Words that must all appear (accents and case ignored) in the claim, post text, author, topic or draft."
DUE_SOON = timedelta(minutes=30)
# The queue's filters, shared by the list, its summary and its export.
StatusQ = Annotated[ReviewStatus, Query()]
TopicQ = Annotated[str | None, Query(max_length=80)]
PlatformQ = Annotated[str | None, Query(max_length=20)]
LanguageQ = Annotated[str | None, Query(max_length=2)]
RegionQ = Annotated[str | None, Query(max_length=2, description="A region code (GB, US …); '-': none named.")]
ActionQ = Annotated[Action | None, Query()]
ClaimQ = Annotated[str | None, Query(max_length=120, description="Only items about this claim id.")]
AssigneeQ = Annotated[str | None, Query(max_length=64, description="Only items taken by this educator.")]
SearchQ = Annotated[str | None, Query(max_length=200, description=SEARCH_HELP)]
MAX_EXPORT_ROWS = 10_000


@app.get("/", include_in_schema=False)
def console_index() -> Response[str]:
    content_type, text = console_file("index.html")
    return Response(200, content_type, text, SECURITY_HEADERS)


@app.get("/console/<path>", include_in_schema=False)
def console_asset(path: str) -> Response[str]:
    if path == "config.json":  # how the console signs in here: dev tokens locally, Cognito's hosted UI in AWS
        settings = get_settings()
        cognito = (
            {"domain": settings.cognito_domain, "client_id": settings.cognito_client_id}
            if settings.cognito_domain and settings.cognito_client_id
            else None
        )
        config = {
            "auth_mode": settings.auth_mode,
            "undo_window_seconds": settings.undo_window_seconds,
            "cognito": cognito,
            "reach_thresholds": {k: v.model_dump() for k, v in sorted(settings.reach_thresholds.items())},
            "timezone": settings.timezone,
            "second_signoff_high_harm": settings.second_signoff_high_harm,
        }
        return Response(200, "application/json", json.dumps(config), SECURITY_HEADERS)
    content_type, text = console_file(path)
    return Response(200, content_type, text, SECURITY_HEADERS)


@lru_cache(maxsize=1)
def knowledge_base() -> tuple[dict[str, Claim], str]:
    """The curated claims by id and the KB version, read once per container from the index artifact."""
    claims, kb_version = read_published_claims(get_settings().resolved_index_dir)
    return {c.id: c for c in claims}, kb_version


def _educator() -> Educator:
    educator: Educator = app.context["educator"]
    return educator


@app.get(
    "/v1/reviews",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="The review queue, most urgent first",
    description="Items of one status, most urgent first. `pending` (the default) is the educators' queue: "
    "corrections, answers to questions, risky disclosures (first) and privacy reports. `filed` holds what the reply "
    "policy does not send — monitored posts below the reach threshold, counter-speech, neutral mentions — for "
    "educators to look at; filter either by `action`.",
)
def list_reviews(
    status: StatusQ = ReviewStatus.PENDING,
    topic: TopicQ = None,
    platform: PlatformQ = None,
    language: LanguageQ = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2000, pattern=r"^[A-Za-z0-9_=-]+$")] = None,
    action: ActionQ = None,
    claim: ClaimQ = None,
    assignee: AssigneeQ = None,
    q: SearchQ = None,
    region: RegionQ = None,
) -> ReviewPage:
    filters = ReviewFilters(topic, platform, language, action, claim, assignee, q, region and region.upper())
    return reviews().list_review_items(status, filters, limit, cursor)


@app.get(
    "/v1/reviews:summary",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Totals for the current filters, over every page",
    description="How many items of `status` match the filters (the same as `GET /v1/reviews`, search included), "
    "how many are overdue or due within 30 minutes, and how they spread over topics and platforms. Reads every item "
    "of that status: about half a read unit per 4 KB of each item.",
)
def review_summary(
    status: StatusQ = ReviewStatus.PENDING,
    topic: TopicQ = None,
    platform: PlatformQ = None,
    language: LanguageQ = None,
    action: ActionQ = None,
    claim: ClaimQ = None,
    assignee: AssigneeQ = None,
    q: SearchQ = None,
    region: RegionQ = None,
) -> ReviewSummary:
    filters = ReviewFilters(topic, platform, language, action, claim, assignee, q, region and region.upper())
    return reviews().summarise(status, filters, datetime.now(UTC), DUE_SOON)


@app.get(
    "/v1/exports/reviews.csv",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="The queue (every page, current filters) as CSV",
)
def export_reviews(
    status: StatusQ = ReviewStatus.PENDING,
    topic: TopicQ = None,
    platform: PlatformQ = None,
    language: LanguageQ = None,
    action: ActionQ = None,
    claim: ClaimQ = None,
    assignee: AssigneeQ = None,
    q: SearchQ = None,
    region: RegionQ = None,
) -> Response[str]:
    filters = ReviewFilters(topic, platform, language, action, claim, assignee, q, region and region.upper())
    items, cursor = [], None
    while True:
        page = reviews().list_review_items(status, filters, 100, cursor)
        items += page.items
        cursor = page.next_cursor
        if not cursor or len(items) >= MAX_EXPORT_ROWS:
            break
    return _csv(f"antidote-{status.value}.csv", reviews_csv(items[:MAX_EXPORT_ROWS]))


@app.get(
    "/v1/exports/audit.csv",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="The audit log (who did what, when) as CSV",
    description="Every audit event since `since` (default: the last 30 days), oldest first. A scan of the audit "
    "table: one read unit per 4 KB of the whole table.",
)
def export_audit(since: Annotated[datetime | None, Query()] = None) -> Response[str]:
    start = since or datetime.now(UTC) - timedelta(days=30)
    return _csv("antidote-audit.csv", audit_csv(reviews().all_audit_events(start)))


def _csv(filename: str, text: str) -> Response[str]:
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(200, "text/csv; charset=utf-8", text, headers)


@app.get(
    "/v1/reviews/<item_id>", middlewares=EDUCATOR, security=SECURITY, summary="One review item", responses=problems(404)
)
def get_review(item_id: ItemId) -> ReviewItem:
    return reviews().get_review_item(item_id)


@app.get(
    "/v1/reviews/<item_id>/audit",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Who did what, when",
    responses=problems(404),
)
def get_audit(item_id: ItemId) -> list[AuditEvent]:
    reviews().get_review_item(item_id)  # 404 for an unknown item
    return reviews().audit_events(item_id)


@app.post(
    "/v1/reviews/<item_id>/approve",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Approve (optionally edited)",
    responses=problems(404, 409),
    description="With second sign-off on (`ANTIDOTE_SECOND_SIGNOFF_HIGH_HARM`), approving a reply about a "
    "high-harm claim records the first approval; a second educator approving the same text confirms it.",
)
def approve_review(item_id: ItemId, request: ApproveRequest) -> ReviewItem:
    settings = get_settings()
    return approve(reviews(), item_id, request, _educator(), datetime.now(UTC), settings.second_signoff_high_harm)


@app.post(
    "/v1/reviews/<item_id>/reject",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Reject with a reason",
    responses=problems(404, 409),
)
def reject_review(item_id: ItemId, request: RejectRequest) -> ReviewItem:
    return reject(reviews(), item_id, request, _educator(), datetime.now(UTC))


@app.post(
    "/v1/reviews/<item_id>/decide",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Monitor only, amplify (counter-speech) or escalate (privacy or safeguarding, with a reason)",
    responses=problems(404, 409),
)
def decide_review(item_id: ItemId, request: DecideRequest) -> ReviewItem:
    return decide(reviews(), item_id, request, _educator(), datetime.now(UTC))


KeyId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
ADMIN = [require_educator(admin=True)]


@app.put(
    "/v1/keys/<key_id>/webhook",
    middlewares=ADMIN,
    security=SECURITY,
    summary="Register a partner key's webhook (admin)",
    description="Opts the key in to partner notifications: from now on its claim checks that come back none or "
    "review are kept, redacted, for 30 days, and a signed `partner.claim_added` webhook (see `webhooks`) goes to "
    "`url` when the knowledge base gains a claim that matches one. Answers the signing secret, once; registering "
    "again issues a new one. The URL must be https and resolve to public addresses (the local stage also accepts "
    "http and this machine).",
    responses=problems(404),
)
def put_key_webhook(key_id: KeyId, request: WebhookRegistration) -> WebhookRegistered:
    return register_webhook(dependencies.keys(), key_id, request.url, get_settings(), datetime.now(UTC))


@app.delete(
    "/v1/keys/<key_id>/webhook",
    middlewares=ADMIN,
    security=SECURITY,
    summary="Remove a partner key's webhook (admin)",
    description="Opts the key out: nothing more is kept or sent (what was kept expires within 30 days).",
    responses=problems(404),
)
def delete_key_webhook(key_id: KeyId) -> dict[str, Any]:
    remove_webhook(dependencies.keys(), key_id, datetime.now(UTC))
    return {"key_id": key_id, "webhook": None}


@app.post(
    "/v1/reviews/<item_id>/assign",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Take or hand over",
    responses=problems(404, 409),
)
def assign_review(item_id: ItemId, request: AssignRequest) -> ReviewItem:
    return assign(reviews(), item_id, request, _educator(), datetime.now(UTC))


@app.post(
    "/v1/reviews/<item_id>/notes",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Add an internal note",
    responses=problems(404, 409),
)
def note_review(item_id: ItemId, request: NoteRequest) -> ReviewItem:
    return add_note(reviews(), item_id, request, _educator(), datetime.now(UTC))


@app.post(
    "/v1/reviews/<item_id>/posted",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Mark the reply as posted",
    responses=problems(404, 409),
)
def posted_review(item_id: ItemId, request: PostedRequest) -> ReviewItem:
    return mark_posted(reviews(), item_id, request, _educator(), datetime.now(UTC))


@app.post(
    "/v1/reviews/<item_id>/undo",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Undo within the window (by whoever acted, or an admin: 403 otherwise)",
    responses=problems(404, 409),
)
def undo_review(item_id: ItemId, request: UndoRequest) -> ReviewItem:
    return undo(reviews(), item_id, request, _educator(), datetime.now(UTC), get_settings().undo_window_seconds)


@app.get(
    "/v1/trends",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Per claim, last day and week: posts spreading it, counter-speech and questions",
    description="Cut by `region` and/or `language` (from the dimensioned counters). Each claim also carries its "
    "last day's posts with a sentiment and how many were negative, and the week's alerts (the chart marks them).",
)
def trends(region: RegionQ = None, language: LanguageQ = None) -> dict[str, Any]:
    now = datetime.now(UTC)
    region, language = region and region.upper(), language and language.lower()
    store = dependencies.trends()
    counts = store.hour_counts(now, 7)
    hourly = cut_trend_counts(counts, region, language) if region or language else store.trend_counts(now, 7)
    cut = [c for c in counts if (not region or c.region == region) and (not language or c.language == language)]
    summary = trend_summary(hourly, reviews().pending_by_claim(), knowledge_base()[0], now)
    week = dependencies.alerts().between(now - timedelta(days=7), now + timedelta(hours=1))
    everywhere = {"regions": sorted({c.region for c in counts}), "languages": sorted({c.language for c in counts})}
    return add_sentiment_and_alerts(summary, cut, week, now) | everywhere


@app.get(
    "/v1/alerts",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Alerts the hourly detector raised: spikes, first-seen claims, sentiment dips",
    description="Newest first, over the last `days` days (UTC). A spike is an hour whose posts spreading a claim "
    "(or a topic, region or language) were unlikely under that series' own baseline; `p_value` is that chance, "
    "`expected` the baseline's expectation. `delivery` says whether it was sent at once or in the daily digest.",
)
def list_alerts(
    days: Annotated[int, Query(ge=1, le=90)] = 2,
    kind: Annotated[AlertKind | None, Query()] = None,
    since: Annotated[
        datetime | None, Query(description="Only alerts raised after this time (the console badge).")
    ] = None,
) -> AlertsResponse:
    now = datetime.now(UTC)
    found = dependencies.alerts().between(now - timedelta(days=days), now + timedelta(hours=1))
    chosen = [a for a in found if (kind is None or a.kind is kind) and (since is None or a.raised_at > since)]
    return AlertsResponse(alerts=sorted(chosen, key=lambda a: (a.hour, a.alert_id), reverse=True))


@app.get(
    "/v1/sources",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="The scan sources and their health",
    description="Each configured source (connector, query, languages, regions, schedule) with its last run, last "
    "success, last error, consecutive failures and posts fetched and accepted in the last run and today (UTC).",
)
def list_sources() -> SourcesResponse:
    settings = get_settings()
    configured = read_sources(settings)
    store = dependencies.source_states()
    states = store.all_states() if settings.is_local else store.get_states(c.name for c in configured)
    return sources_view(configured, states)


@app.get("/v1/claims", middlewares=EDUCATOR, security=SECURITY, summary="The knowledge base, for the console")
def list_claims() -> dict[str, Any]:
    today = datetime.now(UTC).date()
    claims, kb_version = knowledge_base()
    return {
        "kb_version": kb_version,
        "claims": [{**c.model_dump(mode="json"), "stale": c.review_by < today} for c in claims.values()],
    }


@app.get(
    "/v1/voids",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Information voids: health talk no claim answers",
    description="The last clustering run's voids, best first: clusters of health posts that matched no claim, ranked "
    "by size plus growth (posts in the last growth_hours count twice), each with its languages, platforms, a few "
    "example posts (personal data removed) and the closest existing claims. Ids stay the same across runs while a "
    "void keeps at least half of its posts.",
)
def list_voids() -> VoidsResponse:
    return voids_response(dependencies.voids(), knowledge_base()[0])


@app.get(
    "/v1/voids/<void_id>",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="One information void",
    responses=problems(404),
)
def get_void(void_id: VoidId) -> Void:
    return one_void(dependencies.voids(), void_id, knowledge_base()[0])


def cluster_voids() -> dict[str, Any]:
    """The scheduled run: cluster the kept posts into voids and replace the stored ones."""
    settings = get_settings()
    rule = ClusteringRule(settings.voids_min_cluster_size, settings.voids_growth_hours)
    voids = run_clustering(dependencies.voids(), datetime.now(UTC), rule)
    metrics.add_metric(name="InformationVoids", unit="Count", value=len(voids))
    return {"voids": len(voids), "largest": voids[0].size if voids else 0}


@app.get(
    "/v1/claims:coming-up",
    middlewares=EDUCATOR,
    security=SECURITY,
    summary="Seasonal claims entering their season soon, and those in season now",
    description="Claims with a season (flu, heat illness, allergies, sunscreen, back-to-school vaccines) whose season "
    "starts within `weeks` (default ANTIDOTE_COMING_UP_WEEKS) in `hemisphere` (default: the organisation's, "
    "ANTIDOTE_HEMISPHERE), so educators can prepare; and those in season today, whose review items are boosted.",
)
def claims_coming_up(
    weeks: Annotated[int | None, Query(ge=1, le=26)] = None,
    hemisphere: Annotated[Literal["north", "south"] | None, Query()] = None,
) -> ComingUp:
    settings = get_settings()
    claims, _ = knowledge_base()
    today = datetime.now(settings.zone).date()
    return coming_up(claims.values(), hemisphere or settings.hemisphere, today, weeks or settings.coming_up_weeks)


IDEMPOTENCY = IdempotencyConfig(event_key_jmespath="[post_key, claim.id]", expires_after_seconds=24 * 3600)


@lru_cache(maxsize=1)
def _create_once() -> Any:
    """Powertools Idempotency around creating a review item: a redelivered message returns the first result."""

    def create(message: dict[str, Any]) -> dict[str, Any]:
        settings = get_settings()
        created = create_review_item(
            MatchMessage.model_validate(message),
            dependencies.posts(),
            reviews(),
            datetime.now(UTC),
            SlaRule(settings.sla_high_harm_hours, settings.zone),
            SeasonRule(settings.hemisphere, settings.season_boost),
        )
        return {"post_key": message["post_key"], "created": created}

    return idempotent_function(
        data_keyword_argument="message", persistence_store=idempotency_store(), config=IDEMPOTENCY
    )(create)


def _record_handler(record: SQSRecord) -> dict[str, Any]:
    message = MatchMessage.model_validate_json(record.body)
    result: dict[str, Any] = _create_once()(message=message.model_dump(mode="json"))
    if result.get("created"):
        metrics.add_metric(name="ReviewItemsCreated", unit="Count", value=1)
    return result


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_invocation(event)
    if event.get("source") == SLA_CHECK_SOURCE:  # scheduled, so the SLA alarm sees ageing items in a quiet queue
        past_sla = reviews().count_pending_past_sla(datetime.now(UTC))
        metrics.add_metric(name="ReviewItemsPastSla", unit="Count", value=past_sla)
        return {"review_items_past_sla": past_sla}
    if event.get("source") == VOIDS_SOURCE:
        return cluster_voids()
    if "Records" in event:
        IDEMPOTENCY.register_lambda_context(context)
        # The SLA count is published by the scheduled check above, not per batch: counting reads every pending item.
        return dict(
            process_partial_response(event=event, record_handler=_record_handler, processor=processor, context=context)
        )
    return resolve(app, event, context)
