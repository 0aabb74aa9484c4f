"""Stage configuration: what differs between dev and prod, read from CDK context, checked before any construct exists.

Plain Python (no CDK import) so it is cheap to test. The values live in ``infra/cdk.json`` under
``antidote:stages``; ``cdk synth -c stage=prod`` picks one stage, and ``-c 'antidote:stages={...}'`` (or editing
cdk.json) changes a value. Unknown keys are an error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import ValidationError

from functions.ingest.connectors import BUILT_IN as PLATFORM_CONNECTORS
from functions.shared.models import SourceConfig

Architecture = Literal["x86_64", "arm64"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922)
# WAF can inspect this much of a request body sent to API Gateway (16 KB is free; more costs extra per request).
WAF_BODY_LIMITS_KB = (16, 32, 48, 64)
STAGE_NAME = re.compile(r"^[a-z][a-z0-9]{1,11}$")
# Cognito's rules for a hosted UI domain prefix.
COGNITO_DOMAIN_PREFIX = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
COGNITO_RESERVED_WORDS = ("aws", "amazon", "cognito")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


class ConfigError(ValueError):
    """The stage configuration in CDK context is wrong; the message names the stage and the field."""


@dataclass(frozen=True)
class StageConfig:
    """Everything the stack needs to know about one stage. Defaults are the dev values; cdk.json holds the rest."""

    name: str
    account: str | None = None  # None: CDK_DEFAULT_ACCOUNT of whoever deploys
    region: str | None = None  # None: CDK_DEFAULT_REGION of whoever deploys
    # x86_64: the benchmarks (memory, per-post time) were measured on x86_64 and the image builds natively on
    # x86 laptops and CI; arm64 (Graviton) is 20 % cheaper per GB-second but needs an emulated or arm build host.
    architecture: Architecture = "x86_64"
    log_level: LogLevel = "INFO"
    log_retention_days: int = 14
    # Data tables and the user pool are always retained when the stack is deleted; this adds deletion protection.
    protect_data: bool = False
    # Memory (MB), from the measurements in docs/deploy.md. Lambda gives CPU in proportion to memory (one vCPU at
    # 1769 MB). match peaks at 327 MB with the ONNX runtime, so its memory buys CPU: one vCPU, one thread (75 posts/s
    # measured on a loaded machine; with torch, one vCPU cost less per post than two). ingest and respond peak under
    # 150 MB: 1024 MB buys CPU for short cold starts, not memory.
    ingest_memory_mb: int = 1024
    match_memory_mb: int = 1769
    respond_memory_mb: int = 1024
    alerts_memory_mb: int = 512  # the hourly detector: a week of counters and a few requests
    match_reserved_concurrency: int = 5
    # SQS pollers may use at most this many match instances; the rest of the reserved concurrency serves partners.
    match_queue_max_concurrency: int = 3
    posts_batch_size: int = 64
    posts_batching_window_seconds: int = 5
    matches_batch_size: int = 10
    matches_batching_window_seconds: int = 2
    max_receive_count: int = 5
    # API Gateway stage-wide throttle (requests per second, burst).
    api_rate_limit: int = 50
    api_burst_limit: int = 100
    # Usage plans: partners (claim checks) and the ingest webhook, each with its own keys.
    partner_rate_limit: int = 10
    partner_burst_limit: int = 20
    partner_daily_quota: int = 10_000
    ingest_rate_limit: int = 20
    ingest_burst_limit: int = 40
    ingest_daily_quota: int = 50_000
    # Request size limits. The functions refuse bodies over max_body_kb (their ANTIDOTE_MAX_BODY_BYTES: 100 posts
    # or 50 texts of up to 10,000 characters need about 2 MB; Lambda takes at most 6 MB). WAF, which can read only
    # the first 64 KB of a body, blocks anything larger than waf_body_limit_kb before it reaches a function, on
    # every route except the two API-key routes that carry batches (POST /v1/posts, POST /v1/claims:check).
    max_body_kb: int = 2048
    waf_body_limit_kb: int = 64
    # Requests per 5 minutes from one IP address before WAF blocks it.
    waf_rate_limit_per_ip: int = 2_000
    # The shortest interval between two scans of one source in this stage (a source asking for less is scanned at
    # this rate), and how long a scheduled scan event may wait for delivery.
    scan_rate_minutes: int = 60
    # The scan sources (functions.shared.models.SourceConfig: name, connector, query, languages, regions,
    # every_minutes, secret); each gets its own schedule and the ingest function may read its secret. None by
    # default: a deployed stage scans only what its cdk.json entry names, and never the demo feed (local only).
    sources: tuple[SourceConfig, ...] = ()
    scans_enabled: bool = True
    # How often the respond function counts review items past their SLA (ReviewItemsPastSla), so the SLA alarm sees
    # items ageing in a quiet queue too, not only when a new match arrives.
    sla_check_rate_minutes: int = 5
    # How often the respond function clusters the kept health posts into information voids (docs/voids.md).
    voids_rate_minutes: int = 60
    # How often the match function compares the index's claims with the set last notified, and tells partners
    # about new claims that match their kept queries (functions/match/notify.py).
    partner_notify_rate_minutes: int = 60
    api_5xx_rate_threshold: float = 0.01
    alarm_email: str | None = None
    # Alerts (functions/alerts): who the SNS alert topic notifies (e-mail addresses, SMS numbers in E.164), the
    # signed webhook (its URL, and the Secrets Manager secret, by name, holding the signing secret; the operator
    # creates the secret), and the detector's knobs (ANTIDOTE_ALERT_*; README "Alerts").
    alert_emails: tuple[str, ...] = ()
    alert_sms_numbers: tuple[str, ...] = ()
    alert_webhook_url: str | None = None
    alert_webhook_secret_name: str = "antidote/alerts-webhook"
    alert_sensitivity: float = 0.001
    alert_min_count: int = 5
    alert_cooldown_hours: int = 6
    # Prefix of the Cognito hosted UI domain (https://PREFIX.auth.REGION.amazoncognito.com), unique per region across
    # all AWS accounts. None: "antidote-<stage>-<account id>", unique as long as one account deploys a stage once.
    cognito_domain_prefix: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def stack_name(self) -> str:
        return f"Antidote-{self.name}"

    def __post_init__(self) -> None:
        problems = [problem for check in CHECKS for problem in check(self)]
        if problems:
            raise ConfigError(f"stage {self.name!r}: " + "; ".join(problems))

    @classmethod
    def from_mapping(cls, name: str, values: Mapping[str, Any]) -> StageConfig:
        """Build one stage from its context object, rejecting unknown keys and wrong types by name."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(known) - {"name"})
        if unknown:
            raise ConfigError(f"stage {name!r}: unknown setting(s) {', '.join(unknown)}")
        kwargs = {key: _parse(name, key, value, known[key].default) for key, value in values.items() if key != "name"}
        return cls(name=name, **kwargs)


