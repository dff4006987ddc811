"""A small, streaming object store over boto3 for any S3-compatible endpoint.

Why a wrapper and not boto3 directly: callers get our errors (``NotFoundError``,
``ConflictError``, ``PermissionDenied``, ``StorageError``) instead of ``ClientError`` codes
that differ between AWS, MinIO, SeaweedFS and Ceph, and every transfer streams. Uploads go
through :class:`ObjectWriter`, a writable file object that sends ``part_size`` parts with at
most ``concurrency`` in flight, so a 2 GB recording never sits whole in memory; an upload
that fails or is interrupted is aborted, and S3 never shows a half-written object because a
multipart object becomes visible only on ``CompleteMultipartUpload``.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from redactor.errors import ConflictError, NotFoundError, PermissionDenied, StorageError

from .settings import S3Settings

__all__ = [
    "ObjectStore",
    "ObjectWriter",
    "ObjectInfo",
    "PutResult",
    "ListPage",
    "LOCK_MODES",
]

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
    ) -> None:
        """Delete an object (a versioned bucket keeps old versions behind a delete marker) or
        one version. A version under object lock raises :class:`PermissionDenied`."""
        kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kwargs["VersionId"] = version_id
        if bypass_governance:
            kwargs["BypassGovernanceRetention"] = True
        try:
            self._call(f"object {bucket}/{key}", self.client.delete_object, **kwargs)
        except PermissionDenied as exc:
            raise PermissionDenied(
                f"{exc}; a version under object lock (retain-until) or legal hold cannot be "
                "deleted until the lock expires or the hold is lifted"
            ) from exc

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


class ObjectWriter:
    """Streaming upload of one object.

    Bytes are copied into ``part_size`` buffers taken from a small pool that is reused, so
    a long upload does not churn the allocator. If the object stays smaller than one part it
    goes up as one ``PutObject`` at :meth:`commit`; otherwise as a multipart upload with at
    most ``concurrency`` parts in flight (memory: ``(concurrency + 1) * part_size``).
    :meth:`commit` completes the upload; :meth:`abort` (or an exception inside ``with``)
    aborts it, so no partial object ever becomes visible. With ``sha256=True`` the SHA-256
    of every byte is computed on a helper thread (``hashlib`` releases the GIL) and
    returned in :attr:`hexdigest`.
    """

    def __init__(
        self,
        store: ObjectStore,
        bucket: str,
        key: str,
        *,
        extra: dict[str, Any],
        if_none_match: bool,
        sha256: bool = False,
    ) -> None:
        self.store = store
        self.bucket = bucket
        self.key = key
        self.extra = extra
        self.if_none_match = if_none_match
        self.part_size = store.settings.part_size
        self.size = 0
        self.result: PutResult | None = None
        self.hexdigest: str | None = None
        self.what = f"object {bucket}/{key}"
        self._sha = hashlib.sha256() if sha256 else None
        self._hasher: ThreadPoolExecutor | None = None
        self._last_hash: Future | None = None
        self._pool_limit = store.settings.concurrency + 1
        self._allocated = 0
        self._free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        self._cur: bytearray | None = None
        self._pos = 0
        self._upload_id: str | None = None
        self._parts: list[Future] = []
        self._uploader: ThreadPoolExecutor | None = None
        self._done = False

    # file-object protocol
    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._done

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Closing is not committing: use :meth:`commit` or the context manager."""

    def write(self, data) -> int:
        if self._done:
            raise ValueError(f"write to finished upload of {self.what}")
        view = memoryview(data).cast("B")
        n = len(view)
        while view:
            if self._cur is None:
                self._cur = self._take_buffer()
                self._pos = 0
            take = min(len(view), self.part_size - self._pos)
            self._cur[self._pos : self._pos + take] = view[:take]
            self._pos += take
            view = view[take:]
            if self._pos == self.part_size:
                buf, self._cur = self._cur, None
                self._send_part(buf, self.part_size)
        self.size += n
        return n

    # buffers
    def _take_buffer(self) -> bytearray:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        if self._allocated < self._pool_limit:
            self._allocated += 1
            return bytearray(self.part_size)
        while True:  # every buffer is in flight: wait for one, but notice failures
            self._raise_failed()
            try:
                return self._free.get(timeout=0.5)
            except queue.Empty:
                continue

    def _start(self) -> None:
        resp = self.store._call(
            self.what,
            self.store.client.create_multipart_upload,
            Bucket=self.bucket,
            Key=self.key,
            **self.extra,
        )
        self._upload_id = resp["UploadId"]
        self._uploader = ThreadPoolExecutor(
            max_workers=self.store.settings.concurrency, thread_name_prefix="s3-part"
        )

    def _hash(self, buf: bytearray, length: int) -> Future | None:
        if self._sha is None:
            return None
        if self._hasher is None:
            self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="s3-sha")
        view = memoryview(buf)[:length]
        self._last_hash = self._hasher.submit(self._sha.update, view)
        return self._last_hash

    def _send_part(self, buf: bytearray, length: int) -> None:
        if self._upload_id is None:
            self._start()
        self._raise_failed()
        number = len(self._parts) + 1
        hashed = self._hash(buf, length)
        body = buf if length == len(buf) else bytes(memoryview(buf)[:length])
        assert self._uploader is not None
        fut = self._uploader.submit(self._upload_part, number, body)

        def recycle(_f: Future) -> None:
            if hashed is not None:
                hashed.result()
            self._free.put(buf)

        fut.add_done_callback(recycle)
        self._parts.append(fut)

    def _upload_part(self, number: int, data: bytes | bytearray) -> dict[str, Any]:
        resp = self.store._call(
            self.what,
            self.store.client.upload_part,
            Bucket=self.bucket,
            Key=self.key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=data,
        )
        return {"PartNumber": number, "ETag": resp["ETag"]}

    def _raise_failed(self) -> None:
        for fut in self._parts:
            if fut.done() and not fut.cancelled() and fut.exception() is not None:
                raise fut.exception()  # type: ignore[misc]

    def commit(self) -> PutResult:
        """Publish the object. Raises :class:`ConflictError` under ``if_none_match`` if the
        key already exists."""
        if self._done:
            if self.result is None:
                raise StorageError(f"upload of {self.what} was aborted")
            return self.result
        try:
            if self._upload_id is None:
                body = bytes(memoryview(self._cur)[: self._pos]) if self._cur else b""
                if self._sha is not None:
                    self._sha.update(body)
                kwargs: dict[str, Any] = dict(
                    Bucket=self.bucket, Key=self.key, Body=body, **self.extra
                )
                if self.if_none_match:
                    kwargs["IfNoneMatch"] = "*"
                resp = self.store._call(self.what, self.store.client.put_object, **kwargs)
            else:
                if self._cur is not None and self._pos:
                    buf, self._cur = self._cur, None
                    self._send_part(buf, self._pos)
                parts = [f.result() for f in self._parts]
                if self._last_hash is not None:
                    self._last_hash.result()
                kwargs = dict(
                    Bucket=self.bucket,
                    Key=self.key,
                    UploadId=self._upload_id,
                    MultipartUpload={"Parts": parts},
                )
                if self.if_none_match:
                    kwargs["IfNoneMatch"] = "*"
                resp = self.store._call(
                    self.what, self.store.client.complete_multipart_upload, **kwargs
                )
        except BaseException:
            self.abort()
            raise
        self._done = True
        self._shutdown()
        self.hexdigest = self._sha.hexdigest() if self._sha is not None else None
        self.result = PutResult(
            bucket=self.bucket,
            key=self.key,
            version_id=resp.get("VersionId"),
            etag=(resp.get("ETag") or "").strip('"') or None,
            size=self.size,
        )
        return self.result

    def abort(self) -> None:
        """Discard everything sent so far (best effort: a dead server cannot be told)."""
        if self._done:
            return
        self._done = True
        for fut in self._parts:
            fut.cancel()
        self._shutdown()
        if self._upload_id is not None:
            with contextlib.suppress(Exception):
                self.store.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=self.key, UploadId=self._upload_id
                )

    def _shutdown(self) -> None:
        for pool in (self._uploader, self._hasher):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._uploader = self._hasher = None
        self._cur = None
        while True:
            try:
                self._free.get_nowait()
            except queue.Empty:
                break

    def __enter__(self) -> ObjectWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
