"""The boto3 object store against a real SeaweedFS."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta

import pytest

from redactor.errors import ConflictError, NotFoundError, PermissionDenied
from storage.objectstore import ObjectStore

pytestmark = pytest.mark.integration
MB = 1024 * 1024


def test_a_small_object_round_trips_with_metadata(object_store, s3_bucket):
    res = object_store.put(s3_bucket, "a/b.txt", b"hello", metadata={"origin": "test"})
    assert res.size == 5 and res.version_id
    assert object_store.get_bytes(s3_bucket, "a/b.txt") == b"hello"
    info = object_store.head(s3_bucket, "a/b.txt")
    assert info.size == 5 and info.metadata == {"origin": "test"}


def test_a_large_object_goes_up_in_parts_and_streams_back(object_store, s3_bucket, tmp_path):
    data = os.urandom(3 * object_store.settings.part_size + 123)
    src = tmp_path / "big.bin"
    src.write_bytes(data)
    with object_store.writer(s3_bucket, "big") as w:
        with open(src, "rb") as fh:
            while chunk := fh.read(MB):
                w.write(chunk)
        assert w._upload_id is not None  # really multipart
    out = io.BytesIO()
    assert object_store.download_to(s3_bucket, "big", out) == len(data)
    assert out.getvalue() == data


def test_a_missing_object_is_not_found(object_store, s3_bucket):
    with pytest.raises(NotFoundError, match="nope"):
        object_store.head(s3_bucket, "nope")
    with pytest.raises(NotFoundError):
        object_store.get_bytes(s3_bucket, "nope")


def test_a_conditional_put_refuses_an_existing_key(object_store, s3_bucket):
    object_store.put(s3_bucket, "claim", b"first", if_none_match=True)
    with pytest.raises(ConflictError):
        object_store.put(s3_bucket, "claim", b"second", if_none_match=True)
    assert object_store.get_bytes(s3_bucket, "claim") == b"first"


def test_a_conditional_multipart_put_refuses_an_existing_key(object_store, s3_bucket):
    object_store.put(s3_bucket, "claim", b"first")
    big = os.urandom(object_store.settings.part_size + 1)
    with pytest.raises(ConflictError):
        object_store.put(s3_bucket, "claim", big, if_none_match=True)
    assert object_store.get_bytes(s3_bucket, "claim") == b"first"


def test_listing_pages_with_a_cursor_returns_every_key_once(object_store, s3_bucket):
    keys = [f"drop/{i:03d}.wav" for i in range(7)]
    for k in keys:
        object_store.put(s3_bucket, k, b"x")
    object_store.put(s3_bucket, "other/x", b"x")
    seen, cursor, pages = [], None, 0
    while True:
        page = object_store.list(s3_bucket, "drop/", cursor=cursor, limit=3)
        seen += [i.key for i in page.items]
        pages += 1
        if page.cursor is None:
            break
        cursor = page.cursor
    assert seen == keys and pages == 3
    assert [i.key for i in object_store.iter_objects(s3_bucket, "drop/")] == keys


def test_an_aborted_upload_leaves_no_object(object_store, s3_bucket):
    with pytest.raises(RuntimeError), object_store.writer(s3_bucket, "half") as w:
        w.write(os.urandom(2 * object_store.settings.part_size))
        raise RuntimeError("source failed")
    assert not object_store.exists(s3_bucket, "half")
    assert object_store.list(s3_bucket).items == []


def test_object_lock_stops_deletion_of_a_locked_version(object_store, locked_bucket):
    until = datetime.now(UTC) + timedelta(days=1)
    res = object_store.put(locked_bucket, "ckpt", b"checkpoint", retain_until=until)
    info = object_store.head(locked_bucket, "ckpt")
    assert info.lock_mode == "COMPLIANCE" and info.retain_until is not None
    with pytest.raises(PermissionDenied, match="object lock"):
        object_store.delete(locked_bucket, "ckpt", version_id=res.version_id)
    assert object_store.get_bytes(locked_bucket, "ckpt", version_id=res.version_id) == b"checkpoint"


def test_a_legal_hold_stops_deletion_until_it_is_lifted(object_store, locked_bucket):
    res = object_store.put(locked_bucket, "held", b"x", legal_hold=True)
    assert object_store.head(locked_bucket, "held").legal_hold
    with pytest.raises(PermissionDenied):
        object_store.delete(locked_bucket, "held", version_id=res.version_id)
    object_store.set_legal_hold(locked_bucket, "held", False, version_id=res.version_id)
    object_store.delete(locked_bucket, "held", version_id=res.version_id)
    with pytest.raises(NotFoundError):
        object_store.head(locked_bucket, "held", version_id=res.version_id)


def test_a_delete_says_whether_it_left_a_delete_marker(object_store, s3_bucket):
    plain = f"{s3_bucket}-plain"
    object_store.create_bucket(plain, versioning=False)
    object_store.put(plain, "k", b"v1")
    assert object_store.delete(plain, "k") is None
    object_store.put(s3_bucket, "k", b"v1")
    assert object_store.delete(s3_bucket, "k")


def test_deleting_in_a_versioned_bucket_keeps_the_old_version(object_store, s3_bucket):
    res = object_store.put(s3_bucket, "k", b"v1")
    object_store.delete(s3_bucket, "k")
    assert not object_store.exists(s3_bucket, "k")
    versions = object_store.list_versions(s3_bucket, "k")
    assert any(v.version_id == res.version_id and not v.delete_marker for v in versions)
    assert any(v.delete_marker for v in versions)


def test_bucket_creation_is_idempotent_and_reports_object_lock(object_store, locked_bucket):
    object_store.create_bucket(locked_bucket, object_lock=True)
    assert object_store.object_lock_enabled(locked_bucket)
    assert object_store.bucket_exists(locked_bucket)
    assert not object_store.bucket_exists("no-such-bucket-here")


def test_wrong_credentials_are_refused(s3_settings, s3_bucket):
    bad = ObjectStore(s3_settings.with_(secret_key="wrong"))
    with pytest.raises(PermissionDenied):
        bad.put(s3_bucket, "x", b"x")
