"""Silence time spans of a file and write it back in its own format.

Used by the do-it-yourself baseline (mute the words Presidio flagged) and by the reference
redactors that calibrate the scorer: the *oracle* mutes exactly the ground truth and must
leak nothing; the *null* redactor copies the file and must leak everything.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from redactor.evaluation.audio_io import decode, encode, format_for_path, probe

__all__ = ["mute_spans", "oracle_redact", "null_redact"]


def mute_spans(
    src: str | Path,
    dst: str | Path,
    spans: Iterable[tuple[float, float, tuple[int, ...] | None]],
) -> Path:
    """Write ``src`` to ``dst`` (same format and rate) with each ``(start, end, channels)``
    zeroed; ``channels=None`` mutes every channel."""
    info = probe(src)
    audio, rate = decode(src)
    audio = audio.copy()
    for start, end, channels in spans:
        a = max(0, int(np.floor(start * rate)))
        b = min(len(audio), int(np.ceil(end * rate)))
        if b <= a:
            continue
        if channels is None:
            audio[a:b, :] = 0.0
        else:
            for ch in channels:
                if ch < audio.shape[1]:
                    audio[a:b, ch] = 0.0
    return encode(audio, rate, dst, fmt=format_for_path(src), out_rate=info["rate"])


def oracle_redact(call, dst: str | Path, *, pad: float = 0.0) -> Path:
    """Mute exactly the call's sensitive units (optionally padded): the perfect redactor."""
    spans = [(u.start - pad, u.end + pad, u.channels) for u in call.truth if u.sensitive]
    return mute_spans(call.audio_path, dst, spans)


def null_redact(call, dst: str | Path) -> Path:
    """Copy the file unchanged: the redactor that does nothing."""
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(call.audio_path, dst))
