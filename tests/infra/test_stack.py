"""The synthesized templates (every stage): each resource and property the service relies on, asserted with matchers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, CfnElement, Duration
from aws_cdk.assertions import Capture, Match
from aws_cdk.aws_cloudwatch import CfnAlarm
from aws_cdk.aws_cognito import CfnUserPoolDomain
from aws_cdk.aws_scheduler import CfnSchedule, ScheduleExpression
from constructs import IConstruct
from pynamodb.attributes import TTLAttribute

from functions.match.handler import NOTIFY_SOURCE
from functions.respond.handler import SLA_CHECK_SOURCE, VOIDS_SOURCE
from functions.shared.dal import models
from functions.shared.models import SourceConfig
from infra.api import ROUTES
from infra.compute import FUNCTIONS, INDEX_DIR, TABLE_ACTIONS, service_name
from infra.config import StageConfig
from infra.messaging import VISIBILITY_TIMEOUT_FACTOR
from infra.schedules import NOTIFY_EVENT, SLA_CHECK_EVENT, VOIDS_EVENT, Scheduled, scan_event
from infra.stack import AntidoteStack
from infra.storage import TABLES
from tests.infra.conftest import SCANNING_STAGE, Synthesized

STAGES = ("dev", "prod")


def logical_id(stack: AntidoteStack, construct: IConstruct) -> str:
    """The CloudFormation logical id of an L2 construct's main resource (or of an L1 resource itself)."""
    child = construct if isinstance(construct, CfnElement) else construct.node.default_child
    assert isinstance(child, CfnElement)
    return stack.get_logical_id(child)


def arn_ref(logical: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical, "Arn"]}


def function_ids(stack: AntidoteStack) -> dict[str, str]:
    return {key: logical_id(stack, fn) for key, fn in stack.functions.by_key.items()}


def parking_queues(stack: AntidoteStack) -> tuple[IConstruct, ...]:
    """Every dead-letter queue: the two work queues' and the four schedules' (scans, SLA checks, notifications,
    alerts)."""
    return (stack.posts.dead_letter_queue, stack.matches.dead_letter_queue, stack.scans.dead_letters,
            stack.sla_checks.dead_letters, stack.notifications.scheduled.dead_letters,
            stack.alert_detection.dead_letters)  # fmt: skip


# ------------------------------------------------------------------------------------------------ app and stages


def test_every_stage_is_synthesized_as_its_own_stack(synthesized: Synthesized) -> None:
    assert set(synthesized.stacks) == set(STAGES)
    for name, stack in synthesized.stacks.items():
        assert stack.stack_name == f"Antidote-{name}"
        assert (synthesized.outdir / f"Antidote-{name}.template.json").is_file()
    manifest = json.loads((synthesized.outdir / "manifest.json").read_text("utf-8"))
    assert {"Antidote-dev", "Antidote-prod"} <= set(manifest["artifacts"])


# Stateful resources by the logical id they were first deployed with. A new id (a construct moved or renamed) makes
# CloudFormation replace the resource: new, empty tables and queues, a user pool without the educators' accounts.
STATEFUL_TYPES = ("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Cognito::UserPool", "AWS::Logs::LogGroup",
                  "AWS::KMS::Key")  # fmt: skip
STATEFUL_IDS = {
    "TablesPostsTable8E5CD832",
    "TablesMatchesTable252B4155",
    "TablesReviewsTable2595CCAE",
    "TablesAuditTable74DDE525",
    "TablesApiKeysTable21490A2A",
    "TablesCountersTable8D450503",
    "TablesIdempotencyTable9CFEB1A0",
    "TablesSourcesTable02B2145F",
    "TablesUnmatchedTable7FC94FF0",
    "TablesVoidsTable47BBA8E4",
    "PostsQueue776EFE65",
    "PostsQueueDeadLetterQueue48902F23",
    "MatchesQueue2C3C8FF5",
    "MatchesQueueDeadLetterQueue74DA701D",
    "ScanDeadLetterQueueD63E8F49",
    "SlaCheckDeadLetterQueueE47C89F3",
    "NotifyDeadLetterQueue7A044E38",
    "TablesDeliveriesTableB4C7F20C",
    "TablesPartnerQueriesTable7D63914E",
    "EducatorsUserPool8A20D6E6",
    "FunctionsIngestLogs99F6A309",
    "FunctionsMatchLogsAC84EFFB",
    "FunctionsRespondLogs12A844C6",
    "ApiAccessLogs50B185DB",
    "AlarmsTopicKeyAB251E47",
    "TablesAlertsTable68749FA3",
    "AlertDetectorDeadLetterQueueD3159AF0",
    "FunctionsAlertsLogs027EE91A",
    "AlertsTopicKey4FD54A73",
}


def test_stateful_resources_keep_their_logical_ids(synthesized: Synthesized, stage: str) -> None:
    resources = synthesized.raw(stage)["Resources"]
    assert {logical for logical, r in resources.items() if r["Type"] in STATEFUL_TYPES} == STATEFUL_IDS


def test_stage_settings_differ_where_cdk_json_says(synthesized: Synthesized) -> None:
    dev, prod = synthesized.stacks["dev"].config, synthesized.stacks["prod"].config
    assert (dev.protect_data, prod.protect_data) == (False, True)
    assert dev.scan_rate_minutes > prod.scan_rate_minutes
    assert prod.match_reserved_concurrency > dev.match_reserved_concurrency
    assert synthesized.stacks["prod"].termination_protection
    assert not synthesized.stacks["dev"].termination_protection


# ------------------------------------------------------------------------------------------------ functions


def test_every_function_from_its_own_container_image(synthesized: Synthesized, stage: str) -> None:
    template = synthesized.templates[stage]
    image = Capture()
    template.resource_count_is("AWS::Lambda::Function", len(FUNCTIONS))  # ingest, match, respond, alerts
    template.all_resources_properties(
        "AWS::Lambda::Function",
        {"PackageType": "Image", "Code": {"ImageUri": image}, "Architectures": ["x86_64"]},
    )
    # an image of its own behind each (one Dockerfile target per function: tests/infra/test_image.py)
    uris = {
        json.dumps(fn["Properties"]["Code"]["ImageUri"])
        for fn in synthesized.resources(stage, "AWS::Lambda::Function").values()
    }
    assert len(uris) == len(FUNCTIONS)
    for spec in FUNCTIONS:
        template.has_resource_properties(
            "AWS::Lambda::Function", {"ImageConfig": {"Command": [spec.handler]}, "Timeout": spec.timeout.to_seconds()}
        )


