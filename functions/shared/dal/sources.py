"""Scan sources: each source's cursor (what its connector last saw) and its health, one item per source.

A scan reads the state, fetches, ingests, then writes the new state with the item's version as the condition, so
two overlapping scans of one source cannot silently overwrite each other's cursor: the later write re-reads and
re-applies its change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pynamodb.exceptions import PutError

from functions.shared.dal.database import Database, conditional_failed
from functions.shared.dal.models import SourceStateRecord
from functions.shared.models import SourceState

WRITE_ATTEMPTS = 3


class SourceStateStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def get_state(self, name: str) -> SourceState | None:
        try:
            return _to_state(SourceStateRecord.get(name, consistent_read=True))
        except SourceStateRecord.DoesNotExist:
            return None

    def get_states(self, names: Iterable[str]) -> dict[str, SourceState]:
        keys = sorted(set(names))
        if not keys:
            return {}
        return {record.name: _to_state(record) for record in SourceStateRecord.batch_get(keys)}

    def all_states(self) -> dict[str, SourceState]:
        """Every stored state (a table scan: the local runtime only, where registered sources like the demo feed
        have state but no configuration; deployed roles may not scan)."""
        return {record.name: _to_state(record) for record in SourceStateRecord.scan()}

    def update_state(self, name: str, change: Callable[[SourceState], SourceState]) -> SourceState:
        """Apply ``change`` to the stored state (or a fresh one) and write it, conditional on the version read."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                record = SourceStateRecord.get(name, consistent_read=True)
            except SourceStateRecord.DoesNotExist:
                record = SourceStateRecord(name)
            current = _to_state(record) if record.state else SourceState(name=name)
            updated = change(current)
            record.state = updated.model_dump(mode="json")
            try:
                record.save()  # VersionAttribute: conditional on the version read above
            except PutError as exc:
                if conditional_failed(exc) and attempt + 1 < WRITE_ATTEMPTS:
                    continue
                raise
            return updated
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _to_state(record: SourceStateRecord) -> SourceState:
    return SourceState.model_validate({**(record.state or {}), "name": record.name})
