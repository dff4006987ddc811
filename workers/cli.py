"""``redactor worker``, ``redactor ingest run``, ``redactor status``; services for ``serve``.

Handlers import their dependencies lazily (``redactor --help`` stays instant).
"""

from __future__ import annotations

import os
import sys

__all__ = ["register", "background_services"]


class _LazyOutbox:
    """The CRM outbox (:mod:`workers.events`) as storage's event sink, imported on first use
    so that ``redactor --help`` does not load SQLAlchemy."""

    def __getattr__(self, name: str):
        from workers import events

        return getattr(events, name)


def register(subparsers) -> None:
    # The ``redactor`` command wires its process here: legal holds and DSAR answers made by
    # ``redactor hold`` / ``redactor dsar`` (storage.catalog_cli) emit their CRM events.
    from storage import events_hook
    from workers import retention_cli

    events_hook.install(_LazyOutbox())
    retention_cli.register(subparsers)

    w = subparsers.add_parser("worker", help="run a Celery worker (several machines)")
    w.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="jobs at once (default 1): processes (prefork) or threads sharing one set of "
        "models and one speech-recognition lane (threads, like redactor serve's job slots)",
    )
    w.add_argument("--pool", choices=("prefork", "threads", "solo"), default="prefork")
    w.add_argument("--loglevel", default="INFO")
    w.set_defaults(func=_worker)

    ing = subparsers.add_parser("ingest", help="watch the drop bucket").add_subparsers(
        dest="ingest_cmd", metavar="ACTION"
    )
    r = ing.add_parser("run", help="run the ingest watcher (and a local pool unless celery)")
    r.add_argument("--scheduler", choices=("local", "celery"), default=None)
    r.add_argument("--workers", type=int, default=None, help="local pool size")
    r.add_argument("--events-port", type=int, default=None, help="listen for S3 events")
    r.add_argument("--once", action="store_true", help="exit when the drop bucket is empty")
    r.add_argument("--timeout", type=float, default=3600.0, help="with --once: give up after")
    r.set_defaults(func=_ingest_run)

    s = subparsers.add_parser("status", help="a quick summary of the pipeline")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(func=_status)


def background_services(settings=None) -> list:
    """What ``redactor serve`` runs beside the API: ``run_server(..., background=this)``."""
    from workers.bootstrap import serve_services

    return serve_services(settings)


def _settings(args):
    from workers.settings import WorkerSettings

    return WorkerSettings.from_env(
        scheduler=getattr(args, "scheduler", None),
        workers=getattr(args, "workers", None),
        events_port=getattr(args, "events_port", None),
    )


def _worker(args) -> int:
    import tempfile

    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ and args.pool == "prefork":
        # jobs run in pool children: their metrics reach /metrics through shared files
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="redactor-metrics-")
    from workers.bootstrap import open_stores, prepare
    from workers.celery_app import _context, get_app
    from workers.logging import configure

    configure()
    settings = _settings(args)
    prepare(settings, open_stores(migrate=True))
    if settings.metrics_port:
        _serve_metrics(settings.metrics_port)
    if args.pool == "threads":
        from workers.celery_app import use_threads

        use_threads(args.concurrency)
    if args.pool in ("solo", "threads"):
        _context()  # load the models before taking the first message
    app = get_app(settings)
    app.worker_main(
        argv=[
            "worker",
            f"--loglevel={args.loglevel}",
            f"--concurrency={args.concurrency}",
            f"--pool={args.pool}",
            "-Q",
            settings.queue,
            "-n",
            f"redactor-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )
    return 0


def _serve_metrics(port: int) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from workers.metrics import render

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_a) -> None:
            pass

        def do_GET(self) -> None:
            body, ctype = render()
            self.send_response(200 if self.path == "/metrics" else 404)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="metrics").start()


def _ingest_run(args) -> int:
    import signal
    import threading

    from workers.bootstrap import open_stores, prepare
    from workers.ingest import EventListener, Watcher
    from workers.logging import configure

    configure()
    settings = _settings(args)
    stores = open_stores(migrate=True)
    prepare(settings, stores)
    if settings.scheduler == "celery":
        from workers.celery_app import CeleryDispatcher

        dispatcher = CeleryDispatcher(settings)
    else:
        from workers.pool import WorkerPool

        dispatcher = WorkerPool(settings)
    watcher = Watcher(stores.store, stores.catalog, dispatcher, settings)
    services = [dispatcher]
    if settings.events_port:
        services.append(
            EventListener(watcher, port=settings.events_port, token=settings.events_token)
        )
    for svc in services:
        svc.start()
    if settings.metrics_port:
        _serve_metrics(settings.metrics_port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if args.once:
            ok = watcher.drain(args.timeout)
            print(f"drop bucket {'empty' if ok else 'NOT empty'}; submitted {watcher.submitted}")
            if watcher.stage_seconds:  # where the time went (stages overlap across jobs)
                stages = sorted(watcher.stage_seconds.items(), key=lambda kv: -kv[1])
                print("job stage seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in stages))
            return 0 if ok else 1
        watcher.start()
        while not stop.wait(1):
            pass
        return 0
    finally:
        watcher.stop()
        for svc in reversed(services):
            svc.stop()


def _status(args) -> int:
    import json

    from workers.bootstrap import open_stores
    from workers.settings import WorkerSettings

    settings = WorkerSettings.from_env()
    stores = open_stores(migrate=True)
    out: dict = {"states": {}}
    from storage.catalog_models import STATES

    for st in STATES:
        n = stores.catalog.count(state=st)
        if n:
            out["states"][st] = n
    out["catalogued"] = sum(out["states"].values())
    out["drop_bucket"] = settings.drop_bucket
    try:
        n, cursor, cap = 0, None, 10_000
        while n < cap:
            page = stores.store.list(settings.drop_bucket, settings.drop_prefix, cursor=cursor)
            n += sum(1 for i in page.items if not i.key.endswith(".json"))
            cursor = page.cursor
            if cursor is None:
                break
        out["waiting_in_drop_bucket"] = f"{n}+" if cursor else n
    except Exception as exc:  # noqa: BLE001 - status must answer even when S3 is down
        out["waiting_in_drop_bucket"] = f"unknown (object store: {type(exc).__name__})"
    if settings.scheduler == "celery":
        from workers.celery_app import CeleryDispatcher

        out["broker_queue_depth"] = CeleryDispatcher(settings).queue_depth()
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    states = ", ".join(f"{k} {v}" for k, v in out["states"].items()) or "none"
    print(f"catalog: {out['catalogued']} recordings ({states})")
    print(
        f"drop bucket {settings.drop_bucket!r}: {out['waiting_in_drop_bucket']} recordings waiting"
    )
    if "broker_queue_depth" in out:
        print(f"broker queue {settings.queue!r}: {out['broker_queue_depth']} messages")
    q = out["states"].get("quarantined", 0)
    if q:
        print(f"attention: {q} quarantined (see `redactor catalog` for reasons)", file=sys.stdout)
    return 0
