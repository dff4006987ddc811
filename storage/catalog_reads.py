"""Reading the catalog: one recording, several, by source key, search, counts, history.

Why a module of its own: reads are what the API and operators call, with their own limits
(search pages of at most 1000) and batching (objects fetched in chunks of 500 ids); they
change nothing. It is a part of :class:`storage.catalog_repo.Catalog` (mixed in), using its
``_session``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from redactor.errors import BadInputError, NotFoundError
from storage.catalog_models import RecordingEventRow, RecordingObjectRow, RecordingRow
from storage.catalog_types import Event, Recording, _check_state, _require_aware, _to_event, _to_rec

__all__ = ["ReadsMixin"]

_SEARCH_LIMIT_MAX = 1000


class ReadsMixin:
    """The read operations of :class:`storage.catalog_repo.Catalog`."""

    def get(self, recording_id: str) -> Recording:
        """One recording with its objects; :class:`NotFoundError` if absent."""
        recs = self.get_many([recording_id])
        if not recs:
            raise NotFoundError(f"recording {recording_id!r} is not in the catalog")
        return recs[0]

    def get_many(self, ids: Sequence[str]) -> list[Recording]:
        """Several recordings with their objects, in the order of ``ids`` (missing skipped)."""
        if not ids:
            return []
        out: dict[str, Recording] = {}
        with self._session() as s:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i : i + 500])
                rows = s.scalars(select(RecordingRow).where(RecordingRow.id.in_(chunk))).all()
                objs: dict[str, list[RecordingObjectRow]] = {}
                for o in s.scalars(
                    select(RecordingObjectRow)
                    .where(RecordingObjectRow.recording_id.in_(chunk))
                    .order_by(RecordingObjectRow.id)
                ):
                    objs.setdefault(o.recording_id, []).append(o)
                for r in rows:
                    out[r.id] = _to_rec(r, objs.get(r.id, ()))
        return [out[i] for i in ids if i in out]

    def by_source_key(self, source_key: str) -> Recording:
        with self._session() as s:
            rid = s.scalar(select(RecordingRow.id).where(RecordingRow.source_key == source_key))
        if rid is None:
            raise NotFoundError(f"no recording has source object {source_key!r}")
        return self.get(rid)

    def search(
        self,
        *,
        campaign: str | None = None,
        agent_id: str | None = None,
        customer_id: str | None = None,
        phone_hash: str | None = None,
        state: str | Sequence[str] | None = None,
        started_from: datetime | None = None,
        started_before: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Recording]:
        """Recordings matching every given criterion, newest call first.

        ``started_from`` is inclusive, ``started_before`` exclusive. ``limit`` is capped at
        1000; page with ``offset``.
        """
        if not 1 <= limit <= _SEARCH_LIMIT_MAX:
            raise BadInputError(f"limit {limit} must be between 1 and {_SEARCH_LIMIT_MAX}")
        if offset < 0:
            raise BadInputError(f"offset {offset} must not be negative")
        q = select(RecordingRow.id)
        for col, val in (
            (RecordingRow.campaign, campaign),
            (RecordingRow.agent_id, agent_id),
            (RecordingRow.customer_id, customer_id),
            (RecordingRow.phone_hash, phone_hash),
        ):
            if val is not None:
                q = q.where(col == val)
        if state is not None:
            states = (state,) if isinstance(state, str) else tuple(state)
            for st in states:
                _check_state(st)
            q = q.where(RecordingRow.state.in_(states))
        if started_from is not None:
            q = q.where(RecordingRow.started_at >= _require_aware(started_from, "started_from"))
        if started_before is not None:
            q = q.where(RecordingRow.started_at < _require_aware(started_before, "started_before"))
        q = q.order_by(RecordingRow.started_at.desc().nulls_last(), RecordingRow.received_at.desc())
        q = q.limit(limit).offset(offset)
        with self._session() as s:
            ids = list(s.scalars(q))
        return self.get_many(ids)

    def by_state(self, state: str, *, limit: int = 100, offset: int = 0) -> list[Recording]:
        """Recordings in ``state`` (what a worker resumes, what an operator reviews)."""
        return self.search(state=state, limit=limit, offset=offset)

    def count(self, *, state: str | None = None) -> int:
        q = select(func.count()).select_from(RecordingRow)
        if state is not None:
            q = q.where(RecordingRow.state == _check_state(state))
        with self._session() as s:
            return int(s.scalar(q) or 0)

    def history(self, recording_id: str) -> list[Event]:
        """The recording's state history and logged actions, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(RecordingEventRow)
                .where(RecordingEventRow.recording_id == recording_id)
                .order_by(RecordingEventRow.id)
            ).all()
            return [_to_event(r) for r in rows]
