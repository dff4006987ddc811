"""``redactor vault ...`` through the real dispatcher, against the session SeaweedFS."""

from __future__ import annotations

import json
import os

import pytest

from redactor.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture
def cli_env(monkeypatch, tmp_path, s3_server, object_store):
    bucket = f"cli-{os.getpid()}-{os.urandom(3).hex()}"
    monkeypatch.setenv("REDACTOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REDACTOR_S3_ENDPOINT", s3_server.endpoint_url)
    monkeypatch.setenv("REDACTOR_S3_ACCESS_KEY", s3_server.access_key)
    monkeypatch.setenv("REDACTOR_S3_SECRET_KEY", s3_server.secret_key)
    monkeypatch.setenv("REDACTOR_VAULT_BUCKET", bucket)
    monkeypatch.setenv("REDACTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    return tmp_path


def test_put_get_rotate_shred_through_the_cli(cli_env, capsys):
    src = cli_env / "call.wav"
    src.write_bytes(os.urandom(2_000_000))
    assert main(["vault", "init"]) == 0
    capsys.readouterr()
    assert main(["vault", "put", "rec-7", "audio", str(src), "--retain-days", "1"]) == 0
    put = json.loads(capsys.readouterr().out)
    out = cli_env / "back.wav"
    assert main(["vault", "get", put["key"], "-o", str(out)]) == 0
    assert out.read_bytes() == src.read_bytes()
    assert main(["vault", "delete", put["key"], "--version-id", put["version_id"]]) == 9
    assert main(["vault", "rotate", "--new-kek", "--retire-old"]) == 0
    assert "under local:vault:v2" in capsys.readouterr().out
    assert main(["vault", "verify", put["key"]]) == 0
    assert main(["vault", "shred", "rec-7"]) == 0
    capsys.readouterr()
    assert main(["vault", "head", put["key"]]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "shredded"
    assert main(["vault", "get", put["key"], "-o", str(cli_env / "x.wav")]) == 8
    assert "shredded" in capsys.readouterr().err
    assert not (cli_env / "x.wav").exists()


def test_an_unknown_kind_is_a_clear_cli_error(cli_env, capsys):
    src = cli_env / "f.txt"
    src.write_text("x")
    assert main(["vault", "init"]) == 0
    assert main(["vault", "put", "rec-1", "video", str(src)]) == 3
    assert "quarantine" in capsys.readouterr().err


def test_s3_start_writes_a_state_file_and_stop_ends_that_pid(monkeypatch, tmp_path, capsys):
    from storage.seaweed import pid_is_weed
    from storage.settings import S3Settings, local_server_state_path

    monkeypatch.setenv("REDACTOR_HOME", str(tmp_path))
    monkeypatch.delenv("REDACTOR_S3_ENDPOINT", raising=False)
    assert main(["s3", "start", "--locked-bucket", "ckpt"]) == 0
    state = json.loads(local_server_state_path().read_text())
    try:
        assert pid_is_weed(state["pid"])
        assert oct(local_server_state_path().stat().st_mode & 0o777) == "0o600"
        from storage.objectstore import ObjectStore

        store = ObjectStore(S3Settings.from_env())  # found through the state file
        assert store.settings.endpoint_url == state["endpoint_url"]
        assert store.object_lock_enabled("ckpt")
    finally:
        assert main(["s3", "stop"]) == 0
    assert not pid_is_weed(state["pid"])
    assert not local_server_state_path().exists()
    assert main(["s3", "status"]) == 1
