"""The ``redactor dsar|retention|records|hold`` commands end to end (SeaweedFS + catalog)."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest

from policies.loader import parse_policy
from redactor.cli import main

from .conftest import T0, store_recording

POLICY_TEXT = "retention:\n  audio_days: 1\n  transcript_days: 1\n  report_days: 1\n"


@pytest.fixture
def env(monkeypatch, s3_settings, cat_vault, db_url, tmp_path):
    monkeypatch.setenv("REDACTOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REDACTOR_S3_ENDPOINT", s3_settings.endpoint_url)
    monkeypatch.setenv("REDACTOR_S3_ACCESS_KEY", s3_settings.access_key)
    monkeypatch.setenv("REDACTOR_S3_SECRET_KEY", s3_settings.secret_key)
    monkeypatch.setenv("REDACTOR_VAULT_BUCKET", cat_vault.bucket)
    monkeypatch.setenv("REDACTOR_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("REDACTOR_DATABASE_URL", db_url)
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY_TEXT)
    return policy


@pytest.mark.integration
def test_the_commands_export_erase_sweep_and_hold_end_to_end(
    env, catalog, cat_vault, hasher, object_store, tmp_path, capsys
):
    policy = parse_policy(POLICY_TEXT)
    a, a_data = store_recording(catalog, cat_vault, policy, hasher, "in/a.wav")
    b, _ = store_recording(catalog, cat_vault, policy, hasher, "in/b.wav", customer_id="C-2")
    c, _ = store_recording(catalog, cat_vault, policy, hasher, "in/c.wav", customer_id="C-3")
    p = ["--policy", str(env)]

    out = tmp_path / "a.zip"
    assert main(["dsar", "export", "--customer", "CUST-42", "-o", str(out), *p]) == 0
    with zipfile.ZipFile(out) as zf:
        assert zf.read(f"recordings/{a.id}/audio.wav") == a_data["audio"]

    assert (
        main(
            [
                "hold",
                "set",
                "--customer",
                "C-2",
                "--reference",
                "LIT",
                "--reason",
                "court order",
                *p,
            ]
        )
        == 0
    )
    hold_id = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["hold"]

    receipt = tmp_path / "receipt.json"
    assert main(["dsar", "erase", "--customer", "CUST-42", "--receipt", str(receipt), *p]) == 0
    assert [e["recording_id"] for e in json.loads(receipt.read_text())["erased"]] == [a.id]
    assert catalog.get(a.id).state == "erased"

    later = (T0 + timedelta(days=3)).isoformat()
    assert main(["retention", "sweep", "--dry-run", "--now", later, *p]) == 0
    assert f"would delete {c.id}" in capsys.readouterr().out
    assert catalog.get(c.id).state == "stored"
    assert main(["retention", "sweep", "--now", later, *p]) == 0
    assert catalog.get(c.id).state == "expired" and catalog.get(b.id).state == "stored"
    assert not object_store.exists(cat_vault.bucket, catalog.get(c.id).objects[0].key)

    assert main(["hold", "release", hold_id, "--reason", "settled", "--now", later, *p]) == 0

    # DSAR and legal-hold actions taken from the CLI are in the access log too
    from api.cli import _audit

    actions = {e.action for e in _audit().query()}
    assert {"dsar.export", "dsar.erase", "hold.set", "hold.release"} <= actions
    assert main(["retention", "sweep", "--now", later, *p]) == 0
    assert catalog.get(b.id).state == "expired"

    doc = tmp_path / "art30.md"
    assert main(["records", "export", "-o", str(doc), "--controller", "ACME Calls Ltd", *p]) == 0
    text = doc.read_text()
    assert "ACME Calls Ltd" in text and "| Redacted audio kept | 1 days |" in text


def test_a_bad_now_is_a_clear_error_before_anything_is_opened(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REDACTOR_HOME", str(tmp_path / "home"))
    assert main(["retention", "sweep", "--dry-run", "--now", "yesterday"]) == 3
    assert "--now 'yesterday' is not an ISO 8601" in capsys.readouterr().err
    assert not (tmp_path / "home").exists()
