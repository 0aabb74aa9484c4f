"""Each connector, driven by its platform's recorded responses, through the real ingest path on DynamoDB Local:
what it stores (platform, id, permalink, time, author, language, reach), what it rejects and why, how its cursor
moves so that a second scan ingests only what is new, and how it rides out 429s and 5xx."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from functions.shared.models import Reach
from tests.conftest import Service
from tests.integration.sources.conftest import Sources, rejected, scan, state, stored

MASTODON = "https://health.example"


def query(request: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(str(request.uri)).query)


def test_mastodon_reads_hashtag_and_keyword_timelines_forward_from_its_cursor(
    service: Service, sources: Sources
) -> None:
    sources.add(
        {
            "name": "mastodon-health",
            "connector": "mastodon",
            "page_size": 2,
            "query": {"instances": [MASTODON], "hashtags": ["#vaccines"], "keywords": ["flu jab"]},
        }
    )
    first = scan(service, "mastodon-health", "mastodon_first_scan").result
    assert first["accepted"] == 3  # two from #vaccines, one public status with the keyword; the weather is not kept
    assert list(rejected(first).values()) == ["the status has no text"]
    rumour = stored("mastodon", f"{MASTODON}/users/dr_rumour/statuses/113500000000000003")
    assert rumour.text == "The #vaccines cause autism, everyone knows it"  # markup removed, text kept
    assert rumour.url == f"{MASTODON}/@dr_rumour/113500000000000003"
    assert rumour.author_handle == "@dr_rumour"
    assert rumour.reach == Reach(followers=820, likes=14, shares=6)
    assert rumour.created_at.isoformat() == "2026-11-29T10:05:00+00:00"
    assert rumour.source == "scan:mastodon-health"
    assert stored("mastodon", f"{MASTODON}/users/nurse_ana/statuses/113500000000000002").language == "es"
    assert state("mastodon-health").cursor == {
        f"{MASTODON}#tag:vaccines": "113500000000000003",
        f"{MASTODON}#public": "113500000000000010",
    }

    second = scan(service, "mastodon-health", "mastodon_second_scan")
    asked = [query(r).get("min_id") for r in second.requests if "/timelines/" in str(r.uri)]
    # 429 then the page, 503 then the next page (read forward with min_id), then an empty public page
    assert asked == [["113500000000000003"]] * 2 + [["113500000000000006"]] * 2 + [["113500000000000010"]]
    assert second.result["accepted"] == 3  # the boosted original, two new statuses; nothing seen before
    assert second.result["duplicates"] == 0
    boosted = stored("mastodon", f"{MASTODON}/users/dr_rumour/statuses/113500000000000004")
    assert boosted.reach == Reach(followers=820, likes=40, shares=22)  # the original's reach, not the booster's
    health = state("mastodon-health")
    assert health.cursor[f"{MASTODON}#tag:vaccines"] == "113500000000000007"
    assert (health.last_run.accepted, health.today.accepted, health.consecutive_failures) == (3, 6, 0)


def test_bluesky_search_pages_back_to_what_it_saw_with_follower_counts(service: Service, sources: Sources) -> None:
    sources.add({"name": "bluesky-flu", "connector": "bluesky", "page_size": 3, "query": {"keywords": ["flu jab"]}})
    first = scan(service, "bluesky-flu", "bluesky_first_scan").result
    assert first["accepted"] == 2
    assert list(rejected(first).values()) == ["the post has no text (deleted, or media only)"]
    uri = "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/app.bsky.feed.post/3lcx3"
    post = stored("bluesky", uri)
    assert post.url == "https://bsky.app/profile/rumours.bsky.social/post/3lcx3"
    assert post.author_handle == "@rumours.bsky.social"
    assert post.reach == Reach(followers=1250, likes=31, shares=11)  # followers from getProfiles; reposts + quotes
    assert stored("bluesky", "at://did:plc:bbbbbbbbbbbbbbbbbbbbbbbb/app.bsky.feed.post/3lcx2").language == "es"
    assert state("bluesky-flu").cursor == {"q:flu jab": {"since": "2026-11-29T10:10:01.000Z", "seen": [uri]}}

    second = scan(service, "bluesky-flu", "bluesky_second_scan")
    searches = [query(r) for r in second.requests if "searchPosts" in str(r.uri)]
    assert all(s["since"] == ["2026-11-29T10:10:01.000Z"] for s in searches)
    assert [s.get("cursor") for s in searches] == [None, None, ["3"]]  # 429 retried; then the API's cursor
    assert second.result["accepted"] == 2
    assert second.result["duplicates"] == 0
    assert state("bluesky-flu").cursor["q:flu jab"]["since"] == "2026-11-29T11:30:01.000Z"


def test_reddit_new_posts_and_comments_with_subreddit_audience(service: Service, sources: Sources) -> None:
    sources.add(
        {"name": "reddit-myths", "connector": "reddit", "page_size": 3, "query": {"subreddits": ["r/HealthMyths"]}},
        credentials={"client_id": "recorded-app", "client_secret": "recorded-secret"},
    )
    first = scan(service, "reddit-myths", "reddit_first_scan")
    assert first.requests[0].uri == "https://www.reddit.com/api/v1/access_token"  # app-only OAuth
    assert first.result["accepted"] == 3
    assert set(rejected(first.result)) == {"t3_1h0ccc", "t1_m1c"}
    assert set(rejected(first.result).values()) == {"the post or comment was deleted or removed"}
    submission = stored("reddit", "t3_1h0aaa")
    assert submission.text == "Vaccines cause autism and the CDC hid it\nLook it up, they hid the data."
    assert submission.url == "https://www.reddit.com/r/HealthMyths/comments/1h0aaa/post/"
    assert submission.author_handle == "u/truthseeker77"
    assert submission.reach == Reach(followers=48213, likes=57, shares=2)
    comment = stored("reddit", "t1_m1b")
    assert comment.reach.followers == 48213  # the subreddit's audience, from the post listing
    assert comment.language == "es"  # Reddit says nothing: detected at ingest

    second = scan(service, "reddit-myths", "reddit_second_scan")
    assert second.result["accepted"] == 1  # only the post newer than the cursor; 429 on comments retried
    assert second.result["rejected"] == 0  # the deleted post was seen before: not reported again
    assert stored("reddit", "t3_1h0ddd").created_at.isoformat() == "2026-11-29T01:00:00+00:00"


def test_youtube_comments_on_matching_videos_and_a_quota_failure(service: Service, sources: Sources) -> None:
    sources.add(
        {"name": "youtube-autism", "connector": "youtube", "page_size": 20, "query": {"keywords": ["vaccines autism"]}},
        credentials={"api_key": "AIza-recorded-key"},
    )
    first = scan(service, "youtube-autism", "youtube_first_scan")
    assert query(first.requests[0])["q"] == ["vaccines autism"]
    assert query(first.requests[0])["order"] == ["date"]
    assert first.result["accepted"] == 1  # the other video has comments disabled; one comment has no text
    assert list(rejected(first.result).values()) == ["the comment has no text"]
    comment = stored("youtube", "UgzAAA2")
    assert comment.url == "https://www.youtube.com/watch?v=vidAAA11111&lc=UgzAAA2"
    assert comment.reach == Reach(followers=3400, likes=44)
    assert state("youtube-autism").cursor["videos"]["vidBBB22222"] == {"disabled": True}

    second = scan(service, "youtube-autism", "youtube_second_scan")  # 500 on search, retried
    assert second.result["accepted"] == 1
    assert second.result["duplicates"] == 0
    assert stored("youtube", "UgzAAA3").language == "es"

    failed = scan(service, "youtube-autism", "youtube_quota").result
    assert "quota" in failed["error"]
    assert "AIza-recorded-key" not in failed["error"]
    health = state("youtube-autism")
    assert health.consecutive_failures == 1
    assert health.last_error == failed["error"]
    assert health.cursor["videos"]["vidAAA11111"]["seen"] == ["UgzAAA3"]  # a failed scan keeps the cursor


def test_feeds_are_news_items_and_a_broken_feed_does_not_stop_the_others(service: Service, sources: Sources) -> None:
    feeds = ["https://news.health.example/feed.xml", "https://sante.example/atom.xml", "https://broken.example/feed"]
    sources.add({"name": "health-news", "connector": "rss", "regions": ["GB"], "query": {"feeds": feeds}})
    first = scan(service, "health-news", "rss_first_scan").result
    assert first["accepted"] == 2
    assert "broken.example" in first["stopped_early"]
    assert list(rejected(first).values()) == ["the item has no published or updated date"]
    article = stored("news", "https://news.health.example/2026/11/flu-jab-myth")
    assert article.text.startswith("Viral posts claim the flu jab gives you the flu\nA wave of posts")
    assert article.author_handle == "Health Desk"  # the name; never the address in RSS's <author>
    assert (article.language, article.region) == ("en", "GB")  # the feed's language; the source's one region
    assert stored("news", "urn:uuid:sante-1").language == "fr"

    second = scan(service, "health-news", "rss_second_scan")
    assert second.requests[0].headers.get("If-None-Match") == '"v1"'  # conditional GET: 304, nothing to read
    assert second.result["accepted"] == 1
    assert second.result["duplicates"] == 0
    assert second.result["rejected"] == 0


def test_sources_health_for_educators(service: Service, sources: Sources) -> None:
    sources.add({"name": "news-down", "connector": "rss", "query": {"feeds": ["https://down.example/feed"]}})
    sources.add(
        {"name": "never-scanned", "connector": "rss", "every_minutes": 15, "query": {"feeds": ["https://x.example/f"]}}
    )
    failed = scan(service, "news-down", "rss_all_failing").result
    assert "HTTP 404" in failed["error"]
    assert service.client.request("GET", "/v1/sources").status == 401
    reply = service.client.request("GET", "/v1/sources", headers=service.educator)
    assert reply.status == 200
    listed = {s["name"]: s for s in reply.json()["sources"]}
    assert listed["news-down"]["status"] == "failing"
    assert listed["news-down"]["consecutive_failures"] == 1
    assert "404" in listed["news-down"]["last_error"]
    assert listed["never-scanned"]["status"] == "never run"
    assert listed["never-scanned"]["every_minutes"] == 15
    assert listed["never-scanned"]["query"] == {"feeds": ["https://x.example/f"]}
