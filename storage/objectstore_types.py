"""Values and error translation shared by the object store and its streaming writer.

Why a module of its own: :mod:`storage.objectstore` (the operations) and
:mod:`storage.objectstore_writer` (multipart uploads) both hand out these values and both
turn botocore exceptions into our errors the same way (``NotFoundError``, ``ConflictError``,
``PermissionDenied``, ``StorageError``), whatever the S3 implementation's error codes.
Import the public names from :mod:`storage.objectstore`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from redactor.errors import ConflictError, NotFoundError, PermissionDenied, StorageError

__all__ = ["LOCK_MODES", "PutResult", "ObjectInfo", "ListPage"]

LOCK_MODES = ("COMPLIANCE", "GOVERNANCE")
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class PutResult:
    bucket: str
    key: str
    version_id: str | None
    etag: str | None
    size: int


@dataclass(frozen=True)
class ObjectInfo:
    """What ``head`` and ``list`` know about one object (or one version of it)."""

    bucket: str
    key: str
    size: int
    etag: str | None = None
    version_id: str | None = None
    last_modified: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    lock_mode: str | None = None
    retain_until: datetime | None = None
    legal_hold: bool = False
    is_latest: bool = True
    delete_marker: bool = False


@dataclass(frozen=True)
class ListPage:
    """One page of a listing. Pass ``cursor`` back to get the next page; ``None`` = done."""

    items: list[ObjectInfo]
    cursor: str | None


def _code(exc: Exception) -> tuple[str, int]:
    resp = getattr(exc, "response", None) or {}
    err = resp.get("Error", {})
    status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return str(err.get("Code", "")), int(status or 0)


def _translate(exc: Exception, what: str) -> Exception:
    """Map a botocore exception to one of our errors, naming the object."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        code, status = _code(exc)
        if code in ("NoSuchKey", "NoSuchVersion", "404", "NotFound") or status == 404:
            if code == "NoSuchBucket":
                return NotFoundError(f"bucket of {what} does not exist")
            return NotFoundError(f"{what} does not exist")
        if code == "NoSuchBucket":
            return NotFoundError(f"bucket of {what} does not exist")
        if code in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412):
            if code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                return ConflictError(f"{what} already exists")
            return ConflictError(f"{what} already exists or changed concurrently ({code})")
        if code in ("AccessDenied", "ObjectLocked", "InvalidRequest") or status == 403:
            return PermissionDenied(f"{what}: the store refused ({code or status})")
        return StorageError(f"{what}: S3 error {code or status}: {exc}")
    if isinstance(exc, BotoCoreError):
        return StorageError(f"{what}: S3 unreachable or failed: {exc}")
    return exc


def _head_to_info(bucket: str, key: str, resp: dict[str, Any]) -> ObjectInfo:
    return ObjectInfo(
        bucket=bucket,
        key=key,
        size=int(resp.get("ContentLength", 0)),
        etag=(resp.get("ETag") or "").strip('"') or None,
        version_id=resp.get("VersionId"),
        last_modified=resp.get("LastModified"),
        metadata=dict(resp.get("Metadata") or {}),
        lock_mode=resp.get("ObjectLockMode"),
        retain_until=resp.get("ObjectLockRetainUntilDate"),
        legal_hold=resp.get("ObjectLockLegalHoldStatus") == "ON",
    )


class _Body:
    """A botocore StreamingBody as a closeable binary file with our errors."""

    def __init__(self, body: Any, what: str) -> None:
        self._body = body
        self._what = what

    def read(self, size: int | None = -1) -> bytes:
        try:
            if size is None or size < 0:
                return self._body.read()
            return self._body.read(size)
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc, self._what) if not isinstance(exc, StorageError) else exc from exc

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._body.close()

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _chunks(src: bytes | BinaryIO | Path | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(src, bytes | bytearray | memoryview):
        yield bytes(src)
    elif isinstance(src, Path | str):
        with open(src, "rb") as fh:
            while chunk := fh.read(_COPY_CHUNK):
                yield chunk
    elif hasattr(src, "read"):
        while chunk := src.read(_COPY_CHUNK):  # type: ignore[union-attr]
            yield chunk
    else:
        yield from src  # type: ignore[misc]
