"""Settings of the HTTP service, from ``REDACTOR_API_*`` environment variables.

A frozen dataclass, passed to :func:`api.app.create_app` inside the services: two apps in
one test process can differ (a tiny body limit for the 413 test, a fast argon2 profile).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from redactor.errors import ConfigError

__all__ = ["ApiSettings"]


def _int(env, name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    return value


@dataclass(frozen=True)
class ApiSettings:
    """``max_body`` bounds every request body except uploads (``max_upload``), in bytes.

    ``secure_cookies`` must stay on outside tests on plain http; browsers treat
    ``http://127.0.0.1`` as a secure context, so even local runs keep it on.
    ``policy_path`` is the policy file the admin endpoints read and replace.
    """

    host: str = "127.0.0.1"
    port: int = 8080
    max_body: int = 1024 * 1024
    max_upload: int = 512 * 1024 * 1024
    secure_cookies: bool = True
    session_cookie: str = "redactor_session"
    policy_path: Path | None = None
    inbox_dir: Path | None = None
    page_size: int = 50

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> ApiSettings:
        """Read ``REDACTOR_API_HOST``, ``_PORT``, ``_MAX_BODY_KB``, ``_MAX_UPLOAD_MB``,
        ``REDACTOR_POLICY_FILE`` and ``REDACTOR_INBOX_DIR``."""
        env = os.environ if env is None else env
        d = cls()
        values = dict(
            host=env.get("REDACTOR_API_HOST") or d.host,
            port=_int(env, "REDACTOR_API_PORT", d.port),
            max_body=_int(env, "REDACTOR_API_MAX_BODY_KB", d.max_body // 1024) * 1024,
            max_upload=_int(env, "REDACTOR_API_MAX_UPLOAD_MB", d.max_upload >> 20) << 20,
            policy_path=Path(env["REDACTOR_POLICY_FILE"])
            if env.get("REDACTOR_POLICY_FILE")
            else None,
            inbox_dir=Path(env["REDACTOR_INBOX_DIR"]) if env.get("REDACTOR_INBOX_DIR") else None,
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> ApiSettings:
        return replace(self, **changes)
