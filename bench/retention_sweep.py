"""How fast does the retention sweep clear a backlog of due recordings?

Seeds N recordings (default 100,000), each with ``--objects`` vault objects (default 3:
audio, transcript, report) and one wrapped data key per object in the key store, all past
their deadline; then runs one :func:`workers.sweeper.sweep` and prints the time and the rate.

What is real and what is not:

* real: the catalog database (SQLite file, or PostgreSQL with ``--db-url``), the Alembic
  schema, the leases, the conditional updates, the state history, and crypto-shredding in
  the real key store (``vault_data_keys`` rows wiped);
* not real: the object store. Deleting 300,000 S3 objects measures the S3 server, not the
  sweeper, so a counting in-memory store stands in for it (``--s3-latency-ms`` adds a sleep
  per delete to model one). Wrapped keys are random bytes (no KEK is needed to shred).

    .venv/bin/python bench/retention_sweep.py                      # 100,000 on SQLite
    .venv/bin/python bench/retention_sweep.py --recordings 20000 \
        --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test_bench

Prints figures; asserts only that everything due was swept (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KINDS = ("audio", "transcript", "report")
T0 = datetime(2024, 1, 1, tzinfo=UTC)


class CountingStore:
    """Stands in for :class:`storage.objectstore.ObjectStore`: counts deletes."""

    def __init__(self, latency: float = 0.0) -> None:
        self.deletes = 0
        self.latency = latency

    def delete(self, bucket, key, *, version_id=None, bypass_governance=False) -> None:  # noqa: ANN001
        self.deletes += 1
        if self.latency:
            time.sleep(self.latency)


def seed(engine, n: int, objects: int) -> None:
    from sqlalchemy import insert

    from storage.catalog_models import RecordingEventRow, RecordingObjectRow, RecordingRow
    from storage.keystore import DataKeyRow

    due = T0 + timedelta(days=1)
    chunk = 5000
    for start in range(0, n, chunk):
        recs, objs, keys, events = [], [], [], []
        for i in range(start, min(n, start + chunk)):
            rid = str(uuid.UUID(int=i + 1))
            recs.append(
                {
                    "id": rid,
                    "source_key": f"in/{i}.wav",
                    "campaign": "bench",
                    "customer_id": f"C{i % 9973}",
                    "started_at": T0,
                    "state": "stored",
                    "received_at": T0,
                    "updated_at": T0,
                    "retain_until": due,
                    "next_due_at": due,
                }
            )
            events.append(
                {
                    "recording_id": rid,
                    "at": T0,
                    "to_state": "stored",
                    "action": "state",
                    "actor": "bench",
                }
            )
            for kind in KINDS[:objects]:
                kid = uuid.uuid4().hex
                objs.append(
                    {
                        "recording_id": rid,
                        "kind": kind,
                        "bucket": "bench",
                        "key": f"{rid}/{kind}",
                        "key_id": kid,
                        "stored_at": T0,
                        "delete_after": due,
                    }
                )
                keys.append(
                    {
                        "key_id": kid,
                        "recording_id": rid,
                        "kind": kind,
                        "bucket": "bench",
                        "object_key": f"{rid}/{kind}",
                        "format_version": 1,
                        "kek_id": "vault.v1",
                        "wrapped": os.urandom(60),
                        "created_at": T0,
                    }
                )
        with engine.begin() as conn:
            conn.execute(insert(RecordingRow), recs)
            conn.execute(insert(RecordingObjectRow), objs)
            conn.execute(insert(DataKeyRow), keys)
            conn.execute(insert(RecordingEventRow), events)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--recordings", type=int, default=100_000)
    ap.add_argument("--objects", type=int, default=3, choices=(1, 2, 3))
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--db-url", default=None, help="default: a fresh SQLite file in a temp dir")
    ap.add_argument("--s3-latency-ms", type=float, default=0.0)
    args = ap.parse_args(argv)

    from sqlalchemy import func, select

    from policies.loader import parse_policy
    from storage.catalog_models import RecordingRow
    from storage.catalog_repo import Catalog
    from storage.db import make_engine, migrate
    from storage.keystore import DataKeyRow, KeyStore
    from storage.vault import Vault
    from workers.sweeper import sweep

    tmp = tempfile.TemporaryDirectory(prefix="bench-sweep-")
    url = args.db_url or f"sqlite:///{Path(tmp.name) / 'catalog.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    t = time.perf_counter()
    seed(engine, args.recordings, args.objects)
    seeded = time.perf_counter() - t

    store = CountingStore(args.s3_latency_ms / 1000)
    vault = Vault(store, keyring=None, keystore=KeyStore(engine), bucket="bench")
    catalog = Catalog(engine)
    policy = parse_policy("retention: {audio_days: 1, transcript_days: 1, report_days: 1}\n")
    now = T0 + timedelta(days=2)

    t = time.perf_counter()
    report = sweep(catalog, vault, policy, now, args.batch, worker="bench")
    elapsed = time.perf_counter() - t

    with engine.connect() as conn:
        left = conn.scalar(
            select(func.count()).select_from(RecordingRow).where(RecordingRow.state != "expired")
        )
        live_keys = conn.scalar(
            select(func.count()).select_from(DataKeyRow).where(DataKeyRow.wrapped.is_not(None))
        )
    n = args.recordings
    print(f"database        {engine.dialect.name} ({'temp file' if not args.db_url else url})")
    print(f"seeded          {n:,} recordings x {args.objects} objects in {seeded:.1f} s")
    print(
        f"swept           {report.recordings_expired:,} recordings in {elapsed:.1f} s "
        f"({report.batches} batches of {args.batch})"
    )
    print(
        f"rate            {n / elapsed:,.0f} recordings/s, "
        f"{report.objects_deleted / elapsed:,.0f} objects/s"
    )
    print(
        f"object deletes  {store.deletes:,} (in-memory store, "
        f"{args.s3_latency_ms} ms simulated latency each)"
    )
    print(
        f"keys shredded   {report.keys_shredded:,}; live keys left {live_keys}; "
        f"recordings not expired {left}"
    )
    engine.dispose()
    tmp.cleanup()
    ok = left == 0 and live_keys == 0 and store.deletes == n * args.objects
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
