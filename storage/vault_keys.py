"""The vault's key lifecycle: crypto-shredding data keys, rotating and retiring KEKs.

Why a module of its own: these operations never touch audio -- they act on the key store
and the keyring only -- and they are the ones that make data unreadable for good, so they
are kept apart from sealing and reading. A part of :class:`storage.vault.Vault` (mixed in).
"""

from __future__ import annotations

from collections.abc import Callable

from redactor.errors import BadInputError, ConflictError, CryptoError, NotFoundError, StorageError

from .format import HEADER_SIZE, Header, record_wrap_context
from .keystore import DataKeyRecord
from .vault_types import RefLike, RotationReport

__all__ = ["VaultKeysMixin"]


class VaultKeysMixin:
    """The shred / rotate / retire operations of :class:`storage.vault.Vault`."""

    # -- shred ----------------------------------------------------------------------------
    def shred(self, recording_id: str) -> int:
        """Destroy every data key of ``recording_id`` (audio, transcript, report,
        quarantine); returns how many live keys were destroyed. Idempotent."""
        records = self.keystore.for_recording(recording_id)
        return self.keystore.shred([r.key_id for r in records], now=self.now())

    def shred_object(self, ref: RefLike) -> int:
        """Destroy the data key of one object version (found through its header)."""
        r = self._ref(ref)
        raw = self.store.get_range(r.bucket, r.key, 0, HEADER_SIZE - 1, version_id=r.version_id)
        return self.shred_key(Header.decode(raw).key_id)

    def shred_key(self, key_id: str) -> int:
        return self.keystore.shred([key_id], now=self.now())

    def keys(self, recording_id: str) -> list[DataKeyRecord]:
        """Key-store rows of a recording (shredded ones included, with ``wrapped=None``)."""
        return self.keystore.for_recording(recording_id)

    # -- rotate ---------------------------------------------------------------------------
    def rotate(
        self,
        new_kek_id: str | None = None,
        *,
        batch: int = 200,
        max_batches: int | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> RotationReport:
        """Re-wrap every live data key under ``new_kek_id`` (default: the primary KEK).

        Each batch commits on its own, so an interrupted rotation resumes by running it
        again; no object is read or written. ``max_batches`` stops early (for small
        maintenance windows). Keys whose KEK is unavailable are listed in ``failed``."""
        if batch < 1:
            raise BadInputError(f"rotation batch size {batch} must be at least 1")
        new = new_kek_id or self.keyring.primary_id
        rewrapped = 0
        failed: list[str] = []
        after: str | None = None
        batches = 0
        while max_batches is None or batches < max_batches:
            rows = self.keystore.pending_rotation(new, batch, after=after)
            if not rows:
                break
            updates = []
            for rec in rows:
                ctx = record_wrap_context(rec)
                try:
                    assert rec.kek_id is not None and rec.wrapped is not None
                    data_key = self.keyring.unwrap(rec.kek_id, rec.wrapped, ctx)
                except (CryptoError, NotFoundError):
                    failed.append(rec.key_id)
                    continue
                updates.append((rec.key_id, rec.kek_id, new, self.keyring.wrap(new, data_key, ctx)))
            rewrapped += self.keystore.rewrap(updates, now=self.now())
            after = rows[-1].key_id
            batches += 1
            if on_batch is not None:
                on_batch(rewrapped)
        remaining = sum(n for k, n in self.keystore.count_by_kek().items() if k != new)
        return RotationReport(kek_id=new, rewrapped=rewrapped, remaining=remaining, failed=failed)

    def retire_kek(self, kek_id: str) -> None:
        """Destroy a local KEK once no live data key uses it (:class:`ConflictError` if
        some still do). Old database backups wrapped by it become unreadable too."""
        still = self.keystore.count_by_kek().get(kek_id, 0)
        if still:
            raise ConflictError(
                f"key-encryption key {kek_id!r} still wraps {still} data keys; rotate first"
            )
        destroy = getattr(self.keyring, "destroy", None)
        if destroy is None:
            raise StorageError(
                f"this keyring cannot destroy {kek_id!r}; schedule its deletion in the KMS"
            )
        destroy(kek_id)
