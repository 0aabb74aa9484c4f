"""The one logger, tracer and metrics object (Powertools); the service name comes from POWERTOOLS_SERVICE_NAME."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics(namespace="Antidote")

Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class DisabledTracer:
    """What the handlers use of Powertools' ``Tracer`` when tracing is off (outside Lambda, or
    ``POWERTOOLS_TRACE_DISABLED``): its decorators return the function unchanged. Powertools' own ``Tracer`` imports
    the X-Ray SDK (and botocore's session) even when disabled — about half a second of a cold start that traces
    nothing."""

    disabled = True

    def capture_method(self, method: Decorated) -> Decorated:
        return method

    def capture_lambda_handler(self, handler: Decorated) -> Decorated:
        return handler


def tracing_disabled() -> bool:
    """Powertools' own rule (outside Lambda, under SAM or Chalice local, or ``POWERTOOLS_TRACE_DISABLED``)."""
    return bool(Tracer._is_tracer_disabled())  # the decision the real Tracer takes


tracer: Tracer | DisabledTracer = DisabledTracer() if tracing_disabled() else Tracer()


def correlation_id_for(event: dict[str, Any]) -> str | None:
    """The id that ties a log line to what started it, taken from the right place for each trigger:
    an SQS batch carries the sender's id as a message attribute, a scheduled event has its own id, and an
    API request has API Gateway's request id."""
    records = event.get("Records")
    if isinstance(records, list) and records:
        return record_correlation_id(records[0]) or str(records[0].get("messageId") or "") or None
    if "detail-type" in event:
        return str(event.get("id") or "") or None
    context = event.get("requestContext")
    if isinstance(context, dict):
        return str(context.get("requestId") or "") or None
    return None


def record_correlation_id(record: dict[str, Any]) -> str | None:
    attribute = (record.get("messageAttributes") or {}).get("correlation_id") or {}
    value = attribute.get("stringValue") or attribute.get("StringValue")
    return str(value) if value else None


def start_invocation(event: dict[str, Any]) -> None:
    """Call first in every handler (after Powertools cleared the previous invocation's state)."""
    logger.set_correlation_id(correlation_id_for(event))
