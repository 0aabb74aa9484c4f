"""One stack per stage: tables, queues, the three functions, the API, scheduled scans and SLA checks, alarms."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from infra import nag
from infra.api import Api, EducatorPool
from infra.compute import FUNCTIONS, Functions
from infra.config import StageConfig
from infra.messaging import WorkQueue, parking_queue
from infra.monitoring import Alarms
from infra.storage import Tables

TIMEOUTS = {spec.key: spec.timeout for spec in FUNCTIONS}


def scan_event(source_name: str) -> dict[str, Any]:
    """What a scheduled scan sends the ingest function: the spec's scan event, naming the source, with no posts
    (a schedule carries a fixed payload; fetching from the named source is the ingest function's job)."""
    return {"source": "antidote.scan", "detail": {"source_name": source_name, "posts": []}}


# What the SLA schedule sends the respond function: it counts pending review items past their SLA and publishes
# ReviewItemsPastSla, so the SLA alarm fires even when no new match arrives to trigger the count.
SLA_CHECK_EVENT: dict[str, Any] = {"source": "antidote.sla", "detail": {}}


class AntidoteStack(Stack):
    """The whole service for one stage."""

    def __init__(self, scope: Construct, config: StageConfig) -> None:
        super().__init__(
            scope,
            config.stack_name,
            stack_name=config.stack_name,
            description=f"Antidote health-misinformation monitoring service ({config.name})",
            env={"account": config.account, "region": config.region} if config.account or config.region else None,
            termination_protection=config.protect_data,
        )
        self.config = config
        Tags.of(self).add("project", "antidote")
        Tags.of(self).add("stage", config.name)
        for key, value in config.tags.items():
            Tags.of(self).add(key, value)

        self.tables = Tables(self, "Tables", config=config)
        self.functions = Functions(self, "Functions", config=config, tables=self.tables)
        ingest, match, respond = self.functions["ingest"], self.functions["match"], self.functions["respond"]

        # ingest -> posts queue -> match -> matches queue -> respond
        self.posts = WorkQueue(
            self,
            "PostsQueue",
            config=config,
            consumer_timeout=TIMEOUTS["match"],
            batching_window_seconds=config.posts_batching_window_seconds,
        )
        self.matches = WorkQueue(
            self,
            "MatchesQueue",
            config=config,
            consumer_timeout=TIMEOUTS["respond"],
            batching_window_seconds=config.matches_batching_window_seconds,
        )
        self.posts.queue.grant_send_messages(ingest)
        ingest.add_environment("ANTIDOTE_POSTS_QUEUE_URL", self.posts.queue.queue_url)
        self.matches.queue.grant_send_messages(match)
        match.add_environment("ANTIDOTE_MATCHES_QUEUE_URL", self.matches.queue.queue_url)
        match.add_event_source(
            sources.SqsEventSource(
                self.posts.queue,
                batch_size=config.posts_batch_size,
                max_batching_window=Duration.seconds(config.posts_batching_window_seconds),
                report_batch_item_failures=True,
                max_concurrency=config.match_queue_max_concurrency,
            )
        )
        respond.add_event_source(
            sources.SqsEventSource(
                self.matches.queue,
                batch_size=config.matches_batch_size,
                max_batching_window=Duration.seconds(config.matches_batching_window_seconds),
                report_batch_item_failures=True,
            )
        )

        # Scheduled scans: EventBridge Scheduler invokes ingest asynchronously; what fails after the retries is
        # parked in one queue, whether the invocation could not be delivered or the function kept failing.
        self.scan_dead_letters = parking_queue(self, "ScanDeadLetterQueue")
        ingest.configure_async_invoke(
            retry_attempts=2,
            max_event_age=Duration.minutes(max(1, config.scan_rate_minutes)),
            on_failure=destinations.SqsDestination(self.scan_dead_letters),
        )
        self.scan_role = iam.Role(
            self,
            "ScanSchedulerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": self.account}}
            ),
            description=f"EventBridge Scheduler ({config.name}): invoke the ingest function for scheduled scans",
        )
        self.schedules = [
            scheduler.Schedule(
                self,
                f"Scan{''.join(p.capitalize() for p in source.split('-'))}",
                description=f"Scan '{source}' for new posts every {config.scan_rate_minutes} min ({config.name})",
                schedule=scheduler.ScheduleExpression.rate(Duration.minutes(config.scan_rate_minutes)),
                target=targets.LambdaInvoke(
                    ingest,
                    input=scheduler.ScheduleTargetInput.from_object(scan_event(source)),
                    retry_attempts=2,
                    max_event_age=Duration.minutes(max(1, config.scan_rate_minutes)),
                    dead_letter_queue=self.scan_dead_letters,
                    role=self.scan_role,
                ),
                enabled=config.scans_enabled,
            )
            for source in config.scan_sources
        ]

        # SLA check: the same arrangement for respond, with its own role (may invoke respond only) and parking queue.
        # A check older than one period is worthless (the next one is already due), hence the event age.
        self.sla_dead_letters = parking_queue(self, "SlaCheckDeadLetterQueue")
        sla_max_age = Duration.minutes(config.sla_check_rate_minutes)
        respond.configure_async_invoke(
            retry_attempts=2,
            max_event_age=sla_max_age,
            on_failure=destinations.SqsDestination(self.sla_dead_letters),
        )
        self.sla_role = iam.Role(
            self,
            "SlaSchedulerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": self.account}}
            ),
            description=f"EventBridge Scheduler ({config.name}): invoke the respond function for SLA checks",
        )
        self.sla_schedule = scheduler.Schedule(
            self,
            "SlaCheck",
            description=f"Count review items past their SLA every {config.sla_check_rate_minutes} min ({config.name})",
            schedule=scheduler.ScheduleExpression.rate(Duration.minutes(config.sla_check_rate_minutes)),
            target=targets.LambdaInvoke(
                respond,
                input=scheduler.ScheduleTargetInput.from_object(SLA_CHECK_EVENT),
                retry_attempts=2,
                max_event_age=sla_max_age,
                dead_letter_queue=self.sla_dead_letters,
                role=self.sla_role,
            ),
        )

        self.educators = EducatorPool(self, "Educators", config=config)
        self.api = Api(
            self,
            "Api",
            config=config,
            functions={"ingest": ingest, "match": match, "respond": respond},
            educators=self.educators,
        )
        # The console signs in through the hosted UI; respond tells it where (console/config.json). The client is
        # made after the API and redirects to Api.console_url, built from the API's id (see EducatorPool).
        self.console_client = self.educators.add_console_client(self.api.console_url)
        respond.add_environment("ANTIDOTE_COGNITO_DOMAIN", self.educators.hosted_ui_url)
        respond.add_environment("ANTIDOTE_COGNITO_CLIENT_ID", self.console_client.user_pool_client_id)

        self.alarms = Alarms(self, "Alarms", config=config)
        self.alarms.dead_letter_queue("Posts", self.posts.dead_letter_queue)
        self.alarms.dead_letter_queue("Matches", self.matches.dead_letter_queue)
        self.alarms.dead_letter_queue("Scans", self.scan_dead_letters)
        self.alarms.dead_letter_queue("SlaChecks", self.sla_dead_letters)
        for key, function in self.functions.by_key.items():
            self.alarms.function(key, function)
        self.alarms.api(self.api.rest_api)
        self.alarms.review_sla(config.sla_check_rate_minutes)

        self._outputs()
        nag.acknowledge(self)

    def _outputs(self) -> None:
        outputs = {
            "ApiUrl": (self.api.rest_api.url, "Base URL of the API (the stage name is part of the path)"),
            "ConsoleUrl": (self.api.console_url, "The educators' review console (GET /), its sign-in redirect URL"),
            "HostedUiUrl": (self.educators.hosted_ui_url, "Cognito hosted UI where educators sign in"),
            "UserPoolId": (self.educators.user_pool.user_pool_id, "Cognito user pool of the educators"),
            "UserPoolClientId": (self.console_client.user_pool_client_id, "App client of the console"),
            "PartnerUsagePlanId": (self.api.partner_plan.usage_plan_id, "Usage plan that partner keys join"),
            "IngestUsagePlanId": (self.api.ingest_plan.usage_plan_id, "Usage plan of the ingest webhook key"),
            "ApiKeysTable": (self.tables["api_keys"].table_name, "Table of hashed API keys and their scopes"),
            "AlarmTopicArn": (self.alarms.topic.topic_arn, "SNS topic every alarm notifies"),
        }
        for name, (value, description) in outputs.items():
            CfnOutput(self, name, value=value, description=description)
