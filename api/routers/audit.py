"""The access log for compliance: query, export as CSV, verify."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api.routers import aware_time
from api.schemas import AccessEntryOut, AccessLogOut, VerifyOut
from policies.roles import Action
from storage.audit import AccessQuery

__all__ = ["router", "access_query"]

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


def access_query(
    actor: str | None = None,
    recording_id: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    before: int | None = None,
) -> AccessQuery:
    return AccessQuery(
        actor=actor or None,
        recording_id=recording_id or None,
        action=action or None,
        outcome=outcome or None,
        since=aware_time(since, "since"),
        until=aware_time(until, "until"),
        limit=limit,
        before_seq=before,
    )


Text = Annotated[str | None, Query(max_length=200)]


@router.get("", response_model=AccessLogOut, summary="Query the access log (newest first)")
async def query_log(
    request: Request,
    actor: Text = None,
    recording_id: Text = None,
    action: Text = None,
    outcome: Annotated[str | None, Query(pattern=r"^(allowed|denied|failed|error)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    q = access_query(actor, recording_id, action, outcome, since, until, limit, before)
    gate = request.app.state.gate
    await gate.require(request, Action.AUDIT_READ, target="access-log", detail=_describe(q))
    items = request.app.state.services.audit.query(q)
    nxt = items[-1].seq if len(items) == limit and items[-1].seq > 1 else None
    return AccessLogOut(items=[AccessEntryOut(**e.as_dict()) for e in items], next_before=nxt)


def _describe(q: AccessQuery) -> str:
    parts = [f"{k}={v}" for k, v in vars(q).items() if v not in (None, "") and k != "limit"]
    return "filters: " + (", ".join(parts) or "none")


@router.get(
    "/export.csv",
    summary="Export the access log as CSV (oldest first)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_log(
    request: Request,
    actor: Text = None,
    recording_id: Text = None,
    action: Text = None,
    outcome: Annotated[str | None, Query(pattern=r"^(allowed|denied|failed|error)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    q = access_query(actor, recording_id, action, outcome, since, until)
    gate = request.app.state.gate
    await gate.require(request, Action.AUDIT_EXPORT, target="access-log", detail=_describe(q))
    audit = request.app.state.services.audit
    buf = io.StringIO()
    audit.export_csv(buf, q)
    stamp = request.app.state.services.clock().strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        iter([buf.getvalue()]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="access-log-{stamp}.csv"'},
    )


@router.get(
    "/verify", response_model=VerifyOut, summary="Verify the chain against the signed checkpoints"
)
async def verify_log(request: Request):
    gate = request.app.state.gate
    await gate.require(request, Action.AUDIT_VERIFY, target="access-log")
    report = request.app.state.services.audit.verify()
    return VerifyOut(
        ok=report.ok,
        entries=report.entries,
        checkpoints=report.checkpoints,
        first_bad=report.first_bad,
        problem=report.problem,
        summary=report.summary(),
    )
