"""API Gateway: the REST API, with partner and webhook routes behind API keys and review routes behind Cognito.

API Gateway API keys and usage plans are the outer layer only: every key is also hashed and checked by the
functions themselves (``api_keys`` table: scope ``check`` or ``ingest``, per-key daily quota), because API Gateway
cannot say which routes a key may call. The educators' user pool is in ``infra/auth.py``, the WAF web ACL in
front of the stage in ``infra/waf.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from aws_cdk import Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra import waf
from infra.auth import EducatorPool
from infra.compute import retention
from infra.config import StageConfig

Auth = Literal["ingest_key", "partner_key", "educator", "public"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str  # ingest | match | respond
    auth: Auth


ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/posts", "ingest", "ingest_key"),
    Route("POST", "/v1/claims:check", "match", "partner_key"),
    Route("GET", "/v1/reviews", "respond", "educator"),
    Route("GET", "/v1/reviews/{item_id}", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/approve", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/reject", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/undo", "respond", "educator"),
    Route("GET", "/v1/reviews:summary", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/decide", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/assign", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/notes", "respond", "educator"),
    Route("POST", "/v1/reviews/{item_id}/posted", "respond", "educator"),
    Route("GET", "/v1/reviews/{item_id}/audit", "respond", "educator"),
    Route("GET", "/v1/exports/reviews.csv", "respond", "educator"),
    Route("GET", "/v1/exports/audit.csv", "respond", "educator"),
    Route("GET", "/v1/trends", "respond", "educator"),
    Route("GET", "/v1/claims", "respond", "educator"),
    Route("GET", "/v1/claims:coming-up", "respond", "educator"),
    Route("GET", "/v1/sources", "respond", "educator"),
    Route("GET", "/v1/voids", "respond", "educator"),
    Route("GET", "/v1/alerts", "respond", "educator"),
    Route("GET", "/v1/voids/{void_id}", "respond", "educator"),
    # Partner notifications: an admin registers or removes a partner key's webhook (the function checks the role).
    Route("PUT", "/v1/keys/{key_id}/webhook", "respond", "educator"),
    Route("DELETE", "/v1/keys/{key_id}/webhook", "respond", "educator"),
    # The review console is static HTML/JS (it signs in to Cognito itself) and the OpenAPI page holds no data.
    Route("GET", "/", "respond", "public"),
    Route("GET", "/console/{proxy+}", "respond", "public"),
    Route("GET", "/swagger", "respond", "public"),
)
KEY_AUTH: tuple[Auth, ...] = ("ingest_key", "partner_key")
# The routes that carry batches; WAF's body size limit spares them (their functions enforce max_body_kb).
BATCH_PATHS = [route.path for route in ROUTES if route.auth in KEY_AUTH]

# API Gateway's own rejections (no key, bad token, throttled, too large) answer in the service's error format.
GATEWAY_RESPONSES: dict[apigw.ResponseType, int | None] = {
    apigw.ResponseType.DEFAULT_4_XX: None,
    apigw.ResponseType.DEFAULT_5_XX: None,
    apigw.ResponseType.UNAUTHORIZED: 401,
    apigw.ResponseType.ACCESS_DENIED: 403,
    apigw.ResponseType.INVALID_API_KEY: 403,
    apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN: 404,
    apigw.ResponseType.REQUEST_TOO_LARGE: 413,
    apigw.ResponseType.THROTTLED: 429,
    apigw.ResponseType.QUOTA_EXCEEDED: 429,
}


# One JSON line per request: who called (API key id or educator's Cognito sub, never a token), what, how it went.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "ip": "$context.identity.sourceIp",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "integrationStatus": "$context.integrationStatus",
    "apiKeyId": "$context.identity.apiKeyId",
    "educator": "$context.authorizer.claims.sub",
    "wafStatus": "$context.wafResponseCode",
    "error": "$context.error.message",
    "xrayTraceId": "$context.xrayTraceId",
}


def problem_template(status: int | None) -> str:
    """An RFC 9457 problem body as a gateway-response mapping template."""
    status_part = f', "status": {status}' if status else ""
    return (
        '{"type": "about:blank", "title": $context.error.messageString'
        + status_part
        + ', "detail": "$context.error.responseType", "request_id": "$context.requestId"}'
    )


class Api(Construct):
    """REST API with its routes, request validation, problem+json errors, access logs, usage plans, the educators'
    Cognito authorizer and the WAF web ACL in front of its stage."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        functions: Mapping[str, lambda_.IFunction],
        educators: EducatorPool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.RETAIN if config.protect_data else RemovalPolicy.DESTROY,
        )
        self.rest_api = self._rest_api(config)
        self.console_url = self._console_url(config)
        self.validator = self.rest_api.add_request_validator(
            "Validator",
            request_validator_name="body-and-parameters",
            validate_request_body=True,
            validate_request_parameters=True,
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self,
            "EducatorAuthorizer",
            authorizer_name=f"antidote-{config.name}-educators",
            cognito_user_pools=[educators.user_pool],
            results_cache_ttl=Duration.minutes(5),
        )
        self._problem_responses()
        integrations = {key: apigw.LambdaIntegration(fn, allow_test_invoke=False) for key, fn in functions.items()}
        self.methods = {route: self._add_route(route, integrations[route.function]) for route in ROUTES}
        self.partner_plan, self.ingest_plan = self._usage_plans(config)
        self.web_acl: wafv2.CfnWebACL = waf.protect(
            self, config, stage=self.rest_api.deployment_stage, spared_paths=BATCH_PATHS
        )

    def _rest_api(self, config: StageConfig) -> apigw.RestApi:
        return apigw.RestApi(
            self,
            "RestApi",
            rest_api_name=f"antidote-{config.name}",
            description="Antidote: post ingest webhook, partner claim checks, educators' review API and console.",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            api_key_source_type=apigw.ApiKeySourceType.HEADER,
            cloud_watch_role=True,  # execution logging needs the account-level API Gateway logging role
            deploy_options=apigw.StageOptions(
                stage_name=config.name,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # never log request bodies: they are social posts
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=config.api_rate_limit,
                throttling_burst_limit=config.api_burst_limit,
            ),
        )

    def _console_url(self, config: StageConfig) -> str:
        """The console's address, from the API's id and the stage name known here, not from the stage resource:
        the console's app client (whose id the respond function's environment holds) redirects to it."""
        stack = Stack.of(self)
        parts = ["https://", self.rest_api.rest_api_id, ".execute-api.", stack.region, ".", stack.url_suffix]
        return Fn.join("", [*parts, f"/{config.name}/"])

    def _problem_responses(self) -> None:
        for response_type, status in GATEWAY_RESPONSES.items():
            self.rest_api.add_gateway_response(
                f"Problem{response_type.response_type}".replace("_", ""),
                type=response_type,
                response_headers={"Content-Type": "'application/problem+json'"},
                templates={"application/json": problem_template(status)},
            )

    def _add_route(self, route: Route, integration: apigw.LambdaIntegration) -> apigw.Method:
        resource = self.rest_api.root.resource_for_path(route.path) if route.path != "/" else self.rest_api.root
        path_params = {
            f"method.request.path.{part[1:-1].rstrip('+')}": True
            for part in route.path.split("/")
            if part.startswith("{")
        }
        educator = route.auth == "educator"
        return resource.add_method(
            route.method,
            integration,
            operation_name=_operation_name(route),
            request_validator=self.validator,
            request_parameters=path_params or None,
            authorizer=self.authorizer if educator else None,
            authorization_type=apigw.AuthorizationType.COGNITO if educator else None,
            api_key_required=True if route.auth in KEY_AUTH else None,
        )

    def _usage_plans(self, config: StageConfig) -> tuple[apigw.UsagePlan, apigw.UsagePlan]:
        """Partners' and the webhook's, each throttled and with a daily quota. No API key lives in this template:
        every key (partners' and the webhook's) is made by `antidote keys create`, which stores only its hash, and
        then imported into API Gateway with the same value and attached to its usage plan (docs/deploy.md). A key
        generated here could not be registered with the functions."""
        partner = self._usage_plan(
            "PartnerPlan",
            f"antidote-{config.name}-partners",
            "Partner organisations: claim checks. One API key per partner.",
            apigw.ThrottleSettings(rate_limit=config.partner_rate_limit, burst_limit=config.partner_burst_limit),
            config.partner_daily_quota,
        )
        ingest = self._usage_plan(
            "IngestPlan",
            f"antidote-{config.name}-ingest",
            "The post ingest webhook: its own keys, apart from partners.",
            apigw.ThrottleSettings(rate_limit=config.ingest_rate_limit, burst_limit=config.ingest_burst_limit),
            config.ingest_daily_quota,
        )
        return partner, ingest

    def _usage_plan(
        self, plan_id: str, name: str, description: str, throttle: apigw.ThrottleSettings, daily_quota: int
    ) -> apigw.UsagePlan:
        return self.rest_api.add_usage_plan(
            plan_id,
            name=name,
            description=description,
            throttle=throttle,
            quota=apigw.QuotaSettings(limit=daily_quota, period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=self.rest_api, stage=self.rest_api.deployment_stage)],
        )


def _operation_name(route: Route) -> str:
    words = [p for p in route.path.replace(":", "/").split("/") if p and not p.startswith("{")] or ["console"]
    if route.path == "/console/{proxy+}":
        words = ["console", "asset"]
    return route.method.lower() + "".join(w.capitalize() for w in words)