# ------------------------------------------------------------------------------------------------ validators
# Each validator checks one group of settings and yields a sentence per problem; StageConfig reports them all
# at once, so one synth run names every mistake in a stage.

Problems = Iterator[str]


def _between(config: StageConfig, name: str, low: float, high: float) -> Problems:
    if not low <= getattr(config, name) <= high:
        yield f"{name} must be between {low} and {high}"


def _at_least_one(config: StageConfig, *names: str) -> Problems:
    for name in names:
        if getattr(config, name) < 1:
            yield f"{name} must be at least 1"


def _check_identity(config: StageConfig) -> Problems:
    """Stage name, architecture, log level and log retention."""
    if not STAGE_NAME.match(config.name):
        yield "name must be 2-12 lower-case letters or digits, starting with a letter"
    if config.architecture not in get_args(Architecture):
        yield "architecture must be x86_64 or arm64"
    if config.log_level not in get_args(LogLevel):
        yield "log_level must be DEBUG, INFO, WARNING or ERROR"
    if config.log_retention_days not in LOG_RETENTION_DAYS:
        yield f"log_retention_days must be one of {LOG_RETENTION_DAYS}"


def _check_functions(config: StageConfig) -> Problems:
    """Memory sizes (Lambda's range) and how match's reserved concurrency is split between pollers and partners."""
    for name in ("ingest_memory_mb", "match_memory_mb", "respond_memory_mb", "alerts_memory_mb"):
        yield from _between(config, name, 128, 10_240)
    if config.match_reserved_concurrency < 2:
        yield "match_reserved_concurrency must be at least 2"
    if not 2 <= config.match_queue_max_concurrency <= config.match_reserved_concurrency:
        yield "match_queue_max_concurrency must be between 2 and match_reserved_concurrency"