def test_function_sizes_tracing_json_logs_and_reserved_concurrency(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    config = stack.config
    memory = {
        "ingest": config.ingest_memory_mb,
        "match": config.match_memory_mb,
        "respond": config.respond_memory_mb,
        "alerts": config.alerts_memory_mb,
    }
    level = "DEBUG" if stage == "dev" else "INFO"
    functions = synthesized.resources(stage, "AWS::Lambda::Function")
    for key, fid in function_ids(stack).items():
        props = functions[fid]["Properties"]
        assert props["MemorySize"] == memory[key]
        assert props["TracingConfig"] == {"Mode": "Active"}
        log_group = logical_id(stack, stack.functions.log_groups[key])
        assert props["LoggingConfig"] == {
            "LogFormat": "JSON",
            "ApplicationLogLevel": level,
            "SystemLogLevel": "WARN",
            "LogGroup": {"Ref": log_group},
        }
        if key == "match":
            assert props["ReservedConcurrentExecutions"] == config.match_reserved_concurrency
        else:
            assert "ReservedConcurrentExecutions" not in props
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": config.log_retention_days})
    # 1769 MB is one vCPU: match runs one torch thread, as measured by the benchmark
    assert functions[function_ids(stack)["match"]]["Properties"]["Environment"]["Variables"]["OMP_NUM_THREADS"] == "1"


def test_function_environment_powertools_and_settings(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    for key in ("ingest", "match", "respond"):
        template.has_resource_properties(
            "AWS::Lambda::Function",
            {
                "Environment": {
                    "Variables": Match.object_like(
                        {
                            "POWERTOOLS_SERVICE_NAME": service_name(key),
                            "POWERTOOLS_METRICS_NAMESPACE": "Antidote",
                            "POWERTOOLS_LOG_LEVEL": stack.config.log_level,
                            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
                            "ANTIDOTE_STAGE": stage,
                            "ANTIDOTE_AUTH_MODE": "cognito",
                            "ANTIDOTE_INDEX_DIR": INDEX_DIR,
                            "ANTIDOTE_AWS_REGION": {"Ref": "AWS::Region"},
                            "ANTIDOTE_MAX_BODY_BYTES": str(stack.config.max_body_kb * 1024),
                        }
                    )
                }
            },
        )


def test_each_function_gets_only_the_names_of_what_it_may_touch(synthesized: Synthesized, stage: str) -> None:
    stack = synthesized.stacks[stage]
    functions = synthesized.resources(stage, "AWS::Lambda::Function")
    env_var = {t.key: t.env_var for t in TABLES}
    queues = {
        "ingest": {"ANTIDOTE_POSTS_QUEUE_URL": logical_id(stack, stack.posts.queue)},
        "match": {"ANTIDOTE_MATCHES_QUEUE_URL": logical_id(stack, stack.matches.queue)},
        "respond": {},
        "alerts": {},
    }
    for spec in FUNCTIONS:
        variables = functions[function_ids(stack)[spec.key]]["Properties"]["Environment"]["Variables"]
        tables = {name: value for name, value in variables.items() if name.endswith("_TABLE")}
        assert tables == {env_var[t]: {"Ref": logical_id(stack, stack.tables[t])} for t in spec.tables}, spec.key
        urls = {name: value for name, value in variables.items() if name.endswith("_QUEUE_URL")}
        assert urls == {name: {"Ref": q} for name, q in queues[spec.key].items()}


# ------------------------------------------------------------------------------------------------ DynamoDB


def _sorted(items: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(items, key=lambda d: (d.get("KeyType", ""), d["AttributeName"]))


def test_tables_match_the_pynamodb_models(synthesized: Synthesized, stage: str) -> None:
    """Keys, types, GSI and TTL come from functions/shared/dal/models.py, the code that reads and writes them."""
    stack = synthesized.stacks[stage]
    tables = synthesized.resources(stage, "AWS::DynamoDB::Table")
    assert len(tables) == len(models.ALL_MODELS) == len(TABLES)
    for setting, model in models.ALL_MODELS.items():
        key = setting.removesuffix("_table")
        props = tables[logical_id(stack, stack.tables[key])]["Properties"]
        schema: Any = model._get_schema()
        assert _sorted(props["KeySchema"]) == _sorted(schema["key_schema"]), key
        assert _sorted(props["AttributeDefinitions"]) == _sorted(schema["attribute_definitions"]), key
        ttl = next((a.attr_name for a in model.get_attributes().values() if isinstance(a, TTLAttribute)), None)
        if ttl:
            assert props["TimeToLiveSpecification"] == {"AttributeName": ttl, "Enabled": True}
        else:
            assert "TimeToLiveSpecification" not in props
        indexes = {i["IndexName"]: i for i in props.get("GlobalSecondaryIndexes", [])}
        expected = {i["index_name"]: i for i in schema["global_secondary_indexes"]}
        assert set(indexes) == set(expected), key
        for name, index in expected.items():
            assert _sorted(indexes[name]["KeySchema"]) == _sorted(index["key_schema"])
            assert indexes[name]["Projection"] == index["projection"]


def test_tables_on_demand_with_point_in_time_recovery(synthesized: Synthesized, stage: str) -> None:
    template = synthesized.templates[stage]
    template.all_resources_properties(
        "AWS::DynamoDB::Table",
        {
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True},
        },
    )


def test_data_tables_are_retained_and_protected_in_prod(synthesized: Synthesized, stage: str) -> None:
    stack = synthesized.stacks[stage]
    tables = synthesized.resources(stage, "AWS::DynamoDB::Table")
    for spec in TABLES:
        resource = tables[logical_id(stack, stack.tables[spec.key])]
        if spec.data:
            assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain", spec.key
            assert resource["Properties"]["DeletionProtectionEnabled"] is (stage == "prod"), spec.key
        else:  # idempotency records are disposable
            assert resource["DeletionPolicy"] == "Delete"
    assert sum(s.data for s in TABLES) == 9  # + the kept unmatched posts, the partners' kept checks, the alerts


# ------------------------------------------------------------------------------------------------ SQS


def test_work_queues_have_dead_letter_queues_and_encryption(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    # posts, matches, their DLQs, the scan, SLA-check, partner-notification and alert-detector DLQs
    template.resource_count_is("AWS::SQS::Queue", 8)
    template.all_resources_properties("AWS::SQS::Queue", {"SqsManagedSseEnabled": True})
    for work in (stack.posts, stack.matches):
        queue = synthesized.resources(stage, "AWS::SQS::Queue")[logical_id(stack, work.queue)]
        assert queue["Properties"]["RedrivePolicy"] == {
            "deadLetterTargetArn": arn_ref(logical_id(stack, work.dead_letter_queue)),
            "maxReceiveCount": stack.config.max_receive_count,
        }
    for dlq in parking_queues(stack):
        template.has_resource(
            "AWS::SQS::Queue",
            {"Properties": Match.object_like({"MessageRetentionPeriod": 14 * 24 * 3600})},
        )
        assert logical_id(stack, dlq) in synthesized.resources(stage, "AWS::SQS::Queue")
    # every queue refuses requests that are not over TLS
    policies = synthesized.resources(stage, "AWS::SQS::QueuePolicy")
    assert len(policies) == 8
    for policy in policies.values():
        assert {
            "Action": "sqs:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": Match.any_value(),
        }.keys() <= policy["Properties"]["PolicyDocument"]["Statement"][0].keys()
        assert policy["Properties"]["PolicyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_visibility_timeout_is_at_least_six_times_the_consumer_timeout(synthesized: Synthesized, stage: str) -> None:
    queues = synthesized.resources(stage, "AWS::SQS::Queue")
    functions = synthesized.resources(stage, "AWS::Lambda::Function")
    mappings = synthesized.resources(stage, "AWS::Lambda::EventSourceMapping")
    assert len(mappings) == 2
    for mapping in mappings.values():
        props = mapping["Properties"]
        queue = queues[props["EventSourceArn"]["Fn::GetAtt"][0]]["Properties"]
        function = functions[props["FunctionName"]["Ref"]]["Properties"]
        assert queue["VisibilityTimeout"] >= VISIBILITY_TIMEOUT_FACTOR * function["Timeout"]


def test_queue_event_sources_report_partial_batch_failures(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    ids = function_ids(stack)
    config = stack.config
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "FunctionName": {"Ref": ids["match"]},
            "EventSourceArn": arn_ref(logical_id(stack, stack.posts.queue)),
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BatchSize": config.posts_batch_size,
            "MaximumBatchingWindowInSeconds": config.posts_batching_window_seconds,
            # pollers leave part of match's reserved concurrency to partners' synchronous checks
            "ScalingConfig": {"MaximumConcurrency": config.match_queue_max_concurrency},
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "FunctionName": {"Ref": ids["respond"]},
            "EventSourceArn": arn_ref(logical_id(stack, stack.matches.queue)),
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BatchSize": config.matches_batch_size,
            "MaximumBatchingWindowInSeconds": config.matches_batching_window_seconds,
        },
    )
    assert config.match_queue_max_concurrency < config.match_reserved_concurrency


# ------------------------------------------------------------------------------------------------ IAM


def _role_statements(synthesized: Synthesized, stage: str, role_id: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for policy in synthesized.resources(stage, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def _resource_ids(resource: Any) -> list[str]:
    """Logical ids named by a statement's Resource (GetAtt, or a Join that starts with one)."""
    items = resource if isinstance(resource, list) else [resource]
    found = []
    for item in items:
        if isinstance(item, dict) and "Fn::GetAtt" in item:
            found.append(item["Fn::GetAtt"][0])
        elif isinstance(item, dict) and "Ref" in item:  # an SNS topic is named by Ref
            found.append(item["Ref"])
        elif isinstance(item, dict) and "Fn::Join" in item:
            found.append(item["Fn::Join"][1][0]["Fn::GetAtt"][0] + "".join(item["Fn::Join"][1][1:]))
        else:
            found.append(item)
    return found


def test_function_roles_are_least_privilege(synthesized: Synthesized, stage: str) -> None:
    """Each role: its own log group, exactly its tables at its access level, its queues, X-Ray — nothing else."""
    stack = synthesized.stacks[stage]
    roles = synthesized.resources(stage, "AWS::IAM::Role")
    table_ids = {logical_id(stack, stack.tables[t.key]): t.key for t in TABLES}
    posts_q, matches_q = logical_id(stack, stack.posts.queue), logical_id(stack, stack.matches.queue)
    scan_dlq, sla_dlq = logical_id(stack, stack.scans.dead_letters), logical_id(stack, stack.sla_checks.dead_letters)
    notify_dlq = logical_id(stack, stack.notifications.scheduled.dead_letters)
    master_secret = logical_id(stack, stack.notifications.master_secret)
    alert_dlq = logical_id(stack, stack.alert_detection.dead_letters)
    send = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
    consume = ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
               "sqs:GetQueueAttributes"]  # fmt: skip
    expected_queues = {
        "ingest": {(posts_q, tuple(send)), (scan_dlq, tuple(send))},
        "match": {(matches_q, tuple(send)), (posts_q, tuple(consume)), (notify_dlq, tuple(send))},
        "respond": {(matches_q, tuple(consume)), (sla_dlq, tuple(send))},
        "alerts": {(alert_dlq, tuple(send))},
    }
    # the alerts detector also publishes to its topic, encrypted with the topic's own key (infra/alerting.py)
    alert_topic = logical_id(stack, stack.alert_destinations.topic)
    alert_key = logical_id(stack, stack.alert_destinations.key)
    expected_other = {
        "alerts": {(("sns:Publish",), (alert_topic,)), (("kms:Decrypt", "kms:GenerateDataKey*"), (alert_key,))}
    }
    for spec in FUNCTIONS:
        role_id = logical_id(stack, stack.functions.roles[spec.key])
        assert "ManagedPolicyArns" not in roles[role_id]["Properties"]  # no AWSLambdaBasicExecutionRole
        tables: dict[str, tuple[str, ...]] = {}
        queues: set[tuple[str, tuple[str, ...]]] = set()
        logs, xray, secrets = [], [], []
        other: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        for statement in _role_statements(synthesized, stage, role_id):
            assert statement["Effect"] == "Allow"
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            # the one wildcard: kms:GenerateDataKey*, which publishing to the encrypted alert topic needs
            kms = spec.key == "alerts" and actions[0].startswith("kms:")
            assert kms or all("*" not in action for action in actions), statement
            resources = _resource_ids(statement["Resource"])
            if actions[0].startswith("dynamodb:"):
                assert "dynamodb:Scan" not in actions
                base = table_ids[resources[0]]
                indexes = [r.removeprefix(resources[0]) for r in resources[1:]]
                assert indexes == [f"/index/{name}" for name in stack.tables.indexes.get(base, ())]
                tables[base] = tuple(actions)
            elif actions[0].startswith("sqs:"):
                queues.add((resources[0], tuple(actions)))
            elif actions[0].startswith("logs:"):
                logs.append(resources)
            elif actions[0].startswith("xray:"):
                xray.append(resources)
            elif actions[0].startswith("secretsmanager:"):
                assert actions == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
                secrets.append([r["Ref"] if isinstance(r, dict) and "Ref" in r else r for r in resources])
            elif spec.key == "alerts" and actions[0].startswith(("sns:", "kms:")):
                other.add((tuple(actions), tuple(resources)))
            else:
                pytest.fail(f"{spec.key}: unexpected statement {statement}")
        assert tables == {t: TABLE_ACTIONS[level] for t, level in spec.tables.items()}, spec.key
        assert queues == expected_queues[spec.key], spec.key
        assert other == expected_other.get(spec.key, set()), spec.key
        assert logs == [[logical_id(stack, stack.functions.log_groups[spec.key])]]
        assert xray == [["*"]]  # X-Ray has no resource-level permissions (acknowledged for cdk-nag)
        # the webhook master secret: match signs partner notifications, respond shows a partner its new secret
        assert secrets == ([[master_secret]] if spec.key in ("match", "respond") else []), spec.key


def test_audit_trail_is_append_only(synthesized: Synthesized) -> None:
    respond = next(s for s in FUNCTIONS if s.key == "respond")
    assert respond.tables["audit"] == "append"
    assert "dynamodb:UpdateItem" not in TABLE_ACTIONS["append"]
    assert "dynamodb:DeleteItem" not in TABLE_ACTIONS["append"]
    assert all(level != "write" or t != "audit" for s in FUNCTIONS for t, level in s.tables.items())


# ------------------------------------------------------------------------------------------------ API Gateway


def _methods(synthesized: Synthesized, stage: str) -> dict[tuple[str, str], dict[str, Any]]:
    stack = synthesized.stacks[stage]
    return {
        (route.method, route.path): synthesized.raw(stage)["Resources"][logical_id(stack, method)]["Properties"]
        for route, method in stack.api.methods.items()
    }


def test_api_routes_and_their_authorization(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    template.resource_count_is("AWS::ApiGateway::Method", len(ROUTES))
    authorizer = logical_id(stack, stack.api.authorizer)
    ids = function_ids(stack)
    methods = _methods(synthesized, stage)
    for route in ROUTES:
        props = methods[(route.method, route.path)]
        assert props["HttpMethod"] == route.method
        uri = json.dumps(props["Integration"]["Uri"])
        assert props["Integration"]["Type"] == "AWS_PROXY"
        assert ids[route.function] in uri, route
        if route.auth == "educator":
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS"
            assert props["AuthorizerId"] == {"Ref": authorizer}
            assert not props.get("ApiKeyRequired", False)
        elif route.auth in ("ingest_key", "partner_key"):
            assert props["AuthorizationType"] == "NONE"
            assert props["ApiKeyRequired"] is True
        else:
            assert props["AuthorizationType"] == "NONE"
            assert not props.get("ApiKeyRequired", False)
        assert props["RequestValidatorId"] == {"Ref": logical_id(stack, stack.api.validator)}
    assert methods[("POST", "/v1/reviews/{item_id}/approve")]["RequestParameters"] == {
        "method.request.path.item_id": True
    }
    template.has_resource_properties(
        "AWS::ApiGateway::RequestValidator", {"ValidateRequestBody": True, "ValidateRequestParameters": True}
    )


def test_cognito_authorizer_uses_the_educator_pool(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    template.has_resource_properties(
        "AWS::ApiGateway::Authorizer",
        {
            "Type": "COGNITO_USER_POOLS",
            "IdentitySource": "method.request.header.Authorization",
            "ProviderARNs": [arn_ref(logical_id(stack, stack.educators.user_pool))],
        },
    )


def test_usage_plans_throttle_and_quota_partners_apart_from_the_webhook(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    config = stack.config
    template.resource_count_is("AWS::ApiGateway::UsagePlan", 2)
    template.has_resource_properties(
        "AWS::ApiGateway::UsagePlan",
        {
            "UsagePlanName": f"antidote-{stage}-partners",
            "Throttle": {"RateLimit": config.partner_rate_limit, "BurstLimit": config.partner_burst_limit},
            "Quota": {"Limit": config.partner_daily_quota, "Period": "DAY"},
            "ApiStages": [Match.object_like({"ApiId": {"Ref": logical_id(stack, stack.api.rest_api)}})],
        },
    )
    template.has_resource_properties(
        "AWS::ApiGateway::UsagePlan",
        {
            "UsagePlanName": f"antidote-{stage}-ingest",
            "Throttle": {"RateLimit": config.ingest_rate_limit, "BurstLimit": config.ingest_burst_limit},
            "Quota": {"Limit": config.ingest_daily_quota, "Period": "DAY"},
        },
    )
    # keys are made per client by `antidote keys create` and imported: none (and no key value) in the template
    template.resource_count_is("AWS::ApiGateway::ApiKey", 0)
    template.resource_count_is("AWS::ApiGateway::UsagePlanKey", 0)


def test_stage_access_logs_metrics_tracing_and_throttling(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    access_format = Capture()
    template.has_resource_properties(
        "AWS::ApiGateway::Stage",
        {
            "StageName": stage,
            "TracingEnabled": True,
            "AccessLogSetting": {
                "DestinationArn": arn_ref(logical_id(stack, stack.api.access_logs)),
                "Format": access_format,
            },
            "MethodSettings": [
                Match.object_like(
                    {
                        "LoggingLevel": "ERROR",
                        "DataTraceEnabled": False,  # request bodies are social posts: never logged
                        "MetricsEnabled": True,
                        "ThrottlingRateLimit": stack.config.api_rate_limit,
                        "ThrottlingBurstLimit": stack.config.api_burst_limit,
                    }
                )
            ],
        },
    )
    fields = json.loads(access_format.as_string())
    assert {"requestId", "status", "apiKeyId", "educator", "wafStatus", "responseLatency"} <= set(fields)


def test_api_gateway_errors_are_problem_json(synthesized: Synthesized, stage: str) -> None:
    template = synthesized.templates[stage]
    template.all_resources_properties(
        "AWS::ApiGateway::GatewayResponse",
        {
            "ResponseParameters": {"gatewayresponse.header.Content-Type": "'application/problem+json'"},
            "ResponseTemplates": {"application/json": Match.string_like_regexp(r'"title": \$context\.error')},
        },
    )
    for response_type, status in (("THROTTLED", 429), ("INVALID_API_KEY", 403), ("UNAUTHORIZED", 401)):
        template.has_resource_properties(
            "AWS::ApiGateway::GatewayResponse",
            {
                "ResponseType": response_type,
                "ResponseTemplates": {"application/json": Match.string_like_regexp(f'"status": {status}')},
            },
        )


def test_waf_limits_body_size_and_rate_in_front_of_the_api(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    limit_kb = stack.config.waf_body_limit_kb
    batch_paths = Capture()
    template.has_resource_properties(
        "AWS::WAFv2::WebACL",
        {
            "Scope": "REGIONAL",
            "DefaultAction": {"Allow": {}},
            "AssociationConfig": {"RequestBody": {"API_GATEWAY": {"DefaultSizeInspectionLimit": f"KB_{limit_kb}"}}},
            "Rules": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Name": "BodySizeLimit",
                            "Statement": {
                                "AndStatement": {
                                    "Statements": [
                                        {
                                            "SizeConstraintStatement": {
                                                "ComparisonOperator": "GT",
                                                "Size": limit_kb * 1024,
                                                "FieldToMatch": {"Body": {"OversizeHandling": "MATCH"}},
                                                "TextTransformations": Match.any_value(),
                                            }
                                        },
                                        {"NotStatement": {"Statement": {"OrStatement": {"Statements": batch_paths}}}},
                                    ]
                                }
                            },
                            "Action": {"Block": {"CustomResponse": Match.object_like({"ResponseCode": 413})}},
                        }
                    ),
                    Match.object_like(
                        {
                            "Name": "RatePerIp",
                            "Statement": {
                                "RateBasedStatement": Match.object_like(
                                    {"AggregateKeyType": "IP", "Limit": stack.config.waf_rate_limit_per_ip}
                                )
                            },
                        }
                    ),
                    Match.object_like({"Name": "AWSManagedRulesAmazonIpReputationList"}),
                    Match.object_like({"Name": "AWSManagedRulesKnownBadInputsRuleSet"}),
                ]
            ),
        },
    )
    # the size rule spares only the two API-key batch routes, whose function enforces max_body_kb itself
    spared = {(m["ByteMatchStatement"]["PositionalConstraint"], m["ByteMatchStatement"]["SearchString"])
              for m in batch_paths.as_array()}  # fmt: skip
    assert spared == {("ENDS_WITH", "/v1/posts"), ("ENDS_WITH", "/v1/claims:check")}
    assert stack.config.max_body_kb * 1024 >= 100 * 10_000  # 100 posts of 10,000 characters fit
    stage_id = logical_id(stack, stack.api.rest_api.deployment_stage)
    association = Capture()
    template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation",
        {"ResourceArn": association, "WebACLArn": arn_ref(logical_id(stack, stack.api.web_acl))},
    )
    assert stage_id in json.dumps(association.as_object())


def test_every_api_function_may_be_invoked_by_its_api_only(synthesized: Synthesized, stage: str) -> None:
    stack = synthesized.stacks[stage]
    permissions = synthesized.resources(stage, "AWS::Lambda::Permission").values()
    api_id = logical_id(stack, stack.api.rest_api)
    by_function: dict[str, int] = {}
    for permission in permissions:
        props = permission["Properties"]
        assert props["Principal"] == "apigateway.amazonaws.com"
        assert api_id in json.dumps(props["SourceArn"])
        fid = props["FunctionName"]["Fn::GetAtt"][0]
        by_function[fid] = by_function.get(fid, 0) + 1
    ids = function_ids(stack)
    assert by_function == {ids[k]: sum(r.function == k for r in ROUTES) for k in ("ingest", "match", "respond")}


# ------------------------------------------------------------------------------------------------ Cognito


def test_educator_user_pool(synthesized: Synthesized, stage: str) -> None:
    template = synthesized.templates[stage]
    template.resource_count_is("AWS::Cognito::UserPool", 1)
    template.has_resource(
        "AWS::Cognito::UserPool",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "AdminCreateUserConfig": Match.object_like({"AllowAdminCreateUserOnly": True}),
                    "Policies": {
                        "PasswordPolicy": {
                            "MinimumLength": 12,
                            "RequireLowercase": True,
                            "RequireUppercase": True,
                            "RequireNumbers": True,
                            "RequireSymbols": True,
                            "TemporaryPasswordValidityDays": 3,
                        }
                    },
                    "MfaConfiguration": "OPTIONAL",
                    "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
                    "UserPoolTier": "PLUS",
                    "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
                    "DeletionProtection": "ACTIVE" if stage == "prod" else "INACTIVE",
                }
            ),
        },
    )
    for group in ("educator", "admin"):
        template.has_resource_properties("AWS::Cognito::UserPoolGroup", {"GroupName": group})
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {"GenerateSecret": False, "PreventUserExistenceErrors": "ENABLED", "EnableTokenRevocation": True},
    )


