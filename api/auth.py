"""Authentication, authorization and access logging for every request, in one place.

Each route calls :meth:`Gate.require` with the :class:`~policies.roles.Action` it performs
(and, for one recording, the recording). The gate

1. authenticates: ``Authorization: Bearer rdk_...`` (API token) or the session cookie (with
   its CSRF token on unsafe methods); anything else is 401;
2. decides with :func:`policies.roles.can` — deny by default;
3. writes the decision to the access log (who, role, what, when, from where, outcome) and
   only then lets the route act. If the log cannot be written the request fails: nothing
   happens that is not on record.

A QA user asking for a recording outside her campaigns gets 404, exactly as for a recording
that does not exist, so ids cannot be probed; the log says "denied".
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

from policies.roles import Action, Principal, Resource, can
from storage.audit import AccessEntry
from storage.users import AuthenticationFailed

__all__ = ["Gate", "client_address", "SAFE_METHODS", "CSRF_HEADER", "CSRF_FIELD"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
ANONYMOUS = "anonymous"


def client_address(request: Request) -> str:
    """Where the request came from (the peer address; no proxy headers are trusted)."""
    return request.client.host if request.client else ""


@dataclass
class Caller:
    principal: Principal
    csrf_token: str | None = None  # set for cookie sessions


class Gate:
    """Built once per app from the services; stateless between requests."""

    def __init__(self, services) -> None:
        self.s = services

    # --- logging -------------------------------------------------------------------------

    def log(
        self,
        request: Request,
        principal: Principal | None,
        action: str,
        outcome: str,
        *,
        target: str = "",
        recording_id: str | None = None,
        campaign: str | None = None,
        detail: str = "",
        actor: str | None = None,
    ):
        entry = AccessEntry(
            actor=actor or (principal.name if principal else ANONYMOUS),
            role=principal.role_label if principal else "-",
            action=str(action),
            outcome=outcome,
            target=target or f"{request.method} {request.url.path}",
            recording_id=recording_id,
            campaign=campaign,
            source=client_address(request),
            detail=detail,
        )
        return self.s.audit.append(entry, now=self.s.clock())

    # --- authentication ------------------------------------------------------------------

    async def authenticate(self, request: Request, action: str) -> Caller:
        """The caller, or 401 (logged as a denied request with the precise reason)."""
        now = self.s.clock()
        header = request.headers.get("authorization")
        try:
            if header is not None:
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    raise AuthenticationFailed("malformed Authorization header")
                return Caller(self.s.users.authenticate_token(token.strip(), now=now))
            cookie = request.cookies.get(self.s.settings.session_cookie)
            if not cookie:
                raise AuthenticationFailed("no credentials")
            info = self.s.users.session(cookie, now=now)
            caller = Caller(info.principal, info.csrf_token)
        except AuthenticationFailed as exc:
            self.log(request, None, action, "denied", detail=f"unauthenticated: {exc}")
            raise HTTPException(
                401, "authentication required", headers={"WWW-Authenticate": "Bearer"}
            ) from None
        if request.method not in SAFE_METHODS:
            await self._check_csrf(request, caller, action)
        return caller

    async def _check_csrf(self, request: Request, caller: Caller, action: str) -> None:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
        if not sent or not hmac.compare_digest(sent, caller.csrf_token or ""):
            self.log(
                request, caller.principal, action, "denied", detail="missing or wrong CSRF token"
            )
            raise HTTPException(403, "missing or wrong CSRF token")

    # --- authorization -------------------------------------------------------------------

    async def require(
        self, request: Request, action: Action, *, target: str = "", detail: str = ""
    ) -> Caller:
        """Authenticate and check that the caller's roles grant ``action`` at all.

        Logs and raises 403 when not. For actions on one recording call :meth:`require_recording`
        next (it checks the campaign and logs the allowed access); other actions are logged
        as allowed here.
        """
        caller = await self.authenticate(request, action)
        decision = can(caller.principal, action)
        if not decision:
            self.log(
                request, caller.principal, action, "denied", target=target, detail=decision.reason
            )
            raise HTTPException(403, "forbidden")
        if action not in _PER_RECORDING:
            self.log(request, caller.principal, action, "allowed", target=target, detail=detail)
        return caller

    def require_recording(
        self,
        request: Request,
        caller: Caller,
        action: Action,
        recording_id: str,
        *,
        detail: str = "",
    ):
        """The recording if ``caller`` may ``action`` it; 404 (logged) when absent or outside
        the caller's campaigns."""
        principal = caller.principal
        target = f"recording:{recording_id}"
        try:
            rec = self.s.recordings.get(recording_id)
        except Exception as exc:
            from redactor.errors import NotFoundError

            if isinstance(exc, NotFoundError):
                self.log(
                    request,
                    principal,
                    action,
                    "failed",
                    target=target,
                    recording_id=recording_id,
                    detail="no such recording",
                )
                raise HTTPException(404, "no such recording") from None
            raise
        decision = can(principal, action, Resource("recording", recording_id, rec.campaign))
        if not decision:
            self.log(
                request,
                principal,
                action,
                "denied",
                target=target,
                recording_id=recording_id,
                campaign=rec.campaign,
                detail=decision.reason,
            )
            raise HTTPException(404, "no such recording")
        self.log(
            request,
            principal,
            action,
            "allowed",
            target=target,
            recording_id=recording_id,
            campaign=rec.campaign,
            detail=detail,
        )
        return rec


_PER_RECORDING = frozenset(
    {
        Action.RECORDING_VIEW,
        Action.TRANSCRIPT_VIEW,
        Action.AUDIO_PLAY,
        Action.AUDIO_DOWNLOAD,
    }
)
