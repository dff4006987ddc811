"""Voice activity with Silero VAD (the ONNX model that ships inside faster-whisper)."""

from __future__ import annotations

import numpy as np

from redactor.transcribe import SAMPLE_RATE

__all__ = ["speech_regions"]


def speech_regions(audio16k: np.ndarray, threshold: float = 0.35) -> list[tuple[float, float]]:
    """Speech regions in seconds. A low threshold and short minimums: for redaction, a
    missed region is a leak, while an extra one only matters near a finding."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio16k.size == 0:
        return []
    opts = VadOptions(
        threshold=threshold,
        min_speech_duration_ms=60,
        min_silence_duration_ms=120,
        speech_pad_ms=20,
    )
    stamps = get_speech_timestamps(audio16k, opts, sampling_rate=SAMPLE_RATE)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]
