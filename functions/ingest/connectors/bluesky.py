"""Bluesky (the ``atproto`` SDK): post search (``app.bsky.feed.searchPosts``, newest first) by keyword and hashtag.

Without credentials it asks the public AppView; with ``handle`` and ``app_password`` in the source's credentials
it signs in first (an app password, never the account password), for when the AppView requires authentication.
Each query pages with the cursor the API returns, from the newest post back to the newest one the previous scan
saw (the query's own cursor: its ``sortAt`` time, sent as ``since``, plus the ids seen at that time). A first
scan reads only the newest page. The authors' follower counts come from one ``app.bsky.actor.getProfiles`` call
per 25 authors (search results do not carry them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from functions.ingest.connectors.base import (
    BudgetExhausted,
    Fault,
    FetchContext,
    FetchResult,
    clip,
    first_language,
    iso,
    rejected_item,
    status_fault,
    whole,
)
from functions.shared.models import IngestItemResult
from functions.shared.retry import retry_after_seconds

PLATFORM = "bluesky"
PUBLIC_APPVIEW = "https://public.api.bsky.app/xrpc"
PROFILES_PER_CALL = 25
SEEN_LIMIT = 200


def classify(exc: Exception) -> Fault | None:
    from atproto_client.exceptions import NetworkError, RequestErrorBase

    if isinstance(exc, NetworkError):
        return Fault(True)
    if isinstance(exc, RequestErrorBase):
        response = exc.response
        if response is None:
            return Fault(True)
        headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
        return status_fault(response.status_code, retry_after_seconds(headers.get("retry-after")))
    return None


def _get(item: Any, name: str, default: Any = None) -> Any:
    """A field of an SDK model or a plain dict (records of unknown shape stay dicts)."""
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


class BlueskyConnector:
    def fetch(self, context: FetchContext) -> FetchResult:
        client = self._client(context)
        query = context.source.query
        cursor: dict[str, Any] = dict(context.cursor)
        found: list[Any] = []
        stopped: str | None = None
        searches = [(f"q:{k}", {"q": k}) for k in query.keywords] + [
            (f"tag:{t.lower()}", {"q": f"#{t}", "tag": [t]}) for t in query.hashtags
        ]
        try:
            for key, params in searches:
                found.extend(self._search(client, key, params, cursor, context))
        except BudgetExhausted as exc:
            stopped = str(exc)
        followers = self._followers(client, found, context)
        posts: list[dict[str, Any]] = []
        rejected: list[IngestItemResult] = []
        seen: set[str] = set()
        for view in found:
            uri = str(_get(view, "uri") or "")
            if uri in seen:
                continue
            seen.add(uri)
            post = to_post(view, followers)
            if isinstance(post, str):
                rejected.append(rejected_item(PLATFORM, uri or None, post))
            else:
                posts.append(post)
        return FetchResult(posts=posts, cursor=cursor, rejected=rejected, stopped_early=stopped)

    def _client(self, context: FetchContext) -> Any:
        from atproto import Client

        handle, password = context.credentials.get("handle"), context.credentials.get("app_password")
        if handle and password:
            client = Client(base_url=context.credentials.get("service"))
            context.budget.call(lambda: client.login(handle, password), classify)
            return client
        return Client(base_url=PUBLIC_APPVIEW)

    def _search(
        self, client: Any, key: str, params: dict[str, Any], cursor: dict[str, Any], context: FetchContext
    ) -> list[Any]:
        """Newest first, back to what the previous scan saw; the query's cursor moves to the newest post."""
        previous = cursor.get(key) or {}
        seen = set(previous.get("seen") or [])
        base = {**params, "sort": "latest", "limit": context.source.page_size}
        if previous.get("since"):
            base["since"] = previous["since"]
        if len(context.source.languages) == 1:
            base["lang"] = context.source.languages[0]
        found: list[Any] = []
        page_cursor: str | None = None
        while True:
            page_params = {**base, **({"cursor": page_cursor} if page_cursor else {})}
            response = context.budget.call(partial(client.app.bsky.feed.search_posts, params=page_params), classify)
            fresh = [view for view in response.posts or [] if str(_get(view, "uri")) not in seen]
            found.extend(fresh)
            page_cursor = response.cursor
            if not previous or not fresh or not page_cursor:
                break
        if found:
            cursor[key] = _newest(found, previous)
        return found

    def _followers(self, client: Any, views: list[Any], context: FetchContext) -> dict[str, int]:
        """Authors' follower counts; missing ones (budget used up, a failed call) stay unknown, never invented."""
        dids = sorted({str(_get(_get(v, "author"), "did")) for v in views if _get(v, "author") is not None})
        counts: dict[str, int] = {}
        for start in range(0, len(dids), PROFILES_PER_CALL):
            batch = dids[start : start + PROFILES_PER_CALL]
            try:
                response = context.budget.call(
                    partial(client.app.bsky.actor.get_profiles, params={"actors": batch}), classify
                )
            except BudgetExhausted:
                break
            for profile in response.profiles or []:
                counts[str(profile.did)] = whole(profile.followers_count)
        return counts


def _newest(found: list[Any], previous: dict[str, Any]) -> dict[str, Any]:
    """The newest ``indexedAt`` seen and the ids seen at that moment (``since`` is inclusive)."""
    stamps = [(str(_get(v, "indexed_at") or ""), str(_get(v, "uri"))) for v in found]
    newest = max(stamp for stamp, _ in stamps)
    since = previous.get("since") or ""
    if _parse(newest) <= _parse(since):
        newest = since
    seen = [uri for stamp, uri in stamps if stamp == newest]
    if newest == since:
        seen += list(previous.get("seen") or [])
    return {"since": newest, "seen": seen[:SEEN_LIMIT]}


def _parse(stamp: str) -> datetime:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def to_post(view: Any, followers: dict[str, int]) -> dict[str, Any] | str:
    """One PostView in the webhook's shape, or why it cannot be one."""
    author, record = _get(view, "author"), _get(view, "record")
    uri = str(_get(view, "uri") or "")
    text = str(_get(record, "text") or "").strip() if record is not None else ""
    if not text:
        return "the post has no text (deleted, or media only)"
    if author is None or not _get(author, "handle") or not uri.startswith("at://"):
        return "the post has no author or no at:// URI"
    handle, did = str(_get(author, "handle")), str(_get(author, "did"))
    return {
        "platform": PLATFORM,
        "post_id": uri,
        "author_handle": "@" + handle,
        "text": clip(text),
        "url": f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}",
        "created_at": iso(_get(record, "created_at") or _get(record, "createdAt") or _get(view, "indexed_at")),
        "language": first_language(_get(record, "langs") or []),
        "reach": {
            "followers": followers.get(did, 0),
            "likes": whole(_get(view, "like_count")),
            "shares": whole(_get(view, "repost_count")) + whole(_get(view, "quote_count")),
        },
    }


CONNECTOR = BlueskyConnector()
