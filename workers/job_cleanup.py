"""What the job removes: a crashed attempt's uncatalogued vault objects, and the source.

Why a module of its own: both the job (:mod:`workers.job`) and quarantine
(:mod:`workers.quarantine`) must leave no unredacted copy and no orphaned ciphertext behind;
the two removals are shared by both.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from redactor.errors import NotFoundError, StorageError

if TYPE_CHECKING:
    from workers.job_types import JobContext

__all__ = ["shred_orphans"]


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
