"""The demo scan: the bundled sample posts delivered as one scheduled-scan event, then summarised."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from functions.shared.errors import InvalidInput
from functions.shared.models import Action, StoredMatch

DEMO_POSTS = Path(__file__).resolve().parent / "demo_posts.jsonl"
# Ingest's outcome, match's decision, the reply policy's action for flagged posts (a privacy report in its own
# column), and where the item went: the educators' queue or filed.
DECISIONS = ("match", "review", "none")
ACTIONS = ("correct", "inform", "monitor", "no reply", "privacy report")
COLUMNS = ("posts", "accepted", "duplicate", "rejected", *DECISIONS, *ACTIONS, "queued", "filed")


@dataclass
class DemoSummary:
    rows: dict[str, dict[str, int]]
    queued: int  # items in the educators' queue (pending)
    filed: int  # items filed where a filter shows them
    top_claims: list[tuple[str, int]]
    columns: tuple[str, ...] = field(default=COLUMNS)

    @property
    def review_items(self) -> int:
        return self.queued + self.filed


def load_demo_posts(path: Path | None = None) -> list[dict[str, Any]]:
    source = path or DEMO_POSTS
    try:
        return [json.loads(line) for line in source.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read demo posts {source}: {exc}") from exc


def shift_to_now(posts: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Keep the sample's relative timing but end it a few minutes ago, so priorities and SLAs look live."""
    stamps = [datetime.fromisoformat(str(p["created_at"]).replace("Z", "+00:00")) for p in posts if p.get("created_at")]
    if not stamps:
        return posts
    offset = now - timedelta(minutes=5) - max(stamps)
    shifted = []
    for post in posts:
        copy = dict(post)
        if post.get("created_at"):
            moment = datetime.fromisoformat(str(post["created_at"]).replace("Z", "+00:00")) + offset
            copy["created_at"] = moment.isoformat()
        shifted.append(copy)
    return shifted


def demo_feed() -> list[dict[str, Any]]:
    """The bundled sample as a scan source (registered by the local runtime only, never in a deployed stage)."""
    return shift_to_now(load_demo_posts(), datetime.now(UTC))


def _count_match(row: dict[str, int], match: StoredMatch, claims: Counter[str]) -> None:
    """Add one accepted post's match, its policy's action and where its item went to its kind's row."""
    row[match.decision] += 1
    top, policy = match.top_claim, match.policy
    if match.decision == "none" or top is None or policy is None:
        return
    claims[top.claim_id] += 1
    if policy.privacy_report and not policy.private_reply:
        row["privacy report"] += 1
    else:
        row["no reply" if policy.action is Action.NONE else policy.action.value] += 1
    row["queued" if policy.enters_queue else "filed"] += 1


def run_demo_scan(service: Any, posts: list[dict[str, Any]]) -> DemoSummary:
    """Feed ``posts`` through ingest → match → respond as one scan of the source ``demo``, then tally each kind of
    post."""
    from functions.ingest import sources
    from functions.local.scheduler import scan_event
    from functions.shared.dependencies import posts as post_store

    posts = shift_to_now(posts, datetime.now(UTC))
    # The demo feed is a source like any other: the scan event names it, and ingest pulls from it through the
    # same machinery as a scheduled scan (connector, cursor and health per source, then the webhook's path).
    sources.register("demo", lambda: posts)
    try:
        result = service.functions.invoke("ingest", scan_event("demo"))
    finally:
        sources.register("demo", demo_feed)  # the bundled feed again, as the local runtime registered it
    service.wait_idle()
    statuses: dict[tuple[str, str], str] = {}
    for item in result["items"]:
        statuses.setdefault((str(item.get("platform")), str(item.get("post_id"))), item["status"])
    rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    claims: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    db = post_store()
    for post in posts:
        key = (str(post.get("platform")), str(post.get("post_id")))
        row = rows[str(post.get("kind", "post"))]
        row["posts"] += 1
        if key in seen:
            row["duplicate"] += 1
            continue
        seen.add(key)
        status = statuses.get(key, "rejected")
        row[status] += 1
        match = db.get_match(f"{key[0]}#{key[1]}") if status == "accepted" else None
        if match:
            _count_match(row, match, claims)
    total = dict.fromkeys(COLUMNS, 0)
    for row in rows.values():
        for column in COLUMNS:
            total[column] += row[column]
    ordered = dict(sorted(rows.items()))
    ordered["total"] = total
    return DemoSummary(ordered, total["queued"], total["filed"], claims.most_common(5))
