"""Who may do what: roles, actions, campaign scoping and one decision function.

Pure and deny-by-default. Every HTTP endpoint names one :class:`Action`; the API asks
:func:`can` before it touches anything, logs the :class:`Decision`, and only then acts. A role
grants a fixed set of actions (:data:`ROLE_ACTIONS`); nothing is granted implicitly, and an
action that reads a recording is also scoped to the campaigns the principal is assigned, so a
QA user of campaign A never sees campaign B even if she guesses an id.

Why a table and not decorators spread over the routers: the whole access policy fits on one
screen, and the role-matrix tests read the same table they check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from redactor.errors import ConfigError

__all__ = [
    "Role",
    "Action",
    "Principal",
    "Resource",
    "Decision",
    "ROLE_ACTIONS",
    "CAMPAIGN_SCOPED",
    "can",
    "parse_roles",
    "visible_campaigns",
]


class Role(StrEnum):
    INGEST = "ingest"  # the telephony system: drops recordings, nothing else
    QA = "qa"  # lists, reads and plays redacted recordings of its campaigns
    COMPLIANCE = "compliance"  # the access log and the processing records; no audio
    ADMIN = "admin"  # policies, legal holds, users; no audio unless also qa


class Action(StrEnum):
    RECORDING_UPLOAD = "recording.upload"
    RECORDING_LIST = "recording.list"
    RECORDING_VIEW = "recording.view"  # metadata
    TRANSCRIPT_VIEW = "transcript.view"  # the redacted transcript and the redaction report
    AUDIO_PLAY = "audio.play"  # streaming the redacted audio (and its waveform)
    AUDIO_DOWNLOAD = "audio.download"
    RECORDING_ERASE = "recording.erase"
    PROCESSING_READ = "processing.read"  # the processing records (state history)
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    AUDIT_VERIFY = "audit.verify"
    POLICY_READ = "policy.read"
    POLICY_CHANGE = "policy.change"
    HOLD_MANAGE = "hold.manage"
    USER_MANAGE = "user.manage"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.INGEST: frozenset({Action.RECORDING_UPLOAD}),
    Role.QA: frozenset(
        {
            Action.RECORDING_LIST,
            Action.RECORDING_VIEW,
            Action.TRANSCRIPT_VIEW,
            Action.AUDIO_PLAY,
            Action.AUDIO_DOWNLOAD,
        }
    ),
    Role.COMPLIANCE: frozenset(
        {Action.AUDIT_READ, Action.AUDIT_EXPORT, Action.AUDIT_VERIFY, Action.PROCESSING_READ}
    ),
    Role.ADMIN: frozenset(
        {
            Action.POLICY_READ,
            Action.POLICY_CHANGE,
            Action.HOLD_MANAGE,
            Action.USER_MANAGE,
            Action.RECORDING_ERASE,
        }
    ),
}

# Actions on one recording (or a listing of recordings) that only reach assigned campaigns.
CAMPAIGN_SCOPED: frozenset[Action] = frozenset(
    {
        Action.RECORDING_LIST,
        Action.RECORDING_VIEW,
        Action.TRANSCRIPT_VIEW,
        Action.AUDIO_PLAY,
        Action.AUDIO_DOWNLOAD,
    }
)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a person (password + TOTP) or a machine (API token).

    ``campaigns`` is the explicit list of campaigns a QA principal may see; there is no
    wildcard, so forgetting to assign campaigns fails closed.
    """

    id: str
    name: str
    roles: frozenset[Role] = frozenset()
    campaigns: frozenset[str] = frozenset()
    kind: str = "person"  # "person" | "machine"
    active: bool = True
    via: str = ""  # "token" | "session" | "oidc"; filled in by the API

    @property
    def role_label(self) -> str:
        """The roles as one stable string, for the access log."""
        return ",".join(sorted(r.value for r in self.roles)) or "-"


@dataclass(frozen=True)
class Resource:
    """What an action applies to. ``campaign`` decides campaign-scoped actions."""

    kind: str = ""
    id: str | None = None
    campaign: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def parse_roles(values: Iterable[str] | str) -> frozenset[Role]:
    """Turn ``"qa,admin"`` or ``["qa", "admin"]`` into roles; unknown names are an error."""
    if isinstance(values, str):
        values = [v for v in values.split(",")]
    out = set()
    for raw in values:
        name = raw.strip().lower()
        if not name:
            continue
        try:
            out.add(Role(name))
        except ValueError:
            valid = ", ".join(r.value for r in Role)
            raise ConfigError(f"unknown role {raw!r}; valid roles: {valid}") from None
    return frozenset(out)


def can(
    principal: Principal | None, action: Action | str, resource: Resource | None = None
) -> Decision:
    """Decide whether ``principal`` may perform ``action`` on ``resource``. Deny by default.

    For campaign-scoped actions on one recording, ``resource.campaign`` must be one of the
    principal's campaigns. For a listing (``resource`` is None or has no id) the principal
    only needs the action and at least one campaign; the listing itself is then filtered by
    :func:`visible_campaigns`.
    """
    if principal is None:
        return Decision(False, "not authenticated")
    if not principal.active:
        return Decision(False, "account disabled")
    try:
        action = Action(action)
    except ValueError:
        return Decision(False, f"unknown action {action!r}")
    granting = sorted(r.value for r in principal.roles if action in ROLE_ACTIONS.get(r, ()))
    if not granting:
        roles = principal.role_label
        return Decision(False, f"role(s) {roles} may not {action.value}")
    if action in CAMPAIGN_SCOPED:
        if not principal.campaigns:
            return Decision(False, "no campaigns assigned")
        if (
            resource is not None
            and resource.id is not None
            and (resource.campaign is None or resource.campaign not in principal.campaigns)
        ):
            return Decision(False, f"{resource.kind or 'resource'} outside assigned campaigns")
    return Decision(True, f"granted by role {granting[0]}")


def visible_campaigns(
    principal: Principal, action: Action = Action.RECORDING_LIST
) -> frozenset[str]:
    """The campaigns whose recordings ``principal`` may list (empty when it may list none)."""
    if not can(principal, action):
        return frozenset()
    return principal.campaigns
