"""Sweeper support for the catalog: finding due rows, leasing them, marking deletions.

Why leases: two service instances run the retention sweep at once. A sweeper leases a batch
of due recordings (``claim_token`` + ``claim_until``) before touching the vault, so the other
one skips them; a crashed sweeper's lease simply runs out. On PostgreSQL the candidates are
picked with ``SELECT ... FOR UPDATE SKIP LOCKED`` inside the leasing ``UPDATE``; on SQLite the
one ``UPDATE`` holds the database's write lock, and its ``WHERE`` re-checks the lease.
Every deletion is then marked with a conditional update, so a replay changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update

from redactor.errors import ConflictError, NotFoundError, StorageError
from storage.catalog_models import RecordingEventRow, RecordingObjectRow, RecordingRow
from storage.catalog_types import _check_state, _require_aware, _unheld_clause

__all__ = ["LeaseMixin"]

_CHUNK = 500


def _chunks(items: Sequence) -> list[Sequence]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


class LeaseMixin:
    """Methods of :class:`storage.catalog_repo.Catalog` used by the sweeper and DSAR."""

    def due(self, *, now: datetime, limit: int, after_id: str | None = None) -> list[str]:
        """Ids of recordings with an object past its deadline and no active catalog hold,
        without claiming them (what ``--dry-run`` reports). Page with ``after_id``."""
        _require_aware(now)
        q = select(RecordingRow.id).where(
            RecordingRow.next_due_at.is_not(None),
            RecordingRow.next_due_at <= now,
            _unheld_clause(now),
        )
        if after_id is not None:
            q = q.where(RecordingRow.id > after_id)
        with self._session() as s:
            return list(s.scalars(q.order_by(RecordingRow.id).limit(limit)))

    def claim_due(self, *, now: datetime, limit: int, token: str, lease: timedelta) -> list[str]:
        """Lease up to ``limit`` due, unheld, unleased recordings to ``token`` until
        ``now + lease``; returns their ids. Two sweepers never get the same row.

        PostgreSQL: the candidates are locked with ``FOR UPDATE SKIP LOCKED`` so a concurrent
        sweeper skips them instead of waiting. SQLite: the single ``UPDATE`` takes the
        database's write lock, so the conditional re-check inside it is atomic.
        """
        _require_aware(now)
        free = or_(RecordingRow.claim_token.is_(None), RecordingRow.claim_until <= now)
        cand = (
            select(RecordingRow.id)
            .where(
                RecordingRow.next_due_at.is_not(None),
                RecordingRow.next_due_at <= now,
                free,
                _unheld_clause(now),
            )
            .order_by(RecordingRow.next_due_at)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            cand = cand.with_for_update(skip_locked=True, of=RecordingRow)
        stmt = (
            update(RecordingRow)
            .where(RecordingRow.id.in_(cand.scalar_subquery()), free)
            .values(claim_token=token, claim_until=now + lease)
        )
        try:
            with self._session.begin() as s:
                s.execute(stmt, execution_options={"synchronize_session": False})
            with self._session() as s:
                return list(
                    s.scalars(select(RecordingRow.id).where(RecordingRow.claim_token == token))
                )
        except Exception as exc:  # noqa: BLE001 - translate driver errors at the boundary
            if isinstance(exc, (ConflictError, NotFoundError)):
                raise
            raise StorageError(f"could not claim due recordings: {type(exc).__name__}") from exc

    def release_claims(self, token: str) -> int:
        with self._session.begin() as s:
            res = s.execute(
                update(RecordingRow)
                .where(RecordingRow.claim_token == token)
                .values(claim_token=None, claim_until=None),
                execution_options={"synchronize_session": False},
            )
            return res.rowcount

    def mark_deleted(
        self,
        deletions: dict[str, Sequence[int]],
        *,
        now: datetime,
        reason: str,
        actor: str,
        final_state: str,
        token: str | None = None,
        details: dict[str, dict] | None = None,
    ) -> dict[str, bool]:
        """Record, in one transaction, that the given objects of each recording are deleted.

        ``deletions`` maps recording id -> object ids. Each object is marked only if it was
        still live (conditional update), so replaying is harmless. A recording left with no
        live object moves to ``final_state`` (``expired`` or ``erased``) with a history event;
        with ``token``, only rows leased to that token are touched. Returns, per recording,
        whether this call made the final transition. Set-based: a few statements per call,
        whatever the batch size.
        """
        _require_aware(now)
        _check_state(final_state)
        details = details or {}
        finished = {rid: False for rid in deletions}
        rids = list(deletions)
        if not rids:
            return finished
        with self._session.begin() as s:
            conn = s.connection()
            if token is not None:
                owned: set[str] = set()
                for part in _chunks(rids):
                    owned.update(
                        conn.scalars(
                            select(RecordingRow.id).where(
                                RecordingRow.id.in_(part), RecordingRow.claim_token == token
                            )
                        )
                    )
                rids = [r for r in rids if r in owned]
            obj_ids = [oid for rid in rids for oid in deletions[rid]]
            changed: set[str] = set()
            for part in _chunks(obj_ids):
                changed.update(
                    conn.scalars(
                        select(RecordingObjectRow.recording_id).where(
                            RecordingObjectRow.id.in_(part),
                            RecordingObjectRow.deleted_at.is_(None),
                        )
                    )
                )
                conn.execute(
                    update(RecordingObjectRow)
                    .where(RecordingObjectRow.id.in_(part), RecordingObjectRow.deleted_at.is_(None))
                    .values(deleted_at=now, deleted_reason=reason)
                )
            events = [
                {
                    "recording_id": rid,
                    "at": now,
                    "from_state": None,
                    "to_state": None,
                    "action": "objects_deleted",
                    "actor": actor,
                    "detail": {"reason": reason, **details.get(rid, {})},
                }
                for rid in rids
                if rid in changed
            ]
            live = (
                select(RecordingObjectRow.id)
                .where(
                    RecordingObjectRow.recording_id == RecordingRow.id,
                    RecordingObjectRow.deleted_at.is_(None),
                )
                .exists()
            )
            next_due = (
                select(func.min(RecordingObjectRow.delete_after))
                .where(
                    RecordingObjectRow.recording_id == RecordingRow.id,
                    RecordingObjectRow.deleted_at.is_(None),
                )
                .scalar_subquery()
            )
            for part in _chunks(rids):
                conn.execute(
                    update(RecordingRow)
                    .where(RecordingRow.id.in_(part))
                    .values(next_due_at=next_due)
                )
                ending = conn.execute(
                    select(RecordingRow.id, RecordingRow.state).where(
                        RecordingRow.id.in_(part), RecordingRow.state != final_state, ~live
                    )
                ).all()
                if not ending:
                    continue
                conn.execute(
                    update(RecordingRow)
                    .where(
                        RecordingRow.id.in_([r.id for r in ending]),
                        RecordingRow.state != final_state,
                    )
                    .values(state=final_state, updated_at=now)
                )
                for rid, prev in ending:
                    finished[rid] = True
                    events.append(
                        {
                            "recording_id": rid,
                            "at": now,
                            "from_state": prev,
                            "to_state": final_state,
                            "action": "state",
                            "actor": actor,
                            "detail": {"reason": reason},
                        }
                    )
            if events:
                conn.execute(insert(RecordingEventRow), events)
        return finished

    def scrub_subject(self, recording_id: str, *, now: datetime) -> None:
        """Remove the data subject's identifiers from an erased recording's row.

        Kept: the id, campaign, state, deadlines and history -- the proof that the recording
        existed and was erased -- but no longer whose it was.
        """
        _require_aware(now)
        with self._session.begin() as s:
            s.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id)
                .values(
                    customer_id=None,
                    phone_hash=None,
                    call_id=None,
                    redaction_summary=None,
                    updated_at=now,
                )
            )