def test_console_signs_in_through_the_hosted_ui_and_returns_to_itself(synthesized: Synthesized, stage: str) -> None:
    """Implicit grant, openid/email/profile, Cognito users only; callback and logout URL = the console URL."""
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    pool = logical_id(stack, stack.educators.user_pool)
    template.resource_count_is("AWS::Cognito::UserPoolDomain", 1)
    template.has_resource_properties(
        "AWS::Cognito::UserPoolDomain",
        {"UserPoolId": {"Ref": pool}, "Domain": {"Fn::Join": ["-", [f"antidote-{stage}", {"Ref": "AWS::AccountId"}]]}},
    )
    console_url = stack.resolve(stack.api.console_url)
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "UserPoolId": {"Ref": pool},
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["implicit"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "SupportedIdentityProviders": ["COGNITO"],
            "CallbackURLs": [console_url],
            "LogoutURLs": [console_url],
        },
    )


def _text(joined: Any) -> str:
    """A resolved ``Fn::Join`` as one string, each reference written ``${Name}``, for comparing two URLs."""
    separator: str = joined["Fn::Join"][0]
    parts: list[Any] = joined["Fn::Join"][1]
    return separator.join(p if isinstance(p, str) else "${" + p["Ref"] + "}" for p in parts)


def test_console_url_is_the_stage_url_without_depending_on_the_stage(synthesized: Synthesized, stage: str) -> None:
    """The redirect URL is the console's real address (the stage root, with its slash) but names only the API's
    id: naming the stage would close the cycle respond -> client -> stage -> deployment -> methods -> respond
    (which aws-cdk-lib refuses at synthesis: "Template is undeployable")."""
    stack = synthesized.stacks[stage]
    api, stage_id = logical_id(stack, stack.api.rest_api), logical_id(stack, stack.api.rest_api.deployment_stage)
    console_url = _text(stack.resolve(stack.api.console_url))
    assert console_url == f"https://${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage}/"
    assert console_url == _text(stack.resolve(stack.api.rest_api.url)).replace(f"${{{stage_id}}}", stage)


