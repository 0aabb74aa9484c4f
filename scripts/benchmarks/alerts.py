"""The spike detector on a synthetic stream with known injected spikes and quiet series: spikes found and false
alerts, for the detector as configured (the chance of the hour's count under each series' trailing window: Poisson,
or a negative binomial fitted to the window when it is overdispersed) and, as baselines in the same run, Poisson's
tail alone and a naive rule ("at least twice the trailing mean and the minimum count"). Prints figures, asserts
nothing.

Run: .venv/bin/python scripts/benchmarks/alerts.py [--claims 60] [--spikes 40] [--seed 13] [--p-value 0.001]

The stream: ``--claims`` claims, each with its own hourly rate (0.05 to 8 spreading posts an hour), over the
baseline window (7 days) and one test day. ``--spikes`` (claim, hour) pairs of the test day get extra posts: 4× the
claim's rate plus 5 (a rise an educator would want to hear about). Two streams are drawn: Poisson counts (what
the simplest test assumes), and overdispersed counts (negative binomial with the same mean, variance = mean +
mean²/2: bursty, as real posting is), which the detector meets with its negative-binomial tail. Every hour of the
test day is tested for every claim series (claims only: topic, region and language series add alerts of their own
when their claims spike). A found spike is a spike alert on an injected (claim, hour); a false alert is any
other spike alert.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta

from functions.alerts.detection import Sensitivity, detect, poisson_tail, series_totals
from functions.shared.models import AlertKind, HourCount, TrendKind

START = datetime(2026, 11, 1, tzinfo=UTC)
BASELINE_HOURS = 7 * 24
RATES = (0.05, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


def draw(rng: random.Random, mean: float, overdispersed: bool) -> int:
    """A Poisson count, or a gamma-Poisson (negative binomial, shape 2) one with the same mean."""
    if overdispersed:
        mean = rng.gammavariate(2.0, mean / 2.0)
    # Knuth's method is fine for the small means here
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def stream(args: argparse.Namespace, overdispersed: bool) -> tuple[list[HourCount], set[tuple[str, datetime]]]:
    rng = random.Random(args.seed)
    claims = {f"claim-{i:03d}": rng.choice(RATES) for i in range(args.claims)}
    test_hours = [START + timedelta(hours=BASELINE_HOURS + h) for h in range(24)]
    injected = set(rng.sample([(c, h) for c in claims for h in test_hours], args.spikes))
    counts = []
    for claim, rate in claims.items():
        for h in range(BASELINE_HOURS + 24):
            hour = START + timedelta(hours=h)
            extra = round(4 * rate + 5) if (claim, hour) in injected else 0
            tally = draw(rng, rate, overdispersed) + extra
            if tally:
                counts.append(HourCount(hour, TrendKind.SPREADING, claim, "-", "-", tally))
    return counts, injected


def baselines(own: list[HourCount], hour: datetime, args: argparse.Namespace) -> dict[str, bool]:
    """The comparison rules on one claim's counts: naive (twice the window's mean) and Poisson alone (the detector's
    tail without its negative-binomial fit)."""
    window = sum(c.tally for c in own if hour - timedelta(hours=BASELINE_HOURS) <= c.hour < hour)
    now = sum(c.tally for c in own if c.hour == hour)
    enough = now >= args.min_count
    return {
        "naive": enough and now >= 2 * (window / BASELINE_HOURS),
        "poisson_only": enough and poisson_tail(now, (window + 0.5) / BASELINE_HOURS) < args.p_value,
    }


def evaluate(args: argparse.Namespace, overdispersed: bool) -> dict[str, tuple[int, int]]:
    counts, injected = stream(args, overdispersed)
    sensitivity = Sensitivity(args.p_value, args.min_count, BASELINE_HOURS, 0)
    topics = {c.claim_id: c.claim_id for c in counts}  # topic series = claim series: count claims once
    found: dict[str, set[tuple[str, datetime]]] = {"detector": set(), "poisson_only": set(), "naive": set()}
    by_claim: dict[str, list[HourCount]] = {}
    for c in counts:
        by_claim.setdefault(c.claim_id, []).append(c)
    for h in range(24):
        hour = START + timedelta(hours=BASELINE_HOURS + h)
        window = [c for c in counts if hour - timedelta(hours=BASELINE_HOURS) <= c.hour <= hour]
        for f in detect(
            series_totals(window, topics), hour, sensitivity, ever_seen=set(topics) | {f"claim:{t}" for t in topics}
        ):
            if f.kind is AlertKind.SPIKE and f.series.startswith("claim:"):
                found["detector"].add((f.series.removeprefix("claim:"), hour))
        for claim, own in by_claim.items():
            for rule, fired in baselines(own, hour, args).items():
                if fired:
                    found[rule].add((claim, hour))
    return {name: (len(hits & injected), len(hits - injected)) for name, hits in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--spikes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--p-value", type=float, default=0.001)
    parser.add_argument("--min-count", type=int, default=5)
    args = parser.parse_args()
    tests = args.claims * 24
    print(
        f"{args.claims} claim series × 24 test hours = {tests} tests; {args.spikes} injected spikes; "
        f"sensitivity {args.p_value}, minimum count {args.min_count}, baseline {BASELINE_HOURS} h, seed {args.seed}"
    )
    print(f"{'stream':<16}{'rule':<34}{'spikes found':>14}{'false alerts':>14}")
    for overdispersed in (False, True):
        results = evaluate(args, overdispersed)
        name = "overdispersed" if overdispersed else "poisson"
        rules = {
            "detector": f"detector: tail p < {args.p_value}",
            "poisson_only": "Poisson tail only (baseline)",
            "naive": "naive: ≥ 2 × mean (baseline)",
        }
        for rule, (hits, false) in results.items():
            print(f"{name:<16}{rules[rule]:<34}{f'{hits}/{args.spikes}':>14}{false:>14}")


if __name__ == "__main__":
    main()
