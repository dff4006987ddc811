"""The event types' versioned JSON schemas, and the validation that keeps personal data out.

Why a module of its own: each type's ``data`` is closed (``additionalProperties: false``); the
table of fields here is the one source both of the schemas :func:`schema_for` serves
(documented in ``docs/events.md``) and of :func:`validate_data`, which every emit of
:mod:`workers.events` goes through.
"""

from __future__ import annotations

from typing import Any

from redactor.errors import BadInputError, NotFoundError

__all__ = [
    "EVENT_TYPES",
    "SCHEMA_VERSION",
    "SCHEMA_BASE",
    "schema_for",
    "envelope_schema",
    "validate_data",
]

SCHEMA_VERSION = 1
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
