"""Outbox, signed delivery, retries, dead letters and replay against the reference receiver."""

from __future__ import annotations

import json

import pytest

from redactor.errors import BadInputError, CryptoError, PermissionDenied
from tests.events.conftest import SECRET
from tests.events.receiver import free_port
from workers.events import emit, list_events
from workers.webhooks import dead_letters, deliveries, replay, sign, verify_signature


def _redacted(engine, now, rid="rec-1", **extra):
    data = {"recording_id": rid, "campaign": "sales", "customer_id": "CUST-1", "call_id": "C-1"}
    data.update(extra)
    return emit(engine, "recording.redacted", data, now, key=rid)


def test_an_event_is_delivered_signed_and_the_receiver_checks_the_signature(
    events_engine, clock, receiver, dispatcher_for
):
    receiver.start()
    ev = _redacted(events_engine, clock())
    report = dispatcher_for(receiver.url).run_once()
    assert (report.fanned_out, report.delivered) == (1, 1)
    assert list(receiver.events) == [ev.id]
    got = receiver.events[ev.id]
    assert got["type"] == "recording.redacted"
    assert got["data"]["recording_id"] == "rec-1"
    assert got["links"]["recording"] == "https://redactor.test/api/v1/recordings/rec-1"
    assert receiver.rejected == []
    assert deliveries(events_engine)[0].state == "delivered"


def test_a_wrong_secret_is_rejected_by_the_receiver_and_retried(
    events_engine, clock, receiver, dispatcher_for
):
    receiver.start()
    _redacted(events_engine, clock())
    d = dispatcher_for(receiver.url)
    d.env = {"T_WEBHOOK_SECRET": "not-the-secret-0123456789"}
    report = d.run_once()
    assert report.failed == 1 and receiver.events == {}
    assert receiver.rejected == ["bad signature"]
    assert deliveries(events_engine)[0].last_status == 401


def test_a_receiver_that_is_down_gets_the_event_exactly_once_when_it_comes_back(
    events_engine, clock, receiver, dispatcher_for
):
    ev = _redacted(events_engine, clock())
    d = dispatcher_for(receiver.url)  # nobody listens on the port yet
    assert d.run_once().failed == 1
    assert d.run_once().sent == 0  # not due before the backoff
    clock.advance(11)
    assert d.run_once().failed == 1  # second attempt, still down
    receiver.ack_failures = 1  # comes back, processes, but its first answer is lost
    receiver.start()
    clock.advance(21)
    assert d.run_once().failed == 1
    clock.advance(41)
    assert d.run_once().delivered == 1
    assert len(receiver.requests) == 2  # at least once on the wire...
    assert list(receiver.events) == [ev.id]  # ...exactly once after deduplication
    assert receiver.duplicates == 1
    view = deliveries(events_engine)[0]
    assert (view.state, view.attempts) == ("delivered", 4)


def test_after_max_attempts_the_delivery_is_a_dead_letter_and_replay_sends_it(
    events_engine, clock, receiver, dispatcher_for
):
    ev = _redacted(events_engine, clock())
    d = dispatcher_for(receiver.url, max_attempts=2)
    d.run_once()
    clock.advance(11)
    assert d.run_once().dead == 1
    dead = dead_letters(events_engine)
    assert [(x.event_id, x.attempts) for x in dead] == [(ev.id, 2)]
    assert "Error" in (dead[0].last_error or "")
    clock.advance(3600)
    assert d.run_once().sent == 0  # dead letters are not retried on their own
    receiver.start()
    assert replay(events_engine, now=clock(), all_dead=True) == 1
    assert d.run_once().delivered == 1
    assert list(receiver.events) == [ev.id]
    assert dead_letters(events_engine) == []


