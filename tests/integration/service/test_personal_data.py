"""Labelled personal data through the real ingest → match → respond path on DynamoDB Local.

Every labelled post goes in over HTTP; what is stored must be exactly what redaction (with spaCy's model) leaves,
so the evaluation's figures are the pipeline's; and no draft — nor anything else on a review item but the stored
post — may contain any labelled personal data, whatever redaction missed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.cli.pii import DEFAULT_DATA
from functions.ingest.redaction_eval import LabelledPost, load_posts
from functions.shared.dal.models import PostRecord, ReviewItemRecord
from functions.shared.redaction import redact
from tests.conftest import Service

RUN = datetime.now(UTC).strftime("%H%M%S%f")
# The outside check's four leaks (issue 15), inside posts that match known myths.
LEAKS = [
    LabelledPost(
        "leak-1",
        "my neighbour Margaret Ellison says the flu jab gives you the flu, she never gets it",
        "@poster",
        (("person_name", "Margaret Ellison"),),
        (),
    ),
    LabelledPost(
        "leak-2",
        "Dr. Rajesh Kumaran told me vaccines cause autism. his clinic is at 301 W 4th St, Austin, TX 78701",
        "@poster",
        (("person_name", "Rajesh Kumaran"), ("address", "301 W 4th St, Austin, TX 78701")),
        (),
    ),
    LabelledPost(
        "leak-3",
        "my son Oliver Pemberton got the MMR and it caused his autism",
        "@poster",
        (("person_name", "Oliver Pemberton"),),
        (),
    ),
]


def as_delivery(post: LabelledPost, run: str) -> dict[str, Any]:
    return {
        "platform": "x",
        "post_id": f"{post.id}-{run}",
        "author_handle": post.author_handle or "@poster",
        "text": post.text,
        "url": f"https://x.com/poster/status/{abs(hash(post.id))}",
        "created_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
        "reach": {"followers": 5000, "likes": 100, "shares": 20, "views": 20000},
    }


def deliver_all(service: Service, posts: list[LabelledPost], run: str) -> dict[str, LabelledPost]:
    """Deliver the posts under ids unique to ``run``; returns them by stored post key."""
    for start in range(0, len(posts), 100):
        batch = [as_delivery(p, run) for p in posts[start : start + 100]]
        reply = service.client.request("POST", "/v1/posts", {"posts": batch}, {"x-api-key": service.ingest_key})
        assert reply.status == 200, reply.body
        assert all(item["status"] == "accepted" for item in reply.json()["items"]), reply.body
    assert service.local.wait_idle(900)
    return {f"x#{p.id}-{run}": p for p in posts}


def test_labelled_posts_are_stored_redacted_and_no_draft_holds_personal_data(service: Service) -> None:
    posts = [*load_posts(DEFAULT_DATA), *LEAKS]
    keys = deliver_all(service, posts, f"all-{RUN}")
    for key, post in keys.items():
        stored = PostRecord.get(key)
        assert stored.text == redact(post.text, post.author_handle, use_model=True).text, post.id
    items = [r for r in ReviewItemRecord.scan() if r.post_key in keys]
    assert len(items) >= 20  # myths among the labelled posts reach the review queue
    for item in items:
        post = keys[item.post_key]
        drafted = json.dumps({"draft": item.draft, "claim": item.claim, "reason": item.action_reason})
        for _, value in post.pii:
            assert value not in drafted, (post.id, value)
        assert item.post["text"] == PostRecord.get(item.post_key).text


def test_the_outside_checks_leaks_are_closed(service: Service) -> None:
    keys = deliver_all(service, LEAKS, f"leaks-{RUN}")
    for key, post in keys.items():
        stored = PostRecord.get(key)
        items = [r for r in ReviewItemRecord.scan() if r.post_key == key]
        blob = stored.text + json.dumps([{"post": i.post, "draft": i.draft} for i in items])
        for _, value in post.pii:
            for word in value.replace(",", " ").split():
                if word[:1].isupper() and len(word) > 2:
                    assert word not in blob, (post.id, word, stored.text)
        assert "301 W 4th" not in blob
