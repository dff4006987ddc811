"""Breach evidence: the access report for a window, and the breach register (GDPR Art. 33).

Why: after a suspected breach the controller has 72 hours to notify the authority
(Art. 33(1)) and must document every breach (Art. 33(5)). The questions are always the
same: which recordings, of which data subjects, did this principal (or anyone) access
between T1 and T2 -- and can the record of it be trusted?

* :func:`breach_report` **verifies the whole access log first** (chain + signed
  checkpoints, :meth:`storage.audit.AccessLog.verify`). A log that fails is evidence of
  tampering, not evidence of access: no report is produced and the error names the first bad
  entry. Then it lists every entry in ``[T1, T2)`` (optionally of one principal) with the
  data subject (the recording's customer id) and sums it up in :class:`BreachSummary`, whose
  :meth:`~BreachSummary.text` is a draft for the Art. 33 notice.
* :class:`BreachRegister` records, lists and exports declared breaches -- facts, effects,
  remedial actions. Every use of the register is itself written to the access log.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from redactor.errors import BadInputError, ConflictError, NotFoundError
from storage.audit import AccessEntry, AccessQuery, LoggedEntry, format_time
from storage.db import Base

__all__ = [
    "REPORT_COLUMNS",
    "LogTampered",
    "ReportRow",
    "BreachSummary",
    "BreachReport",
    "breach_report",
    "BreachRow",
    "Breach",
    "BreachRegister",
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


# --- the register -------------------------------------------------------------------------


class BreachRow(Base):
    __tablename__ = "breach_register"
    __table_args__ = (Index("ix_breach_register_declared", "declared_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    declared_at: Mapped[str] = mapped_column(String(27), nullable=False)
    detected_at: Mapped[str | None] = mapped_column(String(27), nullable=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    facts: Mapped[str] = mapped_column(Text, nullable=False)
    effects: Mapped[str] = mapped_column(Text, nullable=False)
    remedial_actions: Mapped[str] = mapped_column(Text, nullable=False)
    window_from: Mapped[str | None] = mapped_column(String(27), nullable=True)
    window_to: Mapped[str | None] = mapped_column(String(27), nullable=True)
    principal: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subjects_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recordings_affected: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notified_authority_at: Mapped[str | None] = mapped_column(String(27), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)


@dataclass(frozen=True)
class Breach:
    """One declared breach: what happened (facts), its effects, what was done about it."""

    id: str
    declared_at: str
    title: str
    facts: str
    effects: str
    remedial_actions: str
    recorded_by: str
    detected_at: str | None = None
    window_from: str | None = None
    window_to: str | None = None
    principal: str | None = None
    subjects_affected: int | None = None
    recordings_affected: int | None = None
    notified_authority_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_BREACH_FIELDS = tuple(Breach.__dataclass_fields__)


def _breach(row: BreachRow) -> Breach:
    return Breach(**{n: getattr(row, n) for n in _BREACH_FIELDS})


class BreachRegister:
    """The Art. 33(5) register on the catalog database; every call is access-logged.

    ``access_log`` is the :class:`storage.audit.AccessLog`; ``actor``/``role``/``source``
    of each call say who used the register (the CLI passes ``cli:<os user>``).
    """

    def __init__(self, engine: Any, access_log: Any) -> None:
        self.engine = getattr(engine, "engine", engine)
        self.log = access_log

    def _audit(self, action: str, outcome: str, *, actor: str, now: datetime, target: str = "",
               source: str = "cli", detail: str = "") -> None:  # fmt: skip
        self.log.append(
            AccessEntry(actor, "compliance", action, outcome, target=target, source=source,
                        detail=detail),
            now=now,
        )  # fmt: skip

    def record(
        self,
        *,
        title: str,
        facts: str,
        effects: str,
        remedial_actions: str,
        actor: str,
        now: datetime,
        detected_at: datetime | None = None,
        window: tuple[datetime, datetime] | None = None,
        principal: str | None = None,
        subjects_affected: int | None = None,
        recordings_affected: int | None = None,
        notified_authority_at: datetime | None = None,
        source: str = "cli",
    ) -> Breach:
        """Declare a breach. Title, facts, effects and remedial actions are mandatory: they
        are what Art. 33(5) requires the documentation to contain."""
        import uuid

        _aware(now, "now")
        missing = [
            n
            for n, v in (
                ("title", title),
                ("facts", facts),
                ("effects", effects),
                ("remedial_actions", remedial_actions),
            )
            if not (v or "").strip()
        ]
        if missing:
            raise BadInputError(f"a breach record needs {', '.join(missing)} (non-empty)")
        row = BreachRow(
            id=str(uuid.uuid4()),
            declared_at=format_time(now),
            detected_at=format_time(_aware(detected_at, "detected_at")) if detected_at else None,
            title=title.strip()[:200],
            facts=facts.strip(),
            effects=effects.strip(),
            remedial_actions=remedial_actions.strip(),
            window_from=format_time(window[0]) if window else None,
            window_to=format_time(window[1]) if window else None,
            principal=principal,
            subjects_affected=subjects_affected,
            recordings_affected=recordings_affected,
            notified_authority_at=format_time(notified_authority_at)
            if notified_authority_at
            else None,
            recorded_by=actor[:64],
        )
        breach = _breach(row)
        with Session(self.engine) as s, s.begin():
            s.add(row)
        self._audit("breach.record", "allowed", actor=actor, now=now, target=f"breach:{breach.id}",
                    source=source, detail=breach.title)  # fmt: skip
        return breach

    def get(self, breach_id: str, *, actor: str, now: datetime, source: str = "cli") -> Breach:
        with Session(self.engine) as s:
            row = s.get(BreachRow, breach_id)
            found = _breach(row) if row else None
        self._audit("breach.view", "allowed" if found else "failed", actor=actor, now=now,
                    target=f"breach:{breach_id}", source=source)  # fmt: skip
        if found is None:
            raise NotFoundError(f"breach {breach_id!r} is not in the register")
        return found

    def list(self, *, actor: str, now: datetime, source: str = "cli") -> list[Breach]:
        """Every declared breach, oldest first."""
        with Session(self.engine) as s:
            out = [_breach(r) for r in s.scalars(select(BreachRow).order_by(BreachRow.declared_at))]
        self._audit("breach.list", "allowed", actor=actor, now=now, target="breach_register",
                    source=source, detail=f"{len(out)} breaches")  # fmt: skip
        return out

    def export(
        self, out: IO[str], *, fmt: str, actor: str, now: datetime, source: str = "cli"
    ) -> int:
        """Write the register as ``json`` or ``csv``; returns the number of breaches."""
        if fmt not in ("json", "csv"):
            raise BadInputError(f"export format {fmt!r} is not one of json, csv")
        with Session(self.engine) as s:
            items = [
                _breach(r) for r in s.scalars(select(BreachRow).order_by(BreachRow.declared_at))
            ]
        if fmt == "json":
            json.dump([b.as_dict() for b in items], out, indent=2)
            out.write("\n")
        else:
            w = csv.writer(out)
            w.writerow(_BREACH_FIELDS)
            for b in items:
                w.writerow([_cell(getattr(b, n)) for n in _BREACH_FIELDS])
        self._audit("breach.export", "allowed", actor=actor, now=now, target="breach_register",
                    source=source, detail=f"{len(items)} breaches as {fmt}")  # fmt: skip
        return len(items)
