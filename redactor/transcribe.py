"""Speech to timed words with faster-whisper, one channel at a time, fully offline.

Decoding settings were chosen by measurement on call audio (see ``docs/asr-settings.md``):

* ``temperature=0`` only, no fallback: the fallback re-decodes whole 30 s windows at higher
  temperatures when a window looks repetitive, which on telephone audio with long digit runs
  happens often, multiplies the cost and produces *more* hallucinated text, not less.
* ``condition_on_previous_text=False``: conditioning carries a repetition loop from one window
  into the next ("4 4 4 4 ..."), the classic failure on digit-heavy calls.
* greedy decoding (``beam_size=1``): beam search costs about 2x and did not find more digits.
* ``word_timestamps=True``: needed for alignment; the cross-attention alignment it adds is
  cheap once the fallback is off.
* no ``vad_filter`` on the main pass: we run Silero VAD ourselves (see :mod:`redactor.vad`)
  and need the words on the original time line; whisper's own chunking clips word edges.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = [
    "Word",
    "Segment",
    "TranscribeOptions",
    "transcribe_channel",
    "SAMPLE_RATE",
    "ASR_LANE",
    "AsrLane",
]

SAMPLE_RATE = 16000


class AsrLane:
    """One speech recogniser at a time per process, whatever the number of threads.

    A worker overlaps its other stages (download, decoding, voice activity, detection,
    encoding, sealing, upload, catalog) with recognition in other threads, but recognition
    itself is the one CPU-bound lane: a worker uses the CPU threads it was given for ASR,
    never twice that. Every Whisper call (transcription, verification, language detection)
    holds it. It also keeps, per thread, the seconds that thread held it (a job's ASR
    time, for metrics: :meth:`take_seconds`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()

    def __enter__(self) -> AsrLane:
        self._lock.acquire()
        self._local.since = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        held = time.perf_counter() - self._local.since
        self._local.seconds = getattr(self._local, "seconds", 0.0) + held
        self._lock.release()

    def take_seconds(self) -> float:
        """Seconds this thread held the lane since its last call (and reset the count)."""
        seconds = getattr(self._local, "seconds", 0.0)
        self._local.seconds = 0.0
        return seconds


ASR_LANE = AsrLane()


@dataclass(frozen=True)
class Word:
    """One recognised word on the original time line (seconds)."""

    text: str
    start: float
    end: float
    probability: float
    channel: int
    segment: int  # index of the whisper segment it came from


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float
    channel: int
    avg_logprob: float
    no_speech_prob: float


@dataclass(frozen=True)
class TranscribeOptions:
    """faster-whisper decoding settings (see module docstring for why these defaults)."""

    language: str | None = "en"
    beam_size: int = 1
    temperature: float = 0.0
    condition_on_previous_text: bool = False
    word_timestamps: bool = True
    no_speech_threshold: float = 0.6
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    initial_prompt: str | None = None
    suppress_blank: bool = True
    hotwords: str | None = None
    extra: dict = field(default_factory=dict)

    def as_kwargs(self) -> dict:
        kw = asdict(self)
        extra = kw.pop("extra")
        kw["temperature"] = [self.temperature]
        kw.update(extra)
        return kw


def transcribe_channel(
    model, audio16k: np.ndarray, channel: int, options: TranscribeOptions
) -> tuple[list[Word], list[Segment]]:
    """Transcribe one channel (float32 mono at 16 kHz) into words and segments."""
    with ASR_LANE:  # segments decode lazily: the whole iteration is recognition
        segments_iter, _info = model.transcribe(audio16k, **options.as_kwargs())
        decoded = list(segments_iter)
    words: list[Word] = []
    segments: list[Segment] = []
    for idx, seg in enumerate(decoded):
        segments.append(
            Segment(
                text=seg.text.strip(),
                start=float(seg.start),
                end=float(seg.end),
                channel=channel,
                avg_logprob=float(seg.avg_logprob),
                no_speech_prob=float(seg.no_speech_prob),
            )
        )
        if not options.word_timestamps:
            words += _spread(seg.text, float(seg.start), float(seg.end), channel, idx)
            continue
        for w in seg.words or ():
            text = w.word.strip()
            if not text:
                continue
            words.append(
                Word(
                    text=text,
                    start=float(w.start),
                    end=float(w.end),
                    probability=float(w.probability),
                    channel=channel,
                    segment=idx,
                )
            )
    return words, segments


def _spread(text: str, start: float, end: float, channel: int, segment: int) -> list[Word]:
    """Words of a segment decoded without word timestamps, spread evenly over its span:
    approximate times, good enough to say *which region* still holds something."""
    parts = text.split()
    if not parts:
        return []
    step = max(end - start, 0.01) / len(parts)
    return [
        Word(p, start + i * step, start + (i + 1) * step, 0.5, channel, segment)
        for i, p in enumerate(parts)
    ]


def resample_to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample float32 mono audio to 16 kHz (polyphase-free linear+FIR via numpy).

    Telephony audio is 8 kHz; upsampling by interpolation is exact enough for ASR. For
    higher rates we low-pass with a windowed-sinc FIR before decimating so speech above
    8 kHz does not alias into the band whisper listens to.
    """
    if rate == SAMPLE_RATE:
        return samples.astype(np.float32, copy=False)
    n_out = int(round(len(samples) * SAMPLE_RATE / rate))
    if rate > SAMPLE_RATE:
        cutoff = 0.5 * SAMPLE_RATE / rate * 0.95
        taps = 101
        t = np.arange(taps) - (taps - 1) / 2
        kernel = 2 * cutoff * np.sinc(2 * cutoff * t) * np.hamming(taps)
        kernel /= kernel.sum()
        samples = np.convolve(samples, kernel, mode="same")
    x_old = np.arange(len(samples), dtype=np.float64) / rate
    x_new = np.arange(n_out, dtype=np.float64) / SAMPLE_RATE
    return np.interp(x_new, x_old, samples).astype(np.float32)
