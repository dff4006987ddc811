"""The one module allowed to touch cryptographic primitives.

Why one module: every other module handles bytes it cannot misuse. Content encryption is
Tink's streaming AEAD (AES-256-GCM-HKDF, 1 MB segments): segments cannot be reordered,
dropped or cut off, and a plaintext segment is released only after its tag verifies. Key
wrapping (AES-256-GCM), HMAC-SHA256 and Ed25519 come from ``cryptography``.

Every failure raises :class:`~redactor.errors.CryptoError` with no detail: a wrong key, a
flipped byte, a truncated stream and swapped associated data all look the same to a caller.
The one exception is an error of the underlying *source or sink* (a dropped connection),
which is re-raised as it is, so a network failure is not mistaken for tampering.

Segment geometry (for tests at the boundaries): the ciphertext starts with a
:data:`STREAM_HEADER_SIZE`-byte header; the first segment holds
:data:`FIRST_SEGMENT_PLAINTEXT` bytes of plaintext, every other one
:data:`SEGMENT_PLAINTEXT`; each segment adds a :data:`TAG_SIZE`-byte tag.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac as _hmac
import io
import os
import threading
from typing import BinaryIO

from redactor.errors import CryptoError

__all__ = [
    "SEGMENT_SIZE",
    "STREAM_HEADER_SIZE",
    "TAG_SIZE",
    "FIRST_SEGMENT_PLAINTEXT",
    "SEGMENT_PLAINTEXT",
    "ciphertext_size",
    "new_data_key",
    "encrypting_stream",
    "decrypting_stream",
    "random_bytes",
    "new_kek",
    "wrap_key",
    "unwrap_key",
    "hmac_sha256",
    "hmac_verify",
    "ed25519_generate",
    "ed25519_public_key",
    "ed25519_sign",
    "ed25519_verify",
]

SEGMENT_SIZE = 1 << 20  # ciphertext segment size of AES256_GCM_HKDF_1MB
STREAM_HEADER_SIZE = 40  # 1 length byte + 32-byte salt + 7-byte nonce prefix
TAG_SIZE = 16
FIRST_SEGMENT_PLAINTEXT = SEGMENT_SIZE - STREAM_HEADER_SIZE - TAG_SIZE  # 1_048_520
SEGMENT_PLAINTEXT = SEGMENT_SIZE - TAG_SIZE  # 1_048_560
KEK_SIZE = 32
_NONCE = 12

_tink_lock = threading.Lock()
_tink_ready = False


def _tink():
    """Import and register Tink lazily (it is slow to import and must not load at import)."""
    global _tink_ready
    import tink
    from tink import streaming_aead

    if not _tink_ready:
        with _tink_lock:
            if not _tink_ready:
                streaming_aead.register()
                _tink_ready = True
    return tink, streaming_aead


def ciphertext_size(plaintext_size: int) -> int:
    """Exact size of the Tink ciphertext for ``plaintext_size`` bytes of plaintext."""
    if plaintext_size <= FIRST_SEGMENT_PLAINTEXT:
        segments = 1
    else:
        rest = plaintext_size - FIRST_SEGMENT_PLAINTEXT
        segments = 1 + -(-rest // SEGMENT_PLAINTEXT)
    return STREAM_HEADER_SIZE + plaintext_size + segments * TAG_SIZE


# -- streaming AEAD (content) --------------------------------------------------------------
def new_data_key() -> bytes:
    """A fresh data key: a serialized Tink keyset (AES256_GCM_HKDF_1MB). Secret material."""
    tink, streaming_aead = _tink()
    from tink import secret_key_access

    handle = tink.new_keyset_handle(streaming_aead.streaming_aead_key_templates.AES256_GCM_HKDF_1MB)
    return tink.proto_keyset_format.serialize(handle, secret_key_access.TOKEN)


def _primitive(data_key: bytes):
    tink, streaming_aead = _tink()
    from tink import secret_key_access

    try:
        handle = tink.proto_keyset_format.parse(data_key, secret_key_access.TOKEN)
        return handle.primitive(streaming_aead.StreamingAead)
    except Exception:  # noqa: BLE001 - opaque on purpose
        raise CryptoError() from None


class _Guard:
    """Wraps a source/sink and remembers its own exceptions, so they are not reported as
    crypto failures when Tink turns them into a generic error."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.error: BaseException | None = None
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        try:
            return self.inner.read(size)
        except BaseException as exc:
            self.error = exc
            raise

    def write(self, data) -> int:
        try:
            n = self.inner.write(data)
            return len(data) if n is None else n
        except BaseException as exc:
            self.error = exc
            raise

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        # Closing Tink's stream closes its destination; the owner closes the real sink.
        self.closed = True


