"""Language detection at ingest: how often each language is told right, and what each script's models cost.

Run: .venv/bin/python scripts/benchmarks/language_detection.py [--json]   (about a minute)

Two detectors in the same run, with lingua's settings as ingest uses them (functions/ingest/language.py):
- ``before``: the seven Latin-script languages ingest knew until 2026-12-01 (en, es, fr, de, pt, it, nl);
- ``now``: ingest's detector (``DETECTED``): those, the five other languages the service replies in (ar, bg, ko,
  ru, zh) and the ones that share their scripts (uk, fa, ur, ja);
- ``guess``: what the claim check takes for a text sent without ``language`` (``functions/shared/language_guess``:
  CLD2, only its reliable answers). Its ``other`` column is what matters most: a wrong call reads a text with the
  wrong index, where None keeps the English default. (Other identifiers that would fit the match function:
  ``language_guess_alternatives.py``.)
(The ``ms_a_text`` figures of ``before``/``now`` include loading each script's models on first use.)

Texts whose language is known, none written for this: the multilingual test set's posts and chatter
(``tests/data/multilingual``), the English held-back paraphrases and chatter (``tests/data/heldout``) and every
stance example (``knowledge_base/stance``, each with its language). Printed per language: the share called right,
called another language, and left undecided (None). Then, each in a fresh process and per script in turn, the
seconds the first post of that script takes and the peak resident memory the process has gained by then.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from unittest import mock

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import peak_rss_mb, print_figures  # noqa: E402

from functions.ingest import language as ingest_language  # noqa: E402
from functions.shared.language_guess import guess_language  # noqa: E402

BEFORE = ("ENGLISH", "SPANISH", "FRENCH", "GERMAN", "PORTUGUESE", "ITALIAN", "DUTCH")
FIRST_POSTS = {  # one post per script, in the order a process might meet them
    "latin": "The flu jab cannot give you flu, it has no live virus in it.",
    "hangul": "독감 백신을 맞으면 독감에 걸린다는 말은 사실이 아닙니다",
    "han": "流感疫苗不会让你得流感，里面没有活病毒",
    "cyrillic": "Ваксината срещу грип не може да ви зарази с грип",
    "arabic": "لقاح الإنفلونزا لا يمكن أن يسبب الإنفلونزا",
}


def labelled_texts() -> list[tuple[str, str]]:
    """(language, text) pairs."""
    texts: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests" / "data" / "heldout").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        texts += [("en", post["text"]) for post in data["paraphrases"]] + [("en", t) for t in data["unrelated"]]
    for path in sorted((ROOT / "tests" / "data" / "multilingual").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        language = data["language"]
        texts += [(language, post["text"]) for post in data["posts"]] + [(language, t) for t in data["unrelated"]]
    for path in sorted((ROOT / "knowledge_base" / "stance").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((row["language"], row["text"]))
    return texts


def detector(which: str) -> LanguageDetector:
    languages = [getattr(Language, name) for name in BEFORE] if which == "before" else list(ingest_language.DETECTED)
    built = LanguageDetectorBuilder.from_languages(*languages)
    return built.with_minimum_relative_distance(ingest_language.MINIMUM_RELATIVE_DISTANCE).build()


def detect_with(which: str, texts: list[str]) -> list[str | None]:
    """What ingest's detect_language would say with the ``which`` detector; ``guess``: the claim check's guess."""
    if which == "guess":
        return [guess_language(t) for t in texts]
    chosen = detector(which)
    with mock.patch.object(ingest_language, "_detector", return_value=chosen):
        return [ingest_language.detect_language(t) for t in texts]


def cost(which: str) -> dict[str, float]:
    """Run in a fresh process: seconds for the first post of each script, and memory gained by then (MB)."""
    figures: dict[str, float] = {}
    start_rss = peak_rss_mb()
    chosen = detector(which)
    for script, text in FIRST_POSTS.items():
        started = time.perf_counter()
        chosen.detect_language_of(text)
        figures[f"{script}_first_seconds"] = round(time.perf_counter() - started, 3)
        figures[f"{script}_peak_gain_mb"] = round(peak_rss_mb() - start_rss)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cost-of", choices=("before", "now"), help=argparse.SUPPRESS)  # the fresh process
    args = parser.parse_args()
    if args.cost_of:
        print(json.dumps(cost(args.cost_of)))
        return

    texts = labelled_texts()
    figures: dict[str, object] = {"texts": len(texts)}
    for which in ("before", "now", "guess"):
        started = time.perf_counter()
        called = detect_with(which, [t for _, t in texts])
        figures[f"{which}_ms_a_text"] = round((time.perf_counter() - started) * 1000 / len(texts), 3)
        outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        for (truth, _), found in zip(texts, called, strict=True):
            outcomes[truth]["right" if found == truth else "none" if found is None else "other"] += 1
            if found not in (truth, None):
                outcomes[truth][f"as_{found}"] += 1
        for language in sorted(outcomes):
            counts = outcomes[language]
            total = counts["right"] + counts["none"] + counts["other"]
            figures[f"{which}_{language}_right"] = round(counts["right"] / total, 3)
            figures[f"{which}_{language}_other"] = round(counts["other"] / total, 3)
            figures[f"{which}_{language}_none"] = round(counts["none"] / total, 3)
            wrong = {k.removeprefix("as_"): v for k, v in counts.items() if k.startswith("as_")}
            if wrong:
                figures[f"{which}_{language}_taken_for"] = dict(sorted(wrong.items(), key=lambda kv: -kv[1]))
        figures[f"{which}_texts_per_language"] = {
            language: sum(counts[k] for k in ("right", "none", "other"))
            for language, counts in sorted(outcomes.items())
        }
    for which in ("before", "now"):
        run = subprocess.run(
            [sys.executable, __file__, "--cost-of", which], capture_output=True, text=True, check=True, cwd=ROOT
        )
        figures.update({f"{which}_{k}": v for k, v in json.loads(run.stdout.strip().splitlines()[-1]).items()})
    print_figures(figures, as_json=args.json)


if __name__ == "__main__":
    main()
