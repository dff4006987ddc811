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
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from redactor.errors import (
    BadInputError,
    ConflictError,
    NotCleanError,
    NotFoundError,
    StorageError,
)
from redactor.transcribe import ASR_LANE
from workers.gate import JobGate
from workers.hooks import crash_point
from workers.lease import take_lease
from workers.scratch import job_dir, reap_stale

if TYPE_CHECKING:
    from policies.loader import Policy
    from redactor.router import LanguageRouter
    from storage.catalog_repo import Catalog, Recording
    from storage.objectstore import ObjectStore
    from storage.sidecar import PhoneHasher
    from storage.vault import Vault
    from workers.settings import WorkerSettings

__all__ = ["JobContext", "JobResult", "OUTCOMES", "process_recording", "is_recording_key"]

log = logging.getLogger("redactor.workers.job")

# done: processed now; duplicate: already finished before; quarantined / rejected / held_back:
# decided now (or before); missing: no such source and no catalog row; busy: another job holds
# the lease; waiting: the sidecar has not arrived yet; failed: retry after ``retry_after``.
OUTCOMES = (
    "done",
    "duplicate",
    "quarantined",
    "rejected",
    "held_back",
    "missing",
    "busy",
    "waiting",
    "failed",
)
RETRY_OUTCOMES = ("busy", "waiting", "failed")
_FINAL = ("source_deleted", "quarantined", "rejected", "held_back", "expired", "erased")
_SIDECAR_SUFFIX = ".json"


def is_recording_key(key: str) -> bool:
    """Is this drop-bucket key a recording (and not a sidecar, folder or hidden file)?"""
    name = PurePosixPath(key).name
    return (
        bool(name)
        and not key.endswith("/")
        and not name.startswith(".")
        and not (name.endswith(_SIDECAR_SUFFIX))
    )


@dataclass(frozen=True)
class JobResult:
    """What one run of the job did. ``retry_after`` (seconds) is set for retry outcomes."""

    outcome: str
    source_key: str
    recording_id: str | None = None
    reason: str | None = None
    audio_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    retry_after: float | None = None
    attempts: int = 0

    @property
    def retry(self) -> bool:
        return self.outcome in RETRY_OUTCOMES

    def to_dict(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self.__dataclass_fields__}


@dataclass
class JobContext:
    """Everything a worker process needs, built once (see :mod:`workers.bootstrap`).

    ``router_factory`` is called at most once, on first use (or by :meth:`warm_up`), so a
    worker loads its models once and a process that never redacts never loads them.
    """

    catalog: Catalog
    store: ObjectStore
    vault: Vault
    policy: Policy
    hasher: PhoneHasher
    settings: WorkerSettings
    router_factory: Callable[[], LanguageRouter]
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    gate: JobGate = field(default_factory=JobGate)  # job slots of this process
    _router: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False)

    def warm_up(self) -> None:
        """Load the models now (worker start), not on the first recording."""
        self.router().warm_up()

    def router(self) -> LanguageRouter:
        """The language router: one redactor per language and campaign, models shared."""
        with self._lock:
            if self._router is None:
                self._router = self.router_factory()
            return self._router


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t


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


