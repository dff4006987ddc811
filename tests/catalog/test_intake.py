"""Admission: consent and sidecar rules applied at ingest, against real SeaweedFS."""

from __future__ import annotations

import json
import logging

import pytest

from policies.loader import parse_policy
from redactor.errors import ConflictError
from storage.intake import admit

from .conftest import T0
from .test_sidecar import GOOD

pytestmark = pytest.mark.integration

DEFAULT = parse_policy("version: 1\n")


def _upload(store, bucket, key, sidecar):
    store.put(bucket, key, b"RIFF....WAVE")
    if sidecar is not None:
        store.put(
            bucket,
            key[:-4] + ".json",
            sidecar if isinstance(sidecar, bytes) else json.dumps(sidecar).encode(),
        )


def test_a_call_without_disclosed_consent_is_deleted_at_ingest_with_a_log_entry(
    catalog, object_store, s3_bucket, hasher, caplog
):
    _upload(object_store, s3_bucket, "in/nc.wav", {**GOOD, "consent_disclosed": False})
    with caplog.at_level(logging.WARNING, logger="redactor.intake"):
        res = admit(
            catalog,
            object_store,
            DEFAULT,
            bucket=s3_bucket,
            source_key="in/nc.wav",
            hasher=hasher,
            now=T0,
        )
    assert res.action == "rejected" and not res.process
    assert not object_store.exists(s3_bucket, "in/nc.wav")
    assert not object_store.exists(s3_bucket, "in/nc.json")
    assert any(
        "deleted at ingest" in r.getMessage() and "C-1" in r.getMessage() for r in caplog.records
    )
    rec = catalog.get(res.recording.id)
    assert rec.state == "rejected" and rec.customer_id is None and rec.phone_hash is None
    last = catalog.history(rec.id)[-1]
    assert last.to_state == "rejected" and "consent" in last.detail["reason"]
    with pytest.raises(ConflictError):
        admit(
            catalog,
            object_store,
            DEFAULT,
            bucket=s3_bucket,
            source_key="in/nc.wav",
            hasher=hasher,
            now=T0,
        )


def test_a_policy_may_keep_calls_without_consent(catalog, object_store, s3_bucket, hasher):
    policy = parse_policy("retention:\n  keep_without_consent: true\n")
    _upload(object_store, s3_bucket, "in/k.wav", {**GOOD, "consent_disclosed": False})
    res = admit(
        catalog,
        object_store,
        policy,
        bucket=s3_bucket,
        source_key="in/k.wav",
        hasher=hasher,
        now=T0,
    )
    assert res.process and object_store.exists(s3_bucket, "in/k.wav")


def test_a_consented_call_is_admitted_with_its_metadata(catalog, object_store, s3_bucket, hasher):
    _upload(object_store, s3_bucket, "in/ok.wav", GOOD)
    res = admit(
        catalog,
        object_store,
        DEFAULT,
        bucket=s3_bucket,
        source_key="in/ok.wav",
        hasher=hasher,
        now=T0,
    )
    assert res.action == "accepted" and res.sidecar_error is None
    assert res.recording.customer_id == "CUST-42" and res.recording.state == "received"


@pytest.mark.parametrize("sidecar", [None, b"{not json"])
def test_a_missing_or_malformed_sidecar_is_held_back_by_default(
    catalog, object_store, s3_bucket, hasher, sidecar
):
    _upload(object_store, s3_bucket, "in/m.wav", sidecar)
    res = admit(
        catalog,
        object_store,
        DEFAULT,
        bucket=s3_bucket,
        source_key="in/m.wav",
        hasher=hasher,
        now=T0,
    )
    assert res.action == "held_back" and "in/m.json" in res.sidecar_error
    assert catalog.get(res.recording.id).sidecar_error == res.sidecar_error
    assert object_store.exists(s3_bucket, "in/m.wav")


def test_with_defaults_a_missing_sidecar_is_processed_only_if_defaults_grant_consent(
    catalog, object_store, s3_bucket, hasher
):
    policy = parse_policy(
        "retention:\n  missing_sidecar: defaults\n"
        "  sidecar_defaults: {campaign: legacy, consent_disclosed: true}\n"
    )
    _upload(object_store, s3_bucket, "in/d.wav", None)
    res = admit(
        catalog,
        object_store,
        policy,
        bucket=s3_bucket,
        source_key="in/d.wav",
        hasher=hasher,
        now=T0,
    )
    assert res.action == "accepted" and "missing" in res.sidecar_error
    assert res.recording.campaign == "legacy"
    _upload(object_store, s3_bucket, "in/e.wav", None)
    no = parse_policy("retention:\n  missing_sidecar: defaults\n")
    res = admit(
        catalog, object_store, no, bucket=s3_bucket, source_key="in/e.wav", hasher=hasher, now=T0
    )
    assert res.action == "rejected" and not object_store.exists(s3_bucket, "in/e.wav")
