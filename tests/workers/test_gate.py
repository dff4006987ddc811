"""Job slots of a worker process, and who is blamed for a crash (no models, no S3)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from workers.gate import JobGate
from workers.quarantine import attempt_history

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def _in_thread(fn) -> threading.Thread:
    t = threading.Thread(target=fn, daemon=True)
    t.start()
    return t


def test_two_slots_let_two_jobs_run_at_once():
    gate = JobGate(2)
    both_in = threading.Barrier(2, timeout=10)

    def job():
        with gate.slot():
            both_in.wait()  # breaks (and fails the join below) unless both are inside

    threads = [_in_thread(job) for _ in range(2)]
    for t in threads:
        t.join(10)
    assert not both_in.broken and all(not t.is_alive() for t in threads)


def test_a_job_that_must_run_alone_waits_for_the_running_one_and_keeps_new_ones_out():
    gate = JobGate(2)
    order: list[str] = []
    first_in, release_first = threading.Event(), threading.Event()
    alone_waiting = threading.Event()

    def first():
        with gate.slot():
            order.append("first in")
            first_in.set()
            release_first.wait(10)
            order.append("first out")

    def alone():
        alone_waiting.set()
        with gate.slot(alone=True):
            order.append("alone in")
            order.append("alone out")

    def later():
        with gate.slot():
            order.append("later in")

    t1 = _in_thread(first)
    assert first_in.wait(10)
    t2 = _in_thread(alone)
    assert alone_waiting.wait(10)
    # wait until the alone job is really queued at the gate before the later one arrives
    with gate._cond:
        assert gate._cond.wait_for(lambda: gate._waiting_alone == 1, timeout=10)
    t3 = _in_thread(later)
    release_first.set()
    for t in (t1, t2, t3):
        t.join(10)
    assert order == ["first in", "first out", "alone in", "alone out", "later in"]


def test_a_gate_of_one_slot_never_has_company():
    assert not JobGate(1).shared and JobGate(2).shared
    with pytest.raises(ValueError, match="slots=0"):
        JobGate(0)


@pytest.fixture
def catalog(tmp_path):
    from storage.catalog_repo import Catalog

    cat = Catalog.open(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    yield cat
    cat.engine.dispose()


def _events(catalog, *events: tuple[str, dict | None]) -> str:
    rec = catalog.create("in/call.wav", now=T0)
    for action, detail in events:
        catalog.log_event(rec.id, action, now=T0, actor="test", detail=detail)
    return rec.id


def test_a_crash_in_company_is_not_counted_and_the_next_attempt_runs_alone(catalog):
    rid = _events(catalog, ("attempt", {"n": 1, "shared": True}))
    assert attempt_history(catalog, rid) == (0, True)


def test_a_crash_alone_and_a_failure_in_company_both_count(catalog):
    rid = _events(
        catalog,
        ("attempt", {"n": 1, "shared": True}),
        ("attempt_failed", {"error": "boom"}),  # its own exception: its fault
        ("attempt", {"n": 2, "shared": False}),  # crashed alone
        ("attempt", {"n": 3, "shared": True}),
        ("attempt_transient", {"error": "EndpointConnectionError"}),  # an outage
    )
    assert attempt_history(catalog, rid) == (2, False)
