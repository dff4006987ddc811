"""Where events go: the ``webhooks`` section of the policy file, and pure decisions on it.

Why in the policy file: which CRM hears about which campaign is a processing decision that a
data-protection officer reviews with the rest of the policy. Secrets are never in the file:
a target names the environment variable (or file) that holds its HMAC key.

Example::

    webhooks:
      targets:
        crm:
          url: https://crm.example.com/hooks/redactor
          secret_env: REDACTOR_WEBHOOK_SECRET_CRM
          events: ["recording.*", "dsar.*"]     # default: every event
        bus:
          url: amqp://guest:guest@127.0.0.1:5672//?exchange=redactor.events
      default: [crm]              # targets of recordings whose campaign is not listed
      campaigns:
        sales: [crm, bus]

``url`` decides the transport: ``https://`` (or ``http://`` with ``allow_http: true``, for a
receiver on the same host) is a signed webhook; ``amqp://`` publishes to RabbitMQ.

Decisions (no I/O, no clock): :meth:`WebhooksPolicy.targets_for` and :func:`backoff`.
"""

from __future__ import annotations

import fnmatch
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["WebhookTarget", "WebhooksPolicy", "backoff", "event_matches", "webhooks_of"]

_SCHEMES = ("https", "http", "amqp", "amqps")


class WebhookTarget(BaseModel):
    """One receiver: a webhook URL (signed) or a broker exchange (``amqp://``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str
    secret_env: str | None = None
    secret_file: str | None = None
    events: tuple[str, ...] = ("*",)
    allow_http: bool = False
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    max_attempts: int = Field(default=12, ge=1, le=100)
    ca_file: str | None = None

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    @property
    def is_broker(self) -> bool:
        return self.scheme in ("amqp", "amqps")

    @model_validator(mode="after")
    def _check(self) -> WebhookTarget:
        parts = urlsplit(self.url)
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES or not parts.hostname:
            raise ValueError(
                f"url {self.url!r} must be https://host/..., http://host/... (with "
                "allow_http: true) or amqp://host/..."
            )
        if scheme == "http" and not self.allow_http:
            raise ValueError(
                f"url {self.url!r} is plain http: use https, or set allow_http: true for a "
                "receiver on the same host"
            )
        if scheme in ("https", "http") and not (self.secret_env or self.secret_file):
            raise ValueError(f"webhook {self.url!r} needs secret_env or secret_file (its HMAC key)")
        for pattern in self.events:
            if not pattern or any(c not in _PATTERN_CHARS for c in pattern):
                raise ValueError(f"event pattern {pattern!r} is not like 'recording.*'")
        return self


_PATTERN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_.*")


class WebhooksPolicy(BaseModel):
    """The ``webhooks`` section: named targets, the default list, per-campaign lists."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    targets: dict[str, WebhookTarget] = Field(default_factory=dict)
    default: tuple[str, ...] = ()
    campaigns: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _names_exist(self) -> WebhooksPolicy:
        known = set(self.targets)
        for where, names in (("default", self.default), *self.campaigns.items()):
            for name in names:
                if name not in known:
                    valid = ", ".join(sorted(known)) or "(none defined)"
                    raise ValueError(f"{where}: unknown target {name!r}; defined: {valid}")
        return self

    def targets_for(self, event_type: str, campaign: str | None) -> list[tuple[str, WebhookTarget]]:
        """The ``(name, target)`` pairs that must receive ``event_type`` of ``campaign``.

        A campaign listed under ``campaigns`` uses its own list (which may be empty: that
        campaign's events go nowhere); any other campaign, or none, uses ``default``.
        """
        names = self.campaigns.get(campaign, self.default) if campaign else self.default
        out = []
        for name in dict.fromkeys(names):
            target = self.targets[name]
            if event_matches(target.events, event_type):
                out.append((name, target))
        return out


def event_matches(patterns: tuple[str, ...], event_type: str) -> bool:
    """Does ``event_type`` match one of the shell-style ``patterns`` (``recording.*``)?"""
    return any(fnmatch.fnmatchcase(event_type, p) for p in patterns)


def backoff(attempt: int, base: float = 10.0, cap: float = 3600.0) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based): doubling, capped.

    With the defaults: 10 s, 20 s, 40 s ... 1 h; twelve attempts span about six hours, well
    inside the working day a CRM outage is fixed in.
    """
    if attempt < 1:
        return 0.0
    return float(min(cap, base * (2 ** min(attempt - 1, 40))))


def webhooks_of(policy: Any) -> WebhooksPolicy:
    """The webhooks section of a loaded :class:`policies.loader.Policy` (empty if absent)."""
    value = getattr(policy, "webhooks", None)
    if value is None:
        return WebhooksPolicy()
    if isinstance(value, WebhooksPolicy):
        return value
    return WebhooksPolicy.model_validate(value)
