"""What every connector shares: the interface, the per-run budget, and retries that honour the platform's limits.

A connector turns one source's configuration and cursor into posts in the webhook's shape (``PostIn`` as a dict)
and the next cursor. Its platform SDK is imported inside the connector, so importing a handler loads none of them.
A connector never retries by itself: each request goes through :meth:`Budget.call`, which counts it against the
run's budget, waits as long as ``Retry-After`` (or the platform's reset time) says on 429, backs off on 5xx and
network faults, and gives up when the budget's requests or time run out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any, Protocol, TypeVar

from functions.shared.models import MAX_TEXT_CHARS, IngestItemResult, ItemStatus, SourceConfig
from functions.shared.retry import backoff_seconds

T = TypeVar("T")
MAX_ATTEMPTS = 4  # one request and up to three retries
BASE_BACKOFF_SECONDS = 1.0
MAX_WAIT_SECONDS = 60.0


class ConnectorError(Exception):
    """The source cannot be scanned (bad credentials, unknown feed, quota used up): the scan fails with this."""


class BudgetExhausted(ConnectorError):
    """The run's request or time budget is used up; a connector stops paging and keeps what it has."""


@dataclass(frozen=True)
class Fault:
    """How a failed request may be retried: ``retry_after`` seconds from the platform, else backoff."""

    retryable: bool
    retry_after: float | None = None
    status: int | None = None


Classifier = Callable[[Exception], Fault | None]  # None: not a fault of the platform; re-raise as is


@dataclass
class Budget:
    """The requests and the time one scan of one source may spend (waits included)."""

    max_requests: int
    seconds: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    used: int = 0
    waited: float = 0.0
    _deadline: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._deadline = self.clock() + self.seconds

    def call(self, request: Callable[[], T], classify: Classifier) -> T:
        """Run ``request``, retrying what the platform says may be retried, within the budget."""
        for attempt in range(MAX_ATTEMPTS):
            if self.used >= self.max_requests:
                raise BudgetExhausted(f"request budget of {self.max_requests} used up")
            self.used += 1
            try:
                return request()
            except Exception as exc:
                fault = classify(exc)
                if fault is None:
                    raise
                wait = self._wait_before_retry(fault, attempt)
                if wait is None:
                    raise ConnectorError(_describe(exc, fault)) from exc
                self.sleep(wait)
                self.waited += wait
        raise ConnectorError("gave up after retries")  # pragma: no cover - the loop returns or raises

    def _wait_before_retry(self, fault: Fault, attempt: int) -> float | None:
        if not fault.retryable or attempt + 1 >= MAX_ATTEMPTS:
            return None
        backoff = backoff_seconds(attempt, BASE_BACKOFF_SECONDS)
        wait = min(fault.retry_after if fault.retry_after is not None else backoff, MAX_WAIT_SECONDS)
        if self.clock() + wait > self._deadline:
            return None
        return wait


# Credentials some SDKs put in the URLs their errors quote (YouTube's ?key=…): never into health or logs.
_SECRET_PARAMETER = re.compile(r"([?&](?:key|api_key|access_token|client_secret|token)=)[^&\s\"']+", re.IGNORECASE)


def without_secrets(message: str) -> str:
    return _SECRET_PARAMETER.sub(r"\1***", message)


def _describe(exc: Exception, fault: Fault) -> str:
    status = f"HTTP {fault.status}: " if fault.status else ""
    return without_secrets(f"{status}{type(exc).__name__}: {exc}")[:500]


def status_fault(status: int, retry_after: float | None = None) -> Fault | None:
    """The usual reading of an HTTP status: 429 and 5xx may be retried, other 4xx may not."""
    if status == 429 or status >= 500:
        return Fault(True, retry_after, status)
    if status >= 400:
        return Fault(False, None, status)
    return None


@dataclass
class FetchContext:
    source: SourceConfig
    cursor: dict[str, Any]
    credentials: Mapping[str, str]
    budget: Budget


@dataclass
class FetchResult:
    """What one scan fetched: posts in the webhook's shape, items it could not map (with why), the next cursor."""

    posts: list[dict[str, Any]]
    cursor: dict[str, Any]
    rejected: list[IngestItemResult] = field(default_factory=list)
    stopped_early: str | None = None  # why paging stopped before the end (the budget), if it did


class Connector(Protocol):
    def fetch(self, context: FetchContext) -> FetchResult: ...


def rejected_item(platform: str, post_id: Any, reason: str) -> IngestItemResult:
    """An item the connector could not map to a post: reported with its reason, the rest of the scan goes on."""
    return IngestItemResult(
        platform=platform, post_id=None if post_id is None else str(post_id), status=ItemStatus.REJECTED, reason=reason
    )


def iso(moment: datetime | str | float | None) -> str | None:
    """A timestamp in the webhook's ISO 8601 form (UTC for epoch seconds)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, int | float):
        return datetime.fromtimestamp(moment, UTC).isoformat()
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
    return str(moment)


def whole(value: Any) -> int:
    """A count the platform reported, or 0 when it reported none; never negative."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def first_language(languages: Any) -> str | None:
    """The first two-letter language code in what the platform says (``en``, ``en-GB``, ``["pt-BR"]``)."""
    values = languages if isinstance(languages, list | tuple) else [languages]
    for value in values:
        if isinstance(value, str) and len(value) >= 2 and value[:2].isalpha() and (len(value) == 2 or value[2] in "-_"):
            return value[:2].lower()
    return None


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; block elements and <br> become line breaks."""

    BREAKS = frozenset({"br", "p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    """The text of an HTML fragment (Mastodon statuses, feed summaries), never its markup."""
    if not fragment:
        return ""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
