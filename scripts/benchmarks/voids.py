"""What the information voids cost: the clustering run on stored embeddings against re-embedding the same posts
(the baseline a run would pay without them), at a few sizes; and the installed size scikit-learn brings into the
respond function's image (which runs the clustering) against the rest of its set. Prints figures.

Run: .venv/bin/python scripts/benchmarks/voids.py [--sizes 500 2000] [--json]   (needs a built index and uv)

Posts are synthetic: 384-dimension unit vectors around 20 centres plus 30 % scattered ones (what the clustering
sees), and for the baseline the synthetic stream's texts repeated to the same count (what the matcher would
embed). The package set is what the Dockerfile installs for the respond function (``uv export --no-default-groups
--group lambda --group respond``); each
size is the files its installed distribution's RECORD lists, in this environment (awslambdaric, not installed
here, counts 0).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import package_names, print_figures, uv_export  # noqa: E402

from functions.curation.voids_eval import STREAM_FILE, read_jsonl  # noqa: E402
from functions.match.engine.onnx_embedder import MODEL_DIR, OnnxEmbedder  # noqa: E402
from functions.respond.voids import ClusteringRule, cluster_posts  # noqa: E402
from functions.shared.embedding_codec import encode_embedding  # noqa: E402
from functions.shared.models import Platform, UnmatchedPost  # noqa: E402
from functions.shared.settings import get_settings  # noqa: E402

SKLEARN_SIDE = ("scikit-learn", "scipy", "joblib", "threadpoolctl")


def synthetic_posts(count: int, seed: int = 13) -> list[UnmatchedPost]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, 384))
    now = datetime.now(UTC)
    posts = []
    for n in range(count):
        scattered = n % 10 < 3
        vector = rng.normal(size=384) if scattered else centres[n % 20] + rng.normal(scale=0.35, size=384)
        posts.append(
            UnmatchedPost(
                post_key=f"x#{n}",
                platform=Platform.X,
                language="en",
                text=f"post {n}",
                received_at=now - timedelta(hours=n % 72),
                embedding=encode_embedding(vector),
                health_reason="synthetic",
            )
        )
    return posts


def distribution_size(name: str) -> int:
    dist = metadata.distribution(name)
    paths = [Path(str(dist.locate_file(f))) for f in dist.files or []]
    return sum(path.stat().st_size for path in paths if path.is_file())


def runtime_names() -> set[str]:
    """The respond function's package set, as the Dockerfile exports it from the lock."""
    return package_names(uv_export("lambda", "respond"))


def installed_size(name: str) -> int:
    try:
        return distribution_size(name)
    except metadata.PackageNotFoundError:  # awslambdaric: only in the image
        return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 2000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    embedder = OnnxEmbedder(get_settings().resolved_index_dir / MODEL_DIR)
    texts = [row["text"] for row in read_jsonl(STREAM_FILE)]
    embedder.encode(texts[:8])  # warm
    rule = ClusteringRule(min_cluster_size=5, growth_hours=24)
    cluster_posts(synthetic_posts(50), [], datetime.now(UTC), rule)  # import scikit-learn outside the timing
    for size in args.sizes:
        posts = synthetic_posts(size)
        start = time.perf_counter()
        voids = cluster_posts(posts, [], datetime.now(UTC), rule)
        clustering = time.perf_counter() - start
        batch = (texts * (size // len(texts) + 1))[:size]
        start = time.perf_counter()
        for offset in range(0, size, 64):
            embedder.encode(batch[offset : offset + 64])
        embedding = time.perf_counter() - start
        figures[f"{size} posts: clustering run on stored embeddings (s)"] = round(clustering, 2)
        figures[f"{size} posts: baseline, embedding them again (s)"] = round(embedding, 2)
        figures[f"{size} posts: voids found"] = len(voids)
    names = runtime_names()
    added = sum(installed_size(n) for n in SKLEARN_SIDE if n in names)
    total = sum(installed_size(n) for n in names)
    figures["runtime set, installed (MB)"] = round(total / 1e6, 1)
    figures["of which scikit-learn + scipy + joblib + threadpoolctl (MB)"] = round(added / 1e6, 1)
    figures["baseline: runtime set without them (MB)"] = round((total - added) / 1e6, 1)
    print_figures(figures, args.json)


if __name__ == "__main__":
    main()
