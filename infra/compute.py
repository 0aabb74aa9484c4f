"""The Lambda functions (ingest, match, respond, alerts), all from one container image, each with its own role,
log group and environment.

The image (``Dockerfile`` at the repository root) holds the runtime packages (onnxruntime, no torch) and the
knowledge-base index with the embedding model exported to ONNX, built at image build time, so no function downloads
anything at cold start. The functions differ only in CMD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StageConfig
from infra.storage import TABLES, Tables

REPO_ROOT = Path(__file__).resolve().parents[1]
INDEX_DIR = "/opt/antidote/index"  # where the Dockerfile bakes the index artifact
METRICS_NAMESPACE = "Antidote"

# What never goes into the image's build context (the Dockerfile copies only what it names, and .dockerignore
# is an allow-list; this list keeps CDK's staging of the context into cdk.out fast even without .dockerignore).
ASSET_EXCLUDE = [
    ".git",
    ".venv",
    ".antidote",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "cdk.out",
    "**/cdk.out",
    "node_modules",
    "**/node_modules",
    "**/__pycache__",
    "tests",
    "infra",
    "docs",
    # every script but the one the Dockerfile runs to slim each function's packages
    "scripts/*",
    "!scripts/slim_runtime.sh",
    ".ci",
]

# DynamoDB actions by access level. No Scan, no BatchWriteItem, no table management anywhere: listing API keys
# is an operator's job, done with the operator's own credentials.
READ = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable")  # fmt: skip
TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    "read": READ,
    # conditional put / update (dedupe, version checks, atomic counters, transactions)
    "write": (*READ, "dynamodb:PutItem", "dynamodb:UpdateItem"),
    # the audit trail is append-only: put with a does-not-exist condition, never updated or deleted
    "append": (*READ, "dynamodb:PutItem"),
    # the voids clustering replaces the current voids: it removes those it no longer finds
    "replace": (*READ, "dynamodb:PutItem", "dynamodb:DeleteItem"),
    # Powertools idempotency deletes its in-progress record when the handler fails, so a retry can run
    "idempotency": (*READ, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
}


@dataclass(frozen=True)
class FunctionSpec:
    """One function: its handler, timeout and the tables it may touch, each at the access level it needs."""

    key: str
    handler: str
    description: str
    timeout: Duration
    tables: dict[str, str]  # table key -> access level


FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "ingest",
        "functions.ingest.handler.handler",
        "Webhook and scheduled scans: normalise, dedupe and redact posts, queue them for matching.",
        Duration.seconds(30),
        # matches: read, to forward again a post that was stored but never matched (a redelivery after a crash)
        # sources: each scan source's cursor and health
        {
            "posts": "write",
            "matches": "read",
            "api_keys": "read",
            "counters": "write",
            "idempotency": "idempotency",
            "sources": "write",
        },
    ),
    FunctionSpec(
        "match",
        "functions.match.handler.handler",
        "Match posts against the knowledge base (SQS batches) and answer partner claim checks.",
        # A batch of 64 posts takes a few seconds warm; a cold start loads torch, the model and the index first.
        Duration.seconds(60),
        # unmatched: health posts that matched no claim, kept (with their embeddings) for the voids clustering
        # partner_queries: keeps opted-in partners' unmatched checks and marks what was notified; deliveries: the log
        {
            "posts": "read",
            "matches": "write",
            "counters": "write",
            "api_keys": "read",
            "idempotency": "idempotency",
            "unmatched": "write",
            "partner_queries": "write",
            "deliveries": "write",
        },
    ),
    FunctionSpec(
        "respond",
        "functions.respond.handler.handler",
        "Draft replies into the review queue and serve the educators' review API and console.",
        Duration.seconds(30),
        # posts: read, to draft from the stored (redacted) post; idempotency: one review item per (post, claim)
        {
            "reviews": "write",
            "audit": "append",
            "posts": "read",
            "matches": "read",
            "counters": "read",
            "idempotency": "idempotency",
            "sources": "read",  # GET /v1/sources: each source's health
            "unmatched": "read",  # the scheduled voids clustering reads the kept posts (Query by day)
            "voids": "replace",  # ... and replaces the current voids; GET /v1/voids reads them
            "api_keys": "write",  # PUT/DELETE /v1/keys/{key_id}/webhook (admin): a partner key's webhook
            "alerts": "read",  # GET /v1/alerts, and the alerts the trends chart marks
        },
    ),
    FunctionSpec(
        "alerts",
        "functions.alerts.handler.handler",
        "Hourly: spikes, first-seen claims and sentiment dips in the trend counters; alerts to SNS and a webhook.",
        Duration.minutes(5),  # webhook retries wait at most two minutes (functions/shared/webhooks.py)
        # deliveries: every webhook attempt is written to the delivery log (functions/shared/webhooks.py)
        {"counters": "read", "alerts": "write", "deliveries": "write"},
    ),
)


def vcpus(memory_mb: int) -> int:
    """Whole vCPUs' worth of CPU time Lambda allocates at this memory size (one per 1769 MB, at least one)."""
    return max(1, memory_mb // 1769)


def service_name(key: str) -> str:
    return f"antidote-{key}"


class Functions(Construct):
    """Every function, each from its own image of the one Dockerfile (they share the build stage's layers)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, tables: Tables) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        arm = config.architecture == "arm64"
        self.architecture = lambda_.Architecture.ARM_64 if arm else lambda_.Architecture.X86_64
        self.platform = ecr_assets.Platform.LINUX_ARM64 if arm else ecr_assets.Platform.LINUX_AMD64
        self.by_key: dict[str, lambda_.DockerImageFunction] = {}
        self.roles: dict[str, iam.Role] = {}
        self.log_groups: dict[str, logs.LogGroup] = {}
        for spec in FUNCTIONS:
            self._add(spec, tables)

    def __getitem__(self, key: str) -> lambda_.DockerImageFunction:
        return self.by_key[key]

    def memory_mb(self, key: str) -> int:
        config = self.config
        return {
            "ingest": config.ingest_memory_mb,
            "match": config.match_memory_mb,
            "respond": config.respond_memory_mb,
            "alerts": config.alerts_memory_mb,
        }[key]

    def _add(self, spec: FunctionSpec, tables: Tables) -> None:
        """One function with its own log group and role; the role may write to that log group and use the
        tables ``spec`` names, at their access level, and nothing else (queues are granted by the stack)."""
        name = spec.key.capitalize()
        log_group = logs.LogGroup(
            self,
            f"{name}Logs",
            retention=retention(self.config.log_retention_days),
            removal_policy=RemovalPolicy.RETAIN if self.config.protect_data else RemovalPolicy.DESTROY,
        )
        # An explicit role instead of CDK's default: no AWSLambdaBasicExecutionRole managed policy (which may
        # write to any log group), only this function's own log group and, below, its own tables and queues.
        role = iam.Role(
            self,
            f"{name}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{service_name(spec.key)} ({self.config.name}): own log group, tables and queues only",
        )
        log_group.grant_write(role)
        environment = {**self._environment(spec), **_grant_tables(role, spec, tables)}
        self.by_key[spec.key] = self._function(spec, role, log_group, environment)
        self.roles[spec.key] = role
        self.log_groups[spec.key] = log_group

    def _environment(self, spec: FunctionSpec) -> dict[str, str]:
        config = self.config
        return {
            "ANTIDOTE_STAGE": config.name,
            "ANTIDOTE_AWS_REGION": Stack.of(self).region,
            "ANTIDOTE_AUTH_MODE": "cognito",
            "ANTIDOTE_INDEX_DIR": INDEX_DIR,
            "ANTIDOTE_MAX_BODY_BYTES": str(config.max_body_kb * 1024),
            "POWERTOOLS_SERVICE_NAME": service_name(spec.key),
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "POWERTOOLS_LOG_LEVEL": config.log_level,
            # Responses can carry post text: keep them out of X-Ray traces (only timings and errors go there).
            "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
            "POWERTOOLS_LOGGER_LOG_EVENT": "false",
            # One thread per vCPU Lambda grants (1769 MB = one): more threads than vCPUs only contend for the
            # same CPU quota. The ONNX embedder sizes its onnxruntime pool from it.
            "OMP_NUM_THREADS": str(vcpus(self.memory_mb(spec.key))),
        }

    def _function(
        self, spec: FunctionSpec, role: iam.Role, log_group: logs.LogGroup, environment: dict[str, str]
    ) -> lambda_.DockerImageFunction:
        function = lambda_.DockerImageFunction(
            self,
            spec.key.capitalize(),
            description=spec.description,
            # The Dockerfile's function stage for this function: its own packages only (one image per function)
            code=lambda_.DockerImageCode.from_image_asset(
                str(REPO_ROOT),
                file="Dockerfile",
                target="function",
                build_args={"FUNCTION": spec.key},
                cmd=[spec.handler],
                platform=self.platform,
                exclude=ASSET_EXCLUDE,
            ),
            architecture=self.architecture,
            memory_size=self.memory_mb(spec.key),
            timeout=spec.timeout,
            role=role,
            environment=environment,
            tracing=lambda_.Tracing.ACTIVE,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel(_lambda_level(self.config.log_level)),
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            log_group=log_group,
            reserved_concurrent_executions=self.config.match_reserved_concurrency if spec.key == "match" else None,
            recursive_loop=lambda_.RecursiveLoop.TERMINATE,
        )
        # aws-cdk-lib adds an explicit DependsOn on the role, which the function already references by GetAtt.
        # cfn-lint warns about the redundancy (W3005); it is harmless, so silence it for this resource only.
        cfn_function = function.node.default_child
        assert isinstance(cfn_function, lambda_.CfnFunction)
        cfn_function.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        return function


def _grant_tables(role: iam.Role, spec: FunctionSpec, tables: Tables) -> dict[str, str]:
    """Grants ``role`` the tables ``spec`` names at their access level; returns their names by environment variable."""
    env_var = {table.key: table.env_var for table in TABLES}
    environment: dict[str, str] = {}
    for table_key, level in spec.tables.items():
        table = tables[table_key]
        # Named indexes only (not CDK's "<table>/index/*"): the reviews queue reads by_status, nothing else.
        index_arns = [f"{table.table_arn}/index/{name}" for name in tables.indexes.get(table_key, ())]
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(TABLE_ACTIONS[level]), resources=[table.table_arn, *index_arns])
        )
        environment[env_var[table_key]] = table.table_name
    return environment


def _lambda_level(level: str) -> str:
    """Lambda's application log level names: WARNING is WARN there."""
    return "WARN" if level == "WARNING" else level


_RETENTION_NAMES = {
    1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
    60: "TWO_MONTHS", 90: "THREE_MONTHS", 120: "FOUR_MONTHS", 150: "FIVE_MONTHS", 180: "SIX_MONTHS",
    365: "ONE_YEAR", 400: "THIRTEEN_MONTHS", 545: "EIGHTEEN_MONTHS", 731: "TWO_YEARS", 1096: "THREE_YEARS",
    1827: "FIVE_YEARS", 2192: "SIX_YEARS", 2557: "SEVEN_YEARS", 2922: "EIGHT_YEARS",
}  # fmt: skip


def retention(days: int) -> logs.RetentionDays:
    """The CloudWatch Logs retention setting for a number of days (one of ``config.LOG_RETENTION_DAYS``)."""
    return logs.RetentionDays[_RETENTION_NAMES[days]]
