"""One stack per stage, wired from one module per AWS concern.

``storage.py`` DynamoDB tables · ``compute.py`` the three Lambda functions · ``messaging.py`` the SQS queues
between them · ``schedules.py`` EventBridge Scheduler (scans, SLA checks, the voids clustering, partner
notifications with the webhook master secret, the alerts detector) · ``alerting.py`` the alert topic and webhook
secret · ``auth.py`` the educators' Cognito user pool · ``api.py`` API Gateway, with ``waf.py`` in front ·
``monitoring.py`` CloudWatch alarms and their SNS topic · ``nag.py`` the cdk-nag acknowledgments.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Environment, Stack, Tags
from constructs import Construct

from infra import nag
from infra.alerting import AlertDestinations
from infra.api import Api
from infra.auth import EducatorPool
from infra.compute import Functions
from infra.config import StageConfig
from infra.messaging import pipeline
from infra.monitoring import Alarms
from infra.schedules import (
    alert_detection,
    partner_notifications,
    scheduled_scans,
    sla_checks,
    sources_environment,
    voids_clustering,
)
from infra.storage import Tables


class AntidoteStack(Stack):
    """The whole service for one stage."""

    def __init__(self, scope: Construct, config: StageConfig) -> None:
        super().__init__(
            scope,
            config.stack_name,
            stack_name=config.stack_name,
            description=f"Antidote health-misinformation monitoring service ({config.name})",
            env=_environment(config),
            termination_protection=config.protect_data,
        )
        self.config = config
        _tag(self, config)
        self.tables = Tables(self, "Tables", config=config)
        self.functions = Functions(self, "Functions", config=config, tables=self.tables)
        self.posts, self.matches = pipeline(self, config, self.functions)
        self.scans = scheduled_scans(self, config, self.functions["ingest"])
        for key in ("ingest", "respond"):  # ingest scans the sources, respond reports their health
            self.functions[key].add_environment("ANTIDOTE_SOURCES", sources_environment(config))
        self.sla_checks = sla_checks(self, config, self.functions["respond"])
        self.voids = voids_clustering(self, config, self.functions["respond"], self.sla_checks)
        self.notifications = partner_notifications(self, config, self.functions["match"], self.functions["respond"])
        self.alert_destinations = AlertDestinations(self, "Alerts", config=config, detector=self.functions["alerts"])
        self.alert_detection = alert_detection(self, config, self.functions["alerts"])
        self.educators = EducatorPool(self, "Educators", config=config)
        self.api = Api(self, "Api", config=config, functions=self.functions.by_key, educators=self.educators)
        # The console's sign-in redirects to the API's address, so its app client comes after the API.
        self.console_client = self.educators.add_console_client(
            self.api.console_url, served_by=self.functions["respond"]
        )
        self.alarms = Alarms(
            self,
            "Alarms",
            config=config,
            dead_letter_queues={
                "Posts": self.posts.dead_letter_queue,
                "Matches": self.matches.dead_letter_queue,
                "Scans": self.scans.dead_letters,
                "SlaChecks": self.sla_checks.dead_letters,
                "PartnerNotifications": self.notifications.scheduled.dead_letters,
                "AlertDetector": self.alert_detection.dead_letters,
            },
            functions=self.functions.by_key,
            api=self.api.rest_api,
        )
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
            "AlertTopicArn": (self.alert_destinations.topic.topic_arn, "SNS topic spikes and other alerts go to"),
        }
        for name, (value, description) in outputs.items():
            CfnOutput(self, name, value=value, description=description)


def _environment(config: StageConfig) -> Environment | None:
    """The stage's account and region; unset, whoever deploys supplies theirs (CDK_DEFAULT_ACCOUNT/_REGION)."""
    if not config.account and not config.region:
        return None
    return Environment(account=config.account, region=config.region)


def _tag(stack: Stack, config: StageConfig) -> None:
    Tags.of(stack).add("project", "antidote")
    Tags.of(stack).add("stage", config.name)
    for key, value in config.tags.items():
        Tags.of(stack).add(key, value)