def test_respond_tells_the_console_where_to_sign_in(synthesized: Synthesized, stage: str) -> None:
    """ANTIDOTE_COGNITO_DOMAIN / ANTIDOTE_COGNITO_CLIENT_ID (served as console/config.json), for respond only."""
    stack = synthesized.stacks[stage]
    functions = synthesized.resources(stage, "AWS::Lambda::Function")
    ids = function_ids(stack)
    domain = logical_id(stack, stack.educators.domain)
    for key in ("ingest", "match", "respond"):
        variables = functions[ids[key]]["Properties"]["Environment"]["Variables"]
        cognito = {name: value for name, value in variables.items() if name.startswith("ANTIDOTE_COGNITO_")}
        if key != "respond":
            assert cognito == {}, key
            continue
        assert cognito == {
            "ANTIDOTE_COGNITO_DOMAIN": {
                "Fn::Join": ["", ["https://", {"Ref": domain}, ".auth.", {"Ref": "AWS::Region"}, ".amazoncognito.com"]]
            },
            "ANTIDOTE_COGNITO_CLIENT_ID": {"Ref": logical_id(stack, stack.console_client)},
        }


def test_hosted_ui_prefix_can_be_set_per_stage() -> None:
    stack = AntidoteStack(App(), StageConfig(name="custom", cognito_domain_prefix="who-cares-antidote-custom"))
    domain = stack.educators.domain.node.default_child
    assert isinstance(domain, CfnUserPoolDomain)
    assert stack.resolve(domain.domain) == "who-cares-antidote-custom"


