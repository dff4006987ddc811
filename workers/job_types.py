"""The job's vocabulary: its context, its result and outcomes, and which keys are recordings.

Why a module of its own: these are what the callers of :func:`workers.job.process_recording`
see -- the pool, the Celery task, the ingest loop and the metrics build a
:class:`JobContext` or read a :class:`JobResult` -- without the job's steps.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from workers.gate import JobGate

if TYPE_CHECKING:
    from policies.loader import Policy
    from redactor.router import LanguageRouter
    from storage.catalog_repo import Catalog
    from storage.objectstore import ObjectStore
    from storage.sidecar import PhoneHasher
    from storage.vault import Vault
    from workers.settings import WorkerSettings

__all__ = ["JobContext", "JobResult", "OUTCOMES", "RETRY_OUTCOMES", "is_recording_key"]

# done: processed now; duplicate: already finished before; quarantined / rejected / held_back:
# decided now (or before); missing: no such source and no catalog row; busy: another job holds
# the lease; waiting: the sidecar has not arrived yet; failed: retry after ``retry_after``.
OUTCOMES = (
    "done",
    "duplicate",
    "quarantined",
    "rejected",
    "held_back",
    "missing",
    "busy",
    "waiting",
    "failed",
)
RETRY_OUTCOMES = ("busy", "waiting", "failed")
_SIDECAR_SUFFIX = ".json"


def is_recording_key(key: str) -> bool:
    """Is this drop-bucket key a recording (and not a sidecar, folder or hidden file)?"""
    name = PurePosixPath(key).name
    return (
        bool(name)
        and not key.endswith("/")
        and not name.startswith(".")
        and not (name.endswith(_SIDECAR_SUFFIX))
    )


@dataclass(frozen=True)
class JobResult:
    """What one run of the job did. ``retry_after`` (seconds) is set for retry outcomes."""

    outcome: str
    source_key: str
    recording_id: str | None = None
    reason: str | None = None
    audio_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    retry_after: float | None = None
    attempts: int = 0

    @property
    def retry(self) -> bool:
        return self.outcome in RETRY_OUTCOMES

    def to_dict(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self.__dataclass_fields__}


@dataclass
class JobContext:
    """Everything a worker process needs, built once (see :mod:`workers.bootstrap`).

    ``router_factory`` is called at most once, on first use (or by :meth:`warm_up`), so a
    worker loads its models once and a process that never redacts never loads them.
    """

    catalog: Catalog
    store: ObjectStore
    vault: Vault
    policy: Policy
    hasher: PhoneHasher
    settings: WorkerSettings
    router_factory: Callable[[], LanguageRouter]
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    gate: JobGate = field(default_factory=JobGate)  # job slots of this process
    _router: Any = field(default=None, repr=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False)

    def warm_up(self) -> None:
        """Load the models now (worker start), not on the first recording."""
        self.router().warm_up()

    def router(self) -> LanguageRouter:
        """The language router: one redactor per language and campaign, models shared."""
        with self._lock:
            if self._router is None:
                self._router = self.router_factory()
            return self._router


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t
