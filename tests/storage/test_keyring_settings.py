"""Local key files and settings parsing: no server needed."""

from __future__ import annotations

import os
import stat

import pytest

from redactor.errors import ConfigError, CryptoError, NotFoundError
from storage.keyring import LocalKeyring
from storage.settings import S3Settings, VaultSettings


def test_a_new_local_kek_is_a_0600_file_in_a_0700_directory(tmp_path):
    ring = LocalKeyring(tmp_path / "keys", "vault")
    kek = ring.generate()
    assert kek == "local:vault:v1"
    path = tmp_path / "keys" / "vault.v1.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700


def test_the_highest_version_is_the_primary_and_older_ones_still_unwrap(tmp_path):
    ring = LocalKeyring(tmp_path, "vault")
    v1 = ring.generate()
    wrapped = ring.wrap(v1, b"dk", b"ctx")
    v2 = ring.generate()
    assert ring.primary_id == v2 == "local:vault:v2"
    assert ring.ids() == [v1, v2]
    assert ring.unwrap(v1, wrapped, b"ctx") == b"dk"
    with pytest.raises(CryptoError):
        ring.unwrap(v2, wrapped, b"ctx")


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    ring = LocalKeyring(tmp_path, "vault")
    kek = ring.generate()
    os.chmod(tmp_path / "vault.v1.key", 0o644)
    with pytest.raises(ConfigError, match="0600"):
        LocalKeyring(tmp_path, "vault").wrap(kek, b"dk", b"")


def test_an_empty_keyring_says_how_to_create_a_key(tmp_path):
    with pytest.raises(ConfigError, match="vault keys new"):
        _ = LocalKeyring(tmp_path, "vault").primary_id


def test_a_destroyed_kek_is_gone(tmp_path):
    ring = LocalKeyring(tmp_path, "vault")
    kek = ring.generate()
    wrapped = ring.wrap(kek, b"dk", b"")
    ring.destroy(kek)
    with pytest.raises(NotFoundError):
        ring.unwrap(kek, wrapped, b"")
    assert ring.ids() == []


def test_an_unknown_kek_id_is_not_found(tmp_path):
    ring = LocalKeyring(tmp_path, "vault")
    ring.generate()
    with pytest.raises(NotFoundError, match="other"):
        ring.unwrap("local:other:v1", b"x" * 40, b"")


def test_s3_settings_come_from_the_environment_and_name_bad_values(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_HOME", str(tmp_path))
    env = {
        "REDACTOR_S3_ENDPOINT": "https://s3.example:9000",
        "REDACTOR_S3_ADDRESSING": "virtual",
        "REDACTOR_S3_VERIFY_TLS": "false",
        "REDACTOR_S3_PART_SIZE_MB": "16",
        "REDACTOR_S3_ACCESS_KEY": "AK",
        "REDACTOR_S3_SECRET_KEY": "SK",
    }
    s = S3Settings.from_env(env)
    assert (s.endpoint_url, s.addressing_style, s.verify_tls, s.part_size) == (
        "https://s3.example:9000",
        "virtual",
        False,
        16 * 1024 * 1024,
    )
    assert "SK" not in repr(s)
    with pytest.raises(ConfigError, match="sideways"):
        S3Settings.from_env({**env, "REDACTOR_S3_ADDRESSING": "sideways"})
    with pytest.raises(ConfigError, match="5"):
        S3Settings.from_env({**env, "REDACTOR_S3_PART_SIZE_MB": "1"})
    with pytest.raises(ConfigError, match="maybe"):
        S3Settings.from_env({**env, "REDACTOR_S3_VERIFY_TLS": "maybe"})


def test_vault_settings_refuse_an_unknown_keyring_backend():
    with pytest.raises(ConfigError, match="local"):
        VaultSettings.from_env({"REDACTOR_KEYRING": "hsm"})
    with pytest.raises(ConfigError, match="REDACTOR_KMS_KEY_ID"):
        VaultSettings.from_env({"REDACTOR_KEYRING": "kms"})


class _StandInKms:
    """The two KMS calls the keyring makes, backed by AES-GCM: AWS KMS itself cannot run
    here, so this checks our side of the contract (ids, context, error mapping) only."""

    def __init__(self) -> None:
        from storage import crypto

        self.crypto = crypto
        self.keys = {"alias/vault-1": crypto.new_kek(), "alias/vault-2": crypto.new_kek()}

    def _aad(self, ctx: dict) -> bytes:
        return repr(sorted(ctx.items())).encode()

    def encrypt(self, KeyId, Plaintext, EncryptionContext):  # noqa: N803 - boto3 names
        blob = self.crypto.wrap_key(self.keys[KeyId], Plaintext, self._aad(EncryptionContext))
        return {"CiphertextBlob": blob}

    def decrypt(self, KeyId, CiphertextBlob, EncryptionContext):  # noqa: N803
        data = self.crypto.unwrap_key(
            self.keys[KeyId], CiphertextBlob, self._aad(EncryptionContext)
        )
        return {"Plaintext": data}


def test_the_kms_keyring_binds_the_context_and_hides_errors():
    from storage.keyring import KmsKeyring

    ring = KmsKeyring(["alias/vault-1", "alias/vault-2"], client=_StandInKms())
    assert ring.primary_id == "kms:alias/vault-1"
    wrapped = ring.wrap(ring.primary_id, b"data key", b"ctx")
    assert ring.unwrap("kms:alias/vault-1", wrapped, b"ctx") == b"data key"
    with pytest.raises(CryptoError):
        ring.unwrap("kms:alias/vault-1", wrapped, b"other ctx")
    with pytest.raises(CryptoError):
        ring.unwrap("kms:alias/vault-2", wrapped, b"ctx")
    with pytest.raises(NotFoundError, match="alias/vault-9"):
        ring.unwrap("kms:alias/vault-9", wrapped, b"ctx")
    with pytest.raises(ConfigError):
        KmsKeyring(["a"], primary="b")
