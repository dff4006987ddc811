"""The webhook signature: ``X-Signature: t=<unix seconds>,v1=<hex>``, made and checked, and
the target secret it is made with.

Why a module of its own: the signature is the contract with every receiver (see
:mod:`workers.webhooks`); :func:`verify_signature` is that check for receivers written in
Python, which need none of the dispatcher.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from policies.webhooks import WebhookTarget
from redactor.errors import ConfigError, PermissionDenied

__all__ = ["SIGNATURE_HEADER", "DEFAULT_TOLERANCE", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-Signature"
DEFAULT_TOLERANCE = 300.0


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """The ``X-Signature`` value for ``body`` sent at ``timestamp`` (unix seconds)."""
    from storage import crypto

    mac = crypto.hmac_sha256(secret, f"{int(timestamp)}.".encode() + body)
    return f"t={int(timestamp)},v1={mac.hex()}"


def verify_signature(
    secret: bytes,
    header: str | None,
    body: bytes,
    *,
    now: datetime,
    tolerance: float = DEFAULT_TOLERANCE,
) -> int:
    """Check an ``X-Signature`` header; returns its timestamp. Raises
    :class:`~redactor.errors.PermissionDenied` for a malformed, stale or future header and
    :class:`~redactor.errors.CryptoError` for a wrong MAC."""
    from storage import crypto

    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        t = int(parts["t"])
        mac = bytes.fromhex(parts["v1"])
    except (KeyError, ValueError):
        raise PermissionDenied("malformed X-Signature header; expected t=<unix>,v1=<hex>") from None
    age = now.timestamp() - t
    if abs(age) > tolerance:
        raise PermissionDenied(
            f"X-Signature timestamp is {age:.0f}s from now (tolerance {tolerance:.0f}s): replay?"
        )
    crypto.hmac_verify(secret, f"{t}.".encode() + body, mac)
    return t


def _secret(target: WebhookTarget, env: dict) -> bytes:
    if target.secret_env:
        value = env.get(target.secret_env)
        if not value:
            raise ConfigError(f"the webhook secret variable {target.secret_env} is not set")
        return value.encode()
    try:
        return Path(target.secret_file or "").read_bytes().strip()
    except OSError as exc:
        raise ConfigError(
            f"cannot read webhook secret file {target.secret_file!r}: {exc.strerror}"
        ) from None
