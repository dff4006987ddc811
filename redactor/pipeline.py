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
from policies.redaction import ENTITY_TYPES, LANGUAGES, RedactionPolicy
from redactor import audio as audio_io
from redactor.align import (
    Interval,
    bridge_gaps,
    clip_to_speech,
    crosses_pause,
    explained_elsewhere,
    finding_interval,
    merge_intervals,
    since_last_turn,
    speech_cores,
    subtract_explained,
    subtract_spans,
    until_next_turn,
)
from redactor.detect import Detector, Finding
from redactor.errors import ConfigError
from redactor.failclosed import (
    answered_numbers,
    bridge_in_windows,
    contact_windows,
    distrust_loops,
    dropout_windows,
    explains,
    health_context_findings,
    keep_in_context,
    long_numbers,
    loop_windows,
    numbers_in_payment,
    payment_windows,
    solo_speech,
    unexplained_speech,
    unheard_to_redact,
)
from redactor.health_answers import after_yes_no, expand_health
from redactor.recognizers import luhn_ok
from redactor.redecode import dropout_spans, redecode_loops, redecode_spans
from redactor.report import Report, report_path_for, write_report
from redactor.scattered import long_number_lead_ins, scattered_numbers
from redactor.spelling import normalize_spelling
from redactor.tokens import Token, distrust_repetitions, normalize
from redactor.transcribe import TranscribeOptions, resample_to_16k, transcribe_channel
from redactor.turns import unwritten_turns
from redactor.unheard import _plausible_start
from redactor.vad import sound_regions, speech_regions

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
            transcript=[_redacted_transcript(a, self.policy) for a in analyses],
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
            heard = {}
            t = time.perf_counter()
            for c, a16 in enumerate(a16s):
                words, _segments = transcribe_channel(self.model, a16, c, self.transcribe_options)
                heard[c], _fixed = redecode_loops(
                    words, a16, c, self.language, speech[c].result(), self._again(c)
                )
            regions = {c: speech[c].result() for c in heard}
            for c, a16 in enumerate(a16s):
                # looked for again per channel: a gap one channel's second decode filled is
                # no dropout for the next
                lost = [(s, e) for ch, s, e in dropout_spans(heard, regions) if ch == c]
                heard[c], _fixed = redecode_spans(
                    heard[c], a16, c, self.language, regions[c], self._again(c), lost
                )
            timings["transcribe"] = timings.get("transcribe", 0.0) + time.perf_counter() - t
            found = [side.submit(self._findings, heard[c], c) for c in heard]
            out = []
            for c, a16 in enumerate(a16s):
                tokens, findings = found[c].result()
                out.append(
                    ChannelAnalysis(c, a16, tokens, speech[c].result(), findings, sound[c].result())
                )
            return out

    def _again(self, channel: int):
        """Decode a clip of ``channel`` once more, as the first decode did: its words."""

        def decode(clip):
            words, _segments = transcribe_channel(
                self.model, clip, channel, self.transcribe_options
            )
            return words

        return decode

    def _findings(self, words, channel: int) -> tuple[list[Token], list[Finding]]:
        tokens = normalize_spelling(normalize(words, self.language), self.language)
        tokens = distrust_repetitions(tokens)
        return tokens, self.detector.detect(tokens, channel)

    def _intervals(self, analyses: list[ChannelAnalysis]):
        """Findings (recognizers + fail-closed rules) of every channel as merged intervals,
        and the payment windows they were judged in."""
        policy = self.policy
        loops = [w for a in analyses for w in loop_windows(a.tokens)]
        for a in analyses:
            a.tokens = distrust_loops(a.tokens)
        timeline = sorted((t for a in analyses for t in a.tokens), key=lambda t: t.start)
        all_findings = [f for a in analyses for f in a.findings]
        windows = payment_windows(timeline, all_findings, policy, self.language) + loops
        windows += [w for a in analyses
                    for w in dropout_windows(a.speech, timeline, policy.payment_answer_seconds)]  # fmt: skip
        heard = [(f.start, f.end) for f in all_findings if f.entity_type == "HEALTH"]
        answers = contact_windows(timeline, policy, self.language, terms=heard)
        speech_of = {a.channel: a.speech for a in analyses}
        sure = max(policy.low_confidence, 0.7)
        answers = [
            replace(w, start=after_yes_no(w.start, w.end, timeline, speech_of, self.language, sure))
            if w.entity_type == "HEALTH" else w
            for w in answers
        ]  # fmt: skip
        health_ctx = [(w.start - 1.0, w.end + 25.0) for w in answers if w.entity_type == "HEALTH"]
        health_ctx += [
            (f.start - 25.0, f.end + 25.0) for f in all_findings if f.entity_type == "HEALTH"
        ]
        for a in analyses:
            extra = numbers_in_payment(a.tokens, a.channel, windows, self.language)
            extra += long_numbers(a.tokens, a.channel, policy.redact_long_numbers, self.language)
            extra += scattered_numbers(a.tokens, a.channel, self.language)
            extra = long_number_lead_ins(extra, a.tokens, self.language)
            extra += answered_numbers(
                a.tokens, a.channel, timeline, policy.low_confidence, self.language
            )
            extra += health_context_findings(
                a.tokens, a.channel, health_ctx, self.language, terms=a.findings
            )
            found = keep_in_context(a.findings + extra, a.tokens, windows, self.language)
            a.findings = expand_health(a.tokens, found, self.language)
        allowed = set(policy.entities)
        intervals: list[Interval] = []
        agent = policy.agent_channel if len(analyses) == 2 else None
        solo = []  # the agent talking alone (two-channel calls)
        kept_solo = []  # ... and kept audible when unexplained (not a turn ASR lost)
        if agent is not None:
            solo = solo_speech(analyses[agent].speech, analyses[1 - agent].speech)
            # where the agent's channel wrote nothing, a read-back could not be found
            kept_solo = subtract_spans(
                solo, unwritten_turns(solo, analyses[agent].tokens, self.language)
            )
        readbacks: list[Interval] = []  # findings in the agent's solo speech
        sensitive_of = {a.channel: {k for f in a.findings if f.entity_type in allowed
                                    for k in range(f.first, f.last + 1)} for a in analyses}  # fmt: skip
        for a in analyses:
            kept = [f for f in a.findings if f.entity_type in allowed]
            sensitive = sensitive_of[a.channel]
            heard_elsewhere = explained_elsewhere(  # the other channel's words (align.py)
                [(b.tokens, b.speech, sensitive_of[b.channel]) for b in analyses if b is not a],
                [(w.start, w.end) for w in windows], policy.keep_word_confidence, self.language,
            )  # fmt: skip
            for f in kept:
                span = finding_interval(
                    f, a.tokens, sensitive, policy.low_confidence,
                    policy.pad_before, policy.pad_after, speech=a.speech,
                )  # fmt: skip
                if _complete_card(f):  # no unheard last digit to reach for
                    region = max((e for s, e in a.speech if s <= f.end - 0.05 < e), default=f.end)
                    span = (span[0], min(span[1], max(region, f.end) + policy.pad_after))
                own = [_core(t) for t in a.tokens[f.first : f.last + 1]]
                stamped = [(t.start, t.end) for t in a.tokens[f.first : f.last + 1]]
                cores = speech_cores(own, a.speech, stamped, a.sound)
                echo = a.channel == agent and _share(cores, solo) <= 0.5
                if echo:
                    # the customer's echo on the agent's channel: the agent talking alone is
                    # the agent's question, neither part of the finding nor of its tokens
                    cores = speech_cores(own, subtract_spans(a.speech, solo), stamped, a.sound)
                elif a.channel == agent:
                    readbacks += [Interval(s, e, a.channel, f.entity_type, f.score,
                                           f.recognizer) for s, e in cores]  # fmt: skip
                pieces = clip_to_speech(span, a.speech, cores, policy.pad_before, policy.pad_after)
                pieces = bridge_gaps(
                    pieces, f.start, f.end, policy.utterance_gap, policy.pad_after, tail=0.35
                )
                if echo:
                    pieces = subtract_spans(pieces, solo)
                elif agent is not None and a.channel != agent:
                    pieces = until_next_turn(pieces, max(e for _s, e in stamped), solo)
                    pieces = since_last_turn(pieces, min(s for s, _e in stamped), solo)
                explained = [
                    (t.start, t.end)
                    for k, t in enumerate(a.tokens)
                    if k not in sensitive
                    and explains(t, policy.keep_word_confidence, self.language)
                    and t.end > span[0] and t.start < span[1]
                    and not crosses_pause(t.start, t.end, a.speech)
                ] + [(s, e) for s, e in heard_elsewhere if e > span[0] and s < span[1]]  # fmt: skip
                for s, e in subtract_explained(
                    pieces, explained, cores, policy.pad_before, policy.pad_after
                ):
                    intervals.append(
                        Interval(s, e, a.channel, f.entity_type, f.score, f.recognizer)
                    )
        for w in answers:
            if w.entity_type not in allowed:
                continue
            for a in analyses:
                spoken = [(max(s, w.start), min(e, w.end)) for s, e in a.speech
                          if s < w.end and e > w.start]  # fmt: skip
                if a.channel == agent:  # the agent talking alone is not answering
                    spoken = subtract_spans(spoken, solo)
                for s, e in spoken:
                    intervals.append(
                        Interval(s, e, a.channel, w.entity_type, 0.5, "AnswerWindowRule")
                    )
        if "PAYMENT_UNHEARD" in allowed:
            found = [(iv.start, iv.end) for iv in intervals]  # findings, not other unheard
            for a in analyses:
                # a region any channel's words explain is explained (the echo of the other
                # speaker on the agent channel is never transcribed there)
                unheard = unexplained_speech(
                    a.speech, timeline, policy.explain_confidence, language=self.language,
                    sure=policy.guessed_confidence(self.language),
                )  # fmt: skip
                for s, e in unheard_to_redact(
                    unheard, windows, found, policy,
                    solo=kept_solo if a.channel == agent else (),
                    readbacks=[(iv.start, iv.end) for iv in readbacks],
                ):  # fmt: skip
                    intervals.append(
                        Interval(s, e, a.channel, "PAYMENT_UNHEARD", 0.5, "UnexplainedSpeechRule")
                    )
        merged = merge_intervals(intervals, policy.merge_gap)
        tokens = {a.channel: a.tokens for a in analyses}
        bridged = bridge_in_windows(merged, windows, policy.payment_bridge, tokens, self.language)
        return bridged, windows


