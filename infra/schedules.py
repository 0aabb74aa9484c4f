"""EventBridge Scheduler: scans of the configured sources (invoke ingest), the review SLA check (invoke respond)
and partner notifications (invoke match).

Each kind invokes its function asynchronously through its own role (trusted by EventBridge Scheduler of this
account only), with 2 retries; what still fails is parked in one queue per kind, whether the scheduler could not
deliver the event or the function failed all its attempts (the function's asynchronous failure destination is the
same queue). Built straight into the stack rather than as a construct of its own, so the queues, roles and
schedules keep the CloudFormation ids they were first deployed with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from functions.shared.models import SourceConfig
from infra.config import StageConfig
from infra.messaging import parking_queue

RETRY_ATTEMPTS = 2

# What the SLA schedule sends the respond function: it counts pending review items past their SLA and publishes
# ReviewItemsPastSla, so the SLA alarm fires even when no new match arrives to trigger the count.
SLA_CHECK_EVENT: dict[str, Any] = {"source": "antidote.sla", "detail": {}}
# What the voids schedule sends the respond function: cluster the kept health posts into information voids.
VOIDS_EVENT: dict[str, Any] = {"source": "antidote.voids", "detail": {}}


# What the partner-notification schedule sends the match function (functions/match/handler.py, NOTIFY_SOURCE).
NOTIFY_EVENT: dict[str, Any] = {"source": "antidote.notify", "detail": {}}


def scan_event(source_name: str) -> dict[str, Any]:
    """What a scheduled scan sends the ingest function: a scan event naming the source, with no posts (a schedule
    carries a fixed payload; fetching from the named source is the ingest function's job)."""
    return {"source": "antidote.scan", "detail": {"source_name": source_name, "posts": []}}


@dataclass(frozen=True)
class Scheduled:
    """One kind of scheduled invocation: the queue its failures are parked in, the role the scheduler invokes the
    function with (None while nothing is scheduled) and its schedules."""

    dead_letters: sqs.Queue
    role: iam.Role | None
    schedules: tuple[scheduler.Schedule, ...]


def scan_minutes(config: StageConfig, source: SourceConfig) -> int:
    """A source's interval: its own, but never shorter than the stage allows."""
    return max(source.every_minutes, config.scan_rate_minutes)


def source_id(source: SourceConfig) -> str:
    return "".join(part.capitalize() for part in source.name.split("-"))


def scheduled_scans(stack: Stack, config: StageConfig, ingest: lambda_.Function) -> Scheduled:
    """One schedule per source in the stage's ``sources`` (at its own interval); a stage that names none scans
    nothing. The ingest function reads the sources from ANTIDOTE_SOURCES and each source's secret, if it has one."""
    max_age = Duration.minutes(config.scan_rate_minutes)
    dead_letters = _park_failures(stack, "ScanDeadLetterQueue", ingest, max_age)
    if not config.sources:
        return Scheduled(dead_letters, None, ())
    role = _scheduler_role(stack, "ScanSchedulerRole", config, "invoke the ingest function for scheduled scans")
    schedules = tuple(
        scheduler.Schedule(
            stack,
            f"Scan{source_id(source)}",
            description=f"Scan '{source.name}' for new posts every {scan_minutes(config, source)} min ({config.name})",
            schedule=scheduler.ScheduleExpression.rate(Duration.minutes(scan_minutes(config, source))),
            target=_invoke(ingest, scan_event(source.name), role, dead_letters, max_age),
            enabled=config.scans_enabled and source.enabled,
        )
        for source in config.sources
    )
    _grant_source_secrets(stack, config, ingest)
    return Scheduled(dead_letters, role, schedules)


def sources_environment(config: StageConfig) -> str:
    """What ANTIDOTE_SOURCES holds for the ingest and respond functions: the stage's sources as JSON (names of
    secrets, never their values)."""
    return json.dumps([source.model_dump(mode="json") for source in config.sources], separators=(",", ":"))


def _grant_source_secrets(stack: Stack, config: StageConfig, ingest: lambda_.Function) -> None:
    """Ingest may read exactly the secrets the sources name (created by the operator, never by this stack)."""
    for source in config.sources:
        if source.secret is None:
            continue
        secret = secretsmanager.Secret.from_secret_name_v2(stack, f"SourceSecret{source_id(source)}", source.secret)
        secret.grant_read(ingest)


def sla_checks(stack: Stack, config: StageConfig, respond: lambda_.Function) -> Scheduled:
    """Has respond count the review items past their SLA every ``sla_check_rate_minutes``."""
    return _every(
        stack,
        config,
        _Periodic("SlaCheck", "SlaCheckDeadLetterQueue", "SlaSchedulerRole", "SLA checks"),
        respond,
        SLA_CHECK_EVENT,
        config.sla_check_rate_minutes,
        "Count review items past their SLA",
    )


@dataclass(frozen=True)
class _Periodic:
    """The construct ids of one periodic invocation (kept as first deployed) and what it is for."""

    schedule_id: str
    queue_id: str
    role_id: str
    purpose: str


def _every(
    stack: Stack,
    config: StageConfig,
    ids: _Periodic,
    function: lambda_.Function,
    event: dict[str, Any],
    minutes: int,
    what: str,
) -> Scheduled:
    """``event`` to ``function`` every ``minutes``; an event older than one period is worthless (the next one is
    already due), hence the event age."""
    max_age = Duration.minutes(minutes)
    dead_letters = _park_failures(stack, ids.queue_id, function, max_age)
    role = _scheduler_role(
        stack, ids.role_id, config, f"invoke the {function.node.id.lower()} function for {ids.purpose}"
    )
    schedule = scheduler.Schedule(
        stack,
        ids.schedule_id,
        description=f"{what} every {minutes} min ({config.name})",
        schedule=scheduler.ScheduleExpression.rate(max_age),
        target=_invoke(function, event, role, dead_letters, max_age),
    )
    return Scheduled(dead_letters, role, (schedule,))


@dataclass(frozen=True)
class PartnerNotifications:
    scheduled: Scheduled
    master_secret: secretsmanager.Secret


def partner_notifications(
    stack: Stack, config: StageConfig, match: lambda_.Function, respond: lambda_.Function
) -> PartnerNotifications:
    """Has match tell partners about new claims every ``partner_notify_rate_minutes``; the master secret partners'
    signing secrets derive from is generated here, read by match (to sign) and respond (to show a new secret)."""
    master = secretsmanager.Secret(
        stack,
        "WebhookMasterSecret",
        description=f"Antidote ({config.name}): derives each partner's webhook signing secret",
        generate_secret_string=secretsmanager.SecretStringGenerator(password_length=48, exclude_punctuation=True),
    )
    for function in (match, respond):
        master.grant_read(function)
        function.add_environment("ANTIDOTE_WEBHOOK_MASTER_SECRET_ARN", master.secret_arn)
    scheduled = _every(
        stack,
        config,
        _Periodic("PartnerNotify", "NotifyDeadLetterQueue", "NotifySchedulerRole", "partner notifications"),
        match,
        NOTIFY_EVENT,
        config.partner_notify_rate_minutes,
        "Tell partners about new matching claims",
    )
    return PartnerNotifications(scheduled, master)


def _park_failures(stack: Stack, queue_id: str, function: lambda_.Function, max_age: Duration) -> sqs.Queue:
    """A parking queue for ``function``'s asynchronous invocations that fail all their retries."""
    dead_letters = parking_queue(stack, queue_id)
    function.configure_async_invoke(
        retry_attempts=RETRY_ATTEMPTS,
        max_event_age=max_age,
        on_failure=destinations.SqsDestination(dead_letters),
    )
    return dead_letters


def _scheduler_role(stack: Stack, role_id: str, config: StageConfig, purpose: str) -> iam.Role:
    """A role only EventBridge Scheduler of this account may assume; each schedule's target grants what it needs."""
    return iam.Role(
        stack,
        role_id,
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": stack.account}}
        ),
        description=f"EventBridge Scheduler ({config.name}): {purpose}",
    )


