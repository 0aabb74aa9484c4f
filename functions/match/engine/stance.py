"""Stance of a post towards the claim it matched: does it spread it, debunk it, ask about it, or only mention it?

Matching finds posts *about* a claim; only people who spread a myth should get a correction. The stance model is a
multinomial logistic regression over the post's words and word pairs (TF-IDF) and what the matcher already
computed — the post's embedding, its element-wise product with the claim's statement embedding, their cosine —
the post's USE-m vector (``usem.py``: an encoder trained on natural-language inference too, so its vectors carry
whether a sentence asserts, denies or asks, in any language), how close the post sits to the claim's own words and
to its correction, signed by the verdict (``stance_anchors.py``), plus cue features that carry stance in English,
Spanish and French (question form, negation, debunking and endorsing vocabulary, news framing, first-person
stories). It predicts the post's side relative to the evidence (spreads, counters, asks, neutral), which the
claim's verdict turns into a stance. Its weights are data (``knowledge_base/stance_model.json``, produced by
``antidote kb train-stance``), copied into the index artifact and loaded with it; applying it is a matrix product.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError, model_validator

from functions.match.engine.stance_anchors import ANCHOR_FEATURE_NAMES
from functions.shared.errors import ArtifactMissing
from functions.shared.models import REDACTION_PLACEHOLDERS, Stance

STANCE_FILE = "stance_model.json"


def _words(alternatives: str) -> re.Pattern[str]:
    """Whole words or phrases, any case: ``alternatives`` is a regular-expression alternation."""
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


# Cues in English, Spanish and French (the knowledge base's languages). Each is a count or a flag; the model
# learns how much each one matters, for each stance.
CUES: dict[str, re.Pattern[str]] = {
    "question_mark": re.compile(r"[?¿]"),
    "interrogative_start": re.compile(
        r"^\W*(?:is|are|does|do|did|can|could|should|will|would|has|have|why|how|what|anyone|any\b|¿|es\b|son\b|"
        r"puede|debo|deber[ií]a|alguien|est-ce|est\b|peut|dois|faut-il|quelqu'un|c'est vrai)",
        re.IGNORECASE,
    ),
    "asking_phrase": _words(
        r"is it true|is this true|does anyone know|anyone know|should i|should we|can someone"
        r"|genuine question|honest question|real question|wondering|i wonder|confused|es verdad|es cierto"
        r"|alguien sabe|¿|c'est vrai|est-ce vrai|quelqu'un sait|je me demande|vraiment"
    ),
    "negation": _words(
        r"not|no|never|n't|doesn't|don't|isn't|aren't|won't|can't|cannot|didn't|nope|nothing|nunca|ni"
        r"|tampoco|ne|pas|jamais|aucun|aucune"
    ),
    "debunk": _words(
        r"myths?|debunk\w*|false|fake|misinformation|disinformation|misinfo|hoax|lies?|lying|retract\w*"
        r"|no evidence|not true|nonsense|rubbish|bs|fact.?check\w*|evidence shows|studies show"
        r"|research shows|actually|in fact|is wrong|are wrong|doesn't work|don't work|dangerous advice"
        r"|please don't|stop spreading|busted|mitos?|falso|falsa|bulos?|desinformaci[oó]n|mentiras?"
        r"|no es cierto|no es verdad|desmentid\w*|retractad\w*|la evidencia|mythes?|faux|fausse|intox"
        r"|infox|d[ée]sinformation|r[ée]tract\w*|c'est faux|id[ée]es? re[çc]ues?|aucune preuve"
    ),
    "endorse": _words(
        r"wake up|the truth|they don't want you to know|big pharma|do your (?:own )?research|sheeple|cured"
        r"|cures|works|worked|proof|proves|proven|exposed|cover.?up|share before|spread the word|naturally"
        r"|trust me|100%|guaranteed|miracle|despierta\w*|la verdad|farmac[eé]uticas|curad\w*|funciona"
        r"|comp[aá]rtelo|r[ée]veillez|la v[ée]rit[ée]|gu[ée]ri\w*|ça marche|partagez"
    ),
    "news": _words(
        r"study|survey|report\w*|according to|poll|percent|officials?|announced|headline|researchers"
        r"|published|journal|breaking|article|news|podcast|webinar|event|panel|seg[uú]n|encuesta|estudio"
        r"|informe|noticia|selon|sondage|[ée]tude|rapport|article"
    ),
    "percent_or_number": re.compile(r"\d+\s?%|\b\d{2,}\b"),
    "quote": re.compile(r"[\"“”«»]|\b(?:RT|says|said|claims?|claiming|dice|dicen|dit|disent)\b", re.IGNORECASE),
    "first_person": _words(r"i|i'm|i've|my|me|yo|mi|mis|me|je|j'ai|mon|ma|mes"),
    "personal_story": _words(
        r"i stopped|i quit|i'm off|i took|i've been|years on|my doctor|my gp|my son|my daughter|my kids?"
        r"|diagnosed|dej[eé]|mi m[eé]dico|mon m[ée]decin|j'ai arr[êe]t[ée]"
    ),
    "but": _words(r"but|however|although|pero|sin embargo|mais|pourtant"),
    "exclamation": re.compile(r"!"),
    "sarcasm": _words(r"sure|yeah right|lol|lmao|🙄|apparently|totally|claro|ouais"),
    "hashtag": re.compile(r"#\w+"),
    "mention": re.compile(r"(?<!\w)@\w+"),
}
CUE_NAMES = list(CUES)


def cue_features(text: str) -> np.ndarray:
    """Counts of each cue, squashed so one long rant does not outweigh everything else."""
    counts = np.array([len(pattern.findall(text)) for pattern in CUES.values()], dtype=np.float32)
    return np.log1p(counts)


_TOKEN = re.compile(r"[^\W\d_]+(?:'[a-z]+)?|[?!¿]")
# Ingest's redaction placeholders ("[phone]", "[name]"): stored posts carry them, the labelled examples never do, so
# their words ("phone", "name") would be read as if the author had written them.
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in sorted(REDACTION_PLACEHOLDERS.values())))


def terms(text: str) -> list[str]:
    """Words and word pairs (lower case, any script), and ? ! ¿ as words: the lexical half of the model. A redaction
    placeholder is no word of the author's: it splits the text, as the data it stands for would."""
    tokens: list[str] = []
    pairs: list[str] = []
    for piece in _PLACEHOLDER.split(text):
        found = _TOKEN.findall(piece.lower())
        tokens += found
        pairs += [f"{a} {b}" for a, b in pairwise(found)]
    return tokens + pairs


