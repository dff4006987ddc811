"""THE job: one recording from the drop bucket to the vault, with an exactly-once effect.

Both modes run :func:`process_recording` -- the in-process pool of ``redactor serve`` and
the Celery task of ``redactor worker`` -- with a :class:`JobContext` built once per worker
process (models load once).

Order of steps, each safe to run again:

1. **claim** -- :func:`storage.intake.admit` reads the sidecar, applies consent and
   missing-sidecar rules and creates the catalog row (unique source key: a second claim is
   a ``ConflictError`` and the job resumes the existing row instead);
2. **lease** -- the row is leased to this job (:mod:`workers.lease`), renewed while it runs;
   a duplicate job for a leased row answers ``busy`` and is retried later;
3. **redact** -- the source is downloaded into private scratch (:mod:`workers.scratch`) and
   redacted; the unredacted copy is removed as soon as the redacted one exists;
4. **store** -- audio, transcript and report go to the vault, each recorded in the catalog
   at once; an object of a kind the catalog already lists is not stored again, and an
   uncatalogued leftover of an earlier, crashed attempt is crypto-shredded first;
5. **commit** -- redaction summary, retention deadlines, state ``stored``;
6. **delete source** -- the recording and its sidecar leave the drop bucket, state
   ``source_deleted``. Only then does the caller acknowledge the message (late ack).

Failures: bad or corrupt input and recordings that stay unclean are quarantined at once;
anything else is retried with backoff and quarantined after ``max_attempts`` (counted in
the catalog history, so attempts survive crashes). An unreachable store or catalog is not
counted: the job answers ``failed`` and is retried until the service is back.

Where the parts live: the context, result and outcomes in :mod:`workers.job_types`, steps 3
to 5 in :mod:`workers.job_redact`, the removal of the source and of orphaned vault objects in
:mod:`workers.job_cleanup`. Import the public names from here.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from redactor.errors import (
    BadInputError,
    ConflictError,
    NotCleanError,
    NotFoundError,
    StorageError,
)
from workers.hooks import crash_point
from workers.job_cleanup import _delete_source
from workers.job_cleanup import shred_orphans as shred_orphans
from workers.job_redact import _redact_and_store
from workers.job_types import OUTCOMES, JobContext, JobResult, _Timer, is_recording_key
from workers.job_types import RETRY_OUTCOMES as RETRY_OUTCOMES
from workers.lease import take_lease

if TYPE_CHECKING:
    from storage.catalog_repo import Catalog, Recording

__all__ = ["JobContext", "JobResult", "OUTCOMES", "process_recording", "is_recording_key"]

log = logging.getLogger("redactor.workers.job")

_FINAL = ("source_deleted", "quarantined", "rejected", "held_back", "expired", "erased")


def process_recording(ctx: JobContext, bucket: str, key: str) -> JobResult:
    """Run the job for ``bucket/key``. Never raises for a recording's own problems; raises
    nothing either for unreachable services (``failed`` with ``retry_after``)."""
    timer = _Timer()
    try:
        return _run(ctx, bucket, key, timer)
    except Exception as exc:  # noqa: BLE001 - only outages reach here; others re-raise
        if not _transient(exc):
            raise
        log.warning("job deferred: storage unavailable (%s)", type(exc).__name__)
        return JobResult(
            "failed",
            key,
            reason=f"storage unavailable: {type(exc).__name__}",
            timings=timer.timings,
            retry_after=ctx.settings.backoff(1),
        )


def _run(ctx: JobContext, bucket: str, key: str, timer: _Timer) -> JobResult:
    from storage.intake import admit

    cat = ctx.catalog
    rec = _find(cat, key)
    if rec is None:
        with timer.stage("claim"):
            try:
                info = ctx.store.head(bucket, key)
            except NotFoundError:
                return JobResult("missing", key, reason="no such source object")
            wait = _sidecar_wait(ctx, bucket, key, info.last_modified)
            if wait is not None:
                return JobResult("waiting", key, reason="sidecar not yet arrived", retry_after=wait)
            try:
                res = admit(
                    cat,
                    ctx.store,
                    ctx.policy,
                    bucket=bucket,
                    source_key=key,
                    hasher=ctx.hasher,
                    now=ctx.clock(),
                    actor=ctx.worker,
                )
            except ConflictError:
                rec = cat.by_source_key(key)  # claimed concurrently: resume it
            else:
                if not res.process:
                    return JobResult(res.action, key, res.recording.id, reason=res.reason)
                rec = res.recording
    if rec.state in _FINAL:
        return _settle_final(ctx, rec, bucket, key)

    lease = take_lease(
        cat,
        rec.id,
        worker=ctx.worker,
        now=ctx.clock(),
        seconds=ctx.settings.lease_seconds,
        clock=ctx.clock,
    )
    if lease is None:
        return JobResult(
            "busy",
            key,
            rec.id,
            reason="another job holds the lease",
            retry_after=ctx.settings.lease_seconds / 2,
        )
    with lease:
        rec = cat.get(rec.id)
        if rec.state in _FINAL:
            return _settle_final(ctx, rec, bucket, key)
        return _attempt(ctx, rec, bucket, key, timer)


def _attempt(ctx: JobContext, rec: Recording, bucket: str, key: str, timer: _Timer) -> JobResult:
    from workers.quarantine import attempt_history, last_failure, quarantine

    cat = ctx.catalog
    used, crashed = attempt_history(cat, rec.id)
    if used >= ctx.settings.max_attempts and rec.state != "stored":
        reason = f"failed {used} attempts; last error: {last_failure(cat, rec.id) or 'a crash'}"
        quarantine(ctx, rec, bucket, key, reason, attempts=used)
        return JobResult("quarantined", key, rec.id, reason=reason, attempts=used)
    # after a crash, run alone: a crash in company is not counted against the recording
    alone = crashed and ctx.gate.shared
    with ctx.gate.slot(alone=alone):
        detail = {"n": used + 1, "shared": ctx.gate.shared and not alone}
        cat.log_event(rec.id, "attempt", now=ctx.clock(), actor=ctx.worker, detail=detail)
        return _attempt_in_slot(ctx, rec, bucket, key, timer, used)


def _attempt_in_slot(
    ctx: JobContext, rec: Recording, bucket: str, key: str, timer: _Timer, used: int
) -> JobResult:
    from workers.events import emit_recording
    from workers.quarantine import quarantine

    cat = ctx.catalog
    crash_point(ctx.settings.crash_hooks, "after_claim", key)
    audio_seconds = 0.0
    try:
        if rec.state == "received":
            rec = cat.transition(
                rec.id, "processing", now=ctx.clock(), actor=ctx.worker, expect="received"
            )
        if rec.state == "processing":
            audio_seconds = _redact_and_store(ctx, rec, bucket, key, timer)
        emit_recording(cat, "recording.redacted", rec.id, ctx.clock())  # outbox, idempotent
        with timer.stage("delete"):
            crash_point(ctx.settings.crash_hooks, "before_delete", key)
            _delete_source(ctx, bucket, key)
            cat.transition(
                rec.id, "source_deleted", now=ctx.clock(), actor=ctx.worker, expect="stored"
            )
    except (BadInputError, NotCleanError) as exc:
        reason = f"{type(exc).__name__}: {_scrub_paths(str(exc))}"
        quarantine(ctx, rec, bucket, key, reason, attempts=used + 1)
        return JobResult("quarantined", key, rec.id, reason=reason, attempts=used + 1)
    except Exception as exc:  # noqa: BLE001 - sorted below: outage or failed attempt
        if not _transient(exc):
            return _failed_attempt(ctx, rec, key, exc, used, timer)
        with contextlib.suppress(Exception):
            cat.log_event(
                rec.id,
                "attempt_transient",
                now=ctx.clock(),
                actor=ctx.worker,
                detail={"error": type(exc).__name__},
            )
        return JobResult(
            "failed",
            key,
            rec.id,
            reason=f"storage unavailable: {type(exc).__name__}",
            timings=timer.timings,
            retry_after=ctx.settings.backoff(1),
            attempts=used,
        )
    return JobResult(
        "done", key, rec.id, audio_seconds=audio_seconds, timings=timer.timings, attempts=used + 1
    )


def _transient(exc: BaseException) -> bool:
    """An outage (object store, catalog database), not a problem of the recording."""
    if isinstance(exc, StorageError):
        return True
    try:
        from sqlalchemy.exc import DBAPIError, OperationalError
    except ImportError:  # pragma: no cover
        return False
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _failed_attempt(
    ctx: JobContext, rec: Recording, key: str, exc: BaseException, used: int, timer: _Timer
) -> JobResult:
    reason = f"{type(exc).__name__}: {_scrub_paths(str(exc))}"[:500]
    log.warning("attempt %d failed: %s", used + 1, type(exc).__name__)
    with contextlib.suppress(Exception):
        ctx.catalog.log_event(
            rec.id, "attempt_failed", now=ctx.clock(), actor=ctx.worker, detail={"error": reason}
        )
    return JobResult(
        "failed",
        key,
        rec.id,
        reason=reason,
        timings=timer.timings,
        retry_after=ctx.settings.backoff(used + 1),
        attempts=used + 1,
    )


def _settle_final(ctx: JobContext, rec: Recording, bucket: str, key: str) -> JobResult:
    """A finished recording scheduled again: make sure its source is gone, change nothing."""
    if rec.state in ("quarantined", "rejected") and ctx.store.exists(bucket, key):
        _delete_source(ctx, bucket, key)  # a crash between the decision and the delete
    if rec.state == "held_back":
        return JobResult("held_back", key, rec.id, reason="held back: sidecar missing")
    return JobResult("duplicate", key, rec.id, reason=f"already {rec.state}")


def _find(cat: Catalog, key: str) -> Recording | None:
    try:
        return cat.by_source_key(key)
    except NotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - the catalog is unreachable
        if isinstance(exc, StorageError):
            raise
        raise StorageError(f"catalog unreachable: {type(exc).__name__}") from exc


def _sidecar_wait(
    ctx: JobContext, bucket: str, key: str, modified: datetime | None
) -> float | None:
    """Seconds to wait for a sidecar that has not arrived yet, or None to go ahead."""
    from storage.sidecar import sidecar_key

    if modified is None or ctx.store.exists(bucket, sidecar_key(key)):
        return None
    age = (ctx.clock() - modified).total_seconds()
    left = ctx.settings.sidecar_grace - age
    return left if left > 0 else None


def _scrub_paths(text: str) -> str:
    """Error messages name scratch paths; keep only the file names."""
    import re

    return re.sub(r"(/[^\s:'\"]+)+/([^/\s:'\"]+)", r"\2", text)
