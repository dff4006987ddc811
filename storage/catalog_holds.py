"""Legal holds in the catalog: set, release, list, and which holds cover which recordings.

Why a table and not a flag: a hold has a scope (one recording, every recording of a
customer, a whole campaign), a reason that an erasure receipt must quote, an author, an
optional end, and a release that must stay on record. Holds from the *policy file* are not
stored; they are evaluated by :func:`policies.retention.policy_holds`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select

from redactor.errors import BadInputError, ConflictError, NotFoundError
from storage import events_hook
from storage.catalog_models import LegalHoldRow, RecordingEventRow, RecordingRow
from storage.catalog_types import Hold, Recording, _hold_active_clause, _require_aware, _to_hold

__all__ = ["HoldsMixin"]


class HoldsMixin:
    """Methods of :class:`storage.catalog_repo.Catalog` for legal holds."""

    def set_hold(
        self,
        *,
        now: datetime,
        reference: str,
        reason: str,
        set_by: str,
        recording_id: str | None = None,
        customer_id: str | None = None,
        campaign: str | None = None,
        until: datetime | None = None,
    ) -> Hold:
        """Put a legal hold on one recording, a customer's recordings, or a campaign.

        Exactly one scope must be given; ``reason`` is mandatory because a DSAR receipt has to
        say why data was not erased.
        """
        _require_aware(now)
        scopes = [x for x in (recording_id, customer_id, campaign) if x]
        if len(scopes) != 1:
            raise BadInputError(
                "a legal hold needs exactly one scope: recording_id, customer_id or campaign"
            )
        if not reference.strip() or not reason.strip():
            raise BadInputError("a legal hold needs a non-empty reference and reason")
        if until is not None:
            _require_aware(until, "until")
        hid = str(uuid.uuid4())
        with self._session.begin() as s:
            if recording_id and s.get(RecordingRow, recording_id) is None:
                raise NotFoundError(f"recording {recording_id!r} is not in the catalog")
            row = LegalHoldRow(
                id=hid,
                recording_id=recording_id,
                customer_id=customer_id,
                campaign=campaign,
                reference=reference,
                reason=reason,
                set_by=set_by,
                set_at=now,
                until=until,
            )
            s.add(row)
            if recording_id:
                s.add(
                    RecordingEventRow(
                        recording_id=recording_id,
                        at=now,
                        action="hold_set",
                        actor=set_by,
                        detail={"hold": hid, "reference": reference},
                    )
                )
            events = events_hook.sink()
            events.emit(s, "legal_hold.set", events.hold_data(row), now, key=hid)
            s.flush()
            return _to_hold(row)

    def release_hold(self, hold_id: str, *, now: datetime, released_by: str, reason: str) -> Hold:
        """Release a hold (kept in the table for the audit trail). Releasing twice conflicts."""
        _require_aware(now)
        with self._session.begin() as s:
            row = s.get(LegalHoldRow, hold_id)
            if row is None:
                raise NotFoundError(f"legal hold {hold_id!r} does not exist")
            if row.released_at is not None:
                raise ConflictError(
                    f"legal hold {hold_id} was already released at {row.released_at.isoformat()}"
                )
            row.released_at, row.released_by, row.release_reason = now, released_by, reason
            if row.recording_id:
                s.add(
                    RecordingEventRow(
                        recording_id=row.recording_id,
                        at=now,
                        action="hold_released",
                        actor=released_by,
                        detail={"hold": hold_id, "reason": reason},
                    )
                )
            events = events_hook.sink()
            events.emit(s, "legal_hold.released", events.hold_data(row), now, key=hold_id)
            s.flush()
            return _to_hold(row)

    def get_hold(self, hold_id: str) -> Hold:
        with self._session() as s:
            row = s.get(LegalHoldRow, hold_id)
            if row is None:
                raise NotFoundError(f"legal hold {hold_id!r} does not exist")
            return _to_hold(row)

    def holds(
        self,
        *,
        recording_id: str | None = None,
        customer_id: str | None = None,
        campaign: str | None = None,
        active_at: datetime | None = None,
    ) -> list[Hold]:
        """Holds with the given scope (all when none given); only active ones with
        ``active_at``."""
        q = select(LegalHoldRow).order_by(LegalHoldRow.set_at)
        if recording_id:
            q = q.where(LegalHoldRow.recording_id == recording_id)
        if customer_id:
            q = q.where(LegalHoldRow.customer_id == customer_id)
        if campaign:
            q = q.where(LegalHoldRow.campaign == campaign)
        if active_at is not None:
            q = q.where(_hold_active_clause(_require_aware(active_at, "active_at")))
        with self._session() as s:
            return [_to_hold(r) for r in s.scalars(q)]

    def holds_covering(
        self, recordings: Sequence[Recording], now: datetime
    ) -> dict[str, list[Hold]]:
        """Active catalog holds covering each recording (by id, customer or campaign)."""
        _require_aware(now)
        if not recordings:
            return {}
        ids = {r.id for r in recordings}
        custs = {r.customer_id for r in recordings if r.customer_id}
        camps = {r.campaign for r in recordings if r.campaign}
        with self._session() as s:
            rows = s.scalars(
                select(LegalHoldRow).where(
                    _hold_active_clause(now),
                    or_(
                        LegalHoldRow.recording_id.in_(ids),
                        LegalHoldRow.customer_id.in_(custs) if custs else False,
                        LegalHoldRow.campaign.in_(camps) if camps else False,
                    ),
                )
            ).all()
        holds = [_to_hold(r) for r in rows]
        out: dict[str, list[Hold]] = {}
        for rec in recordings:
            out[rec.id] = [
                h
                for h in holds
                if h.recording_id == rec.id
                or (h.customer_id and h.customer_id == rec.customer_id)
                or (h.campaign and h.campaign == rec.campaign)
            ]
        return out
