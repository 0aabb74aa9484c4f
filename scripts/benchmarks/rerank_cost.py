"""What the re-ranker costs per post on the knowledge base: prints figures, asserts nothing.

Run: .venv/bin/python scripts/benchmarks/rerank_cost.py   (no built index or model needed)

Ranks the held-back paraphrases and chatter (``tests/data/heldout``) against the knowledge base indexed with a
hashing embedder standing in for the model (so only ranking is timed, not embedding), with the committed
calibration's first stage alone (the baseline, same run) and with a re-ranker of every feature at each depth
``kb calibrate --rerank`` chooses among (the weights do not change the cost). Best of three rounds. Apart: the
phrasings' word table built from the texts (what a match function's first post paid until 2026-11-30) against the
same table loaded from the files ``kb build`` now saves beside the index (what it pays now).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import best_ms_per_item, print_figures  # noqa: E402


def per_post_ms(index: Any, found: list[Any], calibration: Any, reranker: Any) -> float:
    from functions.match.engine.retrieval import rank_candidates

    def rank_all() -> None:
        for candidates in found:
            rank_candidates(index, candidates, calibration.ranking, calibration.confidence, 3, reranker)

    return best_ms_per_item(rank_all, len(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts
    from functions.match.engine.calibration import load_calibration
    from functions.match.engine.index import build_index, tokenize
    from functions.match.engine.normalise import normalise_post, text_to_embed
    from functions.match.engine.phrasings import build_phrasing_table, load_phrasing_table, save_phrasing_table
    from functions.match.engine.rerank import RERANK_FEATURES, Reranker
    from functions.match.engine.rerank_training import DEPTHS
    from functions.match.engine.retrieval import generate_candidates
    from functions.shared.settings import get_settings
    from tests.unit.fakes import HashingEmbedder

    settings = get_settings()
    calibration = load_calibration(settings.resolved_calibration_file)
    embedder = HashingEmbedder("hashing")
    index = build_index(
        kb_index_texts(load_knowledge_base(settings.knowledge_base_dir), with_translations=False), embedder
    )
    posts: list[str] = []
    for path in sorted((ROOT / "tests" / "data" / "heldout").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        posts += [p["text"] for p in data["paraphrases"]] + data["unrelated"]
    texts = [normalise_post(t).text for t in posts]
    found = generate_candidates(index, embedder.encode(texts), tokenize(texts), calibration.candidate_depth, texts)
    figures: dict[str, Any] = {"posts": len(posts), "phrasings": len(index.texts)}
    started = time.perf_counter()
    phrasings = [text_to_embed(t.text) for t in index.texts]
    build_phrasing_table(phrasings, tokenize(phrasings))
    figures["word_table_built_ms"] = round((time.perf_counter() - started) * 1000, 1)
    with tempfile.TemporaryDirectory() as folder:
        save_phrasing_table(index.phrasings, Path(folder))
        started = time.perf_counter()
        load_phrasing_table(Path(folder), len(index.texts))
        figures["word_table_loaded_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["loaded_over_built"] = round(figures["word_table_loaded_ms"] / figures["word_table_built_ms"], 3)
    figures["first_stage_ms_per_post"] = round(per_post_ms(index, found, calibration, None), 3)
    for depth in DEPTHS:
        reranker = Reranker(features=list(RERANK_FEATURES), weights=[1.0] * len(RERANK_FEATURES), depth=depth)
        figures[f"reranked_depth_{depth}_ms_per_post"] = round(per_post_ms(index, found, calibration, reranker), 3)
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
