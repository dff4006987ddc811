"""The JSON report written next to every redacted file."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from policies.redaction import ENTITY_TYPES, RedactionPolicy
from redactor.align import Interval

__all__ = ["Report", "write_report", "report_path_for", "redacted_transcript"]

REPORT_VERSION = 1


@dataclass
class Report:
    """What was redacted, where, why, and with which model and settings."""

    input: str
    output: str
    format: dict
    duration: float
    intervals: list[Interval]
    transcript: list[dict]  # per channel: {"channel", "text"} with [CARD]-style placeholders
    model: str
    settings: dict
    verification: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    # stretches where the recogniser looped or dropped speech, decoded a second time and
    # replaced by a clean decode: a sign of hard audio, and part of the recognition time
    second_decodes: int = 0
    version: int = REPORT_VERSION

    @property
    def redacted_seconds(self) -> float:
        return sum(i.end - i.start for i in self.intervals)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["intervals"] = [
            {**asdict(i), "start": round(i.start, 3), "end": round(i.end, 3)}
            for i in self.intervals
        ]
        data["redacted_seconds"] = round(self.redacted_seconds, 3)
        return data


def report_path_for(output: str | Path) -> Path:
    """``call.wav`` -> ``call.wav.report.json`` (``call.json`` is the telephony sidecar)."""
    output = Path(output)
    return output.with_name(output.name + ".report.json")


def write_report(report: Report, path: str | Path) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(report.to_dict(), fh, indent=2)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def redacted_transcript(a, policy: RedactionPolicy, intervals: list[Interval] = ()) -> dict:
    """One channel's words with each finding replaced by its placeholder ("[CARD]"), for
    the report: what was heard, without what may not be kept.

    A word said where the audio was silenced (``intervals``: the final redactions, which
    silence every channel) is hidden too, under the label of the redaction it lies in:
    a rule that silenced speech without a finding (an answer window, unexplained speech in
    a payment dialogue) must not leave what ASR made of a code in the transcript
    ("codice fiscale l'hsmmm..." for a code read letter by letter)."""
    allowed = set(policy.entities)
    label_at: dict[int, str] = {}
    covered: set[int] = set()
    for f in sorted(a.findings, key=lambda f: (f.first, -f.score)):
        if f.entity_type not in allowed or f.first in covered:
            continue
        label_at[f.first] = ENTITY_TYPES.get(f.entity_type, "[REDACTED]")
        covered.update(range(f.first, f.last + 1))
    words = []
    silenced_in = None  # the redaction the previous hidden word lay in
    for i, tok in enumerate(a.tokens):
        mid = (tok.start + tok.end) / 2
        inside = next((iv for iv in intervals if iv.start <= mid <= iv.end), None)
        if i in label_at:
            words.append(label_at[i])
        elif i in covered:
            pass
        elif inside is not None:
            if inside is not silenced_in:
                words.append(ENTITY_TYPES.get(inside.entity_type, "[REDACTED]"))
        else:
            words.append(tok.raw)
        silenced_in = inside  # None after a word left audible
    return {"channel": a.channel, "text": " ".join(words)}
