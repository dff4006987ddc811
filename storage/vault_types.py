"""The vault's values: object kinds and references, what a put returns, status, rotation.

Why a module of its own: the catalog, DSAR, the workers and the API pass these values around
without needing the vault's machinery; :mod:`storage.vault` re-exports them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from redactor.errors import BadInputError

__all__ = [
    "KINDS",
    "STATES",
    "ObjectRef",
    "StoredObject",
    "ObjectStatus",
    "RotationReport",
    "RefLike",
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