def test_410_gone_is_dead_at_once(events_engine, clock, dispatcher_for):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Gone(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(410)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", free_port()), Gone)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        _redacted(events_engine, clock())
        url = f"http://127.0.0.1:{srv.server_address[1]}/x"
        assert dispatcher_for(url).run_once().dead == 1
    finally:
        srv.shutdown()
        srv.server_close()


def test_replaying_a_captured_request_later_is_refused_and_within_the_window_is_a_duplicate(
    events_engine, clock, receiver, dispatcher_for
):
    import urllib.error
    import urllib.request

    receiver.start()
    ev = _redacted(events_engine, clock())
    dispatcher_for(receiver.url).run_once()
    body = receiver.requests[0]["body"]
    header = sign(SECRET.encode(), body, int(clock().timestamp()))

    def resend():
        req = urllib.request.Request(
            receiver.url,
            data=body,
            method="POST",
            headers={"X-Signature": header, "X-Event-Id": ev.id},
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert resend() == 200 and receiver.duplicates == 1 and len(receiver.events) == 1
    clock.advance(301)
    assert resend() == 401 and receiver.rejected == ["stale timestamp"]


def test_the_same_fact_emitted_twice_is_one_event(events_engine, clock):
    a = _redacted(events_engine, clock())
    b = _redacted(events_engine, clock())
    assert a.id == b.id
    assert len(list_events(events_engine)) == 1


def test_an_event_refuses_fields_outside_its_schema(events_engine, clock):
    with pytest.raises(BadInputError, match="phone"):
        _redacted(events_engine, clock(), phone="+39 333 1234567")
    with pytest.raises(BadInputError, match="unknown event type"):
        emit(events_engine, "recording.played", {}, clock())
    with pytest.raises(BadInputError, match="reason"):
        emit(events_engine, "recording.quarantined", {"recording_id": "r", "reason": "?"}, clock())


def test_campaign_routing_sends_only_to_the_campaigns_targets(events_engine, clock, receiver):
    from policies.webhooks import WebhooksPolicy
    from workers.webhooks import Dispatcher

    receiver.start()
    policy = WebhooksPolicy.model_validate(
        {
            "targets": {
                "crm": {
                    "url": receiver.url,
                    "secret_env": "S",
                    "allow_http": True,
                    "events": ["recording.*"],
                },
            },
            "campaigns": {"sales": ["crm"]},
        }
    )
    _redacted(events_engine, clock(), rid="r-sales")
    _redacted(events_engine, clock(), rid="r-other", campaign="support")
    emit(events_engine, "dsar.exported", {"customer_id": "CUST-1", "campaign": "sales"}, clock())
    Dispatcher(events_engine, policy, clock=clock, env={"S": SECRET}).run_once()
    assert [e["data"]["recording_id"] for e in receiver.events.values()] == ["r-sales"]


def test_verify_signature_accepts_its_own_and_refuses_changes(clock):
    body = b'{"id":"x"}'
    header = sign(b"k" * 32, body, int(clock().timestamp()))
    assert verify_signature(b"k" * 32, header, body, now=clock()) == int(clock().timestamp())
    with pytest.raises(CryptoError):
        verify_signature(b"k" * 32, header, body + b" ", now=clock())
    with pytest.raises(PermissionDenied, match="replay"):
        verify_signature(b"k" * 32, header, body, now=clock.advance(600))
    with pytest.raises(PermissionDenied, match="malformed"):
        verify_signature(b"k" * 32, "v1=00", body, now=clock())


def test_the_policy_refuses_plain_http_and_unknown_targets():
    from policies.webhooks import WebhooksPolicy

    with pytest.raises(ValueError, match="allow_http"):
        WebhooksPolicy.model_validate(
            {"targets": {"a": {"url": "http://crm/x", "secret_env": "S"}}}
        )
    with pytest.raises(ValueError, match="unknown target 'b'"):
        WebhooksPolicy.model_validate(
            {"targets": {"a": {"url": "https://crm/x", "secret_env": "S"}}, "default": ["b"]}
        )
    with pytest.raises(ValueError, match="secret"):
        WebhooksPolicy.model_validate({"targets": {"a": {"url": "https://crm/x"}}})


def test_an_event_emitted_in_a_session_commits_or_rolls_back_with_it(events_engine, clock):
    from sqlalchemy.orm import Session

    data = {"hold_id": "h-1", "scope": "campaign", "campaign": "sales", "reference": "CASE-1"}
    with Session(events_engine) as s:
        emit(s, "legal_hold.set", data, clock(), key="h-1")
        s.rollback()
    assert list_events(events_engine) == []
    with Session(events_engine) as s, s.begin():
        emit(s, "legal_hold.set", data, clock(), key="h-1")
    assert [e.type for e in list_events(events_engine)] == ["legal_hold.set"]


def test_hold_and_recording_events_carry_no_free_text(events_engine, clock):
    from storage.catalog_repo import Catalog
    from workers.events import emit_recording, hold_data

    cat = Catalog(events_engine)
    rec = cat.create("in/x.wav", now=clock())
    hold = cat.set_hold(
        now=clock(), reference="CASE-7", reason="litigation with a named person", set_by="a",
        recording_id=rec.id,
    )  # fmt: skip
    ev = emit(cat, "legal_hold.set", hold_data(hold), clock(), key=hold.id)
    assert ev.data["scope"] == "recording" and "litigation" not in json.dumps(ev.data)
    q = emit_recording(cat, "recording.quarantined", rec, clock(), reason="NotCleanError: 4111")
    assert q.data["reason"] == "not_clean" and "4111" not in json.dumps(q.data)
