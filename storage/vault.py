"""The vault: recordings, transcripts and reports stored encrypted, each with its own key.

Recipes:

* **seal** (:meth:`Vault.put`): a fresh data key (a Tink streaming-AEAD keyset), wrapped by
  the keyring's primary KEK and stored in the key store *before* the upload; then the header
  and the ciphertext stream into the object store. If the upload fails the key row is
  removed and the multipart upload aborted, so neither an unreadable object nor a dangling
  key remains.
* **open** (:meth:`Vault.open`, :meth:`Vault.reader`, :meth:`Vault.get_to`): read the
  header, find the key row, check it belongs to *this* bucket/key, unwrap, and stream
  authenticated plaintext.
* **shred** (:meth:`Vault.shred`): destroy the wrapped data keys of a recording. Every copy
  of its objects (old versions, locked versions, backups of the bucket) becomes noise.
* **rotate** (:meth:`Vault.rotate`): re-wrap every live data key under a new KEK in
  committed batches; no audio is rewritten and a rerun resumes where it stopped.

Errors (decided here, relied on by the catalog and the API):

* a wrong KEK, a tampered or truncated object, an object moved to another key, a missing
  key row, an unavailable KEK, an unknown format version -> :class:`CryptoError`;
* a **shredded** key -> :class:`NotFoundError` whose message says "shredded", and
  :meth:`Vault.head` reports ``state="shredded"``;
* a missing object -> :class:`NotFoundError`; a lock that forbids deletion ->
  :class:`PermissionDenied`; an unreachable store -> :class:`StorageError`.

Split by job: sealing, head and delete are here; reading in :mod:`storage.vault_read`,
shredding and rotation in :mod:`storage.vault_keys`, the values in :mod:`storage.vault_types`.
Import everything from here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from redactor.errors import BadInputError, CryptoError, NotFoundError

from . import crypto
from .format import (
    FORMAT_VERSION,
    HEADER_SIZE,
    Header,
    associated_data,
    record_wrap_context,
    wrap_context,
)
from .keyring import Keyring
from .keystore import DataKeyRecord, KeyStore
from .objectstore import ObjectStore
from .vault_keys import VaultKeysMixin
from .vault_read import VaultReadMixin
from .vault_types import (
    _CHUNK,
    _RECORDING_ID,
    KINDS,
    STATES,  # noqa: F401 - re-exported: storage.vault.STATES stays importable
    ObjectRef,
    ObjectStatus,
    RefLike,
    RotationReport,
    StoredObject,
    _source,
)

__all__ = [
    "KINDS",
    "Vault",
    "ObjectRef",
    "StoredObject",
    "ObjectStatus",
    "RotationReport",
]


class Vault(VaultReadMixin, VaultKeysMixin):
    """Encrypted objects in one bucket, keys in the catalog database.

    ``now`` is the clock (injected for tests). Thread-safe for concurrent puts and gets.
    """

    def __init__(
        self,
        store: ObjectStore,
        keyring: Keyring,
        keystore: KeyStore,
        bucket: str = "vault",
        *,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.keyring = keyring
        self.keystore = keystore
        self.bucket = bucket
        self.now = now or (lambda: datetime.now(UTC))

    @classmethod
    def from_settings(
        cls,
        vault_settings: Any = None,
        s3_settings: Any = None,
        *,
        migrate: bool = True,
    ) -> Vault:
        """The vault the environment describes (``VaultSettings.from_env()``,
        ``S3Settings.from_env()``); runs the catalog migrations unless ``migrate=False``."""
        from .db import make_engine
        from .db import migrate as run_migrations
        from .keyring import keyring_from_settings
        from .settings import S3Settings, VaultSettings

        vs = vault_settings or VaultSettings.from_env()
        engine = make_engine(vs.database_url)
        if migrate:
            run_migrations(engine)
        return cls(
            ObjectStore(s3_settings or S3Settings.from_env()),
            keyring_from_settings(vs),
            KeyStore(engine),
            vs.bucket,
        )

    def ensure_bucket(self, *, object_lock: bool = True) -> None:
        """Create the vault bucket (versioned; with object lock unless told otherwise)."""
        self.store.create_bucket(self.bucket, object_lock=object_lock, versioning=True)

    # -- helpers ------------------------------------------------------------------------
    def _ref(self, ref: RefLike) -> ObjectRef:
        if isinstance(ref, StoredObject):
            return ref.ref
        if isinstance(ref, ObjectRef):
            return ref
        if isinstance(ref, str):
            return ObjectRef(self.bucket, ref)
        raise TypeError(f"not an object reference: {ref!r}")

    @staticmethod
    def validate(recording_id: str, kind: str) -> None:
        if kind not in KINDS:
            raise BadInputError(f"object kind {kind!r} is not one of {KINDS}")
        if not isinstance(recording_id, str) or not _RECORDING_ID.fullmatch(recording_id):
            raise BadInputError(
                f"recording id {recording_id!r} must be 1-200 characters of letters, digits, "
                "'.', '_', ':' or '-', starting with a letter or digit"
            )

    def _data_key(self, record: DataKeyRecord) -> bytes:
        if record.wrapped is None or record.kek_id is None:
            when = record.shredded_at.isoformat() if record.shredded_at else "unknown time"
            raise NotFoundError(
                f"object {record.bucket}/{record.object_key} is shredded: its data key "
                f"{record.key_id} was destroyed at {when}"
            )
        ctx = record_wrap_context(record)
        try:
            return self.keyring.unwrap(record.kek_id, record.wrapped, ctx)
        except NotFoundError:
            raise CryptoError(
                f"key-encryption key {record.kek_id!r} is not available in the keyring"
            ) from None

    def _record_for(self, ref: ObjectRef, header: Header) -> DataKeyRecord:
        try:
            record = self.keystore.get(header.key_id)
        except NotFoundError:
            raise CryptoError(
                f"no data key for object {ref.bucket}/{ref.key} in the key store"
            ) from None
        if (record.bucket, record.object_key) != (ref.bucket, ref.key) or (
            record.format_version != header.version
        ):
            raise CryptoError()
        return record

    # -- seal -----------------------------------------------------------------------------
    def put(
        self,
        recording_id: str,
        kind: str,
        src: BinaryIO | Path | str | bytes,
        *,
        key: str | None = None,
        retain_until: datetime | None = None,
        lock_mode: str = "COMPLIANCE",
        legal_hold: bool = False,
        if_none_match: bool = False,
    ) -> StoredObject:
        """Encrypt ``src`` (a readable binary file, a path or bytes) and store it, streaming.

        ``key`` defaults to ``<recording_id>/<kind>/<key id>``. ``retain_until`` and
        ``legal_hold`` set object lock on the new version (the bucket must have it).
        ``if_none_match`` refuses to overwrite an existing key (:class:`ConflictError`)."""
        self.validate(recording_id, kind)
        key_id = Header.new_key_id()
        key = key or f"{recording_id}/{kind}/{key_id}"
        data_key = crypto.new_data_key()
        kek_id = self.keyring.primary_id
        wrapped = self.keyring.wrap(
            kek_id,
            data_key,
            wrap_context(
                key_id=key_id, recording_id=recording_id, kind=kind, bucket=self.bucket, key=key
            ),
        )
        self.keystore.add(
            DataKeyRecord(
                key_id=key_id,
                recording_id=recording_id,
                kind=kind,
                bucket=self.bucket,
                object_key=key,
                format_version=FORMAT_VERSION,
                kek_id=kek_id,
                wrapped=wrapped,
                created_at=self.now(),
            )
        )
        header = Header(key_id=key_id)
        ad = associated_data(
            version=header.version,
            recording_id=recording_id,
            kind=kind,
            bucket=self.bucket,
            key=key,
            key_id=key_id,
        )
        writer = self.store.writer(
            self.bucket,
            key,
            if_none_match=if_none_match,
            retain_until=retain_until,
            lock_mode=lock_mode,
            legal_hold=legal_hold,
            sha256=True,
        )
        plain_size = 0
        try:
            writer.write(header.encode())
            enc = crypto.encrypting_stream(data_key, writer, ad)  # type: ignore[arg-type]
            with _source(src) as fh:
                while chunk := fh.read(_CHUNK):
                    enc.write(chunk)
                    plain_size += len(chunk)
            enc.close()
            result = writer.commit()
        except BaseException:
            writer.abort()
            with contextlib.suppress(Exception):
                self.keystore.remove(key_id)
            raise
        digest = writer.hexdigest or ""
        self.keystore.finish(
            key_id, plaintext_size=plain_size, stored_size=writer.size, sha256=digest
        )
        return StoredObject(
            bucket=self.bucket,
            key=key,
            version_id=result.version_id,
            recording_id=recording_id,
            kind=kind,
            key_id=key_id,
            kek_id=kek_id,
            size=plain_size,
            stored_size=writer.size,
            sha256=digest,
            retain_until=retain_until,
            legal_hold=legal_hold,
        )

    # -- head / delete --------------------------------------------------------------------
    def head(self, ref: RefLike) -> ObjectStatus:
        """Object metadata and key state, without decrypting anything."""
        r = self._ref(ref)
        info = self.store.head(r.bucket, r.key, version_id=r.version_id)
        raw = self.store.get_range(
            r.bucket, r.key, 0, HEADER_SIZE - 1, version_id=info.version_id or r.version_id
        )
        header = Header.decode(raw)
        common = dict(
            bucket=r.bucket,
            key=r.key,
            version_id=info.version_id,
            key_id=header.key_id,
            stored_size=info.size,
            lock_mode=info.lock_mode,
            retain_until=info.retain_until,
            legal_hold=info.legal_hold,
        )
        try:
            rec = self.keystore.get(header.key_id)
        except NotFoundError:
            return ObjectStatus(state="missing_key", **common)
        return ObjectStatus(
            state="shredded" if rec.shredded else "readable",
            recording_id=rec.recording_id,
            kind=rec.kind,
            kek_id=rec.kek_id,
            size=rec.plaintext_size,
            shredded_at=rec.shredded_at,
            **common,
        )

    def delete(self, ref: RefLike, *, bypass_governance: bool = False) -> None:
        """Delete the object (or the given version). The data key stays: to make every copy
        unreadable, :meth:`shred` it. A locked version raises :class:`PermissionDenied`."""
        r = self._ref(ref)
        self.store.delete(
            r.bucket, r.key, version_id=r.version_id, bypass_governance=bypass_governance
        )
