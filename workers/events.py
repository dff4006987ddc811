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
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from redactor.errors import BadInputError, NotFoundError
from storage.db import Base

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

SCHEMA_VERSION = 1
_NS = uuid.UUID("6f1c2a5e-3b7d-4c1e-9a2f-52e0d7c4b8a1")
SCHEMA_BASE = "https://call-redactor.invalid/schemas/events"

# field kinds: "id" (non-empty string), "str?" (string or null), "int?", "num?",
# "ids" (list of strings), "enum:a|b" (one of), "ts?" (ISO 8601 time or null)
_COMMON = {"recording_id": "str?", "campaign": "str?", "customer_id": "str?"}
_REC = {"recording_id": "id", "campaign": "str?", "customer_id": "str?", "call_id": "str?"}
_HOLD = {
    **_COMMON,
    "hold_id": "id",
    "scope": "enum:recording|customer|campaign",
    "reference": "str?",
    "until": "ts?",
}
_FIELDS: dict[str, dict[str, str]] = {
    "recording.redacted": {**_REC, "state": "str?", "regions": "int?", "redacted_seconds": "num?"},
    "recording.quarantined": {
        **_REC,
        "reason": "enum:bad_input|not_clean|failed_attempts|other",
        "attempts": "int?",
    },
    "recording.expired": {**_REC},
    "recording.erased": {**_REC, "request": "enum:dsar|admin"},
    "dsar.exported": {**_COMMON, "customer_id": "id", "recording_ids": "ids", "files": "int?"},
    "dsar.erased": {
        **_COMMON,
        "customer_id": "id",
        "erased": "ids",
        "held": "ids",
        "deferred": "ids",
    },
    "legal_hold.set": dict(_HOLD),
    "legal_hold.released": dict(_HOLD),
}
EVENT_TYPES: tuple[str, ...] = tuple(_FIELDS)


