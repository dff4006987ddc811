"""Lifecycle events for the CRM: the event model, its versioned JSON schemas, the outbox.

Why an outbox: an event is written to the catalog database (table ``event_outbox``) by the
step that causes it -- in the same transaction when the caller passes its session -- and
delivered later by :mod:`workers.webhooks`. A CRM that is down, a crash between the step
and the send, a restart: none of them lose an event. Delivery is *at least once*; every
event has an ``id`` the receiver deduplicates on.

Why deterministic ids: a step that runs again after a crash (the job resumes a ``stored``
recording) emits again; for one-per-thing events (``recording.redacted`` of recording R,
``legal_hold.set`` of hold H) the id is derived from the thing, so the second emit is a
no-op and the receiver never sees two different ids for one fact.

What an event carries: ids and links, never audio, never personal data beyond the customer
id the CRM already holds. Each type's ``data`` is closed (``additionalProperties: false``)
and :func:`emit` validates against it, so a caller cannot leak a field by accident. The
schemas are documented in ``docs/events.md`` and served by :func:`schema_for`.

Where the parts live: the event model and the outbox tables in :mod:`workers.events_model`,
the schemas and validation in :mod:`workers.events_schema`. Import them all from here: this
module is storage's event sink (:func:`install_sink`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redactor.errors import NotFoundError
from workers.events_model import DeliveryRow, Event, OutboxRow, _event, parse_ts, ts
from workers.events_schema import _FIELDS as _FIELDS
from workers.events_schema import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    envelope_schema,
    schema_for,
    validate_data,
)
from workers.events_schema import SCHEMA_BASE as SCHEMA_BASE

__all__ = [
    "EVENT_TYPES",
    "SCHEMA_VERSION",
    "Event",
    "OutboxRow",
    "DeliveryRow",
    "emit",
    "emit_recording",
    "emit_recordings",
    "recording_data",
    "hold_data",
    "quarantine_reason",
    "event_id_for",
    "schema_for",
    "envelope_schema",
    "validate_data",
    "list_events",
    "get_event",
    "ts",
    "parse_ts",
    "install_sink",
]

_NS = uuid.UUID("6f1c2a5e-3b7d-4c1e-9a2f-52e0d7c4b8a1")


# --- emitting -----------------------------------------------------------------------------


def event_id_for(event_type: str, key: str) -> str:
    """The deterministic id of the one ``event_type`` event about ``key``."""
    return str(uuid.uuid5(_NS, f"{event_type}\n{key}"))


def emit(
    target: Any,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    key: str | None = None,
) -> Event:
    """Put one event in the outbox. The one call every lifecycle hook makes.

    ``target`` is an open :class:`~sqlalchemy.orm.Session` (the event commits with the
    caller's transaction), an ``Engine``, or anything with an ``.engine`` (the catalog).
    ``key`` makes the id deterministic: emitting the same ``(event_type, key)`` twice stores
    one event (the first). Returns the stored event.
    """
    data = validate_data(event_type, payload)
    eid = event_id_for(event_type, key) if key else str(uuid.uuid4())
    row = OutboxRow(
        id=eid,
        type=event_type,
        schema_version=SCHEMA_VERSION,
        occurred_at=ts(now),
        campaign=data.get("campaign"),
        recording_id=data.get("recording_id"),
        data=json.dumps(data, sort_keys=True, separators=(",", ":")),
    )
    if isinstance(target, Session):
        existing = target.get(OutboxRow, eid)
        if existing is not None:
            return _event(existing)
        target.add(row)
        target.flush()
        return _event(row)
    engine = getattr(target, "engine", target)
    with Session(engine) as s:
        existing = s.get(OutboxRow, eid)
        if existing is not None:
            return _event(existing)
        ev = _event(row)
        s.add(row)
        try:
            s.commit()
        except IntegrityError:  # emitted concurrently with the same deterministic id
            s.rollback()
            return _event(s.get(OutboxRow, eid))
    return ev


def recording_data(rec: Any, **extra: Any) -> dict[str, Any]:
    """The CRM-safe fields of a catalog :class:`~storage.catalog_types.Recording`."""
    out = {
        "recording_id": rec.id,
        "campaign": rec.campaign,
        "customer_id": rec.customer_id,
        "call_id": rec.call_id,
    }
    out.update(extra)
    return out


def emit_recording(catalog: Any, event_type: str, recording: Any, now: datetime, **extra: Any):
    """Emit ``event_type`` about one recording (a Recording or its id, looked up in
    ``catalog``); the id is deterministic per recording, so re-running a step is harmless.
    ``extra`` adds or overrides fields (e.g. ``reason=...``; ``customer_id=...`` after the
    catalog row was scrubbed). For ``recording.redacted`` the state and the redaction
    summary's counts are filled in from the row."""
    rec = catalog.get(recording) if isinstance(recording, str) else recording
    data = recording_data(rec)
    if event_type == "recording.redacted":
        summary = rec.redaction_summary or {}
        data.update(
            state=rec.state,
            regions=summary.get("regions"),
            redacted_seconds=summary.get("redacted_seconds"),
        )
    if "reason" in extra and event_type == "recording.quarantined":
        extra["reason"] = quarantine_reason(extra["reason"])
    data.update(extra)
    return emit(catalog, event_type, data, now, key=rec.id)


def quarantine_reason(reason: str | None) -> str:
    """The category of a quarantine reason (its text may quote the recording: never sent)."""
    text = reason or ""
    if text in ("bad_input", "not_clean", "failed_attempts", "other"):
        return text
    if text.startswith("BadInputError"):
        return "bad_input"
    if text.startswith("NotCleanError"):
        return "not_clean"
    if text.startswith("failed "):
        return "failed_attempts"
    return "other"


def emit_recordings(
    catalog: Any, event_type: str, recordings: Iterable[Any], now: datetime, **extra: Any
) -> list[Event]:
    """:func:`emit_recording` for each of ``recordings`` (ids or Recordings)."""
    return [emit_recording(catalog, event_type, r, now, **extra) for r in recordings]


def hold_data(hold: Any) -> dict[str, Any]:
    """The CRM-safe fields of a legal hold (no free-text reason)."""
    until = getattr(hold, "until", None)
    scope = "recording" if hold.recording_id else "customer" if hold.customer_id else "campaign"
    return {
        "hold_id": hold.id,
        "scope": scope,
        "recording_id": hold.recording_id,
        "customer_id": hold.customer_id,
        "campaign": hold.campaign,
        "reference": hold.reference,
        "until": until.isoformat() if until is not None else None,
    }


def install_sink() -> None:
    """Make this module the sink of :mod:`storage.events_hook` in this process.

    Why: storage causes some events (legal holds, DSAR answers) but may not import
    ``workers``; every place that wires a process calls this once. Idempotent."""
    import sys

    from storage import events_hook

    events_hook.install(sys.modules[__name__])


# --- reading ------------------------------------------------------------------------------


def list_events(
    engine: Any,
    *,
    event_type: str | None = None,
    recording_id: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
) -> list[Event]:
    """Stored events, newest first."""
    engine = getattr(engine, "engine", engine)
    stmt = select(OutboxRow)
    if event_type:
        stmt = stmt.where(OutboxRow.type == event_type)
    if recording_id:
        stmt = stmt.where(OutboxRow.recording_id == recording_id)
    if since:
        stmt = stmt.where(OutboxRow.occurred_at >= ts(since))
    stmt = stmt.order_by(OutboxRow.occurred_at.desc(), OutboxRow.id).limit(max(1, limit))
    with Session(engine) as s:
        return [_event(r) for r in s.scalars(stmt)]


def get_event(engine: Any, event_id: str) -> Event:
    engine = getattr(engine, "engine", engine)
    with Session(engine) as s:
        row = s.get(OutboxRow, event_id)
        if row is None:
            raise NotFoundError(f"event {event_id!r} is not in the outbox")
        return _event(row)
