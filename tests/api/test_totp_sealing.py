"""TOTP secrets are sealed at rest (storage.totp_seal); legacy plain rows keep working and are
sealed on the way. Runs on SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import text

from redactor.errors import CryptoError

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def _store(engine, key_dir):
    from storage.db import session_factory
    from storage.keyring import LocalKeyring
    from storage.totp_seal import TotpSealer
    from storage.users import AuthSettings, UserStore

    auth = AuthSettings(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    sealer = TotpSealer(LocalKeyring(key_dir, "totp"), create=True)
    return UserStore(session_factory(engine), auth, totp_sealer=sealer)


def _raw(engine, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT totp_secret FROM users WHERE name = :n"), {"n": name}
        ).scalar_one()


def _set_raw(engine, name: str, value: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET totp_secret = :v WHERE name = :n"), {"v": value, "n": name}
        )


def _login(users, name: str, secret: str, at: datetime = NOW):
    return users.verify_login(name, PASSWORD, pyotp.TOTP(secret).at(at), now=at)


def test_a_new_totp_secret_is_not_readable_in_the_raw_row_and_login_works(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    created = users.create_user("ann", ["qa"], now=NOW, campaigns=["A"], password=PASSWORD)
    secret = users.totp_secret("ann")
    assert pyotp.parse_uri(created.totp_uri).secret == secret
    raw = _raw(db_engine, "ann")
    assert raw.startswith("sealed:v1:local:totp:v1:") and secret not in raw
    assert (tmp_path / "keys" / "totp.v1.key").exists()
    assert _login(users, "ann", secret).ok
    assert users.get_user("ann").has_totp


def test_reset_totp_seals_the_new_secret(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    users.create_user("ann", ["qa"], now=NOW, password=PASSWORD)
    old = users.totp_secret("ann")
    uri = users.reset_totp("ann")
    new = users.totp_secret("ann")
    assert new != old and pyotp.parse_uri(uri).secret == new
    assert new not in _raw(db_engine, "ann")
    assert not _login(users, "ann", old).ok
    assert _login(users, "ann", new, NOW.replace(minute=5)).ok


def test_an_old_plain_row_still_logs_in_and_is_sealed_on_first_read(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    users.create_user("ann", ["qa"], now=NOW, password=PASSWORD)
    plain = pyotp.random_base32()
    _set_raw(db_engine, "ann", plain)  # as written before sealing existed
    assert _login(users, "ann", plain).ok
    raw = _raw(db_engine, "ann")
    assert raw.startswith("sealed:v1:") and plain not in raw
    assert users.totp_secret("ann") == plain


def test_seal_plain_totp_seals_every_legacy_row_once(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    for name in ("ann", "bob"):
        users.create_user(name, ["qa"], now=NOW, password=PASSWORD)
    users.create_user("bot", ["ingest"], now=NOW, kind="machine")
    plain = pyotp.random_base32()
    _set_raw(db_engine, "bob", plain)
    assert users.seal_plain_totp() == 1
    assert users.seal_plain_totp() == 0
    assert plain not in _raw(db_engine, "bob") and _raw(db_engine, "bot") is None
    assert _login(users, "bob", plain).ok


def test_a_sealed_secret_moved_to_another_user_does_not_open(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    for name in ("ann", "bob"):
        users.create_user(name, ["qa"], now=NOW, password=PASSWORD)
    secret = users.totp_secret("ann")
    _set_raw(db_engine, "bob", _raw(db_engine, "ann"))
    with pytest.raises(CryptoError) as err:
        _login(users, "bob", secret)
    assert str(err.value) == str(CryptoError())  # opaque: no detail


def test_another_keyring_cannot_open_the_secrets(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    users.create_user("ann", ["qa"], now=NOW, password=PASSWORD)
    secret = users.totp_secret("ann")
    other = _store(db_engine, tmp_path / "other-keys")
    with pytest.raises(CryptoError):
        _login(other, "ann", secret)


def test_a_secret_sealed_by_an_older_kek_is_resealed_under_the_primary(db_engine, tmp_path):
    users = _store(db_engine, tmp_path / "keys")
    users.create_user("ann", ["qa"], now=NOW, password=PASSWORD)
    secret = users.totp_secret("ann")
    users.sealer.keyring.generate()  # totp.v2 becomes the primary
    assert _login(users, "ann", secret).ok
    assert _raw(db_engine, "ann").startswith("sealed:v1:local:totp:v2:")


def test_migration_0005_keeps_plain_rows_which_then_upgrade(db_url, tmp_path):
    from storage.db import make_engine, migrate

    engine = make_engine(db_url)
    try:
        migrate(engine, "0004_events")
        plain = pyotp.random_base32()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, name, kind, roles, campaigns, password_hash,"
                    " totp_secret, failed_logins, disabled, created_at) VALUES"
                    " ('u1', 'old', 'person', 'qa', '', NULL, :s, 0, false, :t)"
                ),
                {"s": plain, "t": NOW},
            )
        migrate(engine)
        assert _raw(engine, "old") == plain  # the migration changes the column only
        users = _store(engine, tmp_path / "keys")
        users.update_user("old", password=PASSWORD)
        assert _login(users, "old", plain).ok
        assert plain not in _raw(engine, "old")
        assert users.totp_secret("old") == plain
    finally:
        engine.dispose()
