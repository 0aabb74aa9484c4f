"""``antidote sources list|test NAME`` and ``antidote scan NAME`` as an operator runs them: a sources.toml naming a
feed on the fake feed server, a state folder of its own (DynamoDB Local started for each command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from functions.shared.settings import PROJECT_ROOT
from tests.integration.sources.conftest import FeedServer


def antidote(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "functions.cli.app", *args],
        cwd=PROJECT_ROOT,
        # Nothing inherited from a service another test started (its database endpoint, its sources): only env.
        env={**{k: v for k, v in os.environ.items() if not k.startswith("ANTIDOTE_")}, "COLUMNS": "250", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_sources_by_hand(tmp_path: Path, kb_index_dir: Path, feed_server: FeedServer) -> None:
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(
        f'[[sources]]\nname = "town-feed"\nconnector = "rss"\nevery_minutes = 20\n'
        f'[sources.query]\nfeeds = ["{feed_server.url}/feed.xml"]\n',
        "utf-8",
    )
    state = tmp_path / "state"
    state.mkdir()
    (state / "dynamodb-local").symlink_to(PROJECT_ROOT / ".antidote" / "dynamodb-local")  # the installed engine
    env = {
        "ANTIDOTE_STATE_DIR": str(state),
        "ANTIDOTE_INDEX_DIR": str(kb_index_dir),
        "ANTIDOTE_SOURCES_FILE": str(sources_file),
        "ANTIDOTE_DEV_TOKEN_SECRET": "cli-sources-secret-0123456789abcdefghij",
    }
    tested = antidote(["sources", "test", "town-feed"], env)
    assert tested.returncode == 0, tested.stderr
    assert "town-feed: 2 posts, 0 rejected, 1 requests" in tested.stdout
    assert "The MMR vaccine causes autism in children" in tested.stdout

    scanned = antidote(["scan", "town-feed"], env)
    assert scanned.returncode == 0, scanned.stderr
    assert "town-feed: fetched 2, accepted 2, duplicates 0, rejected 0" in scanned.stdout
    again = antidote(["scan", "town-feed"], env)  # a new process: the cursor comes from the database
    assert again.returncode == 0, again.stderr
    assert "town-feed: fetched 0, accepted 0" in again.stdout

    listed = antidote(["sources", "list"], env)
    assert listed.returncode == 0, listed.stderr
    town = next(line for line in listed.stdout.splitlines() if "town-feed" in line)
    assert "20 min" in town
    assert "0 fetched, 0 accepted" in town  # the last run
    demo = next(line for line in listed.stdout.splitlines() if "demo" in line)
    assert "by hand" in demo  # the local demo feed: never scheduled

    unknown = antidote(["scan", "nope"], env)
    assert unknown.returncode == 2
    assert "unknown scan source 'nope'" in unknown.stderr
