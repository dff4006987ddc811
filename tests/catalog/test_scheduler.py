"""The APScheduler job sweeps on its own: a due recording is gone without anyone asking."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from policies.loader import parse_policy
from workers.sweeper import SweepSettings, start_scheduler

from .conftest import T0, store_recording

POLICY = parse_policy("retention: {audio_days: 1, transcript_days: 1, report_days: 1}\n")


@pytest.mark.integration
def test_the_scheduled_job_expires_a_due_recording(catalog, cat_vault, hasher):
    rec, _ = store_recording(catalog, cat_vault, POLICY, hasher, "in/s.wav", kinds=("audio",))
    sched = start_scheduler(
        catalog,
        cat_vault,
        lambda: POLICY,
        settings=SweepSettings(interval_seconds=1),
        clock=lambda: T0 + timedelta(days=2),
    )
    try:
        deadline = time.monotonic() + 30
        while catalog.get(rec.id).state != "expired":
            assert time.monotonic() < deadline, "the scheduled sweep did not run"
            time.sleep(0.05)
    finally:
        sched.shutdown(wait=True)
