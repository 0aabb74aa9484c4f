"""Sentiment per post (functions/match/sentiment.py, VADER) on the project's labelled sample: how well "negative"
(compound <= -0.05) separates the 20 negative posts from the 20 others (questions, neutral, positive). Baseline in
the same run: a word list (a post is negative when it holds any of a dozen obvious negative words). Prints figures,
asserts nothing.

Run: .venv/bin/python scripts/benchmarks/sentiment.py [--data tests/data/sentiment/posts.jsonl]

The sample is small and written for the project (health-myth posts in English), so the figures are a sanity
check of the lexicon on this register, not a general accuracy.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from functions.match.sentiment import is_negative, sentiment

ROOT = Path(__file__).resolve().parents[2]
WORDS = re.compile(r"\b(hate|poison|killing|killed|lied|lies|scam|disgusting|awful|terrified|angry|furious)\b", re.I)


def scores(predicted: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    precision = tp / max(1, sum(predicted))
    recall = tp / max(1, sum(truth))
    accuracy = sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth)
    return precision, recall, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests/data/sentiment/posts.jsonl")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    truth = [r["label"] == "negative" for r in rows]
    rules = {
        "VADER compound <= -0.05": [is_negative(sentiment(r["text"], "en")) for r in rows],
        "word list (baseline)": [bool(WORDS.search(r["text"])) for r in rows],
    }
    print(f"{len(rows)} posts, {sum(truth)} labelled negative")
    print(f"{'rule':<28}{'precision':>10}{'recall':>8}{'accuracy':>10}")
    for name, predicted in rules.items():
        precision, recall, accuracy = scores(predicted, truth)
        print(f"{name:<28}{precision:>10.2f}{recall:>8.2f}{accuracy:>10.2f}")


if __name__ == "__main__":
    main()
