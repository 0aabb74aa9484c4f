"""The coverage report (``antidote kb coverage``): which recurring health myths in a pool of real-world fact-checked
claims the knowledge base answers, and which it does not.

The pool is the CheckThat! 2022 claim set (14,231 Snopes fact-checks, read in place from ``../shared/eval``, never
copied). Each pool claim goes through the real matcher once: that gives its embedding (the MiniLM ONNX model the
build exports), its nearest knowledge-base claim and whether the matcher flags it. A pool claim is about health by
the voids' rule (``functions/match/voids.py``: a health word, or a nearest knowledge-base phrasing at least ``floor``
similar), with one more condition for the words: a nearest phrasing at least ``words_floor`` similar. The health
claims are grouped by average-linkage clustering on cosine distance (deterministic: no seed is involved); a theme is
a group of at least ``min_size`` pool claims. A theme is named by its most central claims (nearest the group's
mean) and its most distinctive words, and it is *covered* when the matcher flags at least half of its central claims
against one knowledge-base claim.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from functions.match.engine.matcher import CheckResult, Decision
from functions.match.voids import health_terms
from functions.shared.models import MAX_TEXT_CHARS

CENTRAL_CLAIMS = 5  # how many of a theme's most central pool claims name it and decide whether it is covered
COVERED_SHARE = 0.5  # covered: at least this share of the central claims flagged against the same KB claim
KEYWORDS = 6
BATCH = 64
_WORD = re.compile(r"[a-z][a-z'-]{2,}")


@dataclass(frozen=True)
class PoolClaim:
    claim_id: str
    text: str


def read_pool(path: Path, limit: int | None = None) -> list[PoolClaim]:
    """The pool's claims (``vclaim_id``, ``vclaim``), in file order; lines without a claim sentence are skipped."""
    claims: list[PoolClaim] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line) if line.strip() else {}
            text = str(row.get("vclaim") or "").strip()
            if text:
                claims.append(PoolClaim(str(row["vclaim_id"]), text[:MAX_TEXT_CHARS]))
            if limit is not None and len(claims) >= limit:
                break
    return claims


@dataclass(frozen=True)
class Checked:
    """What the matcher said about one pool claim."""

    decision: str  # match | review | none
    claim_id: str | None  # the top knowledge-base claim
    topic: str | None
    score: float
    nearest: float  # the best dense similarity to any knowledge-base phrasing
    embedding: np.ndarray

    @property
    def flagged(self) -> bool:
        return self.decision != Decision.NONE.value


class Encoder(Protocol):
    model_id: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class CachedEncoder:
    """The matcher's model, remembering every vector it made in a file: the pool does not change between runs but
    the knowledge base does, so a run after adding claims embeds only what is new (the pool's 14,231 claims take
    minutes). ``model_key`` names the exported model (its config and weights' hash): another model starts afresh."""

    def __init__(self, inner: Encoder, path: Path, model_key: str) -> None:
        self.inner, self.path, self.model_key = inner, path, model_key
        self.model_id, self.dimensions = inner.model_id, inner.dimensions
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path, allow_pickle=False) as saved:
                if str(saved["model_key"]) == model_key:
                    self.vectors = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts]) if texts else self.inner.encode(texts)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        with self.path.open("wb") as file:
            np.savez(
                file,
                model_key=self.model_key,
                texts=np.array(texts),
                vectors=np.stack([self.vectors[t] for t in texts]),
            )


class PoolMatcher(Protocol):
    def check_many(self, texts: list[str], top_k: int = 3) -> list[CheckResult]: ...


def checked_from(result: CheckResult) -> Checked:
    top = result.matches[0] if result.matches else None
    if result.embedding is None:
        raise ValueError("the matcher returned no embedding")
    return Checked(
        decision=result.decision.value,
        claim_id=top.claim.id if top else None,
        topic=top.claim.topic if top else None,
        score=top.score if top else 0.0,
        nearest=max((m.dense for m in result.matches), default=0.0),
        embedding=result.embedding,
    )


def check_pool(
    matcher: PoolMatcher, pool: Sequence[PoolClaim], advance: Callable[[int], None] | None = None
) -> list[Checked]:
    """Every pool claim through the matcher, a batch at a time (embedding is the cost; batches make it cheap)."""
    checked: list[Checked] = []
    for start in range(0, len(pool), BATCH):
        batch = [c.text for c in pool[start : start + BATCH]]
        checked += [checked_from(r) for r in matcher.check_many(batch, 1)]
        if advance:
            advance(len(batch))
    return checked


@dataclass(frozen=True)
class HealthSelection:
    indexes: list[int]  # positions in the pool of the claims about health
    by_words: int  # of those, how many have a health word
    by_similarity_only: int  # how many have none but are close enough to a knowledge-base phrasing


