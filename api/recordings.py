"""Read access to recordings for the API: catalog rows plus decrypted vault artifacts.

The API never decrypts by itself: :class:`RecordingSource` asks the vault to open an
object (``opener``), which authenticates every byte before returning it. The catalog gives
the metadata and which objects exist.
"""

from __future__ import annotations

import heapq
from datetime import datetime

from redactor.errors import NotFoundError

__all__ = ["RecordingSource", "SHOWN_STATES"]

# States in which a recording has redacted artifacts a QA user may see.
SHOWN_STATES = ("stored", "source_deleted")


class RecordingSource:
    """``catalog``: :class:`storage.catalog.Catalog`; ``vault``: :class:`storage.vault.Vault`
    (its ``reader(ref)`` yields authenticated plaintext)."""

    def __init__(self, catalog, vault) -> None:
        self.catalog = catalog
        self.vault = vault

    @classmethod
    def from_env(cls, catalog) -> RecordingSource:
        from storage.vault import Vault

        return cls(catalog, Vault.from_settings(migrate=False))

    def get(self, recording_id: str):
        return self.catalog.get(recording_id)

    def history(self, recording_id: str):
        self.catalog.get(recording_id)  # NotFoundError for an unknown id
        return self.catalog.history(recording_id)

    def search(
        self,
        campaigns: frozenset[str],
        *,
        campaign: str | None = None,
        agent_id: str | None = None,
        started_from: datetime | None = None,
        started_before: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list:
        """Recordings of the given campaigns (only those), newest call first.

        The catalog filters one campaign at a time, so several campaigns are merged here."""
        wanted = sorted(campaigns if campaign is None else campaigns & {campaign})
        per = []
        for c in wanted:
            per.append(
                self.catalog.search(
                    campaign=c,
                    agent_id=agent_id,
                    state=SHOWN_STATES,
                    started_from=started_from,
                    started_before=started_before,
                    limit=min(1000, limit + offset),
                )
            )
        key = lambda r: (-(r.started_at or r.received_at).timestamp(), r.id)  # noqa: E731
        merged = list(heapq.merge(*[sorted(p, key=key) for p in per], key=key))
        return merged[offset : offset + limit]

    def artifact(self, rec, kind: str):
        """The live stored object of ``kind`` (audio, transcript, report) or NotFoundError."""
        for obj in rec.objects:
            if obj.kind == kind and obj.deleted_at is None:
                return obj
        raise NotFoundError(f"recording {rec.id} has no {kind}")

    def reader(self, rec, kind: str):
        """(object, context manager yielding a stream of authenticated plaintext)."""
        from storage.vault import ObjectRef

        obj = self.artifact(rec, kind)
        ref = ObjectRef(obj.bucket or self.vault.bucket, obj.key, obj.version_id)
        return obj, self.vault.reader(ref)

    def read(self, rec, kind: str, max_bytes: int = 32 * 1024 * 1024) -> bytes:
        _obj, cm = self.reader(rec, kind)
        with cm as stream:
            data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise NotFoundError(f"{kind} of recording {rec.id} is too large to show")
        return data
