"""Load the one declarative policy file, validated, with errors that name the bad line.

The file is YAML. Its top-level sections are owned by the modules that decide from them:

* ``redaction`` -> :class:`policies.redaction.RedactionPolicy` (what to redact, fail-closed rules)
* ``retention`` -> :class:`policies.retention.RetentionRules` (how long, consent, holds)
* ``campaigns`` -> per-campaign overrides of either section
* ``webhooks`` -> :class:`policies.webhooks.WebhooksPolicy` (CRM event targets)

Validation happens here, at the edge, with pydantic; the rest of the code sees plain frozen
models. :meth:`Policy.for_campaign` merges a campaign's overrides over the defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from policies.redaction import RedactionPolicy
from policies.retention import RetentionRules
from policies.webhooks import WebhooksPolicy
from redactor.errors import ConfigError

__all__ = ["Policy", "CampaignPolicy", "load_policy", "parse_policy", "DEFAULT_POLICY_PATH"]

DEFAULT_POLICY_PATH = Path(__file__).with_name("default.yaml")


class CampaignPolicy(BaseModel):
    """Overrides for one campaign; any key left out falls back to the defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    redaction: dict[str, Any] = Field(default_factory=dict)
    retention: dict[str, Any] = Field(default_factory=dict)


class Policy(BaseModel):
    """The whole policy file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = 1
    redaction: RedactionPolicy = Field(default_factory=RedactionPolicy)
    retention: RetentionRules = Field(default_factory=RetentionRules)
    campaigns: dict[str, CampaignPolicy] = Field(default_factory=dict)
    webhooks: WebhooksPolicy = Field(default_factory=WebhooksPolicy)
    source: str = Field(default="<defaults>", exclude=True)

    def for_campaign(self, campaign: str | None) -> Policy:
        """The policy in force for ``campaign`` (the defaults when it has no overrides)."""
        over = self.campaigns.get(campaign or "")
        if over is None:
            return self
        red = self.redaction.model_copy(update=over.redaction) if over.redaction else self.redaction
        ret = self.retention.model_copy(update=over.retention) if over.retention else self.retention
        # re-validate merged sections so an override cannot smuggle a bad value past checks
        return self.model_copy(
            update={
                "redaction": RedactionPolicy.model_validate(red.model_dump()),
                "retention": RetentionRules.model_validate(ret.model_dump()),
            }
        )


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key and sequence item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    loader.lines[id(mapping)] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(data: Any, loc: tuple, lines: dict[int, dict]) -> int | None:
    line = None
    node = data
    for part in loc:
        if isinstance(node, dict):
            line = lines.get(id(node), {}).get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    return line


def parse_policy(text: str, source: str = "<string>") -> Policy:
    """Parse and validate policy YAML. Raises :class:`ConfigError` naming file and line."""
    loader = _LineLoader(text)
    loader.lines = {}
    try:
        data = loader.get_single_data() or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError(f"{source}:1: the policy file must be a mapping of sections")
    try:
        policy = Policy.model_validate(data)
        for name, camp in policy.campaigns.items():
            try:
                policy.for_campaign(name)
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ("campaigns", name, *err["loc"][:1], *err["loc"][1:])
                raise _located(source, data, loc, err, loader.lines) from None
            del camp
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _located(source, data, tuple(err["loc"]), err, loader.lines) from None
    return policy.model_copy(update={"source": source})


def _located(source: str, data: Any, loc: tuple, err: dict, lines: dict) -> ConfigError:
    line = _line_of(data, loc, lines)
    where = f"{source}:{line}" if line else source
    path = ".".join(str(p) for p in loc)
    return ConfigError(f"{where}: {path}: {err['msg']}")


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the policy file at ``path`` (default: the packaged ``policies/default.yaml``)."""
    path = Path(path) if path else DEFAULT_POLICY_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read policy file {str(path)!r}: {exc.strerror}") from None
    return parse_policy(text, str(path))
