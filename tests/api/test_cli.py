"""`redactor audit verify` / `audit export` / `users add` / `tokens` through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(tmp_path, s3_settings):
    env = {
        **os.environ,
        "REDACTOR_HOME": str(tmp_path / "home"),
        "REDACTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.sqlite'}",
        "REDACTOR_S3_ENDPOINT": s3_settings.endpoint_url,
        "REDACTOR_S3_ACCESS_KEY": s3_settings.access_key,
        "REDACTOR_S3_SECRET_KEY": s3_settings.secret_key,
        "REDACTOR_AUDIT_BUCKET": f"audit-cli-{tmp_path.name[-8:].lower().replace('_', '-')}",
        "REDACTOR_AUDIT_RETENTION_DAYS": "1",
        "REDACTOR_AUDIT_CHECKPOINT_EVERY": "3",
        "REDACTOR_AUTH_ARGON2_MEMORY_KIB": "1024",
        "REDACTOR_AUTH_ARGON2_TIME_COST": "1",
        "REDACTOR_AUTH_ARGON2_PARALLELISM": "1",
    }
    return env


def run(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "redactor.cli", *args],
        env=env,
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cli_manages_users_and_verify_finds_the_tampered_entry(cli_env, tmp_path):
    r = run(
        cli_env,
        "users",
        "add",
        "ann",
        "--roles",
        "qa",
        "--campaigns",
        "A",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert r.returncode == 0, r.stderr
    assert "otpauth://totp/" in r.stdout
    r = run(cli_env, "users", "add", "pbx", "--roles", "ingest", "--machine")
    assert r.returncode == 0 and "rdk_" in r.stdout
    r = run(cli_env, "tokens", "create", "ann", "--label", "laptop")
    token_id = r.stdout.split("token id ")[1].split()[0]
    assert run(cli_env, "tokens", "revoke", token_id).returncode == 0
    assert "revoked" in run(cli_env, "tokens", "list").stdout
    assert "ann\tperson\tqa\tA\tactive" in run(cli_env, "users", "list").stdout

    r = run(cli_env, "audit", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "access log intact: 4 entries" in r.stdout

    out = tmp_path / "log.csv"
    assert (
        run(cli_env, "audit", "export", "--csv", str(out), "--action", "user.manage").returncode
        == 0
    )
    assert len(out.read_text().splitlines()) == 5

    from sqlalchemy import create_engine

    engine = create_engine(cli_env["REDACTOR_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE access_log SET detail = 'nothing to see' WHERE seq = 2"))
    r = run(cli_env, "audit", "verify")
    assert r.returncode != 0
    assert "first bad entry: 2 (altered" in r.stdout
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM access_log WHERE seq >= 2"))
    r = run(cli_env, "audit", "verify")
    assert r.returncode != 0 and "first bad entry: 2 (tail cut" in r.stdout
    engine.dispose()
