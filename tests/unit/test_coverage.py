"""The coverage report's logic on small fakes: reading the pool, choosing the health claims, naming themes and
deciding which the knowledge base covers. The real model and the real pool: tests/integration/test_coverage.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from functions.curation.coverage import (
    CachedEncoder,
    Checked,
    CoverageRun,
    PoolClaim,
    check_pool,
    coverage_report,
    find_themes,
    read_pool,
    render_markdown,
    select_health,
    theme_keywords,
)
from functions.match.engine.index import IndexedText
from functions.match.engine.matcher import CheckResult, ClaimMatch, Decision
from functions.match.engine.normalise import normalise_post
from functions.shared.claims import Claim
from tests.unit.test_knowledge_base import claim

FLUORIDE = Claim.model_validate(claim(id="fluoride-is-toxic-waste", topic="fluoride"))
RNG = np.random.default_rng(5)
DIMENSIONS = 32


def near(axis: int) -> np.ndarray:
    vector: np.ndarray = np.eye(DIMENSIONS)[axis] + RNG.normal(0, 0.03, DIMENSIONS)
    return vector / float(np.linalg.norm(vector))


def checked(axis: int, decision: str = "none", claim_id: str | None = None, score: float = 0.2) -> Checked:
    return Checked(decision, claim_id, "fluoride" if claim_id else None, score, score, near(axis))


def test_the_pool_is_read_in_order_skipping_lines_without_a_claim(tmp_path: Path) -> None:
    pool = tmp_path / "vclaims.jsonl"
    rows = [
        {"vclaim_id": "a", "vclaim": "Fluoride lowers IQ."},
        {"vclaim_id": "b", "vclaim": "  "},
        {"vclaim_id": "c", "vclaim": "Homeopathy cures flu."},
        {"vclaim_id": "d", "vclaim": "Third."},
    ]
    pool.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n", encoding="utf-8")
    assert read_pool(pool) == [
        PoolClaim("a", "Fluoride lowers IQ."),
        PoolClaim("c", "Homeopathy cures flu."),
        PoolClaim("d", "Third."),
    ]
    assert [c.claim_id for c in read_pool(pool, limit=2)] == ["a", "c"]


def test_a_claim_is_health_by_a_health_word_or_by_closeness_to_a_claim() -> None:
    pool = [
        PoolClaim("w", "The flu vaccine gives you the flu."),  # words: vaccin, flu
        PoolClaim("s", "Wearing face coverings starves you of oxygen."),  # no health word, but close to a claim
        PoolClaim("n", "A celebrity bought a yacht."),  # neither
    ]
    results = [checked(0, score=0.4), checked(0, score=0.7), checked(0, score=0.3)]
    found = select_health(pool, results, floor=0.55)
    assert found.indexes == [0, 1]
    assert (found.by_words, found.by_similarity_only) == (1, 1)
    # health words far from every claim (politics, celebrities) are screened out by the words' own floor
    assert select_health(pool, results, floor=0.55, words_floor=0.5).indexes == [1]


def test_keywords_are_the_words_that_set_a_theme_apart() -> None:
    clusters = [
        ["fluoride in water lowers IQ", "fluoride water is poison", "the water is safe"],
        ["homeopathy cures cancer", "homeopathy remedies cure flu", "the water memory of homeopathy"],
    ]
    fluoride, homeopathy = theme_keywords(clusters)
    assert fluoride[0] == "fluoride"
    assert homeopathy[0] == "homeopathy"
    assert "water" not in homeopathy[:1]
    assert "the" not in fluoride + homeopathy  # stop words never name a theme


def test_a_theme_is_covered_when_its_central_claims_are_flagged_against_one_claim() -> None:
    pool = [PoolClaim(f"f{n}", f"fluoride in tap water is poison number {n}") for n in range(6)]
    pool += [PoolClaim(f"h{n}", f"homeopathy sugar pills cure disease {n}") for n in range(6)]
    pool += [PoolClaim("x", "a lone claim about something else entirely")]
    results = [checked(0, "match", "fluoride-is-toxic-waste", 0.9) for _ in range(5)]
    results += [checked(0, "none", "fluoride-is-toxic-waste", 0.3)]
    results += [checked(1, "none", "fluoride-mind-control", 0.25) for _ in range(6)]
    results += [checked(7)]
    themes = find_themes(pool, results, min_size=5)
    assert len(themes) == 2  # the lone claim is noise, not a theme
    fluoride, homeopathy = sorted(themes, key=lambda t: t.central_ids[0])
    assert fluoride.size == 6
    assert fluoride.covered
    assert fluoride.best_claim == "fluoride-is-toxic-waste"
    assert fluoride.flagged_share >= 0.8
    assert fluoride.members_flagged == round(5 / 6, 4)
    assert set(fluoride.central_ids) <= {c.claim_id for c in pool[:6]}
    assert fluoride.keywords[0] in {"fluoride", "poison", "tap"}
    assert not homeopathy.covered
    assert homeopathy.best_claim == "fluoride-mind-control"  # the nearest claim is still shown, with its score
    assert homeopathy.flagged_share == 0.0
    assert "homeopathy" in homeopathy.keywords


def test_flagged_against_different_claims_is_not_coverage() -> None:
    pool = [PoolClaim(f"m{n}", f"mixed theme claim {n}") for n in range(6)]
    ids = ["fluoride-is-toxic-waste", "fluoride-mind-control", "fluoride-water-lowers-iq"] * 2
    results = [checked(0, "review", cid, 0.6) for cid in ids]
    (theme,) = find_themes(pool, results, min_size=5)
    assert theme.members_flagged == 1.0
    assert theme.flagged_share <= 0.4
    assert not theme.covered


def report_of(pool: list[PoolClaim], results: list[Checked]) -> str:
    run = CoverageRun(
        "antidote kb coverage --pool vclaims.jsonl --min-size 5", "vclaims.jsonl", "kb-1", 3, 0.55, 0.0, 0.5, 5
    )
    messages: list[str] = []
    report = coverage_report(run, pool, results, messages.append)
    assert messages
    assert "health claims" in messages[0]
    summary = report.to_json()
    assert summary["themes_found"] == 2
    assert summary["themes_covered"] == 1
    assert all("central_texts" not in t for t in summary["themes"])  # the pool's text is not copied out
    assert summary["health_claims"] == 12
    assert summary["pool_claims"] == 13
    return render_markdown(report)


def test_the_markdown_report_names_its_command_and_lists_what_is_not_covered() -> None:
    pool = [PoolClaim(f"f{n}", f"fluoride in tap water causes cancer {n}") for n in range(6)]
    pool += [PoolClaim(f"h{n}", f"homeopathy cures disease {n}") for n in range(6)]
    pool += [PoolClaim("yacht", "A celebrity bought a yacht.")]
    results = [checked(0, "match", "fluoride-causes-bone-cancer", 0.9) for _ in range(6)]
    results += [checked(1) for _ in range(6)] + [checked(9)]
    text = report_of(pool, results)
    assert "Generated by `antidote kb coverage --pool vclaims.jsonl --min-size 5`" in text
    assert "**covered 1 of 2 (50%)**" in text
    assert "`fluoride-causes-bone-cancer`" in text
    uncovered = text.split("## Not covered", 1)[1]
    assert "homeopathy" in uncovered
    # the five most central homeopathy claims are named by their pool ids (which five of the six depends on the
    # module's random vectors, so on which tests ran before)
    central = uncovered.split("Central claims", 1)[1].split("\n", 1)[0]
    assert len(set(re.findall(r"`(h[0-5])`", central))) == 5
    assert "fluoride" not in uncovered.split("\n### ")[1].split("\n")[0]
    assert "yacht" not in text
    assert "tap water causes cancer" not in text  # claims are named by pool id: the pool's text stays in the pool


class FakeMatcher:
    """Answers like the matcher: one result per text, in order, each with its embedding."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def check_many(self, texts: list[str], top_k: int = 3) -> list[CheckResult]:
        self.batches.append(len(texts))
        claim = FLUORIDE
        closest = IndexedText(claim.id, "statement", claim.statement)
        return [
            CheckResult(
                Decision.MATCH if "fluoride" in t else Decision.NONE,
                "test",
                [ClaimMatch(claim, 0.8 if "fluoride" in t else 0.1, 0.7, 1.0, closest)],
                normalise_post(t),
                embedding=near(len(t) % DIMENSIONS),
            )
            for t in texts
        ]


