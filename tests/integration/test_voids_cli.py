"""``antidote voids cluster|list`` and ``antidote kb draft --from-void`` as a curator runs them: real processes on a
DynamoDB Local that this test keeps running for the state folder (as ``antidote serve`` would), seeded with kept
posts in two groups; the draft is written in the knowledge base's format and fails validation until filled."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from functions.local.dynamodb_local import DynamoDBLocal
from functions.shared.settings import PROJECT_ROOT, get_settings

ANTIDOTE = [sys.executable, "-m", "functions.cli.app"]
SEED = """
from datetime import UTC, datetime
import numpy as np
from functions.cli.service import _database
from functions.shared.dal.database import Database
from functions.shared.dal.voids import VoidStore
from functions.shared.embedding_codec import encode_embedding
from functions.shared.models import Platform, UnmatchedPost, VoidClaim
from functions.shared.settings import get_settings

rng = np.random.default_rng(7)
posts = []
for group, axis, text in (("knuckles", 0, "cracking your knuckles gives you arthritis"),
                          ("shaving", 1, "shaving makes hair grow back thicker")):
    for n in range(7 if group == "knuckles" else 5):
        vector = np.eye(384)[axis] + rng.normal(0, 0.02, 384)
        posts.append(UnmatchedPost(
            post_key=f"x#{group}-{n}", platform=Platform.X, language="en", text=f"{text} #{n}",
            received_at=datetime.now(UTC), embedding=encode_embedding(vector),
            nearest=[VoidClaim(claim_id="antibiotics-treat-colds-and-flu", topic="antibiotics", similarity=0.3)],
            health_reason="health words: test"))
with _database(get_settings()) as db:
    print(sum(VoidStore(Database(db)).keep_posts(posts).values()))
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=PROJECT_ROOT, env={**os.environ, "COLUMNS": "200", **env}, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def test_a_curator_lists_the_voids_and_drafts_a_claim_from_one(tmp_path: Path) -> None:
    env = {"ANTIDOTE_STATE_DIR": str(tmp_path)}
    with DynamoDBLocal(get_settings().dynamodb_local_dir, tmp_path / "dynamodb-data") as endpoint:
        (tmp_path / "dynamodb-local.endpoint").write_text(endpoint)  # as a running 'antidote serve' leaves it
        seeded = run([sys.executable, "-c", SEED], env)
        assert seeded.returncode == 0, seeded.stderr
        assert seeded.stdout.strip() == "12"
        clustered = run([*ANTIDOTE, "voids", "cluster"], env)
        assert clustered.returncode == 0, clustered.stderr
        assert "2 void(s); largest 7 post(s)" in clustered.stdout
        listed = run([*ANTIDOTE, "voids", "list"], env)
        assert listed.returncode == 0, listed.stderr
        assert "2 void(s) from 12 kept post(s)" in listed.stdout
        first = re.search(r"│ 1\s+│ (v-[0-9a-f]{12})", listed.stdout)
        assert first, listed.stdout
        draft_file = tmp_path / "draft.yaml"
        drafted = run([*ANTIDOTE, "kb", "draft", "--from-void", first.group(1), "--output", str(draft_file)], env)
        assert drafted.returncode == 0, drafted.stderr
        missing = run([*ANTIDOTE, "kb", "draft", "--from-void", "v-000000000000"], env)
    assert missing.returncode == 2
    assert "no void v-000000000000" in missing.stderr
    (entry,) = yaml.safe_load(draft_file.read_text("utf-8"))
    assert entry["topic"] == "antibiotics"
    assert len(entry["variants"]) == 5
    assert all(v.startswith("cracking your knuckles gives you arthritis") for v in entry["variants"])
    assert (entry["statement"], entry["sources"]) == ("", [])
    kb = tmp_path / "kb"
    subprocess.run(["cp", "-r", str(PROJECT_ROOT / "knowledge_base"), str(kb)], check=True)
    claims = kb / "claims" / "antibiotics.yaml"
    claims.write_text(claims.read_text("utf-8") + "\n" + draft_file.read_text("utf-8"), encoding="utf-8")
    validated = run([*ANTIDOTE, "kb", "validate", "--kb", str(kb)], env)
    assert validated.returncode == 2
    assert "statement" in validated.stderr
    assert "sources" in validated.stderr
