"""The public REST API: partner and webhook routes behind API keys, review routes behind Cognito, WAF in front.

API Gateway API keys and usage plans are the outer layer only: every key is also hashed and checked by the
functions themselves (``api_keys`` table: scope ``check`` or ``ingest``, per-key daily quota), because API Gateway
cannot say which routes a key may call. Educators sign in to a Cognito user pool; the review routes need its ID
token, and the respond function reads the ``cognito:groups`` claim (``educator`` or ``admin``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from aws_cdk import Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.compute import retention
from infra.config import StageConfig

Auth = Literal["ingest_key", "partner_key", "educator", "public"]
EDUCATOR_GROUPS = {"admin": "Manages educators and partner keys; can also review.", "educator": "Reviews replies."}


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
    Route("GET", "/v1/trends", "respond", "educator"),
    Route("GET", "/v1/claims", "respond", "educator"),
    # The review console is static HTML/JS (it signs in to Cognito itself) and the OpenAPI page holds no data.
    Route("GET", "/", "respond", "public"),
    Route("GET", "/console/{proxy+}", "respond", "public"),
    Route("GET", "/swagger", "respond", "public"),
)

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


class EducatorPool(Construct):
    """The Cognito user pool for health educators: invitation only, strong passwords, optional TOTP MFA."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=False,  # admins invite educators
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True),
                fullname=cognito.StandardAttribute(required=False, mutable=True),
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            # Plus tier: compromised-credential and adaptive-authentication checks, enforced, for a few dozen users.
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=config.protect_data,
            removal_policy=RemovalPolicy.RETAIN,
            user_invitation=cognito.UserInvitationConfig(
                email_subject="Your Antidote review console account",
                email_body=(
                    "You have been invited to review suggested replies in Antidote. "
                    "Sign in with {username} and the temporary password {####}; you will choose your own."
                ),
            ),
        )
        self.groups = {
            name: cognito.UserPoolGroup(
                self,
                f"{name.capitalize()}Group",
                user_pool=self.user_pool,
                group_name=name,
                description=description,
                precedence=0 if name == "admin" else 10,
            )
            for name, description in EDUCATOR_GROUPS.items()
        }
        # The hosted UI the console sends educators to (classic hosted UI: no managed-login branding to keep).
        prefix = config.cognito_domain_prefix or Fn.join("-", ["antidote", config.name, Stack.of(self).account])
        self.domain = self.user_pool.add_domain(
            "HostedUi", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=prefix)
        )

    @property
    def hosted_ui_url(self) -> str:
        """``https://PREFIX.auth.REGION.amazoncognito.com``: the respond function's ANTIDOTE_COGNITO_DOMAIN."""
        return self.domain.base_url()

    def add_console_client(self, console_url: str) -> cognito.UserPoolClient:
        """The console's app client: implicit grant through the hosted UI, back to ``console_url`` (with its slash).

        Made after the API because the callback URL is the API's; the URL must not depend on the API's stage
        (see ``Api.console_url``), or the respond function's environment (which names this client) would close a
        cycle: function -> client -> stage -> deployment -> methods -> function.
        """
        return self.user_pool.add_client(
            "ConsoleClient",
            auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            generate_secret=False,  # a browser app cannot keep a secret
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.hours(12),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            o_auth=cognito.OAuthSettings(
                # The console is static files with no back end of its own to redeem a code: the ID token comes
                # back in the URL fragment, which browsers never send to the server.
                flows=cognito.OAuthFlows(implicit_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=[console_url],
                logout_urls=[console_url],
            ),
        )


class Api(Construct):
    """REST API, usage plans, ingest key, Cognito authorizer, access logs and the WAF web ACL in front of it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        functions: dict[str, lambda_.IFunction],
        educators: EducatorPool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.RETAIN if config.protect_data else RemovalPolicy.DESTROY,
        )
        self.rest_api = apigw.RestApi(
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
        # The console's address, from the API's id and the stage name known here, not from the stage resource:
        # the console's app client (whose id the respond function's environment holds) redirects to it.
        self.console_url = Fn.join(
            "",
            [
                "https://",
                self.rest_api.rest_api_id,
                ".execute-api.",
                Stack.of(self).region,
                ".",
                Stack.of(self).url_suffix,
                f"/{config.name}/",
            ],
        )
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
        for response_type, status in GATEWAY_RESPONSES.items():
            self.rest_api.add_gateway_response(
                f"Problem{response_type.response_type}".replace("_", ""),
                type=response_type,
                response_headers={"Content-Type": "'application/problem+json'"},
                templates={"application/json": problem_template(status)},
            )

        integrations = {key: apigw.LambdaIntegration(fn, allow_test_invoke=False) for key, fn in functions.items()}
        self.methods: dict[Route, apigw.Method] = {}
        for route in ROUTES:
            resource = self.rest_api.root.resource_for_path(route.path) if route.path != "/" else self.rest_api.root
            path_params = {
                f"method.request.path.{part[1:-1].rstrip('+')}": True
                for part in route.path.split("/")
                if part.startswith("{")
            }
            options: dict[str, object] = {}
            if route.auth == "educator":
                options = {"authorizer": self.authorizer, "authorization_type": apigw.AuthorizationType.COGNITO}
            elif route.auth in ("ingest_key", "partner_key"):
                options = {"api_key_required": True}
            self.methods[route] = resource.add_method(
                route.method,
                integrations[route.function],
                operation_name=_operation_name(route),
                request_validator=self.validator,
                request_parameters=path_params or None,
                **options,  # type: ignore[arg-type]
            )

        stage = self.rest_api.deployment_stage
        self.partner_plan = self.rest_api.add_usage_plan(
            "PartnerPlan",
            name=f"antidote-{config.name}-partners",
            description="Partner organisations: claim checks. One API key per partner.",
            throttle=apigw.ThrottleSettings(
                rate_limit=config.partner_rate_limit, burst_limit=config.partner_burst_limit
            ),
            quota=apigw.QuotaSettings(limit=config.partner_daily_quota, period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=self.rest_api, stage=stage)],
        )
        self.ingest_plan = self.rest_api.add_usage_plan(
            "IngestPlan",
            name=f"antidote-{config.name}-ingest",
            description="The post ingest webhook: its own keys, apart from partners.",
            throttle=apigw.ThrottleSettings(rate_limit=config.ingest_rate_limit, burst_limit=config.ingest_burst_limit),
            quota=apigw.QuotaSettings(limit=config.ingest_daily_quota, period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=self.rest_api, stage=stage)],
        )
        # No API key lives in this template: every key (partners' and the webhook's) is made by `antidote keys
        # create`, which stores only its hash, and then imported into API Gateway with the same value and attached
        # to its usage plan (docs/deploy.md). A key generated here could not be registered with the functions.

        self.web_acl = _web_acl(self, config)
        wafv2.CfnWebACLAssociation(
            self, "WebAclAssociation", resource_arn=stage.stage_arn, web_acl_arn=self.web_acl.attr_arn
        )


def _operation_name(route: Route) -> str:
    words = [p for p in route.path.replace(":", "/").split("/") if p and not p.startswith("{")] or ["console"]
    if route.path == "/console/{proxy+}":
        words = ["console", "asset"]
    return route.method.lower() + "".join(w.capitalize() for w in words)


def _visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def _managed_rule(name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(vendor_name="AWS", name=name)
        ),
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        visibility_config=_visibility(name),
    )


def _path_ends_with(suffix: str) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
            positional_constraint="ENDS_WITH",
            search_string=suffix,
            # a client may send "claims%3Acheck": compare the decoded path
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="URL_DECODE")],
        )
    )


def _web_acl(scope: Construct, config: StageConfig) -> wafv2.CfnWebACL:
    """Body size limit, per-IP rate limit, Amazon IP reputation and known-bad-input rules."""
    limit_bytes = config.waf_body_limit_kb * 1024
    batch_routes = [r.path for r in ROUTES if r.auth in ("ingest_key", "partner_key")]
    too_big = wafv2.CfnWebACL.StatementProperty(
        size_constraint_statement=wafv2.CfnWebACL.SizeConstraintStatementProperty(
            comparison_operator="GT",
            size=limit_bytes,
            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                body=wafv2.CfnWebACL.BodyProperty(oversize_handling="MATCH")
            ),
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
        )
    )
    not_a_batch_route = wafv2.CfnWebACL.StatementProperty(
        not_statement=wafv2.CfnWebACL.NotStatementProperty(
            statement=wafv2.CfnWebACL.StatementProperty(
                or_statement=wafv2.CfnWebACL.OrStatementProperty(
                    statements=[_path_ends_with(path) for path in batch_routes]
                )
            )
        )
    )
    too_large = {
        "type": "about:blank",
        "title": "Payload too large",
        "status": 413,
        "detail": f"Request bodies are limited to {limit_bytes} bytes.",
    }
    too_many = {"type": "about:blank", "title": "Too many requests", "status": 429, "detail": "Slow down."}
    return wafv2.CfnWebACL(
        scope,
        "WebAcl",
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=_visibility(f"antidote-{config.name}-api"),
        # WAF reads this much of each body; anything longer counts as a match of the size rule (oversize: MATCH).
        association_config=wafv2.CfnWebACL.AssociationConfigProperty(
            request_body={
                "API_GATEWAY": wafv2.CfnWebACL.RequestBodyAssociatedResourceTypeConfigProperty(
                    default_size_inspection_limit=f"KB_{config.waf_body_limit_kb}"
                )
            }
        ),
        custom_response_bodies={
            "too-large": wafv2.CfnWebACL.CustomResponseBodyProperty(
                content=json.dumps(too_large), content_type="APPLICATION_JSON"
            ),
            "too-many": wafv2.CfnWebACL.CustomResponseBodyProperty(
                content=json.dumps(too_many), content_type="APPLICATION_JSON"
            ),
        },
        rules=[
            wafv2.CfnWebACL.RuleProperty(
                name="BodySizeLimit",
                priority=0,
                # batch routes are API-key only and their function enforces max_body_kb itself
                statement=wafv2.CfnWebACL.StatementProperty(
                    and_statement=wafv2.CfnWebACL.AndStatementProperty(statements=[too_big, not_a_batch_route])
                ),
                action=wafv2.CfnWebACL.RuleActionProperty(
                    block=wafv2.CfnWebACL.BlockActionProperty(
                        custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                            response_code=413, custom_response_body_key="too-large"
                        )
                    )
                ),
                visibility_config=_visibility("BodySizeLimit"),
            ),
            wafv2.CfnWebACL.RuleProperty(
                name="RatePerIp",
                priority=1,
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        aggregate_key_type="IP", limit=config.waf_rate_limit_per_ip, evaluation_window_sec=300
                    )
                ),
                action=wafv2.CfnWebACL.RuleActionProperty(
                    block=wafv2.CfnWebACL.BlockActionProperty(
                        custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                            response_code=429, custom_response_body_key="too-many"
                        )
                    )
                ),
                visibility_config=_visibility("RatePerIp"),
            ),
            _managed_rule("AWSManagedRulesAmazonIpReputationList", 2),
            _managed_rule("AWSManagedRulesKnownBadInputsRuleSet", 3),
        ],
    )
