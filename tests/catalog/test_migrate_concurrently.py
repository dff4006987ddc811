"""Several processes starting at once against a fresh catalog database (a worker, the
watcher, the API) all find it migrated; none fails with "table already exists"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_MIGRATE = (
    "import sys; from storage.db import make_engine, migrate; "
    "e = make_engine(sys.argv[1]); migrate(e); e.dispose()"
)


def test_processes_migrating_a_fresh_database_at_once_all_succeed(db_url):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE, db_url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120)[0].decode(errors="replace") for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], "\n".join(o[-800:] for o in outs)
    from sqlalchemy import inspect

    from storage.db import make_engine

    engine = make_engine(db_url)
    try:
        assert "recordings" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
