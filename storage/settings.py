"""Settings of the object store and the vault, read from ``REDACTOR_*`` environment variables.

Why a frozen dataclass and not a config file: the same process may talk to two servers (a
test SeaweedFS and a real bucket), so settings are values passed around, never globals.
``from_env`` reads the environment once; explicit keyword arguments win over it.

When no endpoint is configured and ``redactor s3 start`` has written its state file under
``$REDACTOR_HOME/s3/server.json``, that local server is used: local runs need no exports.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from redactor.errors import ConfigError

__all__ = ["S3Settings", "VaultSettings", "redactor_home", "local_server_state_path"]

ADDRESSING_STYLES = ("path", "virtual", "auto")
KEYRING_BACKENDS = ("local", "kms")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def redactor_home() -> Path:
    """``REDACTOR_HOME`` (default ``./var``): where local state (keys, server state) lives."""
    return Path(os.environ.get("REDACTOR_HOME", "var"))


def local_server_state_path() -> Path:
    """The file ``redactor s3 start`` writes: pid, endpoint and credentials of a local server."""
    return redactor_home() / "s3" / "server.json"


def _parse_bool_or_path(name: str, raw: str) -> bool | str:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    if Path(raw).is_file():
        return raw
    raise ConfigError(
        f"{name}={raw!r} is neither a boolean (true/false) nor an existing CA bundle file"
    )


def _parse_int(name: str, raw: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    return value


@dataclass(frozen=True)
class S3Settings:
    """How to reach one S3-compatible endpoint (AWS S3, MinIO, SeaweedFS, Ceph).

    ``endpoint_url=None`` means AWS itself. ``verify_tls`` is ``True``, ``False`` or the path
    of a CA bundle. ``part_size`` is the multipart part size in bytes (S3 needs >= 5 MiB) and
    ``concurrency`` how many parts are in flight; together they bound upload memory to about
    ``(concurrency + 1) * part_size``.
    """

    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    addressing_style: str = "path"
    verify_tls: bool | str = True
    part_size: int = 8 * 1024 * 1024
    concurrency: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 3

    def __post_init__(self) -> None:
        if self.addressing_style not in ADDRESSING_STYLES:
            raise ConfigError(
                f"S3 addressing style {self.addressing_style!r} is not one of {ADDRESSING_STYLES}"
            )
        if self.part_size < 5 * 1024 * 1024:
            raise ConfigError(f"S3 part size {self.part_size} is below the S3 minimum of 5 MiB")
        if self.concurrency < 1:
            raise ConfigError(f"S3 concurrency {self.concurrency} must be at least 1")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> S3Settings:
        """Read ``REDACTOR_S3_*``; fall back to the state file of ``redactor s3 start``.

        Variables: ``REDACTOR_S3_ENDPOINT``, ``_REGION``, ``_ACCESS_KEY``, ``_SECRET_KEY``,
        ``_SESSION_TOKEN``, ``_ADDRESSING`` (path|virtual|auto), ``_VERIFY_TLS``
        (true|false|CA-bundle path), ``_PART_SIZE_MB``, ``_CONCURRENCY``.
        """
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        if "REDACTOR_S3_ENDPOINT" not in env:
            state = local_server_state_path()
            if state.is_file():
                data = json.loads(state.read_text())
                values.update(
                    endpoint_url=data["endpoint_url"],
                    access_key=data["access_key"],
                    secret_key=data["secret_key"],
                )
        simple = {
            "REDACTOR_S3_ENDPOINT": "endpoint_url",
            "REDACTOR_S3_REGION": "region",
            "REDACTOR_S3_ACCESS_KEY": "access_key",
            "REDACTOR_S3_SECRET_KEY": "secret_key",
            "REDACTOR_S3_SESSION_TOKEN": "session_token",
            "REDACTOR_S3_ADDRESSING": "addressing_style",
        }
        for var, name in simple.items():
            if env.get(var):
                values[name] = env[var]
        if env.get("REDACTOR_S3_VERIFY_TLS"):
            values["verify_tls"] = _parse_bool_or_path(
                "REDACTOR_S3_VERIFY_TLS", env["REDACTOR_S3_VERIFY_TLS"]
            )
        if env.get("REDACTOR_S3_PART_SIZE_MB"):
            mb = _parse_int("REDACTOR_S3_PART_SIZE_MB", env["REDACTOR_S3_PART_SIZE_MB"], 5)
            values["part_size"] = mb * 1024 * 1024
        if env.get("REDACTOR_S3_CONCURRENCY"):
            values["concurrency"] = _parse_int(
                "REDACTOR_S3_CONCURRENCY", env["REDACTOR_S3_CONCURRENCY"], 1
            )
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ConfigError(f"unknown S3 settings {sorted(unknown)}; valid: {sorted(known)}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> S3Settings:
        """A copy with some fields changed (settings are frozen)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class VaultSettings:
    """Which bucket holds the vault and where its key-encryption keys come from.

    ``keyring="local"`` reads key files from ``key_dir`` (default ``$REDACTOR_HOME/keys``),
    named ``<kek_name>.v<N>.key``; ``keyring="kms"`` uses the AWS KMS key ``kms_key_id``.
    ``database_url=None`` means the catalog default (``storage.db.default_url``).
    """

    bucket: str = "vault"
    keyring: str = "local"
    key_dir: Path | None = None
    kek_name: str = "vault"
    kms_key_id: str | None = None
    kms_region: str | None = None
    kms_endpoint_url: str | None = None
    database_url: str | None = None

    def __post_init__(self) -> None:
        if self.keyring not in KEYRING_BACKENDS:
            raise ConfigError(f"keyring backend {self.keyring!r} is not one of {KEYRING_BACKENDS}")
        if self.keyring == "kms" and not self.kms_key_id:
            raise ConfigError("keyring 'kms' needs REDACTOR_KMS_KEY_ID (a key id, ARN or alias)")

    @property
    def resolved_key_dir(self) -> Path:
        return self.key_dir or (redactor_home() / "keys")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> VaultSettings:
        """Read ``REDACTOR_VAULT_BUCKET``, ``REDACTOR_KEYRING`` (local|kms),
        ``REDACTOR_KEY_DIR``, ``REDACTOR_KEK_NAME``, ``REDACTOR_KMS_KEY_ID``,
        ``REDACTOR_KMS_REGION``, ``REDACTOR_KMS_ENDPOINT``, ``REDACTOR_DATABASE_URL``."""
        env = dict(os.environ if env is None else env)
        mapping = {
            "REDACTOR_VAULT_BUCKET": "bucket",
            "REDACTOR_KEYRING": "keyring",
            "REDACTOR_KEY_DIR": "key_dir",
            "REDACTOR_KEK_NAME": "kek_name",
            "REDACTOR_KMS_KEY_ID": "kms_key_id",
            "REDACTOR_KMS_REGION": "kms_region",
            "REDACTOR_KMS_ENDPOINT": "kms_endpoint_url",
            "REDACTOR_DATABASE_URL": "database_url",
        }
        values: dict[str, Any] = {}
        for var, name in mapping.items():
            if env.get(var):
                values[name] = Path(env[var]) if name == "key_dir" else env[var]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
