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
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO

from sqlalchemy import Index, Integer, String, Text, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from redactor.errors import RedactorError, StorageError
from storage.db import Base

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

GENESIS = "0" * 64
_log = logging.getLogger("redactor.audit")
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


@dataclass(frozen=True)
class AccessQuery:
    """Filters for :meth:`AccessLog.query`; every field is optional and they combine (AND)."""

    actor: str | None = None
    recording_id: str | None = None
    action: str | None = None  # exact, or a prefix ending in '.' ("audio.")
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    limit: int = 200
    before_seq: int | None = None  # paging, newest first


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


@dataclass(frozen=True)
class VerifyReport:
    """The verdict. ``first_bad`` is the sequence number of the first bad entry, if any."""

    ok: bool
    entries: int
    checkpoints: int
    first_bad: int | None = None
    problem: str = ""
    checkpoint_problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            return (
                f"access log intact: {self.entries} entries, "
                f"{self.checkpoints} signed checkpoints verified"
            )
        if self.first_bad is not None:
            return f"first bad entry: {self.first_bad} ({self.problem})"
        return f"access log NOT verified: {self.problem}"


class AccessLog:
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

    # --- reading -------------------------------------------------------------------------

    def _filtered(self, q: AccessQuery):
        stmt = select(AccessLogRow)
        if q.actor:
            stmt = stmt.where(AccessLogRow.actor == q.actor)
        if q.recording_id:
            stmt = stmt.where(AccessLogRow.recording_id == q.recording_id)
        if q.action:
            if q.action.endswith("."):
                stmt = stmt.where(AccessLogRow.action.startswith(q.action, autoescape=True))
            else:
                stmt = stmt.where(AccessLogRow.action == q.action)
        if q.outcome:
            stmt = stmt.where(AccessLogRow.outcome == q.outcome)
        if q.since:
            stmt = stmt.where(AccessLogRow.at >= format_time(q.since))
        if q.until:
            stmt = stmt.where(AccessLogRow.at < format_time(q.until))
        if q.before_seq:
            stmt = stmt.where(AccessLogRow.seq < q.before_seq)
        return stmt

    def query(self, q: AccessQuery = AccessQuery()) -> list[LoggedEntry]:
        """Matching entries, newest first, at most ``q.limit``."""
        stmt = (
            self._filtered(q).order_by(AccessLogRow.seq.desc()).limit(max(1, min(q.limit, 10000)))
        )
        with self._db() as db:
            return [_logged(r) for r in db.scalars(stmt)]

    def count(self, q: AccessQuery = AccessQuery()) -> int:
        with self._db() as db:
            return db.scalar(select(func.count()).select_from(self._filtered(q).subquery()))

    def iter_entries(
        self, q: AccessQuery | None = None, batch: int = 1000
    ) -> Iterator[LoggedEntry]:
        """Every matching entry in log order (oldest first), streamed in batches."""
        base = self._filtered(q or AccessQuery())
        after = 0
        while True:
            with self._db() as db:
                rows = [
                    _logged(r)
                    for r in db.scalars(
                        base.where(AccessLogRow.seq > after).order_by(AccessLogRow.seq).limit(batch)
                    )
                ]
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].seq

    def export_csv(self, out: IO[str], q: AccessQuery | None = None) -> int:
        """Write matching entries (oldest first) as CSV with a header; returns the row count.

        Cells that a spreadsheet would run as a formula are prefixed with ``'``."""
        w = csv.writer(out)
        w.writerow(CSV_COLUMNS)
        n = 0
        for e in self.iter_entries(q):
            w.writerow([_csv_cell(getattr(e, c)) for c in CSV_COLUMNS])
            n += 1
        return n

    # --- verifying -----------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Check the whole chain against the signed checkpoints; name the first bad entry."""
        cps: dict[int, str] = {}
        cp_problems: list[str] = []
        if self.checkpoints is not None:
            good, cp_problems = self.checkpoints.load_verified()
            cps = {cp.size: cp.head for cp in good}
        seen: dict[str, int] = {GENESIS: 0}
        expected, prev, last_good_cp = 1, GENESIS, 0

        def bad(n: int, why: str) -> VerifyReport:
            return VerifyReport(False, expected - 1, len(cps), n, why, cp_problems)

        for e in self.iter_entries():
            if e.seq != expected:
                what = (
                    f"entry {expected}"
                    if e.seq == expected + 1
                    else f"entries {expected}..{e.seq - 1}"
                )
                return bad(
                    expected, f"{what} deleted: the log jumps from {expected - 1} to {e.seq}"
                )
            if e.prev_hash != prev:
                j = seen.get(e.prev_hash)
                if j is not None and j < e.seq - 1:
                    n = j + 1
                    return bad(
                        n,
                        f"inserted: entry {e.seq} chains to entry {j}, so entries {n}..{e.seq - 1} were not in the original log",
                    )
                return bad(
                    e.seq,
                    f"does not chain to entry {e.seq - 1}: an entry was deleted here, or entries were reordered",
                )
            if entry_hash(e.seq, e.at, e, e.prev_hash) != e.hash:
                return bad(e.seq, "altered: its content does not match its hash")
            head = cps.get(e.seq)
            if head is not None:
                if head != e.hash:
                    first = last_good_cp + 1
                    return bad(
                        first,
                        f"entries {first}..{e.seq} do not match the signed checkpoint at {e.seq}: rewritten with recomputed hashes",
                    )
                last_good_cp = e.seq
            seen[e.hash] = e.seq
            prev = e.hash
            expected += 1
        size = expected - 1
        top = max(cps, default=0)
        if top > size:
            return VerifyReport(
                False,
                size,
                len(cps),
                size + 1,
                f"tail cut: the log ends at entry {size} but a signed checkpoint covers {top} entries",
                cp_problems,
            )
        if cp_problems:
            return VerifyReport(False, size, len(cps), None, "; ".join(cp_problems), cp_problems)
        if self.checkpoints is None:
            return VerifyReport(True, size, 0, None, "chain only: no checkpoint bucket configured")
        return VerifyReport(True, size, len(cps))


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
