"""Pure pieces of the workers: settings, event parsing, key filters, log scrubbing, metrics."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.errors import BadInputError, ConfigError
from workers.ingest import parse_s3_event
from workers.job import JobResult, is_recording_key
from workers.logging import JsonFormatter, scrub
from workers.settings import WorkerSettings


def test_settings_come_from_the_environment_and_name_bad_values():
    s = WorkerSettings.from_env({"REDACTOR_WORKERS": "3", "REDACTOR_DROP_BUCKET": "calls"})
    # each worker runs job_slots jobs and has one more waiting
    assert (s.workers, s.job_slots, s.drop_bucket, s.in_flight_limit) == (3, 2, "calls", 9)
    s = WorkerSettings.from_env({"REDACTOR_WORKERS": "2", "REDACTOR_JOB_SLOTS": "1"})
    assert s.in_flight_limit == 4
    with pytest.raises(ConfigError, match="job_slots=0"):
        WorkerSettings(job_slots=0)
    with pytest.raises(ConfigError, match="REDACTOR_WORKERS='many'"):
        WorkerSettings.from_env({"REDACTOR_WORKERS": "many"})
    with pytest.raises(ConfigError, match="local, celery"):
        WorkerSettings(scheduler="kafka")


def test_backoff_doubles_up_to_the_maximum():
    s = WorkerSettings(backoff_base=2, backoff_max=10)
    assert [s.backoff(n) for n in (1, 2, 3, 4, 5)] == [2, 4, 8, 10, 10]


def test_an_s3_event_yields_the_decoded_keys_of_created_objects():
    body = {
        "Records": [
            {"eventName": "s3:ObjectCreated:Put",
             "s3": {"bucket": {"name": "drop"}, "object": {"key": "in/my+call%281%29.wav"}}},
            {"eventName": "s3:ObjectRemoved:Delete",
             "s3": {"bucket": {"name": "drop"}, "object": {"key": "in/gone.wav"}}},
        ]
    }  # fmt: skip
    assert parse_s3_event(json.dumps(body)) == [("drop", "in/my call(1).wav")]


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"Records": [{"s3": {}}]}'])
def test_a_malformed_s3_event_is_refused_with_a_reason(body):
    with pytest.raises(BadInputError, match="S3 event"):
        parse_s3_event(body)


@pytest.mark.parametrize(
    ("key", "expected"),
    [("in/call.wav", True), ("in/call.json", False), ("in/", False), ("in/.tmp", False),
     ("call.flac", True)],
)  # fmt: skip
def test_only_recordings_are_scheduled_not_sidecars_or_folders(key, expected):
    assert is_recording_key(key) is expected


@given(st.from_regex(r"\+?[1-9][0-9]{8,14}", fullmatch=True))
def test_phone_numbers_never_reach_the_log(number):
    assert number.lstrip("+") not in scrub(f"failed for caller {number} today")


def test_log_lines_are_json_without_object_paths_or_exception_messages():
    rec = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "bad %s", ("drop/in/4155550100.wav",), None
    )
    try:
        raise ValueError("CUST-42 card 4539148803436467")
    except ValueError:
        import sys

        rec.exc_info = sys.exc_info()
    line = JsonFormatter().format(rec)
    data = json.loads(line)
    assert data["level"] == "error" and data["error"] == "ValueError"
    assert "4155550100" not in line and "4539148803436467" not in line and "CUST-42" not in line


def test_metrics_count_outcomes_and_audio_seconds():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.metrics import router
    from workers import metrics

    metrics.record(JobResult("done", "k", "r", audio_seconds=3.0, timings={"redact": 0.4}), now=0.0)
    metrics.record(JobResult("quarantined", "k2", "r2"), now=1.0)
    assert metrics.audio_rate(now=1.0) == pytest.approx(3.0 / 60)
    app = FastAPI()
    app.include_router(router)
    text = TestClient(app).get("/metrics").text
    for name in (
        "redactor_recordings_processed_total",
        "redactor_recordings_quarantined_total",
        "redactor_recordings_failed_total",
        "redactor_audio_seconds_total",
        "redactor_audio_seconds_per_second",
        "redactor_queue_depth",
        'redactor_stage_seconds_count{stage="redact"}',
    ):
        assert name in text, name
