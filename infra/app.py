"""The CDK app: one stack per stage. ``uv run python infra/app.py`` or, from infra/, ``npx cdk synth``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

INFRA_DIR = Path(__file__).resolve().parent
if str(INFRA_DIR.parent) not in sys.path:  # run as a script (`python infra/app.py`, or `python app.py` by the CLI)
    sys.path.insert(0, str(INFRA_DIR.parent))

# jsii's Node runtime prints a large banner on Node versions it no longer supports; the app works the same.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")

import aws_cdk as cdk  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.config import ConfigError, stages_from_context  # noqa: E402
from infra.stack import AntidoteStack  # noqa: E402

CDK_JSON = INFRA_DIR / "cdk.json"


def default_context() -> dict[str, Any]:
    """cdk.json's context, which the CDK CLI would pass; the CLI's own values (-c) still win over these."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text("utf-8")).get("context", {})
    return context


def build_app(outdir: str | None = None, context: dict[str, Any] | None = None) -> tuple[cdk.App, list[AntidoteStack]]:
    """The app with every selected stage and cdk-nag's AWS Solutions checks, not yet synthesized."""
    app = cdk.App(outdir=outdir, context={**default_context(), **(context or {})})
    configs = stages_from_context(app.node.try_get_context("antidote:stages"), app.node.try_get_context("stage"))
    stacks = [AntidoteStack(app, config) for config in configs]
    cdk.Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )
    return app, stacks


def main() -> None:
    # Run by the CDK CLI, CDK_OUTDIR says where; run directly, write ./cdk.out (CDK would pick a temporary folder).
    outdir = None if os.environ.get("CDK_OUTDIR") else "cdk.out"
    try:
        app, _ = build_app(outdir=outdir)
        app.synth()
    except ConfigError as exc:
        sys.stderr.write(f"bad stage configuration: {exc}\n")
        sys.exit(2)
    except RuntimeError as exc:  # a cdk-nag finding (validation plugin) or a construct error: say it, exit 1
        sys.stderr.write(f"synthesis failed: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
