"""Signed checkpoints of the access log, kept in an object-locked bucket.

A checkpoint is ``(log size, head hash, time)`` signed with Ed25519 and written to a bucket
created with S3 object lock, each version locked in *compliance* mode until
``retain_until``: during that time nobody — not the service, not an administrator, not the
root account — can delete or overwrite it. The database that holds the log can be rewritten
by whoever owns it; these objects cannot. So the verifier trusts the checkpoints, not the
table, and catches a cut tail or a chain rewritten with freshly computed hashes.

Why every version is read back: in a versioned bucket a later PUT of the same key adds a
version but cannot remove the locked one, so a forged checkpoint can only ever *add* a
conflicting claim, which the verifier reports.

The signing key is 32 raw bytes in ``$REDACTOR_HOME/keys/audit-ed25519.key`` (mode 0600)
unless ``REDACTOR_AUDIT_KEY_FILE`` says otherwise; the verifier needs only the public key
(``.pub`` beside it, hex) plus any ``REDACTOR_AUDIT_TRUSTED_KEYS`` (comma-separated hex
public keys of rotated-out keys). Raw primitives come from :mod:`storage.crypto`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from redactor.errors import ConfigError, CryptoError, NotFoundError, StorageError
from storage import crypto

__all__ = ["Checkpoint", "AuditSigner", "CheckpointStore", "key_id_of"]

_DOMAIN = b"redactor-audit-checkpoint/v1\n"
PREFIX = "checkpoints/"


def key_id_of(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    size: int
    head: str
    at: datetime
    key_id: str
    signature: str  # hex
    object_key: str = ""
    version_id: str | None = None

    def message(self) -> bytes:
        body = {
            "v": 1,
            "size": self.size,
            "head": self.head,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
        }
        return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "v": 1,
                "size": self.size,
                "head": self.head,
                "at": self.at.isoformat(),
                "key_id": self.key_id,
                "signature": self.signature,
            },
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(
        cls, data: bytes, object_key: str = "", version_id: str | None = None
    ) -> Checkpoint:
        d = json.loads(data)
        return cls(
            size=int(d["size"]),
            head=str(d["head"]),
            at=datetime.fromisoformat(d["at"]),
            key_id=str(d["key_id"]),
            signature=str(d["signature"]),
            object_key=object_key,
            version_id=version_id,
        )


class AuditSigner:
    """The Ed25519 key pair that signs checkpoints (private part optional for verifying)."""

    def __init__(self, public: bytes, private: bytes | None = None) -> None:
        self.public = public
        self._private = private
        self.key_id = key_id_of(public)

    @staticmethod
    def default_path() -> Path:
        raw = os.environ.get("REDACTOR_AUDIT_KEY_FILE")
        if raw:
            return Path(raw)
        return Path(os.environ.get("REDACTOR_HOME", "var")) / "keys" / "audit-ed25519.key"

    @classmethod
    def load(cls, path: Path | None = None, *, create: bool = False) -> AuditSigner:
        """Read the key at ``path``; with ``create``, make one (0600) if it is missing.
        Without the private key but with ``<path>.pub``, returns a verify-only signer."""
        path = path or cls.default_path()
        pub_path = path.with_suffix(".pub")
        if path.is_file():
            private = path.read_bytes()
            if len(private) != 32:
                raise ConfigError(f"audit signing key {str(path)!r} is not 32 raw bytes")
            return cls(crypto.ed25519_public_key(private), private)
        if pub_path.is_file():
            try:
                return cls(bytes.fromhex(pub_path.read_text().strip()))
            except ValueError:
                raise ConfigError(f"audit public key {str(pub_path)!r} is not hex") from None
        if not create:
            raise ConfigError(
                f"no audit signing key at {str(path)!r} (nor {pub_path.name}); "
                "run `redactor serve` once or set REDACTOR_AUDIT_KEY_FILE"
            )
        private, public = crypto.ed25519_generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(private)
        pub_path.write_text(public.hex() + "\n")
        return cls(public, private)

    def sign(self, cp: Checkpoint) -> Checkpoint:
        if self._private is None:
            raise ConfigError("the audit signing key has only its public part; cannot sign")
        sig = crypto.ed25519_sign(self._private, cp.message())
        return Checkpoint(
            cp.size, cp.head, cp.at, cp.key_id, sig.hex(), cp.object_key, cp.version_id
        )


class CheckpointStore:
    """Write and read signed checkpoints in ``bucket`` (created with object lock)."""

    def __init__(
        self,
        store,
        bucket: str,
        signer: AuditSigner,
        *,
        retention: timedelta = timedelta(days=2557),
        trusted_keys: tuple[bytes, ...] = (),
    ) -> None:
        self.store = store
        self.bucket = bucket
        self.signer = signer
        self.retention = retention
        self.trusted = {key_id_of(k): k for k in (signer.public, *trusted_keys)}
        self._ready = False

    @classmethod
    def from_env(cls, env: dict | None = None, *, create_key: bool = True) -> CheckpointStore:
        """``REDACTOR_AUDIT_BUCKET`` (default ``audit``), ``REDACTOR_AUDIT_RETENTION_DAYS``
        (default 2557, seven years), ``REDACTOR_AUDIT_TRUSTED_KEYS``; S3 from ``REDACTOR_S3_*``."""
        from storage.objectstore import ObjectStore
        from storage.settings import S3Settings

        env = os.environ if env is None else env
        try:
            days = int(env.get("REDACTOR_AUDIT_RETENTION_DAYS", "2557"))
        except ValueError:
            raise ConfigError(
                "REDACTOR_AUDIT_RETENTION_DAYS must be a whole number of days"
            ) from None
        trusted = []
        for raw in filter(None, (env.get("REDACTOR_AUDIT_TRUSTED_KEYS") or "").split(",")):
            try:
                trusted.append(bytes.fromhex(raw.strip()))
            except ValueError:
                raise ConfigError(f"REDACTOR_AUDIT_TRUSTED_KEYS entry {raw!r} is not hex") from None
        return cls(
            ObjectStore(S3Settings.from_env()),
            env.get("REDACTOR_AUDIT_BUCKET", "audit"),
            AuditSigner.load(create=create_key),
            retention=timedelta(days=days),
            trusted_keys=tuple(trusted),
        )

    def ensure_bucket(self) -> None:
        """Create the bucket with object lock if missing; refuse a bucket without it."""
        if self._ready:
            return
        if not self.store.bucket_exists(self.bucket):
            self.store.create_bucket(self.bucket, object_lock=True)
        if not self.store.object_lock_enabled(self.bucket):
            raise StorageError(
                f"audit bucket {self.bucket!r} has no object lock; checkpoints must be immutable"
            )
        self._ready = True

    def write(self, size: int, head: str, *, now: datetime) -> Checkpoint:
        """Sign ``(size, head, now)`` and store it locked (compliance) until now + retention."""
        self.ensure_bucket()
        key = f"{PREFIX}{size:012d}.json"
        cp = self.signer.sign(Checkpoint(size, head, now, self.signer.key_id, "", key))
        res = self.store.put(
            self.bucket,
            key,
            cp.to_json(),
            content_type="application/json",
            retain_until=now + self.retention,
            lock_mode="COMPLIANCE",
        )
        return Checkpoint(cp.size, cp.head, cp.at, cp.key_id, cp.signature, key, res.version_id)

    def latest(self) -> Checkpoint | None:
        """The checkpoint with the largest size (unverified; for scheduling only)."""
        self.ensure_bucket()
        keys = [o.key for o in self.store.iter_objects(self.bucket, PREFIX)]
        if not keys:
            return None
        key = max(keys)
        try:
            return Checkpoint.from_json(self.store.get_bytes(self.bucket, key), key)
        except (ValueError, KeyError, NotFoundError):
            return None

    def load_verified(self) -> tuple[list[Checkpoint], list[str]]:
        """Every stored version whose signature verifies with a trusted key, and a list of
        problems (bad signatures, unreadable objects, conflicting heads for one size)."""
        self.ensure_bucket()
        good: dict[int, Checkpoint] = {}
        problems: list[str] = []
        for v in self.store.list_versions(self.bucket, PREFIX):
            if v.delete_marker:
                continue
            name = f"{v.key}@{v.version_id}" if v.version_id else v.key
            try:
                cp = Checkpoint.from_json(
                    self.store.get_bytes(self.bucket, v.key, version_id=v.version_id),
                    v.key,
                    v.version_id,
                )
            except (ValueError, KeyError, TypeError):
                problems.append(f"checkpoint {name} is not readable")
                continue
            public = self.trusted.get(cp.key_id)
            try:
                if public is None:
                    raise CryptoError()
                crypto.ed25519_verify(public, cp.message(), bytes.fromhex(cp.signature))
            except (CryptoError, ValueError):
                problems.append(f"checkpoint {name} has no valid signature by a trusted key")
                continue
            if v.key != f"{PREFIX}{cp.size:012d}.json":
                problems.append(f"checkpoint {name} claims size {cp.size} under another name")
                continue
            other = good.get(cp.size)
            if other is not None and other.head != cp.head:
                problems.append(f"two signed checkpoints disagree about entry {cp.size}")
                continue
            good[cp.size] = cp
        return sorted(good.values(), key=lambda c: c.size), problems
