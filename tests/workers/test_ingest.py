"""The watcher and the event listener on real SeaweedFS (no models): pairing, duplicates,
backpressure with more keys than one listing page."""

from __future__ import annotations

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from workers.ingest import EventListener, Watcher
from workers.settings import WorkerSettings

pytestmark = pytest.mark.integration


class Collecting:
    """A dispatcher for these tests: records submissions, room for ``room`` at a time."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.submitted: list[str] = []
        self.on_result = None

    def capacity(self) -> int:
        return self.room - len(self.submitted)

    def submit(self, bucket: str, key: str) -> None:
        self.submitted.append(key)


@pytest.fixture
def store(s3_settings):
    from storage.objectstore import ObjectStore

    return ObjectStore(s3_settings)


def _watcher(store, bucket, room, **kw):
    settings = WorkerSettings(
        drop_bucket=bucket, sidecar_grace=kw.pop("grace", 0), poll_interval=0.1
    )
    d = Collecting(room)
    return Watcher(store, None, d, settings, **kw), d


def test_a_recording_waits_for_its_sidecar_until_the_grace_period_ends(store, s3_bucket):
    store.put(s3_bucket, "in/a.wav", b"x")
    store.put(s3_bucket, "in/b.wav", b"x")
    store.put(s3_bucket, "in/b.json", b"{}")
    w, d = _watcher(store, s3_bucket, 10, grace=3600)
    w.step()
    assert d.submitted == ["in/b.wav"]
    w2, d2 = _watcher(store, s3_bucket, 10, grace=0)
    w2.step()
    assert sorted(d2.submitted) == ["in/a.wav", "in/b.wav"]


def test_duplicate_events_schedule_one_job(store, s3_bucket):
    store.put(s3_bucket, "in/c.wav", b"x")
    store.put(s3_bucket, "in/c.json", b"{}")
    w, d = _watcher(store, s3_bucket, 10)
    listener = EventListener(w, token="s3cret")
    listener.start()
    try:
        event = {"Records": [{"eventName": "s3:ObjectCreated:Put",
                              "s3": {"bucket": {"name": s3_bucket}, "object": {"key": k}}}
                             for k in ("in/c.wav", "in/c.json", "in/c.wav")]}  # fmt: skip
        for _ in range(3):
            req = urllib.request.Request(
                listener.url, json.dumps(event).encode(), method="POST",
                headers={"Authorization": "Bearer s3cret"},
            )  # fmt: skip
            with urllib.request.urlopen(req) as resp:
                assert resp.status == 202
        denied = urllib.request.Request(listener.url, b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(denied)
        assert err.value.code == 401
        w.step()
        w.step()
    finally:
        listener.stop()
    assert d.submitted == ["in/c.wav"]


def test_backpressure_lists_one_page_at_a_time_and_stops_at_capacity(store, s3_bucket):
    n = 1100  # more than one listing page (1000)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: store.put(s3_bucket, f"in/{i:05d}.wav", b""), range(n)))
    w, d = _watcher(store, s3_bucket, 5)
    for _ in range(5):
        w.step()
    assert len(d.submitted) == 5  # never more in flight than the dispatcher allows
    assert len(w._page) <= 1000 and w._cursor is not None  # one page in memory, resumable
    d.room = n + 10
    while w.passes == 0:
        w.step()
    assert len(set(d.submitted)) == n == len(d.submitted)
