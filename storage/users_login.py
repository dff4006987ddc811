"""People's credentials: argon2 password check, TOTP secrets and codes, and lockout.

Why a module of its own: logging a person in is the subtle part of the user store (replayed
codes, lockout, equal cost for unknown names, TOTP secrets sealed at rest; see
:mod:`storage.users`). It is a part of :class:`storage.users.UserStore` (mixed in), using its
``_db``, ``_row``, ``_hasher``, ``_dummy_hash``, ``_sealer`` and ``settings``.
"""

from __future__ import annotations

import contextlib
import hmac
import re
from datetime import UTC, datetime

from sqlalchemy import select

from redactor.errors import BadInputError
from storage.totp_seal import SEALED_PREFIX, TotpSealer
from storage.users_models import UserRow
from storage.users_types import LoginOutcome, _info, _utc

__all__ = ["LoginMixin"]


class LoginMixin:
    """The password, TOTP and lockout operations of :class:`storage.users.UserStore`."""

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