def _redact_and_store(
    ctx: JobContext, rec: Recording, bucket: str, key: str, timer: _Timer
) -> float:
    cat = ctx.catalog
    suffix = PurePosixPath(key).suffix.lower()[:10]
    # a worker killed mid-job leaves its unredacted download behind: clear such leftovers
    # of dead processes at every job, not only at worker start
    reap_stale(ctx.settings.resolved_scratch)
    with job_dir(ctx.settings.resolved_scratch) as tmp:
        src = tmp / f"source{suffix}"
        dst = tmp / f"redacted{suffix}"
        with timer.stage("download"), open(src, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            ctx.store.download_to(bucket, key, fh)
        ASR_LANE.take_seconds()  # this job's recognition time, for the metrics
        with timer.stage("redact"):
            report = ctx.router().redact_file(
                src, dst, language=rec.language, campaign=rec.campaign
            )
        timer.timings["asr"] = ASR_LANE.take_seconds()
        src.unlink()  # the unredacted copy goes as soon as the redacted one exists
        for stage in ("decode", "transcribe", "verify"):
            if stage in report.timings:
                timer.timings[stage] = float(report.timings[stage])
        crash_point(ctx.settings.crash_hooks, "after_transcription", key)
        report_path = dst.with_name(dst.name + ".report.json")
        transcript = json.dumps(
            {"recording_id": rec.id, "channels": report.transcript}, indent=1
        ).encode()
        with timer.stage("upload"):
            # three independent objects: seal and upload them side by side (network and
            # database round trips, not CPU); the first error is raised after all finish
            from concurrent.futures import ThreadPoolExecutor

            items = (("audio", dst), ("transcript", transcript), ("report", report_path))
            with ThreadPoolExecutor(len(items), thread_name_prefix="upload") as pool:
                futures = [pool.submit(_store_kind, ctx, rec.id, k, v) for k, v in items]
            for f in futures:
                f.result()
        crash_point(ctx.settings.crash_hooks, "after_upload", key)
    with timer.stage("catalog"):
        now = ctx.clock()
        entities: dict[str, int] = {}
        for iv in report.intervals:
            entities[iv.entity_type] = entities.get(iv.entity_type, 0) + 1
        cat.set_redaction_summary(
            rec.id,
            {
                "duration": round(report.duration, 3),
                "regions": len(report.intervals),
                "redacted_seconds": round(report.redacted_seconds, 3),
                "entities": entities,
                "model": report.model,
                "language": report.settings.get("language"),
                "language_source": report.settings.get("language_source"),
            },
            now=now,
        )
        cat.apply_retention(rec.id, ctx.policy.for_campaign(rec.campaign).retention, now=now)
        crash_point(ctx.settings.crash_hooks, "before_commit", key)
        cat.transition(rec.id, "stored", now=ctx.clock(), actor=ctx.worker, expect="processing")
    return float(report.duration)


def _store_kind(ctx: JobContext, recording_id: str, kind: str, src: Path | bytes) -> None:
    """Seal ``src`` as ``kind`` unless the catalog already lists one; shred leftovers first."""
    rec = ctx.catalog.get(recording_id)
    if any(o.kind == kind for o in rec.objects):
        return
    shred_orphans(ctx, recording_id, kind)
    stored = ctx.vault.put(recording_id, kind, src)
    try:
        ctx.catalog.add_vault_object(stored, now=ctx.clock())
    except ConflictError:  # catalogued concurrently: ours is the orphan
        ctx.vault.shred_key(stored.key_id)
        ctx.vault.delete(stored.ref)


def shred_orphans(ctx: JobContext, recording_id: str, kind: str) -> int:
    """Crypto-shred and delete vault objects of ``kind`` that the catalog does not list
    (left by an attempt that crashed between upload and catalog)."""
    listed = {o.key for o in ctx.catalog.get(recording_id).objects}
    n = 0
    for k in ctx.vault.keys(recording_id):
        if k.kind != kind or k.object_key in listed or k.shredded:
            continue
        ctx.vault.shred_key(k.key_id)
        with contextlib.suppress(NotFoundError):
            ctx.store.delete(k.bucket, k.object_key)
        n += 1
    return n


def _delete_source(ctx: JobContext, bucket: str, key: str) -> None:
    """Delete the recording and its sidecar (deleting a missing key is not an error).

    A versioned drop bucket keeps old versions behind a delete marker: purge them too."""
    from storage.sidecar import sidecar_key

    for k in (key, sidecar_key(key)):
        if ctx.store.delete(bucket, k) is None:
            continue  # no delete marker: an unversioned bucket keeps nothing behind
        with contextlib.suppress(NotFoundError, StorageError):
            for v in ctx.store.list_versions(bucket, k):
                # "null" is the version written before versioning was enabled: it is
                # the unredacted original too
                if v.key == k and v.version_id:
                    ctx.store.delete(bucket, k, version_id=v.version_id)


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
