"""``antidote voids …``: the information voids (list, cluster now, measure) and ``antidote kb draft --from-void``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from functions.cli.common import err, out
from functions.cli.service import AwsOption, _database
from functions.shared.errors import NotFound
from functions.shared.settings import get_settings

voids_app = typer.Typer(
    help="Information voids: health posts that matched no claim, clustered (see docs/voids.md).", no_args_is_help=True
)


@voids_app.command("list")
def voids_list(aws: AwsOption = False) -> None:
    """The last clustering run's voids, best first: size, growth, languages, platforms, nearest claim, an example."""
    from functions.shared.dal.database import Database
    from functions.shared.dal.voids import VoidStore

    with _database(get_settings(), aws) as db:
        store = VoidStore(Database(db))
        run, voids = store.last_run(), store.current_voids()
    table = Table("rank", "void id", "size", "growth", "languages", "platforms", "nearest claim", "example")
    for void in voids:
        nearest = void.closest_claims[0] if void.closest_claims else None
        table.add_row(
            str(void.rank),
            void.void_id,
            str(void.size),
            str(void.growth),
            ", ".join(f"{k} {v}" for k, v in void.languages.items()),
            ", ".join(f"{k} {v}" for k, v in void.platforms.items()),
            f"{nearest.claim_id} ({nearest.similarity:.2f})" if nearest else "-",
            void.examples[0].text[:70] if void.examples else "",
        )
    out.print(table)
    when = run.clustered_at.isoformat() if run and run.clustered_at else "never"
    out.print(f"{len(voids)} void(s) from {run.kept_posts if run else 0} kept post(s); last clustered: {when}")


@voids_app.command("cluster")
def voids_cluster(aws: AwsOption = False) -> None:
    """Cluster the kept posts now (what the schedule does: 'antidote serve' every ANTIDOTE_VOIDS_EVERY_MINUTES,
    EventBridge in AWS) and replace the stored voids."""
    from functions.respond.voids import ClusteringRule, run_clustering
    from functions.shared.dal.database import Database
    from functions.shared.dal.voids import VoidStore

    settings = get_settings()
    rule = ClusteringRule(settings.voids_min_cluster_size, settings.voids_growth_hours)
    with _database(settings, aws) as db:
        voids = run_clustering(VoidStore(Database(db)), datetime.now(UTC), rule)
    out.print(f"{len(voids)} void(s); largest {voids[0].size if voids else 0} post(s) — antidote voids list")


@voids_app.command("eval")
def voids_eval() -> None:
    """Measure "health-related" on the labelled sample and the clustering on the synthetic stream
    (tests/data/voids/): the figures in docs/benchmarks.md."""
    from functions.curation.voids_eval import health_figures, stream_figures
    from functions.match.engine.matcher import Matcher
    from functions.respond.voids import ClusteringRule

    settings = get_settings()
    with err.status("loading the matcher"):
        matcher = Matcher.from_artifact(settings.resolved_index_dir)
    floor = settings.voids_similarity_floor
    table = Table("health-related by", "precision", "recall", "TP", "FP", "FN", "TN")
    for c in health_figures(matcher, floor):
        counts = (c.true_positive, c.false_positive, c.false_negative, c.true_negative)
        table.add_row(c.rule, f"{c.precision:.3f}", f"{c.recall:.3f}", *map(str, counts))
    out.print("labelled sample (tests/data/voids/health_sample.jsonl)")
    out.print(table)
    rule = ClusteringRule(settings.voids_min_cluster_size, settings.voids_growth_hours)
    figures, _ = stream_figures(matcher, floor, rule)
    out.print(
        f"stream: {figures.posts} posts, {figures.flagged} flagged (not kept), {figures.kept} kept; chatter "
        f"{figures.chatter_kept} of {figures.chatter_posts} kept; {figures.voids} void(s), "
        f"{figures.chatter_led_voids} led by chatter"
    )
    myths = Table("lacking myth", "posts", "kept", "void rank", "its posts in the void", "void size", "purity")
    for m in figures.myths:
        myths.add_row(
            m.myth, str(m.posts), str(m.kept), str(m.rank or "-"), str(m.in_void), str(m.void_size), f"{m.purity:.2f}"
        )
    out.print(myths)
    top = figures.top_voids[: len(figures.myths)]
    distinct = len(set(top)) == len(figures.myths) and set(top) == {m.myth for m in figures.myths}
    out.print(
        f"top {len(figures.myths)} voids: {', '.join(top) or 'none'} — each lacking myth its own top void: {distinct}"
    )


def kb_draft(
    from_void: Annotated[str, typer.Option("--from-void", help="The void's id (antidote voids list).")],
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write (default knowledge_base/drafts/<id>.yaml).")
    ] = None,
    aws: AwsOption = False,
) -> None:
    """Write a claim skeleton from a void for a curator: the examples as variants, the topic guess; statement,
    correction, explanation and sources to fill (it does not validate until they are)."""
    from functions.curation.drafts import skeleton_yaml
    from functions.shared.dal.database import Database
    from functions.shared.dal.voids import VoidStore

    settings = get_settings()
    with _database(settings, aws) as db:
        void = VoidStore(Database(db)).get_void(from_void)
    if void is None:
        raise NotFound(f"no void {from_void} in the last clustering run (antidote voids list shows the current ids)")
    target = output or settings.knowledge_base_dir / "drafts" / f"{void.void_id}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton_yaml(void, datetime.now(UTC).date()), encoding="utf-8")
    out.print(f"wrote {target}: fill statement, verdict, harm, correction, explanation and sources, then move it")
    out.print(f"into claims/{void.topic_guess or '<topic>'}.yaml and run antidote kb validate")