def _check_queues(config: StageConfig) -> Problems:
    """Batch sizes and batching windows of the two event sources (SQS's limits), and the redrive count."""
    if not 1 <= config.posts_batch_size <= 10_000 or not 1 <= config.matches_batch_size <= 10_000:
        yield "batch sizes must be between 1 and 10000"
    for label, size, window in (
        ("posts", config.posts_batch_size, config.posts_batching_window_seconds),
        ("matches", config.matches_batch_size, config.matches_batching_window_seconds),
    ):
        if not 0 <= window <= 300:
            yield f"{label}_batching_window_seconds must be between 0 and 300"
        if size > 10 and window < 1:  # SQS allows batches above 10 only with a batching window
            yield f"{label}_batch_size above 10 needs {label}_batching_window_seconds of at least 1"
    yield from _between(config, "max_receive_count", 1, 1000)


def _check_api_limits(config: StageConfig) -> Problems:
    """Stage-wide and partner throttles, daily quotas, and the body-size and per-IP limits of WAF."""
    yield from _at_least_one(config, "api_rate_limit", "api_burst_limit", "partner_rate_limit", "partner_burst_limit")
    if config.partner_daily_quota < 1 or config.ingest_daily_quota < 1:
        yield "daily quotas must be at least 1"
    if config.waf_body_limit_kb not in WAF_BODY_LIMITS_KB:
        yield f"waf_body_limit_kb must be one of {WAF_BODY_LIMITS_KB}"
    if not config.waf_body_limit_kb <= config.max_body_kb <= 6 * 1024:
        yield "max_body_kb must be between waf_body_limit_kb and 6144 (Lambda's payload limit)"
    if not 10 <= config.waf_rate_limit_per_ip <= 2_000_000_000:
        yield "waf_rate_limit_per_ip must be at least 10"


def _check_schedules(config: StageConfig) -> Problems:
    """Scan and SLA-check rates, and the scan sources (each becomes a schedule named after it)."""
    yield from _between(config, "scan_rate_minutes", 1, 1440)
    yield from _between(config, "sla_check_rate_minutes", 1, 60)
    yield from _between(config, "voids_rate_minutes", 5, 1440)
    yield from _between(config, "partner_notify_rate_minutes", 5, 1440)
    names = [source.name for source in config.sources]
    if len(set(names)) != len(names):
        yield "sources must not repeat a name"
    for source in config.sources:
        if source.connector not in PLATFORM_CONNECTORS:
            known = ", ".join(sorted(PLATFORM_CONNECTORS))
            yield f"source {source.name!r}: connector must be one of {known} (the demo feed is local only)"


def _check_alarms(config: StageConfig) -> Problems:
    """The 5xx alarm's threshold and where alarms are e-mailed."""
    if not 0 < config.api_5xx_rate_threshold < 1:
        yield "api_5xx_rate_threshold is a share of requests, between 0 and 1"
    if config.alarm_email is not None and not EMAIL.fullmatch(config.alarm_email):
        yield "alarm_email must be an e-mail address"


