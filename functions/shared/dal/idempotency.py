"""Powertools Idempotency's records: the one thing the local runtime must do with them itself."""

from __future__ import annotations

from functions.shared.dal.models import IdempotencyRecord

IN_PROGRESS = "INPROGRESS"


def clear_abandoned_in_progress() -> int:
    """Delete the records left in progress by invocations that died with their process or their database.

    Powertools marks a record INPROGRESS before the work and replaces it after; if the database dies in between, the
    mark stays until the invocation's time would have run out (5 minutes locally), and every retry of that message
    meanwhile fails as "already in progress", so it is parked again. In AWS the queue's visibility timeout outlasts
    the mark; locally retries come after seconds. Call only when no invocation can be running (the local runtime at
    start: one process owns the data folder). Returns how many were cleared."""
    abandoned = list(IdempotencyRecord.scan(IdempotencyRecord.status == IN_PROGRESS))
    for record in abandoned:
        record.delete()
    return len(abandoned)
