"""The job function itself, in this process, against real SeaweedFS, SQLite and models."""

from __future__ import annotations

import json

import pytest

from workers.job import process_recording
from workers.lease import take_lease

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _bucket(env):
    return env["REDACTOR_DROP_BUCKET"]


def test_a_recording_goes_to_the_vault_and_leaves_the_drop_bucket(
    job_ctx, worker_env, drop, deployment_state
):
    [key] = drop(1)
    res = process_recording(job_ctx, _bucket(worker_env), key)
    assert res.outcome == "done", res
    assert res.audio_seconds > 1.5
    st = deployment_state()
    assert st["drop"] == []
    assert st["states"] == {"source_deleted": 1}
    rec = st["recordings"][0]
    assert sorted(o.kind for o in rec.objects) == ["audio", "report", "transcript"]
    vault = st["stores"].vault
    audio = b"".join(vault.open(next(o for o in rec.objects if o.kind == "audio").key))
    assert audio[:4] == b"RIFF"
    report = json.loads(vault.get_bytes(next(o for o in rec.objects if o.kind == "report").key))
    assert report["input"] == "source.wav"  # no customer file name in the report
    assert st["uncatalogued_live_keys"] == [] and st["scratch_files"] == []
    assert rec.redaction_summary["duration"] == pytest.approx(res.audio_seconds, abs=0.01)


def test_a_recording_whose_sidecar_names_no_language_is_redacted_in_the_language_heard(
    job_ctx, worker_env, drop, deployment_state
):
    from tests.fixtures.workers import sidecar_json

    side = json.loads(sidecar_json(40))
    del side["language"]
    [key] = drop(1, start=40, sidecar=False)
    job_ctx.store.put(_bucket(worker_env), key[:-4] + ".json", json.dumps(side).encode())
    assert process_recording(job_ctx, _bucket(worker_env), key).outcome == "done"
    [rec] = [r for r in deployment_state()["recordings"] if r.call_id == "C-000040"]
    assert rec.redaction_summary["language"] == "en"
    assert rec.redaction_summary["language_source"].startswith("detected")


def test_a_versioned_drop_bucket_keeps_no_old_version_of_a_processed_recording(
    job_ctx, worker_env, drop
):
    bucket = _bucket(worker_env)
    [key] = drop(1, start=50)
    job_ctx.store.client.put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}
    )
    job_ctx.store.put(bucket, key, job_ctx.store.get_bytes(bucket, key))  # a second version
    assert process_recording(job_ctx, bucket, key).outcome == "done"
    stem = key.rsplit(".", 1)[0]
    assert job_ctx.store.list_versions(bucket, stem) == []


def test_running_the_job_again_changes_nothing(job_ctx, worker_env, drop, deployment_state):
    [key] = drop(1, start=3)
    assert process_recording(job_ctx, _bucket(worker_env), key).outcome == "done"
    before = deployment_state()
    again = process_recording(job_ctx, _bucket(worker_env), key)
    assert again.outcome in ("duplicate", "missing")
    after = deployment_state()
    assert after["states"] == before["states"] == {"source_deleted": 1}
    assert sorted(after["vault_keys"]) == sorted(before["vault_keys"])


def test_a_duplicate_job_while_one_holds_the_lease_is_busy_and_then_a_no_op(
    job_ctx, worker_env, drop, deployment_state
):
    from storage.intake import admit

    [key] = drop(1, start=5)
    rec = admit(
        job_ctx.catalog,
        job_ctx.store,
        job_ctx.policy,
        bucket=_bucket(worker_env),
        source_key=key,
        hasher=job_ctx.hasher,
        now=job_ctx.clock(),
    ).recording
    lease = take_lease(
        job_ctx.catalog,
        rec.id,
        worker="other",
        now=job_ctx.clock(),
        seconds=60,
        clock=job_ctx.clock,
    )
    assert lease is not None
    res = process_recording(job_ctx, _bucket(worker_env), key)
    assert res.outcome == "busy" and res.retry_after
    lease.release()
    assert process_recording(job_ctx, _bucket(worker_env), key).outcome == "done"
    assert process_recording(job_ctx, _bucket(worker_env), key).outcome in ("duplicate", "missing")
    st = deployment_state()
    assert st["by_source"] == {key: [rec.id]}


@pytest.mark.parametrize("payload", [b"", b"RIFF\x00\x00garbage not audio at all" * 10])
def test_corrupt_and_empty_files_are_quarantined_with_a_reason(
    job_ctx, worker_env, drop, deployment_state, payload
):
    [key] = drop(1, start=7, data=payload)
    res = process_recording(job_ctx, _bucket(worker_env), key)
    assert res.outcome == "quarantined"
    assert "BadInputError" in res.reason
    st = deployment_state()
    assert st["drop"] == [] and st["states"] == {"quarantined": 1}
    rec = st["recordings"][0]
    [q] = [o for o in rec.objects if o.kind == "quarantine"]
    assert st["stores"].vault.get_bytes(q.key) == payload  # the original, sealed
    hist = st["stores"].catalog.history(rec.id)
    assert any(e.to_state == "quarantined" and "BadInputError" in e.detail["reason"] for e in hist)
    # not retried forever: scheduling it again is a no-op
    assert process_recording(job_ctx, _bucket(worker_env), key).outcome in ("duplicate", "missing")


def test_a_recording_that_keeps_failing_is_quarantined_after_max_attempts(
    job_ctx, worker_env, drop, deployment_state
):
    from storage.intake import admit

    [key] = drop(1, start=9)
    rec = admit(
        job_ctx.catalog,
        job_ctx.store,
        job_ctx.policy,
        bucket=_bucket(worker_env),
        source_key=key,
        hasher=job_ctx.hasher,
        now=job_ctx.clock(),
    ).recording
    for n in range(job_ctx.settings.max_attempts):  # attempts that crashed before this one
        job_ctx.catalog.log_event(
            rec.id, "attempt", now=job_ctx.clock(), actor="t", detail={"n": n}
        )
    res = process_recording(job_ctx, _bucket(worker_env), key)
    assert res.outcome == "quarantined" and "3 attempts" in res.reason
    assert deployment_state()["drop"] == []


def test_a_recording_without_consent_is_deleted_at_ingest_not_processed(
    job_ctx, worker_env, s3_settings, short_clip, deployment_state
):
    from storage.objectstore import ObjectStore
    from tests.fixtures.workers import sidecar_json

    store = ObjectStore(s3_settings)
    store.put(_bucket(worker_env), "in/nc.wav", short_clip(1))
    store.put(_bucket(worker_env), "in/nc.json", sidecar_json(1, consent=False))
    res = process_recording(job_ctx, _bucket(worker_env), "in/nc.wav")
    assert res.outcome == "rejected"
    st = deployment_state()
    assert st["drop"] == [] and st["states"] == {"rejected": 1} and st["vault_keys"] == []


def test_status_summarises_the_catalog_and_the_drop_bucket(job_ctx, worker_env, drop):
    import subprocess
    import sys

    keys = drop(2, start=11)
    process_recording(job_ctx, _bucket(worker_env), keys[0])
    out = subprocess.run(
        [sys.executable, "-m", "redactor.cli", "status"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "1 recordings (source_deleted 1)" in out.stdout
    assert "1 recordings waiting" in out.stdout
