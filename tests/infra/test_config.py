"""Stage configuration from CDK context: checked before any construct exists, every mistake named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.config import ConfigError, StageConfig, stages_from_context

NEWS: dict[str, Any] = {"name": "news", "connector": "rss", "query": {"feeds": ["https://n.example/f"]}}

CDK_JSON = Path(__file__).resolve().parents[2] / "infra" / "cdk.json"


def stages() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CDK_JSON.read_text("utf-8"))["context"]["antidote:stages"]
    return data


def test_cdk_json_defines_dev_and_prod() -> None:
    configs = {c.name: c for c in stages_from_context(stages())}
    assert set(configs) == {"dev", "prod"}
    assert configs["prod"].stack_name == "Antidote-prod"
    assert configs["prod"].protect_data
    assert not configs["dev"].protect_data
    assert configs["prod"].scan_rate_minutes == 5


@pytest.mark.parametrize(("selected", "names"), [(None, ["dev", "prod"]), ("all", ["dev", "prod"]),
                                                 ("prod", ["prod"]), ("dev,prod", ["dev", "prod"])])  # fmt: skip
def test_stage_selection(selected: str | None, names: list[str]) -> None:
    assert [c.name for c in stages_from_context(stages(), selected)] == names


def test_no_stage_scans_unless_configured_to() -> None:
    """Scans ingest whatever their source returns: a stage schedules only sources its own entry names."""
    assert StageConfig(name="any").sources == ()
    assert all(c.sources == () for c in stages_from_context(stages()))
    configured = StageConfig.from_mapping("dev", {"sources": [NEWS]})
    assert [(s.name, s.connector, s.query.feeds) for s in configured.sources] == [
        ("news", "rss", ("https://n.example/f",))
    ]


def test_unknown_stage_is_named() -> None:
    with pytest.raises(ConfigError, match=r"unknown stage.*staging"):
        stages_from_context(stages(), "staging")


def test_missing_stages_context() -> None:
    with pytest.raises(ConfigError, match="antidote:stages"):
        stages_from_context(None)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"memory": 1024}, "unknown setting.*memory"),
        ({"match_memory_mb": "big"}, "match_memory_mb must be a whole number"),
        ({"protect_data": "yes"}, "protect_data must be true or false"),
        ({"match_memory_mb": 20_000}, "match_memory_mb must be between 128 and 10240"),
        ({"log_retention_days": 10}, "log_retention_days must be one of"),
        ({"architecture": "sparc"}, "architecture must be x86_64 or arm64"),
        ({"match_reserved_concurrency": 4, "match_queue_max_concurrency": 5}, "match_queue_max_concurrency"),
        ({"posts_batch_size": 64, "posts_batching_window_seconds": 0}, "needs posts_batching_window_seconds"),
        ({"waf_body_limit_kb": 100}, "waf_body_limit_kb must be one of"),
        ({"max_body_kb": 8000}, "max_body_kb must be between"),
        ({"sources": [NEWS, NEWS]}, "must not repeat"),
        ({"sources": [{**NEWS, "connector": "demo"}]}, "demo feed is local only"),
        ({"sources": [{**NEWS, "every_minutes": 0}]}, r"sources must be a list of sources \(source 0: every_minutes"),
        ({"sla_check_rate_minutes": 0}, "sla_check_rate_minutes must be between 1 and 60"),
        ({"sources": "news"}, "sources must be a list"),
        ({"sources": [{**NEWS, "name": "News Feed"}]}, r"source 0: name"),
        ({"sources": [{**NEWS, "api_key": "AIza…"}]}, r"source 0: api_key: Extra inputs"),  # credentials never here
        ({"api_5xx_rate_threshold": 5}, "share of requests"),
        ({"alarm_email": "ops"}, "alarm_email must be an e-mail address"),
        ({"cognito_domain_prefix": "Antidote"}, "cognito_domain_prefix must be"),
        ({"cognito_domain_prefix": "antidote-"}, "cognito_domain_prefix must be"),
        ({"cognito_domain_prefix": "my-aws-antidote"}, "must not contain 'aws'"),
        ({"cognito_domain_prefix": "x" * 64}, "cognito_domain_prefix must be"),
    ],
)
def test_bad_settings_are_rejected_by_name(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        StageConfig.from_mapping("dev", values)


def test_bad_stage_name() -> None:
    with pytest.raises(ConfigError, match="name must be"):
        StageConfig(name="Prod_1")


def test_numbers_accept_json_integers_for_floats() -> None:
    assert StageConfig.from_mapping("dev", {"api_5xx_rate_threshold": 1e-2}).api_5xx_rate_threshold == 0.01
    sources = [{**NEWS, "name": "a"}, {**NEWS, "name": "b-c"}]
    assert [s.name for s in StageConfig.from_mapping("dev", {"sources": sources}).sources] == ["a", "b-c"]
