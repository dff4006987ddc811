"""The few errors the service raises on purpose.

Every error the user can cause derives from :class:`RedactorError`. Entry points (the CLI,
the HTTP API, the workers) translate these into exit codes or HTTP status codes; anything
else is a bug and is reported as such.
"""

from __future__ import annotations

__all__ = [
    "RedactorError",
    "ConfigError",
    "BadInputError",
    "ModelError",
    "NotCleanError",
    "StorageError",
    "CryptoError",
    "NotFoundError",
    "PermissionDenied",
    "ConflictError",
]


class RedactorError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with; ``http_status`` what the API returns."""

    exit_code = 1
    http_status = 500


class ConfigError(RedactorError):
    """A setting, policy file or model choice is invalid. The message names the bad value."""

    exit_code = 2
    http_status = 400


class BadInputError(RedactorError):
    """An input file is not audio we can redact (not audio, truncated, empty, too large...)."""

    exit_code = 3
    http_status = 422


class ModelError(RedactorError):
    """A model's files are missing or fail their checksum."""

    exit_code = 4
    http_status = 500


class NotCleanError(RedactorError):
    """Verification still hears sensitive content: the recording must be quarantined."""

    exit_code = 5
    http_status = 422


class StorageError(RedactorError):
    """The object store or catalog failed or is unreachable."""

    exit_code = 6
    http_status = 503


class CryptoError(RedactorError):
    """Opening, verifying or unwrapping failed. Deliberately opaque: no detail leaks."""

    exit_code = 7
    http_status = 500

    def __init__(self, message: str = "decryption or integrity check failed") -> None:
        super().__init__(message)


class NotFoundError(RedactorError):
    exit_code = 8
    http_status = 404


class PermissionDenied(RedactorError):
    exit_code = 9
    http_status = 403


class ConflictError(RedactorError):
    exit_code = 10
    http_status = 409
