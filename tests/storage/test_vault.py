"""The vault end to end against a real SeaweedFS: round trips, every tamper case,
rotation, shredding, object lock."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from redactor.errors import (
    BadInputError,
    ConflictError,
    CryptoError,
    NotFoundError,
    PermissionDenied,
)
from storage import crypto
from storage.format import HEADER_SIZE, MAGIC
from storage.keyring import LocalKeyring
from storage.keystore import DataKeyRow
from storage.vault import ObjectRef, Vault

pytestmark = pytest.mark.integration

F, S = crypto.FIRST_SEGMENT_PLAINTEXT, crypto.SEGMENT_PLAINTEXT
SIZES = [0, 1, F - 1, F, F + 1, F + S - 1, F + S, F + S + 1]


def _raw(vault: Vault, obj) -> bytes:
    return vault.store.get_bytes(obj.bucket, obj.key)


def _overwrite(vault: Vault, key: str, data: bytes) -> None:
    vault.store.put(vault.bucket, key, data)


@pytest.mark.parametrize("size", SIZES)
def test_a_recording_round_trips_at_each_segment_boundary(vault, size):
    data = os.urandom(size)
    obj = vault.put("rec-1", "audio", data)
    assert obj.size == size
    assert obj.stored_size == HEADER_SIZE + crypto.ciphertext_size(size)
    raw = _raw(vault, obj)
    assert hashlib.sha256(raw).hexdigest() == obj.sha256
    assert vault.get_bytes(obj) == data


def test_the_stored_bytes_do_not_contain_the_plaintext(vault):
    data = b"card number 4111 1111 1111 1111 " * 1000
    obj = vault.put("rec-1", "transcript", data)
    raw = _raw(vault, obj)
    assert raw.startswith(MAGIC) and b"4111" not in raw


@pytest.mark.slow
def test_a_100_mb_recording_streams_in_and_out_from_files(vault, tmp_path):
    src = tmp_path / "big.wav"
    digest = hashlib.sha256()
    with open(src, "wb") as fh:
        for _ in range(100):
            block = os.urandom(1024 * 1024)
            digest.update(block)
            fh.write(block)
    obj = vault.put("rec-big", "audio", src)
    assert obj.size == 100 * 1024 * 1024
    out = tmp_path / "back.wav"
    assert vault.get_to(obj, out) == obj.size
    back = hashlib.sha256()
    with open(out, "rb") as fh:
        while chunk := fh.read(1 << 20):
            back.update(chunk)
    assert back.hexdigest() == digest.hexdigest()


def test_open_streams_verified_chunks(vault):
    data = os.urandom(F + S + 10)
    obj = vault.put("rec-1", "audio", io.BytesIO(data))
    chunks = list(vault.open(obj, chunk_size=100_000))
    assert len(chunks) > 1 and b"".join(chunks) == data


def test_an_unknown_kind_is_refused_naming_the_valid_ones(vault):
    with pytest.raises(BadInputError, match="audio.*transcript.*report.*quarantine"):
        vault.put("rec-1", "video", b"x")
    with pytest.raises(BadInputError, match="recording id"):
        vault.put("../etc", "audio", b"x")


# -- tamper cases ----------------------------------------------------------------------------
def test_a_tampered_byte_fails_to_open(vault):
    obj = vault.put("rec-1", "audio", os.urandom(F + 100))
    raw = bytearray(_raw(vault, obj))
    for pos in (HEADER_SIZE + 5, HEADER_SIZE + 100, len(raw) // 2, len(raw) - 1):
        bad = bytearray(raw)
        bad[pos] ^= 0x01
        _overwrite(vault, obj.key, bytes(bad))
        with pytest.raises(CryptoError):
            vault.get_bytes(ObjectRef(obj.bucket, obj.key))


def test_a_truncated_object_fails_to_open(vault):
    obj = vault.put("rec-1", "audio", os.urandom(F + S + 100))
    raw = _raw(vault, obj)
    for cut in (HEADER_SIZE - 1, HEADER_SIZE + crypto.SEGMENT_SIZE, len(raw) - 1):
        _overwrite(vault, obj.key, raw[:cut])
        with pytest.raises(CryptoError):
            vault.get_bytes(ObjectRef(obj.bucket, obj.key))


def test_a_truncated_object_leaves_no_output_file(vault, tmp_path):
    obj = vault.put("rec-1", "audio", os.urandom(F + S + 100))
    _overwrite(vault, obj.key, _raw(vault, obj)[:-20])
    outdir = tmp_path / "out"
    outdir.mkdir()
    with pytest.raises(CryptoError):
        vault.get_to(ObjectRef(obj.bucket, obj.key), outdir / "out.wav")
    assert list(outdir.iterdir()) == []


def test_an_object_copied_to_another_key_fails_to_open(vault):
    a = vault.put("rec-1", "audio", b"audio of call one")
    b = vault.put("rec-2", "audio", b"audio of call two")
    _overwrite(vault, b.key, _raw(vault, a))
    with pytest.raises(CryptoError):
        vault.get_bytes(ObjectRef(b.bucket, b.key))


def test_a_swapped_object_fails_even_if_the_key_row_is_edited_to_match(vault):
    """The associated data, not only the row check, binds the ciphertext to its key."""
    a = vault.put("rec-1", "audio", b"audio of call one")
    moved = "rec-1/audio/moved"
    _overwrite(vault, moved, _raw(vault, a))
    with vault.keystore._sessions.begin() as s:
        s.execute(update(DataKeyRow).where(DataKeyRow.key_id == a.key_id).values(object_key=moved))
    with pytest.raises(CryptoError):
        vault.get_bytes(moved)


def test_a_relabelled_kind_fails_to_open(vault):
    a = vault.put("rec-1", "audio", b"audio")
    with vault.keystore._sessions.begin() as s:
        s.execute(update(DataKeyRow).where(DataKeyRow.key_id == a.key_id).values(kind="report"))
    with pytest.raises(CryptoError):
        vault.get_bytes(a)


def test_a_wrong_kek_fails_to_open(vault, tmp_path):
    obj = vault.put("rec-1", "audio", b"secret audio")
    impostor = LocalKeyring(tmp_path / "other-keys", "vault")
    impostor.generate()  # same id local:vault:v1, other key material
    other = Vault(vault.store, impostor, vault.keystore, vault.bucket)
    with pytest.raises(CryptoError):
        other.get_bytes(obj)


def test_a_wrapped_key_moved_to_another_row_fails_to_unwrap(vault):
    a = vault.put("rec-1", "audio", b"one")
    b = vault.put("rec-2", "audio", b"two")
    wrapped_a = vault.keystore.get(a.key_id).wrapped
    with vault.keystore._sessions.begin() as s:
        s.execute(update(DataKeyRow).where(DataKeyRow.key_id == b.key_id).values(wrapped=wrapped_a))
    with pytest.raises(CryptoError):
        vault.get_bytes(b)


def test_a_missing_key_row_fails_to_open_and_head_says_so(vault):
    obj = vault.put("rec-1", "audio", b"x")
    vault.keystore.remove(obj.key_id)
    with pytest.raises(CryptoError, match="no data key"):
        vault.get_bytes(obj)
    assert vault.head(obj).state == "missing_key"


def test_a_missing_kek_fails_to_open(vault):
    obj = vault.put("rec-1", "audio", b"x")
    vault.keyring.destroy(obj.kek_id)
    with pytest.raises(CryptoError, match="not available"):
        vault.get_bytes(obj)


def test_an_unknown_format_version_fails_to_open(vault):
    obj = vault.put("rec-1", "audio", b"x")
    raw = bytearray(_raw(vault, obj))
    raw[len(MAGIC)] = 9
    _overwrite(vault, obj.key, bytes(raw))
    with pytest.raises(CryptoError, match="unknown vault format version 9"):
        vault.get_bytes(ObjectRef(obj.bucket, obj.key))


def test_a_header_pointing_at_another_key_fails_to_open(vault):
    a = vault.put("rec-1", "audio", b"one")
    b = vault.put("rec-1", "audio", b"two")
    raw = bytearray(_raw(vault, a))
    raw[len(MAGIC) + 1 : HEADER_SIZE] = bytes.fromhex(b.key_id)
    _overwrite(vault, a.key, bytes(raw))
    with pytest.raises(CryptoError):
        vault.get_bytes(ObjectRef(a.bucket, a.key))


def test_a_missing_object_is_not_found(vault):
    with pytest.raises(NotFoundError):
        vault.get_bytes("rec-1/audio/none")


# -- shredding -------------------------------------------------------------------------------
def test_shredding_a_recording_makes_every_object_unreadable_and_reports_it(vault):
    objs = [vault.put("rec-1", k, os.urandom(100)) for k in ("audio", "transcript", "report")]
    keep = vault.put("rec-2", "audio", b"other call")
    assert vault.shred("rec-1") == 3
    assert vault.shred("rec-1") == 0  # idempotent
    for obj in objs:
        with pytest.raises(NotFoundError, match="shredded"):
            vault.get_bytes(obj)
        status = vault.head(obj)
        assert status.state == "shredded" and status.shredded_at is not None
    assert vault.get_bytes(keep) == b"other call"
    assert all(r.wrapped is None for r in vault.keys("rec-1"))


def test_a_locked_version_is_still_crypto_shredded(vault):
    until = datetime.now(UTC) + timedelta(days=30)
    obj = vault.put("rec-1", "audio", b"locked audio", retain_until=until, legal_hold=True)
    with pytest.raises(PermissionDenied):
        vault.delete(obj)  # WORM: the version stays
    vault.shred("rec-1")
    status = vault.head(obj)
    assert status.state == "shredded" and status.lock_mode == "COMPLIANCE" and status.legal_hold
    with pytest.raises(NotFoundError, match="shredded"):
        vault.get_bytes(obj)


def test_shredding_covers_old_versions_under_the_same_key(vault):
    v1 = vault.put("rec-1", "report", b"version one", key="rec-1/report.json")
    v2 = vault.put("rec-1", "report", b"version two", key="rec-1/report.json")
    assert v1.version_id != v2.version_id
    assert vault.get_bytes(v1) == b"version one"
    assert vault.shred_object(v1) == 1
    with pytest.raises(NotFoundError, match="shredded"):
        vault.get_bytes(v1)
    assert vault.get_bytes(v2) == b"version two"


def test_a_vault_put_with_if_none_match_refuses_to_overwrite(vault):
    vault.put("rec-1", "report", b"one", key="rec-1/r.json")
    with pytest.raises(ConflictError):
        vault.put("rec-1", "report", b"two", key="rec-1/r.json", if_none_match=True)
    # the refused put left no key behind
    assert len(vault.keys("rec-1")) == 1


# -- rotation --------------------------------------------------------------------------------
def test_rotation_rewraps_every_key_without_rewriting_objects(vault):
    objs = [vault.put(f"rec-{i}", "audio", os.urandom(50)) for i in range(5)]
    before = [vault.store.head(o.bucket, o.key) for o in objs]
    old = vault.keyring.primary_id
    new = vault.keyring.generate()
    report = vault.rotate(batch=2)
    assert (report.kek_id, report.rewrapped, report.remaining) == (new, 5, 0)
    after = [vault.store.head(o.bucket, o.key) for o in objs]
    assert [(b.version_id, b.etag) for b in before] == [(a.version_id, a.etag) for a in after]
    vault.retire_kek(old)
    for o in objs:
        assert vault.head(o).kek_id == new
        assert len(vault.get_bytes(o)) == 50


def test_an_interrupted_rotation_resumes_where_it_stopped(vault):
    objs = [vault.put(f"rec-{i}", "audio", bytes([i]) * 10) for i in range(7)]
    old = vault.keyring.primary_id
    vault.keyring.generate()
    first = vault.rotate(batch=3, max_batches=1)
    assert (first.rewrapped, first.remaining) == (3, 4)
    with pytest.raises(ConflictError, match="still wraps 4"):
        vault.retire_kek(old)

    class Crash(Exception):
        pass

    def crash_after_first_batch(done: int) -> None:
        raise Crash()

    with pytest.raises(Crash):
        vault.rotate(batch=2, on_batch=crash_after_first_batch)
    assert vault.keystore.count_by_kek()[old] == 2
    final = vault.rotate(batch=3)
    assert (final.rewrapped, final.remaining) == (2, 0)
    vault.retire_kek(old)
    for i, o in enumerate(objs):
        assert vault.get_bytes(o) == bytes([i]) * 10


def test_rotation_skips_shredded_keys_and_reports_unusable_ones(vault):
    a = vault.put("rec-1", "audio", b"a")
    b = vault.put("rec-2", "audio", b"b")
    vault.shred("rec-1")
    with vault.keystore._sessions.begin() as s:
        s.execute(
            update(DataKeyRow).where(DataKeyRow.key_id == b.key_id).values(wrapped=b"junk" * 10)
        )
    vault.keyring.generate()
    report = vault.rotate()
    assert report.rewrapped == 0 and report.failed == [b.key_id] and report.remaining == 1
    assert vault.head(a).state == "shredded"


def test_a_shredded_key_leaves_no_trace_in_the_sqlite_files(vault, tmp_path):
    obj = vault.put("rec-1", "audio", b"x")
    wrapped = vault.keystore.get(obj.key_id).wrapped
    assert wrapped and len(wrapped) > 40
    vault.shred("rec-1")  # the engine stays open, as in a running service
    files = [p for p in tmp_path.iterdir() if p.name.startswith("catalog.sqlite")]
    assert files
    for path in files:
        assert wrapped not in path.read_bytes(), path.name
