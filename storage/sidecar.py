"""The telephony sidecar: ``call.json`` beside ``call.wav``, describing the call.

Why a sidecar: the audio alone does not say whose call it is, under which campaign, or
whether the recording was disclosed. Those facts decide the policy, the retention deadline
and what a data-subject request finds, so they are validated at the edge (pydantic) and
turned into a plain :class:`CallMetadata` for the rest of the code.

The phone number never leaves this module in clear: it is normalised (digits and a leading
``+``) and replaced by an HMAC-SHA256 keyed hash (:func:`storage.crypto.hmac_sha256`), so the
catalog can find a caller's recordings without storing the number. The key lives in a file
(``REDACTOR_PHONE_HASH_KEY_FILE``, default ``$REDACTOR_HOME/keys/phone-hash.key``, created
with mode 0600 on first use); losing it only means new hashes no longer match old ones.

A missing or malformed sidecar is not an exception at ingest: :func:`read_sidecar` returns a
:class:`SidecarResult` whose ``error`` names the file and the bad field, and the policy
(:func:`policies.retention.missing_sidecar_decision`) decides what happens next.
The schema is documented in ``docs/sidecar.md``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from redactor.errors import BadInputError, ConfigError

__all__ = [
    "SCHEMA_ID",
    "CallMetadata",
    "SidecarModel",
    "SidecarResult",
    "PhoneHasher",
    "sidecar_path",
    "sidecar_key",
    "parse_sidecar",
    "read_sidecar",
    "metadata_from_defaults",
    "normalise_phone",
]

SCHEMA_ID = "redactor.sidecar/1"
_MAX_SIDECAR_BYTES = 64 * 1024
_PHONE_RE = re.compile(r"^\+?[0-9]{3,20}$")
_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$"


def normalise_phone(raw: str) -> str:
    """``"+44 (20) 7946-0000"`` -> ``"+442079460000"``. Raises ValueError if not a number."""
    cleaned = re.sub(r"[\s().\-/]", "", raw)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not _PHONE_RE.match(cleaned):
        raise ValueError(f"{raw!r} is not a phone number (3-20 digits, optional leading +)")
    return cleaned


class PhoneHasher:
    """Keyed hash of phone numbers: equal numbers give equal hashes, the number cannot be
    recovered or brute-forced without the key (a plain hash of a phone number can be)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ConfigError(f"the phone-hash key must be at least 32 bytes, got {len(key)}")
        self._key = key

    def __call__(self, phone: str) -> str:
        from storage.crypto import hmac_sha256

        return hmac_sha256(self._key, normalise_phone(phone).encode()).hex()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> PhoneHasher:
        """The key file from ``REDACTOR_PHONE_HASH_KEY_FILE`` or under ``REDACTOR_HOME``;
        created (32 random bytes, mode 0600) if it does not exist yet."""
        env = dict(os.environ if env is None else env)
        path = Path(
            env.get("REDACTOR_PHONE_HASH_KEY_FILE")
            or Path(env.get("REDACTOR_HOME", "var")) / "keys" / "phone-hash.key"
        )
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first: use theirs
            else:
                with os.fdopen(fd, "wb") as f:
                    f.write(os.urandom(32))
        try:
            return cls(path.read_bytes())
        except OSError as exc:
            raise ConfigError(f"cannot read the phone-hash key {str(path)!r}: {exc}") from None


