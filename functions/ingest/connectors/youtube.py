"""YouTube (google-api-python-client, YouTube Data API v3 with an API key): top-level comments on the newest videos
matching the search terms.

Per run: one ``search.list`` per term (videos of the last ``LOOKBACK_DAYS``, newest first; 100 quota units each),
one ``commentThreads.list`` per video (newest comments first; 1 unit) and one ``channels.list`` per 50 commenters
(their subscriber counts; 1 unit). The cursor keeps, per video, the ``publishedAt`` of the newest comment seen and
the ids seen at that time, for the most recently found videos. A video whose comments are disabled is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from functions.ingest.connectors.base import (
    BudgetExhausted,
    ConnectorError,
    Fault,
    FetchContext,
    FetchResult,
    clip,
    first_language,
    rejected_item,
    status_fault,
    whole,
)
from functions.shared.models import IngestItemResult
from functions.shared.retry import retry_after_seconds

PLATFORM = "youtube"
LOOKBACK_DAYS = 7
VIDEOS_KEPT = 100  # videos whose cursors are remembered
CHANNELS_PER_CALL = 50


def classify(exc: Exception) -> Fault | None:
    import httplib2
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        status = int(exc.resp.status)
        if status == 403 and "quotaExceeded" in str(exc.content):
            return Fault(False, None, status)  # the day's quota: waiting minutes does not help
        return status_fault(status, retry_after_seconds(exc.resp.get("retry-after")))
    if isinstance(exc, httplib2.HttpLib2Error | TimeoutError | ConnectionError):
        return Fault(True)
    return None


def _comments_disabled(exc: BaseException | None) -> bool:
    from googleapiclient.errors import HttpError

    return isinstance(exc, HttpError) and int(exc.resp.status) == 403 and "commentsDisabled" in str(exc.content)


class YouTubeConnector:
    def fetch(self, context: FetchContext) -> FetchResult:
        youtube = self._client(context)
        videos: dict[str, Any] = dict(context.cursor.get("videos") or {})
        threads: list[dict[str, Any]] = []
        stopped: str | None = None
        try:
            for video_id in self._search(youtube, context):
                videos.setdefault(video_id, {})
            # Newest videos first, and one request left for the commenters' subscriber counts.
            room = max(0, context.budget.max_requests - context.budget.used - 1)
            for video_id in list(reversed(list(videos)[-VIDEOS_KEPT:]))[:room]:
                threads.extend(self._new_comments(youtube, video_id, videos, context))
        except BudgetExhausted as exc:
            stopped = str(exc)
        subscribers = self._subscribers(youtube, threads, context)
        posts: list[dict[str, Any]] = []
        rejected: list[IngestItemResult] = []
        for thread in threads:
            post = to_post(thread, subscribers)
            if isinstance(post, str):
                rejected.append(rejected_item(PLATFORM, thread.get("id"), post))
            else:
                posts.append(post)
        kept = dict(list(videos.items())[-VIDEOS_KEPT:])
        return FetchResult(posts=posts, cursor={"videos": kept}, rejected=rejected, stopped_early=stopped)

    def _client(self, context: FetchContext) -> Any:
        from googleapiclient.discovery import build

        key = context.credentials.get("api_key")
        if not key:
            raise ConnectorError("YouTube needs an api_key in the source's credentials")
        return build("youtube", "v3", developerKey=key, cache_discovery=False, static_discovery=True)

    def _search(self, youtube: Any, context: FetchContext) -> list[str]:
        source = context.source
        after = (datetime.now(UTC) - timedelta(days=LOOKBACK_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        extra = {"relevanceLanguage": source.languages[0]} if source.languages else {}
        if source.regions:
            extra["regionCode"] = source.regions[0]
        found: list[str] = []
        for term in [*source.query.keywords, *(f"#{t}" for t in source.query.hashtags)]:
            request = youtube.search().list(
                part="snippet", q=term, type="video", order="date", publishedAfter=after, maxResults=50, **extra
            )
            response = context.budget.call(request.execute, classify)
            found += [i["id"]["videoId"] for i in response.get("items", []) if i.get("id", {}).get("videoId")]
        return list(dict.fromkeys(reversed(found)))  # oldest first, so the newest videos are kept last

    def _new_comments(
        self, youtube: Any, video_id: str, videos: dict[str, Any], context: FetchContext
    ) -> list[dict[str, Any]]:
        previous = videos.get(video_id) or {}
        if previous.get("disabled"):
            return []
        request = youtube.commentThreads().list(
            part="snippet", videoId=video_id, order="time", maxResults=context.source.page_size, textFormat="plainText"
        )
        try:
            response = context.budget.call(request.execute, classify)
        except ConnectorError as exc:
            if _comments_disabled(exc.__cause__):
                videos[video_id] = {**previous, "disabled": True}
                return []
            raise
        since, seen = str(previous.get("since") or ""), set(previous.get("seen") or [])
        fresh = [
            t
            for t in response.get("items", [])
            if (_published(t) > since or (_published(t) == since and t.get("id") not in seen))
        ]
        if fresh:
            newest = max(_published(t) for t in fresh)
            ids = [str(t.get("id")) for t in fresh if _published(t) == newest]
            videos[video_id] = {"since": newest, "seen": ids + (list(seen) if newest == since else [])}
        return fresh

    def _subscribers(self, youtube: Any, threads: list[dict[str, Any]], context: FetchContext) -> dict[str, int]:
        with_text = [_snippet(t) for t in threads if _snippet(t).get("textOriginal") or _snippet(t).get("textDisplay")]
        channels = sorted({c for s in with_text if (c := (s.get("authorChannelId") or {}).get("value"))})
        counts: dict[str, int] = {}
        for start in range(0, len(channels), CHANNELS_PER_CALL):
            request = youtube.channels().list(
                part="statistics", id=",".join(channels[start : start + CHANNELS_PER_CALL])
            )
            try:
                response = context.budget.call(request.execute, classify)
            except BudgetExhausted:
                break
            for channel in response.get("items", []):
                statistics = channel.get("statistics") or {}
                if not statistics.get("hiddenSubscriberCount"):
                    counts[str(channel.get("id"))] = whole(statistics.get("subscriberCount"))
        return counts


def _snippet(thread: dict[str, Any]) -> dict[str, Any]:
    top = ((thread.get("snippet") or {}).get("topLevelComment") or {}).get("snippet")
    return top if isinstance(top, dict) else {}


def _published(thread: dict[str, Any]) -> str:
    return str(_snippet(thread).get("publishedAt") or "")


def to_post(thread: dict[str, Any], subscribers: dict[str, int]) -> dict[str, Any] | str:
    """A top-level comment in the webhook's shape, or why it cannot be one."""
    comment = _snippet(thread)
    comment_id = ((thread.get("snippet") or {}).get("topLevelComment") or {}).get("id") or thread.get("id")
    text = str(comment.get("textOriginal") or comment.get("textDisplay") or "").strip()
    if not text:
        return "the comment has no text"
    video_id, published = comment.get("videoId"), comment.get("publishedAt")
    if not comment_id or not video_id or not published:
        return "the comment has no id, video or publication time"
    channel = (comment.get("authorChannelId") or {}).get("value")
    return {
        "platform": PLATFORM,
        "post_id": str(comment_id),
        "author_handle": clip(str(comment.get("authorDisplayName") or channel or ""), 120) or None,
        "text": clip(text),
        "url": f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}",
        "created_at": published,
        "language": first_language(comment.get("language")),
        "reach": {"followers": subscribers.get(str(channel), 0), "likes": whole(comment.get("likeCount"))},
    }


CONNECTOR = YouTubeConnector()
