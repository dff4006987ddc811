"""Opening vault objects: verified plaintext as a stream, chunks, a file or bytes.

Why a module of its own: reading is the half of the vault every consumer uses (the API's
player, DSAR export, verification) and whose contract is subtle -- a segment's bytes are
released only after its tag verified, and a path destination is all-or-nothing. It is a
part of :class:`storage.vault.Vault` (mixed in), using its ``store`` and key lookup.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from . import crypto
from .format import HEADER_SIZE, Header, associated_data
from .vault_types import _CHUNK, ObjectStatus, RefLike, _read_exactly

__all__ = ["VaultReadMixin"]


class VaultReadMixin:
    """The read operations of :class:`storage.vault.Vault`."""

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
