"""The in-process worker pool of ``redactor serve``: N processes, models loaded once each.

Why processes and not threads: transcription is CPU-bound and holds the GIL in places, and a
crash (or a SIGKILL) must take down one worker, not the service. Each child builds its
:class:`~workers.job.JobContext` once, loads the models, then runs
:func:`~workers.job.process_recording` for every job it is given, from a pipe of its own.
The parent hands each job to one child with a free slot, so it knows which jobs a child had;
its watch thread restarts a dead child and reports those jobs as ``failed`` (retried with
backoff by the watcher; the catalog history counts the attempt). Nothing is acknowledged
anywhere: the drop bucket itself is the durable queue, so a job lost with its process is
simply listed again.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import multiprocessing as mp
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import connection as mp_connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.job_types import JobResult
    from workers.settings import WorkerSettings

__all__ = ["WorkerPool"]

log = logging.getLogger("redactor.workers.pool")


def _child_main(index: int, settings: Any, tasks: Any, results: Any) -> None:
    """Body of one worker process: build the context once, then serve jobs from its own
    ``tasks`` pipe in ``settings.job_slots`` threads until each has taken a ``None``."""
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
    pipes = _ChildPipes(tasks, results)
    pipes.send(("ready", os.getpid(), None))
    slots = [
        threading.Thread(target=_serve, args=(ctx, pipes), name=f"slot-{n}", daemon=True)
        for n in range(settings.job_slots)
    ]
    for t in slots:
        t.start()
    for t in slots:
        t.join()


class _ChildPipes:
    """One child's two pipe ends, shared by its job slots under thread locks.

    Why pipes of its own and not a queue shared by all children: a child killed while one of
    its slots waits in a shared queue's ``get`` dies holding that queue's process-shared lock,
    and no child after it could take a job again (the pool stalled for good)."""

    def __init__(self, tasks: Any, results: Any) -> None:
        self.tasks, self.results = tasks, results
        self._recv, self._send = threading.Lock(), threading.Lock()

    def recv(self) -> Any:
        with self._recv:
            try:
                return self.tasks.recv()
            except EOFError:  # the parent is gone
                return None

    def send(self, message: tuple) -> None:
        with self._send:
            self.results.send(message)


def _serve(ctx: Any, pipes: _ChildPipes) -> None:
    """One job slot: run jobs until ``None``. Slots of one process share its models;
    recognition takes turns (:data:`redactor.transcribe.ASR_LANE`), everything else
    overlaps."""
    import os

    from workers.job import JobResult, process_recording

    while True:
        item = pipes.recv()
        if item is None:
            return
        bucket, key = item
        try:
            res = process_recording(ctx, bucket, key)
        except Exception as exc:  # noqa: BLE001 - report, never die on one recording
            res = JobResult(
                "failed", key, reason=type(exc).__name__, retry_after=ctx.settings.backoff(1)
            )
        pipes.send(("done", os.getpid(), res.to_dict()))


@dataclass
class _Child:
    """The parent's view of one worker process: its pipes and the keys handed to it."""

    process: Any
    tasks: Any  # the parent's sending end
    results: Any  # the parent's receiving end
    spawned_at: float
    assigned: set[str] = field(default_factory=set)
    ready: bool = False
    broken: bool = False  # a send failed: dead, its death not yet handled


