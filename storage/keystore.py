"""The key store: wrapped data keys in the catalog database, never beside the audio.

Why separate: an object under WORM lock cannot be deleted or rewritten, but its data key
lives here and can be destroyed, and with it every copy of the object (old versions,
backups of the bucket, locked versions). This is crypto-shredding.

A shredded key keeps its row as a tombstone (``wrapped`` is NULL, ``shredded_at`` set), so
the vault can say "shredded" instead of "never existed". On SQLite the shred runs with
``PRAGMA secure_delete`` and checkpoints the WAL, so the old bytes do not linger in free
pages. Backups of this database still hold wrapped keys: they are only as shreddable as the
KEK that wraps them (rotate, then destroy the old KEK).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    String,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from redactor.errors import ConflictError, NotFoundError

from .db import Base, session_factory

__all__ = ["DataKeyRow", "DataKeyRecord", "KeyStore"]


class DataKeyRow(Base):
    """One data key: which object it opens and under which KEK it is wrapped."""

    __tablename__ = "vault_data_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    recording_id: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    bucket: Mapped[str] = mapped_column(String(63), nullable=False)
    object_key: Mapped[str] = mapped_column(String(1024), nullable=False)
    format_version: Mapped[int] = mapped_column(Integer, nullable=False)
    kek_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    wrapped: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    plaintext_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    stored_size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    ciphertext_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    shredded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_vault_data_keys_recording_id", "recording_id"),
        Index("ix_vault_data_keys_kek_id", "kek_id"),
        Index("ix_vault_data_keys_object", "bucket", "object_key"),
    )


@dataclass(frozen=True)
class DataKeyRecord:
    """A row as a value. ``wrapped is None`` means shredded."""

    key_id: str
    recording_id: str
    kind: str
    bucket: str
    object_key: str
    format_version: int
    kek_id: str | None
    wrapped: bytes | None
    created_at: datetime
    plaintext_size: int | None = None
    stored_size: int | None = None
    ciphertext_sha256: str | None = None
    rotated_at: datetime | None = None
    shredded_at: datetime | None = None

    @property
    def shredded(self) -> bool:
        return self.wrapped is None


def _utc(value: datetime | None) -> datetime | None:
    """SQLite drops the zone: stored values are UTC, so say so."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _record(row: DataKeyRow) -> DataKeyRecord:
    return DataKeyRecord(
        key_id=row.key_id,
        recording_id=row.recording_id,
        kind=row.kind,
        bucket=row.bucket,
        object_key=row.object_key,
        format_version=row.format_version,
        kek_id=row.kek_id,
        wrapped=row.wrapped,
        created_at=_utc(row.created_at),  # type: ignore[arg-type]
        plaintext_size=row.plaintext_size,
        stored_size=row.stored_size,
        ciphertext_sha256=row.ciphertext_sha256,
        rotated_at=_utc(row.rotated_at),
        shredded_at=_utc(row.shredded_at),
    )