class _EncryptingWriter(io.RawIOBase):
    """Plaintext goes in; ciphertext goes to the sink. ``close()`` writes the final segment."""

    def __init__(self, inner: BinaryIO, guard: _Guard) -> None:
        self._inner = inner
        self._guard = guard

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            self._inner.write(data)
        except Exception as exc:
            if self._guard.error is not None:
                raise self._guard.error from None
            raise CryptoError() from exc.__cause__
        return len(data)

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._inner.close()
        except Exception:
            if self._guard.error is not None:
                raise self._guard.error from None
            raise CryptoError() from None
        finally:
            super().close()


class _DecryptingReader(io.RawIOBase):
    """Ciphertext comes from the source; only authenticated plaintext comes out."""

    def __init__(self, inner: BinaryIO, guard: _Guard) -> None:
        self._inner = inner
        self._guard = guard

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._inner.read(len(buffer))
        except Exception:
            if self._guard.error is not None:
                raise self._guard.error from None
            raise CryptoError() from None
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        if self.closed:
            return
        with contextlib.suppress(Exception):
            self._inner.close()
        super().close()


def encrypting_stream(data_key: bytes, sink: BinaryIO, associated_data: bytes) -> BinaryIO:
    """A writable stream: write plaintext, ``close()`` to finish. Ciphertext goes to ``sink``,
    which is *not* closed (its owner decides between complete and abort)."""
    primitive = _primitive(data_key)
    guard = _Guard(sink)
    try:
        inner = primitive.new_encrypting_stream(guard, associated_data)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None
    return _EncryptingWriter(inner, guard)  # type: ignore[return-value]


def decrypting_stream(data_key: bytes, source: BinaryIO, associated_data: bytes) -> BinaryIO:
    """A readable stream of authenticated plaintext. A wrong key, tampering, truncation or
    other associated data raise :class:`CryptoError` on read, before any bad byte is
    returned."""
    primitive = _primitive(data_key)
    guard = _Guard(source)
    try:
        inner = primitive.new_decrypting_stream(guard, associated_data)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None
    return io.BufferedReader(_DecryptingReader(inner, guard), buffer_size=SEGMENT_SIZE)  # type: ignore[return-value]


# -- key wrapping (local key-encryption keys) ----------------------------------------------
def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def new_kek() -> bytes:
    """A fresh 256-bit key-encryption key."""
    return os.urandom(KEK_SIZE)


def wrap_key(kek: bytes, data_key: bytes, context: bytes) -> bytes:
    """AES-256-GCM-encrypt ``data_key`` under ``kek``; ``context`` binds it to its owner."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(kek) != KEK_SIZE:
        raise CryptoError()
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, context)


def unwrap_key(kek: bytes, wrapped: bytes, context: bytes) -> bytes:
    """Inverse of :func:`wrap_key`; any mismatch raises :class:`CryptoError`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(kek) != KEK_SIZE or len(wrapped) < _NONCE + TAG_SIZE:
        raise CryptoError()
    try:
        return AESGCM(kek).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], context)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None


# -- MAC -----------------------------------------------------------------------------------
def hmac_sha256(key: bytes, message: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as chmac

    mac = chmac.HMAC(key, hashes.SHA256())
    mac.update(message)
    return mac.finalize()


def hmac_verify(key: bytes, message: bytes, tag: bytes) -> None:
    """Constant-time check; raises :class:`CryptoError` on mismatch."""
    if not _hmac.compare_digest(hmac_sha256(key, message), tag):
        raise CryptoError()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# -- Ed25519 (signed checkpoints of the access log) ----------------------------------------
def ed25519_generate() -> tuple[bytes, bytes]:
    """A new signing key pair as raw bytes: ``(private_32, public_32)``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, public


def ed25519_public_key(private: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = Ed25519PrivateKey.from_private_bytes(private)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ed25519_sign(private: bytes, message: bytes) -> bytes:
    """A 64-byte signature of ``message`` with the raw 32-byte private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        return Ed25519PrivateKey.from_private_bytes(private).sign(message)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> None:
    """Returns if the signature is valid; raises :class:`CryptoError` otherwise."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except Exception:  # noqa: BLE001
        raise CryptoError() from None