class WorkerPool:
    """``start()``/``stop()`` service with ``submit(bucket, key)`` and ``capacity()``.

    The parent hands each job to one child with a free slot and remembers which, so a child
    that dies reports exactly its own jobs as failed. ``on_result(JobResult)`` is called from
    the pool's thread for every finished (or crashed) job; the watcher sets it.
    """

    def __init__(self, settings: WorkerSettings, *, on_result: Callable | None = None) -> None:
        self.settings = settings
        self.on_result = on_result
        self._ctx = mp.get_context("spawn")
        self._children: dict[int, _Child] = {}
        self._pending: collections.deque[tuple[str, str]] = collections.deque()
        self._respawn_at: dict[int, float] = {}
        self._quick_deaths: dict[int, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- service ------------------------------------------------------------------------
    def start(self) -> None:
        for i in range(self.settings.workers):
            self._spawn(i)
        self._thread = threading.Thread(target=self._watch, name="pool-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            children = list(self._children.values())
        for c in children:
            for _ in range(self.settings.job_slots):
                with contextlib.suppress(Exception):
                    c.tasks.send(None)
        deadline = time.monotonic() + timeout
        for c in children:
            c.process.join(max(0.1, deadline - time.monotonic()))
            if c.process.is_alive():
                c.process.kill()
                c.process.join(5)
            for conn in (c.tasks, c.results):
                conn.close()

    # -- dispatcher protocol ------------------------------------------------------------
    def capacity(self) -> int:
        """How many more jobs may be queued now (bounded: ``in_flight_limit``)."""
        with self._lock:
            queued = len(self._pending) + sum(len(c.assigned) for c in self._children.values())
        return max(0, self.settings.in_flight_limit - queued)

    def submit(self, bucket: str, key: str) -> None:
        with self._lock:
            self._pending.append((bucket, key))
            self._assign()

    @property
    def ready(self) -> int:
        """Children that have loaded their models."""
        return sum(c.ready for c in self._children.values())

    def pids(self) -> list[int]:
        return [c.process.pid for c in self._children.values() if c.process.is_alive()]

    # -- internals ----------------------------------------------------------------------
    def _spawn(self, index: int) -> None:
        task_recv, task_send = self._ctx.Pipe(duplex=False)
        result_recv, result_send = self._ctx.Pipe(duplex=False)
        p = self._ctx.Process(
            target=_child_main,
            args=(index, self.settings, task_recv, result_send),
            name=f"redactor-worker-{index}",
            daemon=True,
        )
        p.start()
        task_recv.close()  # the child's ends: closed here so a dead child reads as EOF
        result_send.close()
        self._children[index] = _Child(p, task_send, result_recv, time.monotonic())

    def _assign(self) -> None:
        """Hand pending jobs to live children with a free slot (the lock is held)."""
        while self._pending:
            free = [
                (len(c.assigned), i)
                for i, c in self._children.items()
                if i not in self._respawn_at
                and not c.broken
                and len(c.assigned) < self.settings.job_slots
            ]
            if not free:
                return
            child = self._children[min(free)[1]]
            bucket, key = self._pending[0]
            try:
                child.tasks.send((bucket, key))
            except OSError:
                child.broken = True
                continue
            self._pending.popleft()
            child.assigned.add(key)

    def _finish(self, result: JobResult) -> None:
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:  # noqa: BLE001
                log.exception("result callback failed")

    def _watch(self) -> None:
        """One thread reads every child's results and notices every child's death, so a
        result a child sent just before it died is always read before its jobs are failed."""
        while not self._stop.is_set():
            with self._lock:
                children = dict(self._children)
            waitables = {}
            for index, c in children.items():
                if index not in self._respawn_at:
                    waitables[c.results] = (index, c)
                    waitables[c.process.sentinel] = (index, c)
            for ready in mp_connection.wait(list(waitables), timeout=0.5):
                index, c = waitables[ready]
                if ready is c.results:
                    self._read(c)
                elif not c.process.is_alive():
                    self._died(index, c)
            self._respawn_due()

    def _read(self, c: _Child) -> None:
        from workers.job_types import JobResult

        try:
            while c.results.poll():
                kind, _pid, payload = c.results.recv()
                if kind == "ready":
                    c.ready = True
                elif kind == "done":
                    with self._lock:
                        c.assigned.discard(payload["source_key"])
                        self._assign()
                    self._finish(JobResult(**payload))
        except (EOFError, OSError):
            return  # the child is gone; its sentinel says so

    def _died(self, index: int, c: _Child) -> None:
        from workers.job_types import JobResult

        self._read(c)
        code = c.process.exitcode
        log.error("worker %d (pid %s) died with exit code %s", index, c.process.pid, code)
        now = time.monotonic()
        with self._lock:
            keys = sorted(c.assigned)
            c.assigned.clear()
            for conn in (c.tasks, c.results):
                conn.close()
            # a child that dies before loading its models (catalog down, bad config) is
            # restarted with a growing delay instead of in a tight loop
            if not c.ready and now - c.spawned_at < 60:
                n = self._quick_deaths[index] = self._quick_deaths.get(index, 0) + 1
                self._respawn_at[index] = now + min(60.0, 2.0**n)
            else:
                self._quick_deaths[index] = 0
                self._respawn_at[index] = now
        for key in keys:
            self._finish(
                JobResult(
                    "failed",
                    key,
                    reason=f"worker died (exit code {code})",
                    retry_after=self.settings.lease_seconds,
                )
            )

    def _respawn_due(self) -> None:
        now = time.monotonic()
        with self._lock:
            for index, at in list(self._respawn_at.items()):
                if now >= at and not self._stop.is_set():
                    del self._respawn_at[index]
                    self._spawn(index)
            self._assign()
