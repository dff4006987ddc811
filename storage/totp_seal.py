"""TOTP secrets sealed at rest: wrapped by a key-encryption key, bound to their user.

Why: a TOTP secret is a second factor only while nobody else has it. Stored in plain text, a
copy of the catalog database (a backup, a read-only SQL injection, a stolen disk) hands out
every user's second factor. Sealed, the database holds ``sealed:v1:<kek id>:<base64>``: the
secret wrapped (AES-256-GCM locally, KMS ``Encrypt`` with a context on KMS) by a keyring
(:mod:`storage.keyring`), with the user's id as associated data, so a sealed value copied to
another user's row does not open.

Which key: on the local keyring a dedicated KEK ``totp`` in the vault's key directory
(``<key dir>/totp.v<N>.key``), created on first use like the access log's signing key. It is
not the vault's KEK on purpose: ``redactor vault rotate --retire-old`` destroys vault KEKs
once no *data key* uses them, and knows nothing of TOTP secrets. On KMS the vault's KMS
keys are used (they are never destroyed by this service).

Old rows: a plain secret (written before sealing existed) is still accepted and sealed the
first time it is read (:meth:`storage.users.UserStore.verify_login`, ``totp_secret``), and
:meth:`storage.users.UserStore.seal_plain_totp` seals every remaining one at start-up. A
secret sealed by an older KEK version is re-sealed under the primary when read.

Every failure to open -- wrong key, edited value, value moved between users, unknown KEK --
is one :class:`~redactor.errors.CryptoError` without detail.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from redactor.errors import CryptoError, RedactorError

__all__ = ["TotpSealer", "is_sealed", "SEALED_PREFIX"]

SEALED_PREFIX = "sealed:v1:"
_KEK_NAME = "totp"


def is_sealed(stored: str | None) -> bool:
    """Whether a stored TOTP value is sealed (else it is a legacy plain base32 secret)."""
    return bool(stored) and stored.startswith(SEALED_PREFIX)


def _context(user_id: str) -> bytes:
    return b"redactor-totp-v1\x00" + user_id.encode("utf-8")


class TotpSealer:
    """Seals and opens TOTP secrets with one :class:`~storage.keyring.Keyring`."""

    def __init__(self, keyring: Any, *, create: bool = False) -> None:
        self.keyring = keyring
        self._create = create

    @classmethod
    def from_settings(cls, settings: Any = None) -> TotpSealer:
        """The sealer of this deployment (``REDACTOR_KEYRING``, ``REDACTOR_KEY_DIR``...)."""
        from storage.keyring import LocalKeyring, keyring_from_settings
        from storage.settings import VaultSettings

        settings = settings or VaultSettings.from_env()
        if settings.keyring == "kms":
            return cls(keyring_from_settings(settings))
        return cls(LocalKeyring(settings.resolved_key_dir, _KEK_NAME), create=True)

    def _primary(self) -> str:
        from storage.keyring import LocalKeyring

        if self._create and isinstance(self.keyring, LocalKeyring) and not self.keyring.versions():
            self.keyring.generate()
        return self.keyring.primary_id

    def seal(self, user_id: str, secret: str) -> str:
        """The stored form of ``secret`` for the user ``user_id``."""
        kek_id = self._primary()
        wrapped = self.keyring.wrap(kek_id, secret.encode("ascii"), _context(user_id))
        return f"{SEALED_PREFIX}{kek_id}:{base64.urlsafe_b64encode(wrapped).decode('ascii')}"

    def open(self, user_id: str, stored: str) -> str:
        """The secret inside a sealed value; :class:`CryptoError` if it does not open."""
        if not is_sealed(stored):
            raise CryptoError()
        kek_id, _, blob = stored[len(SEALED_PREFIX) :].rpartition(":")
        try:
            wrapped = base64.urlsafe_b64decode(blob.encode("ascii"))
            return self.keyring.unwrap(kek_id, wrapped, _context(user_id)).decode("ascii")
        except (RedactorError, binascii.Error, UnicodeError, ValueError):
            raise CryptoError() from None

    def needs_reseal(self, stored: str | None) -> bool:
        """A plain secret, or one sealed by a KEK that is no longer the primary."""
        if not stored:
            return False
        if not is_sealed(stored):
            return True
        return not stored.startswith(f"{SEALED_PREFIX}{self._primary()}:")

    def reveal(self, user_id: str, stored: str | None) -> tuple[str | None, str | None]:
        """``(secret, new stored value or None)``: opens sealed values, accepts a legacy plain
        one, and says what to write back when the value should be (re-)sealed."""
        if not stored:
            return None, None
        secret = self.open(user_id, stored) if is_sealed(stored) else stored
        return secret, (self.seal(user_id, secret) if self.needs_reseal(stored) else None)
