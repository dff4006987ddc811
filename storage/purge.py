"""Deleting a recording's objects for good: delete, shred, mark -- in that order.

Why this order: the catalog is marked only after the bytes are gone and the data keys
destroyed, so a crash in between leaves a row that still says "live" and is retried by the
next sweep (every step is idempotent: deleting a missing object and shredding a shredded key
change nothing). Used by the retention sweeper (final state ``expired``) and by data-subject
erasure (final state ``erased``).

An object version under a COMPLIANCE lock cannot be deleted before its lock date; it is hidden
behind a delete marker instead, and shredding its data key makes every stored copy noise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redactor.errors import NotFoundError, PermissionDenied, StorageError
from storage.catalog_types import CatalogObject

__all__ = ["PurgedObject", "PurgeOutcome", "purge"]

log = logging.getLogger("redactor.purge")


@dataclass(frozen=True)
class PurgedObject:
    recording_id: str
    kind: str
    bucket: str | None
    key: str
    key_id: str | None
    note: str  # "deleted", "already absent", "version locked: delete marker + key shredded"


@dataclass
class PurgeOutcome:
    objects: list[PurgedObject] = field(default_factory=list)
    keys_shredded: int = 0
    finished: dict[str, bool] = field(default_factory=dict)  # recording -> reached final state
    failed: dict[str, str] = field(default_factory=dict)  # recording -> error


def _delete_one(vault: Any, o: CatalogObject) -> str:
    from storage.vault import ObjectRef

    bucket = o.bucket or vault.bucket
    if o.key_id is None:  # an unencrypted source object
        vault.store.delete(bucket, o.key)
        return "deleted"
    try:
        vault.delete(ObjectRef(bucket, o.key, o.version_id))
        return "deleted"
    except NotFoundError:
        return "already absent"
    except PermissionDenied:
        vault.delete(ObjectRef(bucket, o.key))  # a delete marker is allowed under a lock
        return "version locked: hidden by a delete marker, unreadable once its key is shredded"


def purge(
    catalog: Any,
    vault: Any,
    plan: dict[str, Sequence[CatalogObject]],
    *,
    now: datetime,
    reason: str,
    actor: str,
    final_state: str,
    token: str | None = None,
    extra_keys: dict[str, Iterable[str]] | None = None,
) -> PurgeOutcome:
    """Delete the planned objects, shred their data keys, mark the catalog.

    ``plan`` maps recording id -> objects to delete; ``extra_keys`` adds data keys to shred
    that the catalog does not list (a retried upload's orphan). A recording whose deletion
    fails (store unreachable) is left untouched in the catalog and reported in ``failed``.
    """
    out = PurgeOutcome()
    done: dict[str, list[int]] = {}
    keys: list[str] = []
    for rid, objs in plan.items():
        try:
            notes = [(o, _delete_one(vault, o)) for o in objs]
        except StorageError as exc:
            out.failed[rid] = str(exc)
            log.error("%s: could not delete objects of %s: %s", actor, rid, exc)
            continue
        for o, note in notes:
            out.objects.append(PurgedObject(rid, o.kind, o.bucket, o.key, o.key_id, note))
            log.info(
                "%s: %s %s/%s of %s (%s): %s", actor, reason, o.bucket, o.key, rid, o.kind, note
            )
        done[rid] = [o.id for o in objs]
        keys += [o.key_id for o in objs if o.key_id]
        keys += list((extra_keys or {}).get(rid, ()))
    if keys:
        unique = sorted(set(keys))
        for i in range(0, len(unique), 500):
            out.keys_shredded += vault.keystore.shred(unique[i : i + 500], now=now)
        log.info("%s: shredded %d data keys (%d live)", actor, len(unique), out.keys_shredded)
    if done:
        details = {
            rid: {"kinds": sorted(o.kind for o in plan[rid]), "keys": len(plan[rid])}
            for rid in done
        }
        out.finished = catalog.mark_deleted(
            done,
            now=now,
            reason=reason,
            actor=actor,
            final_state=final_state,
            token=token,
            details=details,
        )
        for rid, finished in out.finished.items():
            if finished:
                log.info("%s: recording %s is now %s (%s)", actor, rid, final_state, reason)
    return out
