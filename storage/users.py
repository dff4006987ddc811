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
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from policies.roles import Principal, Role, parse_roles
from redactor.errors import BadInputError, ConflictError, NotFoundError, PermissionDenied
from storage.catalog_models import UTCDateTime
from storage.db import Base
from storage.totp_seal import SEALED_PREFIX, TotpSealer

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
_TOKEN_RE = re.compile(r"^rdk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


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


# --- tables ------------------------------------------------------------------------------


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # person | machine
    roles: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    campaigns: Mapped[str] = mapped_column(Text, nullable=False, default="")
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    # sealed (storage.totp_seal); a legacy plain secret until first read (migration 0005)
    totp_secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class TokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SessionRow(Base):
    __tablename__ = "web_sessions"
    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


# --- results -----------------------------------------------------------------------------


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


class UserStore:
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

    def reset_totp(self, name: str) -> str:
        """Give a person a new TOTP secret; returns the provisioning URI (shown once)."""
        import pyotp

        with self._db.begin() as db:
            row = self._row(db, name)
            if row.kind != "person":
                raise BadInputError(f"user {name!r} is a machine; machines have no TOTP")
            secret = pyotp.random_base32()
            row.totp_secret = self.sealer.seal(row.id, secret)
            row.totp_last_step = None
        return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=self.settings.totp_issuer)

    def totp_secret(self, name: str) -> str | None:
        """The TOTP secret (for the provisioning QR code and for tests); never over HTTP.
        A legacy plain secret is sealed on the way."""
        with self._db.begin() as db:
            return self._reveal_totp(self._row(db, name))

    @property
    def sealer(self) -> TotpSealer:
        if self._sealer is None:
            self._sealer = TotpSealer.from_settings()
        return self._sealer

    def _reveal_totp(self, row: UserRow) -> str | None:
        """The row's TOTP secret; (re-)seals the stored value when it is plain or sealed by
        an older KEK (the caller's transaction writes it)."""
        secret, upgraded = self.sealer.reveal(row.id, row.totp_secret)
        if upgraded is not None:
            row.totp_secret = upgraded
        return secret

    def seal_plain_totp(self) -> int:
        """Seal every TOTP secret still stored in plain text (from before sealing existed);
        returns how many. Idempotent; run at start-up by :func:`api.services.build_services`."""
        with self._db.begin() as db:
            rows = db.scalars(
                select(UserRow).where(
                    UserRow.totp_secret.is_not(None),
                    UserRow.totp_secret.not_like(f"{SEALED_PREFIX}%"),
                )
            ).all()
            for row in rows:
                row.totp_secret = self.sealer.seal(row.id, row.totp_secret)
            return len(rows)

    # --- tokens --------------------------------------------------------------------------

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

    # --- passwords, TOTP, lockout -------------------------------------------------------

    def verify_login(self, name: str, password: str, code: str, *, now: datetime) -> LoginOutcome:
        """Check password and TOTP code together, counting failures towards lockout."""
        from argon2.exceptions import InvalidHashError, VerificationError

        name = (name or "").strip().lower()
        with self._db.begin() as db:
            row = db.scalar(select(UserRow).where(UserRow.name == name)) if name else None
            if row is None or row.kind != "person" or not row.password_hash:
                # same cost as a real check, so timing does not reveal valid names
                with contextlib.suppress(VerificationError, InvalidHashError):
                    self._hasher.verify(self._dummy_hash, password or "")
                return LoginOutcome(False, "unknown user")
            locked_until = _utc(row.locked_until)
            if locked_until is not None and now < locked_until:
                return LoginOutcome(
                    False, f"account locked until {locked_until.isoformat()}", locked=True
                )
            if row.disabled:
                return LoginOutcome(False, "account disabled")
            reason = ""
            try:
                self._hasher.verify(row.password_hash, password or "")
            except (VerificationError, InvalidHashError):
                reason = "bad password"
            if not reason:
                step = self._totp_step(self._reveal_totp(row), code, now)
                if step is None:
                    reason = "bad TOTP code"
                elif row.totp_last_step is not None and step <= row.totp_last_step:
                    reason = "TOTP code already used"
                else:
                    row.totp_last_step = step
            if reason:
                row.failed_logins = (row.failed_logins or 0) + 1
                locked = row.failed_logins >= self.settings.max_failures
                if locked:
                    row.locked_until = now + self.settings.lockout
                    row.failed_logins = 0
                    reason += f"; account locked for {self.settings.lockout}"
                return LoginOutcome(False, reason, locked=locked)
            row.failed_logins = 0
            row.locked_until = None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            info = _info(row)
        return LoginOutcome(True, "password and TOTP accepted", info.principal(via="session"))

    @staticmethod
    def _totp_step(secret: str | None, code: str, now: datetime) -> int | None:
        """The time step whose code matches (±1 step of clock drift), or None."""
        import pyotp

        if not secret or not code or not re.fullmatch(r"\d{6}", code.strip()):
            return None
        totp = pyotp.TOTP(secret)
        t = int(now.timestamp())
        for drift in (0, -1, 1):
            at = t + drift * totp.interval
            if hmac.compare_digest(totp.at(at), code.strip()):
                return totp.timecode(datetime.fromtimestamp(at, UTC))
        return None

    # --- sessions ------------------------------------------------------------------------

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
