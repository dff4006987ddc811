"""The catalog's repository API: what the workers, the API, the sweeper and DSAR call.

Why a repository and not raw sessions everywhere: the rules that keep the catalog honest live
in one place -- a source object is claimed once (unique key: a second claim fails with
:class:`~redactor.errors.ConflictError`), every state change appends to the history, every
deadline is recomputed when objects change, and two sweepers never work on the same row
(a lease taken with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, with a conditional ``UPDATE`` on
SQLite, whose writers are serialised anyway).

Every method that records time takes ``now`` (timezone-aware); nothing here reads a clock.

Typical use by the pipeline::

    cat = Catalog.open()                                  # migrates the schema
    rec = cat.create("incoming/call.wav", now=t, meta=meta, policy=policy)
    cat.transition(rec.id, "processing", now=t, actor="worker-1", expect="received")
    cat.add_object(rec.id, "audio", key="r/..", key_id="k1", now=t)   # one per artifact
    cat.set_redaction_summary(rec.id, {"regions": 3}, now=t)
    cat.apply_retention(rec.id, policy.for_campaign(rec.campaign).retention, now=t)
    cat.transition(rec.id, "stored", now=t, actor="worker-1")

The reads (``get``, ``search``, ``history`` ...) live in :mod:`storage.catalog_reads`, the
holds and leases in their own mixins; :class:`Catalog` combines them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from policies.retention import RetentionRules, retention_deadlines, rules_digest
from redactor.errors import BadInputError, ConflictError, NotFoundError
from storage.catalog_holds import HoldsMixin
from storage.catalog_job_lease import JobLeaseMixin
from storage.catalog_leases import LeaseMixin
from storage.catalog_models import (
    STATES,
    RecordingEventRow,
    RecordingObjectRow,
    RecordingRow,
)
from storage.catalog_reads import ReadsMixin
from storage.catalog_types import (
    CatalogObject,
    Event,
    Hold,
    Recording,
    _check_state,
    _require_aware,
    _to_obj,
)

if TYPE_CHECKING:
    from policies.loader import Policy
    from storage.sidecar import CallMetadata
    from storage.vault import StoredObject as VaultObject

__all__ = ["Catalog", "Recording", "CatalogObject", "Hold", "Event", "STATES", "OBJECT_KINDS"]

# What the catalog records: the vault's kinds, plus ``raw`` (the unencrypted source in the
# incoming bucket, when a policy keeps raw audio at all).
OBJECT_KINDS = ("audio", "transcript", "report", "quarantine", "raw")


class Catalog(HoldsMixin, LeaseMixin, JobLeaseMixin, ReadsMixin):
    """The recordings catalog on one database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        from storage.db import session_factory

        self.engine = engine
        self._session = session_factory(engine)

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Catalog:
        """Open the catalog at ``url`` (default :func:`storage.db.default_url`), migrated."""
        from storage.db import make_engine
        from storage.db import migrate as run_migrations

        engine = make_engine(url)
        if migrate:
            run_migrations(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ pipeline (workers)

    def create(
        self,
        source_key: str,
        *,
        now: datetime,
        meta: CallMetadata | None = None,
        source_bucket: str | None = None,
        policy: Policy | None = None,
        state: str = "received",
        actor: str = "ingest",
        sidecar_error: str | None = None,
        recording_id: str | None = None,
    ) -> Recording:
        """Claim ``source_key``: create its row in ``state``. A second claim of the same source
        key raises :class:`ConflictError` (that is how two workers agree who processes it)."""
        _require_aware(now)
        _check_state(state)
        rid = recording_id or str(uuid.uuid4())
        values: dict[str, Any] = {
            "id": rid,
            "source_bucket": source_bucket,
            "source_key": source_key,
            "state": state,
            "received_at": now,
            "updated_at": now,
            "sidecar_error": sidecar_error,
        }
        if meta is not None:
            values.update(meta.catalog_fields())
        if policy is not None:
            campaign = values.get("campaign")
            applied = policy.for_campaign(campaign)
            values.update(
                policy_campaign=campaign if campaign in policy.campaigns else None,
                policy_digest=rules_digest(applied.retention),
                policy_source=policy.source,
            )
        try:
            with self._session.begin() as s:
                s.add(RecordingRow(**values))
                s.flush()
                s.add(
                    RecordingEventRow(
                        recording_id=rid,
                        at=now,
                        from_state=None,
                        to_state=state,
                        action="created",
                        actor=actor,
                        detail={"sidecar_error": sidecar_error} if sidecar_error else None,
                    )
                )
        except IntegrityError:
            raise ConflictError(
                f"source object {source_key!r} is already in the catalog (claimed by another "
                "worker or processed before)"
            ) from None
        return self.get(rid)

    def transition(
        self,
        recording_id: str,
        to_state: str,
        *,
        now: datetime,
        actor: str,
        detail: dict | None = None,
        expect: str | Sequence[str] | None = None,
    ) -> Recording:
        """Move a recording to ``to_state`` and append the change to its history.

        With ``expect``, the move happens only from that state (or one of those states);
        otherwise :class:`ConflictError` -- a conditional update, safe between processes.
        """
        _require_aware(now)
        _check_state(to_state)
        expected = (expect,) if isinstance(expect, str) else tuple(expect or ())
        with self._session.begin() as s:
            row = s.get(RecordingRow, recording_id)
            if row is None:
                raise NotFoundError(f"recording {recording_id!r} is not in the catalog")
            from_state = row.state
            cond = [RecordingRow.id == recording_id]
            cond.append(
                RecordingRow.state.in_(expected) if expected else RecordingRow.state == from_state
            )
            res = s.execute(
                update(RecordingRow).where(*cond).values(state=to_state, updated_at=now)
            )
            if res.rowcount != 1:
                raise ConflictError(
                    f"recording {recording_id} is {from_state!r}, expected "
                    f"{' or '.join(expected) or from_state!r}; not moved to {to_state!r}"
                )
            s.add(
                RecordingEventRow(
                    recording_id=recording_id,
                    at=now,
                    from_state=from_state,
                    to_state=to_state,
                    action="state",
                    actor=actor,
                    detail=detail,
                )
            )
        return self.get(recording_id)

    def log_event(
        self,
        recording_id: str,
        action: str,
        *,
        now: datetime,
        actor: str,
        detail: dict | None = None,
    ) -> None:
        """Append a non-state event (an object deleted, a hold honoured...) to the history."""
        _require_aware(now)
        with self._session.begin() as s:
            s.add(
                RecordingEventRow(
                    recording_id=recording_id, at=now, action=action, actor=actor, detail=detail
                )
            )

    def add_object(
        self,
        recording_id: str,
        kind: str,
        *,
        key: str,
        now: datetime,
        bucket: str | None = None,
        version_id: str | None = None,
        key_id: str | None = None,
        size: int | None = None,
        sha256: str | None = None,
        content_type: str | None = None,
        delete_after: datetime | None = None,
    ) -> CatalogObject:
        """Record an object of ``kind`` (one of :data:`OBJECT_KINDS`) and the id of its data
        key (``None`` for the unencrypted ``raw`` source). One object per kind: a second one
        is a :class:`ConflictError`. Vault objects are easier through
        :meth:`add_vault_object`."""
        _require_aware(now)
        if kind not in OBJECT_KINDS:
            raise BadInputError(
                f"unknown object kind {kind!r}; valid kinds: {', '.join(OBJECT_KINDS)}"
            )
        try:
            with self._session.begin() as s:
                if s.get(RecordingRow, recording_id) is None:
                    raise NotFoundError(f"recording {recording_id!r} is not in the catalog")
                row = RecordingObjectRow(
                    recording_id=recording_id,
                    kind=kind,
                    bucket=bucket,
                    key=key,
                    version_id=version_id,
                    key_id=key_id,
                    size=size,
                    sha256=sha256,
                    content_type=content_type,
                    stored_at=now,
                    delete_after=delete_after,
                )
                s.add(row)
                s.flush()
                self._refresh_due(s, recording_id)
                s.add(
                    RecordingEventRow(
                        recording_id=recording_id,
                        at=now,
                        action="object_stored",
                        actor="vault",
                        detail={"kind": kind, "key": key, "key_id": key_id},
                    )
                )
                return _to_obj(row)
        except IntegrityError:
            raise ConflictError(f"recording {recording_id} already has a {kind!r} object") from None

    def add_vault_object(
        self, stored: VaultObject, *, now: datetime, delete_after: datetime | None = None
    ) -> CatalogObject:
        """Record what :meth:`storage.vault.Vault.put` returned (its recording id and kind)."""
        return self.add_object(
            stored.recording_id,
            stored.kind,
            key=stored.key,
            bucket=stored.bucket,
            version_id=stored.version_id,
            key_id=stored.key_id,
            size=stored.size,
            sha256=stored.sha256,
            now=now,
            delete_after=delete_after,
        )

    def set_redaction_summary(self, recording_id: str, summary: dict, *, now: datetime) -> None:
        _require_aware(now)
        with self._session.begin() as s:
            res = s.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id)
                .values(redaction_summary=summary, updated_at=now)
            )
            if res.rowcount != 1:
                raise NotFoundError(f"recording {recording_id!r} is not in the catalog")

    def apply_retention(
        self, recording_id: str, rules: RetentionRules, *, now: datetime
    ) -> dict[str, datetime]:
        """Set each live object's deadline from ``rules`` and the recording's ``retain_until``.

        Returns the deadline per kind. A ``quarantine`` object lives as long as the audio. A
        ``raw`` object under a policy that does not keep raw audio gets ``now`` as its
        deadline: the next sweep deletes it if the pipeline did not.
        """
        _require_aware(now)
        with self._session.begin() as s:
            row = s.get(RecordingRow, recording_id)
            if row is None:
                raise NotFoundError(f"recording {recording_id!r} is not in the catalog")
            deadlines = retention_deadlines(rules, row.started_at, row.received_at)
            objs = s.scalars(
                select(RecordingObjectRow).where(RecordingObjectRow.recording_id == recording_id)
            ).all()
            for o in objs:
                if o.deleted_at is None:
                    kind = "audio" if o.kind == "quarantine" else o.kind
                    o.delete_after = deadlines.get(kind, now)
            row.retain_until = max(deadlines.values())
            row.policy_digest = rules_digest(rules)
            row.updated_at = now
            s.flush()
            self._refresh_due(s, recording_id)
        return deadlines

    @staticmethod
    def _refresh_due(s, recording_id: str) -> None:
        nxt = (
            select(func.min(RecordingObjectRow.delete_after))
            .where(
                RecordingObjectRow.recording_id == recording_id,
                RecordingObjectRow.deleted_at.is_(None),
            )
            .scalar_subquery()
        )
        s.execute(
            update(RecordingRow).where(RecordingRow.id == recording_id).values(next_due_at=nxt)
        )
