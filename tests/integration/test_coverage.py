"""``antidote kb coverage`` on a slice of the real CheckThat pool (read in place from ../shared/eval), with the real
model and the real knowledge base: the health claims are found, grouped and checked against the claims."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.shared.settings import PROJECT_ROOT

ANTIDOTE = [sys.executable, "-m", "functions.cli.app"]
POOL = PROJECT_ROOT.parent / "shared" / "eval" / "checkthat2022" / "vclaims.jsonl"
SLICE = 1500

pytestmark = pytest.mark.skipif(not POOL.is_file(), reason=f"the CheckThat pool is not at {POOL}")


def test_coverage_of_a_slice_of_the_pool_writes_the_report_and_summary(kb_index_dir: Path, tmp_path: Path) -> None:
    report, summary = tmp_path / "coverage.md", tmp_path / "coverage.json"
    args = ["kb", "coverage", "--pool", str(POOL), "--limit", str(SLICE), "--min-size", "3"]
    done = subprocess.run(
        [*ANTIDOTE, *args, "--report", str(report), "--json", str(summary), "--cache", str(tmp_path / "vectors.npz")],
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "200", "ANTIDOTE_INDEX_DIR": str(kb_index_dir)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(summary.read_text(encoding="utf-8"))
    assert figures["pool_claims"] == SLICE
    # about health: a minority of Snopes' fact-checks, but far from none
    assert 0.05 * SLICE < figures["health_claims"] < 0.5 * SLICE
    assert figures["health_by_words"] + figures["health_by_similarity_only"] == figures["health_claims"]
    assert figures["themes_found"] >= 3
    pool_ids = {json.loads(line)["vclaim_id"] for line in POOL.open(encoding="utf-8").readlines()[: SLICE + 50]}
    kb_ids = set(load_knowledge_base(PROJECT_ROOT / "knowledge_base").by_id)
    for theme in figures["themes"]:
        assert theme["size"] >= 3
        assert set(theme["central_ids"]) <= pool_ids
        assert theme["best_claim"] is None or theme["best_claim"] in kb_ids
        assert theme["covered"] == (theme["flagged_share"] >= 0.5)
    assert sum(t["size"] for t in figures["themes"]) == figures["in_themes"] <= figures["health_claims"]
    text = report.read_text(encoding="utf-8")
    assert f"antidote kb coverage --pool {POOL} --min-size 3 --words-floor 0.3 --distance 0.5 --limit {SLICE}" in text
    assert (tmp_path / "vectors.npz").is_file()  # the pool's vectors, for the next run
    assert f"**covered {figures['themes_covered']} of {figures['themes_found']}" in text
    uncovered = [t for t in figures["themes"] if not t["covered"]]
    assert text.count("\n### ") == len(uncovered)
    assert f"{figures['themes_found']} themes, {figures['themes_covered']} covered" in done.stdout
