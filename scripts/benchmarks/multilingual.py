"""Per-language matching quality on the multilingual test set: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/multilingual.py [--json]   (needs a built index: antidote kb build)

Three ways of reading the same posts, in the same run, with the same built artifact:
- ``baseline``: today's engine for every post (English MiniLM + BM25, the English calibration);
- ``routed``: as the service runs — English on today's engine, every other language on the multilingual index
  (USE-m + BM25, its own calibration); the language is what ingest stores (lingua, functions/ingest/language.py;
  a post it cannot call is routed by its script);
- ``all_usem``: every post, English included, on the multilingual index (the alternative to routing).

Per language (``tests/data/multilingual/*.yaml``, never used for fitting; English: ``tests/data/heldout``):
right claim first; right claim first and flagged (``match`` or ``review``); right claim first and ``match``; a
wrong claim ``match``ed; and for the on-topic chatter that repeats no claim, how often it reaches ``match``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

TEST_SET = ROOT / "tests" / "data" / "multilingual"
HELDOUT = ROOT / "tests" / "data" / "heldout"
MODES = ("baseline", "routed", "all_usem")


def load_sets() -> dict[str, tuple[list[dict[str, str]], list[str]]]:
    """language -> (labelled posts, chatter); English from the held-back paraphrases."""
    sets: dict[str, tuple[list[dict[str, str]], list[str]]] = {}
    posts: list[dict[str, str]] = []
    chatter: list[str] = []
    for path in sorted(HELDOUT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        posts += data["paraphrases"]
        chatter += data["unrelated"]
    sets["en"] = (posts, chatter)
    for path in sorted(TEST_SET.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        sets[data["language"]] = (data["posts"], data["unrelated"])
    return sets


def hints(mode: str, texts: list[str]) -> list[str | None]:
    if mode == "baseline":
        return ["en"] * len(texts)
    if mode == "all_usem":
        return ["xx"] * len(texts)
    from functions.ingest.language import resolve_language

    return [resolve_language(None, t) for t in texts]


def quality(matcher: Any, mode: str, posts: list[dict[str, str]], chatter: list[str]) -> dict[str, float]:
    from functions.match.engine.matcher import Decision

    texts = [p["text"] for p in posts]
    outcome: Counter[str] = Counter()
    for item, result in zip(posts, matcher.check_many(texts, languages=hints(mode, texts)), strict=True):
        right = bool(result.matches) and result.matches[0].claim.id == item["claim_id"]
        outcome["right_first"] += right
        outcome["right_flagged"] += right and result.decision is not Decision.NONE
        outcome["right_match"] += right and result.decision is Decision.MATCH
        outcome["wrong_match"] += (not right) and result.decision is Decision.MATCH
    chatter_results = matcher.check_many(chatter, languages=hints(mode, chatter))
    outcome["chatter_match"] = sum(r.decision is Decision.MATCH for r in chatter_results)
    figures = {k: round(outcome[k] / len(posts), 3) for k in ("right_first", "right_flagged", "right_match")}
    figures["wrong_match"] = round(outcome["wrong_match"] / len(posts), 3)
    figures["chatter_match"] = round(outcome["chatter_match"] / len(chatter), 3)
    return figures


def table(results: dict[str, dict[str, dict[str, float]]], sizes: dict[str, tuple[int, int]]) -> str:
    """Each cell: baseline → **routed** · all USE-m."""
    lines = [
        "| language | posts / chatter | right first and flagged | right `match` | wrong `match` | chatter `match` |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for language, by_mode in results.items():
        cells = []
        for key in ("right_flagged", "right_match", "wrong_match", "chatter_match"):
            base, routed, usem = (by_mode[m][key] for m in MODES)
            cells.append(f"{base:.3f} → **{routed:.3f}** · {usem:.3f}")
        lines.append(f"| {language} | {sizes[language][0]} / {sizes[language][1]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="also print the per-language table for the docs")
    args = parser.parse_args()

    from functions.match.engine.matcher import Matcher
    from functions.shared.settings import get_settings

    matcher = Matcher.from_artifact(get_settings().resolved_index_dir)
    if matcher.manifest.multilingual is None:
        raise SystemExit("the built index has no multilingual index: run 'antidote kb build' (see docs/benchmarks.md)")
    sets = load_sets()
    figures: dict[str, Any] = {"kb_version": matcher.kb_version, "artifact": matcher.manifest.artifact_hash}
    results: dict[str, dict[str, dict[str, float]]] = {}
    seconds: dict[str, float] = dict.fromkeys(MODES, 0.0)
    matcher.check_many(["warm up: la vacuna de la gripe"], languages=["es"])  # load USE-m outside the timings
    for language, (posts, chatter) in sets.items():
        results[language] = {}
        for mode in MODES:
            started = time.perf_counter()
            results[language][mode] = quality(matcher, mode, posts, chatter)
            seconds[mode] += time.perf_counter() - started
            figures.update({f"{language}_{mode}_{k}": v for k, v in results[language][mode].items()})
    texts = sum(len(p) + len(c) for p, c in sets.values())
    figures.update({f"{mode}_posts_per_second": round(texts / seconds[mode], 1) for mode in MODES})
    print_figures(figures, args.json)
    if args.markdown:
        print(table(results, {lang: (len(p), len(c)) for lang, (p, c) in sets.items()}))


if __name__ == "__main__":
    main()
