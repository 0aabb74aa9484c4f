"""Held-back matching quality on the health knowledge base: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/heldout.py   (needs a built index: antidote kb build)

- paraphrases (tests/data/heldout/*.yaml): myths worded in ways the KB has never seen — how often the right claim
  comes first, and how often it is then flagged (match or review) or confidently matched;
- unrelated on-topic chatter from the same files: how often it is matched or sent to review.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402


def main() -> None:
    from functions.match.engine.embedder import SentenceTransformerEmbedder
    from functions.match.engine.matcher import Decision, Matcher
    from functions.shared.settings import get_settings

    settings = get_settings()
    matcher = Matcher.from_artifact(settings.resolved_index_dir, SentenceTransformerEmbedder(settings.embedding_model))
    paraphrases, unrelated = [], []
    for path in sorted((ROOT / "tests" / "data" / "heldout").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        paraphrases += data["paraphrases"]
        unrelated += data["unrelated"]
    outcome: Counter[str] = Counter()
    for item, result in zip(paraphrases, matcher.check_many([p["text"] for p in paraphrases]), strict=True):
        right = bool(result.matches) and result.matches[0].claim.id == item["claim_id"]
        outcome["right_top_claim"] += right
        outcome["right_and_match"] += right and result.decision is Decision.MATCH
        outcome["right_and_flagged"] += right and result.decision is not Decision.NONE
        outcome["wrong_claim_matched"] += (not right) and result.decision is Decision.MATCH
    decisions = Counter(r.decision.value for r in matcher.check_many(unrelated))
    figures = {
        "paraphrases": len(paraphrases),
        **{k: round(v / len(paraphrases), 3) for k, v in sorted(outcome.items())},
        "unrelated": len(unrelated),
        "unrelated_match_rate": round(decisions["match"] / len(unrelated), 3),
        "unrelated_review_rate": round(decisions["review"] / len(unrelated), 3),
        "kb_version": matcher.kb_version,
    }
    print_figures(figures, "--json" in sys.argv)


if __name__ == "__main__":
    main()
