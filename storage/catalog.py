"""The recordings catalog: one import for everything the other subsystems call.

Why: a recording's purpose, owner and lifetime must be answerable from one place. The
implementation is split by job -- tables (:mod:`storage.catalog_models`), plain values
(:mod:`storage.catalog_types`), the repository (:mod:`storage.catalog_repo`), legal
holds (:mod:`storage.catalog_holds`), sweeper
leases (:mod:`storage.catalog_leases`), job leases (:mod:`storage.catalog_job_lease`) -- and
re-exported here.

Interfaces:

* workers: :meth:`Catalog.create` (claims the source key; a second claim raises
  ``ConflictError``), :meth:`Catalog.transition` (state history: received -> processing ->
  stored -> source_deleted / quarantined / expired / erased, plus held_back and rejected),
  :meth:`Catalog.add_vault_object` / :meth:`Catalog.add_object`,
  :meth:`Catalog.set_redaction_summary`, :meth:`Catalog.apply_retention`,
  :meth:`Catalog.by_state`, :meth:`Catalog.take_lease` / :meth:`Catalog.renew_lease` /
  :meth:`Catalog.release_lease` (a job's lease on its row); admission (sidecar + consent) is :func:`storage.intake.admit`;
* API: :meth:`Catalog.search` (campaign, agent, customer, phone hash, state, date range),
  :meth:`Catalog.get`, :meth:`Catalog.history`, :meth:`Catalog.set_hold`,
  :meth:`Catalog.release_hold`, :meth:`Catalog.holds`;
* sweeper / DSAR: :meth:`Catalog.due`, :meth:`Catalog.claim_due`,
  :meth:`Catalog.mark_deleted`, :meth:`Catalog.holds_covering`.

Every method that records or compares time takes ``now`` (timezone-aware).
"""

from __future__ import annotations

from storage.catalog_models import STATES
from storage.catalog_repo import OBJECT_KINDS, Catalog
from storage.catalog_types import CatalogObject, Event, Hold, Recording

__all__ = ["Catalog", "Recording", "CatalogObject", "Hold", "Event", "STATES", "OBJECT_KINDS"]
