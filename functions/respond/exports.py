"""CSV exports of the queue and the audit log, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from functions.shared.models import AuditEvent, ReviewItem

# A cell that starts with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection):
# post text is hostile, so such a cell is prefixed with an apostrophe and shown as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

REVIEW_COLUMNS = (
    "item_id", "status", "priority", "sla_due", "platform", "language", "topic", "claim_id", "claim_verdict",
    "stance", "action", "decision", "decision_reason", "needs_translation", "private_reply", "assignee",
    "author_handle", "post_url", "post_created_at", "post_text", "draft_text", "final_text", "reject_reason",
    "acted_by", "acted_at", "posted_url", "posted_by", "posted_at", "created_at",
)  # fmt: skip
AUDIT_COLUMNS = ("at", "item_id", "actor", "role", "action", "status_before", "status_after", "detail")


def safe_cell(value: Any) -> str:
    """The cell's text; one a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _review_row(item: ReviewItem) -> dict[str, Any]:
    return {
        **item.model_dump(include=set(REVIEW_COLUMNS)),
        "status": item.status.value,
        "stance": item.stance.value if item.stance else None,
        "action": item.action.value,
        "decision": item.decision.value if item.decision else None,
        "claim_verdict": item.claim.get("verdict"),
        "author_handle": item.post.get("author_handle"),
        "post_url": item.post.get("url"),
        "post_created_at": item.post.get("created_at"),
        "post_text": item.post.get("text"),
        "draft_text": item.draft.get("text"),
    }


def reviews_csv(items: Iterable[ReviewItem]) -> str:
    return _write(REVIEW_COLUMNS, (_review_row(item) for item in items))


def _audit_row(event: AuditEvent) -> dict[str, Any]:
    before, after = event.before or {}, event.after or {}
    changed = {k: v for k, v in after.items() if before.get(k) != v and k not in ("status", "version")}
    return {
        "at": event.at,
        "item_id": event.item_id,
        "actor": event.actor,
        "role": event.role,
        "action": event.action,
        "status_before": before.get("status"),
        "status_after": after.get("status"),
        "detail": json.dumps(changed, ensure_ascii=False, sort_keys=True) if changed else "",
    }


def audit_csv(events: Iterable[AuditEvent]) -> str:
    return _write(AUDIT_COLUMNS, (_audit_row(event) for event in events))
