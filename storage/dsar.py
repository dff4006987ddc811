"""Data-subject requests: access (GDPR Art. 15) and erasure (Art. 17), by customer id.

Why here and complete: an answer that misses a recording is a wrong answer. Both requests
start from every catalog row carrying the customer id, in any state.

* :func:`export_subject` writes a zip: every live object of the person's recordings --
  redacted audio, transcript, report (and a quarantined or kept raw copy if one exists),
  *decrypted* -- plus ``manifest.json`` with each recording's metadata, state history and the
  SHA-256 of every file. The zip is written beside the target and renamed only when complete.
* :func:`erase_subject` deletes and shreds everything about the person except what a legal
  hold (catalog or policy) covers, scrubs the person's identifiers from the erased rows, and
  returns an :class:`ErasureReceipt` listing what was erased, what was held and why, and
  what could not be erased now (a recording still being processed). Running it again is
  harmless: erased rows no longer carry the customer id.

Both take ``now``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policies.retention import policy_holds
from redactor.errors import BadInputError, NotFoundError
from storage import events_hook

if TYPE_CHECKING:
    from policies.loader import Policy
    from storage.catalog_repo import Catalog, Recording

__all__ = [
    "ExportResult",
    "ErasureReceipt",
    "export_subject",
    "erase_subject",
    "subject_recordings",
]

log = logging.getLogger("redactor.dsar")

_IN_FLIGHT = ("received", "processing")
_EXTENSIONS = {
    "audio": "wav",
    "transcript": "json",
    "report": "json",
    "quarantine": "wav",
    "raw": "wav",
}
_PRIVATE_FIELDS = ("objects",)


@dataclass(frozen=True)
class ExportResult:
    path: str
    customer_id: str
    recordings: int
    files: int
    bytes: int


@dataclass
class ErasureReceipt:
    customer_id: str
    requested_at: str
    erased: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    not_erased_now: list[dict[str, Any]] = field(default_factory=list)
    keys_shredded: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False) + "\n"


def _customer(customer_id: str) -> str:
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise BadInputError(f"customer id {customer_id!r} must be a non-empty string")
    return customer_id.strip()


def subject_recordings(catalog: Catalog, customer_id: str) -> list[Recording]:
    """Every recording carrying ``customer_id``, whatever its state."""
    customer_id = _customer(customer_id)
    out: list[Recording] = []
    offset = 0
    while True:
        page = catalog.search(customer_id=customer_id, limit=1000, offset=offset)
        out += page
        if len(page) < 1000:
            return out
        offset += 1000


def _meta(rec: Recording) -> dict[str, Any]:
    d = rec.to_dict()
    for name in _PRIVATE_FIELDS:
        d.pop(name, None)
    return d


class _HashingWriter:
    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:  # noqa: ANN001
        self.sha.update(data)
        self.size += len(data)
        return self.inner.write(data)


def export_subject(
    catalog: Catalog,
    vault: Any,
    customer_id: str,
    out: str | Path,
    *,
    now: datetime,
    actor: str = "dsar",
) -> ExportResult:
    """Write the person's data to the zip ``out`` (see the module docstring)."""
    customer_id = _customer(customer_id)
    recs = subject_recordings(catalog, customer_id)
    if not recs:
        raise NotFoundError(f"no recording in the catalog belongs to customer {customer_id!r}")
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    manifest: dict[str, Any] = {
        "request": "access (GDPR Art. 15)",
        "customer_id": customer_id,
        "generated_at": now.isoformat(),
        "recordings": [],
    }
    files = total = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for rec in recs:
                entry = _meta(rec)
                entry["history"] = [
                    {
                        "at": e.at.isoformat(),
                        "from_state": e.from_state,
                        "to_state": e.to_state,
                        "action": e.action,
                    }
                    for e in catalog.history(rec.id)
                ]
                entry["files"] = []
                for obj in rec.objects:
                    if not obj.live or obj.key_id is None:
                        continue
                    from storage.vault import ObjectRef

                    name = f"recordings/{rec.id}/{obj.kind}.{_EXTENSIONS.get(obj.kind, 'bin')}"
                    with zf.open(name, "w", force_zip64=True) as fh:
                        hw = _HashingWriter(fh)
                        vault.get_to(
                            ObjectRef(obj.bucket or vault.bucket, obj.key, obj.version_id), hw
                        )
                    entry["files"].append(
                        {
                            "path": name,
                            "kind": obj.kind,
                            "size": hw.size,
                            "sha256": hw.sha.hexdigest(),
                        }
                    )
                    files += 1
                    total += hw.size
                manifest["recordings"].append(entry)
            zf.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for rec in recs:
        catalog.log_event(rec.id, "dsar_export", now=now, actor=actor, detail={"files": files})
    events_hook.sink().emit(catalog, "dsar.exported",
         {"customer_id": customer_id, "recording_ids": [r.id for r in recs], "files": files},
         now)  # fmt: skip
    log.info("%s: exported %d files of %d recordings for a data subject", actor, files, len(recs))
    return ExportResult(str(out), customer_id, len(recs), files, total)


