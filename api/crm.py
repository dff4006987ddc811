"""The CRM-facing read link: a signed, short-lived URL that opens the QA player.

Why a link and not the audio: the CRM shows "open the recording" on the customer's record;
the person who clicks must still log in, hold a role that may view the transcript, and be
assigned the recording's campaign. The link itself grants nothing -- it only proves the
service issued it for *this* recording, recently -- so a link copied into a ticket or an
e-mail is useless to anyone without an account, and useless to everyone after its lifetime.

* ``POST /api/v1/crm/recordings/{id}/link`` (the CRM's machine account, or a person; needs
  ``recording.view`` on the recording) returns ``{"url", "expires_at"}``.
* ``GET /crm/open?r=&exp=&by=&sig=`` checks the HMAC-SHA256 signature and expiry, then the
  usual login and role checks, logs the principal who used it (``detail`` names the link's
  issuer) and redirects to ``/qa/recordings/{id}``. Without a session it goes to the login
  page; after login the link (still valid within its lifetime) opens.

The key is ``REDACTOR_CRM_LINK_KEY`` (hex, at least 32 bytes) or the file
``$REDACTOR_HOME/keys/crm-link.key`` (created, mode 0600); the lifetime is
``REDACTOR_CRM_LINK_MINUTES`` (default 15).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from api.schemas import ID_PATTERN
from policies.roles import Action
from redactor.errors import ConfigError, CryptoError

__all__ = ["router", "CrmLinks", "LinkOut"]

router = APIRouter(tags=["crm"])
_DOMAIN = "redactor-crm-link/v1"
_NAME = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")


class LinkOut(BaseModel):
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class CrmLinks:
    """Signs and checks links. ``key`` is secret; ``ttl`` is the lifetime of a link."""

    key: bytes
    ttl: timedelta = timedelta(minutes=15)

    @classmethod
    def from_env(cls, env: dict | None = None) -> CrmLinks:
        from storage import crypto

        env = os.environ if env is None else env
        try:
            minutes = float(env.get("REDACTOR_CRM_LINK_MINUTES") or 15)
        except ValueError:
            raise ConfigError(
                f"REDACTOR_CRM_LINK_MINUTES={env.get('REDACTOR_CRM_LINK_MINUTES')!r} is not a number"
            ) from None
        if not 0 < minutes <= 24 * 60:
            raise ConfigError(f"REDACTOR_CRM_LINK_MINUTES={minutes} must be in (0, 1440]")
        raw = env.get("REDACTOR_CRM_LINK_KEY")
        if raw:
            try:
                key = bytes.fromhex(raw)
            except ValueError:
                raise ConfigError("REDACTOR_CRM_LINK_KEY must be hex") from None
        else:
            path = Path(env.get("REDACTOR_HOME") or "var") / "keys" / "crm-link.key"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(crypto.random_bytes(32).hex())
            key = bytes.fromhex(path.read_text().strip())
        if len(key) < 32:
            raise ConfigError("the CRM link key must be at least 32 bytes (64 hex digits)")
        return cls(key, timedelta(minutes=minutes))

    def _mac(self, recording_id: str, exp: int, by: str) -> bytes:
        from storage import crypto

        return crypto.hmac_sha256(self.key, f"{_DOMAIN}\n{recording_id}\n{exp}\n{by}".encode())

    def issue(self, recording_id: str, by: str, now: datetime) -> tuple[str, datetime]:
        """The query string of a link for ``recording_id`` issued by ``by``, and its expiry."""
        expires = now + self.ttl
        exp = int(expires.timestamp())
        sig = self._mac(recording_id, exp, by).hex()
        return urlencode({"r": recording_id, "exp": exp, "by": by, "sig": sig}), expires

    def check(self, recording_id: str, exp: int, by: str, sig: str, now: datetime) -> None:
        """Raises :class:`CryptoError` for a bad signature and ``ValueError`` when expired."""
        from storage import crypto

        try:
            tag = bytes.fromhex(sig)
        except ValueError:
            raise CryptoError() from None
        crypto.hmac_verify(self.key, f"{_DOMAIN}\n{recording_id}\n{exp}\n{by}".encode(), tag)
        if now.timestamp() > exp:
            raise ValueError("expired")


def _links(request: Request) -> CrmLinks:
    links = getattr(request.app.state, "crm_links", None)
    if links is None:
        links = request.app.state.crm_links = CrmLinks.from_env()
    return links


def _base(request: Request) -> str:
    return (os.environ.get("REDACTOR_PUBLIC_URL") or str(request.base_url)).rstrip("/")


@router.post(
    "/api/v1/crm/recordings/{recording_id}/link",
    response_model=LinkOut,
    summary="A short-lived signed link that opens the QA player (after login)",
)
async def issue_link(
    request: Request,
    recording_id: Annotated[str, PathParam(pattern=ID_PATTERN, max_length=64)],
):
    gate = request.app.state.gate
    s = request.app.state.services
    caller = await gate.require(request, Action.RECORDING_VIEW)
    by = caller.principal.name
    if not _NAME.match(by):
        raise HTTPException(400, "principal name cannot be put in a link")
    gate.require_recording(
        request, caller, Action.RECORDING_VIEW, recording_id, detail="crm link issued"
    )
    query, expires = _links(request).issue(recording_id, by, s.clock())
    return LinkOut(url=f"{_base(request)}/crm/open?{query}", expires_at=expires.astimezone(UTC))


@router.get("/crm/open", include_in_schema=False)
async def open_link(
    request: Request,
    r: Annotated[str, Query(pattern=ID_PATTERN, max_length=64)],
    exp: Annotated[int, Query(ge=0, le=2**40)],
    by: Annotated[str, Query(pattern=_NAME.pattern)],
    sig: Annotated[str, Query(pattern=r"^[0-9a-f]{64}$")],
):
    from api.routers.web import _LoginRedirect

    gate = request.app.state.gate
    s = request.app.state.services
    try:
        _links(request).check(r, exp, by, sig, s.clock())
    except CryptoError:
        gate.log(request, None, "crm.link", "denied", target=f"recording:{r}", recording_id=r,
                 detail=f"bad signature (claims issuer {by})")  # fmt: skip
        raise HTTPException(403, "this link is not valid") from None
    except ValueError:
        gate.log(request, None, "crm.link", "denied", target=f"recording:{r}", recording_id=r,
                 detail=f"expired link issued by {by}")  # fmt: skip
        raise HTTPException(
            410, "this link has expired; open the recording again from the CRM"
        ) from None
    try:
        caller = await gate.require(request, Action.TRANSCRIPT_VIEW)
    except HTTPException as exc:
        if exc.status_code == 401:
            raise _LoginRedirect() from None
        raise
    issued = datetime.fromtimestamp(exp, UTC) - _links(request).ttl
    gate.require_recording(
        request,
        caller,
        Action.TRANSCRIPT_VIEW,
        r,
        detail=f"opened via CRM link issued by {by} at {issued.isoformat()}",
    )
    return RedirectResponse(f"/qa/recordings/{r}", status_code=303)
