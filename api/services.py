"""What the HTTP app needs from the rest of the system, bundled in one value.

:func:`api.app.create_app` takes a :class:`Services`; tests build one against a temporary
database and a real SeaweedFS, ``redactor serve`` builds one from the environment with
:func:`build_services`. Nothing in ``api/`` reaches for globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.settings import ApiSettings

__all__ = ["Services", "build_services", "make_inbox", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """``users`` (:class:`storage.users.UserStore`), ``audit`` (:class:`storage.audit.AccessLog`),
    ``recordings`` (:class:`api.recordings.RecordingSource`, may be None before the catalog
    exists), ``catalog`` (:class:`storage.catalog_repo.Catalog`, for holds), ``clock``."""

    users: Any
    audit: Any
    recordings: Any = None
    catalog: Any = None
    inbox: Callable | None = None  # inbox(key, stream, sidecar_bytes|None) -> PutResult
    settings: ApiSettings = field(default_factory=ApiSettings)
    clock: Callable[[], datetime] = utc_now
    background: list = field(default_factory=list)


def build_services(settings: ApiSettings | None = None) -> Services:
    """Everything from ``REDACTOR_*`` settings: database, vault, checkpoint bucket."""
    from api.recordings import RecordingSource
    from storage.audit import AccessLog, AuditSettings
    from storage.audit_checkpoints import CheckpointStore
    from storage.catalog_repo import Catalog
    from storage.db import session_factory
    from storage.users import AuthSettings, UserStore
    from workers.events import install_sink

    install_sink()  # holds and erasures made through the API reach the CRM outbox
    settings = settings or ApiSettings.from_env()
    catalog = Catalog.open()
    sessions = session_factory(catalog.engine)
    checkpoints = CheckpointStore.from_env()
    users = UserStore(sessions, AuthSettings.from_env())
    users.seal_plain_totp()  # TOTP secrets from before sealing (see docs/access.md)
    return Services(
        users=users,
        audit=AccessLog(sessions, checkpoints, AuditSettings.from_env()),
        recordings=RecordingSource.from_env(catalog),
        catalog=catalog,
        inbox=make_inbox(),
        settings=settings,
    )


def make_inbox(store=None, bucket: str | None = None):
    """The ingest drop: audio (and sidecar) into ``REDACTOR_INBOX_BUCKET`` (default
    ``inbox``), where the ingest watcher picks them up."""
    import os

    from storage.objectstore import ObjectStore
    from storage.settings import S3Settings

    store = store or ObjectStore(S3Settings.from_env())
    bucket = bucket or os.environ.get("REDACTOR_INBOX_BUCKET", "inbox")

    def drop(key: str, stream, sidecar: bytes | None):
        from storage.sidecar import sidecar_key

        if not store.bucket_exists(bucket):
            store.create_bucket(bucket)
        if sidecar is not None:
            store.put(bucket, sidecar_key(key), sidecar, content_type="application/json")
        return store.put(bucket, key, stream, if_none_match=True)

    return drop
