"""The CI gates on the synthesized app: cdk-nag AWS Solutions checks and cfn-lint, both without an AWS account."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import lint_file

from infra.nag import ACKS, MACHINE_ROUTE, PUBLIC_ROUTE, XRAY
from tests.infra.conftest import SCANNING_STAGE, Synthesized

ROOT = Path(__file__).resolve().parents[2]
# Every rule the stack acknowledges. A new acknowledgment must be added here on purpose, with its reason in nag.py.
EXPECTED_ACKNOWLEDGED_RULES = {
    "AwsSolutions-IAM5[Resource::*]",
    "AwsSolutions-SQS3",
    "AwsSolutions-IAM5[Resource::<respond.Arn>:*]",
    "AwsSolutions-IAM5[Resource::<match.Arn>:*]",  # the partner-notification schedule invokes match
    "AwsSolutions-SMG4",  # the webhook master secret is not rotated automatically (nag.py says why)
    "AwsSolutions-IAM5[Resource::<alerts.Arn>:*]",  # the hourly schedule invokes the alerts detector
    "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",  # publishing to the encrypted alert topic
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
    "AwsSolutions-COG2",
    "AwsSolutions-APIG4",
    "AwsSolutions-COG4",
}
# Only a stage that schedules scans has a role that may invoke ingest (dev and prod schedule none).
SCAN_SCHEDULER_RULE = "AwsSolutions-IAM5[Resource::<ingest.Arn>:*]"


def _acknowledged(template: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {
        logical: resource["Metadata"]["cdk_nag"]["rules_to_suppress"]
        for logical, resource in template["Resources"].items()
        if "cdk_nag" in resource.get("Metadata", {})
    }


def _assert_no_violation(outdir: Path) -> None:
    report = json.loads((outdir / "validation-report.json").read_text("utf-8"))
    violations = [v for plugin in report["pluginReports"] for v in plugin.get("violations", [])]
    assert violations == []
    assert all(plugin.get("conclusion", "success") == "success" for plugin in report["pluginReports"])


def test_cdk_nag_aws_solutions_reports_no_violation(synthesized: Synthesized) -> None:
    """The fixture's synthesis ran the AwsSolutions pack as a validation plugin; it stops synthesis on a finding."""
    _assert_no_violation(synthesized.outdir)


def test_cdk_nag_is_live_and_fails_a_non_compliant_stack(tmp_path: Path) -> None:
    """Same plugin, a queue with neither encryption nor a dead-letter queue: synthesis must fail with its rules."""
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Bad")
    sqs.Queue(stack, "Plain", encryption=sqs.QueueEncryption.UNENCRYPTED)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text("utf-8"))
    rules = {v["ruleName"] for plugin in report["pluginReports"] for v in plugin["violations"]}
    assert {"AwsSolutions-SQS2", "AwsSolutions-SQS3", "AwsSolutions-SQS4"} <= rules


SCHEDULED_FUNCTION_ARN = r"<Functions(Ingest|Respond|Match|Alerts)[0-9A-F]{8}\.Arn>"


def _function_placeholder(match: re.Match[str]) -> str:
    return f"<{match.group(1).lower()}.Arn>"


def _acknowledged_rules(template: dict[str, Any]) -> set[str]:
    """Every acknowledged rule, after checking that each one carries a written reason."""
    acknowledged = _acknowledged(template)
    assert acknowledged, "acknowledgments are written into template metadata (write_suppressions_to_cloud_formation)"
    rules: set[str] = set()
    for logical, entries in acknowledged.items():
        for entry in entries:
            # the schedulers' grants name the functions they invoke by their logical ids
            rules.add(re.sub(SCHEDULED_FUNCTION_ARN, _function_placeholder, entry["id"]))
            assert len(entry["reason"].split()) >= 15, f"{logical}: {entry['id']} needs a real reason"
    reasons = {e["reason"] for entries in acknowledged.values() for e in entries}
    assert reasons == {XRAY, MACHINE_ROUTE, PUBLIC_ROUTE} | {reason for _, reason in ACKS.values()}
    return rules


def test_every_acknowledgment_carries_a_written_reason(synthesized: Synthesized, stage: str) -> None:
    assert _acknowledged_rules(synthesized.raw(stage)) == EXPECTED_ACKNOWLEDGED_RULES


def test_a_stage_that_schedules_scans_passes_the_same_gates(scanning: Synthesized) -> None:
    """Its scan schedules' role adds one acknowledgment (invoking ingest's versions); cdk-nag and cfn-lint pass."""
    _assert_no_violation(scanning.outdir)
    assert _acknowledged_rules(scanning.raw(SCANNING_STAGE)) == EXPECTED_ACKNOWLEDGED_RULES | {SCAN_SCHEDULER_RULE}
    template = scanning.outdir / f"Antidote-{SCANNING_STAGE}.template.json"
    assert [str(m) for m in lint_file(template)] == []


def test_nothing_is_acknowledged_for_the_whole_stack(synthesized: Synthesized, stage: str) -> None:
    """Acknowledgments sit on the resources they are about, never on the stack (which would hide new findings)."""
    acknowledged = _acknowledged(synthesized.raw(stage))
    route_acks = [
        logical for logical, entries in acknowledged.items() if any(e["id"] == "AwsSolutions-APIG4" for e in entries)
    ]
    methods = [
        logical
        for logical, resource in synthesized.raw(stage)["Resources"].items()
        if resource["Type"] == "AWS::ApiGateway::Method" and logical in route_acks
    ]
    assert len(methods) == 5  # posts, claims:check, /, /console/{proxy+}, /swagger — not the review routes
    metadata = synthesized.stacks[stage].node.metadata
    assert not [m for m in metadata if "acknowledg" in str(m.type).lower()]


def test_cfn_lint_passes_on_every_synthesized_template(synthesized: Synthesized) -> None:
    templates = sorted(synthesized.outdir.glob("*.template.json"))
    assert [t.name for t in templates] == ["Antidote-dev.template.json", "Antidote-prod.template.json"]
    for template in templates:
        matches = lint_file(template)
        assert [str(m) for m in matches] == [], template.name


def test_the_app_script_synthesizes_from_the_command_line(tmp_path: Path) -> None:
    """What `uv run python infra/app.py` (and cdk.json's app command) runs, here for one stage to keep CI short."""
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path),
        "CDK_CONTEXT_JSON": json.dumps({"stage": "dev"}),
    }
    done = subprocess.run(
        [sys.executable, "infra/app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "Antidote-dev.template.json").is_file()
    assert not (tmp_path / "Antidote-prod.template.json").exists()
    assert "end-of-life" not in done.stderr  # the jsii Node banner is silenced
