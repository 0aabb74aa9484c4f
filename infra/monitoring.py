"""Alarms and the SNS topic they notify: parked messages, function errors and throttles, API 5xx, review SLA."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.compute import METRICS_NAMESPACE, service_name
from infra.config import StageConfig

REVIEW_SLA_METRIC = "ReviewItemsPastSla"  # published by the respond function (Powertools Metrics, EMF)
SOURCE_FAILURES_METRIC = "SourceConsecutiveFailures"  # published by the ingest function after each scan
SOURCE_FAILURES_ALARM = 3  # failed scans in a row


class Alarms(Construct):
    """Every alarm notifies one encrypted SNS topic, on entering ALARM and on returning to OK: one alarm per
    dead-letter queue (named by its key in ``dead_letter_queues``), errors and throttles per function, the API's
    5xx rate and review items past their SLA."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        dead_letter_queues: Mapping[str, sqs.IQueue],
        functions: Mapping[str, lambda_.IFunction],
        api: apigw.RestApi,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.key, self.topic = self._topic(config)
        self.action = actions.SnsAction(self.topic)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for name, queue in dead_letter_queues.items():
            self._watch_queue(name, queue)
        for key, function in functions.items():
            self._watch_function(key, function)
        self._watch_api(api)
        self._watch_review_sla(config.sla_check_rate_minutes)
        for source in config.sources:
            self._watch_source(source.name, max(source.every_minutes, config.scan_rate_minutes))

    def _topic(self, config: StageConfig) -> tuple[kms.Key, sns.Topic]:
        """The topic, encrypted: CloudWatch can publish to an encrypted topic only with a customer-managed key it
        may use, so the key is made here too."""
        key = topic_key(self, config, "the alarm topic")
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        topic = sns.Topic(
            self,
            "Topic",
            display_name=f"Antidote {config.name} alarms",
            master_key=key,
            enforce_ssl=True,
        )
        if config.alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        return key, topic

    def _add(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        evaluation_periods: int = 1,
        datapoints_to_alarm: int | None = None,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            name,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=datapoints_to_alarm,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self.action)
        alarm.add_ok_action(self.action)
        self.alarms[name] = alarm
        return alarm

    def _watch_queue(self, name: str, queue: sqs.IQueue) -> None:
        self._add(
            f"{name}DeadLetters",
            queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(1), statistic="Maximum"),
            threshold=0,
            description=f"{name}: messages are parked in the dead-letter queue; find the fault, then redrive.",
        )

    def _watch_function(self, key: str, fn: lambda_.IFunction) -> None:
        label = key.capitalize()
        self._add(
            f"{label}Errors",
            fn.metric_errors(period=Duration.minutes(5), statistic="Sum"),
            threshold=0,
            description=f"{service_name(key)}: invocations failed (unhandled errors or timeouts).",
        )
        self._add(
            f"{label}Throttles",
            fn.metric_throttles(period=Duration.minutes(5), statistic="Sum"),
            threshold=0,
            description=f"{service_name(key)}: invocations were throttled (concurrency limit reached).",
        )

    def _watch_api(self, api: apigw.RestApi) -> None:
        # 5XXError averaged over requests is the share of requests that failed on the server side.
        self._add(
            "Api5xxRate",
            api.deployment_stage.metric_server_error(period=Duration.minutes(5), statistic="Average"),
            threshold=self.config.api_5xx_rate_threshold,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            description=(
                f"API: more than {self.config.api_5xx_rate_threshold:.1%} of requests got a 5xx "
                "in 2 of the last 3 five-minute periods."
            ),
        )

    def _watch_source(self, name: str, every_minutes: int) -> None:
        """Each scan publishes its source's consecutive failures (0 after a success): three in a row alarm."""
        metric = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name=SOURCE_FAILURES_METRIC,
            dimensions_map={"service": service_name("ingest"), "source": name},
            statistic="Maximum",
            period=Duration.minutes(max(5, every_minutes)),
        )
        self._add(
            f"Source{''.join(part.capitalize() for part in name.split('-'))}Failing",
            metric,
            threshold=SOURCE_FAILURES_ALARM - 1,
            description=f"Scan source '{name}' failed {SOURCE_FAILURES_ALARM} times in a row: see its last_error in "
            "GET /v1/sources (credentials, quota, a moved feed).",
        )

    def _watch_review_sla(self, check_rate_minutes: int) -> None:
        # The scheduled check publishes at least once per period, so a quiet period is a missing check, not an OK.
        metric = cloudwatch.Metric(
            namespace=METRICS_NAMESPACE,
            metric_name=REVIEW_SLA_METRIC,
            dimensions_map={"service": service_name("respond")},
            statistic="Maximum",
            period=Duration.minutes(max(15, check_rate_minutes)),
        )
        self._add(
            "ReviewItemsPastSla",
            metric,
            threshold=0,
            description="Review items are waiting past their SLA: educators need to work the queue.",
        )


def topic_key(scope: Construct, config: StageConfig, what: str) -> kms.Key:
    """The customer-managed key an encrypted SNS topic needs (rotated yearly; kept with the data when protected)."""
    return kms.Key(
        scope,
        "TopicKey",
        description=f"Antidote {config.name}: encrypts {what}",
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN if config.protect_data else RemovalPolicy.DESTROY,
        pending_window=Duration.days(7),
    )
