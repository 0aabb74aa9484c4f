"""Metrics against hand-worked examples (trec_eval semantics) and the CheckThat file readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions.match.engine.evaluation import (
    average_precision,
    precision_at,
    read_claims,
    read_qrels,
    read_queries,
    recall_at,
    summarise,
)
from functions.shared.errors import InvalidInput


def test_average_precision_hand_worked() -> None:
    # Relevant {a, c}; ranking a x c y: hits at 1 and 3 -> (1/1 + 2/3) / 2 = 0.8333…
    assert average_precision(["a", "x", "c", "y"], {"a", "c"}, 5) == pytest.approx((1 + 2 / 3) / 2)
    # Cut at 1: only the first hit counts, still divided by all relevant: 1/2.
    assert average_precision(["a", "x", "c"], {"a", "c"}, 1) == pytest.approx(0.5)
    # Relevant item at rank 3 of 5 with one relevant: 1/3.
    assert average_precision(["x", "y", "a"], {"a"}, 5) == pytest.approx(1 / 3)
    # Beyond the cutoff it does not count.
    assert average_precision(["x", "y", "z", "w", "v", "a"], {"a"}, 5) == 0.0
    assert average_precision([], {"a"}, 5) == 0.0


def test_precision_and_recall() -> None:
    assert precision_at(["a", "b"], {"a"}, 1) == 1.0
    assert precision_at(["b", "a"], {"a"}, 1) == 0.0
    assert recall_at(["b", "a", "c"], {"a", "c", "d"}, 2) == pytest.approx(1 / 3)


def test_summarise_counts_unranked_queries_as_zero() -> None:
    rankings = {"q1": ["a", "b"], "q2": ["x", "y", "b"]}
    qrels = {"q1": {"a"}, "q2": {"b"}, "q3": {"c"}}
    report = summarise(rankings, qrels)
    assert report["queries"] == 3
    assert report["map@1"] == pytest.approx(1 / 3)
    assert report["map@5"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert report["p@1"] == pytest.approx(1 / 3)
    assert report["recall@5"] == pytest.approx(2 / 3)


def test_readers_handle_checkthat_quirks(tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        '{"vclaim_id": "c1", "vclaim": "Claim one.", "title": "Title one"}\n\n{"vclaim_id": "c2", "vclaim": "Two."}\n'
    )
    queries = tmp_path / "queries.tsv"
    queries.write_text('id\ttext\nq1\tplain text\nq2\t"quoted ""inner"" text"\n')
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1 0 c1 1\nq2\t0\tc2\t1\nq2 0 c1 0\n")
    assert read_claims(claims) == [
        ("c1", [("vclaim", "Claim one."), ("title", "Title one")]),
        ("c2", [("vclaim", "Two.")]),
    ]
    assert read_queries(queries) == {"q1": "plain text", "q2": 'quoted "inner" text'}
    assert read_qrels(qrels) == {"q1": {"c1"}, "q2": {"c2"}}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("claims.jsonl", "not json\n", "not JSON"),
        ("claims.jsonl", '{"vclaim": "no id"}\n', "needs a string 'vclaim_id'"),
        ("claims.jsonl", '{"vclaim_id": "c", "vclaim": ""}\n', "non-empty string 'vclaim'"),
        ("claims.jsonl", '{"vclaim_id": "c", "vclaim": "a"}\n{"vclaim_id": "c", "vclaim": "b"}\n', "duplicate"),
        ("qrels.tsv", "q1 0 c1\n", "expected 'query_id 0 claim_id relevance'"),
        ("qrels.tsv", "q1 0 c1 yes\n", "relevance must be an integer"),
        ("queries.tsv", "only-an-id\n", "expected 'id<TAB>text'"),
    ],
)
def test_readers_reject_bad_files_with_line_numbers(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    reader = {"claims.jsonl": read_claims, "qrels.tsv": read_qrels, "queries.tsv": read_queries}[name]
    with pytest.raises(InvalidInput, match=message):
        reader(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        read_queries(tmp_path / "nope.tsv")
