"""End to end: a recording dropped into the bucket is redacted by the worker's job, and a
signed ``recording.redacted`` webhook reaches the reference receiver -- also when the
receiver was down for a while. Real SeaweedFS, SQLite catalog, faster-whisper tiny.en."""

from __future__ import annotations

import pytest

from tests.events.conftest import SECRET, hooks_policy
from workers.job import process_recording

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def dispatcher(job_ctx, clock):
    from workers.webhooks import Dispatcher, WebhookSettings

    def make(url: str):
        return Dispatcher(
            job_ctx.catalog,
            hooks_policy(url),
            WebhookSettings(backoff_base=5, backoff_max=30, public_url="https://redactor.test"),
            clock=clock,
            env={"T_WEBHOOK_SECRET": SECRET},
        )

    return make


def test_a_dropped_recording_produces_a_signed_redacted_webhook_once_even_after_an_outage(
    job_ctx, worker_env, drop, receiver, dispatcher, clock
):
    [key] = drop(1, start=11)
    res = process_recording(job_ctx, worker_env["REDACTOR_DROP_BUCKET"], key)
    assert res.outcome == "done", res
    d = dispatcher(receiver.url)
    assert d.run_once().failed == 1  # the receiver is down
    clock.advance(6)
    assert d.run_once().failed == 1  # still down
    receiver.ack_failures = 1  # back, but its first answer is lost
    receiver.start()
    clock.advance(11)
    assert d.run_once().failed == 1
    clock.advance(21)
    assert d.run_once().delivered == 1
    assert receiver.rejected == []  # every request carried a valid signature
    assert len(receiver.requests) == 2 and receiver.duplicates == 1
    [event] = receiver.events.values()
    assert event["type"] == "recording.redacted"
    data = event["data"]
    assert data["recording_id"] == res.recording_id
    assert data["customer_id"] == "CUST-11" and data["campaign"] == "sales"
    assert data["state"] == "stored" and data["regions"] is not None
    assert set(data) == {
        "recording_id", "campaign", "customer_id", "call_id", "state", "regions",
        "redacted_seconds",
    }  # fmt: skip
    # the job run again (a redelivered message) emits nothing new
    process_recording(job_ctx, worker_env["REDACTOR_DROP_BUCKET"], key)
    clock.advance(60)
    assert d.run_once().sent == 0


def test_a_corrupt_recording_produces_a_quarantined_event_without_its_error_text(
    job_ctx, worker_env, drop, receiver, dispatcher
):
    [key] = drop(1, start=12, data=b"RIFF\x00\x00 this is not audio at all")
    res = process_recording(job_ctx, worker_env["REDACTOR_DROP_BUCKET"], key)
    assert res.outcome == "quarantined", res
    receiver.start()
    assert dispatcher(receiver.url).run_once().delivered == 1
    [event] = receiver.events.values()
    assert event["type"] == "recording.quarantined"
    assert event["data"]["reason"] == "bad_input"
    assert event["data"]["recording_id"] == res.recording_id
