"""The in-process worker pool of ``redactor serve``: N processes, models loaded once each.

Why processes and not threads: transcription is CPU-bound and holds the GIL in places, and a
crash (or a SIGKILL) must take down one worker, not the service. Each child builds its
:class:`~workers.job.JobContext` once, loads the models, then runs
:func:`~workers.job.process_recording` for every job it is given. The parent's supervisor
thread restarts a dead child and reports the job it was running as ``failed`` (retried with
backoff by the watcher; the catalog history counts the attempt). Nothing is acknowledged
anywhere: the drop bucket itself is the durable queue, so a job lost with its process is
simply listed again.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.job_types import JobResult
    from workers.settings import WorkerSettings

__all__ = ["WorkerPool"]

log = logging.getLogger("redactor.workers.pool")


def _child_main(index: int, settings: Any, tasks: Any, results: Any) -> None:
    """Body of one worker process: build the context once, then serve jobs in
    ``settings.job_slots`` threads until each has taken a ``None``."""
    import os

    from workers.bootstrap import build_context
    from workers.gate import JobGate
    from workers.logging import configure as configure_logging
    from workers.scratch import reap_stale

    configure_logging()
    reap_stale(settings.resolved_scratch)
    ctx = build_context(settings, worker=f"pool-{index}@{os.getpid()}")
    ctx.gate = JobGate(settings.job_slots)
    ctx.warm_up()
    results.put(("ready", index, os.getpid(), None))
    slots = [
        threading.Thread(
            target=_serve, args=(ctx, index, tasks, results), name=f"slot-{n}", daemon=True
        )
        for n in range(settings.job_slots)
    ]
    for t in slots:
        t.start()
    for t in slots:
        t.join()


def _serve(ctx: Any, index: int, tasks: Any, results: Any) -> None:
    """One job slot: run jobs from ``tasks`` until ``None``. Slots of one process share its
    models; recognition takes turns (:data:`redactor.transcribe.ASR_LANE`), everything else
    overlaps."""
    import os

    from workers.job import JobResult, process_recording

    while True:
        item = tasks.get()
        if item is None:
            return
        bucket, key = item
        results.put(("start", index, os.getpid(), key))
        try:
            res = process_recording(ctx, bucket, key)
        except Exception as exc:  # noqa: BLE001 - report, never die on one recording
            res = JobResult(
                "failed", key, reason=type(exc).__name__, retry_after=ctx.settings.backoff(1)
            )
        results.put(("done", index, os.getpid(), res.to_dict()))


class WorkerPool:
    """``start()``/``stop()`` service with ``submit(bucket, key)`` and ``capacity()``.

    ``on_result(JobResult)`` is called from the pool's collector thread for every finished
    (or crashed) job; the watcher sets it.
    """

    def __init__(self, settings: WorkerSettings, *, on_result: Callable | None = None) -> None:
        self.settings = settings
        self.on_result = on_result
        self._ctx = mp.get_context("spawn")
        self._tasks: Any = None
        self._results: Any = None
        self._procs: dict[int, Any] = {}
        self._running: dict[int, set[str]] = {}  # child index -> keys its slots are on
        self._ready: set[int] = set()
        self._spawned_at: dict[int, float] = {}
        self._respawn_at: dict[int, float] = {}
        self._quick_deaths: dict[int, int] = {}
        self._queued = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- service ------------------------------------------------------------------------
    def start(self) -> None:
        self._tasks = self._ctx.Queue()
        self._results = self._ctx.Queue()
        for i in range(self.settings.workers):
            self._spawn(i)
        for target, name in ((self._collect, "pool-collect"), (self._supervise, "pool-supervise")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        for _ in range(len(self._procs) * self.settings.job_slots):
            with contextlib.suppress(Exception):
                self._tasks.put(None)
        deadline = time.monotonic() + timeout
        for p in self._procs.values():
            p.join(max(0.1, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
        for t in self._threads:
            t.join(timeout=5)

    # -- dispatcher protocol ------------------------------------------------------------
    def capacity(self) -> int:
        """How many more jobs may be queued now (bounded: ``in_flight_limit``)."""
        with self._lock:
            return max(0, self.settings.in_flight_limit - self._queued)

    def submit(self, bucket: str, key: str) -> None:
        with self._lock:
            self._queued += 1
        self._tasks.put((bucket, key))

    @property
    def ready(self) -> int:
        """Children that have loaded their models."""
        return len(self._ready)

    def pids(self) -> list[int]:
        return [p.pid for p in self._procs.values() if p.is_alive()]

    # -- internals ----------------------------------------------------------------------
    def _spawn(self, index: int) -> None:
        p = self._ctx.Process(
            target=_child_main,
            args=(index, self.settings, self._tasks, self._results),
            name=f"redactor-worker-{index}",
            daemon=True,
        )
        p.start()
        self._procs[index] = p
        self._running[index] = set()
        self._spawned_at[index] = time.monotonic()

    def _finish(self, result: JobResult) -> None:
        with self._lock:
            self._queued = max(0, self._queued - 1)
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:  # noqa: BLE001
                log.exception("result callback failed")

    def _collect(self) -> None:
        from workers.job_types import JobResult

        while not self._stop.is_set():
            try:
                kind, index, pid, payload = self._results.get(timeout=0.5)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            if kind == "ready":
                self._ready.add(index)
            elif kind == "start":
                self._running.setdefault(index, set()).add(payload)
            elif kind == "done":
                self._running.get(index, set()).discard(payload["source_key"])
                self._finish(JobResult(**payload))

    def _supervise(self) -> None:
        from workers.job_types import JobResult

        while not self._stop.wait(0.5):
            for index, p in list(self._procs.items()):
                if p.is_alive() or self._stop.is_set():
                    continue
                now = time.monotonic()
                if index in self._respawn_at:
                    if now >= self._respawn_at[index]:
                        del self._respawn_at[index]
                        self._spawn(index)
                    continue
                keys = self._running.get(index) or set()
                was_ready = index in self._ready
                self._ready.discard(index)
                log.error("worker %d (pid %s) died with exit code %s", index, p.pid, p.exitcode)
                for key in sorted(keys):
                    self._finish(
                        JobResult(
                            "failed",
                            key,
                            reason=f"worker died (exit code {p.exitcode})",
                            retry_after=self.settings.lease_seconds,
                        )
                    )
                self._running[index] = set()
                # a child that dies before loading its models (catalog down, bad config)
                # is restarted with a growing delay instead of in a tight loop
                if not was_ready and now - self._spawned_at.get(index, 0) < 60:
                    n = self._quick_deaths[index] = self._quick_deaths.get(index, 0) + 1
                    self._respawn_at[index] = now + min(60.0, 2.0**n)
                    continue
                self._quick_deaths[index] = 0
                self._spawn(index)
