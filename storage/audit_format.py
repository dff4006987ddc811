"""The access log's record format: the table, the entries and the hash that chains them.

Why a module of its own: what one entry is, how its time is written and what its hash covers
is the contract every part of the log shares -- the writer (:mod:`storage.audit`), the
readers (:mod:`storage.audit_read`) and the verifier (:mod:`storage.audit_verify`). Changing
any of it changes every hash, so it lives in one place.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base

__all__ = [
    "GENESIS",
    "CSV_COLUMNS",
    "OUTCOMES",
    "AccessLogRow",
    "AccessEntry",
    "LoggedEntry",
    "entry_hash",
    "format_time",
]

GENESIS = "0" * 64
CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "role",
    "action",
    "target",
    "recording_id",
    "campaign",
    "source",
    "outcome",
    "detail",
    "prev_hash",
    "hash",
)
OUTCOMES = ("allowed", "denied", "failed", "error")


class AccessLogRow(Base):
    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_actor_at", "actor", "at"),
        Index("ix_access_log_recording", "recording_id"),
        Index("ix_access_log_action_at", "action", "at"),
        Index("ix_access_log_at", "at"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # fixed-width UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ): hashes the same on every database
    # and sorts lexicographically, so time-range queries work on the text.
    at: Mapped[str] = mapped_column(String(27), nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(128), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    target: Mapped[str] = mapped_column(String(512), nullable=False, default="")
    recording_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    campaign: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


def format_time(when: datetime) -> str:
    """The one text form of a timestamp in the log (UTC, microseconds, 'Z')."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime {when.isoformat()} given; pass an aware one")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AccessEntry:
    """What to log. ``outcome`` is one of allowed, denied, failed, error."""

    actor: str
    role: str
    action: str
    outcome: str
    target: str = ""
    recording_id: str | None = None
    campaign: str | None = None
    source: str = ""
    detail: str = ""


@dataclass(frozen=True)
class LoggedEntry:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    target: str
    recording_id: str | None
    campaign: str | None
    source: str
    outcome: str
    detail: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict:
        return asdict(self)


def entry_hash(
    seq: int, at: str, e: AccessEntry | LoggedEntry | AccessLogRow, prev_hash: str
) -> str:
    """SHA-256 over the canonical JSON of every field, the position and the previous hash."""
    fields = [
        1,  # format version
        seq,
        at,
        e.actor,
        e.role,
        e.action,
        e.target or "",
        e.recording_id,
        e.campaign,
        e.source or "",
        e.outcome,
        e.detail or "",
        prev_hash,
    ]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _logged(row: AccessLogRow) -> LoggedEntry:
    return LoggedEntry(
        row.seq,
        row.at,
        row.actor,
        row.role,
        row.action,
        row.target,
        row.recording_id,
        row.campaign,
        row.source,
        row.outcome,
        row.detail,
        row.prev_hash,
        row.hash,
    )
