"""Retention sweeps driven by an injected clock, against real SeaweedFS and both databases."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from policies.loader import parse_policy
from redactor.errors import NotFoundError
from workers.sweeper import sweep

from .conftest import T0, store_recording

pytestmark = pytest.mark.integration

POLICY = parse_policy(
    """
retention:
  audio_days: 90
campaigns:
  short:
    retention: {audio_days: 1, transcript_days: 1, report_days: 1}
  litigated:
    retention:
      audio_days: 1
      transcript_days: 1
      report_days: 1
      legal_holds:
        - {reference: CASE-7, reason: dispute with the caller, campaigns: [litigated]}
"""
)


def _gone(object_store, vault, obj):
    assert not object_store.exists(obj.bucket, obj.key)
    assert vault.keystore.get(obj.key_id).shredded


def test_a_one_day_recording_is_gone_after_the_first_sweep_past_its_deadline_and_a_held_one_is_not(
    catalog, cat_vault, object_store, hasher
):
    short, _ = store_recording(catalog, cat_vault, POLICY, hasher, "in/a.wav", campaign="short")
    held, held_data = store_recording(
        catalog, cat_vault, POLICY, hasher, "in/b.wav", campaign="short", customer_id="C-2"
    )
    long, _ = store_recording(catalog, cat_vault, POLICY, hasher, "in/c.wav", campaign="other")
    catalog.set_hold(
        now=T0, reference="LH-1", reason="regulator inquiry", set_by="dpo", recording_id=held.id
    )
    deadline = short.started_at + timedelta(days=1)

    before = sweep(catalog, cat_vault, POLICY, deadline - timedelta(seconds=1), worker="s1")
    assert before.objects_deleted == 0 and catalog.get(short.id).state == "stored"

    report = sweep(catalog, cat_vault, POLICY, deadline, batch=2, worker="s1")
    assert report.expired_ids == [short.id] and report.objects_deleted == 3
    assert report.keys_shredded == 3
    rec = catalog.get(short.id)
    assert rec.state == "expired" and rec.next_due_at is None
    assert all(o.deleted_at == deadline and o.deleted_reason == "retention" for o in rec.objects)
    for obj in rec.objects:
        _gone(object_store, cat_vault, obj)
        with pytest.raises(NotFoundError):
            cat_vault.get_bytes(obj.key)
    assert [e.to_state for e in catalog.history(short.id)][-1] == "expired"

    kept = catalog.get(held.id)
    assert kept.state == "stored" and all(o.live for o in kept.objects)
    audio = next(o for o in kept.objects if o.kind == "audio")
    assert cat_vault.get_bytes(audio.key) == held_data["audio"]
    assert catalog.get(long.id).state == "stored"

    again = sweep(catalog, cat_vault, POLICY, deadline + timedelta(days=1), worker="s1")
    assert again.objects_deleted == 0 and again.recordings_expired == 0


def test_a_policy_hold_rule_keeps_a_due_recording(catalog, cat_vault, object_store, hasher):
    rec, data = store_recording(
        catalog, cat_vault, POLICY, hasher, "in/l.wav", campaign="litigated"
    )
    report = sweep(catalog, cat_vault, POLICY, T0 + timedelta(days=3), worker="s1")
    assert "policy hold CASE-7" in report.held[rec.id][0]
    assert catalog.get(rec.id).state == "stored"
    audio = next(o for o in rec.objects if o.kind == "audio")
    assert cat_vault.get_bytes(audio.key) == data["audio"]


def test_releasing_a_hold_lets_the_next_sweep_delete(catalog, cat_vault, hasher):
    rec, _ = store_recording(
        catalog, cat_vault, POLICY, hasher, "in/r.wav", campaign="short", kinds=("audio",)
    )
    hold = catalog.set_hold(now=T0, reference="H", reason="r", set_by="dpo", customer_id="CUST-42")
    later = T0 + timedelta(days=2)
    assert sweep(catalog, cat_vault, POLICY, later).recordings_expired == 0
    catalog.release_hold(hold.id, now=later, released_by="dpo", reason="closed")
    assert sweep(catalog, cat_vault, POLICY, later).expired_ids == [rec.id]


def test_a_dry_run_reports_and_changes_nothing(catalog, cat_vault, object_store, hasher):
    rec, _ = store_recording(catalog, cat_vault, POLICY, hasher, "in/d.wav", campaign="short")
    later = T0 + timedelta(days=2)
    history = catalog.history(rec.id)
    report = sweep(catalog, cat_vault, POLICY, later, dry_run=True)
    assert sorted(report.would_delete[rec.id]) == ["audio", "report", "transcript"]
    after = catalog.get(rec.id)
    assert after == rec
    for obj in after.objects:
        assert object_store.exists(obj.bucket, obj.key)
        assert not cat_vault.keystore.get(obj.key_id).shredded
    assert catalog.history(rec.id) == history
    assert sweep(catalog, cat_vault, POLICY, later).expired_ids == [rec.id]


def test_two_sweepers_at_once_delete_each_recording_exactly_once(catalog, cat_vault, hasher):
    ids = [
        store_recording(
            catalog, cat_vault, POLICY, hasher, f"in/{i}.wav", campaign="short", kinds=("audio",)
        )[0].id
        for i in range(24)
    ]
    later = T0 + timedelta(days=2)
    start = threading.Barrier(2)
    reports = {}

    def run(name):
        start.wait()
        reports[name] = sweep(catalog, cat_vault, POLICY, later, batch=3, worker=name)

    threads = [threading.Thread(target=run, args=(n,)) for n in ("alpha", "beta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    a, b = reports["alpha"], reports["beta"]
    assert not a.failed and not b.failed
    assert set(a.expired_ids).isdisjoint(b.expired_ids)
    assert sorted(a.expired_ids + b.expired_ids) == sorted(ids)
    assert a.keys_shredded + b.keys_shredded == len(ids)
    for rid in ids:
        events = catalog.history(rid)
        assert [e.to_state for e in events].count("expired") == 1
        assert [e.action for e in events].count("objects_deleted") == 1
