"""Prometheus metrics of the workers, exposed on the API's ``/metrics``.

Counters: recordings processed, failed, quarantined (by outcome), seconds of audio
processed (``rate()`` of it is audio seconds per second; :func:`audio_rate` gives the same
figure over the last minute for ``redactor status``), per-stage timings as histograms, and
the queue depth as a gauge. In the pool the parent records every child's result, so one
process holds the figures; ``redactor worker`` (Celery, several processes) uses
prometheus-client's multiprocess mode when ``PROMETHEUS_MULTIPROC_DIR`` is set.
Nothing here carries a key, a phone number or any other personal data: labels are fixed
outcome and stage names.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import TYPE_CHECKING

from prometheus_client import Counter, Gauge, Histogram

if TYPE_CHECKING:
    from workers.job_types import JobResult

__all__ = ["record", "set_queue_depth", "audio_rate", "render", "RECORDINGS", "AUDIO_SECONDS"]

RECORDINGS = Counter(
    "redactor_recordings_total",
    "Jobs finished, by outcome (done, duplicate, quarantined, failed, ...)",
    ["outcome"],
)
PROCESSED = Counter("redactor_recordings_processed_total", "Recordings redacted and stored")
FAILED = Counter("redactor_recordings_failed_total", "Job attempts that failed (retried)")
QUARANTINED = Counter("redactor_recordings_quarantined_total", "Recordings quarantined")
AUDIO_SECONDS = Counter("redactor_audio_seconds_total", "Seconds of audio processed")
AUDIO_RATE = Gauge(
    "redactor_audio_seconds_per_second",
    "Seconds of audio processed per wall-clock second over the last minute",
    multiprocess_mode="sum",
)
QUEUE_DEPTH = Gauge(
    "redactor_queue_depth", "Jobs scheduled and not finished", multiprocess_mode="max"
)
STAGE_SECONDS = Histogram(
    "redactor_stage_seconds",
    "Time per job stage",
    ["stage"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
)

_window: collections.deque[tuple[float, float]] = collections.deque()
_lock = threading.Lock()
_WINDOW = 60.0


def record(result: JobResult, *, now: float | None = None) -> None:
    """Count one job result."""
    RECORDINGS.labels(result.outcome).inc()
    if result.outcome == "done":
        PROCESSED.inc()
    elif result.outcome == "failed":
        FAILED.inc()
    elif result.outcome == "quarantined":
        QUARANTINED.inc()
    for stage, seconds in result.timings.items():
        STAGE_SECONDS.labels(stage).observe(seconds)
    if result.audio_seconds:
        AUDIO_SECONDS.inc(result.audio_seconds)
        t = time.monotonic() if now is None else now
        with _lock:
            _window.append((t, result.audio_seconds))
    AUDIO_RATE.set(audio_rate(now=now))


def audio_rate(*, now: float | None = None) -> float:
    """Seconds of audio finished per second over the last minute."""
    t = time.monotonic() if now is None else now
    with _lock:
        while _window and _window[0][0] < t - _WINDOW:
            _window.popleft()
        return sum(s for _, s in _window) / _WINDOW


def set_queue_depth(depth: int) -> None:
    QUEUE_DEPTH.set(depth)


def render() -> tuple[bytes, str]:
    """The exposition text (multiprocess-aware) and its content type."""
    import os

    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST
