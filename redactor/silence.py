"""Silence (or tone over) intervals of decoded audio."""

from __future__ import annotations

import numpy as np

from policies.redaction import RedactionPolicy
from redactor.align import Interval
from redactor.audio import Audio

__all__ = ["silence", "silence_array"]

_RAMP_S = 0.005  # a 5 ms fade at each edge, inside the padded interval, avoids clicks


def silence(audio: Audio, intervals: list[Interval], policy: RedactionPolicy) -> Audio:
    """Return a copy of ``audio`` with every interval silenced (in every channel by default)."""
    out = audio.samples.copy()
    rate = audio.sample_rate
    for iv in intervals:
        channels = range(out.shape[1]) if policy.all_channels else [iv.channel]
        for c in channels:
            out[:, c] = silence_array(out[:, c], rate, iv.start, iv.end, policy)
    return Audio(samples=out, info=audio.info)


def silence_array(
    x: np.ndarray, rate: int, start: float, end: float, policy: RedactionPolicy | None = None
) -> np.ndarray:
    """Silence ``[start, end)`` of one channel (int16 or float) in place and return it."""
    a = max(0, int(np.floor(start * rate)))
    b = min(len(x), int(np.ceil(end * rate)))
    if b <= a:
        return x
    ramp = min(int(_RAMP_S * rate), (b - a) // 4)
    if ramp > 0:
        fade = np.linspace(1.0, 0.0, ramp, endpoint=False)
        x[a : a + ramp] = (x[a : a + ramp] * fade).astype(x.dtype)
        x[b - ramp : b] = (x[b - ramp : b] * fade[::-1]).astype(x.dtype)
        a, b = a + ramp, b - ramp
    if policy is not None and policy.method == "tone":
        t = np.arange(b - a) / rate
        amp = 0.1 * (32767 if x.dtype == np.int16 else 1.0)
        x[a:b] = (amp * np.sin(2 * np.pi * policy.tone_hz * t)).astype(x.dtype)
    else:
        x[a:b] = 0
    return x
