"""Measuring the information voids (``antidote voids eval``): how well "health-related" is decided on a labelled
sample, and whether a synthetic stream's lacking myths come out as the top voids while chatter does not.

Both files were written for the project (``tests/data/voids/``): ``health_sample.jsonl`` (posts that matched no
claim, labelled health or not) and ``stream.jsonl`` (posts about three myths the knowledge base lacks, posts that
repeat known myths, and chatter, each labelled with its kind and myth). The stream runs through the real matcher,
the health rule and the clustering, in memory; ``tests/integration/service/test_voids.py`` runs it through the
service on DynamoDB Local.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from functions.match.engine.matcher import Decision, Matcher
from functions.match.voids import health_related, health_terms, unmatched_health_posts
from functions.respond.voids import ClusteringRule, cluster_posts
from functions.shared.models import Platform, Reach, StoredPost, StoredVoid
from functions.shared.settings import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "tests" / "data" / "voids"
SAMPLE_FILE = DATA_DIR / "health_sample.jsonl"
STREAM_FILE = DATA_DIR / "stream.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Confusion:
    rule: str
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        relevant = self.true_positive + self.false_negative
        return self.true_positive / relevant if relevant else 0.0


def _confusion(rule: str, predicted: list[bool], truth: list[bool]) -> Confusion:
    pairs = Counter(zip(predicted, truth, strict=True))
    return Confusion(rule, pairs[True, True], pairs[True, False], pairs[False, True], pairs[False, False])


def health_figures(matcher: Matcher, floor: float, path: Path = SAMPLE_FILE) -> list[Confusion]:
    """Precision and recall of "health-related" on the labelled sample: the words alone, the similarity floor
    alone, and the rule as run (either)."""
    rows = read_jsonl(path)
    results = matcher.check_many([row["text"] for row in rows])
    nearest = [max((m.dense for m in r.matches), default=0.0) for r in results]
    truth = [bool(row["health"]) for row in rows]
    words = [bool(health_terms(row["text"])) for row in rows]
    similar = [n >= floor for n in nearest]
    rule = [health_related(row["text"], n, floor).related for row, n in zip(rows, nearest, strict=True)]
    return [
        _confusion("health words", words, truth),
        _confusion(f"similarity >= {floor:.2f}", similar, truth),
        _confusion("either (as run)", rule, truth),
    ]


def stream_post(row: dict[str, Any], now: datetime) -> StoredPost:
    """A stream line as ingest would store it (the stream holds no personal data to remove)."""
    return StoredPost(
        post_key=f"{row['platform']}#{row['id']}",
        platform=Platform(row["platform"]),
        post_id=row["id"],
        author_handle=None,
        text=row["text"],
        url=None,
        created_at=now,
        received_at=now,
        language=row.get("language"),
        region=None,
        reach=Reach(),
        discloses_own_health=False,
        redactions={},
        source="voids-eval",
    )


@dataclass(frozen=True)
class MythFigures:
    myth: str
    posts: int
    kept: int
    rank: int | None  # the rank of the void holding most of the myth's posts
    in_void: int  # the myth's posts in that void
    void_size: int

    @property
    def purity(self) -> float:
        return self.in_void / self.void_size if self.void_size else 0.0


@dataclass(frozen=True)
class StreamFigures:
    posts: int
    flagged: int  # matched or sent to review: not kept
    kept: int
    chatter_posts: int
    chatter_kept: int
    voids: int
    myths: list[MythFigures]
    top_voids: list[str]  # the label holding most of each top void's posts, best first
    chatter_led_voids: int  # voids whose largest share is chatter


def label_of(void: StoredVoid, labels: dict[str, str]) -> str:
    """What most of a void's posts are: a myth's name or "chatter"."""
    return Counter(labels[key] for key in void.members).most_common(1)[0][0]


def myth_figures(myth: str, rows: list[dict[str, Any]], kept: set[str], voids: list[StoredVoid]) -> MythFigures:
    keys = {f"{r['platform']}#{r['id']}" for r in rows if r.get("myth") == myth}
    best = max(voids, key=lambda v: (len(keys & set(v.members)), -v.rank), default=None)
    held = len(keys & set(best.members)) if best else 0
    return MythFigures(
        myth=myth,
        posts=len(keys),
        kept=len(keys & kept),
        rank=best.rank if best and held else None,
        in_void=held,
        void_size=best.size if best and held else 0,
    )


def stream_figures(
    matcher: Matcher, floor: float, rule: ClusteringRule, path: Path = STREAM_FILE
) -> tuple[StreamFigures, list[StoredVoid]]:
    """The stream through matcher, health rule and clustering, and what came out."""
    rows = read_jsonl(path)
    now = datetime.now(UTC)
    posts = [stream_post(row, now) for row in rows]
    results = matcher.check_many([p.text for p in posts])
    kept = unmatched_health_posts(posts, results, floor)
    voids = cluster_posts(kept, [], now, rule)
    labels = {f"{r['platform']}#{r['id']}": r.get("myth") or r["kind"] for r in rows}
    kept_keys = {p.post_key for p in kept}
    myths = sorted({r["myth"] for r in rows if r.get("myth")})
    figures = StreamFigures(
        posts=len(rows),
        flagged=sum(r.decision is not Decision.NONE for r in results),
        kept=len(kept),
        chatter_posts=sum(r["kind"] == "chatter" for r in rows),
        chatter_kept=sum(labels[k] == "chatter" for k in kept_keys),
        voids=len(voids),
        myths=[myth_figures(m, rows, kept_keys, voids) for m in myths],
        top_voids=[label_of(v, labels) for v in voids],
        chatter_led_voids=sum(label_of(v, labels) == "chatter" for v in voids),
    )
    return figures, voids
