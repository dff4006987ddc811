"""Reading the access log: filtered queries, counts, streaming and CSV export.

Why a module of its own: reading is what auditors and the breach report do, with its own
query shape (:class:`AccessQuery`) and export rules (spreadsheet formulas neutralised). It is
a part of :class:`storage.audit.AccessLog` (mixed in), using its ``_db``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from sqlalchemy import func, select

from storage.audit_format import CSV_COLUMNS, AccessLogRow, LoggedEntry, _logged, format_time

__all__ = ["AccessQuery", "AccessLogReadMixin"]


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


class AccessLogReadMixin:
    """The read operations of :class:`storage.audit.AccessLog`."""

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


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
