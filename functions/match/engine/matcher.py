"""Does a post repeat a claim we know? Text in, ranked claims and a decision out."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from functions.match.engine.artifact import Manifest, load_artifact
from functions.match.engine.calibration import Calibration, Thresholds
from functions.match.engine.embedder import Embedder
from functions.match.engine.index import ClaimIndex, IndexedText
from functions.match.engine.multilingual import MultilingualIndex, load_multilingual
from functions.match.engine.normalise import NormalisedPost, normalise_post
from functions.match.engine.onnx_embedder import MODEL_DIR, OnnxEmbedder
from functions.match.engine.retrieval import generate_candidates, rank_candidates
from functions.match.engine.routing import is_multilingual
from functions.match.engine.stance import StanceModel, StanceResult, dense_features
from functions.match.engine.stance_anchors import StanceAnchors, build_anchors, load_anchors
from functions.match.engine.stance_cross import CrossEncoder, load_cross_encoder, predict_with_cross
from functions.match.engine.usem import USEM_DIR, UsemEmbedder
from functions.shared.claims import Claim
from functions.shared.errors import ArtifactMissing, InvalidInput
from functions.shared.loading import loading
from functions.shared.models import MAX_TEXT_CHARS

T = TypeVar("T")


class Decision(StrEnum):
    MATCH = "match"  # confident: the post repeats this claim
    REVIEW = "review"  # possible: a person should look
    NONE = "none"


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    score: float
    dense: float
    lexical: float
    closest: IndexedText

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim.id,
            "verdict": self.claim.verdict.value,
            "topic": self.claim.topic,
            "harm": self.claim.harm.value,
            "score": round(self.score, 4),
            "dense_similarity": round(self.dense, 4),
            "lexical_score": round(self.lexical, 4),
            "statement": self.claim.statement,
            "closest_phrasing": self.closest.text,
            "correction": self.claim.correction,
            "sources": [s.model_dump() for s in self.claim.sources],
        }


@dataclass(frozen=True)
class CheckResult:
    decision: Decision
    reason: str
    matches: list[ClaimMatch]
    post: NormalisedPost
    stance: StanceResult | None = None  # towards the top claim, when the post was flagged
    # The post's L2-normalised embedding: kept for an unmatched health post, so voids are clustered without
    # embedding again (functions/match/voids.py).
    embedding: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "reason": self.reason,
            "stance": self.stance.stance.value if self.stance else None,
            "stance_probabilities": self.stance.probabilities if self.stance else None,
            "matches": [m.to_dict() for m in self.matches],
        }


def decide(top_score: float | None, post: NormalisedPost, thresholds: Thresholds) -> tuple[Decision, str]:
    """The decision policy. Short or link-only posts say too little to be sure, so they reach 'review' at most."""
    if top_score is None or post.word_count == 0:
        return Decision.NONE, "nothing to compare after removing links, handles' noise and emoji"
    if top_score >= thresholds.match:
        if post.url_only:
            return Decision.REVIEW, "close to a known claim, but the post is only a link"
        if post.word_count < thresholds.min_words_for_match:
            return (
                Decision.REVIEW,
                f"close to a known claim, but the post has under {thresholds.min_words_for_match} words",
            )
        return Decision.MATCH, f"score {top_score:.2f} at or above the match threshold {thresholds.match:.2f}"
    if top_score >= thresholds.review:
        return Decision.REVIEW, f"score {top_score:.2f} between review ({thresholds.review:.2f}) and match thresholds"
    return Decision.NONE, f"best score {top_score:.2f} below the review threshold {thresholds.review:.2f}"


class _OnFirstUse(Generic[T]):
    """A part of the artifact loaded by the first call that needs it, once, under a lock; None when not built."""

    def __init__(self, load: Callable[[], T | None] | None) -> None:
        self._load = load
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T | None:
        if self._load is None:
            return None
        with self._lock:
            if self._value is None:
                with loading():
                    self._value = self._load()
            return self._value


class Matcher:
    """Holds the loaded index and model; build one per process (Lambda container) and reuse it."""

    def __init__(
        self,
        index: ClaimIndex,
        claims: list[Claim],
        manifest: Manifest,
        embedder: Embedder,
        stance: StanceModel,
        multilingual: Callable[[Embedder], MultilingualIndex] | None = None,
        stance_cross: Callable[[], CrossEncoder | None] | None = None,
        usem: Callable[[], Embedder] | None = None,
        anchors: Callable[[], StanceAnchors] | None = None,
    ) -> None:
        """``usem`` gives USE-m (default: loaded from the package), loaded on first use and shared: the stance model
        reads its vector of every flagged post, and ``multilingual`` is given it to search with. ``anchors`` gives
        the claims' texts as the stance model reads them (default: embedded from ``claims`` on first use)."""
        if embedder.model_id != manifest.model_id or embedder.dimensions != manifest.dimensions:
            raise ArtifactMissing(
                f"index was built with {manifest.model_id} ({manifest.dimensions} dims) but the configured model is "
                f"{embedder.model_id} ({embedder.dimensions} dims); rebuild with 'antidote kb build'"
            )
        self.index = index
        self.claims = {c.id: c for c in claims}
        self.manifest = manifest
        self.embedder = embedder
        self.calibration = manifest.calibration
        self.stance = stance
        # USE-m's weights cost seconds an English cold start must not pay; the cross-encoder's ONNX session is not
        # needed by a cold start that flags nothing. Without them, posts keep the English engine / lexical stance.
        self._usem = _OnFirstUse(usem or UsemEmbedder)
        self._multilingual_index = _OnFirstUse((lambda: multilingual(self._usem_encoder())) if multilingual else None)
        self._stance_cross = _OnFirstUse(stance_cross)
        self._anchors = _OnFirstUse(anchors or (lambda: build_anchors(claims, self.embedder, self._usem_encoder())))

    @classmethod
    def from_artifact(cls, folder: Path, embedder: Embedder | None = None) -> Matcher:
        """The artifact with its own exported model (``OnnxEmbedder``: no torch), unless ``embedder`` is given
        (the torch engine, for comparisons)."""
        with loading():
            index, claims, manifest, stance = load_artifact(folder)
            engine = embedder or OnnxEmbedder(folder / MODEL_DIR)
        built = manifest.multilingual
        multilingual = (lambda usem: load_multilingual(folder, built, usem)) if built else None
        cross = (lambda: load_cross_encoder(folder)) if manifest.stance_cross_version else None
        usem = lambda: UsemEmbedder(folder / USEM_DIR)  # noqa: E731
        return cls(index, claims, manifest, engine, stance, multilingual, cross, usem, lambda: load_anchors(folder))

    @property
    def kb_version(self) -> str:
        return self.manifest.kb_version

    def check(self, text: str, top_k: int = 3, language: str | None = None) -> CheckResult:
        return self.check_many([text], top_k, [language])[0]

    def check_many(
        self, texts: list[str], top_k: int = 3, languages: Sequence[str | None] | None = None
    ) -> list[CheckResult]:
        """Embed the whole batch at once: encoding dominates the cost, and batching is what makes it cheap.
        ``languages`` (one per text, None when unknown) routes non-English posts to the multilingual index
        (``routing.py``); English posts are matched exactly as before."""
        for position, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise InvalidInput(f"text #{position + 1} is empty")
            if len(text) > MAX_TEXT_CHARS:
                raise InvalidInput(f"text #{position + 1} is longer than {MAX_TEXT_CHARS} characters")
        posts = [normalise_post(t) for t in texts]
        query_texts = [p.text for p in posts]
        vectors = self.embedder.encode(query_texts)  # every post: the stance model reads these vectors
        tokens = self.index.tokenize(query_texts)
        hints: list[str | None] = list(languages) if languages is not None else [None] * len(texts)
        results = self._rank(self.index, self.calibration, vectors, tokens, posts, hints, top_k)
        routed = [i for i, (text, hint) in enumerate(zip(texts, hints, strict=True)) if is_multilingual(text, hint)]
        other_languages = self._multilingual_index.get() if routed else None
        usem_vectors: dict[int, np.ndarray] = {}  # USE-m's vectors computed for routing, which the stance model reuses
        if other_languages is not None:
            routed_vectors = other_languages.embedder.encode([query_texts[i] for i in routed])
            usem_vectors = dict(zip(routed, routed_vectors, strict=True))
            routed_results = self._rank(
                other_languages.index,
                other_languages.calibration,
                routed_vectors,
                other_languages.index.tokenize([query_texts[i] for i in routed]),
                [posts[i] for i in routed],
                [hints[i] for i in routed],
                top_k,
            )
            for i, result in zip(routed, routed_results, strict=True):
                results[i] = result
        # every post keeps the English model's embedding, whichever index ranked it: the voids cluster them together
        results = [replace(result, embedding=vector) for result, vector in zip(results, vectors, strict=True)]
        return self._with_stance(texts, query_texts, vectors, usem_vectors, results)

    def _rank(
        self,
        index: ClaimIndex,
        calibration: Calibration,
        vectors: np.ndarray,
        tokens: list[list[str]],
        posts: list[NormalisedPost],
        languages: list[str | None],
        top_k: int,
    ) -> list[CheckResult]:
        texts = [p.text for p in posts]
        candidates = generate_candidates(index, vectors, tokens, calibration.candidate_depth, texts)
        results = []
        for post, language, found in zip(posts, languages, candidates, strict=True):
            ranked = (
                rank_candidates(index, found, calibration.ranking, calibration.confidence, top_k, calibration.reranker)
                if post.word_count
                else []
            )
            matches = [ClaimMatch(self.claims[r.claim_id], r.score, r.dense, r.lexical, r.closest) for r in ranked]
            thresholds = calibration.thresholds.for_language(language)
            decision, reason = decide(matches[0].score if matches else None, post, thresholds)
            results.append(CheckResult(decision, reason, matches, post))
        return results

    def _with_stance(
        self,
        texts: list[str],
        normalised: list[str],
        vectors: np.ndarray,
        usem_vectors: dict[int, np.ndarray],
        results: list[CheckResult],
    ) -> list[CheckResult]:
        """The stance of every flagged post towards its top claim, for the whole batch at once: the lexical model
        (one matrix product) and, when the index has one, the cross-encoder reading claim and post together."""
        flagged = [i for i, r in enumerate(results) if r.decision is not Decision.NONE and r.matches]
        if not flagged:
            return results
        top = [results[i].matches[0].claim for i in flagged]
        claim_vectors = self.index.primary_vectors([c.id for c in top])
        posts = [texts[i] for i in flagged]
        usem = self._usem_vectors(flagged, normalised, usem_vectors)
        claim_features = self._claim_features(top, usem, vectors[flagged])
        dense = dense_features(posts, vectors[flagged], claim_vectors, usem, claim_features)
        cross = self._stance_cross.get()
        if cross is None:
            stances = self.stance.predict_inputs(posts, dense, [c.is_myth for c in top])
        else:
            claims = [(c.statement, c.is_myth) for c in top]
            stances = predict_with_cross(self.stance, cross, posts, dense, claims, [normalised[i] for i in flagged])
        for i, stance in zip(flagged, stances, strict=True):
            results[i] = replace(results[i], stance=stance)
        return results

    def _claim_features(self, top: list[Claim], usem: np.ndarray, vectors: np.ndarray) -> np.ndarray | None:
        """How close each post sits to its claim's statement, variants and correction, when the model reads it."""
        if not self.stance.anchor_features:
            return None
        anchors = self._anchors.get()
        assert anchors is not None  # it always has a loader: the artifact's or the in-memory one
        return anchors.features([c.id for c in top], [c.is_myth for c in top], usem, vectors)

    def _usem_vectors(self, flagged: list[int], normalised: list[str], known: dict[int, np.ndarray]) -> np.ndarray:
        """USE-m's vectors of the flagged posts, as many as the stance model reads: those routing computed, the rest
        encoded now."""
        if not self.stance.usem_dimensions:
            return np.zeros((len(flagged), 0), dtype=np.float32)
        missing = [i for i in flagged if i not in known]
        if missing:
            encoder = self._usem_encoder()
            known = known | dict(zip(missing, encoder.encode([normalised[i] for i in missing]), strict=True))
        return np.vstack([known[i] for i in flagged])

    def _usem_encoder(self) -> Embedder:
        encoder = self._usem.get()
        assert encoder is not None  # it always has a loader: the given one or the package's
        return encoder
