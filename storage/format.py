"""The small versioned header in front of every vault object, and the associated data.

Layout of a stored object (format version 1)::

    b"RVLT" | version (1 byte) | data key id (16 bytes) | Tink streaming-AEAD ciphertext

Why so little: the header only has to say *how* to open the rest. The data key id finds the
wrapped key in the key store; everything else that identifies the object (recording id,
kind, bucket, key) is bound through the associated data, so it need not be stored here and
cannot be changed without the open failing. The version and the key id are part of the
associated data too, so the header cannot be edited either.

An unknown version is a :class:`~redactor.errors.CryptoError` that names the version: a
newer writer's object must fail clearly, never be read as version 1.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from redactor.errors import CryptoError

__all__ = [
    "MAGIC",
    "FORMAT_VERSION",
    "SUPPORTED_VERSIONS",
    "HEADER_SIZE",
    "Header",
    "associated_data",
    "wrap_context",
    "record_wrap_context",
]

MAGIC = b"RVLT"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
HEADER_SIZE = len(MAGIC) + 1 + 16
_AD_DOMAIN = b"redactor-vault-object"


@dataclass(frozen=True)
class Header:
    """``key_id`` is the 32-hex-digit id of the object's data key in the key store."""

    key_id: str
    version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        try:
            raw = bytes.fromhex(self.key_id)
        except ValueError:
            raise CryptoError(f"vault key id {self.key_id!r} is not hexadecimal") from None
        if len(raw) != 16:
            raise CryptoError(f"vault key id {self.key_id!r} is not 16 bytes")
        if not 0 <= self.version <= 255:
            raise CryptoError(f"vault format version {self.version} is out of range")

    @staticmethod
    def new_key_id() -> str:
        return uuid.uuid4().hex

    def encode(self) -> bytes:
        return MAGIC + bytes([self.version]) + bytes.fromhex(self.key_id)

    @classmethod
    def decode(cls, data: bytes) -> Header:
        """Parse the first :data:`HEADER_SIZE` bytes; anything else is a clear CryptoError."""
        if len(data) < HEADER_SIZE:
            raise CryptoError("vault object is truncated: no complete header")
        if data[: len(MAGIC)] != MAGIC:
            raise CryptoError("not a vault object: bad magic bytes")
        version = data[len(MAGIC)]
        if version not in SUPPORTED_VERSIONS:
            raise CryptoError(
                f"unknown vault format version {version} (this build reads {SUPPORTED_VERSIONS})"
            )
        return cls(key_id=data[len(MAGIC) + 1 : HEADER_SIZE].hex(), version=version)


def _field(value: str | int) -> bytes:
    raw = str(value).encode("utf-8")
    return len(raw).to_bytes(4, "big") + raw


def associated_data(
    *, version: int, recording_id: str, kind: str, bucket: str, key: str, key_id: str
) -> bytes:
    """Canonical, unambiguous associated data binding a ciphertext to its object identity.

    Length-prefixed fields, so ``("ab", "c")`` and ``("a", "bc")`` never collide. A ciphertext
    moved to another bucket or key, or relabelled to another recording or kind, fails to open.
    """
    return _AD_DOMAIN + b"".join(
        _field(v) for v in (version, recording_id, kind, bucket, key, key_id)
    )


def wrap_context(*, key_id: str, recording_id: str, kind: str, bucket: str, key: str) -> bytes:
    """Context bound to a *wrapped data key*: a wrapped key copied to another key-store row
    does not unwrap."""
    return b"redactor-vault-dek" + b"".join(
        _field(v) for v in (key_id, recording_id, kind, bucket, key)
    )


def record_wrap_context(record) -> bytes:  # noqa: ANN001 - a key-store row (DataKeyRecord)
    """:func:`wrap_context` of a key-store row: the context its data key was wrapped under."""
    return wrap_context(
        key_id=record.key_id,
        recording_id=record.recording_id,
        kind=record.kind,
        bucket=record.bucket,
        key=record.object_key,
    )
