"""BM25's words in the multilingual index: the English split against the split by script, on the fitting data only.

Run: .venv/bin/python scripts/benchmarks/multilingual_lexical.py [--json]   (about two minutes; no built index needed)

On the stance set's non-English training posts (what ``antidote kb calibrate-multilingual`` fits on; never the
multilingual test set), each asked against the whole multilingual index built twice in the same run — once with
BM25 reading words as the English index does (``LexicalTokenizer.ENGLISH``: a Chinese clause is one word, Russian
and Arabic words unstemmed) and once by script (``BY_SCRIPT``: Chinese, Japanese and Korean as character pairs,
Cyrillic and Arabic words stemmed) — per language and overall:
- ``bm25_right_first``: BM25 alone puts the right claim first;
- ``fused_right_first_cv``: the fusion model (``fusion.RANKING_FEATURES``) puts it first, fitted on four fifths of
  the posts and measured on the fifth left out (5 folds, seed 13), pooled over languages as the calibration fits it;
- ``per_language_right_first_cv``: the same with one fusion model per language (the alternative not taken).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import print_figures  # noqa: E402

from functions.curation.knowledge_base import load_knowledge_base  # noqa: E402
from functions.match.engine.artifact import kb_index_texts  # noqa: E402
from functions.match.engine.calibrate_multilingual import labelled_posts  # noqa: E402
from functions.match.engine.fusion import FEATURES, RANKING_FEATURES, LinearModel, fit_linear_model  # noqa: E402
from functions.match.engine.index import LexicalTokenizer, build_index  # noqa: E402
from functions.match.engine.normalise import normalise_post  # noqa: E402
from functions.match.engine.retrieval import Candidates, generate_candidates  # noqa: E402
from functions.match.engine.usem import UsemEmbedder  # noqa: E402
from functions.shared.settings import get_settings  # noqa: E402

FOLDS, SEED, DEPTH = 5, 13, 30


def right_first(found: list[Candidates], labels: list[np.ndarray], models: list[LinearModel]) -> np.ndarray:
    """Whether each post's top candidate under its own model (``models``, one per post) is its claim."""
    columns = [FEATURES.index(f) for f in RANKING_FEATURES]
    hits = []
    for candidates, right, model in zip(found, labels, models, strict=True):
        scores = candidates.features[:, columns] @ np.array(model.weights) + model.bias
        hits.append(bool(len(right)) and bool(right[int(np.argmax(scores))]))
    return np.array(hits)


def fitted(found: list[Candidates], labels: list[np.ndarray], posts: list[int]) -> LinearModel:
    features = np.vstack([found[i].features for i in posts])
    return fit_linear_model(features, np.concatenate([labels[i] for i in posts]), RANKING_FEATURES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = get_settings()
    kb = load_knowledge_base(settings.knowledge_base_dir)
    posts = labelled_posts(settings.knowledge_base_dir, kb)
    texts = [normalise_post(p.text).text for p in posts]
    languages = np.array([p.language for p in posts])
    fold = np.random.default_rng(SEED).integers(0, FOLDS, len(posts))
    embedder = UsemEmbedder()
    vectors = embedder.encode(texts)
    claim_texts = kb_index_texts(kb)
    figures: dict[str, Any] = {"posts": len(posts), "languages": ", ".join(sorted(set(languages)))}
    for tokenizer in LexicalTokenizer:
        index = build_index(claim_texts, embedder, tokenizer=tokenizer)
        found = generate_candidates(index, vectors, index.tokenize(texts), DEPTH, texts)
        labels = [
            np.array([index.claim_ids[c] == p.claim_id for c in f.claims]) for p, f in zip(posts, found, strict=True)
        ]
        bm25 = np.array(
            [
                bool(len(r)) and f.lexical.max() > 0 and bool(r[int(np.argmax(f.lexical))])
                for f, r in zip(found, labels, strict=True)
            ]
        )
        pooled = {k: fitted(found, labels, [i for i in range(len(posts)) if fold[i] != k]) for k in range(FOLDS)}
        own = {
            (k, language): fitted(
                found, labels, [i for i in range(len(posts)) if fold[i] != k and languages[i] == language]
            )
            for k in range(FOLDS)
            for language in set(languages)
        }
        fused = right_first(found, labels, [pooled[k] for k in fold])
        per_language = right_first(found, labels, [own[(k, lang)] for k, lang in zip(fold, languages, strict=True)])
        for name, hits in (
            ("bm25_right_first", bm25),
            ("fused_right_first_cv", fused),
            ("per_language_right_first_cv", per_language),
        ):
            by_language = " ".join(f"{lang} {hits[languages == lang].mean():.3f}" for lang in sorted(set(languages)))
            figures[f"{tokenizer.value}: {name}"] = f"{hits.mean():.4f} ({by_language})"
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
