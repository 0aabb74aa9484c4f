"""Killing the database in the middle of a 300-post batch loses nothing: after a restart every accepted post is
matched exactly once, nothing is counted or queued for review twice, and what failed every retry is visible in
the dead letters and goes through when redriven."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

from functions.local.demo import load_demo_posts
from functions.shared.dal.counters import TREND_PARTITIONS
from tests.integration.serve_process import Served, antidote, serve_env, start_serve

POSTS = 300


def batch_of_posts(run: str) -> list[dict[str, Any]]:
    """300 distinct posts: the bundled sample's texts (myths, debunks, chatter) under new ids, created now."""
    sample = load_demo_posts()
    now = datetime.now(UTC).isoformat()
    posts = []
    for i in range(POSTS):
        source = sample[i % len(sample)]
        posts.append(
            {
                "platform": "x",
                "post_id": f"{run}-{i}",
                "author_handle": "@someone",
                "text": f"{source['text']} ({i})",
                "created_at": now,
                "reach": source.get("reach") or {},
            }
        )
    return posts


def send_posts(served: Served, key: str, posts: list[dict[str, Any]]) -> set[str]:
    accepted: set[str] = set()
    for start in range(0, len(posts), 100):
        body = json.dumps({"posts": posts[start : start + 100]}).encode()
        request = urllib.request.Request(
            served.url + "/v1/posts",
            data=body,
            method="POST",
            headers={"x-api-key": key, "content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as reply:
            result = json.loads(reply.read())
        accepted.update(f"x#{item['post_id']}" for item in result["items"] if item["status"] == "accepted")
    return accepted


def queued_messages(state: Path) -> int:
    with sqlite3.connect(f"file:{state / 'queues.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return int(db.execute("SELECT COUNT(*) FROM messages").fetchone()[0])


def wait_until_drained(served: Served, timeout: float = 300) -> None:
    """Until no message waits in either queue (delivered, or parked in the dead letters)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queued_messages(served.state) == 0:
            return
        assert served.alive(), served.log.read_text()[-3000:]
        time.sleep(0.5)
    raise AssertionError(f"{queued_messages(served.state)} messages still queued")


def scan(endpoint: str, table: str) -> list[dict[str, Any]]:
    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items.extend(page["Items"])
    return items


def wait_for_first_matches(endpoint: str, timeout: float = 300) -> None:
    """Until match has recorded its first batch: the moment to kill the database, with the rest still queued."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scan(endpoint, "antidote-matches"):
            return
        time.sleep(0.05)
    raise AssertionError("no post was matched")


def dead_letters(env: dict[str, str]) -> list[dict[str, Any]]:
    listed = antidote(["dlq", "list", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    return [json.loads(line) for line in listed.stdout.splitlines()]


def test_a_database_killed_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path: Path, kb_index_dir: Path) -> None:
    state = tmp_path / "state"
    env = serve_env(state, kb_index_dir, ANTIDOTE_LOCAL_RETRY_BASE_SECONDS="0.5")
    served = start_serve(state, env, background=True)
    try:
        key = antidote(["keys", "create", "--owner", "feed", "--scope", "ingest"], env).stdout.strip().splitlines()[-1]
        accepted = send_posts(served, key, batch_of_posts("fault"))
        assert len(accepted) == POSTS
        wait_for_first_matches(served.endpoint_file.read_text())
        os.kill(int(served.engine()["pid"]), signal.SIGKILL)  # the database dies in the middle of the batch
        wait_until_drained(served)  # each message backs off, then is parked: none is dropped
        served.send(signal.SIGTERM)
        assert served.wait_gone(90), served.log.read_text()[-3000:]
        first_log = served.log.read_text()
        assert "message moved to the dead-letter list" in first_log
        assert '"DeadLetters"' in first_log

        parked = dead_letters(env)
        assert parked, "the outage parked nothing: the database died after the batch was done"
        assert all(letter["receive_count"] == 5 and letter["error"] for letter in parked)
        parked_posts = {json.loads(letter["body"])["post_key"] for letter in parked if letter["queue"] == "posts"}

        served = start_serve(state, env, background=True)  # the same data folder: a dead engine's record is ignored
        endpoint = served.endpoint_file.read_text()
        wait_until_drained(served)
        matched = {item["post_key"]["S"] for item in scan(endpoint, "antidote-matches")}
        assert matched & accepted, "the database died before match recorded anything"
        assert accepted - matched <= parked_posts  # nothing lost: matched, or visibly parked
        assert len(dead_letters(env)) == len(parked)  # the start re-queued nothing that waits in the dead letters

        print(  # the figures behind the report: how much the outage parked, and where
            f"accepted {len(accepted)}; parked {len(parked)} ({len(parked_posts)} posts, "
            f"{len(parked) - len(parked_posts)} matches); matched before the redrive {len(matched & accepted)}"
        )
        redriven = antidote(["dlq", "redrive"], env)
        assert redriven.returncode == 0, redriven.stderr
        assert f"{len(parked)} message(s) sent back" in redriven.stdout
        wait_until_drained(served)
        assert dead_letters(env) == []
        assert_matched_exactly_once(endpoint, accepted)
        served.send(signal.SIGTERM)
        assert served.wait_gone(90)
    finally:
        served.stop()


def assert_matched_exactly_once(endpoint: str, accepted: set[str]) -> None:
    posts = [item["post_key"]["S"] for item in scan(endpoint, "antidote-posts")]
    assert sorted(posts) == sorted(accepted)
    matches = scan(endpoint, "antidote-matches")
    assert sorted(item["post_key"]["S"] for item in matches) == sorted(accepted)  # every post, once
    # Each match moved its claim's trend counter once, in the same transaction: the counters add up to the matches.
    counted = sum(1 for item in matches if item.get("trend", {}).get("S"))
    partitions = tuple(f"{p}#" for p in TREND_PARTITIONS.values())
    counters = scan(endpoint, "antidote-counters")
    assert sum(int(c["tally"]["N"]) for c in counters if c["name"]["S"].startswith(partitions)) == counted
    # Respond made one review item per flagged post, none twice.
    flagged = {item["post_key"]["S"] for item in matches if item["decision"]["S"] in {"match", "review"}}
    items = Counter(item["post_key"]["S"] for item in scan(endpoint, "antidote-reviews"))
    assert set(items) == flagged
    assert max(items.values(), default=1) == 1
