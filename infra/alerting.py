"""Where alerts go in AWS: an encrypted SNS topic (e-mail and SMS subscriptions from the stage configuration) and
the signed webhook, whose signing secret the operator keeps in Secrets Manager under a name the stage gives. The
detector function gets the topic's ARN, the webhook's URL and the secret's name, and may publish to the topic and
read that one secret."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.config import StageConfig
from infra.monitoring import topic_key


class AlertDestinations(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, detector: lambda_.Function) -> None:
        super().__init__(scope, construct_id)
        self.key = topic_key(self, config, "the alert topic")
        self.topic = sns.Topic(
            self, "Topic", display_name=f"Antidote {config.name} alerts", master_key=self.key, enforce_ssl=True
        )
        for email in config.alert_emails:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        for number in config.alert_sms_numbers:
            self.topic.add_subscription(subscriptions.SmsSubscription(number))
        self.topic.grant_publish(detector)  # and, the topic being encrypted, the use of its key
        environment = {
            "ANTIDOTE_ALERT_TOPIC_ARN": self.topic.topic_arn,
            "ANTIDOTE_ALERT_SENSITIVITY": str(config.alert_sensitivity),
            "ANTIDOTE_ALERT_MIN_COUNT": str(config.alert_min_count),
            "ANTIDOTE_ALERT_COOLDOWN_HOURS": str(config.alert_cooldown_hours),
        }
        self.webhook_secret: secretsmanager.ISecret | None = None
        if config.alert_webhook_url:
            self.webhook_secret = secretsmanager.Secret.from_secret_name_v2(
                self, "WebhookSecret", config.alert_webhook_secret_name
            )
            self.webhook_secret.grant_read(detector)
            environment["ANTIDOTE_ALERT_WEBHOOK_URL"] = config.alert_webhook_url
            environment["ANTIDOTE_ALERT_WEBHOOK_SECRET_NAME"] = config.alert_webhook_secret_name
        for name, value in environment.items():
            detector.add_environment(name, value)
