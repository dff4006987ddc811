"""Streaming, multipart upload of one object: :class:`ObjectWriter`.

Why a module of its own: the upload machinery (a reused pool of part buffers, parts in
flight on a thread pool, SHA-256 on a helper thread, abort on any failure) is the one part
of the object store with threads and memory bounds to reason about; it is built by
:meth:`storage.objectstore.ObjectStore.writer` and re-exported from :mod:`storage.objectstore`.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from redactor.errors import StorageError

from .objectstore_types import PutResult

if TYPE_CHECKING:
    from .objectstore import ObjectStore

__all__ = ["ObjectWriter"]


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