def erase_subject(
    catalog: Catalog,
    vault: Any,
    policy: Policy,
    customer_id: str,
    *,
    now: datetime,
    actor: str = "dsar",
) -> ErasureReceipt:
    """Erase everything about ``customer_id`` not under legal hold; return the receipt."""
    from storage.purge import purge
    from storage.sidecar import sidecar_key

    customer_id = _customer(customer_id)
    receipt = ErasureReceipt(customer_id=customer_id, requested_at=now.isoformat())
    recs = subject_recordings(catalog, customer_id)
    covering = catalog.holds_covering(recs, now)
    plan: dict[str, list] = {}
    extra: dict[str, list[str]] = {}
    by_id = {r.id: r for r in recs}
    for rec in recs:
        reasons = [
            {
                "source": "catalog",
                "reference": h.reference,
                "reason": h.reason,
                "scope": h.scope,
                "set_by": h.set_by,
                "set_at": h.set_at.isoformat(),
            }
            for h in covering[rec.id]
        ]
        rules = policy.for_campaign(rec.campaign).retention
        reasons += [
            {"source": "policy", "reference": h.reference, "reason": h.reason}
            for h in policy_holds(rules, rec.facts, now)
        ]
        ident = {
            "recording_id": rec.id,
            "call_id": rec.call_id,
            "started_at": rec.started_at.isoformat() if rec.started_at else None,
        }
        if reasons:
            receipt.held.append({**ident, "state": rec.state, "held_because": reasons})
            catalog.log_event(
                rec.id,
                "erasure_refused_hold",
                now=now,
                actor=actor,
                detail={"holds": [r["reference"] for r in reasons]},
            )
            continue
        if rec.state in _IN_FLIGHT:
            receipt.not_erased_now.append(
                {
                    **ident,
                    "state": rec.state,
                    "why": "the recording is being processed; run the erasure again afterwards",
                }
            )
            continue
        plan[rec.id] = [o for o in rec.objects if o.live]
        extra[rec.id] = [k.key_id for k in vault.keystore.for_recording(rec.id) if not k.shredded]
        if rec.source_bucket:  # a held-back or kept source still in the incoming bucket
            for key in (rec.source_key, sidecar_key(rec.source_key)):
                vault.store.delete(rec.source_bucket, key)
    out = purge(
        catalog,
        vault,
        plan,
        now=now,
        reason="erasure",
        actor=actor,
        final_state="erased",
        extra_keys=extra,
    )
    receipt.keys_shredded = out.keys_shredded
    for rid, err in out.failed.items():
        rec = by_id[rid]
        receipt.not_erased_now.append(
            {
                "recording_id": rid,
                "call_id": rec.call_id,
                "state": rec.state,
                "why": f"the object store failed: {err}; run the erasure again",
            }
        )
    objs_by_rec: dict[str, list[dict]] = {}
    for o in out.objects:
        objs_by_rec.setdefault(o.recording_id, []).append(
            {"kind": o.kind, "object": f"{o.bucket}/{o.key}", "result": o.note}
        )
    for rid in plan:
        if rid in out.failed:
            continue
        rec = by_id[rid]
        catalog.scrub_subject(rid, now=now)
        receipt.erased.append(
            {
                "recording_id": rid,
                "call_id": rec.call_id,
                "started_at": rec.started_at.isoformat() if rec.started_at else None,
                "previous_state": rec.state,
                "objects": objs_by_rec.get(rid, []),
                "catalog": "identifiers removed; row kept as proof of erasure",
            }
        )
    erased_ids = [e["recording_id"] for e in receipt.erased]
    events = events_hook.sink()
    events.emit_recordings(catalog, "recording.erased", erased_ids, now, customer_id=customer_id,
                    request="dsar")  # fmt: skip
    events.emit(catalog, "dsar.erased",
         {"customer_id": customer_id, "erased": erased_ids,
          "held": [e["recording_id"] for e in receipt.held],
          "deferred": [e["recording_id"] for e in receipt.not_erased_now]},
         now)  # fmt: skip
    log.info(
        "%s: erasure for a data subject: %d erased, %d held, %d deferred",
        actor,
        len(receipt.erased),
        len(receipt.held),
        len(receipt.not_erased_now),
    )
    return receipt
