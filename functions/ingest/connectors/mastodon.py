"""Mastodon (Mastodon.py): public hashtag timelines, and keywords on the public timeline, of configured instances.

No account is needed for either (an instance that requires one for its public timelines takes an ``access_token``
in the source's credentials). Each timeline keeps its own cursor, the id of the newest status seen, and is read
forward from it with ``min_id``, page after page, so nothing between two scans is skipped and nothing is read
twice. A first scan reads only the newest page. Keywords are matched in the status text of the instance's public
(federated) timeline, as Mastodon's own full-text search needs an account.
"""

from __future__ import annotations

import time
from typing import Any

from functions.ingest.connectors.base import (
    BudgetExhausted,
    Fault,
    FetchContext,
    FetchResult,
    clip,
    first_language,
    html_to_text,
    iso,
    rejected_item,
    whole,
)
from functions.shared.models import IngestItemResult

PLATFORM = "mastodon"
TIMEOUT_SECONDS = 10.0
MAX_PAGE = 40  # Mastodon's largest timeline page


def classify_for(api: Any) -> Any:
    def classify(exc: Exception) -> Fault | None:
        from mastodon.errors import MastodonAPIError, MastodonNetworkError, MastodonRatelimitError, MastodonServerError

        if isinstance(exc, MastodonRatelimitError):
            reset = getattr(api, "ratelimit_reset", None)
            return Fault(True, max(0.0, reset - time.time()) if reset else None, 429)
        if isinstance(exc, MastodonServerError):
            return Fault(True, None, _status(exc))
        if isinstance(exc, MastodonNetworkError):
            return Fault(True)
        if isinstance(exc, MastodonAPIError):
            return Fault(False, None, _status(exc))
        return None

    return classify


def _status(exc: Exception) -> int | None:
    code = exc.args[1] if len(exc.args) > 1 else None
    return code if isinstance(code, int) else None


class MastodonConnector:
    def fetch(self, context: FetchContext) -> FetchResult:
        from mastodon import Mastodon

        query = context.source.query
        cursor: dict[str, Any] = dict(context.cursor)
        posts: list[dict[str, Any]] = []
        rejected: list[IngestItemResult] = []
        stopped: str | None = None
        try:
            for instance in query.instances:
                api = Mastodon(
                    api_base_url=instance,
                    access_token=context.credentials.get("access_token"),
                    ratelimit_method="throw",
                    request_timeout=TIMEOUT_SECONDS,
                    version_check_mode="none",
                )
                timelines: list[tuple[str, str | None]] = [(f"{instance}#tag:{t.lower()}", t) for t in query.hashtags]
                if query.keywords:
                    timelines.append((f"{instance}#public", None))
                for key, tag in timelines:
                    statuses = self._read_forward(api, tag, cursor, key, context)
                    self._map(statuses, tag is None, context, posts, rejected)
        except BudgetExhausted as exc:
            stopped = str(exc)
        return FetchResult(posts=posts, cursor=cursor, rejected=rejected, stopped_early=stopped)

    def _read_forward(
        self, api: Any, tag: str | None, cursor: dict[str, Any], key: str, context: FetchContext
    ) -> list[Any]:
        """Every status newer than the cursor, oldest page first; the cursor moves as each page arrives."""
        size = min(context.source.page_size, MAX_PAGE)
        classify = classify_for(api)
        statuses: list[Any] = []
        while True:
            since = cursor.get(key)

            def page(since: Any = since) -> list[Any]:
                if tag is None:
                    return list(api.timeline_public(min_id=since, limit=size))
                return list(api.timeline_hashtag(tag, min_id=since, limit=size))

            batch = context.budget.call(page, classify)
            if not batch:
                return statuses
            statuses.extend(batch)
            cursor[key] = str(max(int(s["id"]) for s in batch))
            if since is None or len(batch) < size:  # a first scan reads only the newest page
                return statuses

    def _map(
        self,
        statuses: list[Any],
        keyword_timeline: bool,
        context: FetchContext,
        posts: list[dict[str, Any]],
        rejected: list[IngestItemResult],
    ) -> None:
        keywords = [k.lower() for k in context.source.query.keywords]
        for status in statuses:
            original = status.get("reblog") or status  # a boost carries the original post
            post = to_post(original)
            if isinstance(post, str):
                rejected.append(rejected_item(PLATFORM, original.get("url") or original.get("id"), post))
            elif not keyword_timeline or any(k in post["text"].lower() for k in keywords):
                posts.append(post)


def to_post(status: Any) -> dict[str, Any] | str:
    """One status in the webhook's shape, or why it cannot be one. The post id is the status URL (its id is only
    unique on one instance); reach is the author's followers, favourites, boosts."""
    account = status.get("account") or {}
    text = html_to_text(status.get("content"))
    spoiler = (status.get("spoiler_text") or "").strip()
    text = f"{spoiler}\n{text}".strip() if spoiler else text
    if not text:
        return "the status has no text"
    url = status.get("url") or status.get("uri")
    if not url or not account.get("acct"):
        return "the status has no URL or no author"
    return {
        "platform": PLATFORM,
        "post_id": str(status.get("uri") or url),
        "author_handle": "@" + str(account["acct"]),
        "text": clip(text),
        "url": url,
        "created_at": iso(status.get("created_at")),
        "language": first_language(status.get("language")),
        "reach": {
            "followers": whole(account.get("followers_count")),
            "likes": whole(status.get("favourites_count")),
            "shares": whole(status.get("reblogs_count")),
        },
    }


CONNECTOR = MastodonConnector()
