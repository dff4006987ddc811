"""What to redact and how: the redaction section of the policy file.

The defaults are deliberately fail-closed. A transcript is evidence, not truth: speech that
no confident word accounts for is redacted when it sits next to a sensitive finding or inside
a payment dialogue (see ``docs/redaction-rules.md``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["RedactionPolicy", "ENTITY_TYPES", "DEFAULT_ENTITIES"]

# Entity type -> the placeholder written into the redacted transcript.
ENTITY_TYPES: dict[str, str] = {
    "CREDIT_CARD": "[CARD]",
    "CARD_SECURITY_CODE": "[CVV]",
    "CARD_EXPIRY": "[EXPIRY]",
    "HEALTH": "[HEALTH]",
    "IBAN_CODE": "[IBAN]",
    "EMAIL_ADDRESS": "[EMAIL]",
    "PHONE_NUMBER": "[PHONE]",
    "US_SSN": "[SSN]",
    "IT_FISCAL_CODE": "[FISCAL_CODE]",
    "IT_VAT_CODE": "[VAT]",
    "IT_IDENTITY_CARD": "[ID_CARD]",
    "PAYMENT_UNHEARD": "[UNHEARD]",  # speech in a payment dialogue no confident word explains
    "PERSON": "[PERSON]",
    "LOCATION": "[LOCATION]",
    "DATE_TIME": "[DATE]",
}

DEFAULT_ENTITIES = (
    "CREDIT_CARD",
    "CARD_SECURITY_CODE",
    "CARD_EXPIRY",
    "HEALTH",
    "IBAN_CODE",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "IT_FISCAL_CODE",
    "IT_VAT_CODE",
    "IT_IDENTITY_CARD",
    "PAYMENT_UNHEARD",
)


class RedactionPolicy(BaseModel):
    """Redaction rules. Times are in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entities: tuple[str, ...] = DEFAULT_ENTITIES
    min_score: float = Field(0.4, ge=0.0, le=1.0)
    # alignment
    pad_before: float = Field(0.15, ge=0.0, le=2.0)
    pad_after: float = Field(0.2, ge=0.0, le=2.0)
    merge_gap: float = Field(0.2, ge=0.0, le=5.0)
    # silencing
    method: Literal["silence", "tone"] = "silence"
    tone_hz: float = Field(1000.0, gt=20.0, lt=4000.0)
    all_channels: bool = True
    # fail-closed
    payment_window_words: int = Field(60, ge=0, le=1000)
    payment_window_seconds: float = Field(45.0, ge=0.0, le=600.0)
    low_confidence: float = Field(0.6, ge=0.0, le=1.0)  # below: a word cannot anchor a span
    explain_confidence: float = Field(0.35, ge=0.0, le=1.0)  # below: a word explains no speech
    # inside an anchor gap, any plausibly timed ordinary word this confident is kept audible
    keep_word_confidence: float = Field(0.5, ge=0.0, le=1.0)
    redact_unexplained_speech_near_findings: float = Field(0.6, ge=0.0, le=30.0)
    verify: Literal["off", "regions"] = "regions"

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [e for e in value if e not in ENTITY_TYPES]
        if bad:
            raise ValueError(
                f"unknown entity type {bad[0]!r}; valid types: {', '.join(sorted(ENTITY_TYPES))}"
            )
        return tuple(value)
