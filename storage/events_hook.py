"""Where storage announces lifecycle facts (legal holds, DSAR answers) to the CRM outbox.

Why a hook: the CRM event outbox, its schemas and its delivery live in :mod:`workers.events`,
and ``storage`` must not import ``workers`` (``workers`` builds on ``storage``, not the other
way round). So the few storage steps that cause an event call the *sink* installed here, and
the places that wire a process together -- :func:`workers.bootstrap.open_stores`,
:func:`api.services.build_services`, the ``redactor`` command (``workers.cli.register``) --
install :mod:`workers.events` as that sink with :func:`workers.events.install_sink`.

The sink's calls have exactly the signatures of :mod:`workers.events` (the module itself is
the sink), so an event is emitted exactly as if storage had called it directly: inside the
caller's session when one is passed, with the same deterministic ids.

With no sink installed (a process that never wired the outbox, e.g. a bare script using
storage alone) events are dropped with one warning per process, rather than failing the legal
hold or erasure that caused them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

__all__ = ["EventSink", "install", "uninstall", "sink", "installed"]

log = logging.getLogger("redactor.storage.events")


class EventSink(Protocol):
    """What storage needs from the outbox (satisfied by the module :mod:`workers.events`)."""

    def emit(
        self,
        target: Any,
        event_type: str,
        payload: dict[str, Any],
        now: datetime,
        *,
        key: str | None = None,
    ) -> Any: ...

    def emit_recordings(
        self, catalog: Any, event_type: str, recordings: Iterable[Any], now: datetime, **extra: Any
    ) -> Any: ...

    def hold_data(self, hold: Any) -> dict[str, Any]: ...


class _Unwired:
    """The sink before wiring: drops events, warns once per process."""

    def __init__(self) -> None:
        self._warned = False

    def _drop(self, event_type: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "no CRM event sink installed in this process; dropping %s (and later events)",
                event_type,
            )

    def emit(self, target, event_type, payload, now, *, key=None):  # noqa: ANN001
        self._drop(event_type)

    def emit_recordings(self, catalog, event_type, recordings, now, **extra):  # noqa: ANN001
        self._drop(event_type)
        return []

    def hold_data(self, hold) -> dict[str, Any]:  # noqa: ANN001
        return {}


_lock = threading.Lock()
_UNWIRED = _Unwired()
_sink: EventSink = _UNWIRED


def install(new: EventSink) -> EventSink:
    """Make ``new`` the process's event sink; returns the previous one (for tests)."""
    global _sink
    with _lock:
        previous, _sink = _sink, new
    return previous


def uninstall() -> None:
    """Back to the unwired sink (tests of the wiring)."""
    install(_UNWIRED)


def installed() -> bool:
    """Whether a real sink is wired in this process."""
    return _sink is not _UNWIRED


def sink() -> EventSink:
    """The sink storage emits through, read at each emit (wiring may happen after import)."""
    return _sink
