"""WAF in front of the API stage: body size limit, per-IP rate limit, Amazon IP reputation and known bad inputs.

Blocked requests get the same problem+json body the service answers with (413 for a body over the limit, 429 for
too many requests from one address).
"""

from __future__ import annotations

import json

from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import StageConfig

Acl = wafv2.CfnWebACL  # every WAF property type below is nested in it
MANAGED_RULE_GROUPS = ("AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet")


def protect(scope: Construct, config: StageConfig, *, stage: apigw.Stage, spared_paths: list[str]) -> Acl:
    """A web ACL in ``scope``, associated with ``stage``. Requests to a path ending in one of ``spared_paths``
    may carry bodies over ``waf_body_limit_kb`` (those routes' functions enforce ``max_body_kb`` themselves)."""
    web_acl = Acl(
        scope,
        "WebAcl",
        scope="REGIONAL",
        default_action=Acl.DefaultActionProperty(allow={}),
        visibility_config=_visibility(f"antidote-{config.name}-api"),
        # WAF reads this much of each body; anything longer counts as a match of the size rule (oversize: MATCH).
        association_config=Acl.AssociationConfigProperty(
            request_body={
                "API_GATEWAY": Acl.RequestBodyAssociatedResourceTypeConfigProperty(
                    default_size_inspection_limit=f"KB_{config.waf_body_limit_kb}"
                )
            }
        ),
        custom_response_bodies=_response_bodies(config.waf_body_limit_kb * 1024),
        rules=[
            _body_size_rule(config.waf_body_limit_kb * 1024, spared_paths, priority=0),
            _rate_rule(config.waf_rate_limit_per_ip, priority=1),
            *(_managed_rule(name, priority) for priority, name in enumerate(MANAGED_RULE_GROUPS, start=2)),
        ],
    )
    wafv2.CfnWebACLAssociation(scope, "WebAclAssociation", resource_arn=stage.stage_arn, web_acl_arn=web_acl.attr_arn)
    return web_acl


def _response_bodies(limit_bytes: int) -> dict[str, Acl.CustomResponseBodyProperty]:
    too_large = {
        "type": "about:blank",
        "title": "Payload too large",
        "status": 413,
        "detail": f"Request bodies are limited to {limit_bytes} bytes.",
    }
    too_many = {"type": "about:blank", "title": "Too many requests", "status": 429, "detail": "Slow down."}
    return {
        "too-large": Acl.CustomResponseBodyProperty(content=json.dumps(too_large), content_type="APPLICATION_JSON"),
        "too-many": Acl.CustomResponseBodyProperty(content=json.dumps(too_many), content_type="APPLICATION_JSON"),
    }


def _block(status: int, body_key: str) -> Acl.RuleActionProperty:
    return Acl.RuleActionProperty(
        block=Acl.BlockActionProperty(
            custom_response=Acl.CustomResponseProperty(response_code=status, custom_response_body_key=body_key)
        )
    )


def _visibility(metric: str) -> Acl.VisibilityConfigProperty:
    return Acl.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True
    )


def _body_size_rule(limit_bytes: int, spared_paths: list[str], *, priority: int) -> Acl.RuleProperty:
    """Blocks a body over ``limit_bytes`` (or longer than WAF reads) unless the path is one of ``spared_paths``."""
    too_big = Acl.StatementProperty(
        size_constraint_statement=Acl.SizeConstraintStatementProperty(
            comparison_operator="GT",
            size=limit_bytes,
            field_to_match=Acl.FieldToMatchProperty(body=Acl.BodyProperty(oversize_handling="MATCH")),
            text_transformations=[Acl.TextTransformationProperty(priority=0, type="NONE")],
        )
    )
    not_spared = Acl.StatementProperty(
        not_statement=Acl.NotStatementProperty(
            statement=Acl.StatementProperty(
                or_statement=Acl.OrStatementProperty(statements=[_path_ends_with(path) for path in spared_paths])
            )
        )
    )
    return Acl.RuleProperty(
        name="BodySizeLimit",
        priority=priority,
        statement=Acl.StatementProperty(and_statement=Acl.AndStatementProperty(statements=[too_big, not_spared])),
        action=_block(413, "too-large"),
        visibility_config=_visibility("BodySizeLimit"),
    )


def _path_ends_with(suffix: str) -> Acl.StatementProperty:
    return Acl.StatementProperty(
        byte_match_statement=Acl.ByteMatchStatementProperty(
            field_to_match=Acl.FieldToMatchProperty(uri_path={}),
            positional_constraint="ENDS_WITH",
            search_string=suffix,
            # a client may send "claims%3Acheck": compare the decoded path
            text_transformations=[Acl.TextTransformationProperty(priority=0, type="URL_DECODE")],
        )
    )


def _rate_rule(limit_per_ip: int, *, priority: int) -> Acl.RuleProperty:
    """Blocks an IP address that sent more than ``limit_per_ip`` requests in the last 5 minutes."""
    return Acl.RuleProperty(
        name="RatePerIp",
        priority=priority,
        statement=Acl.StatementProperty(
            rate_based_statement=Acl.RateBasedStatementProperty(
                aggregate_key_type="IP", limit=limit_per_ip, evaluation_window_sec=300
            )
        ),
        action=_block(429, "too-many"),
        visibility_config=_visibility("RatePerIp"),
    )


def _managed_rule(name: str, priority: int) -> Acl.RuleProperty:
    return Acl.RuleProperty(
        name=name,
        priority=priority,
        statement=Acl.StatementProperty(
            managed_rule_group_statement=Acl.ManagedRuleGroupStatementProperty(vendor_name="AWS", name=name)
        ),
        override_action=Acl.OverrideActionProperty(none={}),
        visibility_config=_visibility(name),
    )
