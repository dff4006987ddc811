"""Fixtures of the catalog tests: a migrated catalog on each database, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def catalog(db_engine):
    from storage.catalog_repo import Catalog

    return Catalog(db_engine)


@pytest.fixture
def hasher():
    from storage.sidecar import PhoneHasher

    return PhoneHasher(b"k" * 32)


@pytest.fixture
def cat_vault(object_store, locked_bucket, db_engine, tmp_path):
    """A real vault (SeaweedFS, local keyring) whose key store shares the catalog database."""
    from storage.keyring import LocalKeyring
    from storage.keystore import KeyStore
    from storage.vault import Vault

    keyring = LocalKeyring(tmp_path / "keys", "vault")
    keyring.generate()
    return Vault(object_store, keyring, KeyStore(db_engine), locked_bucket, now=lambda: T0)


def store_recording(
    catalog, vault, policy, hasher, key, *, kinds=("audio", "transcript", "report"), **meta_over
):
    """Admit, store encrypted artifacts and set deadlines, as the pipeline will."""
    import json

    from storage.sidecar import parse_sidecar

    from .test_sidecar import GOOD

    meta = parse_sidecar(json.dumps({**GOOD, **meta_over}), hasher=hasher)
    rec = catalog.create(key, now=T0, meta=meta, policy=policy)
    contents = {}
    for kind in kinds:
        data = f"{kind} of {rec.id}".encode() * 50
        stored = vault.put(rec.id, kind, data)
        catalog.add_vault_object(stored, now=T0)
        contents[kind] = data
    catalog.apply_retention(rec.id, policy.for_campaign(rec.campaign).retention, now=T0)
    catalog.transition(rec.id, "stored", now=T0, actor="test")
    return catalog.get(rec.id), contents
