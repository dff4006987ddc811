"""Retention, consent and legal-hold rules: the ``retention`` section of the policy file.

Why this module exists: every stored recording must have a known purpose and a known
lifetime (GDPR Art. 5(1)(e)). The rules are declarative (validated at load by pydantic, with
the line of a bad value reported by :mod:`policies.loader`), and every decision taken from
them is a *pure function* here: no I/O, no clock. The caller passes ``now`` (a timezone-aware
datetime), so retention can be tested by moving an injected clock instead of waiting.

Decisions:

* :func:`retention_deadlines` -- when each stored artifact (redacted audio, transcript,
  report, and raw audio if a policy keeps it at all) must be gone;
* :func:`is_due` -- whether a deadline has passed at ``now``;
* :func:`consent_decision` -- keep or delete at ingest a call recorded without disclosed
  consent (the default: delete, with a log entry);
* :func:`missing_sidecar_decision` -- process with defaults, or hold back, a recording whose
  telephony sidecar is missing or malformed (the default: hold back);
* :func:`policy_holds` -- the legal-hold rules of the policy that match a recording at ``now``.

Per-campaign overrides come from ``campaigns: {name: {retention: {...}}}`` and are merged by
:meth:`policies.loader.Policy.for_campaign`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

__all__ = [
    "RetentionRules",
    "HoldRule",
    "SidecarDefaults",
    "ARTIFACT_KINDS",
    "ConsentDecision",
    "SidecarDecision",
    "HoldReason",
    "RecordingFacts",
    "retention_deadlines",
    "is_due",
    "consent_decision",
    "missing_sidecar_decision",
    "policy_holds",
    "rules_digest",
]

# What a recording leaves in the vault. ``raw`` is the unredacted source; it is never kept
# unless a policy says ``keep_raw_audio: true`` (and then only for ``raw_audio_days``).
ARTIFACT_KINDS = ("audio", "transcript", "report", "raw")

_MAX_DAYS = 36_500  # a hundred years: anything longer is a typo, not a policy


class HoldRule(BaseModel):
    """A legal hold declared in the policy: matching recordings are never deleted.

    A rule matches when *every* criterion it sets matches (criteria left out match
    everything); an empty rule is refused, because "hold everything forever" is never meant.
    ``until`` (a date, exclusive, UTC) ends the hold; without it the hold lasts until the rule
    is removed from the policy.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    reference: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=1000)
    campaigns: tuple[str, ...] = ()
    customer_ids: tuple[str, ...] = ()
    agent_ids: tuple[str, ...] = ()
    started_from: date | None = None
    started_before: date | None = None
    until: date | None = None

    @model_validator(mode="after")
    def _not_everything(self) -> HoldRule:
        if not (
            self.campaigns
            or self.customer_ids
            or self.agent_ids
            or self.started_from
            or self.started_before
        ):
            raise ValueError(
                f"legal hold {self.reference!r} matches every recording; set at least one of "
                "campaigns, customer_ids, agent_ids, started_from, started_before"
            )
        return self


