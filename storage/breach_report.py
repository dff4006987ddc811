"""The breach evidence report: every access in a window, after the access log verified.

Why a module of its own: the report answers the Art. 33 questions (which recordings, of which
data subjects, did this principal access between T1 and T2) and refuses to answer from a log
that fails verification; see :mod:`storage.breach`. The register of declared breaches is
:mod:`storage.breach_register`.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import IO, Any

from redactor.errors import BadInputError, ConflictError
from storage.audit_format import LoggedEntry, format_time
from storage.audit_read import AccessQuery

__all__ = [
    "REPORT_COLUMNS",
    "LogTampered",
    "ReportRow",
    "BreachSummary",
    "BreachReport",
    "breach_report",
]

REPORT_COLUMNS = (
    "seq",
    "at",
    "actor",
    "role",
    "action",
    "outcome",
    "target",
    "recording_id",
    "campaign",
    "data_subject",
    "source",
    "detail",
)
UNKNOWN_SUBJECT = "(unknown: identifiers erased or recording absent)"


class LogTampered(ConflictError):
    """The access log failed verification; ``first_bad`` is the first bad entry."""

    def __init__(self, first_bad: int | None, problem: str) -> None:
        self.first_bad = first_bad
        self.problem = problem
        where = f"first bad entry: {first_bad} ({problem})" if first_bad else problem
        super().__init__(
            f"the access log failed verification -- {where}; no breach report produced: "
            "preserve the database and the checkpoint bucket as evidence"
        )


@dataclass(frozen=True)
class ReportRow:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    outcome: str
    target: str
    recording_id: str | None
    campaign: str | None
    data_subject: str | None
    source: str
    detail: str


@dataclass
class BreachSummary:
    """Counts for the Art. 33 notice. ``subjects`` counts data subjects whose recordings were
    accessed with outcome ``allowed`` (denied attempts disclosed nothing)."""

    window_from: str
    window_to: str
    principal: str | None
    log_entries_verified: int
    checkpoints_verified: int
    accesses: int = 0
    allowed: int = 0
    refused: int = 0
    recordings: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    unknown_subject_recordings: int = 0
    first_access: str | None = None
    last_access: str | None = None
    by_action: dict[str, int] = field(default_factory=dict)
    by_principal: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def text(self) -> str:
        """A short, plain summary: the draft of the facts part of the notice."""
        who = f"principal {self.principal}" if self.principal else "any principal"
        lines = [
            f"Breach evidence report: accesses by {who} from {self.window_from} "
            f"to {self.window_to} (end excluded).",
            f"Integrity: the access log verified intact ({self.log_entries_verified} entries, "
            f"{self.checkpoints_verified} signed checkpoints) before this report was produced.",
            f"Accesses in the window: {self.accesses} ({self.allowed} allowed, "
            f"{self.refused} denied or failed).",
            f"Recordings accessed (allowed): {len(self.recordings)}; data subjects affected: "
            f"{len(self.subjects)}"
            + (
                f" (plus {self.unknown_subject_recordings} recording(s) whose subject can no "
                "longer be identified)"
                if self.unknown_subject_recordings
                else ""
            )
            + ".",
            f"First access: {self.first_access or '-'}; last access: {self.last_access or '-'}.",
        ]
        if self.by_action:
            acts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_action.items()))
            lines.append(f"By action: {acts}.")
        if self.by_principal:
            who_n = ", ".join(f"{k} {v}" for k, v in sorted(self.by_principal.items()))
            lines.append(f"By principal: {who_n}.")
        if self.sources:
            lines.append(f"From: {', '.join(self.sources)}.")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BreachReport:
    rows: list[ReportRow]
    summary: BreachSummary

    def write_csv(self, out: IO[str]) -> int:
        """The rows as CSV with a header (spreadsheet formulas neutralised)."""
        w = csv.writer(out)
        w.writerow(REPORT_COLUMNS)
        for r in self.rows:
            w.writerow([_cell(getattr(r, c)) for c in REPORT_COLUMNS])
        return len(self.rows)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _aware(when: datetime, name: str) -> datetime:
    if not isinstance(when, datetime) or when.tzinfo is None or when.utcoffset() is None:
        raise BadInputError(f"{name} must be a timezone-aware time, got {when!r}")
    return when


def breach_report(
    access_log: Any,
    *,
    since: datetime,
    until: datetime,
    principal: str | None = None,
    catalog: Any = None,
) -> BreachReport:
    """Verify the log, then report every access in ``[since, until)``.

    Raises :class:`LogTampered` (naming the first bad entry) when verification fails.
    ``catalog`` resolves recording ids to data subjects (customer ids); without it the
    subjects column stays empty.
    """
    _aware(since, "--from")
    _aware(until, "--to")
    if until <= since:
        raise BadInputError(f"--to {until.isoformat()} must be after --from {since.isoformat()}")
    verdict = access_log.verify()
    if not verdict.ok:
        raise LogTampered(verdict.first_bad, verdict.problem)
    q = AccessQuery(actor=principal or None, since=since, until=until)
    entries: list[LoggedEntry] = list(access_log.iter_entries(q))
    subjects = _subjects(catalog, {e.recording_id for e in entries if e.recording_id})
    rows = []
    summary = BreachSummary(
        format_time(since),
        format_time(until),
        principal,
        verdict.entries,
        verdict.checkpoints,
    )
    recs: dict[str, None] = {}
    subs: dict[str, None] = {}
    actions: Counter = Counter()
    actors: Counter = Counter()
    sources: dict[str, None] = {}
    unknown: set[str] = set()
    for e in entries:
        subject = _subject_of(e, subjects)
        rows.append(
            ReportRow(
                e.seq,
                e.at,
                e.actor,
                e.role,
                e.action,
                e.outcome,
                e.target,
                e.recording_id,
                e.campaign,
                subject,
                e.source,
                e.detail,
            )
        )
        summary.accesses += 1
        actions[e.action] += 1
        actors[e.actor] += 1
        if e.source:
            sources[e.source] = None
        summary.first_access = summary.first_access or e.at
        summary.last_access = e.at
        if e.outcome != "allowed":
            summary.refused += 1
            continue
        summary.allowed += 1
        if e.recording_id:
            recs[e.recording_id] = None
            if subject and subject != UNKNOWN_SUBJECT:
                subs[subject] = None
            elif catalog is not None:
                unknown.add(e.recording_id)
        elif subject:
            subs[subject] = None
    summary.recordings = list(recs)
    summary.subjects = list(subs)
    summary.unknown_subject_recordings = len(unknown)
    summary.by_action = dict(actions)
    summary.by_principal = dict(actors)
    summary.sources = list(sources)
    return BreachReport(rows, summary)


def _subjects(catalog: Any, ids: set[str]) -> dict[str, str | None]:
    if catalog is None or not ids:
        return {}
    out: dict[str, str | None] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        for rec in catalog.get_many(ordered[i : i + 500]):
            out[rec.id] = rec.customer_id
    return out


def _subject_of(e: LoggedEntry, subjects: dict[str, str | None]) -> str | None:
    if e.recording_id:
        if not subjects:
            return None
        return subjects.get(e.recording_id) or UNKNOWN_SUBJECT
    if e.target.startswith("customer:"):
        return e.target.split(":", 1)[1] or None
    return None