class SidecarModel(BaseModel):
    """The JSON schema of ``call.json`` (version ``redactor.sidecar/1``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    schema_: Literal["redactor.sidecar/1"] = Field(SCHEMA_ID, alias="schema")
    call_id: str = Field(pattern=_ID_RE)
    agent_id: str | None = Field(None, pattern=_ID_RE)
    campaign: str = Field(pattern=_ID_RE)
    direction: Literal["inbound", "outbound", "internal"]
    started_at: datetime
    # absent: the worker detects it (a campaign may pin it in the policy)
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    channel_layout: Literal["mono", "agent_left", "customer_left"] = "mono"
    customer_id: str | None = Field(None, pattern=_ID_RE)
    phone_number: str | None = None
    consent_disclosed: bool
    consent_method: str | None = Field(None, max_length=100)

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("started_at needs a UTC offset, e.g. 2024-05-01T10:00:00+00:00")
        return value

    @field_validator("phone_number")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else normalise_phone(value)


@dataclass(frozen=True)
class CallMetadata:
    """Validated call metadata as the catalog stores it (phone number only as a hash)."""

    call_id: str | None
    agent_id: str | None
    campaign: str | None
    direction: str | None
    started_at: datetime | None
    language: str | None
    channel_layout: str | None
    customer_id: str | None
    phone_hash: str | None
    consent_disclosed: bool | None
    consent_method: str | None
    from_defaults: bool = False

    def catalog_fields(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("from_defaults")
        return out


@dataclass(frozen=True)
class SidecarResult:
    """What ingest learned from the sidecar: ``meta`` or an ``error`` naming the problem."""

    path: str
    meta: CallMetadata | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


def sidecar_path(audio: str | Path) -> Path:
    """``/in/call.wav`` -> ``/in/call.json``."""
    return Path(audio).with_suffix(".json")


def sidecar_key(source_key: str) -> str:
    """Object-store flavour of :func:`sidecar_path`: ``in/call.wav`` -> ``in/call.json``."""
    return str(PurePosixPath(source_key).with_suffix(".json"))


def parse_sidecar(
    data: bytes | str, *, hasher: PhoneHasher, source: str = "call.json"
) -> CallMetadata:
    """Validate sidecar JSON. Raises :class:`BadInputError` naming ``source`` and the field."""
    if isinstance(data, bytes):
        if len(data) > _MAX_SIDECAR_BYTES:
            raise BadInputError(
                f"{source}: sidecar is {len(data)} bytes, more than {_MAX_SIDECAR_BYTES}"
            )
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInputError(f"{source}: sidecar is not UTF-8 text") from None
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{source}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise BadInputError(f"{source}: the sidecar must be a JSON object")
    try:
        model = SidecarModel.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        raise BadInputError(f"{source}: field {where!r}: {err['msg']}") from None
    return CallMetadata(
        call_id=model.call_id,
        agent_id=model.agent_id,
        campaign=model.campaign,
        direction=model.direction,
        started_at=model.started_at,
        language=model.language,
        channel_layout=model.channel_layout,
        customer_id=model.customer_id,
        phone_hash=hasher(model.phone_number) if model.phone_number else None,
        consent_disclosed=model.consent_disclosed,
        consent_method=model.consent_method,
    )


def read_sidecar(audio: str | Path, *, hasher: PhoneHasher) -> SidecarResult:
    """Read and validate the sidecar beside ``audio``; never raises for a bad sidecar."""
    path = sidecar_path(audio)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return SidecarResult(str(path), None, f"{path}: sidecar is missing")
    except OSError as exc:
        return SidecarResult(str(path), None, f"{path}: sidecar cannot be read: {exc.strerror}")
    try:
        return SidecarResult(str(path), parse_sidecar(data, hasher=hasher, source=str(path)), None)
    except BadInputError as exc:
        return SidecarResult(str(path), None, str(exc))


def metadata_from_defaults(defaults: Any) -> CallMetadata:
    """Metadata for a recording without a usable sidecar, from the policy's
    ``retention.sidecar_defaults`` (:class:`policies.retention.SidecarDefaults`)."""
    return CallMetadata(
        call_id=None,
        agent_id=None,
        campaign=defaults.campaign,
        direction=defaults.direction,
        started_at=None,
        language=defaults.language,
        channel_layout=defaults.channel_layout,
        customer_id=None,
        phone_hash=None,
        consent_disclosed=defaults.consent_disclosed,
        consent_method="policy default" if defaults.consent_disclosed else None,
        from_defaults=True,
    )
