"""What to redact and how: the redaction section of the policy file.

The defaults are deliberately fail-closed. A transcript is evidence, not truth: speech that
no confident word accounts for is redacted when it sits next to a sensitive finding or inside
a payment dialogue (see ``docs/redaction.md``).

Language is a policy decision too: which languages a deployment redacts, which model hears
each one, and (per campaign) a pinned language that overrides the call's metadata.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "RedactionPolicy",
    "ENTITY_TYPES",
    "DEFAULT_ENTITIES",
    "LANGUAGES",
    "choose_language",
]

# Languages with recognizers and fail-closed rules; a policy may enable a subset.
LANGUAGES = ("en", "it")

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
    "ID_NUMBER": "[NUMBER]",  # a long number read out that no recognizer could name
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
    "ID_NUMBER",
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
    # inside a payment dialogue, a gap this short between two redactions of one channel is
    # redacted too: an island of "confident" short words between redacted digits is a digit
    # misheard as a word ("for", "fine", "or"), not the conversation moving on
    payment_bridge: float = Field(1.5, ge=0.0, le=5.0)
    # silencing
    method: Literal["silence", "tone"] = "silence"
    tone_hz: float = Field(1000.0, gt=20.0, lt=4000.0)
    all_channels: bool = True
    # fail-closed
    payment_window_words: int = Field(60, ge=0, le=1000)
    payment_window_seconds: float = Field(45.0, ge=0.0, le=600.0)
    # a closed (or call-ending) payment window reaches this far past its last cue or number
    payment_answer_seconds: float = Field(2.0, ge=0.0, le=60.0)
    # unheard speech pieces closer than this are one utterance, judged by where it starts
    utterance_gap: float = Field(0.6, ge=0.0, le=5.0)
    low_confidence: float = Field(0.6, ge=0.0, le=1.0)  # below: a word cannot anchor a span
    explain_confidence: float = Field(0.35, ge=0.0, le=1.0)  # below: a word explains no speech
    # a voice-activity region of 1 s or more with no word this confident explains nothing:
    # every word there was a guess (0 turns it off). Per language, as the models' word
    # probabilities differ: base on Italian telephone audio is rarely as sure as tiny.en
    guessed_region_confidence: dict[str, float] = Field(
        default_factory=lambda: {"en": 0.8, "it": 0.6}
    )
    # inside an anchor gap, any plausibly timed ordinary word this confident is kept audible
    keep_word_confidence: float = Field(0.5, ge=0.0, le=1.0)
    redact_unexplained_speech_near_findings: float = Field(0.6, ge=0.0, le=30.0)
    # two-channel calls: the agent's channel (None: no channel roles). Unexplained speech of
    # the agent talking alone is redacted only next to a finding (a read-back), not merely
    # for lying inside a payment dialogue.
    agent_channel: int | None = Field(0, ge=0, le=1)
    # a run of this many digits or more is redacted anywhere in the call, unless a unit or a
    # reference label makes it harmless (0: only inside payment dialogues)
    redact_long_numbers: int = Field(8, ge=0, le=40)
    verify: Literal["off", "regions"] = "regions"
    # verification re-listens to a margin only where the first pass could not account for
    # the speech: a plausibly timed ordinary word at least this confident does (1.0: always
    # re-listen to every margin)
    verify_trust_confidence: float = Field(0.8, ge=0.0, le=1.0)
    # language: the call's metadata says it, a campaign may pin it, else the model detects
    # it among ``languages``; each language is heard by its own model
    languages: tuple[str, ...] = LANGUAGES
    language: str | None = None  # pinned language (per campaign); None: metadata, else detect
    models: dict[str, str] = Field(default_factory=lambda: {"en": "tiny.en", "it": "base"})
    detect_model: str = "base"

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if v not in LANGUAGES]
        if bad or not value:
            raise ValueError(
                f"unknown language {bad[0] if bad else '(none)'!r}; valid: {', '.join(LANGUAGES)}"
            )
        return tuple(value)

    @model_validator(mode="after")
    def _models_fit(self) -> RedactionPolicy:
        from models.registry import MODELS

        if self.language is not None and self.language not in self.languages:
            raise ValueError(
                f"pinned language {self.language!r} is not among the policy's languages: "
                f"{', '.join(self.languages)}"
            )
        for lang in self.languages:
            name = self.models.get(lang)
            if name is None:
                raise ValueError(f"no model for language {lang!r} under models:")
            if name not in MODELS:
                raise ValueError(f"unknown model {name!r} for {lang!r}; valid: {', '.join(MODELS)}")
            if not MODELS[name].supports(lang):
                raise ValueError(f"model {name!r} cannot hear {lang!r}")
        if len(self.languages) > 1 and self.language is None:
            spec = MODELS.get(self.detect_model)
            if spec is None or not spec.multilingual:
                raise ValueError(
                    f"detect_model {self.detect_model!r} must be a multilingual model; valid: "
                    + ", ".join(n for n, m in MODELS.items() if m.multilingual)
                )
        return self

    @field_validator("guessed_region_confidence")
    @classmethod
    def _probabilities(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {k: v for k, v in value.items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"guessed_region_confidence must be between 0 and 1, got {bad}")
        return value

    @property
    def sure_confidence(self) -> float:
        """How sure ASR must be of an ordinary word for it to speak for its own time span:
        a request's lead-in, an answer's first confident run, the sentence that closes a
        payment dialogue. ``low_confidence`` or 0.7, whichever is higher."""
        return max(self.low_confidence, 0.7)

    def guessed_confidence(self, language: str) -> float:
        """``guessed_region_confidence`` for ``language`` (0.0, the rule off, if unset)."""
        return self.guessed_region_confidence.get(language, 0.0)

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [e for e in value if e not in ENTITY_TYPES]
        if bad:
            raise ValueError(
                f"unknown entity type {bad[0]!r}; valid types: {', '.join(sorted(ENTITY_TYPES))}"
            )
        return tuple(value)


def choose_language(policy: RedactionPolicy, metadata: str | None) -> tuple[str | None, str]:
    """The language to redact a call in, and why: ``(language, source)``.

    A campaign's pinned language wins (a campaign knows its callers better than a
    mislabelled trunk), then the telephony metadata, then - when the policy enables a single
    language - that one. ``(None, "detect")`` means: let the model listen. Metadata naming a
    language the policy does not redact is not trusted either: the model decides.
    """
    if policy.language is not None:
        return policy.language, "policy"
    if metadata:
        primary = metadata.split("-")[0].lower()
        if primary in policy.languages:
            return primary, "metadata"
    if len(policy.languages) == 1:
        return policy.languages[0], "policy"
    return None, "detect"
