"""The redaction job: decode -> transcribe -> detect -> align -> silence -> verify -> encode.

:class:`Redactor` loads its models once and redacts any number of files. Each file is
decoded, every channel is transcribed on its own, findings from the recognizers and the
fail-closed rules are mapped to anchored intervals, the intervals are silenced in every
channel (the agent's channel carries the customer's echo), the result is listened to again
(:mod:`redactor.verify`), and only a clean result is encoded, atomically, in the original
format. A result that cannot be made clean raises :class:`~redactor.errors.NotCleanError`
and nothing is written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from policies import Policy, load_policy
from policies.redaction import LANGUAGES, RedactionPolicy
from redactor import audio as audio_io
from redactor.detect import Detector, Finding
from redactor.errors import ConfigError
from redactor.lost_spans import dropout_spans, dropped_unheard
from redactor.plan import plan_intervals
from redactor.redecode import (
    AGAIN_BEAM,
    AGAIN_NO_REPEAT,
    BEAM_LANGUAGES,
    redecode_loops,
    redecode_spans,
    surer_decode,
)
from redactor.report import Report, redacted_transcript, report_path_for, write_report
from redactor.spans import merge_spans
from redactor.spelling import normalize_spelling
from redactor.tokens import Token, distrust_repetitions, normalize
from redactor.transcribe import TranscribeOptions, resample_to_16k, transcribe_channel
from redactor.vad import own_voice, sound_regions, speech_regions

__all__ = ["Redactor", "RedactOptions", "ChannelAnalysis"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedactOptions:
    """How to redact. ``policy`` is a loaded :class:`~policies.Policy` (default: the packaged
    ``policies/default.yaml``); ``campaign`` picks its per-campaign overrides."""

    model: str | None = None  # None: the policy's model for the language
    language: str | None = None  # None: the policy's pinned language, else "en"
    policy: Policy | None = None
    campaign: str | None = None
    max_bytes: int = audio_io.DEFAULT_MAX_BYTES
    cpu_threads: int = 0
    transcribe: TranscribeOptions = field(default_factory=TranscribeOptions)


@dataclass
class ChannelAnalysis:
    channel: int
    audio16k: np.ndarray
    tokens: list[Token]
    speech: list[tuple[float, float]]
    findings: list[Finding]
    sound: list[tuple[float, float]] | None = None  # any sound at all (vad.sound_regions)
    redecoded: int = 0  # looped or dropped stretches decoded a second time (redecode.py)
    # regions of a stretch decoded region by region that stayed unheard (redecode.Redecoded)
    unheard: list[tuple[float, float]] = field(default_factory=list)
    # where this channel's own speaker talked, louder than any echo (vad.own_voice)
    voice: list[tuple[float, float]] | None = None

    def sounding(self) -> list[tuple[float, float]]:
        """Where the channel made any sound: its voice activity and the soft sounds voice
        activity missed (``sound``), merged."""
        return merge_spans(sorted(self.speech + (self.sound or [])), 0.0)


class Redactor:
    """Redacts recordings. Create one per process and reuse it: models load once."""

    def __init__(self, options: RedactOptions | None = None):
        from models import get_model, load_whisper
        from models.registry import DEFAULT_MODEL

        self.options = options or RedactOptions()
        policy = self.options.policy or load_policy()
        self.policy: RedactionPolicy = policy.for_campaign(self.options.campaign).redaction
        named = get_model(self.options.model) if self.options.model else None
        language = self.options.language or self.policy.language
        if language is None:
            language = "en" if named is None or named.supports("en") else None
        if language is None:
            raise ConfigError(
                f"model {named.name!r} is multilingual: give a language (for example 'en', 'it')"
            )
        if language not in LANGUAGES:
            raise ConfigError(f"unsupported language {language!r}; valid: {', '.join(LANGUAGES)}")
        spec = named or get_model(self.policy.models.get(language, DEFAULT_MODEL))
        if not spec.supports(language):
            raise ConfigError(
                f"model {spec.name!r} does not support language {language!r}; "
                f"it supports: {', '.join(spec.languages)}"
            )
        self.language = language
        self.model_name = spec.name
        self.model = load_whisper(spec.name, cpu_threads=self.options.cpu_threads)
        self.detector = Detector(self.policy.entities, language, self.policy.min_score)
        self.transcribe_options = TranscribeOptions(
            **{**asdict(self.options.transcribe), "language": language}
        )

    # -- public API ---------------------------------------------------------------------
    def redact_file(self, src: str | Path, dst: str | Path) -> Report:
        """Redact ``src`` into ``dst`` (same format) and write ``dst``'s JSON report beside it.

        Raises :class:`BadInputError` for input we cannot redact and :class:`NotCleanError`
        when verification still hears sensitive content; in both cases nothing is written.
        """
        src, dst = Path(src), Path(dst)
        audio, timings = load_checked(src, dst, self.options.max_bytes)
        return self.redact_decoded(audio, src, dst, timings)

    def redact_decoded(
        self,
        audio: audio_io.Audio,
        src: str | Path,
        dst: str | Path,
        timings: dict[str, float] | None = None,
        language_source: str = "given",
        campaign: str | None = None,
    ) -> Report:
        """:meth:`redact_file` for audio already decoded from ``src`` (the language router
        decodes once to detect the language, then hands the audio here). ``campaign`` names
        the call's campaign in the report when the redactor serves several with the same
        rules (default: the one it was built for)."""
        src, dst = Path(src), Path(dst)
        timings = timings if timings is not None else {}
        redacted, intervals, analyses, verification = self.redact_audio(audio, timings)
        t1 = time.perf_counter()
        audio_io.save(redacted, dst)
        report = Report(
            input=src.name,
            output=dst.name,
            format=asdict(audio.info),
            duration=round(audio.duration, 3),
            intervals=intervals,
            transcript=[redacted_transcript(a, self.policy, intervals) for a in analyses],
            model=self.model_name,
            settings={
                "language": self.language,
                "language_source": language_source,
                "campaign": campaign if campaign is not None else self.options.campaign,
                "transcribe": {
                    k: v for k, v in asdict(self.transcribe_options).items() if k != "extra"
                },
                "redaction": self.policy.model_dump(mode="json"),
            },
            verification=verification,
            timings=timings,
            second_decodes=sum(a.redecoded for a in analyses),
        )
        timings["encode"] = time.perf_counter() - t1
        try:
            write_report(report, report_path_for(dst))
        except BaseException:
            dst.unlink(missing_ok=True)
            raise
        return report

    def redact_audio(self, audio: audio_io.Audio, timings: dict | None = None):
        """Redact decoded audio in memory; returns (audio, intervals, analyses, verification)."""
        from redactor.silence import silence
        from redactor.verify import verify

        timings = timings if timings is not None else {}
        t = time.perf_counter()
        analyses = self._analyse(audio, timings)
        intervals, windows = self._intervals(analyses)
        timings["align"] = time.perf_counter() - t - timings.get("transcribe", 0.0)
        t = time.perf_counter()
        out = silence(audio, intervals, self.policy)
        verification, intervals, out = verify(self, audio, out, analyses, intervals, windows)
        timings["verify"] = time.perf_counter() - t
        return out, intervals, analyses, verification

    # -- steps ------------------------------------------------------------------------
    def _analyse(self, audio, timings: dict) -> list[ChannelAnalysis]:
        """Transcribe every channel, and meanwhile, in a side thread, find each channel's
        voice activity and, once its words are in, its findings: only recognition is on
        the critical path (:data:`~redactor.transcribe.ASR_LANE`)."""
        from concurrent.futures import ThreadPoolExecutor

        a16s = [
            resample_to_16k(audio.channel_float(c), audio.sample_rate)
            for c in range(audio.channels)
        ]
        with ThreadPoolExecutor(1, thread_name_prefix="analyse") as side:
            speech = [side.submit(speech_regions, a) for a in a16s]
            sound = [side.submit(sound_regions, a) for a in a16s]
            heard, fixed, unheard = {}, {}, {}
            t = time.perf_counter()
            for c, a16 in enumerate(a16s):
                words, _segments = transcribe_channel(self.model, a16, c, self.transcribe_options)
                again = redecode_loops(
                    words, a16, c, self.language, speech[c].result(), self._again(c)
                )
                heard[c], fixed[c], unheard[c] = again.words, again.fixed, again.unheard
            regions = {c: speech[c].result() for c in heard}
            voice = dict(enumerate(own_voice(a16s, [regions[c] for c in sorted(regions)])))
            for c, a16 in enumerate(a16s):
                # looked for again per channel: a gap one channel's second decode filled is
                # no dropout for the next
                lost = [(s, e) for ch, s, e in dropout_spans(heard, regions, voice=voice)
                        if ch == c]  # fmt: skip
                judged = dropped_unheard(heard, regions[c], own=heard[c], voice=voice[c])
                again = redecode_spans(
                    heard[c], a16, c, self.language, regions[c], self._again(c), lost, judged
                )
                heard[c] = again.words
                fixed[c] += again.fixed
                unheard[c] += again.unheard
            timings["transcribe"] = timings.get("transcribe", 0.0) + time.perf_counter() - t
            found = [side.submit(self._findings, heard[c], c) for c in heard]
            out = []
            for c, a16 in enumerate(a16s):
                tokens, findings = found[c].result()
                out.append(
                    ChannelAnalysis(
                        c,
                        a16,
                        tokens,
                        speech[c].result(),
                        findings,
                        sound[c].result(),
                        fixed[c],
                        unheard[c],
                        voice[c],
                    )
                )
            return out

    def _again(self, channel: int):
        """Decode a clip of ``channel`` once more, as the first decode did but barred from
        repeating itself (:data:`~redactor.redecode.AGAIN_NO_REPEAT`), and with beam search
        too (:data:`~redactor.redecode.AGAIN_BEAM`): the surer of the two decodes'
        words (:func:`~redactor.redecode.surer_decode`). The clip is one the first decode
        looped on or dropped, a few seconds of a call: searching there costs little."""
        extra = {**self.transcribe_options.extra, "no_repeat_ngram_size": AGAIN_NO_REPEAT}
        options = replace(self.transcribe_options, extra=extra)
        beam = AGAIN_BEAM if self.language in BEAM_LANGUAGES else options.beam_size
        searched = replace(options, beam_size=max(options.beam_size, beam))

        def decode(clip):
            words, _segments = transcribe_channel(self.model, clip, channel, options)
            if searched == options:
                return words
            beam, _segments = transcribe_channel(self.model, clip, channel, searched)
            return surer_decode(words, beam)

        return decode

    def _findings(self, words, channel: int) -> tuple[list[Token], list[Finding]]:
        tokens = normalize_spelling(normalize(words, self.language), self.language)
        tokens = distrust_repetitions(tokens)
        return tokens, self.detector.detect(tokens, channel)

    def _intervals(self, analyses: list[ChannelAnalysis]):
        """What to silence, and the payment windows it was judged in (:mod:`redactor.plan`)."""
        return plan_intervals(analyses, self.policy, self.language)


def load_checked(src: Path, dst: Path, max_bytes: int) -> tuple[audio_io.Audio, dict]:
    """Decode ``src`` for redaction into ``dst`` (refusing an output that would overwrite
    the input), with the decode time in a fresh timings dict."""
    if src.resolve() == dst.resolve():
        raise ConfigError(f"{dst}: output would overwrite the input; choose another path")
    t0 = time.perf_counter()
    audio = audio_io.load(src, max_bytes=max_bytes)
    return audio, {"decode": time.perf_counter() - t0}
