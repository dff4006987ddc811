"""Plain data the catalog hands out, and the SQL fragments its queries share.

Why plain frozen dataclasses: callers (API, workers, DSAR) must not hold ORM rows bound to a
session; these are values, safe to pass between threads and to serialise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from policies.retention import RecordingFacts
from redactor.errors import BadInputError
from storage.catalog_models import (
    STATES,
    LegalHoldRow,
    RecordingEventRow,
    RecordingObjectRow,
    RecordingRow,
)

__all__ = ["CatalogObject", "Recording", "Hold", "Event"]


@dataclass(frozen=True)
class CatalogObject:
    """One object a recording left in the vault, with the id of its data key."""

    id: int
    kind: str
    bucket: str | None
    key: str
    version_id: str | None
    key_id: str | None
    size: int | None
    sha256: str | None
    content_type: str | None
    stored_at: datetime
    delete_after: datetime | None
    deleted_at: datetime | None
    deleted_reason: str | None

    @property
    def live(self) -> bool:
        return self.deleted_at is None


@dataclass(frozen=True)
class Recording:
    """A catalog row as plain data (what the API shows and the sweeper decides on)."""

    id: str
    source_bucket: str | None
    source_key: str
    call_id: str | None
    agent_id: str | None
    campaign: str | None
    direction: str | None
    started_at: datetime | None
    language: str | None
    channel_layout: str | None
    customer_id: str | None
    phone_hash: str | None
    consent_disclosed: bool | None
    consent_method: str | None
    policy_campaign: str | None
    policy_digest: str | None
    policy_source: str | None
    sidecar_error: str | None
    redaction_summary: dict | None
    state: str
    received_at: datetime
    updated_at: datetime
    retain_until: datetime | None
    next_due_at: datetime | None
    objects: tuple[CatalogObject, ...] = field(default=())

    @property
    def facts(self) -> RecordingFacts:
        return RecordingFacts(self.campaign, self.customer_id, self.agent_id, self.started_at)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready metadata (timestamps as ISO 8601)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name == "objects":
                value = [_obj_dict(o) for o in value]
            elif isinstance(value, datetime):
                value = value.isoformat()
            out[name] = value
        return out


def _obj_dict(o: CatalogObject) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, datetime) else v)
        for k, v in ((n, getattr(o, n)) for n in o.__dataclass_fields__)
    }


@dataclass(frozen=True)
class Hold:
    """A legal hold set by a person; ``active(now)`` says whether it blocks deletion."""

    id: str
    recording_id: str | None
    customer_id: str | None
    campaign: str | None
    reference: str
    reason: str
    set_by: str
    set_at: datetime
    until: datetime | None
    released_at: datetime | None
    released_by: str | None
    release_reason: str | None

    def active(self, now: datetime) -> bool:
        return self.released_at is None and (self.until is None or now < self.until)

    @property
    def scope(self) -> str:
        if self.recording_id:
            return f"recording {self.recording_id}"
        if self.customer_id:
            return f"customer {self.customer_id}"
        return f"campaign {self.campaign}"


@dataclass(frozen=True)
class Event:
    id: int
    recording_id: str
    at: datetime
    from_state: str | None
    to_state: str | None
    action: str
    actor: str
    detail: dict | None


def _require_aware(now: datetime, name: str = "now") -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise BadInputError(f"{name} must be a timezone-aware datetime, got {now!r}")
    return now


def _check_state(state: str) -> str:
    if state not in STATES:
        raise BadInputError(f"unknown recording state {state!r}; valid states: {', '.join(STATES)}")
    return state


def _to_obj(row: RecordingObjectRow) -> CatalogObject:
    return CatalogObject(
        row.id,
        row.kind,
        row.bucket,
        row.key,
        row.version_id,
        row.key_id,
        row.size,
        row.sha256,
        row.content_type,
        row.stored_at,
        row.delete_after,
        row.deleted_at,
        row.deleted_reason,
    )


def _to_rec(row: RecordingRow, objects: Iterable[RecordingObjectRow] = ()) -> Recording:
    cols = {n: getattr(row, n) for n in Recording.__dataclass_fields__ if n != "objects"}
    return Recording(**cols, objects=tuple(_to_obj(o) for o in objects))


def _to_hold(row: LegalHoldRow) -> Hold:
    return Hold(**{n: getattr(row, n) for n in Hold.__dataclass_fields__})


def _to_event(row: RecordingEventRow) -> Event:
    return Event(**{n: getattr(row, n) for n in Event.__dataclass_fields__})


def _hold_active_clause(now: datetime):
    return and_(
        LegalHoldRow.released_at.is_(None),
        or_(LegalHoldRow.until.is_(None), LegalHoldRow.until > now),
    )


def _unheld_clause(now: datetime):
    """SQL: no active catalog hold covers the recording (by id, customer or campaign)."""
    active = _hold_active_clause(now)
    by_rec = (
        select(LegalHoldRow.id).where(LegalHoldRow.recording_id == RecordingRow.id, active).exists()
    )
    by_cust = (
        select(LegalHoldRow.id)
        .where(LegalHoldRow.customer_id == RecordingRow.customer_id, active)
        .exists()
    )
    by_camp = (
        select(LegalHoldRow.id)
        .where(LegalHoldRow.campaign == RecordingRow.campaign, active)
        .exists()
    )
    return and_(~by_rec, ~by_cust, ~by_camp)
