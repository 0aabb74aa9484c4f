"""Information voids: the health posts that matched no claim (kept, with their embeddings, as long as posts are)
and the current voids the scheduled clustering found in them.

Kept posts are written only if absent, so a redelivered batch changes nothing; they are read one UTC day (one
Query) at a time over the retention window. A clustering run writes its voids, removes the voids it no longer
found and records its summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import PutError

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import UnmatchedRecord, VoidRecord
from functions.shared.models import StoredVoid, UnmatchedPost, VoidsResponse

VOIDS_BOARD = "voids"
RUNS_BOARD = "runs"
LATEST_RUN = "latest"


def day_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


class VoidStore:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._ttl = timedelta(days=database.settings.post_ttl_days)

    # ------------------------------------------------------------ kept posts

    def keep_posts(self, posts: list[UnmatchedPost]) -> dict[str, bool]:
        """Keep each post unless already kept (a redelivery); False: it was. Expires with the post itself."""
        kept: dict[str, bool] = {}
        for post in {p.post_key: p for p in posts}.values():
            record = UnmatchedRecord(
                day_of(post.received_at),
                post.post_key,
                post=post.model_dump(mode="json"),
                expires_at=post.received_at + self._ttl,
            )
            try:
                record.save(condition=UnmatchedRecord.post_key.does_not_exist())
                kept[post.post_key] = True
            except PutError as exc:
                if not conditional_failed(exc):
                    raise
                kept[post.post_key] = False
        return kept

    def kept_posts(self, now: datetime) -> list[UnmatchedPost]:
        """Every kept post still within retention (expired items DynamoDB has not yet removed are skipped)."""
        posts: list[UnmatchedPost] = []
        for days_ago in range(self._ttl.days + 1):
            day = day_of(now - timedelta(days=days_ago))
            for record in UnmatchedRecord.query(day):
                post = UnmatchedPost.model_validate(record.post)
                if post.received_at + self._ttl > now:
                    posts.append(post)
        return posts

    # ------------------------------------------------------------ voids

    def current_voids(self) -> list[StoredVoid]:
        """The last run's voids, best first."""
        voids = [StoredVoid.model_validate(r.data) for r in VoidRecord.query(VOIDS_BOARD, consistent_read=True)]
        return sorted(voids, key=lambda v: v.rank)

    def get_void(self, void_id: str) -> StoredVoid | None:
        try:
            return StoredVoid.model_validate(VoidRecord.get(VOIDS_BOARD, void_id, consistent_read=True).data)
        except VoidRecord.DoesNotExist:
            return None

    def last_run(self) -> VoidsResponse | None:
        """The last run's summary (its time and how many kept posts it clustered), without the voids."""
        try:
            return VoidsResponse.model_validate(VoidRecord.get(RUNS_BOARD, LATEST_RUN, consistent_read=True).data)
        except VoidRecord.DoesNotExist:
            return None

    def replace_voids(self, voids: list[StoredVoid], clustered_at: datetime, kept_posts: int) -> None:
        """Write this run's voids, remove those it no longer found, then record the run."""
        current = {v.void_id for v in voids}
        for void in voids:
            VoidRecord(VOIDS_BOARD, void.void_id, data=void.model_dump(mode="json")).save()
        for record in VoidRecord.query(VOIDS_BOARD, attributes_to_get=["board", "void_id"]):
            if record.void_id not in current:
                record.delete()
        summary = VoidsResponse(clustered_at=clustered_at, kept_posts=kept_posts, voids=[])
        VoidRecord(RUNS_BOARD, LATEST_RUN, data=summary.model_dump(mode="json")).save()