def _check_alerts(config: StageConfig) -> Problems:
    """Alert destinations (e-mail, SMS in E.164, an https webhook) and the detector's knobs."""
    for email in config.alert_emails:
        if not EMAIL.fullmatch(email):
            yield f"alert_emails: {email!r} is not an e-mail address"
    for number in config.alert_sms_numbers:
        if not E164.fullmatch(number):
            yield f"alert_sms_numbers: {number!r} is not a phone number in E.164 form (+4420…)"
    if config.alert_webhook_url is not None and not config.alert_webhook_url.startswith("https://"):
        yield "alert_webhook_url must be an https URL"
    if not 0 < config.alert_sensitivity < 0.5:
        yield "alert_sensitivity is a probability, between 0 and 0.5"
    yield from _between(config, "alert_min_count", 1, 10_000)
    yield from _between(config, "alert_cooldown_hours", 0, 168)


def _check_cognito(config: StageConfig) -> Problems:
    """The hosted UI domain prefix, if one is set, against Cognito's rules."""
    prefix = config.cognito_domain_prefix
    if prefix is None:
        return
    if not COGNITO_DOMAIN_PREFIX.fullmatch(prefix) or any(word in prefix for word in COGNITO_RESERVED_WORDS):
        yield (
            "cognito_domain_prefix must be 1-63 lower-case letters, digits or '-' (not at either end) "
            "and must not contain 'aws', 'amazon' or 'cognito'"
        )


CHECKS: tuple[Callable[[StageConfig], Problems], ...] = (
    _check_identity,
    _check_functions,
    _check_queues,
    _check_api_limits,
    _check_schedules,
    _check_alarms,
    _check_alerts,
    _check_cognito,
)


# ------------------------------------------------------------------------------------------------ context values
# JSON has no tuples and mixes int and float, so each value is checked against the type its field expects.


class _WrongType(Exception):
    """A context value of the wrong JSON type; the message says what was expected."""


def _sources(value: Any) -> tuple[SourceConfig, ...]:
    if not isinstance(value, list | tuple):
        raise _WrongType("a list of sources")
    sources = []
    for position, raw in enumerate(value):
        try:
            sources.append(SourceConfig.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _WrongType(f"a list of sources (source {position}: {where}: {first['msg']})") from None
    return tuple(sources)


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _WrongType("a list of strings")
    return tuple(value)


def _tags(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _WrongType("an object of strings")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _WrongType("true or false")
    return value


def _whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _WrongType("a whole number")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _WrongType("a number")
    return float(value)


def _text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _WrongType("a string")
    return value


Parser = Callable[[Any], Any]
PARSERS_BY_KEY: dict[str, Parser] = {
    "sources": _sources,
    "tags": _tags,
    "alert_emails": _strings,
    "alert_sms_numbers": _strings,
}
# bool before int: True is an int to isinstance
PARSERS_BY_DEFAULT: tuple[tuple[type, Parser], ...] = ((bool, _boolean), (int, _whole_number), (float, _number))


def _parser(key: str, default: Any) -> Parser:
    """How to read one setting: by its name where the default says too little, else by its default's type."""
    if key in PARSERS_BY_KEY:
        return PARSERS_BY_KEY[key]
    return next((parser for kind, parser in PARSERS_BY_DEFAULT if isinstance(default, kind)), _text)


def _parse(stage: str, key: str, value: Any, default: Any) -> Any:
    """One context value, type-checked against its field."""
    try:
        return _parser(key, default)(value)
    except _WrongType as exc:
        raise ConfigError(f"stage {stage!r}: {key} must be {exc}") from None


def stages_from_context(stages: Any, selected: Any = None) -> list[StageConfig]:
    """All stages in ``antidote:stages`` (or only ``selected``, a name or comma-separated names)."""
    if not isinstance(stages, dict) or not stages:
        raise ConfigError("context 'antidote:stages' must be an object with one entry per stage (see infra/cdk.json)")
    configs = [StageConfig.from_mapping(name, values or {}) for name, values in stages.items()]
    if selected in (None, "", "all"):
        return configs
    wanted = [s.strip() for s in str(selected).split(",") if s.strip()]
    missing = [w for w in wanted if w not in stages]
    if missing:
        raise ConfigError(f"unknown stage(s) {', '.join(missing)}; defined: {', '.join(stages)}")
    return [c for c in configs if c.name in wanted]