def _complete_card(f: Finding) -> bool:
    """A card number heard whole: 15 or 16 digits that pass the Luhn check. Its anchor gap
    after the last digit (room for a digit the recogniser did not write) only silenced the
    customer's "yes, that's right" after a read-back."""
    digits = "".join(ch for ch in f.text if ch.isdigit())
    return f.entity_type == "CREDIT_CARD" and len(digits) in (15, 16) and luhn_ok(digits)


def _share(spans: list[tuple[float, float]], others: list[tuple[float, float]]) -> float:
    """The share of the total length of ``spans`` that lies inside ``others``."""
    total = sum(b - a for a, b in spans)
    inside = sum(max(0.0, min(b, d) - max(a, c)) for a, b in spans for c, d in others)
    return inside / total if total > 0 else 0.0


def load_checked(src: Path, dst: Path, max_bytes: int) -> tuple[audio_io.Audio, dict]:
    """Decode ``src`` for redaction into ``dst`` (refusing an output that would overwrite
    the input), with the decode time in a fresh timings dict."""
    if src.resolve() == dst.resolve():
        raise ConfigError(f"{dst}: output would overwrite the input; choose another path")
    t0 = time.perf_counter()
    audio = audio_io.load(src, max_bytes=max_bytes)
    return audio, {"decode": time.perf_counter() - t0}


def _core(tok: Token) -> tuple[float, float]:
    """A token's own time span, cut to a plausible length: ASR stretches a word's start back
    over the silence (or the other speaker's turn) before it."""
    return _plausible_start(tok), tok.end


def _redacted_transcript(a: ChannelAnalysis, policy: RedactionPolicy) -> dict:
    allowed = set(policy.entities)
    label_at: dict[int, str] = {}
    covered: set[int] = set()
    for f in sorted(a.findings, key=lambda f: (f.first, -f.score)):
        if f.entity_type not in allowed or f.first in covered:
            continue
        label_at[f.first] = ENTITY_TYPES.get(f.entity_type, "[REDACTED]")
        covered.update(range(f.first, f.last + 1))
    words = []
    for i, tok in enumerate(a.tokens):
        if i in label_at:
            words.append(label_at[i])
        elif i not in covered:
            words.append(tok.raw)
    return {"channel": a.channel, "text": " ".join(words)}
