"""RSS and Atom feeds (any feed URL): each item is a post of the platform kind ``news`` — monitored, never answered.

Fetched with httpx (conditional GET with the feed's ETag / Last-Modified, so an unchanged feed costs one 304),
parsed with feedparser. The cursor keeps, per feed, those validators and the ids of the items the last fetch saw:
an item seen before is never returned again. A feed that fails does not stop the source's other feeds; the scan
fails only when every feed failed.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from functions.ingest.connectors.base import (
    BudgetExhausted,
    ConnectorError,
    Fault,
    FetchContext,
    FetchResult,
    clip,
    first_language,
    html_to_text,
    rejected_item,
    status_fault,
)
from functions.shared.models import IngestItemResult
from functions.shared.retry import retry_after_seconds

PLATFORM = "news"
USER_AGENT = "antidote-monitor/1.0 (health misinformation monitoring; feed reader)"
SEEN_LIMIT = 200  # ids kept per feed (a cursor is one DynamoDB item, at most 400 KB); older ones meet the ingest dedupe
TIMEOUT_SECONDS = 10.0


def classify(exc: Exception) -> Fault | None:
    import httpx

    if isinstance(exc, httpx.HTTPStatusError):
        response = exc.response
        return status_fault(response.status_code, retry_after_seconds(response.headers.get("retry-after")))
    if isinstance(exc, httpx.TransportError):
        return Fault(True)
    return None


class RssConnector:
    def fetch(self, context: FetchContext) -> FetchResult:
        import httpx

        feeds: dict[str, Any] = dict(context.cursor.get("feeds") or {})
        posts: list[dict[str, Any]] = []
        rejected: list[IngestItemResult] = []
        failures: list[str] = []
        stopped: str | None = None
        with httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True, headers={"User-Agent": USER_AGENT}) as http:
            for url in context.source.query.feeds:
                try:
                    feeds[url] = self._read_feed(http, url, feeds.get(url) or {}, context, posts, rejected)
                except BudgetExhausted as exc:
                    stopped = str(exc)
                    break
                except ConnectorError as exc:
                    failures.append(f"{url}: {exc}")
        if failures and len(failures) == len(context.source.query.feeds):
            raise ConnectorError("; ".join(failures))
        if failures:
            stopped = "; ".join(failures)
        return FetchResult(posts=posts, cursor={"feeds": feeds}, rejected=rejected, stopped_early=stopped)

    def _read_feed(
        self,
        http: Any,
        url: str,
        state: dict[str, Any],
        context: FetchContext,
        posts: list[dict[str, Any]],
        rejected: list[IngestItemResult],
    ) -> dict[str, Any]:
        """Fetch one feed (conditionally), add its unseen items, and return its new cursor."""
        import feedparser

        headers = {
            k: v for k, v in (("If-None-Match", state.get("etag")), ("If-Modified-Since", state.get("modified"))) if v
        }

        def get() -> Any:
            response = http.get(url, headers=headers)
            if response.status_code != 304:
                response.raise_for_status()
            return response

        response = context.budget.call(get, classify)
        if response.status_code == 304:
            return state
        # Only the content type (its charset): with a base URL feedparser would resolve a relative <guid> against
        # it, and an item's id would change with the feed's address.
        parsed = feedparser.parse(
            response.content, response_headers={"content-type": response.headers.get("content-type", "")}
        )
        if parsed.bozo and not parsed.entries:
            raise ConnectorError(f"not a feed: {parsed.get('bozo_exception')}")
        seen = set(state.get("seen") or [])
        ids: list[str] = []
        language = first_language(parsed.feed.get("language"))
        for entry in parsed.entries:
            item_id = entry_id(entry)
            ids.append(item_id)
            if item_id in seen:
                continue
            post = to_post(entry, item_id, language)
            if isinstance(post, str):
                rejected.append(rejected_item(PLATFORM, item_id, post))
            else:
                posts.append(post)
        remembered = ids + [i for i in state.get("seen") or [] if i not in set(ids)]
        return {
            "etag": response.headers.get("etag"),
            "modified": response.headers.get("last-modified"),
            "seen": remembered[:SEEN_LIMIT],
        }


def entry_id(entry: Any) -> str:
    """The item's guid (or link); a long one is hashed so it fits a post id."""
    raw = str(entry.get("id") or entry.get("link") or entry.get("title") or "")
    return raw if 0 < len(raw) <= 200 else "sha1:" + hashlib.sha1(raw.encode()).hexdigest()


RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")


def author_name(raw: Any) -> str | None:
    """RSS's <author> is "address (Name)": keep only the name, never the address."""
    if not raw:
        return None
    text = str(raw)
    named = RSS_AUTHOR.match(text)
    if named:
        return named.group("name").strip()
    return None if "@" in text else text


def to_post(entry: Any, item_id: str, language: str | None) -> dict[str, Any] | str:
    """One feed item in the webhook's shape, or why it cannot be one."""
    title = html_to_text(entry.get("title"))
    summary = html_to_text(entry.get("summary") or "")
    text = f"{title}\n{summary}".strip() if summary and summary != title else title
    if not text:
        return "the item has neither a title nor a summary"
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is None:
        return "the item has no published or updated date"
    link = entry.get("link")
    author = author_name(entry.get("author"))
    return {
        "platform": PLATFORM,
        "post_id": item_id,
        "author_handle": clip(str(author), 120) if author else None,
        "text": clip(text),
        "url": link if isinstance(link, str) and link.startswith(("http://", "https://")) else None,
        "created_at": datetime(*stamp[:6]).replace(tzinfo=UTC).isoformat(),  # feedparser's *_parsed are UTC
        "language": first_language(entry.get("language")) or language,
        "reach": {},  # a feed reports no audience
    }


CONNECTOR = RssConnector()
