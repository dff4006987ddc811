"""Administration: users and tokens, the policy file, legal holds, erasure."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request

from api.routers import aware_time
from api.schemas import (
    ID_PATTERN,
    NAME_PATTERN,
    HoldIn,
    HoldOut,
    HoldRelease,
    PolicyIn,
    PolicyOut,
    TokenIn,
    TokenOut,
    UserCreated,
    UserIn,
    UserOut,
    UserPatch,
)
from policies.roles import Action

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["admin"])
UserName = Annotated[str, Path(pattern=NAME_PATTERN, max_length=64)]
HoldId = Annotated[str, Path(pattern=ID_PATTERN, max_length=64)]
TokenId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]


def _user_out(u) -> UserOut:
    return UserOut(
        name=u.name,
        kind=u.kind,
        roles=sorted(r.value for r in u.roles),
        campaigns=sorted(u.campaigns),
        disabled=u.disabled,
        locked_until=u.locked_until,
        created_at=u.created_at,
    )


def _ctx(request: Request):
    return request.app.state.gate, request.app.state.services


@router.get("/users", response_model=list[UserOut], summary="List users")
async def list_users(request: Request):
    gate, s = _ctx(request)
    await gate.require(request, Action.USER_MANAGE, target="users")
    return [_user_out(u) for u in s.users.list_users()]


@router.post("/users", response_model=UserCreated, status_code=201, summary="Create a user")
async def create_user(request: Request, body: UserIn):
    gate, s = _ctx(request)
    caller = await gate.require(
        request,
        Action.USER_MANAGE,
        target=f"user:{body.name}",
        detail=f"create roles={body.roles} campaigns={body.campaigns}",
    )
    del caller
    created = s.users.create_user(
        body.name,
        body.roles,
        now=s.clock(),
        campaigns=body.campaigns,
        kind=body.kind,
        password=body.password,
        with_token=body.kind == "machine",
    )
    return UserCreated(user=_user_out(created.user), totp_uri=created.totp_uri, token=created.token)


@router.patch(
    "/users/{name}", response_model=UserOut, summary="Change roles, campaigns, disable, unlock"
)
async def update_user(request: Request, name: UserName, body: UserPatch):
    gate, s = _ctx(request)
    await gate.require(
        request,
        Action.USER_MANAGE,
        target=f"user:{name}",
        detail=f"update {body.model_dump(exclude_none=True)}",
    )
    return _user_out(
        s.users.update_user(
            name,
            roles=body.roles,
            campaigns=body.campaigns,
            disabled=body.disabled,
            unlock=body.unlock,
        )
    )


@router.post(
    "/users/{name}/tokens",
    response_model=TokenOut,
    status_code=201,
    summary="Create an API token (shown once)",
)
async def create_token(request: Request, name: UserName, body: TokenIn):
    gate, s = _ctx(request)
    await gate.require(request, Action.USER_MANAGE, target=f"user:{name}", detail="token created")
    info, token = s.users.create_token(name, now=s.clock(), label=body.label)
    return TokenOut(id=info.id, user=info.user, label=info.label, token=token)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke an API token")
async def revoke_token(request: Request, token_id: TokenId):
    gate, s = _ctx(request)
    await gate.require(
        request, Action.USER_MANAGE, target=f"token:{token_id}", detail="token revoked"
    )
    s.users.revoke_token(token_id, now=s.clock())


# --- policy ------------------------------------------------------------------------------


def _policy_path(s) -> FsPath:
    from policies.loader import DEFAULT_POLICY_PATH

    return s.settings.policy_path or DEFAULT_POLICY_PATH


@router.get("/policy", response_model=PolicyOut, summary="The policy file in force")
async def get_policy(request: Request):
    gate, s = _ctx(request)
    await gate.require(request, Action.POLICY_READ, target="policy")
    from policies.loader import DEFAULT_POLICY_PATH

    path = _policy_path(s)
    if not path.is_file():  # nothing written yet: the packaged defaults are in force
        path = DEFAULT_POLICY_PATH
    return PolicyOut(source=str(path), yaml=path.read_text(encoding="utf-8"))


@router.put(
    "/policy", response_model=PolicyOut, summary="Replace the policy file (validated first)"
)
async def put_policy(request: Request, body: PolicyIn):
    import yaml

    from policies.loader import parse_policy
    from redactor.errors import ConfigError

    gate, s = _ctx(request)
    path = _policy_path(s)
    old = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else "-"
    new = hashlib.sha256(body.yaml.encode()).hexdigest()[:16]
    await gate.require(
        request, Action.POLICY_CHANGE, target="policy", detail=f"sha256 {old} -> {new}"
    )
    if s.settings.policy_path is None:
        raise HTTPException(409, "no writable policy file configured (REDACTOR_POLICY_FILE)")
    try:
        parse_policy(body.yaml, source="<uploaded policy>")  # ConfigError -> 400 naming the line
    except yaml.YAMLError as exc:  # the loader lets reader errors (control characters) escape
        raise ConfigError(f"<uploaded policy>: not valid YAML: {exc}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".policy-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body.yaml)
    os.replace(tmp, path)
    return PolicyOut(source=str(path), yaml=body.yaml)


# --- legal holds -------------------------------------------------------------------------


def _hold_out(h) -> HoldOut:
    return HoldOut(
        id=h.id,
        scope=h.scope,
        reference=h.reference,
        reason=h.reason,
        set_by=h.set_by,
        set_at=h.set_at,
        until=h.until,
        released_at=h.released_at,
    )


@router.get("/holds", response_model=list[HoldOut], summary="Legal holds")
async def list_holds(request: Request):
    gate, s = _ctx(request)
    await gate.require(request, Action.HOLD_MANAGE, target="holds")
    return [_hold_out(h) for h in s.catalog.holds()]


@router.post("/holds", response_model=HoldOut, status_code=201, summary="Set a legal hold")
async def set_hold(request: Request, body: HoldIn):
    gate, s = _ctx(request)
    aware_time(body.until, "until")
    caller = await gate.require(
        request,
        Action.HOLD_MANAGE,
        target=f"hold:{body.recording_id or body.customer_id or body.campaign}",
        detail=f"set reference={body.reference}",
    )
    hold = s.catalog.set_hold(
        now=s.clock(),
        reference=body.reference,
        reason=body.reason,
        set_by=caller.principal.name,
        recording_id=body.recording_id,
        customer_id=body.customer_id,
        campaign=body.campaign,
        until=body.until,
    )
    return _hold_out(hold)


@router.post("/holds/{hold_id}/release", response_model=HoldOut, summary="Release a legal hold")
async def release_hold(request: Request, hold_id: HoldId, body: HoldRelease):
    gate, s = _ctx(request)
    caller = await gate.require(
        request, Action.HOLD_MANAGE, target=f"hold:{hold_id}", detail="release"
    )
    return _hold_out(
        s.catalog.release_hold(
            hold_id, now=s.clock(), released_by=caller.principal.name, reason=body.reason
        )
    )
