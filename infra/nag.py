"""cdk-nag (AWS Solutions) acknowledgments: each rule this stack does not meet, on the one construct concerned,
with the reason it is right not to. Nothing is acknowledged stack-wide, so a new finding elsewhere still fails.

cdk-nag v3 runs as a CDK policy-validation plugin: acknowledgments use ``Validations.of(construct).acknowledge``
and are also written into each resource's ``Metadata.cdk_nag.rules_to_suppress`` (``tests/infra`` reads them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

from infra.api import KEY_AUTH

if TYPE_CHECKING:
    from infra.stack import AntidoteStack

XRAY = (
    "X-Ray tracing (Tracing.ACTIVE) needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no "
    "resource-level permissions: '*' is the only resource IAM accepts for them. Every other statement of this "
    "role names its own log group, tables, index and queues."
)
MACHINE_ROUTE = (
    "Called by machines, not people: API Gateway requires an API key (usage plan with throttle and daily quota), "
    "and the function checks the same key again against its hashed copy in the api_keys table, with its scope "
    "and per-key quota. Cognito user pools authenticate the educators, who use the review routes."
)
PUBLIC_ROUTE = (
    "Public on purpose and holds no data: static files of the review console (which signs educators in to "
    "Cognito and then calls the Cognito-protected review routes) and the OpenAPI description. WAF rate limits it."
)
ACKS: dict[str, tuple[str, str]] = {
    "scan-dlq": (
        "AwsSolutions-SQS3",
        "This queue is itself a dead-letter queue: the failure destination of asynchronous ingest invocations "
        "and the dead-letter queue of the scan schedules, neither of which is an SQS redrive policy that the rule "
        "can see. It is watched by the ScansDeadLetters alarm.",
    ),
    "sla-dlq": (
        "AwsSolutions-SQS3",
        "This queue is itself a dead-letter queue: the failure destination of asynchronous respond invocations "
        "and the dead-letter queue of the SLA-check schedule, neither of which is an SQS redrive policy that the "
        "rule can see. It is watched by the SlaChecksDeadLetters alarm.",
    ),
    "notify-dlq": (
        "AwsSolutions-SQS3",
        "This queue is itself a dead-letter queue: the failure destination of asynchronous match invocations by "
        "the partner-notification schedule, and that schedule's dead-letter queue. It is watched by the "
        "PartnerNotificationsDeadLetters alarm.",
    ),
    "webhook-secret-rotation": (
        "AwsSolutions-SMG4",
        "Rotating the master secret would change every partner's signing secret at once and break their "
        "verification until each registers again; a partner's secret is rotated by registering its webhook again "
        "(PUT /v1/keys/{key_id}/webhook), which derives a new one.",
    ),
    "alert-dlq": (
        "AwsSolutions-SQS3",
        "This queue is itself a dead-letter queue: the failure destination of asynchronous alerts-detector "
        "invocations and the dead-letter queue of its hourly schedule, neither of which is an SQS redrive policy "
        "that the rule can see. It is watched by the AlertDetectorDeadLetters alarm.",
    ),
    "alert-topic-key": (
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
        "Publishing to an encrypted SNS topic needs kms:GenerateDataKey* (CDK's grantPublish); the statement names "
        "the alert topic's own key only.",
    ),
    "scheduler-invoke": (
        "AwsSolutions-IAM5[Resource::<{function}.Arn>:*]",
        "Added by the Scheduler LambdaInvoke target (grantInvoke): the ':*' suffix covers versions and aliases of "
        "this one function and nothing else. The role can be assumed only by EventBridge Scheduler of this account.",
    ),
    "apigw-logs-role": (
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AmazonAPIGatewayPushToCloudWatchLogs]",
        "API Gateway's account-wide logging role (needed for execution logging, rule APIG6) uses the AWS managed "
        "policy made for exactly this purpose; only apigateway.amazonaws.com can assume it.",
    ),
    "mfa": (
        "AwsSolutions-COG2",
        "MFA is optional by requirement (issue 4): educators may enrol a TOTP app and admins are told to; the Plus "
        "feature plan with threat protection in full-function mode blocks risky and compromised-credential sign-ins.",
    ),
}


def _ack(scope: IConstruct, rule_id: str, reason: str) -> None:
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))


def acknowledge(stack: AntidoteStack) -> None:
    """Attach every acknowledgment to the construct it is about."""
    for role in stack.functions.roles.values():
        _ack(role, "AwsSolutions-IAM5[Resource::*]", XRAY)

    rule, reason = ACKS["scan-dlq"]
    _ack(stack.scans.dead_letters, rule, reason)

    rule, reason = ACKS["sla-dlq"]
    _ack(stack.sla_checks.dead_letters, rule, reason)

    rule, reason = ACKS["notify-dlq"]
    _ack(stack.notifications.scheduled.dead_letters, rule, reason)

    rule, reason = ACKS["webhook-secret-rotation"]
    _ack(stack.notifications.master_secret, rule, reason)

    rule, reason = ACKS["alert-dlq"]
    _ack(stack.alert_detection.dead_letters, rule, reason)

    rule, reason = ACKS["alert-topic-key"]
    _ack(stack.functions.roles["alerts"], rule, reason)

    rule, reason = ACKS["scheduler-invoke"]
    scheduled_kinds = (
        (stack.scans, "ingest"),
        (stack.sla_checks, "respond"),
        (stack.notifications.scheduled, "match"),
        (stack.alert_detection, "alerts"),
    )
    for scheduled, key in scheduled_kinds:
        if scheduled.role is None:  # nothing scheduled, so no role and nothing to acknowledge
            continue
        function_id = stack.resolve(stack.functions[key].function_arn)["Fn::GetAtt"][0]
        _ack(scheduled.role, rule.format(function=function_id), reason)

    rule, reason = ACKS["apigw-logs-role"]
    logs_role = stack.api.rest_api.node.find_child("CloudWatchRole")
    _ack(logs_role, rule, reason)

    rule, reason = ACKS["mfa"]
    _ack(stack.educators.user_pool, rule, reason)

    for route, method in stack.api.methods.items():
        if route.auth == "educator":
            continue
        reason = MACHINE_ROUTE if route.auth in KEY_AUTH else PUBLIC_ROUTE
        _ack(method, "AwsSolutions-APIG4", reason)
        _ack(method, "AwsSolutions-COG4", reason)
