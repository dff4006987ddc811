"""Listen again: re-transcribe around and between the redactions, extend, or refuse.

The audible regions around every redaction (``VERIFY_MARGIN`` seconds each side; a gap
between two close redactions is covered whole) are cut from the redacted audio - the
silenced parts themselves are left out, there is nothing to hear in them - joined with short
silences into one clip per channel and transcribed in a single pass: one encoder window for
many short regions instead of one per region. Anything the recognizers or the
payment rules still find there is mapped back to the original time line, its speech region
is added to the redactions, and we listen again, up to ``MAX_ROUNDS`` times. If sensitive
content is still heard after that, :class:`~redactor.errors.NotCleanError` is raised: the
caller quarantines the recording and never writes it out as clean.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from redactor.align import Interval, merge_intervals, merge_spans
from redactor.errors import NotCleanError
from redactor.failclosed import numbers_in_payment
from redactor.recognizers.health import TRIGGER_NAME
from redactor.silence import silence, silence_array
from redactor.tokens import normalize
from redactor.transcribe import SAMPLE_RATE, TranscribeOptions, transcribe_channel

__all__ = ["verify", "VERIFY_MARGIN", "MAX_ROUNDS"]

VERIFY_MARGIN = 1.5
VERIFY_REACH = 1.0  # how far around a finding heard again the redaction is extended
MAX_ROUNDS = 2
_GAP = 0.6  # silence between joined regions, seconds


def verify(redactor, original, redacted, analyses, intervals: list[Interval], windows=()):
    """Return (verification summary, final intervals, final audio)."""
    policy = redactor.policy
    if policy.verify == "off" or not intervals:
        return {"mode": policy.verify, "rounds": 0, "extended": 0}, intervals, redacted
    # Without word timestamps: a third cheaper, and a finding only needs locating to its
    # segment; the extension below is generous to make up for it.
    opts = TranscribeOptions(**{**asdict(redactor.transcribe_options), "word_timestamps": False})
    extended = 0
    for round_no in range(1, MAX_ROUNDS + 2):
        new = _listen(redactor, analyses, intervals, opts, policy, list(windows))
        if not new:
            return (
                {"mode": policy.verify, "rounds": round_no, "extended": extended, "clean": True},
                intervals,
                redacted,
            )
        if round_no > MAX_ROUNDS:
            kinds = sorted({iv.entity_type for iv in new})
            raise NotCleanError(
                f"verification still hears {', '.join(kinds)} after {MAX_ROUNDS} extensions"
            )
        extended += len(new)
        intervals = merge_intervals(intervals + new, policy.merge_gap)
        redacted = silence(original, intervals, policy)
    raise AssertionError("unreachable")  # pragma: no cover


def _listen(redactor, analyses, intervals, opts, policy, windows) -> list[Interval]:
    new: list[Interval] = []
    for a in analyses:
        audio = a.audio16k.copy()
        duration = len(audio) / SAMPLE_RATE
        for iv in intervals:
            silence_array(audio, SAMPLE_RATE, iv.start, iv.end)
        regions = _audible_margins(intervals, duration)
        clip, offsets = _join(audio, regions)
        if clip.size == 0:
            continue
        words, _ = transcribe_channel(redactor.model, clip, a.channel, opts)
        words = [_shift(w, offsets) for w in words]
        tokens = normalize(sorted(words, key=lambda w: w.start), redactor.language)
        findings = redactor.detector.detect(tokens, a.channel)
        findings += numbers_in_payment(tokens, a.channel, windows, redactor.language)
        allowed = set(policy.entities)
        for f in findings:
            if f.entity_type not in allowed or f.recognizer == TRIGGER_NAME:
                # a kept lead-in ("diagnosed with") next to a silenced term is not a leak
                continue
            if _inside(f.start, f.end, intervals):
                continue  # heard inside silence: a hallucination, nothing is audible there
            spans = [(f.start - VERIFY_REACH, f.end + VERIFY_REACH)]
            spans += [(s, e) for s, e in a.speech if s < f.end and e > f.start]
            s, e = merge_spans(spans, gap=0.0)[0][0], max(x[1] for x in spans)
            new.append(Interval(max(0.0, s), e, a.channel, f.entity_type, f.score,
                                f"verify:{f.recognizer}"))  # fmt: skip
    return new


def _audible_margins(intervals: list[Interval], duration: float) -> list[tuple[float, float]]:
    """The unsilenced audio within VERIFY_MARGIN of any redaction."""
    silenced = merge_spans([(iv.start, iv.end) for iv in intervals], gap=0.0)
    around = merge_spans(
        [(max(0.0, s - VERIFY_MARGIN), min(duration, e + VERIFY_MARGIN)) for s, e in silenced],
        gap=0.0,
    )
    out = []
    for a, b in around:
        cur = a
        for s, e in silenced:
            if e <= cur or s >= b:
                continue
            if s > cur:
                out.append((cur, s))
            cur = max(cur, e)
        if cur < b:
            out.append((cur, b))
    return [(a, b) for a, b in out if b - a >= 0.05]


def _inside(s: float, e: float, intervals: list[Interval], tolerance: float = 0.1) -> bool:
    return any(iv.start - tolerance <= s and e <= iv.end + tolerance for iv in intervals)


def _join(audio: np.ndarray, regions):
    pieces, offsets, t = [], [], 0.0
    gap = np.zeros(int(_GAP * SAMPLE_RATE), dtype=np.float32)
    for s, e in regions:
        seg = audio[int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)]
        if seg.size == 0:
            continue
        offsets.append((t, t + seg.size / SAMPLE_RATE, s))
        pieces += [seg, gap]
        t += seg.size / SAMPLE_RATE + _GAP
    if not pieces:
        return np.zeros(0, dtype=np.float32), []
    return np.concatenate(pieces).astype(np.float32), offsets


def _shift(word, offsets):
    from redactor.transcribe import Word

    for c0, c1, orig in offsets:
        if word.start < c1 + _GAP / 2:
            start = orig + max(0.0, word.start - c0)
            end = orig + max(0.0, min(word.end, c1) - c0)
            return Word(word.text, start, max(start, end), word.probability, word.channel,
                        word.segment)  # fmt: skip
    c0, c1, orig = offsets[-1]
    return Word(word.text, orig + word.start - c0, orig + word.end - c0, word.probability,
                word.channel, word.segment)  # fmt: skip