def dense_features(
    texts: list[str],
    post_vectors: np.ndarray,
    claim_vectors: np.ndarray,
    usem_vectors: np.ndarray,
    anchor_features: np.ndarray | None = None,
) -> np.ndarray:
    """One row per (post, claim): post embedding, its product with the claim's, their cosine, the cues, the post's
    USE-m vector, then the claim features (``StanceAnchors.features``), when the model reads them."""
    anchors = np.zeros((len(texts), 0), dtype=np.float32) if anchor_features is None else anchor_features
    width = 2 * post_vectors.shape[1] + 1 + len(CUE_NAMES) + usem_vectors.shape[1] + anchors.shape[1]
    if not texts:
        return np.zeros((0, width), dtype=np.float32)
    cosine = np.sum(post_vectors * claim_vectors, axis=1, keepdims=True)
    cues = np.vstack([cue_features(t) for t in texts])
    return np.hstack([post_vectors, post_vectors * claim_vectors, cosine, cues, usem_vectors, anchors]).astype(
        np.float32
    )


class Alignment(StrEnum):
    """What the model predicts: a post's side relative to the evidence, which its wording shows whatever the claim.
    "It's a myth that …" counters a myth but spreads doubt about a fact; the claim's verdict turns it into a stance."""

    SPREADS = "spreads"
    COUNTERS = "counters"
    ASKS = "asks"
    NEUTRAL = "neutral"


