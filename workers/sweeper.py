"""The retention sweeper: recordings past their deadline are deleted, shredded and marked.

Why a sweep and not per-recording timers: timers die with the process; a sweep over an
indexed ``next_due_at`` column survives restarts, catches up after downtime, and its cost is
proportional to what is due. :func:`sweep` runs until nothing claimable is due, so a due
recording is gone within one sweep interval.

Safety:

* **two sweepers at once** (two service instances): each batch is leased in the catalog
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional ``UPDATE`` on SQLite) before any
  object is touched, so every recording is deleted by exactly one of them;
* **legal holds**: catalog holds are excluded when leasing and re-checked after; the
  policy's hold rules are evaluated per recording at ``now``; held recordings are logged and
  left alone;
* **idempotent**: deleting a missing object, shredding a shredded key and marking a marked
  object change nothing; a crashed sweeper's lease runs out and the work is redone;
* ``dry_run`` reports what would be deleted and changes nothing.

:func:`sweep` takes ``now``; only the APScheduler job (:func:`start_scheduler`) reads a clock.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from policies.retention import is_due, policy_holds
from redactor.errors import BadInputError, ConfigError

if TYPE_CHECKING:
    from policies.loader import Policy
    from storage.catalog_repo import Catalog

__all__ = ["SweepSettings", "SweepReport", "sweep", "start_scheduler"]

log = logging.getLogger("redactor.sweeper")


@dataclass(frozen=True)
class SweepSettings:
    """``REDACTOR_SWEEP_INTERVAL`` (seconds, default 300), ``REDACTOR_SWEEP_BATCH`` (500),
    ``REDACTOR_SWEEP_LEASE`` (seconds a batch stays leased, default 900)."""

    interval_seconds: int = 300
    batch: int = 500
    lease_seconds: int = 900

    def __post_init__(self) -> None:
        for name in ("interval_seconds", "batch", "lease_seconds"):
            if getattr(self, name) < 1:
                raise ConfigError(f"sweep setting {name}={getattr(self, name)} must be >= 1")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> SweepSettings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for var, name in (
            ("REDACTOR_SWEEP_INTERVAL", "interval_seconds"),
            ("REDACTOR_SWEEP_BATCH", "batch"),
            ("REDACTOR_SWEEP_LEASE", "lease_seconds"),
        ):
            if env.get(var):
                try:
                    values[name] = int(env[var])
                except ValueError:
                    raise ConfigError(f"{var}={env[var]!r} is not an integer") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class SweepReport:
    """What one sweep did (or, with ``dry_run``, would do)."""

    now: datetime
    worker: str
    dry_run: bool
    batches: int = 0
    examined: int = 0
    recordings_expired: int = 0
    objects_deleted: int = 0
    keys_shredded: int = 0
    held: dict[str, list[str]] = field(default_factory=dict)  # recording -> hold reasons
    failed: dict[str, str] = field(default_factory=dict)
    would_delete: dict[str, list[str]] = field(default_factory=dict)  # dry run: rec -> kinds
    expired_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.dry_run:
            n = sum(len(v) for v in self.would_delete.values())
            return (
                f"dry run at {self.now.isoformat()}: would delete {n} objects of "
                f"{len(self.would_delete)} recordings; {len(self.held)} held by policy"
            )
        return (
            f"sweep at {self.now.isoformat()} by {self.worker}: {self.objects_deleted} objects "
            f"deleted, {self.keys_shredded} keys shredded, {self.recordings_expired} recordings "
            f"expired, {len(self.held)} held, {len(self.failed)} failed, {self.batches} batches"
        )


def _default_worker() -> str:
    return f"sweeper@{socket.gethostname()}:{os.getpid()}"


def _aware(now: datetime) -> datetime:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise BadInputError(f"now must be a timezone-aware datetime, got {now!r}")
    return now


def sweep(
    catalog: Catalog,
    vault: Any,
    policy: Policy,
    now: datetime,
    batch: int = 500,
    dry_run: bool = False,
    *,
    worker: str | None = None,
    lease: timedelta = timedelta(minutes=15),
    max_batches: int | None = None,
) -> SweepReport:
    """Delete every object past its deadline at ``now`` (unless held), in leased batches.

    Returns a :class:`SweepReport`. Runs until nothing claimable is due (or ``max_batches``).
    """
    _aware(now)
    if batch < 1:
        raise BadInputError(f"batch size {batch} must be at least 1")
    worker = worker or _default_worker()
    report = SweepReport(now=now, worker=worker, dry_run=dry_run)
    if dry_run:
        return _dry_run(catalog, policy, now, batch, report, max_batches)

    from storage.purge import purge

    base = f"{uuid.uuid4().hex[:16]}"
    tokens: list[str] = []
    try:
        while max_batches is None or report.batches < max_batches:
            token = f"{base}:{report.batches}"
            ids = catalog.claim_due(now=now, limit=batch, token=token, lease=lease)
            if not ids:
                break
            tokens.append(token)
            report.batches += 1
            recs = catalog.get_many(ids)
            report.examined += len(recs)
            covering = catalog.holds_covering(recs, now)  # holds set since the lease
            plan = {}
            for rec in recs:
                reasons = [f"catalog hold {h.reference}: {h.reason}" for h in covering[rec.id]]
                rules = policy.for_campaign(rec.campaign).retention
                reasons += [
                    f"policy hold {h.reference}: {h.reason}"
                    for h in policy_holds(rules, rec.facts, now)
                ]
                if reasons:
                    report.held[rec.id] = reasons
                    log.info("%s: %s is due but held: %s", worker, rec.id, "; ".join(reasons))
                    continue
                due = [o for o in rec.objects if o.live and is_due(o.delete_after, now)]
                if due:
                    plan[rec.id] = due
            if not plan:
                continue
            out = purge(
                catalog,
                vault,
                plan,
                now=now,
                reason="retention",
                actor=worker,
                final_state="expired",
                token=token,
            )
            report.objects_deleted += sum(1 for o in out.objects if o.note != "already absent")
            report.keys_shredded += out.keys_shredded
            report.failed.update(out.failed)
            done = [rid for rid, fin in out.finished.items() if fin]
            report.recordings_expired += len(done)
            report.expired_ids += done
            from workers.events import emit_recordings

            emit_recordings(catalog, "recording.expired", done, now)
    finally:
        for token in tokens:
            catalog.release_claims(token)
    log.info("%s", report.summary())
    return report


def _dry_run(
    catalog: Catalog,
    policy: Policy,
    now: datetime,
    batch: int,
    report: SweepReport,
    max_batches: int | None,
) -> SweepReport:
    after = None
    while max_batches is None or report.batches < max_batches:
        ids = catalog.due(now=now, limit=batch, after_id=after)
        if not ids:
            break
        report.batches += 1
        after = ids[-1]
        for rec in catalog.get_many(ids):
            report.examined += 1
            rules = policy.for_campaign(rec.campaign).retention
            holds = policy_holds(rules, rec.facts, now)
            if holds:
                report.held[rec.id] = [f"policy hold {h.reference}: {h.reason}" for h in holds]
                continue
            kinds = [o.kind for o in rec.objects if o.live and is_due(o.delete_after, now)]
            if kinds:
                report.would_delete[rec.id] = kinds
    log.info("%s", report.summary())
    return report


def start_scheduler(
    catalog: Catalog,
    vault: Any,
    policy_loader: Callable[[], Policy],
    *,
    settings: SweepSettings | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    blocking: bool = False,
    worker: str | None = None,
):
    """Run :func:`sweep` every ``settings.interval_seconds`` with APScheduler.

    The first sweep starts at once. ``max_instances=1`` + ``coalesce`` keep one sweep per
    process at a time (other processes are kept apart by the leases). The policy is
    reloaded for every sweep, so an edited policy file applies from the next one. Returns
    the started scheduler (``blocking=True`` runs it in this thread until interrupted).
    """
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    settings = settings or SweepSettings.from_env()
    sched = (BlockingScheduler if blocking else BackgroundScheduler)(timezone=UTC)

    def job() -> None:
        try:
            sweep(
                catalog,
                vault,
                policy_loader(),
                clock(),
                settings.batch,
                worker=worker,
                lease=timedelta(seconds=settings.lease_seconds),
            )
        except Exception:  # noqa: BLE001 - a failed sweep must not stop the next one
            log.exception("retention sweep failed; retrying at the next interval")

    sched.add_job(
        job,
        "interval",
        seconds=settings.interval_seconds,
        id="retention-sweep",
        max_instances=1,
        coalesce=True,
        # the scheduler runs on the wall clock; ``clock`` is only what the sweep calls now
        next_run_time=datetime.now(UTC),
        misfire_grace_time=settings.interval_seconds,
    )
    sched.start()
    return sched
