"""Quarantine: a recording we cannot (or must not) redact, kept encrypted with the reason.

When: at once for bad input (not audio, corrupt, empty, too large) and for a result that
verification still finds unclean; after ``max_attempts`` for anything else that keeps
failing (a crash counts: attempts are ``attempt`` events in the catalog history, which
survive a SIGKILL; an unreachable store or catalog does not count).

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
    from workers.job import JobContext

__all__ = ["quarantine", "attempts_used", "last_failure"]

log = logging.getLogger("redactor.workers.quarantine")


def attempts_used(catalog: Catalog, recording_id: str) -> int:
    """Attempts that count toward quarantine: started minus those an outage interrupted."""
    started = transient = 0
    for e in catalog.history(recording_id):
        if e.action == "attempt":
            started += 1
        elif e.action == "attempt_transient":
            transient += 1
    return max(0, started - transient)


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
    from workers.job import _delete_source, shred_orphans

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
