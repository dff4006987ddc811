"""Admission of a new recording: sidecar, consent and the catalog claim, before any redaction.

Why a separate step: two policy decisions must be taken *before* the expensive pipeline
runs, and both must leave a trace --

* a missing or malformed sidecar is reported in the result; the policy either processes the
  recording with its ``sidecar_defaults`` or holds it back (state ``held_back``);
* a call recorded without disclosed consent is, by default, deleted at once -- the source
  audio and its sidecar -- with a log entry and a catalog row in state ``rejected`` that
  keeps no customer identifier (the row is what stops the recording being admitted twice and
  what an auditor reads).

:func:`admit` claims the source key in the catalog (a second worker admitting the same key
gets :class:`~redactor.errors.ConflictError`) and returns an :class:`AdmitResult`; the
workers run the pipeline only when ``result.process`` is true.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from policies.retention import consent_decision, missing_sidecar_decision
from redactor.errors import BadInputError, NotFoundError
from storage.sidecar import CallMetadata, metadata_from_defaults, parse_sidecar, sidecar_key

if TYPE_CHECKING:
    from policies.loader import Policy
    from storage.catalog_repo import Catalog, Recording
    from storage.objectstore import ObjectStore
    from storage.sidecar import PhoneHasher

__all__ = ["AdmitResult", "admit", "read_sidecar_object"]

log = logging.getLogger("redactor.intake")


@dataclass(frozen=True)
class AdmitResult:
    """``action``: ``accepted`` (run the pipeline), ``held_back`` or ``rejected``.

    ``sidecar_error`` is set whenever the sidecar was missing or malformed, even when the
    policy let the recording through with defaults.
    """

    recording: Recording
    action: str
    reason: str
    sidecar_error: str | None = None

    @property
    def process(self) -> bool:
        return self.action == "accepted"


def read_sidecar_object(
    store: ObjectStore, bucket: str, source_key: str, *, hasher: PhoneHasher
) -> tuple[CallMetadata | None, str | None]:
    """The sidecar object beside ``source_key``: ``(meta, None)`` or ``(None, error)``."""
    key = sidecar_key(source_key)
    try:
        data = store.get_bytes(bucket, key)
    except NotFoundError:
        return None, f"{bucket}/{key}: sidecar is missing"
    try:
        return parse_sidecar(data, hasher=hasher, source=f"{bucket}/{key}"), None
    except BadInputError as exc:
        return None, str(exc)


def admit(
    catalog: Catalog,
    store: ObjectStore,
    policy: Policy,
    *,
    bucket: str,
    source_key: str,
    hasher: PhoneHasher,
    now: datetime,
    actor: str = "ingest",
) -> AdmitResult:
    """Read the sidecar, apply the consent and missing-sidecar rules, claim the catalog row.

    Deletes the source (audio and sidecar) when the policy does not keep a recording made
    without disclosed consent.
    """
    meta, error = read_sidecar_object(store, bucket, source_key, hasher=hasher)
    if error is not None:
        decision = missing_sidecar_decision(policy.retention, error)
        if not decision.process:
            rec = catalog.create(
                source_key,
                now=now,
                source_bucket=bucket,
                policy=policy,
                state="held_back",
                actor=actor,
                sidecar_error=error,
            )
            log.warning("held back %s/%s: %s", bucket, source_key, decision.reason)
            return AdmitResult(rec, "held_back", decision.reason, error)
        meta = metadata_from_defaults(policy.retention.sidecar_defaults)
    assert meta is not None
    rules = policy.for_campaign(meta.campaign).retention
    consent = consent_decision(rules, meta.consent_disclosed)
    if consent.keep:
        rec = catalog.create(
            source_key,
            now=now,
            meta=meta,
            source_bucket=bucket,
            policy=policy,
            actor=actor,
            sidecar_error=error,
        )
        return AdmitResult(rec, "accepted", consent.reason, error)

    # Not kept: claim first (so only one worker deletes), then delete, then say so.
    anonymous = replace(meta, customer_id=None, phone_hash=None)
    rec = catalog.create(
        source_key,
        now=now,
        meta=anonymous,
        source_bucket=bucket,
        policy=policy,
        actor=actor,
        sidecar_error=error,
    )
    deleted = []
    for key in (source_key, sidecar_key(source_key)):
        store.delete(bucket, key)  # deleting a missing key is not an error in S3
        deleted.append(f"{bucket}/{key}")
    rec = catalog.transition(
        rec.id,
        "rejected",
        now=now,
        actor=actor,
        expect="received",
        detail={"reason": consent.reason, "deleted": deleted},
    )
    log.warning(
        "deleted at ingest %s/%s (call %s): %s", bucket, source_key, meta.call_id, consent.reason
    )
    return AdmitResult(rec, "rejected", consent.reason, error)
