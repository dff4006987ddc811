"""Key-encryption keys (KEKs): they wrap every data key, and never leave their backend.

Two backends behind one interface (:class:`Keyring`):

* :class:`LocalKeyring` - key files ``<dir>/<name>.v<N>.key`` (mode 0600, directory 0700);
  the id of a key is ``local:<name>:v<N>``. The highest version is the primary: new data
  keys and :meth:`Vault.rotate` use it; older versions stay readable until destroyed.
* :class:`KmsKeyring` - an AWS KMS key through boto3; the id is ``kms:<key id or ARN>``.
  Wrapping is KMS ``Encrypt`` with an encryption context, so the plaintext KEK never
  reaches this process.

Why a keyring and not one key: rotation re-wraps data keys under a new KEK without
touching audio, and the old KEK can then be destroyed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from redactor.errors import ConfigError, CryptoError, NotFoundError

from . import crypto

__all__ = ["Keyring", "LocalKeyring", "KmsKeyring", "keyring_from_settings"]

_LOCAL_FILE = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)\.v(?P<version>[0-9]+)\.key$")


@runtime_checkable
class Keyring(Protocol):
    """Wraps and unwraps data keys with key-encryption keys named by id."""

    @property
    def primary_id(self) -> str:
        """The KEK that new data keys are wrapped with."""
        ...

    def ids(self) -> list[str]:
        """Every KEK id this keyring can unwrap with."""
        ...

    def wrap(self, kek_id: str, data_key: bytes, context: bytes) -> bytes:
        """Encrypt ``data_key`` under ``kek_id``; ``context`` must be given again to unwrap."""
        ...

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        """Decrypt a wrapped key. Unknown KEK: :class:`NotFoundError`; anything else:
        :class:`CryptoError`."""
        ...


class LocalKeyring:
    """KEKs as files in a directory: ``<name>.v<N>.key``, JSON with a base64 key, mode 0600.

    Files readable by group or others are refused (:class:`ConfigError`): a KEK anyone can
    read protects nothing.
    """

    def __init__(self, directory: Path | str, name: str = "vault") -> None:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            raise ConfigError(f"KEK name {name!r} must be letters, digits, '-' or '_'")
        self.directory = Path(directory)
        self.name = name
        self._cache: dict[str, bytes] = {}

    @staticmethod
    def make_id(name: str, version: int) -> str:
        return f"local:{name}:v{version}"

    def _path(self, version: int) -> Path:
        return self.directory / f"{self.name}.v{version}.key"

    def versions(self) -> list[int]:
        if not self.directory.is_dir():
            return []
        out = []
        for p in self.directory.iterdir():
            m = _LOCAL_FILE.match(p.name)
            if m and m["name"] == self.name:
                out.append(int(m["version"]))
        return sorted(out)

    def ids(self) -> list[str]:
        return [self.make_id(self.name, v) for v in self.versions()]

    @property
    def primary_id(self) -> str:
        versions = self.versions()
        if not versions:
            raise ConfigError(
                f"no key-encryption key {self.name!r} in {self.directory}; "
                "create one with `redactor vault keys new`"
            )
        return self.make_id(self.name, versions[-1])

    def generate(self, *, now: datetime | None = None) -> str:
        """Create the next version (0600 file, 0700 directory) and return its id."""
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        version = (self.versions() or [0])[-1] + 1
        kek_id = self.make_id(self.name, version)
        body = {
            "id": kek_id,
            "created": (now or datetime.now(UTC)).isoformat(),
            "algorithm": "AES-256-GCM",
            "key": base64.b64encode(crypto.new_kek()).decode(),
        }
        fd = os.open(self._path(version), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(body, fh)
        return kek_id

    def _parse_id(self, kek_id: str) -> int:
        m = re.fullmatch(r"local:(?P<name>[A-Za-z0-9_-]+):v(?P<v>[0-9]+)", kek_id)
        if not m or m["name"] != self.name:
            raise NotFoundError(
                f"key-encryption key {kek_id!r} is not in this keyring (has {self.ids()})"
            )
        return int(m["v"])

    def _load(self, kek_id: str) -> bytes:
        if kek_id in self._cache:
            return self._cache[kek_id]
        path = self._path(self._parse_id(kek_id))
        try:
            st = path.stat()
        except FileNotFoundError:
            raise NotFoundError(
                f"key-encryption key {kek_id!r} not found in {self.directory} (has {self.ids()})"
            ) from None
        if stat.S_IMODE(st.st_mode) & 0o077:
            raise ConfigError(
                f"key file {path} has mode {oct(stat.S_IMODE(st.st_mode))}; it must be 0600"
            )
        try:
            body = json.loads(path.read_text())
            key = base64.b64decode(body["key"], validate=True)
        except (ValueError, KeyError):
            raise ConfigError(f"key file {path} is not a valid key file") from None
        if body.get("id") != kek_id or len(key) != crypto.KEK_SIZE:
            raise ConfigError(f"key file {path} does not hold key {kek_id!r}")
        self._cache[kek_id] = key
        return key

    def wrap(self, kek_id: str, data_key: bytes, context: bytes) -> bytes:
        return crypto.wrap_key(self._load(kek_id), data_key, context)

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        return crypto.unwrap_key(self._load(kek_id), wrapped, context)

    def destroy(self, kek_id: str) -> None:
        """Delete a KEK file (overwritten first). Every data key still wrapped by it becomes
        unreadable: call only after rotation left it unused (``Vault.retire_kek`` checks)."""
        path = self._path(self._parse_id(kek_id))
        if not path.exists():
            raise NotFoundError(f"key-encryption key {kek_id!r} not found")
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(crypto.random_bytes(size))
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
        self._cache.pop(kek_id, None)


class KmsKeyring:
    """AWS KMS keys (through boto3). ``key_ids`` are key ids, ARNs or aliases; the first is
    the primary unless ``primary`` says otherwise. Give more than one to read data keys
    still wrapped by an older KMS key during rotation.

    Untested against AWS here (no KMS endpoint on this machine); ``endpoint_url`` lets it
    talk to a KMS-compatible server.
    """

    def __init__(
        self,
        key_ids: Sequence[str],
        *,
        primary: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        client: Any = None,
    ) -> None:
        if not key_ids:
            raise ConfigError("KmsKeyring needs at least one KMS key id")
        self.key_ids = list(key_ids)
        self._primary = primary or self.key_ids[0]
        if self._primary not in self.key_ids:
            raise ConfigError(f"primary KMS key {self._primary!r} is not in {self.key_ids}")
        self._region = region
        self._endpoint_url = endpoint_url
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.session.Session().client(
                "kms", region_name=self._region, endpoint_url=self._endpoint_url
            )
        return self._client

    @property
    def primary_id(self) -> str:
        return "kms:" + self._primary

    def ids(self) -> list[str]:
        return ["kms:" + k for k in self.key_ids]

    def _key(self, kek_id: str) -> str:
        if not kek_id.startswith("kms:") or kek_id[4:] not in self.key_ids:
            raise NotFoundError(
                f"key-encryption key {kek_id!r} is not in this keyring (has {self.ids()})"
            )
        return kek_id[4:]

    @staticmethod
    def _context(context: bytes) -> dict[str, str]:
        return {"redactor-vault": base64.b64encode(context).decode()}

    def wrap(self, kek_id: str, data_key: bytes, context: bytes) -> bytes:
        try:
            resp = self.client.encrypt(
                KeyId=self._key(kek_id),
                Plaintext=data_key,
                EncryptionContext=self._context(context),
            )
        except NotFoundError:
            raise
        except Exception:  # noqa: BLE001 - opaque
            raise CryptoError() from None
        return resp["CiphertextBlob"]

    def unwrap(self, kek_id: str, wrapped: bytes, context: bytes) -> bytes:
        try:
            resp = self.client.decrypt(
                KeyId=self._key(kek_id),
                CiphertextBlob=wrapped,
                EncryptionContext=self._context(context),
            )
        except NotFoundError:
            raise
        except Exception:  # noqa: BLE001 - opaque
            raise CryptoError() from None
        return resp["Plaintext"]


def keyring_from_settings(settings: Any) -> Keyring:
    """Build the keyring a :class:`~storage.settings.VaultSettings` describes."""
    if settings.keyring == "kms":
        return KmsKeyring(
            [k.strip() for k in settings.kms_key_id.split(",") if k.strip()],
            region=settings.kms_region,
            endpoint_url=settings.kms_endpoint_url,
        )
    return LocalKeyring(settings.resolved_key_dir, settings.kek_name)
