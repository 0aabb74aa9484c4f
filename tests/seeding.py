"""Review items written straight into the review store (DynamoDB Local), for tests that need many items or a shape
the matcher would not produce on demand (a monitored post, a counter-speech post, a hundred-odd queued items).

They are built by the respond function's own ``build_review_item`` from a stored post and a curated claim, so they
are the items the pipeline would make; only the model's decision is given instead of computed.
"""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from functions.curation.knowledge_base import load_knowledge_base
from functions.respond.logic import SlaRule, build_review_item
from functions.respond.priority import priority_key
from functions.shared.claims import Claim
from functions.shared.models import Action, MatchMessage, ReplyPolicy, ReviewItem, Stance, StoredPost
from functions.shared.settings import PROJECT_ROOT

_ids = itertools.count(1)
_RUN = datetime.now(UTC).strftime("%H%M%S%f")


@functools.cache
def claim(claim_id: str) -> Claim:
    """Read once per claim: the knowledge base takes about a second to load and validate, and tests seed hundreds."""
    return next(c for c in load_knowledge_base(PROJECT_ROOT / "knowledge_base").claims if c.id == claim_id)


def queued(stance: Stance = Stance.SUPPORTS, action: Action = Action.CORRECT, **flags: Any) -> ReplyPolicy:
    return ReplyPolicy.model_validate(
        {"stance": stance, "stance_confidence": 0.9, "action": action, "reason": f"test: {action}", **flags}
    )


def seed_review_item(
    store: Any,
    text: str,
    *,
    claim_id: str = "measles-mild-illness",
    policy: ReplyPolicy | None = None,
    platform: str = "x",
    age: timedelta = timedelta(minutes=30),
    **post: Any,
) -> ReviewItem:
    """Store (once) and return the review item for a new post with ``text`` matched to ``claim_id``."""
    now = datetime.now(UTC)
    post_id = f"seed-{_RUN}-{next(_ids)}"
    stored = StoredPost.model_validate(
        {
            "post_key": f"{platform}#{post_id}",
            "platform": platform,
            "post_id": post_id,
            "author_handle": "@poster",
            "text": text,
            "url": f"https://example.org/{platform}/{post_id}",
            "created_at": now - age,
            "received_at": now,
            "language": "en",
            "region": None,
            "reach": {"followers": 1200, "likes": 30, "shares": 4, "views": 5000},
            "discloses_own_health": False,
            "redactions": {},
            "source": "webhook",
            **post,
        }
    )
    matched = claim(claim_id)
    message = MatchMessage(
        post_key=stored.post_key,
        decision="match",
        kb_version="kb-seed",
        matches=[],
        claim=matched.model_dump(mode="json"),
        policy=policy or queued(),
    )
    item = build_review_item(message, stored, now, SlaRule())
    assert store.put_review_item_if_new(item, priority_key(item.priority, item.item_id))
    return item
