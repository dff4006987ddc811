"""Web sessions: random cookies stored hashed, with idle and absolute expiry and a CSRF token.

Why a module of its own: sessions are the browser's credential after login, with their own
expiry rules. It is a part of :class:`storage.users.UserStore` (mixed in), using its ``_db``
and ``settings``.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from policies.roles import Principal
from storage.users_models import SessionRow, UserRow
from storage.users_types import AuthenticationFailed, SessionInfo, _info, _sha256, _utc

__all__ = ["SessionsMixin"]


class SessionsMixin:
    """The web-session operations of :class:`storage.users.UserStore`."""

    def create_session(
        self, principal: Principal, *, now: datetime, source: str = ""
    ) -> tuple[str, str]:
        """A new web session: returns (cookie value, CSRF token). Stored hashed."""
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        with self._db.begin() as db:
            db.add(
                SessionRow(
                    id_sha256=_sha256(cookie),
                    user_id=principal.id,
                    csrf_token=csrf,
                    source=source[:128],
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return cookie, csrf

    def session(self, cookie: str, *, now: datetime) -> SessionInfo:
        """The live session behind a cookie (sliding idle expiry). Raises AuthenticationFailed."""
        if not cookie or len(cookie) > 128:
            raise AuthenticationFailed("no session")
        s = self.settings
        with self._db.begin() as db:
            row = db.get(SessionRow, _sha256(cookie))
            if row is None or row.revoked_at is not None:
                raise AuthenticationFailed("unknown or ended session")
            if (
                now - _utc(row.last_seen_at) > s.session_idle
                or now - _utc(row.created_at) > s.session_max
            ):
                row.revoked_at = now
                raise AuthenticationFailed("session expired")
            user = db.get(UserRow, row.user_id)
            if user is None or user.disabled:
                raise AuthenticationFailed("session of a disabled user")
            row.last_seen_at = now
            return SessionInfo(
                _info(user).principal(via="session"), row.csrf_token, _utc(row.created_at)
            )

    def end_session(self, cookie: str, *, now: datetime) -> None:
        with self._db.begin() as db:
            row = db.get(SessionRow, _sha256(cookie or ""))
            if row is not None and row.revoked_at is None:
                row.revoked_at = now
