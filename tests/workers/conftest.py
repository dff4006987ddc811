"""Helpers for the worker tests that run real processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REDACTOR = [sys.executable, "-m", "redactor.cli"]


class Procs:
    """Subprocesses started by one test, each in its own session; all killed at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str, name: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        p = subprocess.Popen(
            [*REDACTOR, *args],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        p.log_path = self.log_dir / f"{name}.log"  # type: ignore[attr-defined]
        self.procs.append(p)
        return p

    def kill(self, p: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Signal the process group (a Celery worker and its pool children)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, sig)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)

    def stop_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                self.kill(p, signal.SIGTERM)


@pytest.fixture
def procs(tmp_path):
    ps = Procs(tmp_path)
    yield ps
    ps.stop_all()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.5):
    """Poll ``predicate`` until it is truthy (returns its value) or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")


def assert_exactly_once(state: dict, keys: list[str]) -> None:
    """Every key: one catalog row, source_deleted, objects that decrypt; nothing left over."""
    assert sorted(state["by_source"]) == sorted(keys)
    assert all(len(ids) == 1 for ids in state["by_source"].values()), state["by_source"]
    assert state["states"] == {"source_deleted": len(keys)}, state["states"]
    assert state["drop"] == []
    assert state["uncatalogued_live_keys"] == []
    assert state["scratch_files"] == []
    vault = state["stores"].vault
    for rec in state["recordings"]:
        kinds = sorted(o.kind for o in rec.objects if o.live)
        assert kinds == ["audio", "report", "transcript"], (rec.id, kinds)
        for o in rec.objects:
            vault.verify(o.key)  # authenticates every segment
