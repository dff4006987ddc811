"""A server killed (SIGKILL) in the middle of a multipart upload shows no half object."""

from __future__ import annotations

import os
import threading
import time

import pytest

from redactor.errors import NotFoundError, StorageError
from storage.db import make_engine, migrate
from storage.keyring import LocalKeyring
from storage.keystore import KeyStore
from storage.objectstore import ObjectStore
from storage.seaweed import SeaweedServer
from storage.vault import Vault

pytestmark = pytest.mark.integration
MB = 1024 * 1024


class _StallingSource:
    """Gives ``before`` bytes, then blocks until released, then gives ``after`` more."""

    def __init__(self, before: int, after: int) -> None:
        self.left_before, self.left_after = before, after
        self.stalled = threading.Event()
        self.release = threading.Event()

    def read(self, n: int) -> bytes:
        if self.left_before > 0:
            k = min(n, self.left_before)
            self.left_before -= k
            return os.urandom(k)
        self.stalled.set()
        assert self.release.wait(60)
        k = min(n, self.left_after)
        self.left_after -= k
        return os.urandom(k)


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached before the deadline")
        time.sleep(0.05)


def test_a_server_killed_mid_upload_leaves_no_visible_object(tmp_path):
    server = SeaweedServer(data_dir=tmp_path / "weed")
    server.start(timeout=90)
    try:
        store = ObjectStore(server.settings(max_attempts=1, connect_timeout=2, read_timeout=10))
        store.create_bucket("crash", object_lock=True)
        engine = make_engine(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
        migrate(engine, "0001_keystore")
        keyring = LocalKeyring(tmp_path / "keys")
        keyring.generate()
        vault = Vault(store, keyring, KeyStore(engine), "crash")
        src = _StallingSource(before=3 * store.settings.part_size, after=4 * MB)
        errors: list[BaseException] = []

        def upload() -> None:
            try:
                vault.put("rec-crash", "audio", src, key="rec-crash/audio.bin")
            except BaseException as exc:  # noqa: BLE001 - inspected below
                errors.append(exc)

        thread = threading.Thread(target=upload)
        thread.start()
        assert src.stalled.wait(60)
        # at least one part is on the server before the kill
        _wait_for(lambda: store.client.list_multipart_uploads(Bucket="crash").get("Uploads"))
        server.kill()
        src.release.set()
        thread.join(120)
        assert not thread.is_alive()
        assert len(errors) == 1 and isinstance(errors[0], StorageError), errors

        server.start(timeout=90)  # same ports, same data
        with pytest.raises(NotFoundError):
            store.head("crash", "rec-crash/audio.bin")
        assert store.list("crash").items == []
        assert vault.keys("rec-crash") == []  # the failed put took its key row with it
        engine.dispose()
    finally:
        server.stop()
