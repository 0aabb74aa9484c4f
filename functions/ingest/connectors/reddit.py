"""Reddit (praw, read-only OAuth with an app's client id and secret): new posts and new comments in the configured
subreddits, and new posts matching the search terms in them (in r/all when no subreddit is configured).

Each listing keeps its own cursor: the ``created_utc`` of the newest item seen and the ids seen at that second; a
scan keeps only what is newer. A first scan reads only the newest page. Reach: the subreddit's subscribers (the
audience a post or comment is shown to; Reddit reports no follower count for an author in a listing), the item's
score as likes, crossposts as shares. Deleted and removed items are rejected with that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from functions.ingest.connectors.base import (
    BudgetExhausted,
    ConnectorError,
    Fault,
    FetchContext,
    FetchResult,
    clip,
    iso,
    rejected_item,
    status_fault,
    whole,
)
from functions.shared.models import IngestItemResult
from functions.shared.retry import retry_after_seconds

PLATFORM = "reddit"
DEFAULT_USER_AGENT = "python:antidote-monitor:1.0 (health misinformation monitoring)"
GONE = frozenset({"[deleted]", "[removed]"})
SEEN_LIMIT = 200


def classify(exc: Exception) -> Fault | None:
    from prawcore.exceptions import RequestException, ResponseException

    if isinstance(exc, ResponseException):
        response = exc.response
        return status_fault(response.status_code, retry_after_seconds(response.headers.get("retry-after")))
    if isinstance(exc, RequestException):
        return Fault(True)
    return None


class RedditConnector:
    def fetch(self, context: FetchContext) -> FetchResult:
        reddit = self._client(context)
        cursor: dict[str, Any] = dict(context.cursor)
        posts: list[dict[str, Any]] = []
        rejected: list[IngestItemResult] = []
        stopped: str | None = None
        audience: dict[str, int] = {}  # subscribers per subreddit, from the listings that carry them
        try:
            for key, listing in self._listings(reddit, context):
                items = context.budget.call(listing, classify)
                for item in items:
                    if vars(item).get("subreddit_subscribers"):
                        audience[str(vars(item).get("subreddit")).lower()] = whole(vars(item)["subreddit_subscribers"])
                fresh = _newer(items, cursor.get(key) or {})
                if fresh:
                    cursor[key] = _newest(fresh, cursor.get(key) or {})
                for item in fresh:
                    post = to_post(item, audience)
                    if isinstance(post, str):
                        rejected.append(rejected_item(PLATFORM, getattr(item, "fullname", None), post))
                    else:
                        posts.append(post)
        except BudgetExhausted as exc:
            stopped = str(exc)
        return FetchResult(posts=posts, cursor=cursor, rejected=rejected, stopped_early=stopped)

    def _client(self, context: FetchContext) -> Any:
        import praw

        client_id, secret = context.credentials.get("client_id"), context.credentials.get("client_secret")
        if not client_id or not secret:
            raise ConnectorError("Reddit needs an app's client_id and client_secret in the source's credentials")
        return praw.Reddit(
            client_id=client_id,
            client_secret=secret,
            user_agent=context.credentials.get("user_agent") or DEFAULT_USER_AGENT,
            check_for_updates=False,
            check_for_async=False,
        )

    def _listings(self, reddit: Any, context: FetchContext) -> Iterable[tuple[str, Callable[[], list[Any]]]]:
        """(cursor key, one request's worth of a listing) for every listing the source asks for."""
        query, size = context.source.query, context.source.page_size
        for name in query.subreddits:
            subreddit = reddit.subreddit(name)
            yield f"r/{name}/new", partial(_listing, subreddit.new, limit=size)
            yield f"r/{name}/comments", partial(_listing, subreddit.comments, limit=size)
        for name in query.subreddits or ("all",):
            for term in query.keywords:
                search = reddit.subreddit(name).search
                yield (
                    f"r/{name}/search:{term}",
                    partial(_listing, search, term, sort="new", time_filter="week", limit=size),
                )


def _listing(method: Callable[..., Iterable[Any]], *args: Any, **kwargs: Any) -> list[Any]:
    """One page of a praw listing, read at once (praw's listings are lazy)."""
    return list(method(*args, **kwargs))


def _newer(items: list[Any], previous: dict[str, Any]) -> list[Any]:
    """Items newer than the cursor (all of the newest page on a first scan)."""
    since, seen = float(previous.get("created_utc") or 0), set(previous.get("seen") or [])
    return [
        i for i in items if float(i.created_utc) > since or (float(i.created_utc) == since and i.fullname not in seen)
    ]


def _newest(fresh: list[Any], previous: dict[str, Any]) -> dict[str, Any]:
    newest = max(float(i.created_utc) for i in fresh)
    seen = [i.fullname for i in fresh if float(i.created_utc) == newest]
    if newest == float(previous.get("created_utc") or 0):
        seen += list(previous.get("seen") or [])
    return {"created_utc": newest, "seen": seen[:SEEN_LIMIT]}


def to_post(item: Any, audience: dict[str, int]) -> dict[str, Any] | str:
    """A submission or a comment in the webhook's shape, or why it cannot be one. A comment's listing does not
    carry its subreddit's subscribers; they come from a post listing of the same subreddit in the same scan."""
    data = vars(item)
    is_comment = "body" in data
    text = (
        str(data.get("body") or "")
        if is_comment
        else "\n".join(
            part
            for part in (str(data.get("title") or ""), str(data.get("selftext") or ""))
            if part and part not in GONE
        )
    )
    author = data.get("author")
    author_name = getattr(author, "name", None) if author is not None else None
    if (data.get("body") or data.get("selftext")) in GONE or author_name is None or author_name in GONE:
        return "the post or comment was deleted or removed"
    if not text.strip():
        return "the post has no text"
    return {
        "platform": PLATFORM,
        "post_id": str(item.fullname),
        "author_handle": f"u/{author_name}",
        "text": clip(text),
        "url": "https://www.reddit.com" + str(data.get("permalink") or ""),
        "created_at": iso(float(data["created_utc"])),
        "reach": {
            "followers": whole(data.get("subreddit_subscribers"))
            or audience.get(str(data.get("subreddit")).lower(), 0),
            "likes": whole(data.get("score")),
            "shares": whole(data.get("num_crossposts")),
        },
    }


CONNECTOR = RedditConnector()