def ts(when: datetime) -> str:
    """The one text form of a time in the outbox (UTC, fixed width, sorts as text)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise BadInputError(f"naive datetime {when.isoformat()} given; pass an aware one")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


# --- tables (created by migration 0004_events) --------------------------------------------


class OutboxRow(Base):
    __tablename__ = "event_outbox"
    __table_args__ = (
        Index("ix_event_outbox_pending", "dispatched_at"),
        Index("ix_event_outbox_recording", "recording_id"),
        Index("ix_event_outbox_occurred", "occurred_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    schema_version: Mapped[int] = mapped_column(Integer, nullable=False)
    occurred_at: Mapped[str] = mapped_column(String(27), nullable=False)
    campaign: Mapped[str | None] = mapped_column(String(200), nullable=True)
    recording_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    dispatched_at: Mapped[str | None] = mapped_column(String(27), nullable=True)


class DeliveryRow(Base):
    """One event to one target. ``state``: pending, delivered or dead (the dead letters)."""

    __tablename__ = "event_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "target", name="uq_event_deliveries_event_target"),
        Index("ix_event_deliveries_due", "state", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    target: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[str] = mapped_column(String(27), nullable=False)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[str | None] = mapped_column(String(27), nullable=True)
    updated_at: Mapped[str] = mapped_column(String(27), nullable=False)


# --- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One event as stored and as sent. :meth:`envelope` is the JSON body of a webhook."""

    id: str
    type: str
    schema_version: int
    occurred_at: str
    data: dict[str, Any]
    campaign: str | None = None
    recording_id: str | None = None
    dispatched_at: str | None = None

    def envelope(self, links: dict[str, str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "schema_version": self.schema_version,
            "schema": f"{SCHEMA_BASE}/{self.type}/v{self.schema_version}.json",
            "occurred_at": self.occurred_at,
            "data": self.data,
        }
        if links:
            body["links"] = dict(links)
        return body

    def body(self, links: dict[str, str] | None = None) -> bytes:
        """The exact bytes that are signed and sent (compact, keys sorted)."""
        return json.dumps(
            self.envelope(links), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")


def _event(row: OutboxRow) -> Event:
    return Event(
        row.id,
        row.type,
        row.schema_version,
        row.occurred_at,
        json.loads(row.data),
        row.campaign,
        row.recording_id,
        row.dispatched_at,
    )


# --- schemas ------------------------------------------------------------------------------


def _field_schema(kind: str) -> dict[str, Any]:
    if kind == "id":
        return {"type": "string", "minLength": 1, "maxLength": 200}
    if kind == "str?":
        return {"type": ["string", "null"], "maxLength": 200}
    if kind == "int?":
        return {"type": ["integer", "null"], "minimum": 0}
    if kind == "num?":
        return {"type": ["number", "null"], "minimum": 0}
    if kind == "ts?":
        return {"type": ["string", "null"], "format": "date-time"}
    if kind == "ids":
        return {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200}}
    if kind.startswith("enum:"):
        return {"type": "string", "enum": kind[5:].split("|")}
    raise AssertionError(kind)  # pragma: no cover - the table above is fixed


def schema_for(event_type: str, version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the whole event ``event_type`` at ``version``."""
    fields = _fields(event_type)
    if version != SCHEMA_VERSION:
        raise NotFoundError(
            f"no schema version {version} for {event_type}; known: {SCHEMA_VERSION}"
        )
    env = envelope_schema()
    env["$id"] = f"{SCHEMA_BASE}/{event_type}/v{version}.json"
    env["title"] = f"{event_type} v{version}"
    env["properties"]["type"] = {"const": event_type}
    env["properties"]["schema_version"] = {"const": version}
    env["properties"]["data"] = {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(fields),
        "properties": {name: _field_schema(kind) for name, kind in sorted(fields.items())},
    }
    return env


def envelope_schema() -> dict[str, Any]:
    """What every event shares: id, type, version, time, data, links."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "schema_version", "schema", "occurred_at", "data"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "type": {"type": "string", "enum": list(EVENT_TYPES)},
            "schema_version": {"type": "integer", "minimum": 1},
            "schema": {"type": "string", "format": "uri"},
            "occurred_at": {"type": "string", "format": "date-time"},
            "data": {"type": "object"},
            "links": {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
            },
        },
    }


def _fields(event_type: str) -> dict[str, str]:
    try:
        return _FIELDS[event_type]
    except KeyError:
        raise BadInputError(
            f"unknown event type {event_type!r}; valid: {', '.join(EVENT_TYPES)}"
        ) from None


def validate_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check ``data`` against the closed schema of ``event_type``; returns it complete.

    Missing optional fields become null; an unknown field, a wrong type or a bad enum value
    is a :class:`BadInputError` naming the field -- that is what keeps personal data out.
    """
    fields = _fields(event_type)
    extra = sorted(set(data) - set(fields))
    if extra:
        raise BadInputError(
            f"{event_type}: field(s) {', '.join(extra)} not in the schema; allowed: "
            f"{', '.join(sorted(fields))}"
        )
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        value = data.get(name)
        ok = True
        if kind == "id":
            ok = isinstance(value, str) and 0 < len(value) <= 200
        elif kind in ("str?", "ts?"):
            ok = value is None or (isinstance(value, str) and len(value) <= 200)
        elif kind == "int?":
            ok = value is None or (type(value) is int and value >= 0)
        elif kind == "num?":
            ok = value is None or (type(value) in (int, float) and value >= 0)
        elif kind == "ids":
            value = [] if value is None else value
            ok = isinstance(value, list) and all(
                isinstance(v, str) and 0 < len(v) <= 200 for v in value
            )
        elif kind.startswith("enum:"):
            ok = value in kind[5:].split("|")
        if not ok:
            raise BadInputError(f"{event_type}: field {name} = {value!r} is not a valid {kind}")
        out[name] = value
    return out


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
