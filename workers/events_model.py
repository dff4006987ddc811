"""The event model and the outbox tables: ``event_outbox`` and ``event_deliveries``.

Why a module of its own: the stored shape of an event is shared by the writers and readers of
the outbox (:mod:`workers.events`) and by its delivery (:mod:`workers.webhooks`), which need
none of the emitting logic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from redactor.errors import BadInputError
from storage.db import Base
from workers.events_schema import SCHEMA_BASE

__all__ = ["Event", "OutboxRow", "DeliveryRow", "ts", "parse_ts"]


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
