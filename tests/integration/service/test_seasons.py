"""Seasonal claims on the running service: the same post about flu ranks 1.5 times higher where flu is in season
(the post's region picks the hemisphere), and the coming-up API lists the claims entering their season."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.shared.seasons import entering_within, in_season
from tests.conftest import KB_DIR, Service

FLU_CLAIM = "flu-vaccine-gives-you-flu"
RUN = datetime.now(UTC).strftime("%H%M%S%f")
CLAIMS = {c.id: c for c in load_knowledge_base(KB_DIR).claims}


def test_an_item_whose_claim_is_in_season_where_it_was_posted_ranks_higher(service: Service) -> None:
    created = datetime.now(UTC) - timedelta(minutes=5)
    posts = [
        {
            "platform": "x",
            "post_id": f"season-{RUN}-{region}",
            "author_handle": "@someone",
            "text": "Never get the flu jab, it gives you the flu. Happened to me and my whole family",
            "created_at": created.isoformat(),
            "region": region,
            "reach": {"followers": 5000, "likes": 80, "shares": 20, "views": 20000},
        }
        for region in ("GB", "AU")
    ]
    answer = service.client.request("POST", "/v1/posts", {"posts": posts}, headers={"x-api-key": service.ingest_key})
    assert answer.status == 200, answer.body
    assert service.local.wait_idle(300)
    listed = service.client.request("GET", f"/v1/reviews?claim={FLU_CLAIM}&limit=100", headers=service.educator)
    by_post = {item["post"]["post_id"]: item for item in listed.json()["items"]}
    north, south = by_post[f"season-{RUN}-GB"], by_post[f"season-{RUN}-AU"]

    season = CLAIMS[FLU_CLAIM].season
    assert season is not None
    # flu's months are complementary between the hemispheres, so exactly one of the two is in season, any month
    north_in, south_in = in_season(season, "north", created.date()), in_season(season, "south", created.date())
    assert north_in != south_in
    expected = 1.5 if north_in else 1 / 1.5
    assert north["priority"] / south["priority"] == pytest.approx(expected, rel=1e-3)


def test_the_coming_up_api_lists_claims_entering_their_season(service: Service) -> None:
    answer = service.client.request("GET", "/v1/claims:coming-up?hemisphere=south&weeks=26", headers=service.educator)
    assert answer.status == 200, answer.body
    body = answer.json()
    today = datetime.fromisoformat(body["today"]).date()
    entering = {c["claim_id"]: c for c in body["entering"]}
    now = {c["claim_id"] for c in body["in_season"]}
    expected_entering = {c.id for c in CLAIMS.values() if entering_within(c.season, "south", today, 26 * 7) is not None}
    assert set(entering) == expected_entering
    assert now == {c.id for c in CLAIMS.values() if in_season(c.season, "south", today)}
    assert entering  # half a year ahead, some seasonal topic always starts
    starts = [c["starts_on"] for c in body["entering"]]
    assert starts == sorted(starts)
    heat = [c for c in CLAIMS.values() if c.topic == "heat-illness"]
    assert {c.id for c in heat} <= set(entering) | now  # summer comes within half a year, or is here

    assert service.client.request("GET", "/v1/claims:coming-up").status == 401
    bad = service.client.request("GET", "/v1/claims:coming-up?weeks=0", headers=service.educator)
    assert bad.status == 422
