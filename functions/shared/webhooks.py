"""Signed webhook delivery: the one way Antidote calls a URL someone registered (partner notifications, alerts).

Interface (kept small and stable; plain Python, no AWS imports)::

    sender = WebhookSender(log, rule=UrlRule.for_stage(settings.is_local))   # log: DeliveryStore or any DeliveryLog
    result = sender.send(Destination(url, secret, owner="key#k_123"), "partner.claim_added", payload, delivery_id)
    result.delivered, result.attempts, result.status, result.error

    check_url(url, rule)                  # raises UnsafeUrl: call it when a URL is registered, too
    sign(secret, timestamp, body) -> str  # the signature header's value
    verify(secret, header, body, now)     # what a receiver does (tests use it; partners port it)

What a receiver gets — one ``POST`` with a JSON body ``{"id", "type", "created_at", "data"}`` and the headers:

- ``Antidote-Event``: the event type (``partner.claim_added``, ``alert.spike`` …);
- ``Antidote-Delivery``: the delivery id, the same on every retry — receivers de-duplicate on it;
- ``Antidote-Signature: t=<unix seconds>,v1=<hex>``, where ``<hex>`` is HMAC-SHA256 keyed with the destination's
  secret over ``"<t>." + raw body`` (the scheme Stripe uses). A receiver recomputes it over the raw bytes it read,
  compares in constant time, and refuses a ``t`` more than five minutes from its clock (a replayed request). Each
  attempt is signed afresh, so a retry an hour later still verifies.

Delivery: at most ``DeliveryPolicy.max_attempts`` attempts; a network error, a timeout, 5xx or 429 is retried after
exponential backoff with jitter, or after ``Retry-After`` when the receiver sent one; any other status (3xx
included: redirects are not followed) ends the delivery at once. Every attempt — host, status or error, duration,
attempt number — goes to the delivery log before the next one starts. Connect and read times are bounded, the
response body is never read, and the whole delivery gives up rather than wait past ``DeliveryPolicy.budget_seconds``.

SSRF: a URL must be ``https`` and resolve only to public addresses, except in the local stage (``http`` and
127.0.0.1 allowed, for local receivers). The address checked is the one connected to (the request goes to that IP
with the name as Host and TLS server name), so a DNS answer that changes between check and connect cannot
redirect it to an internal address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

from functions.shared.retry import backoff_seconds, retry_after_seconds

EVENT_HEADER = "Antidote-Event"
DELIVERY_HEADER = "Antidote-Delivery"
SIGNATURE_HEADER = "Antidote-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
USER_AGENT = "Antidote-Webhooks/1"


class UnsafeUrl(ValueError):
    """A webhook URL Antidote refuses to call (scheme, credentials, or an address that is not public)."""


class Unresolvable(UnsafeUrl):
    """The host name did not resolve (perhaps only for now: a delivery retries it)."""


class TransportError(Exception):
    """The request did not get an HTTP answer: refused, reset, timed out, TLS failed."""


@dataclass(frozen=True)
class Destination:
    url: str
    secret: str
    owner: str  # who registered it, for the delivery log: "key#<key_id>", "alerts#<name>"


@dataclass(frozen=True)
class UrlRule:
    require_https: bool
    allow_private: bool

    @classmethod
    def for_stage(cls, local: bool) -> UrlRule:
        """Deployed: https to public addresses only. Local: anything, so tests and demos can use 127.0.0.1."""
        return cls(require_https=not local, allow_private=local)


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int = 5
    base_backoff_seconds: float = 1.0
    max_wait_seconds: float = 60.0  # a longer Retry-After ends the delivery (the caller may try again later)
    budget_seconds: float = 120.0  # attempts and waits together
    connect_timeout_seconds: float = 3.0
    read_timeout_seconds: float = 10.0


class DeliveryAttempt(BaseModel):
    """One attempt as the delivery log keeps it: never the body or the secret, only where and how it went."""

    model_config = ConfigDict(frozen=True)

    delivery_id: str
    attempt: int  # 1-based
    event: str
    owner: str
    host: str
    status: int | None  # None: no HTTP answer (see error)
    error: str | None
    duration_ms: int
    at: datetime


@dataclass(frozen=True)
class DeliveryResult:
    delivery_id: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None


@dataclass(frozen=True)
class Outgoing:
    """A request pinned to a checked address: ``url`` names the IP; ``host`` (the Host header) and ``server_name``
    (TLS SNI and certificate check) name the host the URL gave."""

    url: str
    host: str
    server_name: str
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    def post(self, request: Outgoing, policy: DeliveryPolicy) -> Answer: ...


class DeliveryLog(Protocol):
    def record_attempt(self, attempt: DeliveryAttempt) -> None: ...


Resolver = Callable[[str, int], list[str]]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float, tolerance: float = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """What a receiver does with ``Antidote-Signature``: recompute, compare in constant time, refuse stale times."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    timestamps = fields.get("t", [])
    if len(timestamps) != 1 or not timestamps[0].isdigit() or abs(now - int(timestamps[0])) > tolerance:
        return False
    expected = sign(secret, int(timestamps[0]), body).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))


def new_delivery_id() -> str:
    return f"dlv_{uuid.uuid4().hex}"


