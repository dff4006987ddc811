"""The HTTP routes, one module per audience: recordings (QA, ingest), audit (compliance),
admin, and the web pages."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import HTTPException

__all__ = ["aware_time"]


def aware_time(value: datetime | None, name: str) -> datetime | None:
    """A timestamp given over HTTP, checked at the edge: it must carry a time zone (a
    naive one would be read in the server's) and fall in the calendar in UTC, where the
    catalog and the access log compare times ("0001-01-01T00:00:00+00:01" is before year
    1 in UTC: converting it raised a server error, found by the schemathesis test).
    422 otherwise."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise HTTPException(422, f"{name} needs a time zone (e.g. 2024-05-01T00:00:00Z)")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise HTTPException(
            422, f"{name} {value.isoformat()} is out of range: in UTC it must fall in 0001-9999"
        ) from None
    return value
