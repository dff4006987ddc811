"""Pydantic bodies of the HTTP API (the edge: validated here, plain data inside)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ID_PATTERN",
    "NAME_PATTERN",
    "Me",
    "RecordingOut",
    "RecordingList",
    "Interval",
    "Segment",
    "TranscriptOut",
    "WaveformOut",
    "EventOut",
    "UploadOut",
    "AccessEntryOut",
    "AccessLogOut",
    "VerifyOut",
    "UserIn",
    "UserPatch",
    "UserOut",
    "UserCreated",
    "TokenIn",
    "TokenOut",
    "PolicyOut",
    "PolicyIn",
    "HoldIn",
    "HoldRelease",
    "HoldOut",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{0,63}$"
_strict = ConfigDict(extra="forbid")


class Me(BaseModel):
    name: str
    kind: str
    roles: list[str]
    campaigns: list[str]
    via: str


class RecordingOut(BaseModel):
    id: str
    campaign: str | None
    call_id: str | None
    agent_id: str | None
    direction: str | None
    started_at: datetime | None
    language: str | None
    state: str
    received_at: datetime
    retain_until: datetime | None
    redaction_summary: dict[str, Any] | None
    artifacts: list[str]


class RecordingList(BaseModel):
    items: list[RecordingOut]
    limit: int
    offset: int


class Interval(BaseModel):
    start: float
    end: float
    label: str


class Segment(BaseModel):
    start: float | None
    end: float | None
    speaker: str | None
    text: str


class TranscriptOut(BaseModel):
    recording_id: str
    segments: list[Segment]
    intervals: list[Interval]


class WaveformOut(BaseModel):
    recording_id: str
    duration: float
    sample_rate: int
    min: list[float]
    max: list[float]
    intervals: list[Interval]


class EventOut(BaseModel):
    at: datetime
    from_state: str | None
    to_state: str | None
    action: str
    actor: str
    detail: dict[str, Any] | None


class UploadOut(BaseModel):
    bucket: str
    key: str
    size: int


class AccessEntryOut(BaseModel):
    seq: int
    at: str
    actor: str
    role: str
    action: str
    target: str
    recording_id: str | None
    campaign: str | None
    source: str
    outcome: str
    detail: str
    prev_hash: str
    hash: str


class AccessLogOut(BaseModel):
    items: list[AccessEntryOut]
    next_before: int | None


class VerifyOut(BaseModel):
    ok: bool
    entries: int
    checkpoints: int
    first_bad: int | None
    problem: str
    summary: str


class UserIn(BaseModel):
    model_config = _strict
    name: str = Field(pattern=NAME_PATTERN)
    roles: list[str] = Field(min_length=1, max_length=4)
    campaigns: list[str] = Field(default_factory=list, max_length=200)
    kind: str = Field("person", pattern=r"^(person|machine)$")
    password: str | None = Field(None, min_length=1, max_length=1024)


class UserPatch(BaseModel):
    model_config = _strict
    roles: list[str] | None = Field(None, min_length=1, max_length=4)
    campaigns: list[str] | None = Field(None, max_length=200)
    disabled: bool | None = None
    unlock: bool = False


class UserOut(BaseModel):
    name: str
    kind: str
    roles: list[str]
    campaigns: list[str]
    disabled: bool
    locked_until: datetime | None
    created_at: datetime


class UserCreated(BaseModel):
    user: UserOut
    totp_uri: str | None = None
    token: str | None = None


class TokenIn(BaseModel):
    model_config = _strict
    label: str = Field("", max_length=128)


class TokenOut(BaseModel):
    id: str
    user: str
    label: str
    token: str | None = None


class PolicyOut(BaseModel):
    source: str
    yaml: str


class PolicyIn(BaseModel):
    model_config = _strict
    yaml: str = Field(max_length=512 * 1024)


class HoldIn(BaseModel):
    model_config = _strict
    recording_id: str | None = Field(None, pattern=ID_PATTERN)
    customer_id: str | None = Field(None, min_length=1, max_length=200)
    campaign: str | None = Field(None, min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    until: datetime | None = None


class HoldRelease(BaseModel):
    model_config = _strict
    reason: str = Field(min_length=1, max_length=2000)


class HoldOut(BaseModel):
    id: str
    scope: str
    reference: str
    reason: str
    set_by: str
    set_at: datetime
    until: datetime | None
    released_at: datetime | None
