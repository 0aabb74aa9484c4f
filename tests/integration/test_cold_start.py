"""What a Lambda really loads at cold start, and that a deployed function without its configuration fails
at import naming what is missing: each checked by importing the handler in a fresh Python process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from functions.shared.settings import PROJECT_ROOT

HANDLERS = ("ingest", "match", "respond", "alerts")
BUILD_ONLY = ("aws_cdk", "yaml", "rapidfuzz", "sklearn")


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ANTIDOTE_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=clean | {"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


LOADED = "import sys, json, importlib; importlib.import_module({module!r}); print(json.dumps(sorted(sys.modules)))"


@pytest.mark.parametrize("function", HANDLERS)
def test_a_cold_start_loads_no_build_time_package(function: str) -> None:
    result = run_python(LOADED.format(module=f"functions.{function}.handler"))
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    heavy = {m for m in loaded if m.split(".")[0] in BUILD_ONLY}
    assert not heavy, f"{function} loads {sorted(heavy)} at import"


def test_the_review_api_does_not_load_the_matching_engine() -> None:
    result = run_python(LOADED.format(module="functions.respond.handler"))
    assert result.returncode == 0, result.stderr
    loaded = {m.split(".")[0] for m in json.loads(result.stdout)}
    assert not loaded & {"faiss", "bm25s", "Stemmer", "torch", "sentence_transformers", "transformers"}
    assert "functions.match" not in json.loads(result.stdout)


# What the match function's first claim check does not need, kept out of its import (issue 11, cold start): the X-Ray
# SDK (Powertools' Tracer loads it even when tracing is off), PyJWT with cryptography (educator tokens only) and
# wordninja's word list (loaded by the first all-lower-case hashtag), and scipy's sparse matrices (bm25s imports them
# only to build an index; scipy is in the image for the respond function's clustering).
DEFERRED = {"aws_xray_sdk", "jwt", "cryptography", "wordninja"}


def test_the_match_handler_import_leaves_out_what_a_claim_check_does_not_need() -> None:
    result = run_python(LOADED.format(module="functions.match.handler"))
    assert result.returncode == 0, result.stderr
    loaded = {m.split(".")[0] for m in json.loads(result.stdout)}
    assert not loaded & DEFERRED, f"the match handler loads {sorted(loaded & DEFERRED)} at import"
    assert "functions.match.engine.normalise" in json.loads(result.stdout)  # the module that defers wordninja
    assert "scipy.sparse" not in json.loads(result.stdout)


def test_in_lambda_with_tracing_on_the_handlers_trace_with_powertools() -> None:
    code = (
        "import json, sys; from functions.match import handler; from functions.shared.observability import tracer; "
        "print(json.dumps([type(tracer).__name__, 'aws_xray_sdk' in sys.modules]))"
    )
    lambda_env = {"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "false", "AWS_REGION": "eu-west-1"}
    result = run_python(code, **lambda_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["Tracer", True]


# The scan connectors' platform SDKs load only when a scan runs its connector, never with a handler.
SCAN_SDKS = {"feedparser", "mastodon", "atproto", "atproto_client", "praw", "prawcore", "googleapiclient", "httpx"}


@pytest.mark.parametrize("function", HANDLERS)
def test_a_cold_start_loads_no_scan_connector(function: str) -> None:
    result = run_python(LOADED.format(module=f"functions.{function}.handler"))
    assert result.returncode == 0, result.stderr
    loaded = {m.split(".")[0] for m in json.loads(result.stdout)}
    assert not loaded & SCAN_SDKS, f"{function} loads {sorted(loaded & SCAN_SDKS)} at import"
    connectors = {f"functions.ingest.connectors.{name}" for name in ("rss", "mastodon", "bluesky", "reddit", "youtube")}
    assert not connectors & set(json.loads(result.stdout))


DEPLOYED_TABLES = [
    "POSTS",
    "MATCHES",
    "REVIEWS",
    "AUDIT",
    "API_KEYS",
    "COUNTERS",
    "IDEMPOTENCY",
    "SOURCES",
    "UNMATCHED",
    "VOIDS",
    "PARTNER_QUERIES",
    "DELIVERIES",
    "ALERTS",
]
DEPLOYED = {
    "ANTIDOTE_STAGE": "prod",
    "ANTIDOTE_AUTH_MODE": "cognito",
    **{f"ANTIDOTE_{name}_TABLE": f"antidote-prod-{name.lower()}" for name in DEPLOYED_TABLES},
    "ANTIDOTE_POSTS_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/posts",
    "ANTIDOTE_MATCHES_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/matches",
}


@pytest.mark.parametrize(
    ("function", "missing"),
    [
        ("ingest", "ANTIDOTE_POSTS_QUEUE_URL"),
        ("ingest", "ANTIDOTE_POSTS_TABLE"),
        ("match", "ANTIDOTE_MATCHES_QUEUE_URL"),
        ("match", "ANTIDOTE_COUNTERS_TABLE"),
        ("respond", "ANTIDOTE_REVIEWS_TABLE"),
        ("respond", "ANTIDOTE_AUDIT_TABLE"),
        ("match", "ANTIDOTE_UNMATCHED_TABLE"),
        ("respond", "ANTIDOTE_VOIDS_TABLE"),
    ],
)
def test_a_deployed_function_without_its_configuration_fails_at_import_naming_it(function: str, missing: str) -> None:
    env = {k: v for k, v in DEPLOYED.items() if k != missing}
    result = run_python(f"import functions.{function}.handler", **env)
    assert result.returncode != 0
    assert "MissingSetting" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize("function", HANDLERS)
def test_a_fully_configured_deployed_function_imports(function: str) -> None:
    result = run_python(f"import functions.{function}.handler", **DEPLOYED)
    assert result.returncode == 0, result.stderr


def test_dev_tokens_are_refused_outside_the_local_stage() -> None:
    result = run_python("import functions.respond.handler", **(DEPLOYED | {"ANTIDOTE_AUTH_MODE": "dev"}))
    assert result.returncode != 0
    assert "ANTIDOTE_AUTH_MODE must be 'cognito'" in result.stderr
