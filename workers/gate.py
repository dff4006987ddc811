"""Job slots of one worker process, and the way a suspect job gets the process to itself.

Why: a worker process runs ``job_slots`` jobs at once so that one job's downloading,
decoding, detection, encoding and upload overlap the other's speech recognition. But a
process that dies (SIGKILL, out of memory, a crash in a native library) takes every job it
was running with it, and only one of them may be to blame. So a crash counts toward a
recording's quarantine only when its attempt ran alone, and the attempt after a crash runs
alone (:meth:`JobGate.slot` with ``alone=True``): an innocent neighbour then succeeds, and a
recording that kills its worker on its own is quarantined after ``max_attempts`` crashes of
its own.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

__all__ = ["JobGate"]


class JobGate:
    """``slots`` jobs at once, or one alone. A job waiting to run alone goes before new
    company, so it waits at most for the jobs already running."""

    def __init__(self, slots: int = 1) -> None:
        if slots < 1:
            raise ValueError(f"slots={slots} must be >= 1")
        self.slots = slots
        self._cond = threading.Condition()
        self._active = 0
        self._alone = False
        self._waiting_alone = 0

    @property
    def shared(self) -> bool:
        """Whether a job here may have company (a crash then may not be its fault)."""
        return self.slots > 1

    @contextlib.contextmanager
    def slot(self, *, alone: bool = False) -> Iterator[None]:
        """Hold a slot for one job attempt; ``alone``: wait until no other job runs here,
        and keep others out until this one ends."""
        with self._cond:
            if alone:
                self._waiting_alone += 1
                try:
                    self._cond.wait_for(lambda: self._active == 0)
                finally:
                    self._waiting_alone -= 1
                self._alone = True
            else:
                self._cond.wait_for(
                    lambda: (
                        not self._alone and self._waiting_alone == 0 and self._active < self.slots
                    )
                )
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                if alone:
                    self._alone = False
                self._cond.notify_all()
