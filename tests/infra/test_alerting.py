"""The alerts detector in the CDK app: its hourly schedule, the encrypted SNS alert topic with the stage's
subscriptions, the webhook signing secret read by name, and what the detector's role may touch."""

from __future__ import annotations

import json

import pytest
from aws_cdk import App
from aws_cdk.assertions import Match, Template

from infra.config import ConfigError, StageConfig
from infra.schedules import DETECTOR_EVENT
from infra.stack import AntidoteStack
from tests.infra.conftest import Synthesized
from tests.infra.test_stack import STAGES, _assert_invokes_only, arn_ref, function_ids, logical_id


@pytest.mark.parametrize("stage", STAGES)
def test_the_detector_runs_five_minutes_past_every_hour(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    alerts_id = function_ids(stack)["alerts"]
    template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": "cron(5 * * * ? *)",
            "State": "ENABLED",
            "Target": {
                "Arn": arn_ref(alerts_id),
                "Input": json.dumps(DETECTOR_EVENT, separators=(",", ":")),
                "DeadLetterConfig": {"Arn": arn_ref(logical_id(stack, stack.alert_detection.dead_letters))},
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
            },
        },
    )
    _assert_invokes_only(synthesized, stage, stack.alert_detection, "alerts")


@pytest.mark.parametrize("stage", STAGES)
def test_the_alert_topic_is_encrypted_and_the_detector_may_publish_to_it(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    topic_id = logical_id(stack, stack.alert_destinations.topic)
    key_id = logical_id(stack, stack.alert_destinations.key)
    template.has_resource_properties(
        "AWS::SNS::Topic",
        {"KmsMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]}, "DisplayName": Match.string_like_regexp("alerts")},
    )
    template.has_resource_properties(
        "AWS::KMS::Key", {"EnableKeyRotation": True, "Description": Match.string_like_regexp("alert topic")}
    )
    environment = synthesized.resources(stage, "AWS::Lambda::Function")[function_ids(stack)["alerts"]]["Properties"][
        "Environment"
    ]["Variables"]
    assert environment["ANTIDOTE_ALERT_TOPIC_ARN"] == {"Ref": topic_id}
    assert environment["ANTIDOTE_ALERT_SENSITIVITY"] == "0.001"
    assert "ANTIDOTE_ALERT_WEBHOOK_URL" not in environment  # no webhook unless the stage names one
    assert set(environment) >= {"ANTIDOTE_COUNTERS_TABLE", "ANTIDOTE_ALERTS_TABLE"}
    policies = json.dumps(synthesized.resources(stage, "AWS::IAM::Policy"))
    assert '"sns:Publish"' in policies


def test_a_stage_with_subscribers_and_a_webhook_wires_them_and_reads_only_its_secret() -> None:
    config = StageConfig(
        name="alerting",
        alert_emails=("duty@clinic.example",),
        alert_sms_numbers=("+447700900123",),
        alert_webhook_url="https://hooks.clinic.example/antidote",
        alert_webhook_secret_name="antidote/alerting/webhook",
    )
    stack = AntidoteStack(App(), config)
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "duty@clinic.example"})
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "sms", "Endpoint": "+447700900123"})
    resources = template.to_json()["Resources"]
    alerts_id = logical_id(stack, stack.functions["alerts"])
    variables = resources[alerts_id]["Properties"]["Environment"]["Variables"]
    assert variables["ANTIDOTE_ALERT_WEBHOOK_URL"] == "https://hooks.clinic.example/antidote"
    assert variables["ANTIDOTE_ALERT_WEBHOOK_SECRET_NAME"] == "antidote/alerting/webhook"
    alerts_role = {"Ref": logical_id(stack, stack.functions.roles["alerts"])}
    secret_reads = {
        json.dumps(statement["Resource"]): alerts_role in r["Properties"]["Roles"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Policy"
        for statement in r["Properties"]["PolicyDocument"]["Statement"]
        if "secretsmanager:GetSecretValue" in statement["Action"]
    }
    # the detector reads the webhook's secret and nothing else; no other role reads that secret
    assert [resource for resource, by_alerts in secret_reads.items() if by_alerts] == [
        next(resource for resource in secret_reads if "antidote/alerting/webhook" in resource)
    ]
    assert sum("antidote/alerting/webhook" in resource for resource in secret_reads) == 1


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("alert_emails", ("not-an-address",)),
        ("alert_sms_numbers", ("07700 900123",)),
        ("alert_webhook_url", "http://hooks.example/plain"),
        ("alert_sensitivity", 0.7),
    ],
)
def test_bad_alert_settings_are_refused(setting: str, value: object) -> None:
    with pytest.raises(ConfigError, match=setting):
        StageConfig(name="bad", **{setting: value})  # type: ignore[arg-type]
