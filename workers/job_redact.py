"""Steps 3 to 5 of the job: redact in private scratch, store in the vault, commit.

Why a module of its own: this is the job's work proper -- download, redaction, the three
vault objects uploaded side by side, the catalog summary and retention -- as opposed to the
claiming, leasing and failure handling around it in :mod:`workers.job`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from redactor.errors import ConflictError
from redactor.transcribe import ASR_LANE
from workers.hooks import crash_point
from workers.job_cleanup import shred_orphans
from workers.scratch import job_dir, reap_stale

if TYPE_CHECKING:
    from storage.catalog_repo import Recording
    from workers.job_types import JobContext, _Timer

__all__: list[str] = []


def _redact_and_store(
    ctx: JobContext, rec: Recording, bucket: str, key: str, timer: _Timer
) -> float:
    cat = ctx.catalog
    suffix = PurePosixPath(key).suffix.lower()[:10]
    # a worker killed mid-job leaves its unredacted download behind: clear such leftovers
    # of dead processes at every job, not only at worker start
    reap_stale(ctx.settings.resolved_scratch)
    with job_dir(ctx.settings.resolved_scratch) as tmp:
        src = tmp / f"source{suffix}"
        dst = tmp / f"redacted{suffix}"
        with timer.stage("download"), open(src, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            ctx.store.download_to(bucket, key, fh)
        ASR_LANE.take_seconds()  # this job's recognition time, for the metrics
        with timer.stage("redact"):
            report = ctx.router().redact_file(
                src, dst, language=rec.language, campaign=rec.campaign
            )
        timer.timings["asr"] = ASR_LANE.take_seconds()
        src.unlink()  # the unredacted copy goes as soon as the redacted one exists
        for stage in ("decode", "transcribe", "verify"):
            if stage in report.timings:
                timer.timings[stage] = float(report.timings[stage])
        crash_point(ctx.settings.crash_hooks, "after_transcription", key)
        report_path = dst.with_name(dst.name + ".report.json")
        transcript = json.dumps(
            {"recording_id": rec.id, "channels": report.transcript}, indent=1
        ).encode()
        with timer.stage("upload"):
            # three independent objects: seal and upload them side by side (network and
            # database round trips, not CPU); the first error is raised after all finish
            from concurrent.futures import ThreadPoolExecutor

            items = (("audio", dst), ("transcript", transcript), ("report", report_path))
            with ThreadPoolExecutor(len(items), thread_name_prefix="upload") as pool:
                futures = [pool.submit(_store_kind, ctx, rec.id, k, v) for k, v in items]
            for f in futures:
                f.result()
        crash_point(ctx.settings.crash_hooks, "after_upload", key)
    with timer.stage("catalog"):
        now = ctx.clock()
        entities: dict[str, int] = {}
        for iv in report.intervals:
            entities[iv.entity_type] = entities.get(iv.entity_type, 0) + 1
        cat.set_redaction_summary(
            rec.id,
            {
                "duration": round(report.duration, 3),
                "regions": len(report.intervals),
                "redacted_seconds": round(report.redacted_seconds, 3),
                "entities": entities,
                "model": report.model,
                "language": report.settings.get("language"),
                "language_source": report.settings.get("language_source"),
            },
            now=now,
        )
        cat.apply_retention(rec.id, ctx.policy.for_campaign(rec.campaign).retention, now=now)
        crash_point(ctx.settings.crash_hooks, "before_commit", key)
        cat.transition(rec.id, "stored", now=ctx.clock(), actor=ctx.worker, expect="processing")
    return float(report.duration)


def _store_kind(ctx: JobContext, recording_id: str, kind: str, src: Path | bytes) -> None:
    """Seal ``src`` as ``kind`` unless the catalog already lists one; shred leftovers first."""
    rec = ctx.catalog.get(recording_id)
    if any(o.kind == kind for o in rec.objects):
        return
    shred_orphans(ctx, recording_id, kind)
    stored = ctx.vault.put(recording_id, kind, src)
    try:
        ctx.catalog.add_vault_object(stored, now=ctx.clock())
    except ConflictError:  # catalogued concurrently: ours is the orphan
        ctx.vault.shred_key(stored.key_id)
        ctx.vault.delete(stored.ref)