class KeyStore:
    """CRUD on :class:`DataKeyRow`. The schema comes from migration ``0001_keystore``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    def add(self, record: DataKeyRecord) -> None:
        with self._sessions.begin() as s:
            if s.get(DataKeyRow, record.key_id) is not None:
                raise ConflictError(f"data key {record.key_id} already exists")
            s.add(
                DataKeyRow(
                    key_id=record.key_id,
                    recording_id=record.recording_id,
                    kind=record.kind,
                    bucket=record.bucket,
                    object_key=record.object_key,
                    format_version=record.format_version,
                    kek_id=record.kek_id,
                    wrapped=record.wrapped,
                    plaintext_size=record.plaintext_size,
                    stored_size=record.stored_size,
                    ciphertext_sha256=record.ciphertext_sha256,
                    created_at=record.created_at.astimezone(UTC),
                )
            )

    def finish(self, key_id: str, *, plaintext_size: int, stored_size: int, sha256: str) -> None:
        """Record sizes and the ciphertext digest once the upload is complete."""
        with self._sessions.begin() as s:
            s.execute(
                update(DataKeyRow)
                .where(DataKeyRow.key_id == key_id)
                .values(
                    plaintext_size=plaintext_size,
                    stored_size=stored_size,
                    ciphertext_sha256=sha256,
                )
            )

    def get(self, key_id: str) -> DataKeyRecord:
        """The row, shredded or not; :class:`NotFoundError` if there never was one."""
        with self._sessions() as s:
            row = s.get(DataKeyRow, key_id)
            if row is None:
                raise NotFoundError(f"data key {key_id} is not in the key store")
            return _record(row)

    def remove(self, key_id: str) -> None:
        """Forget a key whose upload failed (no object was published with it)."""
        with self._sessions.begin() as s:
            row = s.get(DataKeyRow, key_id)
            if row is not None:
                s.delete(row)

    def for_recording(self, recording_id: str) -> list[DataKeyRecord]:
        with self._sessions() as s:
            rows = s.scalars(
                select(DataKeyRow)
                .where(DataKeyRow.recording_id == recording_id)
                .order_by(DataKeyRow.created_at, DataKeyRow.key_id)
            )
            return [_record(r) for r in rows]

    def for_object(self, bucket: str, object_key: str) -> list[DataKeyRecord]:
        with self._sessions() as s:
            rows = s.scalars(
                select(DataKeyRow)
                .where(DataKeyRow.bucket == bucket, DataKeyRow.object_key == object_key)
                .order_by(DataKeyRow.created_at, DataKeyRow.key_id)
            )
            return [_record(r) for r in rows]

    def shred(self, key_ids: Iterable[str], *, now: datetime | None = None) -> int:
        """Destroy the wrapped keys; returns how many were live. Idempotent."""
        ids = list(key_ids)
        if not ids:
            return 0
        now = (now or datetime.now(UTC)).astimezone(UTC)
        sqlite = self.engine.dialect.name == "sqlite"
        with self._sessions.begin() as s:
            if sqlite:
                s.execute(text("PRAGMA secure_delete = ON"))
            result = s.execute(
                update(DataKeyRow)
                .where(DataKeyRow.key_id.in_(ids), DataKeyRow.wrapped.is_not(None))
                .values(wrapped=None, kek_id=None, shredded_at=now)
            )
            count = result.rowcount or 0
        if sqlite:
            with contextlib.suppress(Exception), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    def pending_rotation(
        self, kek_id: str, limit: int, *, after: str | None = None
    ) -> list[DataKeyRecord]:
        """Live keys not yet wrapped by ``kek_id`` (the rotation's remaining work), in key-id
        order after ``after``."""
        query = select(DataKeyRow).where(
            DataKeyRow.wrapped.is_not(None), DataKeyRow.kek_id != kek_id
        )
        if after is not None:
            query = query.where(DataKeyRow.key_id > after)
        with self._sessions() as s:
            rows = s.scalars(query.order_by(DataKeyRow.key_id).limit(limit))
            return [_record(r) for r in rows]

    def count_by_kek(self) -> dict[str, int]:
        """Live keys per KEK id (shredded keys have none)."""
        with self._sessions() as s:
            rows = s.execute(
                select(DataKeyRow.kek_id, func.count())
                .where(DataKeyRow.wrapped.is_not(None))
                .group_by(DataKeyRow.kek_id)
            )
            return {k: int(n) for k, n in rows}

    def rewrap(
        self,
        updates: Iterable[tuple[str, str, str, bytes]],
        *,
        now: datetime | None = None,
    ) -> int:
        """Apply ``(key_id, old_kek_id, new_kek_id, wrapped)`` in one transaction.

        Compare-and-set on the old KEK id: a key shredded or rotated concurrently is left
        alone. Returns how many rows changed."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        n = 0
        with self._sessions.begin() as s:
            for key_id, old, new, wrapped in updates:
                result = s.execute(
                    update(DataKeyRow)
                    .where(
                        DataKeyRow.key_id == key_id,
                        DataKeyRow.kek_id == old,
                        DataKeyRow.wrapped.is_not(None),
                    )
                    .values(kek_id=new, wrapped=wrapped, rotated_at=now)
                )
                n += result.rowcount or 0
        return n
