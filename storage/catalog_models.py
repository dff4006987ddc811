"""The catalog tables: one row per recording, its stored objects, legal holds, state history.

Why these four tables: a recording's *purpose and lifetime* must be answerable from the
catalog alone. ``recordings`` says what the call was, whose data it holds (customer id, and
the phone number only as a keyed hash), which policy applied and when it must be gone;
``recording_objects`` lists every object it left in the vault with the id of the data key
that encrypts it and its own deadline (audio, transcript and report have separate
lifetimes); ``legal_holds`` blocks deletion; ``recording_events`` is the append-only state
history (received -> processing -> stored -> source_deleted / quarantined / expired /
erased).

The schema is created by the Alembic migration ``0002_catalog`` (never ``create_all``), so
SQLite and PostgreSQL have the same shape. All timestamps are timezone-aware UTC
(:class:`UTCDateTime`), also on SQLite, which has no time zones.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base

__all__ = [
    "UTCDateTime",
    "RecordingRow",
    "RecordingObjectRow",
    "LegalHoldRow",
    "RecordingEventRow",
    "STATES",
]

# Every state a recording can be in. ``rejected``: deleted at ingest (no consent);
# ``held_back``: sidecar missing/malformed and the policy holds such recordings back.
STATES = (
    "received",
    "processing",
    "stored",
    "source_deleted",
    "quarantined",
    "held_back",
    "rejected",
    "expired",
    "erased",
)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database.

    SQLite stores it as naive UTC text (which sorts correctly); PostgreSQL as
    ``timestamptz``. Naive datetimes are refused: a clock without a zone is a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class RecordingRow(Base):
    __tablename__ = "recordings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_bucket: Mapped[str | None] = mapped_column(String(255))
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    # call metadata (from the telephony sidecar)
    call_id: Mapped[str | None] = mapped_column(String(200))
    agent_id: Mapped[str | None] = mapped_column(String(200), index=True)
    campaign: Mapped[str | None] = mapped_column(String(200), index=True)
    direction: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    language: Mapped[str | None] = mapped_column(String(32))
    channel_layout: Mapped[str | None] = mapped_column(String(32))
    # the data subject's keys
    customer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    # consent and the policy that applied
    consent_disclosed: Mapped[bool | None] = mapped_column(Boolean)
    consent_method: Mapped[str | None] = mapped_column(String(100))
    policy_campaign: Mapped[str | None] = mapped_column(String(200))
    policy_digest: Mapped[str | None] = mapped_column(String(64))
    policy_source: Mapped[str | None] = mapped_column(String(500))
    sidecar_error: Mapped[str | None] = mapped_column(Text)
    # outcome
    redaction_summary: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(32), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retain_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the earliest deadline among objects still stored; NULL when nothing is left to delete
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # a sweeper's lease on the row (two sweepers never work on the same recording)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claim_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecordingObjectRow(Base):
    __tablename__ = "recording_objects"
    __table_args__ = (UniqueConstraint("recording_id", "kind", name="uq_recording_objects_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    bucket: Mapped[str | None] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(1024))
    version_id: Mapped[str | None] = mapped_column(String(1024))
    key_id: Mapped[str | None] = mapped_column(String(200), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(100))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delete_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_reason: Mapped[str | None] = mapped_column(String(32))


class LegalHoldRow(Base):
    """A hold set by a person (the policy's own hold rules are evaluated, not stored).

    Scope: one recording, every recording of a customer, or a whole campaign.
    """

    __tablename__ = "legal_holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    recording_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("recordings.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[str | None] = mapped_column(String(200), index=True)
    campaign: Mapped[str | None] = mapped_column(String(200), index=True)
    reference: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by: Mapped[str | None] = mapped_column(String(200))
    release_reason: Mapped[str | None] = mapped_column(Text)


class RecordingEventRow(Base):
    __tablename__ = "recording_events"
    __table_args__ = (Index("ix_recording_events_recording_at", "recording_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recording_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("recordings.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict | None] = mapped_column(JSON)
