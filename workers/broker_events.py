"""Optional: publish events to RabbitMQ for consumers on the same network.

A target whose ``url`` is ``amqp://user:pass@host:5672/vhost?exchange=redactor.events``
publishes each event to a durable *topic* exchange with the event type as routing key
(``recording.redacted``...), persistent, with publisher confirms, ``message_id`` = the event
id. Consumers bind a queue with the patterns they want (``recording.*``). The body is the
same JSON as the webhook's; there is no HMAC (the broker's own authentication covers it).

It goes through the same outbox, retries and dead letters as webhooks
(:mod:`workers.webhooks`): a broker that is down is retried like a CRM that is down.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

__all__ = ["publish", "split_url", "DEFAULT_EXCHANGE"]

DEFAULT_EXCHANGE = "redactor.events"
_lock = threading.Lock()


def split_url(url: str) -> tuple[str, str]:
    """``(broker url without the query, exchange name)``."""
    parts = urlsplit(url)
    exchange = (parse_qs(parts.query).get("exchange") or [DEFAULT_EXCHANGE])[0]
    return urlunsplit(parts._replace(query="")), exchange


def publish(url: str, ev: Any, body: bytes, *, broker: Any = None, timeout: float = 10.0) -> None:
    """Publish one event (confirmed). ``broker`` is an open ``kombu.Connection`` to reuse,
    or None to open one for this call."""
    from kombu import Connection, Exchange, Producer

    conn_url, exchange_name = split_url(url)
    exchange = Exchange(exchange_name, type="topic", durable=True)
    own = broker is None
    conn = broker or Connection(
        conn_url, connect_timeout=timeout, transport_options={"confirm_publish": True}
    )
    try:
        with _lock:
            channel = conn.channel()
            try:
                producer = Producer(channel, exchange=exchange)
                producer.publish(
                    body,
                    routing_key=ev.type,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=ev.id,
                    headers={"event_type": ev.type, "schema_version": ev.schema_version},
                    declare=[exchange],
                    retry=False,
                    timeout=timeout,
                )
            finally:
                channel.close()
    finally:
        if own:
            conn.release()
