"""Held-back matching quality on the health knowledge base: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/heldout.py   (needs a built index: antidote kb build)

- paraphrases (tests/data/heldout/*.yaml): myths worded in ways the KB has never seen — how often the right claim
  comes first, and how often it is then flagged (match or review) or confidently matched;
- unrelated on-topic chatter from the same files: how often it is matched or sent to review;
- ``--engine both`` (the default) runs the ONNX engine (the built artifact, as the match function runs it) and
  the torch engine (sentence-transformers, with the same knowledge base embedded by torch, as before the ONNX
  runtime) on the same texts, and reports how often they reach the same decision and the same top claim — on the
  paraphrases, the chatter and, when ../shared/eval is there, the CheckThat 2021 test tweets (negatives).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import BASELINE_HELP, matcher_with_calibration  # noqa: E402
from report import print_figures  # noqa: E402

TWEETS = ROOT.parent / "shared" / "eval" / "checkthat2022" / "CT2022-Task2A-EN-Dev-Test_Queries.tsv"


def quality(matcher: Any, paraphrases: list[dict[str, str]], unrelated: list[str]) -> tuple[dict[str, float], Any]:
    from functions.match.engine.matcher import Decision

    outcome: Counter[str] = Counter()
    para_results = matcher.check_many([p["text"] for p in paraphrases])
    for item, result in zip(paraphrases, para_results, strict=True):
        right = bool(result.matches) and result.matches[0].claim.id == item["claim_id"]
        outcome["right_top_claim"] += right
        outcome["right_and_match"] += right and result.decision is Decision.MATCH
        outcome["right_and_flagged"] += right and result.decision is not Decision.NONE
        outcome["wrong_claim_matched"] += (not right) and result.decision is Decision.MATCH
    unrelated_results = matcher.check_many(unrelated)
    decisions = Counter(r.decision.value for r in unrelated_results)
    figures = {
        **{k: round(outcome[k] / len(paraphrases), 3) for k in sorted(outcome)},
        "unrelated_match_rate": round(decisions["match"] / len(unrelated), 3),
        "unrelated_review_rate": round(decisions["review"] / len(unrelated), 3),
    }
    return figures, (para_results, unrelated_results)


def torch_matcher(onnx_matcher: Any) -> Any:
    """The engine as it was: the same claims and calibration, embedded and queried with sentence-transformers."""
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts
    from functions.match.engine.embedder import SentenceTransformerEmbedder
    from functions.match.engine.index import build_index
    from functions.match.engine.matcher import Matcher
    from functions.shared.settings import get_settings

    settings = get_settings()
    embedder = SentenceTransformerEmbedder(settings.embedding_model)
    index = build_index(
        kb_index_texts(load_knowledge_base(settings.knowledge_base_dir), with_translations=False), embedder
    )
    claims = list(onnx_matcher.claims.values())
    return Matcher(index, claims, onnx_matcher.manifest, embedder, onnx_matcher.stance)


def agreement(name: str, left: list[Any], right: list[Any], totals: Counter[str]) -> dict[str, float]:
    same_decision = sum(a.decision == b.decision for a, b in zip(left, right, strict=True))
    totals["texts"] += len(left)
    totals["same_decision"] += same_decision
    same_top = sum(
        (a.matches[0].claim.id if a.matches else None) == (b.matches[0].claim.id if b.matches else None)
        for a, b in zip(left, right, strict=True)
    )
    return {
        f"{name}_same_decision": round(same_decision / len(left), 4),
        f"{name}_same_top_claim": round(same_top / len(left), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["onnx", "torch", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline-calibration", type=Path, help=BASELINE_HELP)
    args = parser.parse_args()

    from functions.match.engine.evaluation import read_queries
    from functions.match.engine.matcher import Matcher
    from functions.shared.settings import get_settings

    settings = get_settings()
    onnx = Matcher.from_artifact(settings.resolved_index_dir)
    paraphrases: list[dict[str, str]] = []
    unrelated: list[str] = []
    for path in sorted((ROOT / "tests" / "data" / "heldout").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        paraphrases += data["paraphrases"]
        unrelated += data["unrelated"]
    figures: dict[str, Any] = {
        "paraphrases": len(paraphrases),
        "unrelated": len(unrelated),
        "kb_version": onnx.kb_version,
        "onnx_quantisation": onnx.manifest.embedding.quantisation.mode,
    }
    engines: dict[str, Any] = {"onnx": onnx} if args.engine != "torch" else {}
    if args.engine != "onnx":
        engines["torch"] = torch_matcher(onnx)
    if args.baseline_calibration:
        engines["baseline"] = matcher_with_calibration(onnx, args.baseline_calibration)
    results = {}
    for name, matcher in engines.items():
        found, results[name] = quality(matcher, paraphrases, unrelated)
        figures.update({f"{name}_{key}": value for key, value in found.items()})
    if args.engine == "both":
        totals: Counter[str] = Counter()
        figures.update(agreement("paraphrases", results["onnx"][0], results["torch"][0], totals))
        figures.update(agreement("unrelated", results["onnx"][1], results["torch"][1], totals))
        if TWEETS.is_file():
            tweets = [t for t in read_queries(TWEETS).values() if t.strip()]
            figures["tweets"] = len(tweets)
            torch_engine = engines["torch"]
            figures.update(agreement("tweets", onnx.check_many(tweets), torch_engine.check_many(tweets), totals))
        figures["all_same_decision"] = round(totals["same_decision"] / totals["texts"], 4)
        figures["all_different_decisions"] = totals["texts"] - totals["same_decision"]
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
