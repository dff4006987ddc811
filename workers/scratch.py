"""Private scratch space for a job: the only place an unredacted copy exists besides the source.

Why it matters: a worker killed with SIGKILL runs no ``finally``. Each process works in
``<scratch>/<host>-<pid>`` (mode 0700) and every job empties its folder when it ends; on
start, :func:`reap_stale` removes the folders of processes of this host that no longer run,
so a crash leaves the downloaded source behind only until the next worker starts here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["process_scratch", "job_dir", "reap_stale"]


def _host() -> str:
    return socket.gethostname().replace("-", "_")


def process_scratch(root: Path) -> Path:
    """This process's scratch folder (created, mode 0700)."""
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = root / f"{_host()}-{os.getpid()}"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


@contextlib.contextmanager
def job_dir(root: Path) -> Iterator[Path]:
    """A fresh folder for one job, removed with everything in it when the job ends."""
    path = Path(tempfile.mkdtemp(prefix="job-", dir=process_scratch(root)))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead for our purpose
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def reap_stale(root: Path) -> int:
    """Remove scratch folders left by dead processes of this host; returns how many."""
    if not root.is_dir():
        return 0
    n = 0
    prefix = f"{_host()}-"
    for entry in root.iterdir():
        if not entry.name.startswith(prefix):
            continue
        try:
            pid = int(entry.name[len(prefix) :])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            n += 1
    return n
