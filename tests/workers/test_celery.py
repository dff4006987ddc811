"""Celery on the real RabbitMQ: two workers, one killed mid-run; broker and S3 outages;
duplicate deliveries. Every recording ends catalogued once, nothing left behind."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time

import pytest

from tests.workers.conftest import assert_exactly_once, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def celery_queue(worker_env):
    """The test's queue name; deleted from the shared broker afterwards."""
    yield worker_env["REDACTOR_QUEUE"]
    from kombu import Connection

    with (
        Connection(
            os.environ.get("REDACTOR_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
        ) as c,
        contextlib.suppress(Exception),
    ):  # best effort cleanup
        c.default_channel.queue_delete(worker_env["REDACTOR_QUEUE"])


def _count(state: str) -> int:
    from storage.catalog_repo import Catalog

    cat = Catalog.open(os.environ["REDACTOR_DATABASE_URL"], migrate=False)
    try:
        return cat.count(state=state)
    finally:
        cat.engine.dispose()


def _migrated():
    from storage.catalog_repo import Catalog

    Catalog.open(os.environ["REDACTOR_DATABASE_URL"]).engine.dispose()


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def test_two_celery_workers_one_killed_mid_run_process_every_recording_exactly_once(
    worker_env_factory, pg_url, drop, deployment_state, procs, celery_queue
):
    """The several-machines set-up: RabbitMQ, catalog on PostgreSQL."""
    worker_env = worker_env_factory(db_url=pg_url, REDACTOR_QUEUE=celery_queue)
    n = 40  # the full 200 run is bench/worker_throughput.py --celery-200
    keys = drop(n, start=1000)
    _migrated()
    # one prefork worker, and one running two jobs in threads (one ASR lane): the one killed
    threads = ("worker", "--pool", "threads", "--concurrency", "2")
    workers = [
        procs.start(*threads, name="worker0"),
        procs.start("worker", "--concurrency", "1", name="worker1"),
    ]
    # duplicate deliveries: the first ten recordings are published three extra times
    from workers.celery_app import CeleryDispatcher
    from workers.settings import WorkerSettings

    dispatcher = CeleryDispatcher(WorkerSettings.from_env())
    for key in keys[:10]:
        for _ in range(3):
            dispatcher.submit(worker_env["REDACTOR_DROP_BUCKET"], key)
    procs.start("ingest", "run", "--scheduler", "celery", name="watcher")
    wait_for(lambda: _count("source_deleted") >= 8, 180, "8 recordings processed")
    procs.kill(workers[0])  # SIGKILL to the worker and its pool child, mid-run
    assert _count("source_deleted") < n, "the kill came too late to test anything"
    workers[0] = procs.start(*threads, name="worker0-restarted")
    wait_for(lambda: _count("source_deleted") == n, 240, f"all {n} recordings processed")
    assert_exactly_once(deployment_state(), keys)


def test_broker_and_object_store_outages_mid_run_lose_nothing(
    worker_env_factory, drop, deployment_state, procs, tmp_path, celery_queue
):
    from storage.seaweed import SeaweedServer

    server = SeaweedServer(data_dir=tmp_path / "seaweed")
    server.start(timeout=90)
    try:
        worker_env_factory(s3=server.settings(), REDACTOR_QUEUE=celery_queue)
        n = 16
        keys = drop(n, start=2000)
        _migrated()
        worker = procs.start("worker", "--concurrency", "1", name="worker")
        watcher = procs.start("ingest", "run", "--scheduler", "celery", name="watcher")
        wait_for(lambda: _count("source_deleted") >= 3, 180, "3 recordings processed")
        try:
            _rabbitmqctl("stop_app")
            time.sleep(3)  # the outage itself: nothing to await
        finally:
            _rabbitmqctl("start_app")
        done = _count("source_deleted")
        wait_for(
            lambda: _count("source_deleted") >= min(n, done + 3),
            180,
            "work resumed after the broker",
        )
        server.stop()
        time.sleep(3)  # the outage itself
        server.start(timeout=90)
        wait_for(lambda: _count("source_deleted") == n, 240, f"all {n} processed after S3 returned")
        assert_exactly_once(deployment_state(), keys)
        # the outages really happened while the processes ran
        assert "Connection to broker lost" in worker.log_path.read_text(errors="replace")
        assert "unreachable" in watcher.log_path.read_text(errors="replace")
    finally:
        procs.stop_all()
        server.stop()


def test_celery_on_redis_processes_recordings_exactly_once(
    worker_env_factory, drop, deployment_state, procs
):
    queue = f"q-redis-{os.getpid()}-{time.monotonic_ns()}"
    worker_env_factory(REDACTOR_BROKER_URL="redis://127.0.0.1:6379/15", REDACTOR_QUEUE=queue)
    keys = drop(4, start=3000)
    _migrated()
    try:
        procs.start("worker", "--concurrency", "1", name="worker")
        procs.start("ingest", "run", "--scheduler", "celery", name="watcher")
        wait_for(lambda: _count("source_deleted") == len(keys), 180, "4 recordings via Redis")
        assert_exactly_once(deployment_state(), keys)
    finally:
        procs.stop_all()
        import redis

        r = redis.Redis(host="127.0.0.1", port=6379, db=15)
        r.delete(queue, f"{queue}\x06\x163", f"{queue}\x06\x166", f"{queue}\x06\x169")
