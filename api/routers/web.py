"""The web pages: login (password + TOTP), the QA list and player, the compliance log.

Server-rendered Jinja2, one small script (the player's waveform) and one stylesheet: no
build step. Every page goes through the same :class:`~api.auth.Gate` as the JSON API, so
viewing a page is logged like calling the API. Forms carry a CSRF token; the login form,
which has no session yet, uses a double-submit cookie.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import client_address
from api.routers import aware_time
from api.routers.audit import access_query
from api.routers.recordings import load_view, recording_out
from api.schemas import ID_PATTERN
from policies.roles import Action, Role
from storage.audit import AccessEntry

__all__ = ["router", "LOGIN_CSRF_COOKIE"]

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "redactor_login_csrf"


def _render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def _cookie_args(request: Request) -> dict:
    return {
        "secure": request.app.state.services.settings.secure_cookies,
        "httponly": True,
        "samesite": "strict",
    }


async def _page_caller(request: Request, action: Action, **kw):
    """Authenticate for a page; unauthenticated people are sent to the login form."""
    try:
        return await request.app.state.gate.require(request, action, **kw)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise _LoginRedirect() from None
        raise


class _LoginRedirect(Exception):
    pass


def login_redirect_handler(request: Request, exc: Exception):
    return RedirectResponse("/login", status_code=303)


def _home_for(principal) -> str:
    if Role.QA in principal.roles:
        return "/qa"
    if Role.COMPLIANCE in principal.roles:
        return "/compliance"
    return "/account"


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    s = request.app.state.services
    cookie = request.cookies.get(s.settings.session_cookie)
    if cookie:
        try:
            info = s.users.session(cookie, now=s.clock())
            return RedirectResponse(_home_for(info.principal), status_code=303)
        except Exception:  # noqa: BLE001 - any failure means: log in again
            pass
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request):
    token = secrets.token_urlsafe(32)
    resp = _render(request, "login.html", csrf_token=token, error=None)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, path="/login", max_age=1800, **_cookie_args(request))
    return resp


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
):
    s = request.app.state.services
    now = s.clock()
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    actor = (username or "-").strip().lower()[:64] or "-"
    source = client_address(request)
    if not csrf_token or not hmac.compare_digest(csrf_token, cookie_token):
        s.audit.append(
            AccessEntry(
                actor,
                "-",
                "auth.login",
                "denied",
                target="login",
                source=source,
                detail="missing or wrong CSRF token",
            ),
            now=now,
        )
        return _login_failed(request, "Your login form expired; please try again.", 403)
    outcome = s.users.verify_login(username, password, code, now=now)
    if not outcome.ok:
        s.audit.append(
            AccessEntry(
                actor,
                "-",
                "auth.login",
                "failed",
                target="login",
                source=source,
                detail=outcome.reason,
            ),
            now=now,
        )
        return _login_failed(
            request, "Wrong name, password or code, or the account is locked.", 401
        )
    p = outcome.principal
    s.audit.append(
        AccessEntry(
            p.name,
            p.role_label,
            "auth.login",
            "allowed",
            target="login",
            source=source,
            detail="password and TOTP",
        ),
        now=now,
    )
    cookie, _csrf = s.users.create_session(p, now=now, source=source)
    resp = RedirectResponse(_home_for(p), status_code=303)
    resp.set_cookie(s.settings.session_cookie, cookie, path="/", **_cookie_args(request))
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return resp


def _login_failed(request: Request, message: str, status: int) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    resp = _render(request, "login.html", status=status, csrf_token=token, error=message)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, path="/login", max_age=1800, **_cookie_args(request))
    return resp


@router.post("/logout")
async def logout(request: Request):
    gate = request.app.state.gate
    s = request.app.state.services
    try:
        caller = await gate.authenticate(request, "auth.logout")
    except HTTPException as exc:
        if exc.status_code == 401:
            return RedirectResponse("/login", status_code=303)
        raise
    gate.log(request, caller.principal, "auth.logout", "allowed", target="logout")
    s.users.end_session(request.cookies.get(s.settings.session_cookie, ""), now=s.clock())
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(s.settings.session_cookie, path="/")
    return resp


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request):
    gate = request.app.state.gate
    try:
        caller = await gate.authenticate(request, "page.account")
    except HTTPException as exc:
        if exc.status_code == 401:
            raise _LoginRedirect() from None
        raise
    return _render(request, "account.html", me=caller.principal, csrf=caller.csrf_token)


def _parse_day(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{field} {value!r} is not a date (YYYY-MM-DD)") from None
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return aware_time(parsed, field)


@router.get("/qa", response_class=HTMLResponse)
async def qa_list(
    request: Request,
    campaign: Annotated[str | None, Query(max_length=200)] = None,
    agent: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(max_length=32)] = None,
    date_to: Annotated[str | None, Query(max_length=32)] = None,
    page: Annotated[int, Query(ge=1, le=10000)] = 1,
):
    s = request.app.state.services
    filters = {
        k: v
        for k, v in dict(
            campaign=campaign, agent=agent, q=q, date_from=date_from, date_to=date_to
        ).items()
        if v
    }
    caller = await _page_caller(
        request, Action.RECORDING_LIST, target="page:qa", detail=f"filters={filters}"
    )
    size = s.settings.page_size
    recs = s.recordings.search(
        caller.principal.campaigns,
        campaign=campaign or None,
        agent_id=agent or None,
        started_from=_parse_day(date_from, "date_from"),
        started_before=_parse_day(date_to, "date_to"),
        limit=size + 1,
        offset=(page - 1) * size,
    )
    more = len(recs) > size
    items = [recording_out(r) for r in recs[:size]]
    if q:
        needle = q.strip().lower()
        items = [
            r
            for r in items
            if any(needle in (v or "").lower() for v in (r.id, r.call_id, r.agent_id, r.campaign))
        ]
    query = {k: v for k, v in filters.items()}
    return _render(
        request,
        "qa_list.html",
        me=caller.principal,
        csrf=caller.csrf_token,
        items=items,
        filters=filters,
        campaigns=sorted(caller.principal.campaigns),
        page=page,
        prev_url=f"/qa?{urlencode({**query, 'page': page - 1})}" if page > 1 else None,
        next_url=f"/qa?{urlencode({**query, 'page': page + 1})}" if more else None,
    )


@router.get("/qa/recordings/{recording_id}", response_class=HTMLResponse)
async def qa_player(
    request: Request, recording_id: Annotated[str, Path(pattern=ID_PATTERN, max_length=64)]
):
    gate = request.app.state.gate
    s = request.app.state.services
    caller = await _page_caller(request, Action.TRANSCRIPT_VIEW)
    rec = gate.require_recording(
        request, caller, Action.TRANSCRIPT_VIEW, recording_id, detail="player page"
    )
    segments, intervals = load_view(s, rec)
    return _render(
        request,
        "qa_player.html",
        me=caller.principal,
        csrf=caller.csrf_token,
        rec=recording_out(rec),
        segments=segments,
        intervals=intervals,
    )


@router.get("/compliance", response_class=HTMLResponse)
async def compliance(
    request: Request,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    recording_id: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=200)] = None,
    outcome: Annotated[str | None, Query(pattern=r"^(|allowed|denied|failed|error)$")] = None,
    since: Annotated[str | None, Query(max_length=32)] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    s = request.app.state.services
    q = access_query(
        actor,
        recording_id,
        action,
        outcome or None,
        _parse_day(since, "since"),
        _parse_day(until, "until"),
        100,
        before,
    )
    caller = await _page_caller(request, Action.AUDIT_READ, target="page:compliance")
    verify_allowed = Action.AUDIT_VERIFY in {a for r in caller.principal.roles for a in _actions(r)}
    report = None
    if verify_allowed:
        request.app.state.gate.log(
            request,
            caller.principal,
            Action.AUDIT_VERIFY,
            "allowed",
            target="access-log",
            detail="compliance page",
        )
        report = s.audit.verify()
    entries = s.audit.query(q)
    filters = {
        k: v
        for k, v in dict(
            actor=actor,
            recording_id=recording_id,
            action=action,
            outcome=outcome,
            since=since,
            until=until,
        ).items()
        if v
    }
    export_q = {
        k: (v if k not in ("since", "until") else _parse_day(v, k).isoformat())
        for k, v in filters.items()
    }
    return _render(
        request,
        "compliance.html",
        me=caller.principal,
        csrf=caller.csrf_token,
        entries=entries,
        filters=filters,
        report=report,
        export_url="/api/v1/audit/export.csv" + (f"?{urlencode(export_q)}" if export_q else ""),
        next_url=(
            f"/compliance?{urlencode({**filters, 'before': entries[-1].seq})}"
            if len(entries) == 100
            else None
        ),
    )


def _actions(role):
    from policies.roles import ROLE_ACTIONS

    return ROLE_ACTIONS.get(role, ())
