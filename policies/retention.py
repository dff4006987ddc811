"""Retention, consent and legal-hold rules (placeholder: the catalog issue fills this in)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["RetentionRules"]


class RetentionRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    audio_days: int = 90
    transcript_days: int = 90
    report_days: int = 365
