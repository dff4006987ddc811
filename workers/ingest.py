"""Ingest: find recordings in the drop bucket, pair them with their sidecar, schedule jobs.

Two ways in, one way out:

* :class:`Watcher` lists the drop bucket page by page with the store's cursor (never the
  whole bucket in memory: at most one page, 1000 keys) and restarts from the top after each
  pass. The listing is the safety net: whatever an event missed, the next pass finds.
* :class:`EventListener` accepts S3 event notifications (the AWS / MinIO webhook JSON) on
  ``POST /events`` and schedules the named recordings at once.

Both call :meth:`Watcher.schedule`, which submits one job per recording to a *dispatcher*
(:class:`workers.pool.WorkerPool` on one machine, :class:`workers.celery_app.CeleryDispatcher`
with a broker). Backpressure: the watcher submits only while ``dispatcher.capacity()`` is
positive -- a bounded number of jobs in flight in the pool, a bounded broker queue with
Celery -- and simply stops listing otherwise, so 100,000 dropped files cost one page of
memory. A key already in flight is not submitted again; duplicates that slip through (two
watchers, repeated events) are harmless, because the job claims its recording in the
catalog.

Pairing: ``call.wav`` is ready when ``call.json`` exists, or after ``sidecar_grace`` seconds
without it (then the policy's missing-sidecar rule decides).
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from redactor.errors import BadInputError, StorageError

if TYPE_CHECKING:
    from storage.catalog_repo import Catalog
    from storage.objectstore import ObjectInfo, ObjectStore
    from workers.job_types import JobResult
    from workers.settings import WorkerSettings

__all__ = ["Watcher", "EventListener", "parse_s3_event"]

log = logging.getLogger("redactor.workers.ingest")

_PAGE = 1000
_MAX_EVENTS = 10_000


def parse_s3_event(payload: bytes | str | dict) -> list[tuple[str, str]]:
    """``(bucket, key)`` of every object-created record in an S3 event notification.

    Keys arrive URL-encoded (``+`` for spaces), as AWS and MinIO send them. A sidecar event
    names its recording's sidecar; :meth:`Watcher.schedule` maps it to the recording."""
    if isinstance(payload, bytes | str):
        try:
            payload = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise BadInputError("S3 event: the body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("Records"), list):
        raise BadInputError("S3 event: expected an object with a 'Records' list")
    out = []
    for i, rec in enumerate(payload["Records"]):
        try:
            name = str(rec.get("eventName", ""))
            bucket = rec["s3"]["bucket"]["name"]
            key = urllib.parse.unquote_plus(rec["s3"]["object"]["key"])
        except (KeyError, TypeError, AttributeError):
            raise BadInputError(
                f"S3 event: record {i} lacks s3.bucket.name or s3.object.key"
            ) from None
        if "ObjectCreated" in name or not name:
            out.append((bucket, key))
    return out


class Watcher:
    """Lists the drop bucket with a cursor and schedules jobs within the dispatcher's capacity.

    ``clock`` is monotonic seconds (for retries and in-flight ages); ``wall`` the wall clock
    (for the sidecar grace period, compared with object timestamps).
    """

    def __init__(
        self,
        store: ObjectStore,
        catalog: Catalog | None,
        dispatcher: Any,
        settings: WorkerSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        in_flight_ttl: float | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.dispatcher = dispatcher
        self.settings = settings
        self.bucket = settings.drop_bucket
        self.prefix = settings.drop_prefix
        self.clock = clock
        self.wall = wall
        reports = hasattr(dispatcher, "on_result")
        if reports:
            dispatcher.on_result = self._on_result
        # Without results (Celery) an entry only stops a re-publish until the broker had time.
        self.in_flight_ttl = in_flight_ttl or (
            3600.0 if reports else max(300.0, 10 * settings.lease_seconds)
        )
        self._in_flight: dict[str, float] = {}
        self._retry: dict[str, float] = {}  # key -> monotonic time it may be scheduled again
        self._events: collections.deque[str] = collections.deque(maxlen=_MAX_EVENTS)
        self._page: list[ObjectInfo] = []
        self._page_keys: set[str] = set()
        self._pos = 0
        self._cursor: str | None = None
        self._pass_done_at: float | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.submitted = 0
        self.passes = 0
        self.results: collections.Counter[str] = collections.Counter()
        self.stage_seconds: collections.Counter[str] = collections.Counter()

    # -- service ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="ingest-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        from workers import metrics

        backoff = 1.0
        while not self._stop.is_set():
            try:
                worked = self.step()
                backoff = 1.0
            except StorageError as exc:
                log.warning(
                    "drop bucket unreachable (%s); retrying in %.0fs", type(exc).__name__, backoff
                )
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
                log.exception("watcher step failed")
                self._stop.wait(backoff)
                continue
            metrics.set_queue_depth(self.queue_depth())
            if not worked:
                self._wake.wait(0.2)
                self._wake.clear()

    # -- scheduling ---------------------------------------------------------------------
    def queue_depth(self) -> int:
        """Jobs scheduled and not finished, plus retries waiting (pool); broker depth (Celery)."""
        depth = getattr(self.dispatcher, "queue_depth", None)
        if callable(depth):
            return depth()
        with self._lock:
            return len(self._in_flight) + len(self._retry)

    def schedule(self, bucket: str, key: str) -> bool:
        """Submit one job for ``key`` (a sidecar key schedules its recording) if it is not
        in flight, not waiting for a retry, and the dispatcher has room. True if submitted."""
        from pathlib import PurePosixPath

        from workers.job_types import is_recording_key

        if bucket != self.bucket:
            log.warning("event for bucket %r ignored (drop bucket is %r)", bucket, self.bucket)
            return False
        if key.endswith(".json"):
            return self._schedule_sidecar(str(PurePosixPath(key).with_suffix("")))
        if not is_recording_key(key):
            return False
        now = self.clock()
        with self._lock:
            self._expire(now)
            if key in self._in_flight or self._retry.get(key, 0) > now:
                return False
            if self.dispatcher.capacity() <= 0:
                return False
            self._retry.pop(key, None)
            self._in_flight[key] = now
        try:
            self.dispatcher.submit(bucket, key)
        except Exception:
            with self._lock:
                self._in_flight.pop(key, None)
            raise
        self.submitted += 1
        return True

    def _schedule_sidecar(self, stem: str) -> bool:
        """A sidecar arrived: schedule the recording with the same stem, if it is there."""
        page = self.store.list(self.bucket, stem, limit=20)
        for info in page.items:
            from pathlib import PurePosixPath

            if str(PurePosixPath(info.key).with_suffix("")) == stem and not info.key.endswith(
                ".json"
            ):
                return self.schedule(self.bucket, info.key)
        return False

    def notify(self, keys: list[tuple[str, str]]) -> int:
        """Events from the listener: scheduled now if there is room, else soon (bounded)."""
        accepted = 0
        for bucket, key in keys:
            if bucket != self.bucket:
                continue
            self._events.append(key)
            accepted += 1
        self._wake.set()
        return accepted

    def _expire(self, now: float) -> None:
        stale = [k for k, t in self._in_flight.items() if now - t > self.in_flight_ttl]
        for k in stale:
            del self._in_flight[k]
        done = [k for k, t in self._retry.items() if t <= now - self.in_flight_ttl]
        for k in done:
            del self._retry[k]

    def _on_result(self, result: JobResult) -> None:
        from workers import metrics

        metrics.record(result)
        self.results[result.outcome] += 1
        self.stage_seconds.update(result.timings)
        with self._lock:
            self._in_flight.pop(result.source_key, None)
            if result.retry:
                self._retry[result.source_key] = self.clock() + (result.retry_after or 1.0)
            elif result.outcome == "held_back":  # waits for a person: look again hourly
                self._retry[result.source_key] = self.clock() + 3600.0
        if result.outcome not in ("done", "duplicate"):
            log.info("job %s: %s", result.outcome, result.recording_id or "-")
        self._wake.set()

    # -- listing ------------------------------------------------------------------------
    def step(self) -> bool:
        """Schedule what fits now: events first, then due retries, then the listing.

        Returns True if anything was submitted or listed."""
        worked = False
        while self._events and self.dispatcher.capacity() > 0:
            key = self._events.popleft()
            worked |= self.schedule(self.bucket, key)
        worked |= self._due_retries()
        if self.dispatcher.capacity() <= 0:
            return worked
        if self._pos >= len(self._page):
            if (
                self._cursor is None
                and self._pass_done_at is not None
                and self.clock() - self._pass_done_at < self.settings.poll_interval
            ):
                return worked
            page = self.store.list(self.bucket, self.prefix, cursor=self._cursor, limit=_PAGE)
            self._page, self._pos = page.items, 0
            self._page_keys = {i.key for i in page.items}
            self._cursor = page.cursor
            if page.cursor is None:
                self._pass_done_at = self.clock()
                self.passes += 1
            else:
                self._pass_done_at = None
            worked = True
        while self._pos < len(self._page) and self.dispatcher.capacity() > 0:
            info = self._page[self._pos]
            self._pos += 1
            if self._ready(info):
                worked |= self.schedule(self.bucket, info.key)
        return worked

    def _due_retries(self) -> bool:
        now = self.clock()
        with self._lock:
            due = [k for k, t in self._retry.items() if t <= now]
        worked = False
        for key in due:
            if self.dispatcher.capacity() <= 0:
                break
            with self._lock:
                self._retry.pop(key, None)
            worked |= self.schedule(self.bucket, key)
        return worked

    def _ready(self, info: ObjectInfo) -> bool:
        """A recording whose sidecar is here, or has been given up on after the grace."""
        from storage.sidecar import sidecar_key
        from workers.job_types import is_recording_key

        if not is_recording_key(info.key):
            return False
        side = sidecar_key(info.key)
        if side in self._page_keys or self.store.exists(self.bucket, side):
            return True
        if info.last_modified is None:
            return True
        age = (self.wall() - info.last_modified).total_seconds()
        return age >= self.settings.sidecar_grace

    def drain(self, timeout: float) -> bool:
        """Run :meth:`step` until the bucket is empty and nothing is in flight (tests, CLI
        ``--once``). Returns True if it got there within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        reports = hasattr(self.dispatcher, "on_result")
        while time.monotonic() < deadline:
            try:
                self.step()
            except StorageError as exc:
                log.warning("drop bucket or broker unreachable: %s", type(exc).__name__)
                time.sleep(1.0)
                continue
            with self._lock:
                busy = reports and bool(self._in_flight or self._retry)
            if not busy and self._cursor is None and self._pos >= len(self._page):
                try:
                    if not self.store.list(self.bucket, self.prefix, limit=1).items:
                        return True
                except StorageError:
                    pass
            time.sleep(0.1)
        return False


class EventListener:
    """``POST /events`` with an S3 event notification body -> :meth:`Watcher.notify`.

    Binds to 127.0.0.1 by default. With ``token``, requests need
    ``Authorization: Bearer <token>``. Answers 202 with the number of records accepted.
    """

    def __init__(
        self, watcher: Watcher, *, port: int = 0, host: str = "127.0.0.1", token: str | None = None
    ) -> None:
        self.watcher = watcher
        self.host = host
        self.port = port
        self.token = token
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:  # no access log: keys may be personal
                pass

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                import hmac

                if self.path.rstrip("/") != "/events":
                    return self._reply(404, {"detail": "POST /events"})
                if listener.token and not hmac.compare_digest(
                    self.headers.get("Authorization", ""), f"Bearer {listener.token}"
                ):
                    return self._reply(401, {"detail": "authentication required"})
                n = int(self.headers.get("Content-Length") or 0)
                if n > 1 << 20:
                    return self._reply(413, {"detail": "event body larger than 1 MiB"})
                try:
                    keys = parse_s3_event(self.rfile.read(n))
                except BadInputError as exc:
                    return self._reply(400, {"detail": str(exc)})
                return self._reply(202, {"accepted": listener.watcher.notify(keys)})

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="s3-events", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/events"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
