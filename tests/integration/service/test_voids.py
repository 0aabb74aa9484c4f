"""Information voids end to end on DynamoDB Local with the real model: the synthetic stream (three myths the
knowledge base lacks, posts repeating known myths, chatter; tests/data/voids/stream.jsonl) goes through the webhook,
ingest, match (kept posts) and the scheduled clustering in respond; the three myths must be the three top voids,
each its own, and the API must show them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from functions.curation.voids_eval import STREAM_FILE, read_jsonl
from functions.local.scheduler import voids_event
from functions.shared import dependencies
from functions.shared.dal.models import UnmatchedRecord
from functions.shared.models import StoredVoid
from tests.conftest import Reply, Service

RUN = datetime.now(UTC).strftime("%H%M%S%f")


def stream_posts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "platform": row["platform"],
            "post_id": f"{row['id']}-{RUN}",
            "text": row["text"],
            "created_at": datetime.now(UTC).isoformat(),
            "reach": {"followers": 50, "likes": 2, "shares": 0, "views": 300},
        }
        for row in rows
    ]


def labels(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {f"{row['platform']}#{row['id']}-{RUN}": row.get("myth") or row["kind"] for row in rows}


def leading_label(void: StoredVoid, labelled: dict[str, str]) -> tuple[str, float]:
    label, count = Counter(labelled.get(key, "other") for key in void.members).most_common(1)[0]
    return label, count / void.size


def deliver(service: Service, rows: list[dict[str, Any]]) -> Reply:
    return service.client.request("POST", "/v1/posts", {"posts": stream_posts(rows)}, {"x-api-key": service.ingest_key})


def cluster(service: Service) -> dict[str, Any]:
    return service.local.functions.invoke("respond", voids_event())


def test_the_lacking_myths_are_the_top_voids(service: Service) -> None:
    for record in UnmatchedRecord.scan():  # other tests' unmatched posts are not part of this stream
        record.delete()
    rows = read_jsonl(STREAM_FILE)
    reply = deliver(service, rows)
    assert reply.status == 200, reply.body
    assert reply.json()["accepted"] == len(rows)
    assert service.local.wait_idle(600)
    kept = list(UnmatchedRecord.scan())
    labelled = labels(rows)
    kept_kinds = Counter(labelled[r.post_key] for r in kept)
    assert "matched" not in kept_kinds  # posts repeating known myths were flagged, not kept
    assert kept_kinds["chatter"] <= 6  # most chatter has no health word
    assert all(r.post["embedding"] and r.post["nearest"] for r in kept)

    summary = cluster(service)
    assert summary["voids"] >= 3
    voids = dependencies.voids().current_voids()
    myths = {row["myth"] for row in rows if row.get("myth")}
    top = [leading_label(v, labelled) for v in voids[:3]]
    assert {label for label, _ in top} == myths, top  # each lacking myth its own top void
    assert all(purity >= 0.8 for _, purity in top), top
    assert all(leading_label(v, labelled)[0] != "chatter" for v in voids)  # chatter leads no void
    assert all(v.size >= 10 for v in voids[:3])

    listed = service.client.request("GET", "/v1/voids", headers=service.educator)
    assert listed.status == 200, listed.body
    page = listed.json()
    assert page["kept_posts"] == len(kept)
    first = page["voids"][0]
    assert first["rank"] == 1
    assert first["void_id"] == voids[0].void_id
    assert "members" not in first
    assert 1 <= len(first["examples"]) <= 5
    assert all(labelled[e["post_key"]] == top[0][0] for e in first["examples"])
    assert first["closest_claims"][0]["statement"]  # the nearest claim, named
    assert sum(first["languages"].values()) == sum(first["platforms"].values()) == first["size"]
    assert first["growth"] == first["size"]  # everything arrived just now

    one = service.client.request("GET", f"/v1/voids/{first['void_id']}", headers=service.educator)
    assert one.status == 200
    assert one.json() == first
    assert service.client.request("GET", "/v1/voids/v-nothing", headers=service.educator).status == 404
    assert service.client.request("GET", "/v1/voids").status == 401

    # A redelivered batch keeps nothing twice, and the next run finds the same voids under the same ids.
    again = deliver(service, rows)
    assert again.json()["accepted"] == 0
    assert service.local.wait_idle(600)
    assert len(list(UnmatchedRecord.scan())) == len(kept)
    cluster(service)
    assert [v.void_id for v in dependencies.voids().current_voids()[:3]] == [v.void_id for v in voids[:3]]
