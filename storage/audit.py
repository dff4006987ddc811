"""The access log: append-only, SHA-256 hash-chained, checkpointed, verifiable.

Every list, view, play, download, export, erase, policy change, failed login and denied
request becomes one row: who, their role, what, when (an injected clock), from where, and
the outcome.

Tamper evidence has two layers:

* **The chain.** Entry *n* stores ``prev_hash`` (entry *n-1*'s hash) and ``hash`` =
  SHA-256 over its own canonical fields *including its sequence number and prev_hash*. So an
  altered entry no longer matches its hash; a deleted, inserted or reordered entry breaks the
  link of the entry after it — and the verifier can tell which.
* **Signed checkpoints** (:mod:`storage.audit_checkpoints`). Every N entries or T minutes the
  log size and head hash are signed with Ed25519 and written to an object-locked bucket
  (compliance mode): nobody, not even an administrator with database access, can delete or
  overwrite them before ``retain_until``. They catch what the chain alone cannot: a cut tail,
  or a chain rewritten from some entry onwards with freshly computed hashes.

:meth:`AccessLog.verify` walks the whole log against the checkpoints and names the first bad
entry.

Where the parts live: the entry format and its hash in :mod:`storage.audit_format`, reading
and export in :mod:`storage.audit_read`, verification in :mod:`storage.audit_verify` (both
mixed into :class:`AccessLog`). Import them all from here.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from redactor.errors import RedactorError, StorageError
from storage.audit_format import (
    CSV_COLUMNS,
    GENESIS,
    OUTCOMES,
    AccessEntry,
    AccessLogRow,
    LoggedEntry,
    _logged,
    entry_hash,
    format_time,
)
from storage.audit_read import AccessLogReadMixin, AccessQuery
from storage.audit_verify import AccessLogVerifyMixin, VerifyReport

__all__ = [
    "GENESIS",
    "AccessLogRow",
    "AccessEntry",
    "LoggedEntry",
    "AccessQuery",
    "AuditSettings",
    "VerifyReport",
    "AccessLog",
    "entry_hash",
    "format_time",
    "CSV_COLUMNS",
]

_log = logging.getLogger("redactor.audit")


@dataclass(frozen=True)
class AuditSettings:
    """When to checkpoint. ``from_env`` reads ``REDACTOR_AUDIT_CHECKPOINT_EVERY`` (entries)
    and ``REDACTOR_AUDIT_CHECKPOINT_MINUTES``."""

    checkpoint_every: int = 100
    checkpoint_interval: timedelta = timedelta(minutes=5)

    @classmethod
    def from_env(cls, env: dict | None = None) -> AuditSettings:
        import os

        env = os.environ if env is None else env
        try:
            every = int(env.get("REDACTOR_AUDIT_CHECKPOINT_EVERY", "100"))
            minutes = float(env.get("REDACTOR_AUDIT_CHECKPOINT_MINUTES", "5"))
        except ValueError as exc:
            raise StorageError(f"bad REDACTOR_AUDIT_CHECKPOINT_* setting: {exc}") from None
        if every < 1 or minutes <= 0:
            raise StorageError(
                f"audit checkpoint settings must be positive: every={every}, minutes={minutes}"
            )
        return cls(every, timedelta(minutes=minutes))


class AccessLog(AccessLogReadMixin, AccessLogVerifyMixin):
    """Append, query, export and verify the access log.

    ``checkpoints`` is a :class:`storage.audit_checkpoints.CheckpointStore` (or None when the
    deployment has no locked bucket yet — then only the chain is checked, and the report says
    so).
    """

    def __init__(
        self, sessions: sessionmaker, checkpoints=None, settings: AuditSettings | None = None
    ):
        self._db = sessions
        self.checkpoints = checkpoints
        self.settings = settings or AuditSettings()
        self._lock = threading.Lock()
        self._last_cp_size: int | None = None
        self._last_cp_at: datetime | None = None

    # --- writing -------------------------------------------------------------------------

    def append(self, entry: AccessEntry, *, now: datetime) -> LoggedEntry:
        """Append one entry, chained to the current head; checkpoint when due."""
        if entry.outcome not in OUTCOMES:
            raise ValueError(f"outcome {entry.outcome!r} is not one of {', '.join(OUTCOMES)}")
        at = format_time(now)
        clean = AccessEntry(
            actor=(entry.actor or "-")[:64],
            role=(entry.role or "-")[:128],
            action=entry.action[:64],
            outcome=entry.outcome,
            target=(entry.target or "")[:512],
            recording_id=entry.recording_id[:64] if entry.recording_id else None,
            campaign=entry.campaign[:200] if entry.campaign else None,
            source=(entry.source or "")[:128],
            detail=(entry.detail or "")[:2000],
        )
        last_exc: Exception | None = None
        with self._lock:
            for _attempt in range(20):
                try:
                    logged = self._append_once(clean, at)
                    break
                except (IntegrityError, OperationalError) as exc:  # another writer won the seq
                    last_exc = exc
            else:
                raise StorageError(f"could not append to the access log: {last_exc}")
        try:
            self.maybe_checkpoint(now=now, head=logged)
        except RedactorError as exc:  # the entry is safe; the next append retries the checkpoint
            _log.error("access log checkpoint failed (will retry): %s", exc)
        return logged

    def _append_once(self, e: AccessEntry, at: str) -> LoggedEntry:
        with self._db.begin() as db:
            if db.bind.dialect.name == "postgresql":
                from sqlalchemy import text

                db.execute(text("SELECT pg_advisory_xact_lock(7316001)"))
            head = db.execute(
                select(AccessLogRow.seq, AccessLogRow.hash)
                .order_by(AccessLogRow.seq.desc())
                .limit(1)
            ).first()
            seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
            digest = entry_hash(seq, at, e, prev)
            row = AccessLogRow(seq=seq, at=at, prev_hash=prev, hash=digest, **asdict(e))
            db.add(row)
            db.flush()
            return _logged(row)

    def head(self) -> tuple[int, str]:
        """(size, head hash) of the log; (0, GENESIS) when empty."""
        with self._db() as db:
            row = db.execute(
                select(AccessLogRow.seq, AccessLogRow.hash)
                .order_by(AccessLogRow.seq.desc())
                .limit(1)
            ).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def maybe_checkpoint(self, *, now: datetime, head: LoggedEntry | None = None):
        """Write a checkpoint if N entries or T minutes passed since the last one (and the log
        grew). The scheduler calls this every minute so a quiet log is covered within T."""
        if self.checkpoints is None:
            return None
        if self._last_cp_size is None:
            last = self.checkpoints.latest()
            self._last_cp_size = last.size if last else 0
            self._last_cp_at = last.at if last else None
        size = head.seq if head else self.head()[0]
        if size <= self._last_cp_size:
            return None
        due = size - self._last_cp_size >= self.settings.checkpoint_every or (
            self._last_cp_at is None or now - self._last_cp_at >= self.settings.checkpoint_interval
        )
        if not due:
            return None
        return self.checkpoint(now=now)

    def checkpoint(self, *, now: datetime):
        """Sign and store (size, head) now, whatever the schedule. Returns the checkpoint."""
        if self.checkpoints is None:
            raise StorageError("no checkpoint bucket configured (REDACTOR_AUDIT_BUCKET)")
        size, head = self.head()
        cp = self.checkpoints.write(size, head, now=now)
        self._last_cp_size, self._last_cp_at = size, now
        return cp