# ------------------------------------------------------------------------------------------------ scheduled scans


def test_deployed_stages_schedule_no_scans(synthesized: Synthesized, stage: str) -> None:
    """dev and prod name no scan sources (the bundled sample posts are for local runs): the schedules are the SLA
    check, the voids clustering, partner notifications and the alerts detector, and no scheduler role may invoke
    ingest."""
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    assert stack.config.sources == ()
    assert stack.scans.schedules == ()
    assert stack.scans.role is None
    schedules = synthesized.resources(stage, "AWS::Scheduler::Schedule").values()
    assert sorted((s["Properties"]["Target"]["Arn"] for s in schedules), key=json.dumps) == sorted(
        (arn_ref(function_ids(stack)[key]) for key in ("respond", "respond", "match", "alerts")), key=json.dumps
    )  # SLA check, voids, partner notifications, alerts
    ingest_arn = json.dumps(arn_ref(function_ids(stack)["ingest"]))
    for role_id in synthesized.resources(stage, "AWS::IAM::Role"):
        assert ingest_arn not in json.dumps(_role_statements(synthesized, stage, role_id)), role_id
    # what invokes ingest asynchronously and keeps failing is still parked (and alarmed on)
    template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {
            "FunctionName": {"Ref": function_ids(stack)["ingest"]},
            "MaximumRetryAttempts": 2,
            "DestinationConfig": {"OnFailure": {"Destination": arn_ref(logical_id(stack, stack.scans.dead_letters))}},
        },
    )


