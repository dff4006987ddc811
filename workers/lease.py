"""A job's lease on its recording: who is processing it, until when.

Why: a recording can be scheduled twice (a duplicate event, a redelivered message after a
crash, two watchers). The catalog's unique source key decides that there is one row; the
lease decides which job works on it *now*. A job takes the lease with a conditional
``UPDATE`` (free or expired) on the row's ``claim_token``/``claim_until`` columns -- through
the catalog's lease API (:mod:`storage.catalog_job_lease`), never its session -- renews it
from a heartbeat thread, and releases it at the end. A worker killed with SIGKILL stops
renewing, so its lease runs out after ``lease_seconds`` and a retry takes
over. The sweeper uses the same columns, so a recording being processed is never swept.

Every call takes ``now``; only the heartbeat thread reads a clock (the injected one).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from redactor.errors import StorageError

if TYPE_CHECKING:
    from storage.catalog_repo import Catalog

__all__ = ["JobLease", "take_lease"]

log = logging.getLogger("redactor.workers.lease")


class JobLease:
    """A held lease; :meth:`renew` extends it, :meth:`release` frees it. Use ``with``."""

    def __init__(
        self,
        catalog: Catalog,
        recording_id: str,
        token: str,
        seconds: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.catalog = catalog
        self.recording_id = recording_id
        self.token = token
        self.seconds = seconds
        self.clock = clock
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def renew(self, now: datetime) -> bool:
        """Extend the lease to ``now + seconds``; False if someone else holds it now."""
        ok = self.catalog.renew_lease(
            self.recording_id, self.token, until=now + timedelta(seconds=self.seconds)
        )
        if not ok:
            self.lost = True
        return ok

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            self.catalog.release_lease(self.recording_id, self.token)
        except Exception as exc:  # noqa: BLE001 - an unreleased lease simply runs out
            log.warning("could not release lease on %s: %s", self.recording_id, type(exc).__name__)

    def start_heartbeat(self) -> None:
        """Renew every third of the lease until released."""

        def beat() -> None:
            while not self._stop.wait(self.seconds / 3):
                try:
                    if not self.renew(self.clock()):
                        log.error("lease on %s was lost", self.recording_id)
                        return
                except Exception as exc:  # noqa: BLE001 - retry at the next beat
                    log.warning("lease renewal failed: %s", type(exc).__name__)

        self._thread = threading.Thread(target=beat, name="job-lease", daemon=True)
        self._thread.start()

    def __enter__(self) -> JobLease:
        self.start_heartbeat()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def take_lease(
    catalog: Catalog,
    recording_id: str,
    *,
    worker: str,
    now: datetime,
    seconds: float,
    clock: Callable[[], datetime],
) -> JobLease | None:
    """Lease ``recording_id`` for ``seconds`` if nobody holds a live lease on it.

    Returns ``None`` when another job holds it (the caller retries later)."""
    token = f"job:{worker}:{uuid.uuid4().hex[:12]}"[:64]
    try:
        taken = catalog.take_lease(
            recording_id, token, now=now, until=now + timedelta(seconds=seconds)
        )
    except Exception as exc:  # noqa: BLE001 - the catalog is unreachable: retry later
        raise StorageError(f"catalog unreachable while leasing: {type(exc).__name__}") from exc
    if not taken:
        return None
    return JobLease(catalog, recording_id, token, seconds, clock)
