"""The one logger, tracer and metrics object (Powertools); the service name comes from POWERTOOLS_SERVICE_NAME."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Antidote")


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
