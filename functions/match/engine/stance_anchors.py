"""How close a post sits to its claim's own words, and to the claim's correction: the stance model's claim features.

The post-only features (its words, its embeddings, the cues) say how a post is written, not on which side of *this*
claim it falls: "a sore arm for a day or two is normal after the flu jab" reads like advice whether the claim it
matched is a myth or a fact. Each claim carries both sides in the knowledge base — the statement and the variants
people post on one side, the correction on the other, in English and in every translation — so the stance model also
reads, for the post and its top claim, the highest cosine to each side in both encoders (USE-m for every language,
MiniLM for the English texts), the differences, and all of them again signed by the verdict (+1 for a myth, -1 for a
fact): agreeing with a myth's words spreads it, agreeing with a fact's words does not.

The texts' vectors are computed once by ``kb build`` and stored in the artifact (``stance_anchors/``, half precision,
memory-mapped: a post reads only its claim's rows); training computes them with the same function, so both read the
same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from functions.match.engine.embedder import Embedder
from functions.match.engine.index import block_bounds, claim_blocks
from functions.match.engine.normalise import text_to_embed
from functions.shared.claims import Claim
from functions.shared.errors import ArtifactMissing

ANCHORS_DIR = "stance_anchors"
_ARRAYS = ("claim_ids", "claim_start", "sides", "english", "usem", "minilm")

STATEMENT, VARIANT, CORRECTION = 0, 1, 2
_SIDES = (STATEMENT, VARIANT, CORRECTION)

# Per encoder: the closest statement, variant and correction, then statement − correction and variant − correction.
_PER_ENCODER = ["statement", "variant", "correction", "statement_minus_correction", "variant_minus_correction"]
_UNSIGNED = [f"usem_{name}" for name in _PER_ENCODER] + [f"minilm_{name}" for name in _PER_ENCODER]
ANCHOR_FEATURE_NAMES = _UNSIGNED + [f"{name}_by_verdict" for name in _UNSIGNED] + ["verdict_sign"]


@dataclass(frozen=True)
class StanceAnchors:
    """Every claim's texts embedded by both encoders, as rows: the claim's own texts sit in one block of rows."""

    claim_ids: list[str]
    claim_start: np.ndarray  # first row of each claim; its rows run to the next claim's first row
    sides: np.ndarray  # per row: STATEMENT, VARIANT or CORRECTION
    english: np.ndarray  # per row: the text is the claim's own (English), so MiniLM can read it
    usem: np.ndarray  # rows × USE-m dimensions, float16
    minilm: np.ndarray  # the English rows only, in row order × MiniLM dimensions, float16
    _position: dict[str, int] = field(init=False, repr=False, compare=False)
    _minilm_row: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_position", {claim_id: i for i, claim_id in enumerate(self.claim_ids)})
        object.__setattr__(self, "_minilm_row", np.cumsum(self.english) - 1)

    def rows(self, claim_id: str) -> slice:
        return slice(*block_bounds(self.claim_start, self._position[claim_id], len(self.sides)))

    def features(
        self, claim_ids: list[str], claim_is_myth: list[bool], usem_vectors: np.ndarray, minilm_vectors: np.ndarray
    ) -> np.ndarray:
        """One row of ``ANCHOR_FEATURE_NAMES`` per (post, claim)."""
        out = np.zeros((len(claim_ids), len(ANCHOR_FEATURE_NAMES)), dtype=np.float32)
        for i, (claim_id, is_myth) in enumerate(zip(claim_ids, claim_is_myth, strict=True)):
            rows = self.rows(claim_id)
            sides, english = self.sides[rows], self.english[rows]
            usem = self._closest(self.usem[rows], usem_vectors[i], sides)
            minilm = self._closest(self.minilm[self._minilm_row[rows][english]], minilm_vectors[i], sides[english])
            unsigned = np.concatenate([usem, minilm])
            sign = 1.0 if is_myth else -1.0
            out[i] = np.concatenate([unsigned, sign * unsigned, [sign]])
        return out

    @staticmethod
    def _closest(vectors: np.ndarray, post: np.ndarray, sides: np.ndarray) -> np.ndarray:
        cosines = np.asarray(vectors, dtype=np.float32) @ post.astype(np.float32)
        best = [float(cosines[sides == side].max(initial=0.0)) for side in _SIDES]
        statement, variant, correction = best
        return np.array([statement, variant, correction, statement - correction, variant - correction])


def anchor_texts(claims: list[Claim]) -> list[tuple[str, int, bool, str]]:
    """(claim id, side, English, text) for every statement, variant and correction, translations included."""
    rows: list[tuple[str, int, bool, str]] = []
    for claim in claims:
        rows.append((claim.id, STATEMENT, True, claim.statement))
        rows += [(claim.id, VARIANT, True, v) for v in claim.variants]
        rows.append((claim.id, CORRECTION, True, claim.correction))
        for language in sorted(claim.translations):
            translation = claim.translations[language]
            rows.append((claim.id, STATEMENT, False, translation.statement))
            rows += [(claim.id, VARIANT, False, v) for v in translation.variants]
            rows.append((claim.id, CORRECTION, False, translation.correction))
    return rows


def build_anchors(claims: list[Claim], minilm: Embedder, usem: Embedder) -> StanceAnchors:
    """Embed every anchor text; MiniLM only the English ones. Half precision, as stored."""
    rows = anchor_texts(claims)
    normalised = [text_to_embed(text) for *_, text in rows]
    english = np.array([is_english for _, _, is_english, _ in rows], dtype=bool)
    minilm_vectors = minilm.encode([text for text, is_english in zip(normalised, english, strict=True) if is_english])
    claim_ids, starts = claim_blocks(claim_id for claim_id, *_ in rows)
    return StanceAnchors(
        claim_ids=claim_ids,
        claim_start=starts,
        sides=np.array([side for _, side, _, _ in rows], dtype=np.int8),
        english=english,
        usem=np.asarray(usem.encode(normalised), dtype=np.float16),
        minilm=np.asarray(minilm_vectors, dtype=np.float16).reshape(int(english.sum()), minilm.dimensions),
    )


def save_anchors(anchors: StanceAnchors, folder: Path) -> list[Path]:
    """One ``.npy`` file per array: the two tables can then be memory-mapped (an ``.npz`` cannot)."""
    target = folder / ANCHORS_DIR
    target.mkdir(parents=True, exist_ok=True)
    values = {name: getattr(anchors, name) for name in _ARRAYS} | {"claim_ids": np.array(anchors.claim_ids)}
    written = []
    for name in _ARRAYS:
        path = target / f"{name}.npy"
        np.save(path, values[name], allow_pickle=False)
        written.append(path)
    return written


def load_anchors(folder: Path) -> StanceAnchors:
    target = folder / ANCHORS_DIR
    try:
        arrays = {
            name: np.load(target / f"{name}.npy", mmap_mode="r" if name in ("usem", "minilm") else None)
            for name in _ARRAYS
        }
        anchors = StanceAnchors(**(arrays | {"claim_ids": [str(c) for c in arrays["claim_ids"]]}))
    except FileNotFoundError as exc:
        raise ArtifactMissing(f"{target} is missing (the stance model reads it); run 'antidote kb build'") from exc
    except (OSError, ValueError) as exc:
        raise ArtifactMissing(f"{target} is unreadable ({exc}); rebuild with 'antidote kb build'") from exc
    if len(anchors.usem) != len(anchors.sides) or len(anchors.minilm) != int(anchors.english.sum()):
        raise ArtifactMissing(f"{target} is inconsistent; rebuild with 'antidote kb build'")
    return anchors
