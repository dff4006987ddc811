"""API tokens: issuing, listing, revoking and authenticating ``rdk_<id>_<secret>`` tokens.

Why a module of its own: tokens are how machines authenticate, with a storage rule of their
own (only the SHA-256 of a 256-bit secret is kept; see :mod:`storage.users`). It is a part of
:class:`storage.users.UserStore` (mixed in), using its ``_db`` and ``_row``.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

from sqlalchemy import select

from policies.roles import Principal
from redactor.errors import NotFoundError
from storage.users_models import TokenRow, UserRow
from storage.users_types import AuthenticationFailed, TokenInfo, _info, _sha256, _utc

__all__ = ["TokensMixin"]

_TOKEN_RE = re.compile(r"^rdk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


class TokensMixin:
    """The API-token operations of :class:`storage.users.UserStore`."""

    def create_token(self, user: str, *, now: datetime, label: str = "") -> tuple[TokenInfo, str]:
        """A new API token for ``user``: returns its info and the plaintext, shown only once."""
        token_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        with self._db.begin() as db:
            row = self._row(db, user)
            db.add(
                TokenRow(
                    id=token_id,
                    user_id=row.id,
                    secret_sha256=_sha256(secret),
                    label=label[:128],
                    created_at=now,
                )
            )
        info = TokenInfo(token_id, user, label, now, None, None)
        return info, f"rdk_{token_id}_{secret}"

    def revoke_token(self, token_id: str, *, now: datetime) -> None:
        with self._db.begin() as db:
            row = db.get(TokenRow, token_id.removeprefix("rdk_")[:16])
            if row is None:
                raise NotFoundError(f"no API token with id {token_id!r}")
            if row.revoked_at is None:
                row.revoked_at = now

    def list_tokens(self, user: str | None = None) -> list[TokenInfo]:
        with self._db() as db:
            q = select(TokenRow, UserRow.name).join(UserRow, TokenRow.user_id == UserRow.id)
            if user:
                q = q.where(UserRow.name == user.strip().lower())
            return [
                TokenInfo(
                    t.id,
                    n,
                    t.label,
                    _utc(t.created_at),
                    _utc(t.revoked_at),
                    _utc(t.last_used_at),
                )
                for t, n in db.execute(q.order_by(TokenRow.created_at))
            ]

    def authenticate_token(self, token: str, *, now: datetime) -> Principal:
        """The principal behind an API token. Raises :class:`AuthenticationFailed` with the
        reason (malformed, unknown, revoked, disabled) — the API logs it, the client sees 401."""
        m = _TOKEN_RE.match(token or "")
        if not m:
            raise AuthenticationFailed("malformed API token")
        token_id, secret = m.groups()
        with self._db.begin() as db:
            row = db.get(TokenRow, token_id)
            if row is None or not hmac.compare_digest(row.secret_sha256, _sha256(secret)):
                raise AuthenticationFailed(f"unknown API token {token_id}")
            if row.revoked_at is not None:
                raise AuthenticationFailed(f"revoked API token {token_id}")
            user = db.get(UserRow, row.user_id)
            if user is None or user.disabled:
                raise AuthenticationFailed(f"API token {token_id} belongs to a disabled user")
            row.last_used_at = now
            info = _info(user)
        return info.principal(via="token")