def test_each_configured_scan_source_gets_its_schedule(scanning: Synthesized) -> None:
    """A stage that names scan sources gets one schedule per source, invoking ingest at the source's own interval
    (never faster than the stage's scan_rate_minutes)."""
    stack, template = scanning.stacks[SCANNING_STAGE], scanning.templates[SCANNING_STAGE]
    config = stack.config
    assert [s.name for s in config.sources] == ["news", "rss-feed"]
    assert [logical_id(stack, s)[:-8] for s in stack.scans.schedules] == ["ScanNews", "ScanRssFeed"]  # + hash
    template.resource_count_is("AWS::Scheduler::Schedule", len(config.sources) + 4)  # + SLA, voids, notify, alerts
    assert stack.scans.role is not None
    for source, minutes in zip(config.sources, (15, 30), strict=True):  # news asks for 5: the stage's floor is 15
        rate = ScheduleExpression.rate(Duration.minutes(minutes)).expression_string
        template.has_resource_properties(
            "AWS::Scheduler::Schedule",
            {
                "ScheduleExpression": rate,
                "State": "ENABLED",
                "Target": {
                    "Arn": arn_ref(function_ids(stack)["ingest"]),
                    "Input": json.dumps(scan_event(source.name), separators=(",", ":")),
                    "RoleArn": arn_ref(logical_id(stack, stack.scans.role)),
                    "DeadLetterConfig": {"Arn": arn_ref(logical_id(stack, stack.scans.dead_letters))},
                    "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 15 * 60},
                },
            },
        )
    # asynchronous invocations that keep failing are parked too
    template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {
            "FunctionName": {"Ref": function_ids(stack)["ingest"]},
            "MaximumRetryAttempts": 2,
            "DestinationConfig": {"OnFailure": {"Destination": arn_ref(logical_id(stack, stack.scans.dead_letters))}},
        },
    )


