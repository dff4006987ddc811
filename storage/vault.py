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
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from redactor.errors import (
    BadInputError,
    ConflictError,
    CryptoError,
    NotFoundError,
    StorageError,
)

from . import crypto
from .format import FORMAT_VERSION, HEADER_SIZE, Header, associated_data, wrap_context
from .keyring import Keyring
from .keystore import DataKeyRecord, KeyStore
from .objectstore import ObjectStore

__all__ = [
    "KINDS",
    "Vault",
    "ObjectRef",
    "StoredObject",
    "ObjectStatus",
    "RotationReport",
]

KINDS = ("audio", "transcript", "report", "quarantine")
STATES = ("readable", "shredded", "missing_key")
_RECORDING_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ObjectRef:
    """Where a vault object lives. ``version_id=None`` means the latest version."""

    bucket: str
    key: str
    version_id: str | None = None


@dataclass(frozen=True)
class StoredObject:
    """What :meth:`Vault.put` stored. ``size`` is the plaintext size, ``stored_size`` and
    ``sha256`` describe the bytes in the bucket (header + ciphertext)."""

    bucket: str
    key: str
    version_id: str | None
    recording_id: str
    kind: str
    key_id: str
    kek_id: str
    size: int
    stored_size: int
    sha256: str
    retain_until: datetime | None = None
    legal_hold: bool = False

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.bucket, self.key, self.version_id)


@dataclass(frozen=True)
class ObjectStatus:
    """:meth:`Vault.head`: ``state`` is ``readable``, ``shredded`` or ``missing_key``."""

    bucket: str
    key: str
    version_id: str | None
    state: str
    key_id: str
    recording_id: str | None = None
    kind: str | None = None
    kek_id: str | None = None
    size: int | None = None
    stored_size: int | None = None
    shredded_at: datetime | None = None
    lock_mode: str | None = None
    retain_until: datetime | None = None
    legal_hold: bool = False


@dataclass(frozen=True)
class RotationReport:
    """``remaining`` counts live keys still under another KEK (0 = rotation complete)."""

    kek_id: str
    rewrapped: int
    remaining: int
    failed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.remaining == 0


RefLike = ObjectRef | StoredObject | str


def _read_exactly(src: Any, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = src.read(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


class Vault:
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
        ctx = wrap_context(
            key_id=record.key_id,
            recording_id=record.recording_id,
            kind=record.kind,
            bucket=record.bucket,
            key=record.object_key,
        )
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

    # -- open -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def reader(self, ref: RefLike) -> Iterator[BinaryIO]:
        """A readable stream of verified plaintext (use as a context manager).

        Each segment is authenticated before its bytes are returned; truncation or
        tampering raises :class:`CryptoError` at the read that reaches it."""
        r = self._ref(ref)
        body = self.store.get_stream(r.bucket, r.key, version_id=r.version_id)
        try:
            header = Header.decode(_read_exactly(body, HEADER_SIZE))
            record = self._record_for(r, header)
            data_key = self._data_key(record)
            ad = associated_data(
                version=header.version,
                recording_id=record.recording_id,
                kind=record.kind,
                bucket=r.bucket,
                key=r.key,
                key_id=header.key_id,
            )
            stream = crypto.decrypting_stream(data_key, body, ad)  # type: ignore[arg-type]
            try:
                yield stream
            finally:
                stream.close()
        finally:
            body.close()

    def open(self, ref: RefLike, *, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """Verified plaintext chunks. Header, key and shredding are checked *now*; tampering
        further in raises :class:`CryptoError` while iterating."""
        cm = self.reader(ref)
        stream = cm.__enter__()

        def chunks() -> Iterator[bytes]:
            try:
                while chunk := stream.read(chunk_size):
                    yield chunk
            except BaseException as exc:
                cm.__exit__(type(exc), exc, exc.__traceback__)
                raise
            else:
                cm.__exit__(None, None, None)

        return chunks()

    def get_to(self, ref: RefLike, dst: IO[bytes] | Path | str) -> int:
        """Decrypt into a path or an open binary file; returns the plaintext size.

        A path is written to ``<path>.part`` and renamed only after the last segment
        verified, so a failed open never leaves a file. An open file receives verified
        segments as they come: on error it may hold a verified prefix."""
        if isinstance(dst, str | Path):
            path = Path(dst)
            tmp = path.with_name(path.name + ".part")
            try:
                with open(tmp, "wb") as fh:
                    n = self.get_to(ref, fh)
                os.replace(tmp, path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            return n
        n = 0
        with self.reader(ref) as stream:
            while chunk := stream.read(_CHUNK):
                dst.write(chunk)
                n += len(chunk)
        return n

    def get_bytes(self, ref: RefLike) -> bytes:
        """The whole plaintext in memory: for transcripts and reports, not audio."""
        with self.reader(ref) as stream:
            return stream.read()

    def verify(self, ref: RefLike) -> ObjectStatus:
        """Read and authenticate every segment without keeping the plaintext: proves the
        object intact (raises :class:`CryptoError` otherwise)."""
        with self.reader(ref) as stream:
            while stream.read(_CHUNK):
                pass
        return self.head(ref)

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
                ctx = wrap_context(
                    key_id=rec.key_id,
                    recording_id=rec.recording_id,
                    kind=rec.kind,
                    bucket=rec.bucket,
                    key=rec.object_key,
                )
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


@contextlib.contextmanager
def _source(src: BinaryIO | Path | str | bytes) -> Iterator[Any]:
    import io

    if isinstance(src, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(src))
    elif isinstance(src, str | Path):
        try:
            fh = open(src, "rb")  # noqa: SIM115
        except FileNotFoundError:
            raise BadInputError(f"input file {src} does not exist") from None
        with fh:
            yield fh
    else:
        yield src
