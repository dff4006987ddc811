"""The versioned schemas (closed: no field outside them is ever sent) and the optional
RabbitMQ publish, on the real broker at 127.0.0.1:5672."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.errors import BadInputError
from workers.events import _FIELDS, EVENT_TYPES, schema_for, validate_data


def test_every_event_type_has_a_closed_versioned_schema():
    for t in EVENT_TYPES:
        s = schema_for(t)
        assert s["$id"].endswith(f"/{t}/v1.json")
        assert s["additionalProperties"] is False
        assert s["properties"]["data"]["additionalProperties"] is False
        assert set(s["properties"]["data"]["properties"]) == set(_FIELDS[t])
        json.dumps(s)  # serialisable as a document


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(EVENT_TYPES),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
)
def test_no_field_outside_the_schema_is_accepted(event_type, name):
    if name in _FIELDS[event_type]:
        return
    with pytest.raises(BadInputError, match=name):
        validate_data(event_type, {name: "x"})


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(EVENT_TYPES), st.data())
def test_validated_data_always_has_exactly_the_schema_fields(event_type, data):
    fields = _FIELDS[event_type]
    payload = {}
    for name, kind in fields.items():
        if kind == "id":
            payload[name] = data.draw(st.text(min_size=1, max_size=20))
        elif kind == "ids":
            payload[name] = data.draw(st.lists(st.text(min_size=1, max_size=5), max_size=3))
        elif kind.startswith("enum:"):
            payload[name] = data.draw(st.sampled_from(kind[5:].split("|")))
        elif kind == "int?":
            payload[name] = data.draw(st.none() | st.integers(0, 10**6))
    out = validate_data(event_type, payload)
    assert set(out) == set(fields)


@pytest.mark.integration
def test_an_event_published_to_rabbitmq_reaches_a_bound_queue(events_engine, clock):
    from kombu import Connection, Exchange, Queue

    from policies.webhooks import WebhooksPolicy
    from workers.events import emit
    from workers.webhooks import Dispatcher

    exchange_name = f"t.events.{uuid.uuid4().hex[:8]}"
    url = "amqp://guest:guest@127.0.0.1:5672//"
    policy = WebhooksPolicy.model_validate(
        {"targets": {"bus": {"url": f"{url}?exchange={exchange_name}"}}, "default": ["bus"]}
    )
    with Connection(url) as conn:
        exchange = Exchange(exchange_name, type="topic", durable=True)
        queue = Queue(f"q.{exchange_name}", exchange, routing_key="recording.*",
                      auto_delete=True, durable=False)  # fmt: skip
        queue(conn.channel()).declare()
        ev = emit(
            events_engine,
            "recording.expired",
            {"recording_id": "r-1", "campaign": "sales", "customer_id": "C-1"},
            clock(),
            key="r-1",
        )
        emit(events_engine, "dsar.exported", {"customer_id": "C-1"}, clock())  # not bound
        report = Dispatcher(events_engine, policy, clock=clock).run_once()
        assert report.delivered == 2
        msg = queue(conn.channel()).get(no_ack=True)
        assert msg is not None
        body = json.loads(msg.body)
        assert body["id"] == ev.id and body["type"] == "recording.expired"
        assert msg.properties["message_id"] == ev.id
        assert queue(conn.channel()).get(no_ack=True) is None
        conn.channel().exchange_delete(exchange_name)