def test_sources_reach_their_functions_with_only_their_own_secrets(scanning: Synthesized) -> None:
    """The sources reach ingest and respond as ANTIDOTE_SOURCES (secret names, never values); ingest may read
    the one secret a source names; each source has a failing-source alarm; cursors live in the sources table."""
    stack, template = scanning.stacks[SCANNING_STAGE], scanning.templates[SCANNING_STAGE]
    ids = function_ids(stack)
    functions = scanning.resources(SCANNING_STAGE, "AWS::Lambda::Function")
    for key in ("ingest", "respond"):
        variables = functions[ids[key]]["Properties"]["Environment"]["Variables"]
        configured = json.loads(variables["ANTIDOTE_SOURCES"])
        assert [(s["name"], s["secret"]) for s in configured] == [
            ("news", None),
            ("rss-feed", "antidote/scanning/reddit"),
        ]
        assert "ANTIDOTE_SOURCES_TABLE" in variables
    assert "ANTIDOTE_SOURCES" not in functions[ids["match"]]["Properties"]["Environment"]["Variables"]
    ingest_role = json.dumps(
        _role_statements(scanning, SCANNING_STAGE, logical_id(stack, stack.functions.roles["ingest"]))
    )
    assert "secretsmanager:GetSecretValue" in ingest_role
    assert ":secret:antidote/scanning/reddit-??????" in ingest_role
    master_secret = {"Ref": logical_id(stack, stack.notifications.master_secret)}
    for key in ("match", "respond"):  # only the webhook master secret, none of the sources'
        statements = _role_statements(scanning, SCANNING_STAGE, logical_id(stack, stack.functions.roles[key]))
        secrets = [st["Resource"] for st in statements if "secretsmanager:GetSecretValue" in st["Action"]]
        assert secrets == [master_secret], key
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "SourceConsecutiveFailures",
            "Dimensions": Match.array_with([{"Name": "source", "Value": "rss-feed"}]),
            "Threshold": 2,
            "Period": 30 * 60,
        },
    )


def test_scans_enabled_false_pauses_the_schedules() -> None:
    news = SourceConfig(name="news", connector="rss")
    stack = AntidoteStack(App(), StageConfig(name="paused", sources=(news,), scans_enabled=False))
    (schedule,) = stack.scans.schedules
    cfn_schedule = schedule.node.default_child
    assert isinstance(cfn_schedule, CfnSchedule)
    assert cfn_schedule.state == "DISABLED"


def test_sla_check_schedule_invokes_respond_at_the_stage_rate(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    minutes = stack.config.sla_check_rate_minutes
    respond_id, sla_dlq = function_ids(stack)["respond"], arn_ref(logical_id(stack, stack.sla_checks.dead_letters))
    assert stack.sla_checks.role is not None  # the SLA check is always scheduled
    template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": ScheduleExpression.rate(Duration.minutes(minutes)).expression_string,
            "State": "ENABLED",
            "Target": {
                "Arn": arn_ref(respond_id),
                "Input": json.dumps({"source": "antidote.sla", "detail": {}}, separators=(",", ":")),
                "RoleArn": arn_ref(logical_id(stack, stack.sla_checks.role)),
                "DeadLetterConfig": {"Arn": sla_dlq},
                # a check older than one period is superseded by the next one
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": minutes * 60},
            },
        },
    )
    template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {
            "FunctionName": {"Ref": respond_id},
            "MaximumRetryAttempts": 2,
            "MaximumEventAgeInSeconds": minutes * 60,
            "DestinationConfig": {"OnFailure": {"Destination": sla_dlq}},
        },
    )
    # the event is the one the respond handler answers with the ReviewItemsPastSla count
    assert SLA_CHECK_EVENT == {"source": SLA_CHECK_SOURCE, "detail": {}}
    assert stack.config.sla_check_rate_minutes == 5  # the default, in both stages


def _assert_invokes_only(synthesized: Synthesized, stage: str, scheduled: Scheduled, key: str) -> None:
    """The schedules' role: trusted by EventBridge Scheduler of this account only, may invoke its one function
    (and its versions) and park what fails in its own dead-letter queue."""
    stack = synthesized.stacks[stage]
    assert scheduled.role is not None
    role_id = logical_id(stack, scheduled.role)
    trust = synthesized.resources(stage, "AWS::IAM::Role")[role_id]["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }
    ]
    function_id = function_ids(stack)[key]
    granted = {
        (st["Effect"], st["Action"], tuple(_resource_ids(st["Resource"])))
        for st in _role_statements(synthesized, stage, role_id)
    }
    assert granted == {
        ("Allow", "lambda:InvokeFunction", (function_id, f"{function_id}:*")),
        ("Allow", "sqs:SendMessage", (logical_id(stack, scheduled.dead_letters),)),
    }


def test_the_sla_scheduler_role_may_invoke_respond_only(synthesized: Synthesized, stage: str) -> None:
    _assert_invokes_only(synthesized, stage, synthesized.stacks[stage].sla_checks, "respond")


def test_the_notify_scheduler_role_may_invoke_match_only(synthesized: Synthesized, stage: str) -> None:
    _assert_invokes_only(synthesized, stage, synthesized.stacks[stage].notifications.scheduled, "match")


def test_partner_notifications_run_on_a_schedule_with_a_generated_master_secret(
    synthesized: Synthesized, stage: str
) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    minutes = stack.config.partner_notify_rate_minutes
    scheduled = stack.notifications.scheduled
    assert scheduled.role is not None
    match_id = function_ids(stack)["match"]
    template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": ScheduleExpression.rate(Duration.minutes(minutes)).expression_string,
            "State": "ENABLED",
            "Target": {
                "Arn": arn_ref(match_id),
                "Input": json.dumps({"source": NOTIFY_SOURCE, "detail": {}}, separators=(",", ":")),
                "RoleArn": arn_ref(logical_id(stack, scheduled.role)),
                "DeadLetterConfig": {"Arn": arn_ref(logical_id(stack, scheduled.dead_letters))},
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": minutes * 60},
            },
        },
    )
    assert NOTIFY_EVENT == {"source": NOTIFY_SOURCE, "detail": {}}
    secret_id = logical_id(stack, stack.notifications.master_secret)
    secret = synthesized.resources(stage, "AWS::SecretsManager::Secret")[secret_id]["Properties"]
    assert secret["GenerateSecretString"] == {"PasswordLength": 48, "ExcludePunctuation": True}
    functions = synthesized.resources(stage, "AWS::Lambda::Function")
    for key in ("match", "respond"):
        variables = functions[function_ids(stack)[key]]["Properties"]["Environment"]["Variables"]
        assert variables["ANTIDOTE_WEBHOOK_MASTER_SECRET_ARN"] == {"Ref": secret_id}
    variables = functions[function_ids(stack)["ingest"]]["Properties"]["Environment"]["Variables"]
    assert "ANTIDOTE_WEBHOOK_MASTER_SECRET_ARN" not in variables


