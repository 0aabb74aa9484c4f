"""What a change to redaction changes: every redaction of a fixed set of texts, at a git commit and in the working
tree, and each text whose redaction differs.

Run: .venv/bin/python scripts/benchmarks/redaction_diff.py [--at HEAD~1] [--json] [--show 40] [--rounds 3]

The texts (read from the working tree, so both sides redact the same ones): the labelled personal-data posts
(tests/data/pii/posts.jsonl, both parts), every stance example's post (knowledge_base/stance/) and the CheckThat!
2022 training and dev tweets with the demo sample (scripts/benchmarks/pipeline.py's post_texts, 1,416 of them; from
../shared/eval when it is there). The commit's redactor runs from a temporary git worktree in a second process,
with this environment's packages and spaCy's model, as ingest runs it (``redact_many``, the model on). A refactor
should print 0 changed; a change of rule prints what it keeps or removes that it did not before. With --rounds,
both sides (each in a fresh process) also time that many passes of ``redact_many`` over every text, after the
first pass that loads the models, and the best pass of each is printed in milliseconds a text.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PII_POSTS = ROOT / "tests" / "data" / "pii" / "posts.jsonl"
STANCE_FOLDER = ROOT / "knowledge_base" / "stance"
TWEETS = 1416


def corpus() -> list[tuple[str, str | None]]:
    """(text, author handle) pairs, in a fixed order."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pipeline import DEFAULT_POSTS, post_texts

    texts: list[tuple[str, str | None]] = []
    for line in PII_POSTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append((row["text"], row.get("author_handle")))
    for path in sorted(STANCE_FOLDER.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append((json.loads(line)["text"], None))
    texts += [(text, None) for text in post_texts(DEFAULT_POSTS, TWEETS)]
    return texts


def redact_all(source: Path, texts: list[tuple[str, str | None]], rounds: int) -> dict[str, Any]:
    """Each text's redaction by the redactor of the tree at ``source`` (the first pass, which also loads the
    models), and milliseconds a text in the best of ``rounds`` more passes over all of them (None without rounds)."""
    sys.path.insert(0, str(source))
    from report import best_ms_per_item

    from functions.shared.redaction import redact_many

    redactions = [
        {"text": result.text, "spans": [[span.start, span.end, span.kind] for span in result.spans]}
        for result in redact_many(texts, use_model=True)
    ]
    step = partial(redact_many, texts, use_model=True)
    ms_per_text = best_ms_per_item(step, len(texts), rounds) if rounds else None
    return {"redactions": redactions, "ms_per_text": ms_per_text}


def in_tree(tree: Path, texts: list[tuple[str, str | None]], rounds: int) -> dict[str, Any]:
    """``redact_all`` in a fresh process for the tree at ``tree``, with this environment's packages."""
    with tempfile.TemporaryDirectory(prefix="redaction-diff-") as scratch:
        given, written = Path(scratch) / "texts.json", Path(scratch) / "redactions.json"
        given.write_text(json.dumps(texts), encoding="utf-8")
        command = [sys.executable, __file__, "--source", str(tree), "--texts", str(given), "--write", str(written)]
        subprocess.run([*command, "--rounds", str(rounds)], cwd=tree, check=True)
        result: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
        return result


def at_commit(ref: str, texts: list[tuple[str, str | None]], rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="redaction-diff-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), ref], cwd=ROOT, check=True)
        try:
            return in_tree(tree, texts, rounds)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)


def removed(text: str, spans: list[list[Any]]) -> list[str]:
    return [f"{kind}:{text[start:end]}" for start, end, kind in spans]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", default="HEAD", help="the commit to compare the working tree with (default HEAD)")
    parser.add_argument("--json", action="store_true", help="print the figures and every change as JSON")
    parser.add_argument("--show", type=int, default=40, help="changed texts to print (default 40)")
    parser.add_argument(
        "--rounds", type=int, default=0, help="also time this many passes over every text on each side (best kept)"
    )
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)  # the second process's tree
    parser.add_argument("--texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.source:
        texts = [(text, author) for text, author in json.loads(args.texts.read_text(encoding="utf-8"))]
        args.write.write_text(json.dumps(redact_all(args.source, texts, args.rounds)), encoding="utf-8")
        return

    texts = corpus()
    at_ref = at_commit(args.at, texts, args.rounds)
    now = in_tree(ROOT, texts, args.rounds)
    before, after = at_ref["redactions"], now["redactions"]
    changes = [
        {
            "text": text,
            "removed_before_only": sorted(set(removed(text, old["spans"])) - set(removed(text, new["spans"]))),
            "removed_now_only": sorted(set(removed(text, new["spans"])) - set(removed(text, old["spans"]))),
        }
        for (text, _), old, new in zip(texts, before, after, strict=True)
        if old != new
    ]
    figures: dict[str, Any] = {"texts": len(texts), "changed": len(changes), "at": args.at}
    if args.rounds:
        figures["ms_per_text_at"] = round(at_ref["ms_per_text"], 3)
        figures["ms_per_text_now"] = round(now["ms_per_text"], 3)
        figures["ratio_now_to_at"] = round(now["ms_per_text"] / at_ref["ms_per_text"], 3)
    if args.json:
        print(json.dumps({**figures, "changes": changes}, ensure_ascii=False, indent=2))
        return
    print(f"{figures['changed']} of {figures['texts']:,} texts redacted differently from {args.at}")
    if args.rounds:
        print(
            f"ms a text (redact_many, best of {args.rounds}): {figures['ms_per_text_at']} at {args.at}, "
            f"{figures['ms_per_text_now']} now ({figures['ratio_now_to_at']}×)"
        )
    for change in changes[: args.show]:
        print(f"- {change['text'][:100]!r}")
        print(f"    removed at {args.at} only: {change['removed_before_only']}")
        print(f"    removed now only: {change['removed_now_only']}")


if __name__ == "__main__":
    main()
