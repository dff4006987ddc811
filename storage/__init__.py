"""Storage: the encrypted vault over S3-compatible object storage, and the catalog database.

Public API of the vault (imported lazily, so ``import storage.db`` stays cheap)::

    from storage import ObjectStore, S3Settings, Vault, LocalKeyring, KeyStore

    vault = Vault(ObjectStore(S3Settings.from_env()), LocalKeyring(key_dir),
                  KeyStore(make_engine()), bucket="vault")
    obj = vault.put("rec-1", "audio", Path("call.wav"), retain_until=..., legal_hold=False)
    for chunk in vault.open(obj): ...          # verified plaintext, streamed
    vault.shred("rec-1")                       # crypto-shred every key of the recording
    vault.rotate()                             # re-wrap all data keys, resumable

See ``docs/vault.md`` for the format, the error contract and the operations.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    # object store
    "ObjectStore",
    "ObjectWriter",
    "ObjectInfo",
    "PutResult",
    "ListPage",
    "S3Settings",
    "VaultSettings",
    # vault
    "Vault",
    "ObjectRef",
    "StoredObject",
    "ObjectStatus",
    "RotationReport",
    "KINDS",
    # keys
    "Keyring",
    "LocalKeyring",
    "KmsKeyring",
    "KeyStore",
    "DataKeyRecord",
    # local S3 server
    "SeaweedServer",
]

_WHERE = {
    "ObjectStore": "objectstore",
    "ObjectWriter": "objectstore",
    "ObjectInfo": "objectstore",
    "PutResult": "objectstore",
    "ListPage": "objectstore",
    "S3Settings": "settings",
    "VaultSettings": "settings",
    "Vault": "vault",
    "ObjectRef": "vault",
    "StoredObject": "vault",
    "ObjectStatus": "vault",
    "RotationReport": "vault",
    "KINDS": "vault",
    "Keyring": "keyring",
    "LocalKeyring": "keyring",
    "KmsKeyring": "keyring",
    "KeyStore": "keystore",
    "DataKeyRecord": "keystore",
    "SeaweedServer": "seaweed",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
