"""The breach register (GDPR Art. 33(5)): declared breaches recorded, listed and exported.

Why a module of its own: the register is its own table and its own duty -- documenting every
breach with its facts, effects and remedial actions -- and every use of it is access-logged;
see :mod:`storage.breach`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from redactor.errors import BadInputError, NotFoundError
from storage.audit_format import AccessEntry, format_time
from storage.breach_report import _aware, _cell
from storage.db import Base

__all__ = ["BreachRow", "Breach", "BreachRegister"]


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