def test_the_scan_scheduler_role_may_invoke_ingest_only(scanning: Synthesized) -> None:
    stack = scanning.stacks[SCANNING_STAGE]
    _assert_invokes_only(scanning, SCANNING_STAGE, stack.scans, "ingest")
    _assert_invokes_only(scanning, SCANNING_STAGE, stack.sla_checks, "respond")


def test_review_sla_alarm_period_covers_at_least_one_check() -> None:
    """Checked less often than every 15 minutes, the alarm's period grows with it, so no period lacks a datapoint."""
    stack = AntidoteStack(App(), StageConfig(name="slow", sla_check_rate_minutes=30))
    alarm = stack.alarms.alarms["ReviewItemsPastSla"].node.default_child
    assert isinstance(alarm, CfnAlarm)
    assert stack.resolve(alarm.period) == 30 * 60


# ------------------------------------------------------------------------------------------------ alarms


def _alarms(synthesized: Synthesized, stage: str) -> list[dict[str, Any]]:
    return [a["Properties"] for a in synthesized.resources(stage, "AWS::CloudWatch::Alarm").values()]


def test_alarms_cover_dead_letters_errors_throttles_5xx_and_review_sla(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    template.resource_count_is("AWS::CloudWatch::Alarm", len(parking_queues(stack)) + 2 * len(FUNCTIONS) + 1 + 1)
    for dlq in parking_queues(stack):
        template.has_resource_properties(
            "AWS::CloudWatch::Alarm",
            {
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Namespace": "AWS/SQS",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [logical_id(stack, dlq), "QueueName"]}}],
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
            },
        )
    for fid in function_ids(stack).values():
        for metric in ("Errors", "Throttles"):
            template.has_resource_properties(
                "AWS::CloudWatch::Alarm",
                {
                    "MetricName": metric,
                    "Namespace": "AWS/Lambda",
                    "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": fid}}],
                    "Statistic": "Sum",
                    "Threshold": 0,
                },
            )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "5XXError",
            "Namespace": "AWS/ApiGateway",
            "Statistic": "Average",  # the share of requests, not a count
            "Threshold": stack.config.api_5xx_rate_threshold,
            "Dimensions": Match.array_with([Match.object_like({"Name": "Stage"})]),
        },
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "ReviewItemsPastSla",
            "Namespace": "Antidote",
            "Dimensions": [{"Name": "service", "Value": "antidote-respond"}],
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    )


def test_every_alarm_notifies_the_encrypted_topic(synthesized: Synthesized, stage: str) -> None:
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    topic = {"Ref": logical_id(stack, stack.alarms.topic)}
    for alarm in _alarms(synthesized, stage):
        assert alarm["AlarmActions"] == [topic]
        assert alarm["OKActions"] == [topic]
        assert alarm["TreatMissingData"] == "notBreaching"
    template.has_resource_properties(
        "AWS::SNS::Topic", {"KmsMasterKeyId": arn_ref(logical_id(stack, stack.alarms.key))}
    )
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})]
                ),
                "Version": "2012-10-17",
            }
        },
    )


def test_outputs_needed_by_the_deploy_guide(synthesized: Synthesized, stage: str) -> None:
    outputs = synthesized.raw(stage)["Outputs"]
    assert {
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "ConsoleUrl",
        "HostedUiUrl",
        "PartnerUsagePlanId",
        "IngestUsagePlanId",
        "AlarmTopicArn",
    } <= set(outputs)


def test_voids_clustering_schedule_invokes_respond_through_the_sla_role(synthesized: Synthesized, stage: str) -> None:
    """Every voids_rate_minutes respond clusters the kept posts; it shares the SLA check's role and parking queue
    (a function has one asynchronous failure destination), and its events expire after one period."""
    stack, template = synthesized.stacks[stage], synthesized.templates[stage]
    minutes = stack.config.voids_rate_minutes
    assert minutes == 60  # the default, in both stages
    assert stack.sla_checks.role is not None
    (schedule,) = stack.voids.schedules
    assert logical_id(stack, schedule).startswith("VoidsClustering")
    template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": ScheduleExpression.rate(Duration.minutes(minutes)).expression_string,
            "State": "ENABLED",
            "Target": {
                "Arn": arn_ref(function_ids(stack)["respond"]),
                "Input": json.dumps({"source": VOIDS_SOURCE, "detail": {}}, separators=(",", ":")),
                "RoleArn": arn_ref(logical_id(stack, stack.sla_checks.role)),
                "DeadLetterConfig": {"Arn": arn_ref(logical_id(stack, stack.sla_checks.dead_letters))},
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": minutes * 60},
            },
        },
    )
    assert VOIDS_EVENT == {"source": VOIDS_SOURCE, "detail": {}}


def test_voids_tables_and_their_access(synthesized: Synthesized, stage: str) -> None:
    """Kept posts: one partition per UTC day (read by Query, never Scan), expiring with the posts; match writes them,
    respond reads them. The current voids: only respond, which may delete the voids a run no longer finds."""
    stack = synthesized.stacks[stage]
    tables = synthesized.resources(stage, "AWS::DynamoDB::Table")
    unmatched = tables[logical_id(stack, stack.tables["unmatched"])]["Properties"]
    assert _sorted(unmatched["KeySchema"]) == _sorted(
        [{"AttributeName": "day", "KeyType": "HASH"}, {"AttributeName": "post_key", "KeyType": "RANGE"}]
    )
    assert unmatched["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    levels = {spec.key: spec.tables for spec in FUNCTIONS}
    assert (levels["match"]["unmatched"], levels["respond"]["unmatched"]) == ("write", "read")
    assert levels["respond"]["voids"] == "replace"
    assert "voids" not in levels["match"]
    assert "voids" not in levels["ingest"]
    assert "unmatched" not in levels["ingest"]
    assert "dynamodb:DeleteItem" in TABLE_ACTIONS["replace"]
    assert "dynamodb:UpdateItem" not in TABLE_ACTIONS["replace"]
