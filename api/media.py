"""Turn stored artifacts into what the player draws: waveform peaks, labelled intervals,
transcript segments.

Pure functions over bytes and arrays; the routes fetch and decrypt, these shape. The report
and transcript formats come from the redaction pipeline; the readers here accept the field
names it may use (``regions`` / ``intervals`` / ``redactions``; ``start``/``end`` in
seconds; ``entity`` / ``label`` / ``type``) and ignore anything else, so a richer report
does not break the player.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

__all__ = ["peaks", "report_intervals", "transcript_segments", "MAX_PEAKS"]

MAX_PEAKS = 4000


def peaks(samples: np.ndarray, sample_rate: int, buckets: int = 1000) -> dict[str, Any]:
    """Min/max per bucket of the mixed-down signal, scaled to [-1, 1].

    ``samples`` is int16 shaped (frames, channels). Returns ``{"duration", "sample_rate",
    "min": [...], "max": [...]}`` with ``buckets`` values each (fewer for very short audio).
    """
    buckets = max(1, min(int(buckets), MAX_PEAKS))
    mono = (
        samples.astype(np.float32).mean(axis=1) / 32768.0
        if samples.ndim == 2
        else samples / 32768.0
    )
    n = mono.shape[0]
    duration = n / float(sample_rate) if sample_rate else 0.0
    if n == 0:
        return {"duration": 0.0, "sample_rate": sample_rate, "min": [], "max": []}
    buckets = min(buckets, n)
    edges = np.linspace(0, n, buckets + 1).astype(np.int64)
    lo = np.minimum.reduceat(mono, edges[:-1])
    hi = np.maximum.reduceat(mono, edges[:-1])
    return {
        "duration": round(duration, 4),
        "sample_rate": sample_rate,
        "min": [round(float(v), 4) for v in lo],
        "max": [round(float(v), 4) for v in hi],
    }


def _num(d: dict, *names: str) -> float | None:
    for name in names:
        v = d.get(name)
        if isinstance(v, int | float) and math.isfinite(v):
            return float(v)
    return None


def report_intervals(report: bytes | str | dict | None) -> list[dict[str, Any]]:
    """The redacted intervals of a report as ``[{"start", "end", "label"}]``, sorted."""
    if report is None:
        return []
    data = report
    if isinstance(report, bytes | str):
        try:
            data = json.loads(report)
        except ValueError:
            return []
    items: list = []
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        for key in ("regions", "intervals", "redactions", "redacted"):
            if isinstance(data.get(key), list):
                items = data[key]
                break
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        start = _num(item, "start", "start_s", "begin")
        end = _num(item, "end", "end_s", "stop")
        if start is None or end is None or end < start:
            continue
        label = item.get("entity") or item.get("label") or item.get("type") or "REDACTED"
        out.append({"start": round(start, 3), "end": round(end, 3), "label": str(label)[:40]})
    return sorted(out, key=lambda i: (i["start"], i["end"]))


def transcript_segments(transcript: bytes | str | dict | None) -> list[dict[str, Any]]:
    """The redacted transcript as ``[{"start", "end", "speaker", "text"}]`` (times may be None).

    Accepts ``{"segments": [...]}``, a bare list of segments, ``{"text": "..."}`` or plain
    text."""
    if transcript is None:
        return []
    data: Any = transcript
    if isinstance(transcript, bytes):
        transcript = transcript.decode("utf-8", "replace")
    if isinstance(transcript, str):
        try:
            data = json.loads(transcript)
        except ValueError:
            return [{"start": None, "end": None, "speaker": None, "text": transcript}]
    if isinstance(data, dict):
        if isinstance(data.get("segments"), list):
            data = data["segments"]
        elif isinstance(data.get("text"), str):
            return [{"start": None, "end": None, "speaker": None, "text": data["text"]}]
        else:
            return []
    if not isinstance(data, list):
        return []
    out = []
    for seg in data:
        if isinstance(seg, dict) and isinstance(seg.get("text"), str):
            out.append(
                {
                    "start": _num(seg, "start", "start_s"),
                    "end": _num(seg, "end", "end_s"),
                    "speaker": seg.get("speaker") or seg.get("channel_role") or seg.get("role"),
                    "text": seg["text"],
                }
            )
    return out
