"""Redaction settings from arguments and ``REDACTOR_*`` environment variables.

Precedence: explicit argument, then environment, then default. ``REDACTOR_MODEL``,
``REDACTOR_LANGUAGE``, ``REDACTOR_POLICY`` (a YAML path), ``REDACTOR_MAX_SIZE_MB``,
``REDACTOR_CPU_THREADS``.
"""

from __future__ import annotations

import os
from pathlib import Path

from redactor.errors import ConfigError

__all__ = ["redact_options"]


def _env_number(name: str, kind=float):
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None


def redact_options(
    *,
    model: str | None = None,
    language: str | None = None,
    policy_path: str | Path | None = None,
    campaign: str | None = None,
    max_size_mb: float | None = None,
    cpu_threads: int | None = None,
):
    """Build :class:`~redactor.pipeline.RedactOptions`, validating every value."""
    from models.registry import get_model
    from policies import load_policy
    from policies.redaction import LANGUAGES
    from redactor.audio import DEFAULT_MAX_BYTES
    from redactor.pipeline import RedactOptions

    model = model or os.environ.get("REDACTOR_MODEL") or None  # None: the policy's per language
    if model is not None:
        get_model(model)  # validates the name
    language = language or os.environ.get("REDACTOR_LANGUAGE") or None
    if language is not None and language not in LANGUAGES:
        raise ConfigError(f"unsupported language {language!r}; valid: {', '.join(LANGUAGES)}")
    policy_path = policy_path or os.environ.get("REDACTOR_POLICY") or None
    policy = load_policy(policy_path)
    if max_size_mb is None:
        max_size_mb = _env_number("REDACTOR_MAX_SIZE_MB")
    if max_size_mb is not None and max_size_mb <= 0:
        raise ConfigError(f"max size {max_size_mb} MB must be positive")
    max_bytes = int(max_size_mb * 1024 * 1024) if max_size_mb else DEFAULT_MAX_BYTES
    if cpu_threads is None:
        cpu_threads = int(_env_number("REDACTOR_CPU_THREADS", int) or 0)
    return RedactOptions(
        model=model,
        language=language,
        policy=policy,
        campaign=campaign,
        max_bytes=max_bytes,
        cpu_threads=cpu_threads,
    )
