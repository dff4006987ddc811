"""Kill -9 a real worker process at every stage of the job; each recording is still
processed exactly once (one pool process, restarted by the pool's supervisor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workers.conftest import assert_exactly_once
from workers.hooks import STAGES

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_a_worker_killed_at_each_stage_still_processes_every_recording_exactly_once(
    worker_env, drop, deployment_state, procs
):
    keys = drop(len(STAGES), start=100)
    hooks = Path(worker_env["REDACTOR_CRASH_HOOKS"])
    for stage, key in zip(STAGES, keys, strict=True):
        (hooks / stage).write_text(key)
    # fourteen restarts each load the models again: on 2 busy cores that took over 240 s
    p = procs.start("ingest", "run", "--once", "--workers", "1", "--timeout", "480", name="ingest")
    rc = p.wait(timeout=540)  # under pytest-timeout's 600 s
    log = p.log_path.read_text(errors="replace")
    assert rc == 0, log[-3000:]
    fired = sorted(f.name for f in hooks.iterdir())
    assert fired == sorted(f"{s}.fired" for s in STAGES), fired  # every stage really killed
    assert log.count("died with exit code -9") == len(STAGES)
    assert_exactly_once(deployment_state(), keys)


def test_a_worker_killed_while_its_other_slot_waits_for_work_does_not_stall_the_pool(
    worker_env, drop, deployment_state, procs
):
    # one recording: the second job slot waits for work when the first is killed. With one
    # task queue shared by all children, that wait held the queue's lock, the dead child kept
    # it, and no child after it ever took a job again (seen in CI as a drain that timed out)
    keys = drop(1, start=200)
    hooks = Path(worker_env["REDACTOR_CRASH_HOOKS"])
    (hooks / "after_claim").write_text(keys[0])
    p = procs.start("ingest", "run", "--once", "--workers", "1", "--timeout", "240", name="ingest")
    rc = p.wait(timeout=300)
    log = p.log_path.read_text(errors="replace")
    assert rc == 0, log[-3000:]
    assert (hooks / "after_claim.fired").exists()
    assert log.count("died with exit code -9") == 1
    assert_exactly_once(deployment_state(), keys)
