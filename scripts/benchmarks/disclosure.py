"""Own-health disclosures in the languages beyond English and Spanish: how many are found, how many posts are flagged
wrongly, and what the detector costs per post.

Run: .venv/bin/python scripts/benchmarks/disclosure.py [--json]   (about 20 seconds)

Two detectors in the same run: ``before``, functions/ingest/disclosure.py at BASELINE_COMMIT (read from git: English
and Spanish, and a few French, Portuguese and German patterns), and ``now``, what ingest runs
(``discloses_own_health``: that module without those few patterns, plus ``disclosure_languages.py``). The labelled
posts are tests/data/disclosure/multilingual.jsonl: 40 posts in each of German, French, Portuguese, Russian,
Bulgarian, Korean, Chinese and Arabic, 20 that disclose the author's own health and 20 hard negatives (someone
else's health, negations, hypotheticals, questions, clinicians about patients), written for the project by a helper
that never saw the rules; the rules' authors never saw these posts. Printed per language: disclosures found (recall)
and negatives flagged. Then milliseconds per post over the demo sample and CheckThat tweets (what ingest mostly
sees), best of --rounds passes, for both.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import DEFAULT_POSTS, post_texts  # noqa: E402
from report import best_ms_per_item, module_at, print_figures  # noqa: E402

from functions.ingest.disclosure import discloses_own_health  # noqa: E402

BASELINE_COMMIT = "d787c87"  # main before the eight languages
DATA = ROOT / "tests" / "data" / "disclosure" / "multilingual.jsonl"


def baseline() -> Callable[[str], bool]:
    module = module_at(BASELINE_COMMIT, "functions/ingest/disclosure.py", "baseline_disclosure")
    detector: Callable[[str], bool] = module.discloses_own_health
    return detector


def detect_all(detector: Callable[[str], bool], texts: list[str]) -> None:
    for text in texts:
        detector(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    detectors = {"before": baseline(), "now": discloses_own_health}
    figures: dict[str, object] = {"posts": len(rows)}
    for name, detector in detectors.items():
        found = flagged = disclosures = negatives = 0
        for language in sorted({row["language"] for row in rows}):
            mine = [row for row in rows if row["language"] == language]
            hits = sum(detector(row["text"]) for row in mine if row["discloses"])
            wrong = sum(detector(row["text"]) for row in mine if not row["discloses"])
            total_true = sum(row["discloses"] for row in mine)
            figures[f"{name}_{language}_found"] = f"{hits}/{total_true}"
            figures[f"{name}_{language}_negatives_flagged"] = f"{wrong}/{len(mine) - total_true}"
            found, flagged = found + hits, flagged + wrong
            disclosures, negatives = disclosures + total_true, negatives + len(mine) - total_true
        figures[f"{name}_recall"] = round(found / disclosures, 3)
        figures[f"{name}_negatives_flagged"] = round(flagged / negatives, 3)
    texts = post_texts(DEFAULT_POSTS, 1416)
    for name, detector in detectors.items():
        step = partial(detect_all, detector, texts)
        figures[f"{name}_ms_per_post"] = round(best_ms_per_item(step, len(texts), args.rounds), 4)
    print_figures(figures, as_json=args.json)


if __name__ == "__main__":
    main()