def _invoke(
    function: lambda_.Function, event: dict[str, Any], role: iam.Role, dead_letters: sqs.Queue, max_age: Duration
) -> targets.LambdaInvoke:
    return targets.LambdaInvoke(
        function,
        input=scheduler.ScheduleTargetInput.from_object(event),
        retry_attempts=RETRY_ATTEMPTS,
        max_event_age=max_age,
        dead_letter_queue=dead_letters,
        role=role,
    )


def voids_clustering(stack: Stack, config: StageConfig, respond: lambda_.Function, sla: Scheduled) -> Scheduled:
    """Has respond cluster the kept health posts into information voids every ``voids_rate_minutes``. It shares the
    SLA check's role and parking queue: both invoke respond, and a function has one asynchronous failure
    destination."""
    assert sla.role is not None  # the SLA check is always scheduled
    max_age = Duration.minutes(config.voids_rate_minutes)
    schedule = scheduler.Schedule(
        stack,
        "VoidsClustering",
        description=f"Cluster unmatched health posts into information voids every {config.voids_rate_minutes} min "
        f"({config.name})",
        schedule=scheduler.ScheduleExpression.rate(Duration.minutes(config.voids_rate_minutes)),
        target=_invoke(respond, VOIDS_EVENT, sla.role, sla.dead_letters, max_age),
    )
    return Scheduled(sla.dead_letters, sla.role, (schedule,))


# What the hourly schedule sends the alerts function: no hour named, so it detects for the hour just over.
DETECTOR_EVENT: dict[str, Any] = {"source": "antidote.alerts", "detail": {}}


def alert_detection(stack: Stack, config: StageConfig, alerts: lambda_.Function) -> Scheduled:
    """Runs the alerts detector at five past every hour (the counters of the hour just over are complete)."""
    max_age = Duration.hours(1)  # a run an hour late is superseded by the next one
    dead_letters = _park_failures(stack, "AlertDetectorDeadLetterQueue", alerts, max_age)
    role = _scheduler_role(stack, "AlertSchedulerRole", config, "invoke the alerts function every hour")
    schedule = scheduler.Schedule(
        stack,
        "AlertDetector",
        description=f"Detect spikes, first-seen claims and sentiment dips every hour ({config.name})",
        schedule=scheduler.ScheduleExpression.cron(minute="5", hour="*"),
        target=_invoke(alerts, DETECTOR_EVENT, role, dead_letters, max_age),
    )
    return Scheduled(dead_letters, role, (schedule,))