def resolve(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, rule: UrlRule, resolver: Resolver = resolve) -> str:
    """The address to connect to for ``url``, or :class:`UnsafeUrl` saying why it is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl(f"not a URL: {exc}") from exc
    allowed = {"https"} if rule.require_https else {"https", "http"}
    if parts.scheme not in allowed:
        raise UnsafeUrl(f"the URL must use {' or '.join(sorted(allowed))}")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeUrl("the URL needs a host and no credentials")
    try:
        addresses = resolver(parts.hostname, port)
    except (OSError, UnicodeError) as exc:
        raise Unresolvable(f"cannot resolve {parts.hostname}") from exc
    if not addresses:
        raise Unresolvable(f"cannot resolve {parts.hostname}")
    if not rule.allow_private and not all(_public(a) for a in addresses):
        raise UnsafeUrl(f"{parts.hostname} resolves to an address that is not public")
    return addresses[0]


def _pinned(url: str, address: str, headers: Mapping[str, str], body: bytes) -> Outgoing:
    """The request for ``url`` sent to the checked ``address``, still naming the URL's host."""
    parts = urlsplit(url)
    ip = f"[{address}]" if ":" in address else address
    netloc = ip if parts.port is None else f"{ip}:{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return Outgoing(pinned, parts.netloc, parts.hostname or "", headers, body)


class HttpxTransport:
    """httpx, bounded: connect/read timeouts, no redirects, the body never read, TLS checked against the name."""

    def post(self, request: Outgoing, policy: DeliveryPolicy) -> Answer:
        import httpx

        timeout = httpx.Timeout(policy.read_timeout_seconds, connect=policy.connect_timeout_seconds)
        try:
            with (
                httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
                client.stream(
                    "POST",
                    request.url,
                    content=request.body,
                    headers={**request.headers, "Host": request.host},
                    extensions={"sni_hostname": request.server_name},
                ) as response,
            ):
                return Answer(response.status_code, response.headers.get("retry-after"))
        except httpx.TransportError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}"[:300]) from exc


class WebhookSender:
    """Delivers one event to one destination, signed, retried as the policy says, every attempt logged."""

    def __init__(
        self,
        log: DeliveryLog,
        *,
        rule: UrlRule,
        transport: Transport | None = None,
        policy: DeliveryPolicy | None = None,
        resolver: Resolver = resolve,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._log = log
        self._rule = rule
        self._transport = transport or HttpxTransport()
        self._policy = policy or DeliveryPolicy()
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock

    def send(
        self, destination: Destination, event: str, payload: Mapping[str, Any], delivery_id: str
    ) -> DeliveryResult:
        body = _envelope(delivery_id, event, payload, self._wall_clock())
        deadline = self._clock() + self._policy.budget_seconds
        last = DeliveryResult(delivery_id, False, 0, None, "not attempted")
        for attempt in range(1, self._policy.max_attempts + 1):
            answer, error = self._attempt(destination, event, body, delivery_id, attempt)
            status = answer.status if answer else None
            last = DeliveryResult(delivery_id, status is not None and 200 <= status < 300, attempt, status, error)
            if last.delivered or not _retryable(answer, error):
                return last
            wait = self._wait_before(attempt, answer)
            if wait is None or attempt == self._policy.max_attempts or self._clock() + wait > deadline:
                return last
            self._sleep(wait)
        return last

    def _attempt(
        self, destination: Destination, event: str, body: bytes, delivery_id: str, attempt: int
    ) -> tuple[Answer | None, str | None]:
        started = self._clock()
        host = urlsplit(destination.url).hostname or "?"
        answer: Answer | None = None
        error: str | None = None
        try:
            address = check_url(destination.url, self._rule, self._resolver)
            headers = {
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                EVENT_HEADER: event,
                DELIVERY_HEADER: delivery_id,
                SIGNATURE_HEADER: sign(destination.secret, int(self._wall_clock()), body),
            }
            answer = self._transport.post(_pinned(destination.url, address, headers, body), self._policy)
        except (UnsafeUrl, TransportError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        self._log.record_attempt(
            DeliveryAttempt(
                delivery_id=delivery_id,
                attempt=attempt,
                event=event,
                owner=destination.owner,
                host=host,
                status=answer.status if answer else None,
                error=error,
                duration_ms=round((self._clock() - started) * 1000),
                at=datetime.fromtimestamp(self._wall_clock(), UTC),
            )
        )
        return answer, error

    def _wait_before(self, attempt: int, answer: Answer | None) -> float | None:
        asked = retry_after_seconds(answer.retry_after) if answer else None
        if asked is not None:
            return asked if asked <= self._policy.max_wait_seconds else None
        return min(backoff_seconds(attempt - 1, self._policy.base_backoff_seconds), self._policy.max_wait_seconds)


def _retryable(answer: Answer | None, error: str | None) -> bool:
    if answer is None:
        # a network fault or a name that did not resolve may pass; a refused URL stays refused
        return error is not None and error.startswith(("TransportError", "Unresolvable"))
    return answer.status == 429 or answer.status >= 500


def _envelope(delivery_id: str, event: str, payload: Mapping[str, Any], now: float) -> bytes:
    created = datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z")
    document = {"id": delivery_id, "type": event, "created_at": created, "data": dict(payload)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str).encode()