def select_health(
    pool: Sequence[PoolClaim], checked: Sequence[Checked], floor: float, words_floor: float = 0.0
) -> HealthSelection:
    """The voids' rule, claim by claim: a health word, else the nearest KB phrasing at least ``floor`` similar.
    ``words_floor``: what a claim with health words must still reach — fact-checks of politics and celebrities use
    health words ("Trump's doctor", "pregnant with twins"); a little closeness to the knowledge base screens them."""
    words = [bool(health_terms(c.text)) for c in pool]
    close = [c.nearest >= floor for c in checked]
    indexes = [
        i for i, (w, s) in enumerate(zip(words, close, strict=True)) if s or (w and checked[i].nearest >= words_floor)
    ]
    return HealthSelection(indexes, sum(words[i] for i in indexes), sum(not words[i] for i in indexes))


@dataclass(frozen=True)
class Theme:
    theme_id: str  # from its members' ids: the same pool and knowledge base give the same id
    size: int
    keywords: list[str]
    central_ids: list[str]
    best_claim: str | None  # the knowledge-base claim the central claims point to
    best_topic: str | None
    best_score: float  # mean matcher score of the central claims whose top claim is ``best_claim``
    flagged_share: float  # share of the central claims flagged against ``best_claim``
    members_flagged: float  # share of all the theme's claims flagged against any claim
    covered: bool