def alignment_of(stance: Stance, is_myth: bool) -> Alignment:
    if stance in (Stance.ASKS, Stance.NEUTRAL):
        return Alignment(stance.value)
    return Alignment.SPREADS if (stance is Stance.SUPPORTS) == is_myth else Alignment.COUNTERS


def stance_of(alignment: Alignment, is_myth: bool) -> Stance:
    if alignment in (Alignment.ASKS, Alignment.NEUTRAL):
        return Stance(alignment.value)
    return Stance.SUPPORTS if (alignment is Alignment.SPREADS) == is_myth else Stance.REFUTES


@dataclass(frozen=True)
class StanceResult:
    stance: Stance
    confidence: float  # the probability of ``stance``
    probabilities: dict[str, float]
    risky: bool = False  # the post reads as acting on the claim in a way that can hurt (stopping treatment, …)

    def probability(self, stance: Stance) -> float:
        return self.probabilities.get(stance.value, 0.0)


class StanceModel(BaseModel):
    """A multinomial logistic model over TF-IDF terms and the standardised dense features (see module docstring)."""

    classes: list[Alignment]
    cue_names: list[str]
    dimensions: int = Field(ge=1, description="Embedding size the model was trained on.")
    usem_dimensions: int = Field(ge=0, description="Size of the posts' USE-m vectors it reads (0: none).")
    vocabulary: dict[str, int] = Field(description="Term → column of the lexical features.")
    idf: list[float]
    mean: list[float] = Field(description="Standardisation of the dense features.")
    scale: list[float]
    dense_weight: float = Field(gt=0, description="How much the standardised dense features count beside TF-IDF.")
    anchor_features: list[str] = Field(
        default_factory=list, description="The claim features it reads, last among the dense ones (none: [])."
    )
    anchor_weight: float = Field(default=0.0, ge=0, description="How much the standardised claim features count.")
    coef: list[list[float]]
    intercept: list[float]
    risk_coef: list[float] = Field(
        description="A binary model over the same features: does the post disclose acting on the claim in a way that "
        "can hurt (stopping or refusing treatment)? The reply policy answers such posts privately, first."
    )
    risk_intercept: float
    risk_threshold: float = Field(gt=0, lt=1)
    provenance: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shapes(self) -> StanceModel:
        dense = 2 * self.dimensions + 1 + len(self.cue_names) + self.usem_dimensions + len(self.anchor_features)
        if len(self.mean) != dense or len(self.scale) != dense or any(v <= 0 for v in self.scale):
            raise ValueError(f"mean and scale must have {dense} entries, every scale positive")
        if len(self.idf) != len(self.vocabulary) or sorted(self.vocabulary.values()) != list(range(len(self.idf))):
            raise ValueError("vocabulary must number the idf entries 0..n-1")
        width = len(self.idf) + dense
        if len(self.coef) != len(self.classes) or any(len(row) != width for row in self.coef):
            raise ValueError(f"coef must be {len(self.classes)} rows of {width}")
        if len(self.intercept) != len(self.classes):
            raise ValueError("one intercept per class")
        if len(self.risk_coef) != width:
            raise ValueError(f"risk_coef must have {width} entries")
        if self.anchor_features and self.anchor_weight <= 0:
            raise ValueError("anchor_weight must be positive when the model reads claim features")
        return self

    def lexical(self, texts: list[str]) -> np.ndarray:
        """TF-IDF rows: sublinear term frequency times idf, L2-normalised (as the model was fitted)."""
        rows = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        idf = np.asarray(self.idf, dtype=np.float32)
        for i, text in enumerate(texts):
            counts = Counter(t for t in terms(text) if t in self.vocabulary)
            for term, count in counts.items():
                column = self.vocabulary[term]
                rows[i, column] = (1.0 + np.log(count)) * idf[column]
            norm = float(np.linalg.norm(rows[i]))
            if norm > 0:
                rows[i] /= norm
        return rows

    def features(self, texts: list[str], dense: np.ndarray) -> np.ndarray:
        if dense.shape[1] != len(self.mean):
            raise ArtifactMissing(
                f"the stance model expects {self.dimensions}-dimensional embeddings, {self.usem_dimensions} "
                f"USE-m dimensions and {len(self.anchor_features)} claim features; the inputs differ: retrain with "
                "'antidote kb train-stance'"
            )
        standard = (dense - np.asarray(self.mean, dtype=np.float32)) / np.asarray(self.scale, dtype=np.float32)
        weights = np.full(len(self.mean), self.dense_weight, dtype=np.float32)
        weights[len(self.mean) - len(self.anchor_features) :] = self.anchor_weight
        return np.hstack([self.lexical(texts), standard * weights])

    def alignment_probabilities(self, texts: list[str], dense: np.ndarray) -> np.ndarray:
        return self._alignment(self.features(texts, dense))

    def alignment_and_risk(self, texts: list[str], dense: np.ndarray) -> tuple[np.ndarray, list[bool]]:
        """Both from one computation of the features: the cross-encoder's path mixes the first and keeps the
        second (``stance_cross.predict_with_cross``)."""
        features = self.features(texts, dense)
        return self._alignment(features), self._risky(features)

    def risk_probabilities(self, texts: list[str], dense: np.ndarray) -> np.ndarray:
        return self._risk(self.features(texts, dense))

    def _risk(self, features: np.ndarray) -> np.ndarray:
        logits = features @ np.asarray(self.risk_coef, dtype=np.float32) + np.float32(self.risk_intercept)
        result: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * logits))  # the logistic function, without overflow
        return result

    def _risky(self, features: np.ndarray) -> list[bool]:
        return [bool(p >= self.risk_threshold) for p in self._risk(features)]

    def _alignment(self, features: np.ndarray) -> np.ndarray:
        if self.cue_names != CUE_NAMES:
            raise ArtifactMissing("the stance model was trained with other cues; run 'antidote kb train-stance'")
        if self.anchor_features and self.anchor_features != ANCHOR_FEATURE_NAMES:
            raise ArtifactMissing("the stance model reads other claim features; run 'antidote kb train-stance'")
        logits = features @ np.asarray(self.coef, dtype=np.float32).T
        logits += np.asarray(self.intercept, dtype=np.float32)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return result

    def predict(
        self,
        texts: list[str],
        post_vectors: np.ndarray,
        claim_vectors: np.ndarray,
        usem_vectors: np.ndarray,
        claim_is_myth: list[bool],
        anchor_features: np.ndarray | None = None,
    ) -> list[StanceResult]:
        dense = dense_features(texts, post_vectors, claim_vectors, usem_vectors, anchor_features)
        return self.predict_inputs(texts, dense, claim_is_myth)

    def predict_inputs(self, texts: list[str], dense: np.ndarray, claim_is_myth: list[bool]) -> list[StanceResult]:
        features = self.features(texts, dense)
        results = []
        for row, is_myth, risky in zip(self._alignment(features), claim_is_myth, self._risky(features), strict=True):
            by_stance = {
                stance_of(alignment, is_myth).value: round(float(p), 4)
                for alignment, p in zip(self.classes, row, strict=True)
            }
            best = max(by_stance, key=lambda s: by_stance[s])
            results.append(StanceResult(Stance(best), by_stance[best], by_stance, risky))
        return results

    @property
    def version(self) -> str:
        payload = json.dumps(self.model_dump(mode="json", exclude={"provenance"}), sort_keys=True)
        return "stance-" + hashlib.sha256(payload.encode()).hexdigest()[:16]


def load_stance_model(path: Path) -> StanceModel:
    try:
        return StanceModel.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactMissing(f"stance model not found: {path} (run 'antidote kb train-stance')") from exc
    except ValidationError as exc:
        raise ArtifactMissing(f"stance model {path} is invalid: {exc.errors()[0]['msg']}") from exc
