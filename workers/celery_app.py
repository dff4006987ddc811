"""Celery for several machines: the same job, messages on RabbitMQ (or Redis).

Delivery guarantees the job relies on:

* ``task_acks_late`` -- a message is acknowledged only after :func:`process_recording`
  returned, i.e. after the source left the drop bucket;
* ``task_reject_on_worker_lost`` -- a worker killed mid-job (SIGKILL, OOM) gives its message
  back to the broker, which redelivers it; the job resumes from the catalog;
* prefetch 1 -- a worker holds one message per job slot, so a dead worker strands only
  the jobs it was running, and a slow one does not hoard work;
* durable queue, persistent messages, publisher confirms -- a broker restart loses nothing;
  connections retry forever, so a stopped broker makes workers wait, not exit.

Retries (``busy``, ``waiting``, ``failed``) are re-published with a countdown
(``task.retry``); the attempt count that decides quarantine lives in the catalog, not in the
message, so it survives redeliveries.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from redactor.errors import StorageError

if TYPE_CHECKING:
    from celery import Celery

    from workers.job_types import JobContext
    from workers.settings import WorkerSettings

__all__ = ["make_app", "CeleryDispatcher", "TASK_NAME", "get_app", "use_threads"]

log = logging.getLogger("redactor.workers.celery")

TASK_NAME = "redactor.process_recording"
_ctx: JobContext | None = None
_ctx_lock = threading.Lock()
_slots = 1  # jobs this process runs at once: the concurrency of a ``threads`` pool
_apps: dict[str, Celery] = {}


def use_threads(concurrency: int) -> None:
    """Run this process's jobs in ``concurrency`` threads sharing one context (the
    ``threads`` pool): one set of models, one ASR lane, the other stages overlapping, as
    the job slots of ``redactor serve`` (:mod:`workers.gate`)."""
    global _slots
    _slots = max(1, concurrency)


def _context() -> JobContext:
    """This worker process's job context, built (and its models loaded) once."""
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            from workers.bootstrap import build_context
            from workers.gate import JobGate
            from workers.scratch import reap_stale

            ctx = build_context()
            ctx.gate = JobGate(_slots)
            reap_stale(ctx.settings.resolved_scratch)
            ctx.warm_up()
            _ctx = ctx
        return _ctx


def make_app(settings: WorkerSettings) -> Celery:
    """A Celery app on ``settings.broker_url`` with the late-ack configuration above."""
    from celery import Celery
    from celery.signals import worker_process_init
    from kombu import Exchange, Queue

    app = Celery("redactor", broker=settings.broker_url)
    transport: dict[str, Any] = {}
    if settings.broker_url.startswith("amqp"):
        transport["confirm_publish"] = True
    if settings.broker_url.startswith("redis"):
        # an unacknowledged message comes back after this long (a dead worker's job)
        transport["visibility_timeout"] = max(300, int(settings.lease_seconds * 10))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=False,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue,
        task_queues=[
            Queue(
                settings.queue, Exchange(settings.queue), routing_key=settings.queue, durable=True
            )
        ],
        task_default_delivery_mode="persistent",
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_transport_options=transport,
        broker_heartbeat=30,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )

    @app.task(
        name=TASK_NAME, bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True
    )
    def process(self, bucket: str, key: str) -> str:
        from workers import metrics
        from workers.job import process_recording

        res = process_recording(_context(), bucket, key)
        metrics.record(res)
        if res.retry:
            raise self.retry(countdown=res.retry_after or 1.0)
        return res.outcome

    @worker_process_init.connect(weak=False)
    def _warm(**_kw) -> None:  # prefork child: load the models before the first message
        from workers.logging import configure

        configure()
        _context()

    return app


def get_app(settings: WorkerSettings | None = None) -> Celery:
    """The app for ``settings`` (one per broker URL and process)."""
    from workers.settings import WorkerSettings

    settings = settings or WorkerSettings.from_env()
    key = f"{settings.broker_url}|{settings.queue}"
    if key not in _apps:
        _apps[key] = make_app(settings)
    return _apps[key]


class CeleryDispatcher:
    """The watcher's dispatcher in Celery mode: publish while the queue is below high water."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.app = get_app(settings)
        self._depth = 0
        self._depth_at = 0.0
        self._lock = threading.Lock()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def queue_depth(self, max_age: float = 1.0) -> int:
        """Messages waiting in the broker queue (cached for ``max_age`` seconds). An
        unreachable broker reports the high-water mark, so the watcher waits."""
        with self._lock:
            if time.monotonic() - self._depth_at < max_age:
                return self._depth
            try:
                with self.app.connection_for_write() as conn:
                    conn.ensure_connection(max_retries=1, timeout=2)
                    ch = conn.default_channel
                    q = self.app.amqp.queues[self.settings.queue]
                    _, depth, _ = q(ch).queue_declare(passive=False)
                self._depth = int(depth)
            except Exception as exc:  # noqa: BLE001 - the broker is down: hold back
                log.warning("broker unreachable for queue depth: %s", type(exc).__name__)
                self._depth = self.settings.queue_high_water
            self._depth_at = time.monotonic()
            return self._depth

    def capacity(self) -> int:
        return max(0, self.settings.queue_high_water - self.queue_depth())

    def submit(self, bucket: str, key: str) -> None:
        try:
            self.app.send_task(
                TASK_NAME,
                args=(bucket, key),
                queue=self.settings.queue,
                retry=True,
                retry_policy={"max_retries": 3, "interval_start": 0.5, "interval_step": 1},
            )
        except Exception as exc:  # noqa: BLE001
            with self._lock:
                self._depth_at = 0.0
            raise StorageError(f"broker unreachable: {type(exc).__name__}") from exc
        with self._lock:
            self._depth += 1
