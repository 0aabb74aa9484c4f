"""Synthesizes the CDK app once per test session (it starts a Node process) into a temporary cdk.out, and once more
with a stage that schedules scans."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")

from aws_cdk.assertions import Template

from infra.app import build_app
from infra.stack import AntidoteStack


@dataclass
class Synthesized:
    outdir: Path
    stacks: dict[str, AntidoteStack]
    templates: dict[str, Template]

    def raw(self, stage: str) -> dict[str, Any]:
        """The template as plain JSON, for checks that walk every resource."""
        return dict(self.templates[stage].to_json())

    def resources(self, stage: str, type_: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.raw(stage)["Resources"].items() if v["Type"] == type_}


# A stage that names scan sources, as an operator would in cdk.json; dev and prod name none.
SCANNING_STAGE = "scanning"
SCANNING_CONTEXT: dict[str, Any] = {
    "antidote:stages": {
        SCANNING_STAGE: {
            "scan_rate_minutes": 15,
            "sources": [
                {"name": "news", "connector": "rss", "every_minutes": 5, "query": {"feeds": ["https://n.example/f"]}},
                {
                    "name": "rss-feed",
                    "connector": "reddit",
                    "every_minutes": 30,
                    "secret": "antidote/scanning/reddit",
                    "query": {"subreddits": ["HealthMyths"]},
                },
            ],
        }
    }
}


def _synthesize(outdir: Path, context: dict[str, Any] | None = None) -> Synthesized:
    app, stacks = build_app(outdir=str(outdir), context=context)
    try:
        app.synth()
    except RuntimeError as exc:  # cdk-nag (a policy-validation plugin) stops synthesis on any violation
        report = outdir / "validation-report.json"
        violations = []
        if report.exists():
            for plugin in json.loads(report.read_text("utf-8"))["pluginReports"]:
                for v in plugin["violations"]:
                    paths = ", ".join(c["constructPath"] for c in v["violatingConstructs"])
                    violations.append(f"{v['severity']} {v['ruleName']}: {paths}")
        pytest.fail("synthesis failed: " + str(exc) + "\n" + "\n".join(violations))
    return Synthesized(
        outdir=outdir,
        stacks={s.config.name: s for s in stacks},
        templates={s.config.name: Template.from_stack(s) for s in stacks},
    )


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The app as cdk.json defines it: dev and prod."""
    return _synthesize(tmp_path_factory.mktemp("infra") / "cdk.out")


@pytest.fixture(scope="session")
def scanning(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    """The app with only ``SCANNING_STAGE``, which schedules two scan sources."""
    return _synthesize(tmp_path_factory.mktemp("infra-scanning") / "cdk.out", SCANNING_CONTEXT)


@pytest.fixture(params=["dev", "prod"])
def stage(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name
