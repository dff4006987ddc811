"""Data-subject access and erasure end to end: real SeaweedFS, both databases."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import timedelta

import pytest

from policies.loader import parse_policy
from redactor.errors import NotFoundError
from storage.dsar import erase_subject, export_subject

from .conftest import T0, store_recording

pytestmark = pytest.mark.integration

POLICY = parse_policy("retention:\n  audio_days: 30\n")


def test_the_export_holds_every_recording_decrypted_with_a_manifest(
    catalog, cat_vault, hasher, tmp_path
):
    a, a_data = store_recording(catalog, cat_vault, POLICY, hasher, "in/a.wav")
    b, b_data = store_recording(catalog, cat_vault, POLICY, hasher, "in/b.wav", call_id="C-2")
    other, _ = store_recording(
        catalog, cat_vault, POLICY, hasher, "in/o.wav", customer_id="SOMEONE-ELSE"
    )
    out = tmp_path / "subject.zip"
    result = export_subject(catalog, cat_vault, "CUST-42", out, now=T0)
    assert (result.recordings, result.files) == (2, 6)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["customer_id"] == "CUST-42"
        assert {r["id"] for r in manifest["recordings"]} == {a.id, b.id}
        for rec, data in ((a, a_data), (b, b_data)):
            entry = next(r for r in manifest["recordings"] if r["id"] == rec.id)
            assert entry["call_id"] == rec.call_id and entry["history"][0]["to_state"] == "received"
            for f in entry["files"]:
                content = zf.read(f["path"])
                assert content == data[f["kind"]]
                assert hashlib.sha256(content).hexdigest() == f["sha256"]
        assert not any(other.id in n for n in zf.namelist())
    assert not (tmp_path / "subject.zip.part").exists()
    assert catalog.history(a.id)[-1].action == "dsar_export"


def test_exporting_an_unknown_customer_is_not_found(catalog, cat_vault, tmp_path):
    with pytest.raises(NotFoundError, match="NOBODY"):
        export_subject(catalog, cat_vault, "NOBODY", tmp_path / "x.zip", now=T0)
    assert not (tmp_path / "x.zip").exists()


def test_erasing_a_subject_with_one_record_under_hold(catalog, cat_vault, object_store, hasher):
    free, _ = store_recording(catalog, cat_vault, POLICY, hasher, "in/f.wav")
    held, held_data = store_recording(catalog, cat_vault, POLICY, hasher, "in/h.wav", call_id="C-9")
    bystander, _ = store_recording(
        catalog, cat_vault, POLICY, hasher, "in/x.wav", customer_id="OTHER"
    )
    catalog.set_hold(
        now=T0, reference="LIT-3", reason="pending litigation", set_by="legal", recording_id=held.id
    )
    when = T0 + timedelta(days=1)
    receipt = erase_subject(catalog, cat_vault, POLICY, "CUST-42", now=when)

    assert [e["recording_id"] for e in receipt.erased] == [free.id]
    assert sorted(o["kind"] for o in receipt.erased[0]["objects"]) == [
        "audio",
        "report",
        "transcript",
    ]
    assert receipt.keys_shredded == 3
    assert [h["recording_id"] for h in receipt.held] == [held.id]
    why = receipt.held[0]["held_because"][0]
    assert (why["reference"], why["reason"], why["source"]) == (
        "LIT-3",
        "pending litigation",
        "catalog",
    )
    assert json.loads(receipt.to_json())["held"][0]["call_id"] == "C-9"

    gone = catalog.get(free.id)
    assert gone.state == "erased" and gone.customer_id is None and gone.phone_hash is None
    for obj in gone.objects:
        assert obj.deleted_reason == "erasure"
        assert not object_store.exists(obj.bucket, obj.key)
        assert cat_vault.keystore.get(obj.key_id).shredded
    kept = catalog.get(held.id)
    assert kept.state == "stored" and kept.customer_id == "CUST-42"
    audio = next(o for o in kept.objects if o.kind == "audio")
    assert cat_vault.get_bytes(audio.key) == held_data["audio"]
    assert catalog.get(bystander.id).state == "stored"

    again = erase_subject(catalog, cat_vault, POLICY, "CUST-42", now=when)
    assert again.erased == [] and [h["recording_id"] for h in again.held] == [held.id]


def test_a_recording_being_processed_is_reported_not_silently_skipped(catalog, cat_vault, hasher):
    import json as _json

    from storage.sidecar import parse_sidecar

    from .test_sidecar import GOOD

    rec = catalog.create("in/p.wav", now=T0, meta=parse_sidecar(_json.dumps(GOOD), hasher=hasher))
    receipt = erase_subject(catalog, cat_vault, POLICY, "CUST-42", now=T0)
    assert receipt.erased == [] and receipt.not_erased_now[0]["recording_id"] == rec.id
