"""The delivery rows as operators see them: listing, the dead letters, and replay.

Why a module of its own: ``redactor events dead`` and ``redactor events replay`` read and
reset delivery rows; they need the table, not the dispatcher of :mod:`workers.webhooks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redactor.errors import ConfigError
from workers.events_model import DeliveryRow, OutboxRow, ts

__all__ = ["DeliveryView", "deliveries", "dead_letters", "replay"]


@dataclass(frozen=True)
class DeliveryView:
    id: int
    event_id: str
    event_type: str
    target: str
    state: str
    attempts: int
    next_attempt_at: str
    last_status: int | None
    last_error: str | None
    delivered_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self.__dataclass_fields__}


def _engine(target: Any):
    return getattr(target, "engine", target)


def deliveries(
    engine: Any, *, state: str | None = None, event_id: str | None = None, limit: int = 100
) -> list[DeliveryView]:
    """Delivery rows joined with their event type, newest first."""
    stmt = select(DeliveryRow, OutboxRow.type).join(OutboxRow, OutboxRow.id == DeliveryRow.event_id)
    if state:
        stmt = stmt.where(DeliveryRow.state == state)
    if event_id:
        stmt = stmt.where(DeliveryRow.event_id == event_id)
    stmt = stmt.order_by(DeliveryRow.id.desc()).limit(max(1, limit))
    with Session(_engine(engine)) as s:
        return [
            DeliveryView(
                d.id,
                d.event_id,
                etype,
                d.target,
                d.state,
                d.attempts,
                d.next_attempt_at,
                d.last_status,
                d.last_error,
                d.delivered_at,
            )
            for d, etype in s.execute(stmt)
        ]


def dead_letters(engine: Any, limit: int = 100) -> list[DeliveryView]:
    """The dead-letter store: deliveries that gave up, newest first."""
    return deliveries(engine, state="dead", limit=limit)


def replay(
    engine: Any,
    *,
    now: datetime,
    delivery_ids: Iterable[int] = (),
    event_id: str | None = None,
    all_dead: bool = False,
) -> int:
    """Send again: the given deliveries, every delivery of ``event_id`` (delivered ones too:
    the receiver deduplicates), or every dead one. Attempts restart at zero. Returns how
    many were queued."""
    ids = list(delivery_ids)
    if not (ids or event_id or all_dead):
        raise ConfigError("replay what? give delivery ids, an event id, or all dead letters")
    stmt = update(DeliveryRow)
    conds = []
    if ids:
        conds.append(DeliveryRow.id.in_(ids))
    if event_id:
        conds.append(DeliveryRow.event_id == event_id)
    if all_dead:
        conds.append(DeliveryRow.state == "dead")
    from sqlalchemy import or_

    stmt = stmt.where(or_(*conds)).values(
        state="pending", attempts=0, next_attempt_at=ts(now), updated_at=ts(now)
    )
    with Session(_engine(engine)) as s, s.begin():
        return s.execute(stmt).rowcount or 0
