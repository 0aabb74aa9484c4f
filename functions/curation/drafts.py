"""A claim skeleton from an information void (``antidote kb draft --from-void ID``), for a curator to finish.

The skeleton is one entry in the knowledge base's YAML format: the void's example posts as variants (how people
say it), the topic the nearest claims point to as a guess, today as ``last_reviewed``. Statement, correction,
explanation and sources are left empty on purpose, so the entry fails validation (``antidote kb validate``) until
a curator has written them and chosen the verdict and harm: nothing reaches the index unreviewed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import yaml

from functions.shared.models import Void

REVIEW_PERIOD = timedelta(days=365)
MAX_VARIANTS = 8
FALLBACK_TOPIC = "new-topic"

HEADER = """\
# Draft claim from information void {void_id} (antidote kb draft --from-void {void_id}).
# {size} kept posts ({languages}; {platforms}); growth {growth} in the last {growth_hours} h.
# Nearest existing claims: {closest}.
# To finish: write the statement, the verdict (false | misleading | unproven | true), harm, correction (at most 240
# characters), explanation and at least one source on the allowlist (sources.yaml); keep the variants that say the
# claim, drop the rest. Then move the entry into claims/<topic>.yaml (the topic must be the file's name) and run
# antidote kb validate. Until then this entry does not validate, on purpose.
"""


def draft_id(void: Void) -> str:
    """A valid claim id a curator will usually rename: the topic guess and the void's id."""
    topic = void.topic_guess or FALLBACK_TOPIC
    suffix = re.sub(r"[^a-z0-9]+", "-", void.void_id.lower()).strip("-")
    return f"{topic}-draft-{suffix}"[:80].strip("-")


def claim_skeleton(void: Void, today: date) -> dict[str, object]:
    """The entry, in the order curators read claims."""
    variants = list(dict.fromkeys(example.text.strip() for example in void.examples))[:MAX_VARIANTS]
    return {
        "id": draft_id(void),
        "statement": "",
        "verdict": "false",
        "topic": void.topic_guess or FALLBACK_TOPIC,
        "harm": "medium",
        "language": "en",
        "correction": "",
        "explanation": "",
        "sources": [],
        "variants": variants,
        "last_reviewed": today,
        "review_by": today + REVIEW_PERIOD,
    }


def skeleton_yaml(void: Void, today: date) -> str:
    """The skeleton as a YAML list of one entry, under a header saying where it came from and what to fill."""
    header = HEADER.format(
        void_id=void.void_id,
        size=void.size,
        languages=", ".join(f"{k} {v}" for k, v in void.languages.items()) or "no language",
        platforms=", ".join(f"{k} {v}" for k, v in void.platforms.items()) or "no platform",
        growth=void.growth,
        growth_hours=void.growth_hours,
        closest=", ".join(f"{c.claim_id} ({c.similarity:.2f})" for c in void.closest_claims) or "none",
    )
    body = yaml.safe_dump([claim_skeleton(void, today)], sort_keys=False, allow_unicode=True, width=110)
    return header + body
