"""What changes with the language of a corpus: scripts, scenario mix, voices, digits, model.

Everything else (rendering, truth, formats, layouts, scoring) is the same for every language,
so adding one means adding a :class:`CorpusLanguage` here and its phrase module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from redactor.errors import ConfigError
from redactor.evaluation.synth import (
    AGENT_VOICES,
    CUSTOMER_VOICES,
    IT_AGENT_VOICES,
    IT_CUSTOMER_VOICES,
    Voice,
)

__all__ = ["CorpusLanguage", "LANGUAGES", "get_language", "check_model_language"]


# scenario cycles: payments dominate (the riskiest calls), every kind is present
_EN_MIX = ("payment", "payment_readback", "health", "mixed", "payment", "contact", "health",
           "plain", "mixed", "payment")  # fmt: skip
_IT_MIX = ("payment", "fiscal", "payment_readback", "health", "contact", "mixed", "business",
           "payment", "health", "plain")  # fmt: skip


@dataclass(frozen=True)
class CorpusLanguage:
    """One corpus language.

    ``digit_words`` is None for English, whose digits are human FSDD recordings in two calls
    out of three (or synthesized, "oh" or "zero"); other languages synthesize their digit
    words. ``mix`` is the scenario cycle of a corpus; ``samples`` the plan of
    ``redactor samples`` as (scenario, format, rate, layout).
    """

    code: str
    name: str
    script: Callable[[int, str | None], tuple]
    scenarios: tuple[str, ...]
    mix: tuple[str, ...]
    agent_voices: tuple[Voice, ...]
    customer_voices: tuple[Voice, ...]
    digit_words: tuple[str, ...] | None
    default_model: str
    samples: tuple[tuple[str, str, int, str], ...]


def _english() -> CorpusLanguage:
    from redactor.evaluation.script import SCENARIOS, random_script

    return CorpusLanguage(
        code="en",
        name="English",
        script=random_script,
        scenarios=SCENARIOS,
        mix=_EN_MIX,
        agent_voices=AGENT_VOICES,
        customer_voices=CUSTOMER_VOICES,
        digit_words=None,
        default_model="tiny.en",
        samples=(
            ("payment", "wav_ulaw", 8000, "mono"),
            ("payment_readback", "wav_alaw", 8000, "stereo"),
            ("health", "flac", 16000, "mono"),
            ("mixed", "mp3", 44100, "stereo"),
            ("plain", "opus", 48000, "mono"),
        ),
    )


def _italian() -> CorpusLanguage:
    from redactor.evaluation.script_it import CIFRE, SCENARIOS_IT, random_script_it

    return CorpusLanguage(
        code="it",
        name="Italian",
        script=random_script_it,
        scenarios=SCENARIOS_IT,
        mix=_IT_MIX,
        agent_voices=IT_AGENT_VOICES,
        customer_voices=IT_CUSTOMER_VOICES,
        digit_words=CIFRE,
        default_model="base",
        samples=(
            ("payment", "wav_ulaw", 8000, "mono"),
            ("fiscal", "wav_alaw", 8000, "stereo"),
            ("health", "flac", 16000, "mono"),
            ("business", "mp3", 44100, "stereo"),
            ("contact", "opus", 48000, "mono"),
        ),
    )


LANGUAGES: dict[str, Callable[[], CorpusLanguage]] = {"en": _english, "it": _italian}


def get_language(code: str) -> CorpusLanguage:
    """The corpus language ``code``; a clear error naming the valid ones otherwise."""
    try:
        return LANGUAGES[code]()
    except KeyError:
        raise ConfigError(
            f"no evaluation corpus for language {code!r}; valid languages: {', '.join(LANGUAGES)}"
        ) from None


def check_model_language(model: str, language: str) -> None:
    """Refuse a model that cannot transcribe ``language`` (tiny.en on Italian calls)."""
    from models.registry import get_model

    spec = get_model(model)
    if not spec.supports(language):
        raise ConfigError(
            f"model {model!r} cannot transcribe language {language!r} (it supports: "
            f"{', '.join(spec.languages)}); use --model base for --language {language}"
        )
