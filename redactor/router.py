"""One entry point for calls in any language the policy redacts.

A call's language comes from, in order: the campaign's pinned language, the telephony
metadata, else the multilingual model listening to the start of the call
(:func:`policies.redaction.choose_language` makes that decision). Each language is then heard
by its own model (``tiny.en`` for English, ``base`` for Italian by default) with its own
recognizers, so the router keeps one :class:`~redactor.pipeline.Redactor` per language and
campaign, built on first use; Whisper models load once per process and are shared.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from policies import load_policy
from policies.redaction import choose_language
from redactor import audio as audio_io
from redactor.errors import ConfigError
from redactor.pipeline import RedactOptions, Redactor, load_checked
from redactor.report import Report

__all__ = ["LanguageRouter", "Detection", "DETECT_SECONDS"]

# Whisper detects a language from one 30 s window; the start of a call (greeting, request)
# is the most telling part and keeps detection cheap on long calls.
DETECT_SECONDS = 30.0


@dataclass(frozen=True)
class Detection:
    """The language the model heard, its probability among the policy's languages, and
    every candidate's probability (for the report)."""

    language: str
    probability: float
    candidates: dict[str, float]


class LanguageRouter:
    """Redacts files in the language each call is in. Create one per process.

    ``options`` are the defaults for every call; an explicit ``options.model`` is used for
    every language it supports (a ``*.en`` model pins English), an explicit
    ``options.language`` pins the language for every call.
    """

    def __init__(self, options: RedactOptions | None = None):
        self.options = options or RedactOptions()
        self.policy = self.options.policy or load_policy()
        self._redactors: dict[tuple[str, str], Redactor] = {}
        self._lock = threading.Lock()
        if self.options.model and self.options.language is None:
            from models import get_model

            spec = get_model(self.options.model)
            if not spec.multilingual:
                self.options = replace(self.options, language=spec.languages[0])

    def redactor(self, language: str, campaign: str | None = None) -> Redactor:
        """The redactor for ``language`` under ``campaign``'s rules, built once per distinct
        set of rules: campaigns without redaction overrides share one (one NLP pipeline and
        recognizer registry each, not one per campaign)."""
        rules = self._rules(campaign)
        key = (language, rules.model_dump_json())
        with self._lock:
            r = self._redactors.get(key)
            if r is None:
                own = self.policy.model_copy(update={"redaction": rules, "campaigns": {}})
                opts = replace(self.options, language=language, campaign=None, policy=own)
                r = self._redactors[key] = Redactor(opts)
            return r

    def warm_up(self, campaign: str | None = None) -> None:
        """Load the models a call is most likely to need (worker start, not first call)."""
        language, _ = self._choose(campaign, None)
        for lang in [language] if language else self._rules(campaign).languages:
            self.redactor(lang, campaign)
        if language is None:
            self._detector_model(campaign)

    def redact_file(
        self,
        src: str | Path,
        dst: str | Path,
        *,
        language: str | None = None,
        campaign: str | None = None,
    ) -> Report:
        """Redact ``src`` into ``dst``; ``language`` is the call's metadata (may be None).

        Raises what :meth:`Redactor.redact_file` raises; nothing is written on failure.
        """
        src, dst = Path(src), Path(dst)
        audio, timings = load_checked(src, dst, self.options.max_bytes)
        chosen, source = self._choose(campaign, language)
        if chosen is None:
            t1 = time.perf_counter()
            found = self.detect(audio, campaign)
            timings["language"] = time.perf_counter() - t1
            chosen, source = found.language, f"detected (p={found.probability:.2f})"
        return self.redactor(chosen, campaign).redact_decoded(
            audio, src, dst, timings, language_source=source, campaign=campaign
        )

    def detect(self, audio: audio_io.Audio, campaign: str | None = None) -> Detection:
        """Listen to the start of ``audio`` (all channels mixed) and pick the most likely of
        the policy's languages."""
        from redactor.transcribe import ASR_LANE, resample_to_16k

        rules = self._rules(campaign)
        n = int(DETECT_SECONDS * audio.sample_rate)
        mono = np.mean([audio.channel_float(c)[:n] for c in range(audio.channels)], axis=0)
        a16 = resample_to_16k(mono.astype(np.float32), audio.sample_rate)
        model = self._detector_model(campaign)
        with ASR_LANE:
            _, _, probs = model.detect_language(audio=a16)
        scores = {lang: p for lang, p in probs if lang in rules.languages}
        if not scores:  # the model knows none of them: cannot happen with a validated policy
            raise ConfigError(f"model cannot detect any of {', '.join(rules.languages)}")
        total = sum(scores.values()) or 1.0
        best = max(scores, key=scores.get)
        return Detection(
            best, scores[best] / total, {k: round(v / total, 4) for k, v in scores.items()}
        )

    # -- helpers -----------------------------------------------------------------------
    def _rules(self, campaign: str | None):
        return self.policy.for_campaign(campaign).redaction

    def _choose(self, campaign: str | None, metadata: str | None) -> tuple[str | None, str]:
        if self.options.language:
            return self.options.language, "given"
        return choose_language(self._rules(campaign), metadata)

    def _detector_model(self, campaign: str | None):
        from models import get_model, load_whisper

        name = self.options.model or self._rules(campaign).detect_model
        if not get_model(name).multilingual:
            raise ConfigError(f"model {name!r} cannot detect a language; give --language")
        return load_whisper(name, cpu_threads=self.options.cpu_threads)
