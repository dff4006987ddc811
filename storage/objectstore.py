"""A small, streaming object store over boto3 for any S3-compatible endpoint.

Why a wrapper and not boto3 directly: callers get our errors (``NotFoundError``,
``ConflictError``, ``PermissionDenied``, ``StorageError``) instead of ``ClientError`` codes
that differ between AWS, MinIO, SeaweedFS and Ceph, and every transfer streams. Uploads go
through :class:`ObjectWriter`, a writable file object that sends ``part_size`` parts with at
most ``concurrency`` in flight, so a 2 GB recording never sits whole in memory; an upload
that fails or is interrupted is aborted, and S3 never shows a half-written object because a
multipart object becomes visible only on ``CompleteMultipartUpload``.

Split by job: the operations are here, the writer in :mod:`storage.objectstore_writer`, the
values and error translation in :mod:`storage.objectstore_types`; import them all from here.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from redactor.errors import ConflictError, NotFoundError, PermissionDenied, StorageError

from .objectstore_types import (
    _COPY_CHUNK,
    LOCK_MODES,
    ListPage,
    ObjectInfo,
    PutResult,
    _Body,
    _chunks,
    _head_to_info,
    _translate,
)
from .objectstore_writer import ObjectWriter
from .settings import S3Settings

__all__ = [
    "ObjectStore",
    "ObjectWriter",
    "ObjectInfo",
    "PutResult",
    "ListPage",
    "LOCK_MODES",
]


class ObjectStore:
    """S3 operations on any bucket of one endpoint. Thread-safe (boto3 clients are)."""

    def __init__(self, settings: S3Settings | None = None, *, client: Any = None) -> None:
        self.settings = settings or S3Settings.from_env()
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 S3 client, built lazily from the settings."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self) -> Any:
        import boto3
        from botocore.config import Config

        s = self.settings
        config = Config(
            region_name=s.region,
            s3={"addressing_style": s.addressing_style},
            connect_timeout=s.connect_timeout,
            read_timeout=s.read_timeout,
            retries={"max_attempts": s.max_attempts, "mode": "standard"},
            max_pool_connections=max(10, s.concurrency * 2 + 2),
        )
        return boto3.session.Session().client(
            "s3",
            endpoint_url=s.endpoint_url,
            aws_access_key_id=s.access_key,
            aws_secret_access_key=s.secret_key,
            aws_session_token=s.session_token,
            verify=s.verify_tls,
            config=config,
        )

    def _call(self, what: str, fn, **kwargs):
        try:
            return fn(**kwargs)
        except Exception as exc:  # noqa: BLE001 - translated below
            translated = _translate(exc, what)
            if translated is exc:
                raise
            raise translated from exc

    # -- buckets ----------------------------------------------------------------------------
    def create_bucket(
        self, bucket: str, *, object_lock: bool = False, versioning: bool = False
    ) -> None:
        """Create ``bucket`` if missing (idempotent). ``object_lock=True`` can only be chosen
        at creation and implies versioning."""
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if object_lock:
            kwargs["ObjectLockEnabledForBucket"] = True
        if self.settings.region and self.settings.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.settings.region}
        with contextlib.suppress(ConflictError):
            self._call(f"bucket {bucket!r}", self.client.create_bucket, **kwargs)
        if versioning and not object_lock:
            self._call(
                f"bucket {bucket!r}",
                self.client.put_bucket_versioning,
                Bucket=bucket,
                VersioningConfiguration={"Status": "Enabled"},
            )

    def bucket_exists(self, bucket: str) -> bool:
        try:
            self._call(f"bucket {bucket!r}", self.client.head_bucket, Bucket=bucket)
        except NotFoundError:
            return False
        return True

    def object_lock_enabled(self, bucket: str) -> bool:
        """True if ``bucket`` was created with object lock."""
        try:
            resp = self.client.get_object_lock_configuration(Bucket=bucket)
        except Exception:  # noqa: BLE001 - absent configuration is an error code on most servers
            return False
        return resp.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"

    # -- writes -----------------------------------------------------------------------------
    def writer(
        self,
        bucket: str,
        key: str,
        *,
        if_none_match: bool = False,
        metadata: dict[str, str] | None = None,
        content_type: str = "application/octet-stream",
        retain_until: datetime | None = None,
        lock_mode: str = "COMPLIANCE",
        legal_hold: bool = False,
        sha256: bool = False,
    ) -> ObjectWriter:
        """A writable file object for ``bucket/key``; ``commit()`` publishes, ``abort()``
        discards. Use it as a context manager: an exception inside aborts. ``sha256=True``
        computes the digest of the stored bytes (``writer.hexdigest`` after commit)."""
        if lock_mode not in LOCK_MODES:
            raise ValueError(f"lock mode {lock_mode!r} is not one of {LOCK_MODES}")
        extra: dict[str, Any] = {"ContentType": content_type}
        if metadata:
            extra["Metadata"] = dict(metadata)
        if retain_until is not None:
            extra["ObjectLockMode"] = lock_mode
            extra["ObjectLockRetainUntilDate"] = retain_until
        if legal_hold:
            extra["ObjectLockLegalHoldStatus"] = "ON"
        return ObjectWriter(
            self, bucket, key, extra=extra, if_none_match=if_none_match, sha256=sha256
        )

    def put(
        self,
        bucket: str,
        key: str,
        src: bytes | BinaryIO | Path | Iterable[bytes],
        **options: Any,
    ) -> PutResult:
        """Upload bytes, a readable file object, a path or an iterable of chunks, streaming.

        Options are those of :meth:`writer` (``if_none_match``, ``metadata``,
        ``retain_until``, ``lock_mode``, ``legal_hold``, ``content_type``).
        ``if_none_match=True`` raises :class:`ConflictError` if the key exists (claims)."""
        with self.writer(bucket, key, **options) as w:
            for chunk in _chunks(src):
                w.write(chunk)
        assert w.result is not None
        return w.result

    # -- reads ------------------------------------------------------------------------------
    def get_stream(self, bucket: str, key: str, *, version_id: str | None = None) -> BinaryIO:
        """A readable stream of the object's bytes. Close it (or use ``with``) when done."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        resp = self._call(f"object {bucket}/{key}", self.client.get_object, **kwargs)
        return _Body(resp["Body"], f"object {bucket}/{key}")  # type: ignore[return-value]

    def get_range(
        self, bucket: str, key: str, start: int, end: int, *, version_id: str | None = None
    ) -> bytes:
        """Bytes ``start..end`` inclusive (fewer if the object is shorter)."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key, "Range": f"bytes={start}-{end}"}
        if version_id:
            kwargs["VersionId"] = version_id
        try:
            resp = self._call(f"object {bucket}/{key}", self.client.get_object, **kwargs)
        except PermissionDenied:
            raise
        except StorageError as exc:
            if "InvalidRange" in str(exc):  # empty object
                return b""
            raise
        with _Body(resp["Body"], f"object {bucket}/{key}") as body:
            return body.read()

    def get_bytes(self, bucket: str, key: str, *, version_id: str | None = None) -> bytes:
        with self.get_stream(bucket, key, version_id=version_id) as body:
            return body.read()

    def download_to(
        self, bucket: str, key: str, dst: IO[bytes], *, version_id: str | None = None
    ) -> int:
        """Copy the object into an open binary file; returns the byte count."""
        n = 0
        with self.get_stream(bucket, key, version_id=version_id) as body:
            while chunk := body.read(_COPY_CHUNK):
                dst.write(chunk)
                n += len(chunk)
        return n

    def head(self, bucket: str, key: str, *, version_id: str | None = None) -> ObjectInfo:
        """Metadata of an object; :class:`NotFoundError` if it does not exist."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        resp = self._call(f"object {bucket}/{key}", self.client.head_object, **kwargs)
        return _head_to_info(bucket, key, resp)

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.head(bucket, key)
        except NotFoundError:
            return False
        return True

    def list(
        self, bucket: str, prefix: str = "", *, cursor: str | None = None, limit: int = 1000
    ) -> ListPage:
        """One page of keys under ``prefix`` in key order; resume with the returned cursor."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": limit}
        if cursor:
            kwargs["ContinuationToken"] = cursor
        resp = self._call(f"bucket {bucket!r}", self.client.list_objects_v2, **kwargs)
        items = [
            ObjectInfo(
                bucket=bucket,
                key=o["Key"],
                size=int(o.get("Size", 0)),
                etag=(o.get("ETag") or "").strip('"') or None,
                last_modified=o.get("LastModified"),
            )
            for o in resp.get("Contents", [])
        ]
        nxt = resp.get("NextContinuationToken") if resp.get("IsTruncated") else None
        return ListPage(items=items, cursor=nxt)

    def iter_objects(self, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]:
        cursor = None
        while True:
            page = self.list(bucket, prefix, cursor=cursor)
            yield from page.items
            if page.cursor is None:
                return
            cursor = page.cursor

    def list_versions(self, bucket: str, prefix: str = "") -> list[ObjectInfo]:
        """Every version and delete marker under ``prefix`` (versioned buckets)."""
        out: list[ObjectInfo] = []
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
        while True:
            resp = self._call(f"bucket {bucket!r}", self.client.list_object_versions, **kwargs)
            for v in resp.get("Versions", []):
                out.append(
                    ObjectInfo(
                        bucket=bucket,
                        key=v["Key"],
                        size=int(v.get("Size", 0)),
                        etag=(v.get("ETag") or "").strip('"') or None,
                        version_id=v.get("VersionId"),
                        last_modified=v.get("LastModified"),
                        is_latest=bool(v.get("IsLatest")),
                    )
                )
            for m in resp.get("DeleteMarkers", []):
                out.append(
                    ObjectInfo(
                        bucket=bucket,
                        key=m["Key"],
                        size=0,
                        version_id=m.get("VersionId"),
                        last_modified=m.get("LastModified"),
                        is_latest=bool(m.get("IsLatest")),
                        delete_marker=True,
                    )
                )
            if not resp.get("IsTruncated"):
                return out
            kwargs["KeyMarker"] = resp.get("NextKeyMarker")
            kwargs["VersionIdMarker"] = resp.get("NextVersionIdMarker")

    # -- deletes ----------------------------------------------------------------------------
    def delete(
        self,
        bucket: str,
        key: str,
        *,
        version_id: str | None = None,
        bypass_governance: bool = False,
    ) -> str | None:
        """Delete an object (a versioned bucket keeps old versions behind a delete marker) or
        one version. A version under object lock raises :class:`PermissionDenied`.

        Returns the version id of the delete marker the store wrote (``"null"`` when
        versioning is suspended), or None when it wrote none: an unversioned bucket, where
        nothing of the object is left behind to purge."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        if bypass_governance:
            kwargs["BypassGovernanceRetention"] = True
        try:
            resp = self._call(f"object {bucket}/{key}", self.client.delete_object, **kwargs)
        except PermissionDenied as exc:
            raise PermissionDenied(
                f"{exc}; a version under object lock (retain-until) or legal hold cannot be "
                "deleted until the lock expires or the hold is lifted"
            ) from exc
        if version_id is None and (resp.get("DeleteMarker") or resp.get("VersionId")):
            return str(resp.get("VersionId") or "null")
        return None

    def abort_incomplete_uploads(self, bucket: str, prefix: str = "") -> int:
        """Abort every unfinished multipart upload under ``prefix`` (after a crash)."""
        resp = self._call(
            f"bucket {bucket!r}", self.client.list_multipart_uploads, Bucket=bucket, Prefix=prefix
        )
        n = 0
        for up in resp.get("Uploads", []):
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(
                    Bucket=bucket, Key=up["Key"], UploadId=up["UploadId"]
                )
                n += 1
        return n

    # -- object lock ------------------------------------------------------------------------
    def set_retention(
        self,
        bucket: str,
        key: str,
        retain_until: datetime,
        *,
        mode: str = "COMPLIANCE",
        version_id: str | None = None,
    ) -> None:
        """Lock a version until ``retain_until`` (needs a bucket created with object lock)."""
        if mode not in LOCK_MODES:
            raise ValueError(f"lock mode {mode!r} is not one of {LOCK_MODES}")
        kwargs: dict[str, Any] = {
            "Bucket": bucket,
            "Key": key,
            "Retention": {"Mode": mode, "RetainUntilDate": retain_until},
        }
        if version_id:
            kwargs["VersionId"] = version_id
        self._call(f"object {bucket}/{key}", self.client.put_object_retention, **kwargs)

    def set_legal_hold(
        self, bucket: str, key: str, on: bool, *, version_id: str | None = None
    ) -> None:
        kwargs: dict[str, Any] = {
            "Bucket": bucket,
            "Key": key,
            "LegalHold": {"Status": "ON" if on else "OFF"},
        }
        if version_id:
            kwargs["VersionId"] = version_id
        self._call(f"object {bucket}/{key}", self.client.put_object_legal_hold, **kwargs)
