"""What the user store takes and hands back: its login policy, its 401 error, its records.

Why a module of its own: these are the shapes the API and the CLI see (``AuthSettings``,
``AuthenticationFailed``, ``UserInfo`` ...), shared by every part of
:class:`storage.users.UserStore`, together with the few helpers that turn a row into one.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from policies.roles import Principal, Role, parse_roles
from redactor.errors import BadInputError, PermissionDenied

if TYPE_CHECKING:
    from storage.users_models import UserRow

__all__ = [
    "AuthSettings",
    "AuthenticationFailed",
    "UserInfo",
    "TokenInfo",
    "NewUser",
    "LoginOutcome",
    "SessionInfo",
]


class AuthenticationFailed(PermissionDenied):
    """The caller could not be authenticated (HTTP 401). The message stays generic.

    A subclass of :class:`~redactor.errors.PermissionDenied` so entry points that only know
    the shared hierarchy still refuse; only the status differs.
    """

    exit_code = 9
    http_status = 401


@dataclass(frozen=True)
class AuthSettings:
    """Login policy. ``from_env`` reads ``REDACTOR_AUTH_*``."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    session_idle: timedelta = timedelta(minutes=30)
    session_max: timedelta = timedelta(hours=12)
    min_password_length: int = 12
    totp_issuer: str = "call-redactor"
    # argon2id cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    @classmethod
    def from_env(cls, env: dict | None = None) -> AuthSettings:
        env = os.environ if env is None else env
        d = cls()

        def num(name: str, default: int) -> int:
            raw = env.get(f"REDACTOR_AUTH_{name}")
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise BadInputError(f"REDACTOR_AUTH_{name}={raw!r} is not an integer") from None
            if value < 1:
                raise BadInputError(f"REDACTOR_AUTH_{name}={raw!r} must be at least 1")
            return value

        return cls(
            max_failures=num("MAX_FAILURES", d.max_failures),
            lockout=timedelta(minutes=num("LOCKOUT_MINUTES", 15)),
            session_idle=timedelta(minutes=num("SESSION_IDLE_MINUTES", 30)),
            session_max=timedelta(hours=num("SESSION_MAX_HOURS", 12)),
            min_password_length=num("MIN_PASSWORD_LENGTH", d.min_password_length),
            argon2_time_cost=num("ARGON2_TIME_COST", d.argon2_time_cost),
            argon2_memory_kib=num("ARGON2_MEMORY_KIB", d.argon2_memory_kib),
            argon2_parallelism=num("ARGON2_PARALLELISM", d.argon2_parallelism),
        )


@dataclass(frozen=True)
class UserInfo:
    id: str
    name: str
    kind: str
    roles: frozenset[Role]
    campaigns: frozenset[str]
    disabled: bool
    locked_until: datetime | None
    failed_logins: int
    has_totp: bool
    created_at: datetime

    def principal(self, via: str = "") -> Principal:
        return Principal(
            id=self.id,
            name=self.name,
            roles=self.roles,
            campaigns=self.campaigns,
            kind=self.kind,
            active=not self.disabled,
            via=via,
        )


@dataclass(frozen=True)
class TokenInfo:
    id: str
    user: str
    label: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewUser:
    """What creating a user hands back once: the TOTP provisioning URI and/or an API token."""

    user: UserInfo
    totp_uri: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class LoginOutcome:
    """``ok`` with a principal, or the precise ``reason`` for the access log (never the user)."""

    ok: bool
    reason: str
    principal: Principal | None = None
    locked: bool = False


@dataclass(frozen=True)
class SessionInfo:
    principal: Principal
    csrf_token: str
    created_at: datetime


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _split(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(",") if p)


def _info(row: UserRow) -> UserInfo:
    return UserInfo(
        id=row.id,
        name=row.name,
        kind=row.kind,
        roles=parse_roles(row.roles),
        campaigns=_split(row.campaigns),
        disabled=row.disabled,
        locked_until=_utc(row.locked_until),
        failed_logins=row.failed_logins,
        has_totp=bool(row.totp_secret),
        created_at=_utc(row.created_at),
    )
