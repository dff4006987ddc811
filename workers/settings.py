"""Settings of the workers, from ``REDACTOR_*`` environment variables.

Why one frozen dataclass: the watcher, the pool, the Celery app and the job all read the same
values, and a test builds them explicitly (``WorkerSettings(drop_bucket=...)``) instead of
patching the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from redactor.errors import ConfigError

__all__ = ["WorkerSettings", "DEFAULT_BROKER_URL"]

DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"

_ENV: dict[str, tuple[str, type]] = {
    "REDACTOR_DROP_BUCKET": ("drop_bucket", str),
    "REDACTOR_DROP_PREFIX": ("drop_prefix", str),
    "REDACTOR_WORKERS": ("workers", int),
    "REDACTOR_JOB_SLOTS": ("job_slots", int),
    "REDACTOR_MAX_ATTEMPTS": ("max_attempts", int),
    "REDACTOR_RETRY_BACKOFF": ("backoff_base", float),
    "REDACTOR_RETRY_BACKOFF_MAX": ("backoff_max", float),
    "REDACTOR_JOB_LEASE": ("lease_seconds", float),
    "REDACTOR_POLL_INTERVAL": ("poll_interval", float),
    "REDACTOR_MAX_IN_FLIGHT": ("max_in_flight", int),
    "REDACTOR_QUEUE_HIGH_WATER": ("queue_high_water", int),
    "REDACTOR_SIDECAR_GRACE": ("sidecar_grace", float),
    "REDACTOR_BROKER_URL": ("broker_url", str),
    "REDACTOR_QUEUE": ("queue", str),
    "REDACTOR_EVENTS_PORT": ("events_port", int),
    "REDACTOR_EVENTS_TOKEN": ("events_token", str),
    "REDACTOR_METRICS_PORT": ("metrics_port", int),
    "REDACTOR_SCRATCH_DIR": ("scratch_dir", Path),
    "REDACTOR_CRASH_HOOKS": ("crash_hooks", Path),
    "REDACTOR_SCHEDULER": ("scheduler", str),
}


@dataclass(frozen=True)
class WorkerSettings:
    """How ingest and the workers run.

    ``drop_bucket``/``drop_prefix``: where telephony drops ``call.wav`` + ``call.json``.
    ``workers``: worker processes for ``redactor serve`` (each loads the models once).
    ``job_slots``: jobs each worker process runs at once, in threads. Speech recognition
    runs one at a time per process (:data:`redactor.transcribe.ASR_LANE`); a second slot
    downloads, decodes, detects, encodes, seals and uploads while the first one's audio
    is being recognised, so a worker's CPU threads are never left waiting on the network,
    ffmpeg or the catalog.
    ``max_attempts``: attempts before a recording that keeps failing is quarantined;
    between attempts the wait is ``backoff_base * 2**(n-1)`` seconds, at most ``backoff_max``.
    ``lease_seconds``: a job renews its lease on the recording every third of this; a
    crashed worker's recording can be taken over once the lease has run out.
    ``max_in_flight``: jobs the watcher keeps scheduled at once (0: ``workers *
    (job_slots + 1)``);
    ``queue_high_water``: with Celery, the watcher stops publishing while the broker queue
    holds this many messages. ``sidecar_grace``: seconds a recording without its sidecar
    waits for it before the missing-sidecar policy applies.
    ``scheduler``: ``local`` (in-process pool) or ``celery`` (publish to the broker).
    ``crash_hooks``: a folder of fault-injection files (tests only; see ``workers/hooks.py``).
    """

    drop_bucket: str = "drop"
    drop_prefix: str = ""
    workers: int = 1
    job_slots: int = 2
    max_attempts: int = 5
    backoff_base: float = 10.0
    backoff_max: float = 600.0
    lease_seconds: float = 60.0
    poll_interval: float = 5.0
    max_in_flight: int = 0
    queue_high_water: int = 100
    sidecar_grace: float = 60.0
    broker_url: str = DEFAULT_BROKER_URL
    queue: str = "redactor.recordings"
    events_port: int = 0
    events_token: str | None = None
    metrics_port: int = 0
    scratch_dir: Path | None = None
    crash_hooks: Path | None = None
    scheduler: str = "local"

    def __post_init__(self) -> None:
        for name in ("workers", "job_slots", "max_attempts"):
            if getattr(self, name) < 1:
                raise ConfigError(f"worker setting {name}={getattr(self, name)} must be >= 1")
        for name in ("backoff_base", "backoff_max", "lease_seconds", "poll_interval"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"worker setting {name}={getattr(self, name)} must be > 0")
        if self.max_in_flight < 0 or self.queue_high_water < 1:
            raise ConfigError(
                f"max_in_flight={self.max_in_flight} must be >= 0 and "
                f"queue_high_water={self.queue_high_water} >= 1"
            )
        if self.scheduler not in ("local", "celery"):
            raise ConfigError(f"REDACTOR_SCHEDULER={self.scheduler!r} is not one of: local, celery")

    @property
    def in_flight_limit(self) -> int:
        return self.max_in_flight or self.workers * (self.job_slots + 1)

    @property
    def resolved_scratch(self) -> Path:
        home = Path(os.environ.get("REDACTOR_HOME", "var"))
        return self.scratch_dir or home / "scratch"

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.backoff_max, self.backoff_base * 2 ** max(0, attempt - 1))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> WorkerSettings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for var, (name, kind) in _ENV.items():
            raw = env.get(var)
            if raw in (None, ""):
                continue
            try:
                values[name] = kind(raw)
            except ValueError:
                raise ConfigError(f"{var}={raw!r} is not a valid {kind.__name__}") from None
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"unknown worker settings {sorted(unknown)}; valid: {sorted(known)}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> WorkerSettings:
        return replace(self, **changes)