def _words(text: str) -> set[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop: frozenset[str] = ENGLISH_STOP_WORDS
    return {w.strip("'-") for w in _WORD.findall(text.casefold())} - stop - {""}


def theme_keywords(clusters: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each cluster's most distinctive words (class-based TF-IDF: the share of its claims that use a word, times
    how rare the word is across clusters); a word must appear in at least two of the cluster's claims."""
    documents = [Counter(w for text in texts for w in _words(text)) for texts in clusters]
    spread = Counter(w for counts in documents for w in counts)
    named = []
    for texts, counts in zip(clusters, documents, strict=True):
        score = {w: n / len(texts) * math.log(1 + len(clusters) / spread[w]) for w, n in counts.items() if n >= 2}
        named.append(sorted(score, key=lambda w: (-score[w], w))[:KEYWORDS])
    return named


def _coverage(central: Sequence[Checked]) -> tuple[str | None, str | None, float, float]:
    """The KB claim the central claims point to (most flagged against it, then most often on top, then the higher
    mean score), its topic, that mean score and the share of the central claims flagged against it."""
    tops = [c for c in central if c.claim_id]
    if not tops:
        return None, None, 0.0, 0.0
    flagged = Counter(c.claim_id for c in tops if c.flagged)
    on_top = Counter(c.claim_id for c in tops)
    scores = {cid: float(np.mean([c.score for c in tops if c.claim_id == cid])) for cid in on_top}
    best = min(on_top, key=lambda cid: (-flagged[cid], -on_top[cid], -scores[cid], cid))
    topic = next(c.topic for c in tops if c.claim_id == best)
    return best, topic, scores[best], flagged[best] / len(central)


def describe_theme(members: Sequence[PoolClaim], checked: Sequence[Checked], keywords: list[str]) -> Theme:
    vectors = np.stack([c.embedding for c in checked])
    order = np.argsort(-(vectors @ vectors.mean(axis=0)), kind="stable")[:CENTRAL_CLAIMS]
    central = [int(i) for i in order]
    best, topic, score, share = _coverage([checked[i] for i in central])
    ids = sorted(m.claim_id for m in members)
    return Theme(
        theme_id="t-" + hashlib.sha256("\n".join(ids).encode()).hexdigest()[:10],
        size=len(members),
        keywords=keywords,
        central_ids=[members[i].claim_id for i in central],
        best_claim=best,
        best_topic=topic,
        best_score=round(score, 4),
        flagged_share=round(share, 4),
        members_flagged=round(sum(c.flagged for c in checked) / len(checked), 4),
        covered=share >= COVERED_SHARE,
    )


def theme_labels(vectors: np.ndarray, distance: float) -> np.ndarray:
    """Average-linkage agglomerative clustering on cosine distance, cut at ``distance``: every pair of groups joined
    is on average at least ``1 - distance`` similar. Deterministic (no seed involved). HDBSCAN, which the voids use,
    left 80% of the pool's health claims as noise and put 337 COVID-19 claims of every kind in one cluster."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.int64)
    from sklearn.cluster import AgglomerativeClustering

    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    )
    return np.asarray(clustering.fit_predict(vectors), dtype=np.int64)


def find_themes(
    pool: Sequence[PoolClaim], checked: Sequence[Checked], min_size: int, distance: float = 0.5
) -> list[Theme]:
    """The recurring themes among ``pool`` (already the health claims): groups of at least ``min_size``, largest
    first."""
    if not pool:
        return []
    labels = theme_labels(np.stack([c.embedding for c in checked]), distance)
    groups = [
        rows.tolist()
        for label in sorted(set(labels.tolist()))
        if len(rows := np.flatnonzero(labels == label)) >= min_size
    ]
    named = theme_keywords([[pool[i].text for i in rows] for rows in groups])
    themes = [
        describe_theme([pool[i] for i in rows], [checked[i] for i in rows], words)
        for rows, words in zip(groups, named, strict=True)
    ]
    return sorted(themes, key=lambda t: (-t.size, t.theme_id))


@dataclass(frozen=True)
class CoverageReport:
    command: str
    pool_file: str
    pool_claims: int
    kb_version: str
    kb_claims: int
    floor: float
    words_floor: float
    distance: float
    min_size: int
    health_claims: int
    health_by_words: int
    health_by_similarity_only: int
    health_flagged: int  # health claims the matcher flags against some KB claim
    in_themes: int
    themes: list[Theme]

    @property
    def covered(self) -> int:
        return sum(t.covered for t in self.themes)

    def to_json(self) -> dict[str, Any]:
        summary = asdict(self)  # themes carry pool ids only: the pool's text stays in the pool
        return {**summary, "themes_found": len(self.themes), "themes_covered": self.covered}


@dataclass(frozen=True)
class CoverageRun:
    """What a run needs besides the pool and the matcher: how it was asked for, and what it ran against."""

    command: str
    pool_file: str
    kb_version: str
    kb_claims: int
    floor: float
    words_floor: float
    distance: float
    min_size: int


def coverage_report(
    run: CoverageRun, pool: Sequence[PoolClaim], checked: Sequence[Checked], progress: Callable[[str], None]
) -> CoverageReport:
    """Select the health claims, cluster them into themes and decide each theme's coverage."""
    health = select_health(pool, checked, run.floor, run.words_floor)
    progress(f"{len(health.indexes)} health claims of {len(pool)}; clustering")
    members = [pool[i] for i in health.indexes]
    themes = find_themes(members, [checked[i] for i in health.indexes], run.min_size, run.distance)
    return CoverageReport(
        command=run.command,
        pool_file=run.pool_file,
        pool_claims=len(pool),
        kb_version=run.kb_version,
        kb_claims=run.kb_claims,
        floor=run.floor,
        words_floor=run.words_floor,
        distance=run.distance,
        min_size=run.min_size,
        health_claims=len(health.indexes),
        health_by_words=health.by_words,
        health_by_similarity_only=health.by_similarity_only,
        health_flagged=sum(checked[i].flagged for i in health.indexes),
        in_themes=sum(t.size for t in themes),
        themes=themes,
    )


def _theme_row(position: int, theme: Theme) -> str:
    status = "covered" if theme.covered else "**not covered**"
    best = f"`{theme.best_claim}`" if theme.best_claim else "-"
    return (
        f"| {position} | {theme.size} | {', '.join(theme.keywords)} | `{theme.central_ids[0]}` | {best} | "
        f"{theme.best_score:.2f} | {theme.flagged_share:.0%} | {theme.members_flagged:.0%} | {status} |"
    )


def render_markdown(report: CoverageReport) -> str:
    """``docs/coverage.md``: the summary, every theme in one table, then each uncovered theme's central claims."""
    share = report.covered / len(report.themes) if report.themes else 0.0
    lines = [
        "# Coverage of real-world health myths",
        "",
        f"Generated by `{report.command}` — do not edit by hand; run it again after changing the knowledge base.",
        "How curators use it: [knowledge_base/README.md](../knowledge_base/README.md#coverage-report).",
        "",
        f"- pool: `{report.pool_file}`, {report.pool_claims:,} fact-checked claims",
        f"- knowledge base: {report.kb_claims} claims, `{report.kb_version}`",
        f"- about health: {report.health_claims:,} ({report.health_by_words:,} with a health word and similarity "
        f"≥ {report.words_floor:.2f} to a claim phrasing, {report.health_by_similarity_only:,} only by similarity "
        f"≥ {report.floor:.2f}); "
        f"the matcher flags {report.health_flagged:,} of them",
        f"- themes (clusters of ≥ {report.min_size} claims, average cosine distance ≤ {report.distance:.2f}): "
        f"{len(report.themes)}, holding {report.in_themes:,} "
        f"claims; **covered {report.covered} of {len(report.themes)} ({share:.0%})**",
        "",
        "A theme is covered when at least half of its central claims are flagged (match or review) against the same",
        "knowledge-base claim. *score*: the matcher's mean score for that claim over the central claims; *central "
        "flagged*: that share; *all flagged*: the share of the theme's claims flagged against any claim.",
        "",
        "The pool's text stays in the pool (`../shared/eval`, never copied into the repository): claims are named by",
        "their pool ids.",
        "",
        "| # | size | keywords | most central claim | best KB claim | score | central flagged | all flagged | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(_theme_row(n, t) for n, t in enumerate(report.themes, start=1)),
        "",
        "## Not covered",
        "",
    ]
    for n, theme in enumerate(report.themes, start=1):
        if not theme.covered:
            lines += [f"### {n}. {', '.join(theme.keywords)} ({theme.size} claims, `{theme.theme_id}`)", ""]
            lines += [
                "Central claims (pool ids; read them in the pool): " + ", ".join(f"`{c}`" for c in theme.central_ids)
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
