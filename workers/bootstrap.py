"""The one place that wires settings, catalog, vault, redactor, pool, scheduler and watcher.

Why one place: ``redactor serve``, ``redactor worker``, ``redactor ingest run`` and
``redactor status`` must agree on which bucket, database, keys and model they use, and a
test must be able to build the same objects from an explicit environment. Everything here is
built from ``REDACTOR_*`` variables (see ``docs/workers.md``) unless passed in.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.catalog_repo import Catalog
    from storage.objectstore import ObjectStore
    from workers.job_types import JobContext
    from workers.settings import WorkerSettings

__all__ = [
    "Stores",
    "open_stores",
    "build_context",
    "serve_services",
    "SweeperService",
    "prepare",
]

log = logging.getLogger("redactor.workers")


class Stores:
    """Catalog, object store and vault of one deployment (cheap: no models)."""

    def __init__(self, catalog: Catalog, store: ObjectStore, vault: Any) -> None:
        self.catalog = catalog
        self.store = store
        self.vault = vault


def open_stores(*, migrate: bool = True) -> Stores:
    """Open the catalog, the object store and the vault the environment describes."""
    from storage.catalog_repo import Catalog
    from storage.keyring import keyring_from_settings
    from storage.keystore import KeyStore
    from storage.objectstore import ObjectStore
    from storage.settings import S3Settings, VaultSettings
    from storage.vault import Vault
    from workers.events import install_sink

    install_sink()  # storage's legal-hold and DSAR events go to the CRM outbox
    vs = VaultSettings.from_env()
    catalog = Catalog.open(vs.database_url, migrate=migrate)
    store = ObjectStore(S3Settings.from_env())
    vault = Vault(store, keyring_from_settings(vs), KeyStore(catalog.engine), vs.bucket)
    return Stores(catalog, store, vault)


def prepare(settings: WorkerSettings, stores: Stores) -> None:
    """Once per deployment start: schema migrated (by :func:`open_stores`), buckets exist."""
    from redactor.errors import StorageError

    try:
        stores.store.create_bucket(settings.drop_bucket, versioning=False)
        if not stores.store.bucket_exists(stores.vault.bucket):
            stores.vault.ensure_bucket()
    except StorageError as exc:
        log.warning("object store not reachable at start; will retry: %s", type(exc).__name__)


def _router_factory() -> Callable[[], Any]:
    def make():
        from redactor.router import LanguageRouter
        from redactor.settings import redact_options

        return LanguageRouter(redact_options())

    return make


def build_context(
    settings: WorkerSettings | None = None,
    *,
    migrate: bool = False,
    router_factory: Callable[[], Any] | None = None,
    clock: Callable[[], datetime] | None = None,
    worker: str | None = None,
) -> JobContext:
    """A :class:`~workers.job.JobContext` for this process (models load on first use)."""
    from policies import load_policy
    from redactor.settings import redact_options
    from storage.sidecar import PhoneHasher
    from workers.job_types import JobContext
    from workers.settings import WorkerSettings

    settings = settings or WorkerSettings.from_env()
    stores = open_stores(migrate=migrate)
    import os

    policy = redact_options().policy if os.environ.get("REDACTOR_POLICY") else load_policy()
    extra: dict[str, Any] = {}
    if clock is not None:
        extra["clock"] = clock
    if worker is not None:
        extra["worker"] = worker
    return JobContext(
        catalog=stores.catalog,
        store=stores.store,
        vault=stores.vault,
        policy=policy,
        hasher=PhoneHasher.from_env(),
        settings=settings,
        router_factory=router_factory or _router_factory(),
        **extra,
    )


class SweeperService:
    """The retention sweep on APScheduler as a ``start()``/``stop()`` service."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self._sched = None

    def start(self) -> None:
        from policies import load_policy
        from workers.sweeper import start_scheduler

        def policy_loader():
            import os

            return load_policy(os.environ.get("REDACTOR_POLICY") or None)

        self._sched = start_scheduler(
            self.stores.catalog,
            self.stores.vault,
            policy_loader,
            clock=lambda: datetime.now(UTC),
        )

    def stop(self) -> None:
        if self._sched is not None:
            self._sched.shutdown(wait=False)
            self._sched = None


def serve_services(settings: WorkerSettings | None = None, *, sweeper: bool = True) -> list[Any]:
    """Background services for ``redactor serve``: worker pool (or Celery publisher), ingest
    watcher, S3 event listener (when ``REDACTOR_EVENTS_PORT`` is set) and the scheduler."""
    from workers.ingest import EventListener, Watcher
    from workers.settings import WorkerSettings

    settings = settings or WorkerSettings.from_env()
    stores = open_stores(migrate=True)
    prepare(settings, stores)
    if settings.scheduler == "celery":
        from workers.celery_app import CeleryDispatcher

        dispatcher: Any = CeleryDispatcher(settings)
    else:
        from workers.pool import WorkerPool

        dispatcher = WorkerPool(settings)
    watcher = Watcher(stores.store, stores.catalog, dispatcher, settings)
    services: list[Any] = [dispatcher, watcher]
    if settings.events_port:
        services.append(
            EventListener(watcher, port=settings.events_port, token=settings.events_token)
        )
    if sweeper:
        services.append(SweeperService(stores))
    services.append(_webhook_service(stores))
    return services


def _webhook_service(stores: Stores) -> Any:
    """Delivers the CRM events of the outbox to the webhook targets of the policy file."""
    from policies import load_policy
    from policies.webhooks import webhooks_of
    from workers.webhooks import Dispatcher, WebhookService, WebhookSettings

    def targets():
        return webhooks_of(load_policy(os.environ.get("REDACTOR_POLICY") or None))

    return WebhookService(Dispatcher(stores.catalog, targets, WebhookSettings.from_env()))
