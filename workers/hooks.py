"""Fault injection for the crash tests: a worker kills itself with SIGKILL at a named stage.

Why files and not mocks: the tests must kill a *real* worker process at an exact point of
the job and then restart it. A test writes ``<REDACTOR_CRASH_HOOKS>/<stage>`` containing a
substring of the source key; the first worker that reaches that stage for a matching key
renames the file to ``<stage>.fired`` (atomic, so only one process fires) and kills itself.
Without ``REDACTOR_CRASH_HOOKS`` this is a no-op: production never sets it.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

__all__ = ["STAGES", "crash_point"]

# In job order. ``after_claim``: the catalog row exists, the lease is held;
# ``after_transcription``: the redacted audio is in scratch; ``after_upload``: the vault
# objects exist; ``before_commit``: catalogued but not yet ``stored``; ``before_delete``:
# ``stored``, the source still in the drop bucket.
STAGES = ("after_claim", "after_transcription", "after_upload", "before_commit", "before_delete")


def crash_point(hooks_dir: Path | None, stage: str, source_key: str) -> None:
    """Kill this process with SIGKILL if a hook file for ``stage`` matches ``source_key``."""
    if hooks_dir is None:
        return
    path = Path(hooks_dir) / stage
    try:
        pattern = path.read_text().strip()
    except OSError:
        return
    if pattern and pattern not in source_key:
        return
    try:
        os.rename(path, path.with_name(f"{stage}.fired"))
    except OSError:
        return  # another process fired it first
    os.kill(os.getpid(), signal.SIGKILL)
