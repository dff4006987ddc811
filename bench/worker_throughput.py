"""Worker throughput: seconds of audio per wall-clock second, workers vs one bare process.

Builds ``--files`` short recordings (2-4 s of FSDD digits, 8 kHz WAV, with sidecars) or,
with ``--calls N``, N call-length recordings from the evaluation corpus, then measures, on the same files, with the same model and ``REDACTOR_CPU_THREADS``:

* ``faster-whisper``: the model alone in this process, transcribing every file with the
  pipeline's decoding settings (greedy, word timestamps) -- the issue's baseline;
* ``pipeline``: :class:`redactor.pipeline.Redactor` alone in this process (transcription,
  detection, verification; no S3, no vault, no catalog);
* ``pool xK``: ``redactor ingest run --once --workers K`` -- the real workers: drop bucket
  (a private SeaweedFS), catalog (SQLite), vault, deletion;
* ``celery x2`` (``--celery``): two ``redactor worker`` processes on RabbitMQ, fed by
  ``redactor ingest run --scheduler celery``; with ``--kill`` one is SIGKILLed mid-run and
  restarted. Prints the exactly-once check: catalogued, duplicates, left in the drop
  bucket, vault objects that are not sealed.

Worker throughput is measured from the catalog: total audio seconds over the time from the
first claim to the last source deletion (model loading excluded, as for the baselines).

    .venv/bin/python bench/worker_throughput.py --files 60
    .venv/bin/python bench/worker_throughput.py --calls 20
    .venv/bin/python bench/worker_throughput.py --files 200 --celery --kill --skip-pool

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _env(home: Path, server, queue: str) -> dict[str, str]:
    return {
        "REDACTOR_HOME": str(home),
        "REDACTOR_S3_ENDPOINT": server.endpoint_url,
        "REDACTOR_S3_ACCESS_KEY": server.access_key,
        "REDACTOR_S3_SECRET_KEY": server.secret_key,
        "REDACTOR_DATABASE_URL": f"sqlite:///{home / 'catalog.sqlite'}",
        "REDACTOR_KEY_DIR": str(home / "keys"),
        "REDACTOR_DROP_BUCKET": "drop",
        "REDACTOR_VAULT_BUCKET": "vault",
        "REDACTOR_QUEUE": queue,
        "REDACTOR_SIDECAR_GRACE": "0",
        "REDACTOR_POLL_INTERVAL": "0.5",
        "REDACTOR_JOB_LEASE": "10",
        "REDACTOR_RETRY_BACKOFF": "1",
        "REDACTOR_SWEEP_INTERVAL": "3600",
    }


def _window(env: dict[str, str]) -> tuple[float, int, float]:
    """(audio seconds, recordings done, seconds from first claim to last deletion)."""
    from storage.catalog_repo import Catalog

    cat = Catalog.open(env["REDACTOR_DATABASE_URL"], migrate=False)
    try:
        recs = cat.search(state="source_deleted", limit=1000)
        start = end = None
        audio = 0.0
        for r in recs:
            audio += float((r.redaction_summary or {}).get("duration", 0.0))
            for e in cat.history(r.id):
                if e.action == "created":
                    start = e.at if start is None or e.at < start else start
                if e.to_state == "source_deleted":
                    end = e.at if end is None or e.at > end else end
        span = (end - start).total_seconds() if start and end else float("nan")
        return audio, len(recs), span
    finally:
        cat.engine.dispose()


def _fresh(base: Path, name: str, server, files, sidecars) -> dict[str, str]:
    from storage.keyring import LocalKeyring
    from storage.objectstore import ObjectStore

    home = base / name
    LocalKeyring(home / "keys", "vault").generate()
    env = {**os.environ, **_env(home, server, f"bench-{name}-{os.getpid()}")}
    env["REDACTOR_DROP_BUCKET"] = f"drop-{name}"
    env["REDACTOR_VAULT_BUCKET"] = f"vault-{name}"
    store = ObjectStore(server.settings())
    store.create_bucket(env["REDACTOR_DROP_BUCKET"])
    store.create_bucket(env["REDACTOR_VAULT_BUCKET"], object_lock=True)
    for i, ((suffix, data), side) in enumerate(zip(files, sidecars, strict=True)):
        store.put(env["REDACTOR_DROP_BUCKET"], f"in/call-{i:05d}{suffix}", data)
        store.put(env["REDACTOR_DROP_BUCKET"], f"in/call-{i:05d}.json", side)
    return env


def _redactor(*args: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "redactor.cli", *args],
        cwd=REPO,
        env=env,
        stdout=open(log, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _exactly_once(env: dict, n: int, server) -> str:
    from storage.objectstore import ObjectStore
    from workers.bootstrap import open_stores

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        stores = open_stores(migrate=False)
        recs = stores.catalog.search(limit=1000)
        sources = [r.source_key for r in recs]
        store = ObjectStore(server.settings())
        left = [o.key for o in store.iter_objects(env["REDACTOR_DROP_BUCKET"])]
        unsealed = 0
        for o in store.iter_objects(env["REDACTOR_VAULT_BUCKET"]):
            try:
                stores.vault.head(o.key)
            except Exception:  # noqa: BLE001 - not a vault object: unredacted or foreign
                unsealed += 1
        states: dict[str, int] = {}
        for r in recs:
            states[r.state] = states.get(r.state, 0) + 1
        stores.catalog.engine.dispose()
        return (
            f"catalogued {len(recs)}/{n} {states}, duplicates {len(sources) - len(set(sources))}, "
            f"left in drop bucket {len(left)}, vault objects not sealed {unsealed}"
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=60, help="short FSDD clips to drop")
    ap.add_argument(
        "--calls",
        type=int,
        default=0,
        help="drop this many call-length recordings from the evaluation corpus (seed 0: "
        "payment, health and contact dialogues, every format) instead of short clips",
    )
    ap.add_argument("--threads", type=int, default=1, help="REDACTOR_CPU_THREADS for all runs")
    ap.add_argument("--celery", action="store_true", help="also run two Celery workers")
    ap.add_argument("--kill", action="store_true", help="SIGKILL one Celery worker mid-run")
    ap.add_argument("--skip-pool", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args(argv)
    os.environ["REDACTOR_CPU_THREADS"] = str(args.threads)

    from storage.seaweed import SeaweedServer
    from tests.fixtures.workers import _fsdd_clip, sidecar_json

    base = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    if args.calls:
        from redactor.evaluation.corpus import build_corpus

        calls = build_corpus(args.calls, 0, base / "corpus")
        files = [(c.audio_path.suffix, c.audio_path.read_bytes()) for c in calls]
        audio_s = sum(c.duration for c in calls)
        args.files = len(files)
    else:
        fsdd = REPO.parent / "shared" / "audio" / "fsdd"
        fsdd = Path(os.environ.get("REDACTOR_SHARED_AUDIO", fsdd.parent)) / "fsdd"
        files = [(".wav", _fsdd_clip(fsdd, i)) for i in range(args.files)]
        audio_s = sum((len(f) - 44) / 16000 for _, f in files)
    sidecars = [sidecar_json(i) for i in range(args.files)]
    from workers.settings import WorkerSettings

    slots = WorkerSettings.from_env().job_slots
    print(f"{args.files} files, {audio_s:.0f} s of audio, {os.cpu_count()} cores, "
          f"{args.threads} CPU thread(s) per process, {slots} job slots per worker")  # fmt: skip
    rows: list[tuple[str, float, int]] = []

    if not args.skip_baseline:
        from models.registry import load_whisper
        from redactor.audio import load
        from redactor.pipeline import Redactor
        from redactor.settings import redact_options
        from redactor.transcribe import TranscribeOptions, resample_to_16k

        paths = []
        for i, (suffix, f) in enumerate(files):
            p = base / f"in-{i:05d}{suffix}"
            p.write_bytes(f)
            paths.append(p)
        opts = redact_options()
        model = load_whisper(opts.model or "tiny.en", cpu_threads=args.threads)
        kwargs = TranscribeOptions(language="en").as_kwargs()

        def bare(path: Path) -> None:
            audio = load(path)
            for ch in range(audio.channels):
                a16 = resample_to_16k(audio.channel_float(ch), audio.sample_rate)
                segments, _ = model.transcribe(a16, **kwargs)
                for _ in segments:
                    pass

        bare(paths[0])
        t = time.perf_counter()
        for p in paths:
            bare(p)
        rows.append(("faster-whisper alone", audio_s / (time.perf_counter() - t), len(paths)))
        red = Redactor(opts)
        red.redact_file(paths[0], base / "warm.wav")
        t = time.perf_counter()
        done = 0
        for i, p in enumerate(paths):
            try:
                red.redact_file(p, base / f"out-{i:05d}.wav")
                done += 1
            except Exception:  # noqa: BLE001 - counted
                pass
        rows.append(("pipeline alone", audio_s / (time.perf_counter() - t), done))
        del red, model

    server = SeaweedServer(data_dir=base / "seaweed")
    server.start(timeout=90)
    try:
        if not args.skip_pool:
            for k in (1, 2):
                env = _fresh(base, f"pool{k}", server, files, sidecars)
                p = _redactor(
                    "ingest", "run", "--once", "--workers", str(k), "--timeout", "3000",
                    env=env, log=base / f"pool{k}.log",
                )  # fmt: skip
                p.wait()
                a, n, span = _window(env)
                rows.append((f"pool x{k}", a / span, n))
                print(f"pool x{k}: {_exactly_once(env, args.files, server)}")
                for line in (base / f"pool{k}.log").read_text(errors="replace").splitlines():
                    if line.startswith("job stage seconds"):
                        print(f"pool x{k}: {line} (window {span:.1f} s)")
        if args.celery:
            env = _fresh(base, "celery", server, files, sidecars)
            ws = [_redactor("worker", env=env, log=base / f"celery{i}.log") for i in range(2)]
            feeder = _redactor(
                "ingest", "run", "--scheduler", "celery", env=env, log=base / "feeder.log"
            )
            killed = False
            while True:
                time.sleep(1)
                a, n, span = _window(env)
                if args.kill and not killed and n >= args.files // 3:
                    os.killpg(ws[0].pid, signal.SIGKILL)
                    ws[0].wait()
                    ws[0] = _redactor("worker", env=env, log=base / "celery0b.log")
                    killed = True
                    print(f"killed a Celery worker after {n} recordings; restarted it")
                if n >= args.files:
                    break
            rows.append((f"celery x2{' (one killed)' if killed else ''}", a / span, n))
            for p in [*ws, feeder]:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=60)
            print(f"celery x2: {_exactly_once(env, args.files, server)}")
            from kombu import Connection

            with Connection(
                env.get("REDACTOR_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
            ) as c:
                c.default_channel.queue_delete(env["REDACTOR_QUEUE"])
    finally:
        server.stop()

    print(f"\n{'run':<30}{'audio s / s':>12}{'files':>8}")
    for name, rate, n in rows:
        print(f"{name:<30}{rate:>12.2f}{n:>8}")
    by = dict((name, rate) for name, rate, _ in rows)
    for ref in ("faster-whisper alone", "pipeline alone"):
        if ref in by:
            for name, rate, _ in rows:
                if name.startswith(("pool", "celery")):
                    print(f"ratio {name} / {ref}: {rate / by[ref]:.2f}")
    print(f"work folder: {base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
