"""Principals and their credentials: API tokens, argon2 passwords, TOTP, lockout, sessions.

Why these choices:

* **API tokens** (machines) are ``rdk_<id>_<secret>`` with 256 random bits of secret. Only the
  SHA-256 of the secret is stored: the secret is high-entropy, so a slow hash adds nothing, and
  a leaked table gives nobody a working token. The token is shown once, at creation.
* **People** log in with an argon2id password *and* a TOTP code (RFC 6238). A code is accepted
  once (its time step is remembered), so a shoulder-surfed code cannot be replayed. The TOTP
  secret is stored sealed by a key-encryption key (:mod:`storage.totp_seal`), never in plain.
* **Lockout**: ``max_failures`` consecutive failures (bad password or bad code) lock the account
  for ``lockout`` — while locked even the right credentials fail, which is what stops an
  online brute force. Unknown names cost the same argon2 work as known ones.
* **Sessions** are random cookies stored hashed, with an idle and an absolute expiry, each
  carrying its own CSRF token.

Every clock is a parameter (``now``). Nothing here logs to the access log: the API does, with
the reasons returned here.

Where the parts live: the tables in :mod:`storage.users_models`, the settings, error and
records in :mod:`storage.users_types`, and the operations of :class:`UserStore` in mixins --
passwords, TOTP and lockout in :mod:`storage.users_login`, API tokens in
:mod:`storage.users_tokens`, web sessions in :mod:`storage.users_sessions`. Import them all
from here.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from policies.roles import parse_roles
from redactor.errors import BadInputError, ConflictError, NotFoundError
from storage.totp_seal import TotpSealer
from storage.users_login import LoginMixin
from storage.users_models import SessionRow, TokenRow, UserRow
from storage.users_sessions import SessionsMixin
from storage.users_tokens import TokensMixin
from storage.users_types import (
    AuthenticationFailed,
    AuthSettings,
    LoginOutcome,
    NewUser,
    SessionInfo,
    TokenInfo,
    UserInfo,
    _info,
)

__all__ = [
    "AuthSettings",
    "AuthenticationFailed",
    "UserRow",
    "TokenRow",
    "SessionRow",
    "UserInfo",
    "TokenInfo",
    "NewUser",
    "LoginOutcome",
    "SessionInfo",
    "UserStore",
]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
_CAMPAIGN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _check_campaigns(campaigns) -> str:
    out = []
    for c in campaigns:
        c = c.strip()
        if not c:
            continue
        if not _CAMPAIGN_RE.match(c):
            raise BadInputError(
                f"campaign name {c!r} is not valid: letters, digits, '.', '_' or '-', up to 64"
            )
        out.append(c)
    return ",".join(sorted(set(out)))


class UserStore(LoginMixin, TokensMixin, SessionsMixin):
    """Users, tokens and sessions in the catalog database (tables from migration 0003)."""

    def __init__(
        self,
        sessions: sessionmaker,
        settings: AuthSettings | None = None,
        *,
        totp_sealer: TotpSealer | None = None,
    ) -> None:
        """``totp_sealer`` seals TOTP secrets at rest (default: this deployment's, from
        ``REDACTOR_KEYRING``/``REDACTOR_KEY_DIR``, built on first use)."""
        from argon2 import PasswordHasher

        self._db = sessions
        self.settings = settings or AuthSettings()
        self._sealer = totp_sealer
        s = self.settings
        self._hasher = PasswordHasher(
            time_cost=s.argon2_time_cost,
            memory_cost=s.argon2_memory_kib,
            parallelism=s.argon2_parallelism,
        )
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    # --- users ---------------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        roles,
        *,
        now: datetime,
        campaigns=(),
        kind: str = "person",
        password: str | None = None,
        with_token: bool = False,
    ) -> NewUser:
        """Create a person (password + fresh TOTP secret) or a machine (API token only)."""
        name = name.strip().lower()
        if not _NAME_RE.match(name):
            raise BadInputError(
                f"user name {name!r} is not valid: lowercase letters, digits, '.', '_', '@', '-'"
            )
        if kind not in ("person", "machine"):
            raise BadInputError(f"user kind {kind!r} is not valid; valid kinds: person, machine")
        role_set = parse_roles(roles)
        if not role_set:
            raise BadInputError(f"user {name!r} needs at least one role")
        row = UserRow(
            id=uuid.uuid4().hex,
            name=name,
            kind=kind,
            roles=",".join(sorted(r.value for r in role_set)),
            campaigns=_check_campaigns(campaigns),
            failed_logins=0,
            disabled=False,
            created_at=now,
        )
        totp_uri = None
        if kind == "person":
            if password is None:
                raise BadInputError(f"person {name!r} needs a password")
            self._check_password(password)
            import pyotp

            row.password_hash = self._hasher.hash(password)
            secret = pyotp.random_base32()
            row.totp_secret = self.sealer.seal(row.id, secret)
            totp_uri = pyotp.TOTP(secret).provisioning_uri(
                name=name, issuer_name=self.settings.totp_issuer
            )
        with self._db.begin() as db:
            if db.scalar(select(UserRow.id).where(UserRow.name == name)):
                raise ConflictError(f"user {name!r} already exists")
            db.add(row)
        info = self.get_user(name)
        token = self.create_token(name, now=now, label="initial")[1] if with_token else None
        return NewUser(user=info, totp_uri=totp_uri, token=token)

    def _check_password(self, password: str) -> None:
        n = self.settings.min_password_length
        if len(password) < n:
            raise BadInputError(f"password too short: {len(password)} characters, at least {n}")
        if len(password) > 1024:
            raise BadInputError("password too long: at most 1024 characters")

    def _row(self, db, name: str) -> UserRow:
        row = db.scalar(select(UserRow).where(UserRow.name == name.strip().lower()))
        if row is None:
            raise NotFoundError(f"no user named {name!r}")
        return row

    def get_user(self, name: str) -> UserInfo:
        with self._db() as db:
            return _info(self._row(db, name))

    def list_users(self) -> list[UserInfo]:
        with self._db() as db:
            return [_info(r) for r in db.scalars(select(UserRow).order_by(UserRow.name))]

    def update_user(
        self,
        name: str,
        *,
        roles=None,
        campaigns=None,
        disabled: bool | None = None,
        password: str | None = None,
        unlock: bool = False,
    ) -> UserInfo:
        """Change roles, campaigns, the disabled flag or the password; ``unlock`` clears lockout."""
        with self._db.begin() as db:
            row = self._row(db, name)
            if roles is not None:
                role_set = parse_roles(roles)
                if not role_set:
                    raise BadInputError(f"user {name!r} needs at least one role")
                row.roles = ",".join(sorted(r.value for r in role_set))
            if campaigns is not None:
                row.campaigns = _check_campaigns(campaigns)
            if disabled is not None:
                row.disabled = disabled
                if disabled:
                    db.query(SessionRow).filter(SessionRow.user_id == row.id).delete()
            if password is not None:
                if row.kind != "person":
                    raise BadInputError(f"user {name!r} is a machine; machines use API tokens")
                self._check_password(password)
                row.password_hash = self._hasher.hash(password)
            if unlock:
                row.failed_logins = 0
                row.locked_until = None
        return self.get_user(name)