def test_the_pool_goes_through_the_matcher_in_batches() -> None:
    pool = [PoolClaim(str(n), "fluoride is poison" if n % 2 else "a yacht") for n in range(150)]
    seen: list[int] = []
    matcher = FakeMatcher()
    results = check_pool(matcher, pool, seen.append)
    assert matcher.batches == [64, 64, 22]
    assert seen == [64, 64, 22]
    assert [r.flagged for r in results[:4]] == [False, True, False, True]
    assert results[1].claim_id == "fluoride-is-toxic-waste"
    assert results[1].topic == "fluoride"
    assert results[1].score == 0.8
    assert results[1].nearest == 0.7


class CountingEncoder:
    model_id = "test-model"
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return np.stack([near(len(t) % DIMENSIONS) for t in texts]) if texts else np.zeros((0, DIMENSIONS))


def test_the_pool_vectors_are_kept_between_runs_of_the_same_model(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    first_model = CountingEncoder()
    first = CachedEncoder(first_model, path, "model-a")
    vectors = first.encode(["fluoride is poison", "a yacht", "fluoride is poison"])
    assert first_model.encoded == ["fluoride is poison", "a yacht"]  # each text once
    assert np.array_equal(vectors[0], vectors[2])
    first.save()
    again_model = CountingEncoder()
    again = CachedEncoder(again_model, path, "model-a")
    assert np.array_equal(again.encode(["a yacht", "new text"])[0], vectors[1])
    assert again_model.encoded == ["new text"]  # only what the file did not hold
    other_model = CountingEncoder()
    CachedEncoder(other_model, path, "model-b").encode(["a yacht"])
    assert other_model.encoded == ["a yacht"]  # another model's vectors are never reused