class SidecarDefaults(BaseModel):
    """Metadata assumed for a recording whose sidecar is missing, when the policy says
    ``missing_sidecar: defaults``. Consent is *not* assumed unless said so explicitly."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    campaign: str = "unknown"
    direction: Literal["inbound", "outbound", "internal"] = "inbound"
    language: str | None = None  # None: detected by the model
    channel_layout: Literal["mono", "agent_left", "customer_left"] = "mono"
    consent_disclosed: bool = False


class RetentionRules(BaseModel):
    """The ``retention:`` section. Days count from the start of the call (or, when the
    call's start is unknown, from when the recording was received)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    audio_days: int = Field(90, ge=0, le=_MAX_DAYS)
    transcript_days: int = Field(90, ge=0, le=_MAX_DAYS)
    report_days: int = Field(365, ge=0, le=_MAX_DAYS)
    keep_raw_audio: bool = False
    raw_audio_days: int = Field(0, ge=0, le=_MAX_DAYS)
    keep_without_consent: bool = False
    missing_sidecar: Literal["hold_back", "defaults"] = "hold_back"
    sidecar_defaults: SidecarDefaults = Field(default_factory=SidecarDefaults)
    legal_holds: tuple[HoldRule, ...] = ()
    # For the record of processing activities (Art. 30): why the calls are kept, on what basis.
    purpose: str = "quality assurance, dispute resolution and regulatory record keeping"
    legal_basis: str = "legitimate interests (Art. 6(1)(f)) and legal obligation (Art. 6(1)(c))"

    @field_validator("legal_holds")
    @classmethod
    def _unique_references(cls, value: tuple[HoldRule, ...]) -> tuple[HoldRule, ...]:
        seen: set[str] = set()
        for rule in value:
            if rule.reference in seen:
                raise ValueError(f"legal hold reference {rule.reference!r} is used twice")
            seen.add(rule.reference)
        return value

    @model_validator(mode="after")
    def _raw_audio(self) -> RetentionRules:
        if self.raw_audio_days and not self.keep_raw_audio:
            raise ValueError(
                f"raw_audio_days is {self.raw_audio_days} but keep_raw_audio is false; "
                "raw audio is never kept unless keep_raw_audio: true"
            )
        return self

    @field_serializer("legal_holds", "sidecar_defaults")
    def _plain(self, value):  # noqa: ANN001 - dict or model, after a campaign override merge
        # Policy.for_campaign merges overrides with model_copy(update=...), which leaves plain
        # dicts in nested fields; serialize both shapes so the merge re-validates quietly.
        def one(v):
            return v.model_dump(mode="json") if isinstance(v, BaseModel) else v

        return [one(v) for v in value] if isinstance(value, (list, tuple)) else one(value)

    def days_for(self, kind: str) -> int:
        """Days ``kind`` (one of :data:`ARTIFACT_KINDS`) is kept."""
        if kind == "raw":
            return self.raw_audio_days if self.keep_raw_audio else 0
        try:
            return {
                "audio": self.audio_days,
                "transcript": self.transcript_days,
                "report": self.report_days,
            }[kind]
        except KeyError:
            raise ValueError(
                f"unknown artifact kind {kind!r}; valid kinds: {', '.join(ARTIFACT_KINDS)}"
            ) from None


@dataclass(frozen=True)
class RecordingFacts:
    """What the rules look at: the few catalog fields a decision depends on."""

    campaign: str | None = None
    customer_id: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None


@dataclass(frozen=True)
class ConsentDecision:
    keep: bool
    reason: str


@dataclass(frozen=True)
class SidecarDecision:
    process: bool  # False: hold the recording back (state ``held_back``)
    use_defaults: bool
    reason: str


@dataclass(frozen=True)
class HoldReason:
    """Why a recording must not be deleted. ``source`` is ``policy`` or ``catalog``."""

    source: str
    reference: str
    reason: str


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


def retention_deadlines(
    rules: RetentionRules, started_at: datetime | None, received_at: datetime
) -> dict[str, datetime]:
    """The deadline of each artifact kind the rules allow to be kept.

    ``raw`` is included only when the policy keeps raw audio; otherwise the raw source must be
    deleted as soon as the redacted copy is stored, which is not a timer but a step of the
    pipeline. Days count from ``started_at`` (the call) when known, else ``received_at``.
    """
    base = _aware(started_at, "started_at") if started_at else _aware(received_at, "received_at")
    kinds = ARTIFACT_KINDS if rules.keep_raw_audio else ARTIFACT_KINDS[:3]
    return {k: base + timedelta(days=rules.days_for(k)) for k in kinds}


def is_due(deadline: datetime | None, now: datetime) -> bool:
    """True when ``deadline`` has passed at ``now`` (a deadline equal to now is due)."""
    _aware(now, "now")
    return deadline is not None and _aware(deadline, "deadline") <= now


def consent_decision(rules: RetentionRules, consent_disclosed: bool | None) -> ConsentDecision:
    """Whether to keep a recording given its consent flag (``None``: the sidecar did not say).

    Unknown consent is treated as not disclosed: a recording nobody can show was disclosed is
    not kept unless the policy explicitly keeps such recordings.
    """
    if consent_disclosed:
        return ConsentDecision(True, "recording was disclosed to the caller")
    said = "consent not disclosed" if consent_disclosed is False else "consent unknown"
    if rules.keep_without_consent:
        return ConsentDecision(True, f"{said}; policy keeps recordings without consent")
    return ConsentDecision(False, f"{said}; policy deletes recordings without consent at ingest")


def missing_sidecar_decision(rules: RetentionRules, problem: str) -> SidecarDecision:
    """What to do with a recording whose sidecar is missing or malformed (``problem`` says
    which); the caller reports ``problem`` in the ingest result either way."""
    if rules.missing_sidecar == "defaults":
        return SidecarDecision(True, True, f"{problem}; processed with the policy's defaults")
    return SidecarDecision(False, False, f"{problem}; held back until a valid sidecar arrives")


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def _rule_matches(rule: HoldRule, facts: RecordingFacts, now: datetime) -> bool:
    if rule.until is not None and now >= _day_start(rule.until):
        return False
    if rule.campaigns and facts.campaign not in rule.campaigns:
        return False
    if rule.customer_ids and facts.customer_id not in rule.customer_ids:
        return False
    if rule.agent_ids and facts.agent_id not in rule.agent_ids:
        return False
    if rule.started_from or rule.started_before:
        if facts.started_at is None:
            return True  # an undated call may fall in the window: keep it (fail safe)
        if rule.started_from and facts.started_at < _day_start(rule.started_from):
            return False
        if rule.started_before and facts.started_at >= _day_start(rule.started_before):
            return False
    return True


def policy_holds(rules: RetentionRules, facts: RecordingFacts, now: datetime) -> list[HoldReason]:
    """The policy's legal holds that cover a recording at ``now`` (empty: none)."""
    _aware(now, "now")
    return [
        HoldReason("policy", r.reference, r.reason)
        for r in rules.legal_holds
        if _rule_matches(r, facts, now)
    ]


def rules_digest(rules: RetentionRules) -> str:
    """A short stable digest of the rules, stored with each recording as "the policy that
    applied", so a later policy change can be told apart from the one in force at ingest."""
    blob = json.dumps(rules.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
