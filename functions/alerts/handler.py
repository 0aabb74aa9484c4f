"""Alerts Lambda: run hourly by EventBridge (locally by ``functions/local/scheduler.py``); detects for the last
whole hour, or for ``detail.hour`` ("YYYY-MM-DDTHH", a rerun or backfill), and sends what it raised."""

# No "from __future__ import annotations" here, like the other handlers.
from functions.shared.loading import loading

with loading():  # what the function imports lives as long as its container: no collections while it loads
    from datetime import UTC, datetime, timedelta
    from functools import lru_cache
    from typing import Any

    from aws_lambda_powertools.utilities.typing import LambdaContext

    from functions.alerts.destinations import SignedWebhook, SnsTopic
    from functions.alerts.detection import Sensitivity
    from functions.alerts.logic import AlertPolicy, Destination, run_detector
    from functions.shared import dependencies
    from functions.shared.claims import read_published_claims
    from functions.shared.errors import InvalidInput
    from functions.shared.observability import logger, metrics, start_invocation, tracer
    from functions.shared.settings import Settings, get_settings
    from functions.shared.webhooks import UrlRule, WebhookSender

get_settings().require("counters_table", "alerts_table")


def alert_policy(settings: Settings) -> AlertPolicy:
    sensitivity = Sensitivity(
        p_value=settings.alert_sensitivity,
        min_count=settings.alert_min_count,
        baseline_hours=settings.alert_baseline_days * 24,
        cooldown_hours=settings.alert_cooldown_hours,
    )
    return AlertPolicy(sensitivity, settings.alert_max_immediate_per_day, settings.alert_digest_hour)


@lru_cache(maxsize=1)
def topics() -> dict[str, str]:
    """Each claim's topic (a topic series sums its claims), from the published index."""
    claims, _ = read_published_claims(get_settings().resolved_index_dir)
    return {c.id: c.topic for c in claims}


def destinations(settings: Settings) -> list[Destination]:
    found: list[Destination] = []
    if settings.alert_topic_arn:
        found.append(SnsTopic(settings.alert_topic_arn, settings.aws_region))
    if settings.alert_webhook_url:
        settings.require("deliveries_table")  # the webhook's delivery log
        sender = WebhookSender(dependencies.deliveries(), rule=UrlRule.for_stage(settings.is_local))
        found.append(SignedWebhook(sender, settings.alert_webhook_url, webhook_secret(settings)))
    return found


def webhook_secret(settings: Settings) -> str:
    if settings.is_local or not settings.alert_webhook_secret_name:
        if not settings.alert_webhook_secret:
            raise InvalidInput("ANTIDOTE_ALERT_WEBHOOK_URL needs ANTIDOTE_ALERT_WEBHOOK_SECRET (or _SECRET_NAME)")
        return settings.alert_webhook_secret
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_secret(settings.alert_webhook_secret_name, max_age=300))


def hour_to_detect(event: dict[str, Any], now: datetime) -> datetime:
    asked = (event.get("detail") or {}).get("hour")
    if asked:
        try:
            return datetime.strptime(str(asked), "%Y-%m-%dT%H").replace(tzinfo=UTC)
        except ValueError as exc:
            raise InvalidInput("detail.hour must be YYYY-MM-DDTHH (UTC)") from exc
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    start_invocation(event)
    settings = get_settings()
    now = datetime.now(UTC)
    hour = hour_to_detect(event, now)
    report = run_detector(
        hour,
        dependencies.trends(),
        dependencies.alerts(),
        topics(),
        alert_policy(settings),
        destinations(settings),
        now,
    )
    logger.info("alerts detected", extra={"hour": hour.isoformat(), "raised": len(report.raised)})
    metrics.add_metric(name="AlertsRaised", unit="Count", value=len(report.raised))
    return {
        "hour": hour.isoformat(),
        "findings": report.findings,
        "raised": report.raised,
        "suppressed_by_cooldown": report.suppressed_by_cooldown,
        "sent": report.sent,
        "digest": report.digest,
    }
