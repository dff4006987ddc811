"""Deliver outbox events: signed webhooks (and broker publishes), retries, dead letters, replay.

How: :meth:`Dispatcher.run_once` first *fans out* new outbox events -- one ``event_deliveries``
row per target the policy names for the event's campaign -- then sends every due delivery.
A 2xx answer marks it delivered. Anything else (refused connection, timeout, 5xx, 4xx) is
retried with doubling backoff (:func:`policies.webhooks.backoff`) until the target's
``max_attempts``; then the delivery is *dead*: kept, listed by ``redactor events dead`` and
sent again by ``redactor events replay``. A ``410 Gone`` is dead at once.

Why at least once (and not exactly once): a receiver may process a request and fail to
answer; the only safe reaction is to send again. Each event has a stable ``id`` (also in the
``X-Event-Id`` header): the receiver deduplicates on it.

The signature (``X-Signature: t=<unix seconds>,v1=<hex>``) is HMAC-SHA256 under the target's
secret over ``"<t>." + body``. The receiver recomputes it, compares in constant time and
refuses a ``t`` older than its tolerance (5 minutes by default) -- a captured request cannot
be replayed later, and within the window the event id makes a replay a duplicate.
:func:`verify_signature` is that check for receivers written in Python.

Several dispatchers may run at once: a delivery is claimed by a conditional update that
pushes its ``next_attempt_at`` one lease ahead, so only one of them sends it at a time.

Where the parts live: the signature in :mod:`workers.webhooks_signing`, the listing of
deliveries, dead letters and replay in :mod:`workers.webhooks_deliveries`. Import them all
from here.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from policies.webhooks import WebhooksPolicy, WebhookTarget, backoff
from redactor.errors import ConfigError
from workers.events_model import DeliveryRow, Event, OutboxRow, _event, ts
from workers.webhooks_deliveries import (
    DeliveryView,
    _engine,
    dead_letters,
    deliveries,
    replay,
)
from workers.webhooks_signing import DEFAULT_TOLERANCE as DEFAULT_TOLERANCE
from workers.webhooks_signing import SIGNATURE_HEADER, _secret, sign, verify_signature

__all__ = [
    "WebhookSettings",
    "Dispatcher",
    "DeliveryView",
    "RunReport",
    "WebhookService",
    "sign",
    "verify_signature",
    "dead_letters",
    "deliveries",
    "replay",
    "SIGNATURE_HEADER",
]

log = logging.getLogger("redactor.webhooks")
USER_AGENT = "call-redactor-webhooks/1"


@dataclass(frozen=True)
class WebhookSettings:
    """``from_env`` reads ``REDACTOR_WEBHOOK_BACKOFF`` (s, first retry),
    ``REDACTOR_WEBHOOK_BACKOFF_MAX`` (s), ``REDACTOR_WEBHOOK_POLL`` (s between rounds),
    ``REDACTOR_WEBHOOK_LEASE`` (s a claimed delivery stays ours) and ``REDACTOR_PUBLIC_URL``
    (the base of the links in events; none when unset)."""

    backoff_base: float = 10.0
    backoff_max: float = 3600.0
    poll_interval: float = 2.0
    lease_seconds: float = 60.0
    public_url: str | None = None
    batch: int = 100

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides: Any) -> WebhookSettings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, field_, default in (
            ("REDACTOR_WEBHOOK_BACKOFF", "backoff_base", cls.backoff_base),
            ("REDACTOR_WEBHOOK_BACKOFF_MAX", "backoff_max", cls.backoff_max),
            ("REDACTOR_WEBHOOK_POLL", "poll_interval", cls.poll_interval),
            ("REDACTOR_WEBHOOK_LEASE", "lease_seconds", cls.lease_seconds),
        ):
            raw = env.get(name)
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise ConfigError(f"{name}={raw!r} is not a number of seconds") from None
            if value <= 0:
                raise ConfigError(f"{name}={raw!r} must be positive")
            values[field_] = value
        values["public_url"] = (env.get("REDACTOR_PUBLIC_URL") or "").rstrip("/") or None
        values.update(overrides)
        return cls(**values)


# --- signatures ---------------------------------------------------------------------------


@dataclass
class RunReport:
    fanned_out: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


# --- the dispatcher -----------------------------------------------------------------------


class Dispatcher:
    """Fans out and sends events for one deployment.

    ``policy`` is a :class:`~policies.webhooks.WebhooksPolicy` or a callable returning the
    current one (re-read each round, so a policy change applies without a restart).
    ``clock`` is injected: tests move it instead of waiting out the backoff.
    """

    def __init__(
        self,
        engine: Any,
        policy: WebhooksPolicy | Callable[[], WebhooksPolicy],
        settings: WebhookSettings | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        env: dict | None = None,
        broker: Any = None,
    ) -> None:
        self.engine = _engine(engine)
        self._policy = policy
        self.settings = settings or WebhookSettings()
        self.clock = clock
        self.env = os.environ if env is None else env
        self._broker = broker

    def policy(self) -> WebhooksPolicy:
        return self._policy() if callable(self._policy) else self._policy

    # fan-out -------------------------------------------------------------------------------

    def fan_out(self, now: datetime | None = None) -> int:
        """Create the delivery rows of every event not yet fanned out; returns how many."""
        now = now or self.clock()
        policy = self.policy()
        made = 0
        with Session(self.engine) as s:
            pending = list(
                s.scalars(
                    select(OutboxRow)
                    .where(OutboxRow.dispatched_at.is_(None))
                    .order_by(OutboxRow.occurred_at)
                    .limit(self.settings.batch * 10)
                )
            )
        for row in pending:
            with Session(self.engine) as s, s.begin():
                claimed = s.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row.id, OutboxRow.dispatched_at.is_(None))
                    .values(dispatched_at=ts(now))
                ).rowcount
                if claimed != 1:
                    continue
                for name, _target in policy.targets_for(row.type, row.campaign):
                    s.add(
                        DeliveryRow(
                            event_id=row.id,
                            target=name,
                            state="pending",
                            attempts=0,
                            next_attempt_at=ts(now),
                            updated_at=ts(now),
                        )
                    )
                    made += 1
        return made

    # sending -------------------------------------------------------------------------------

    def deliver_due(self, now: datetime | None = None) -> RunReport:
        """Send every delivery due at ``now`` once; record the outcome of each."""
        now = now or self.clock()
        report = RunReport()
        policy = self.policy()
        with Session(self.engine) as s:
            due = list(
                s.execute(
                    select(DeliveryRow.id, DeliveryRow.next_attempt_at)
                    .where(DeliveryRow.state == "pending", DeliveryRow.next_attempt_at <= ts(now))
                    .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
                    .limit(self.settings.batch)
                )
            )
        lease_until = ts(now + timedelta(seconds=self.settings.lease_seconds))
        for did, old_next in due:
            with Session(self.engine) as s, s.begin():
                got = s.execute(
                    update(DeliveryRow)
                    .where(
                        DeliveryRow.id == did,
                        DeliveryRow.state == "pending",
                        DeliveryRow.next_attempt_at == old_next,
                    )
                    .values(next_attempt_at=lease_until)
                ).rowcount
            if got != 1:
                continue  # another dispatcher took it
            self._deliver_one(did, policy, now, report)
        return report

    def run_once(self, now: datetime | None = None) -> RunReport:
        """One round: fan out new events, then send what is due."""
        now = now or self.clock()
        made = self.fan_out(now)
        report = self.deliver_due(now)
        report.fanned_out = made
        return report

    def _deliver_one(self, did: int, policy: WebhooksPolicy, now: datetime, report: RunReport):
        with Session(self.engine) as s:
            d = s.get(DeliveryRow, did)
            ev = _event(s.get(OutboxRow, d.event_id))
            attempts = d.attempts
            name = d.target
        target = policy.targets.get(name)
        status: int | None = None
        if target is None:
            ok, error, final = False, f"target {name!r} is no longer in the policy", True
        else:
            report.sent += 1
            try:
                status = self._send(target, ev, now)
                ok = 200 <= status < 300
                error = None if ok else f"HTTP {status}"
                final = status == 410
            except ConfigError as exc:
                ok, error, final = False, str(exc), False
            except Exception as exc:  # noqa: BLE001 - any failure of the receiver is retried
                ok, error, final = False, f"{type(exc).__name__}: {exc}"[:500], False
        attempts += 1
        done = self.clock()
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_status": status,
            "updated_at": ts(done),
        }
        if ok:
            values.update(state="delivered", delivered_at=ts(done), last_error=None)
            report.delivered += 1
        else:
            max_attempts = target.max_attempts if target else 1
            if final or attempts >= max_attempts:
                values.update(state="dead", last_error=error)
                report.dead += 1
                log.warning("event %s to %s is dead after %d attempts", ev.id, name, attempts)
            else:
                wait = backoff(attempts, self.settings.backoff_base, self.settings.backoff_max)
                values.update(next_attempt_at=ts(now + timedelta(seconds=wait)), last_error=error)
                report.failed += 1
                log.info("event %s to %s failed (%s); retry in %.0fs", ev.id, name, error, wait)
        with Session(self.engine) as s, s.begin():
            s.execute(update(DeliveryRow).where(DeliveryRow.id == did).values(**values))

    def links(self, ev: Event) -> dict[str, str]:
        base = self.settings.public_url
        if not base or not ev.recording_id:
            return {}
        rid = ev.recording_id
        return {
            "recording": f"{base}/api/v1/recordings/{rid}",
            "crm_link": f"{base}/api/v1/crm/recordings/{rid}/link",
        }

    def _send(self, target: WebhookTarget, ev: Event, now: datetime) -> int:
        body = ev.body(self.links(ev))
        if target.is_broker:
            from workers.broker_events import publish

            publish(target.url, ev, body, broker=self._broker, timeout=target.timeout_seconds)
            return 200
        secret = _secret(target, self.env)
        return _post(target, body, ev, sign(secret, body, int(now.timestamp())))


def _post(target: WebhookTarget, body: bytes, ev: Event, signature: str) -> int:
    import ssl
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        target.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature,
            "X-Event-Id": ev.id,
            "X-Event-Type": ev.type,
        },
    )
    context = None
    if target.scheme == "https":
        context = ssl.create_default_context(cafile=target.ca_file)
    try:
        with urllib.request.urlopen(  # noqa: S310 - scheme checked by the policy model
            req, timeout=target.timeout_seconds, context=context
        ) as resp:
            resp.read(1024)
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --- the background service ---------------------------------------------------------------


class WebhookService:
    """:class:`Dispatcher` rounds on a thread, as a ``start()``/``stop()`` service for
    ``redactor serve`` (see :mod:`workers.bootstrap`)."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="webhooks", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.dispatcher.run_once()
            except Exception as exc:  # noqa: BLE001 - a round fails; the next one retries
                log.error("webhook round failed: %s: %s", type(exc).__name__, exc)
            self._stop.wait(self.dispatcher.settings.poll_interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
