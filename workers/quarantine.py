"""Quarantine: a recording we cannot (or must not) redact, kept encrypted with the reason.

When: at once for bad input (not audio, corrupt, empty, too large) and for a result that
verification still finds unclean; after ``max_attempts`` for anything else that keeps
failing (a crash counts if the attempt ran alone in its process: attempts are ``attempt``
events in the catalog history, which survive a SIGKILL; an unreachable store or catalog
does not count).

Steps, each safe to repeat: the source is streamed from the drop bucket straight into the
vault as kind ``quarantine`` (no plaintext copy on disk) unless the catalog already lists
one; its deadline follows the audio's; the row moves to ``quarantined`` with the reason in
its history; then the source and its sidecar leave the drop bucket.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from redactor.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from storage.catalog_repo import Catalog, Recording
    from workers.job_types import JobContext

__all__ = ["quarantine", "attempts_used", "attempt_history", "last_failure"]

log = logging.getLogger("redactor.workers.quarantine")


def attempts_used(catalog: Catalog, recording_id: str) -> int:
    """Attempts that count toward quarantine (see :func:`attempt_history`)."""
    return attempt_history(catalog, recording_id)[0]


def attempt_history(catalog: Catalog, recording_id: str) -> tuple[int, bool]:
    """(attempts that count toward quarantine, whether the last attempt crashed).

    An attempt is an ``attempt`` event; its outcome is the event after it:
    ``attempt_failed`` counts, ``attempt_transient`` (an outage) does not, and none (the
    next attempt, or nothing yet) is a crash. A crash counts only if the attempt ran alone
    in its process: a dying worker takes all its jobs with it (:mod:`workers.gate`).
    """
    kinds = ("attempt", "attempt_failed", "attempt_transient")
    events = [e for e in catalog.history(recording_id) if e.action in kinds]
    used = 0
    for i, e in enumerate(events):
        if e.action != "attempt":
            continue
        outcome = events[i + 1].action if i + 1 < len(events) else None
        if outcome == "attempt_transient":
            continue
        if outcome in (None, "attempt") and (e.detail or {}).get("shared"):
            continue  # crashed in company: not necessarily its fault
        used += 1
    return used, bool(events) and events[-1].action == "attempt"


def last_failure(catalog: Catalog, recording_id: str) -> str | None:
    for e in reversed(catalog.history(recording_id)):
        if e.action == "attempt_failed" and e.detail:
            return str(e.detail.get("error"))
    return None


def quarantine(
    ctx: JobContext, rec: Recording, bucket: str, key: str, reason: str, *, attempts: int
) -> Recording:
    """Seal the source as ``quarantine``, record ``reason``, delete the source. Idempotent."""
    from workers.events import emit_recording
    from workers.job_cleanup import _delete_source, shred_orphans

    cat = ctx.catalog
    current = cat.get(rec.id)
    if current.state == "quarantined":
        _delete_source(ctx, bucket, key)
        return current
    sealed = False
    if not any(o.kind == "quarantine" for o in current.objects):
        shred_orphans(ctx, rec.id, "quarantine")
        try:
            body = ctx.store.get_stream(bucket, key)
        except NotFoundError:
            body = None  # nothing left to keep (deleted by hand?): record the reason anyway
        if body is not None:
            with body:
                stored = ctx.vault.put(rec.id, "quarantine", body)
            try:
                cat.add_vault_object(stored, now=ctx.clock())
            except ConflictError:
                ctx.vault.shred_key(stored.key_id)
                with contextlib.suppress(NotFoundError):
                    ctx.vault.delete(stored.ref)
            sealed = True
    cat.apply_retention(rec.id, ctx.policy.for_campaign(rec.campaign).retention, now=ctx.clock())
    rec = cat.transition(
        rec.id,
        "quarantined",
        now=ctx.clock(),
        actor=ctx.worker,
        expect=("received", "processing"),
        detail={"reason": reason, "attempts": attempts, "sealed": sealed},
    )
    emit_recording(cat, "recording.quarantined", rec, ctx.clock(), reason=reason, attempts=attempts)
    _delete_source(ctx, bucket, key)
    log.warning("recording %s quarantined after %d attempts", rec.id, attempts)
    return rec
