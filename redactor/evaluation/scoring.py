"""Score a redaction from the output audio alone: what a listener would still hear.

Both the original and the redacted file are decoded by ffmpeg to float arrays at the
original's sample rate, channel by channel, and cut into 20 ms frames.

* **Voiced frame**: the original frame's RMS is above ``speech level × −30 dB``, where the
  speech level of a channel is the 95th percentile of its frame RMS. Synthetic calls carry a
  −62 dBFS noise floor and speech at about −20 dBFS, so pauses are unvoiced and the
  customer's −18 dB echo on the agent channel is voiced.
* **Kept frame**: the redacted frame keeps more than 5% of the original frame's RMS
  (``KEEP_RATIO``). A silenced frame decodes to near zero even through MP3 or Opus; codec
  smearing at the edge of a mute is what the 20% allowance below absorbs.
* **Leak**: a sensitive unit leaks when more than 20% of its voiced frames (on any of its
  channels) are kept.
* **Over-redaction**: the share of voiced frames outside every sensitive unit (each widened
  by 300 ms on both sides, on that unit's channels) that were silenced.

A file the redactor refused (quarantined) leaks nothing but is counted, and for
over-redaction it counts as fully silenced: a quarantined call is not usable as is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from redactor.evaluation.audio_io import decode

__all__ = [
    "FRAME",
    "KEEP_RATIO",
    "LEAK_SHARE",
    "MARGIN",
    "VOICED_DB",
    "ENTITY_TYPES",
    "UnitScore",
    "CallScore",
    "Summary",
    "score_call",
    "score_quarantined",
    "summarize",
    "format_table",
]

FRAME = 0.020  # seconds
KEEP_RATIO = 0.05  # a frame is kept if it keeps more than 5% of its original RMS
# ...and is above the codec's floor: A-law cannot encode zero (silence decodes as a constant
# +-8 of 32768, -72 dBFS), which is inaudible but can exceed 5% of a quiet voiced frame.
FLOOR_DBFS = -66.0
LEAK_SHARE = 0.20  # a unit leaks if more than 20% of its voiced frames are kept
MARGIN = 0.300  # seconds around sensitive units excluded from over-redaction
VOICED_DB = -30.0  # voiced: frame RMS above the channel's speech level by this much

# The entity types the corpora carry, in the order the report lists them (payment data
# first); any other type found in a truth file follows, sorted.
ENTITY_TYPES = (
    "CREDIT_CARD",
    "CARD_SECURITY_CODE",
    "CARD_EXPIRY",
    "HEALTH",
    "IBAN_CODE",
    "IT_FISCAL_CODE",
    "IT_VAT_CODE",
    "IT_IDENTITY_CARD",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
)


@dataclass(frozen=True)
class UnitScore:
    entity: str
    kind: str
    text: str
    start: float
    end: float
    voiced_frames: int
    kept_frames: int
    leaked: bool


@dataclass
class CallScore:
    call_id: str
    units: list[UnitScore] = field(default_factory=list)
    harmless: list[UnitScore] = field(default_factory=list)  # kept_frames = silenced frames
    voiced_outside: int = 0
    silenced_outside: int = 0
    quarantined: bool = False
    reason: str = ""

    @property
    def leaks(self) -> list[UnitScore]:
        return [u for u in self.units if u.leaked]

    @property
    def over_redaction(self) -> float:
        return self.silenced_outside / self.voiced_outside if self.voiced_outside else 0.0


def _frame_rms(x: np.ndarray, n: int) -> np.ndarray:
    """RMS of each 20 ms frame of every channel: shape (frames, channels)."""
    frames = len(x) // n
    x = x[: frames * n].reshape(frames, n, x.shape[1]).astype(np.float64)
    return np.sqrt(np.mean(x**2, axis=1))


def _voiced(rms: np.ndarray) -> np.ndarray:
    level = np.percentile(rms, 95, axis=0)
    return rms > np.maximum(level * 10 ** (VOICED_DB / 20), 1e-4)


def _frame_mask(units, n_frames: int, n_ch: int, *, margin: float = 0.0) -> np.ndarray:
    mask = np.zeros((n_frames, n_ch), dtype=bool)
    centers = (np.arange(n_frames) + 0.5) * FRAME
    for u in units:
        inside = (centers >= u.start - margin) & (centers < u.end + margin)
        for ch in u.channels:
            if ch < n_ch:
                mask[inside, ch] = True
    return mask


def score_call(call, redacted_path: str | Path) -> CallScore:
    """Score one redacted file against its call's ground truth."""
    orig, rate = decode(call.audio_path)
    red, _ = decode(redacted_path, rate=rate, channels=orig.shape[1])
    if len(red) < len(orig):  # a shorter output hides nothing; pad so frames line up
        red = np.concatenate([red, np.zeros((len(orig) - len(red), orig.shape[1]), "f4")])
    red = red[: len(orig)]
    n = int(round(FRAME * rate))
    o_rms, r_rms = _frame_rms(orig, n), _frame_rms(red, n)
    voiced = _voiced(o_rms)
    kept = (r_rms > KEEP_RATIO * o_rms) & (r_rms > 10 ** (FLOOR_DBFS / 20))
    n_frames, n_ch = o_rms.shape
    result = CallScore(call.call_id)
    for u in call.truth:
        m = _frame_mask([u], n_frames, n_ch) & voiced
        v = int(m.sum())
        if u.sensitive:
            k = int((m & kept).sum())
            leaked = v > 0 and k > LEAK_SHARE * v
            result.units.append(UnitScore(u.entity, u.kind, u.text, u.start, u.end, v, k, leaked))
        elif u.kind == "harmless_number":
            s = int((m & ~kept).sum())
            result.harmless.append(
                UnitScore("HARMLESS_NUMBER", u.kind, u.text, u.start, u.end, v, s, s > 0.2 * v)
            )
    zone = _frame_mask([u for u in call.truth if u.sensitive], n_frames, n_ch, margin=MARGIN)
    outside = voiced & ~zone
    result.voiced_outside = int(outside.sum())
    result.silenced_outside = int((outside & ~kept).sum())
    return result


def score_quarantined(call, reason: str) -> CallScore:
    """A refused file: nothing leaks, everything outside the units counts as silenced."""
    orig, rate = decode(call.audio_path)
    n = int(round(FRAME * rate))
    o_rms = _frame_rms(orig, n)
    voiced = _voiced(o_rms)
    zone = _frame_mask([u for u in call.truth if u.sensitive], *o_rms.shape, margin=MARGIN)
    units = [
        UnitScore(u.entity, u.kind, u.text, u.start, u.end, 0, 0, False)
        for u in call.truth
        if u.sensitive
    ]
    outside = int((voiced & ~zone).sum())
    harmless = []
    for u in call.truth:
        if not u.sensitive and u.kind == "harmless_number":
            v = int((_frame_mask([u], *o_rms.shape) & voiced).sum())
            harmless.append(
                UnitScore("HARMLESS_NUMBER", u.kind, u.text, u.start, u.end, v, v, True)
            )
    return CallScore(call.call_id, units, harmless, outside, outside, True, reason)


@dataclass
class Summary:
    """Totals per entity type for one system."""

    system: str
    units: dict[str, int]
    leaked: dict[str, int]
    voiced_outside: int
    silenced_outside: int
    harmless_units: int
    harmless_damaged: int
    calls: int
    quarantined: int

    @property
    def over_redaction(self) -> float:
        return self.silenced_outside / self.voiced_outside if self.voiced_outside else 0.0

    def leak_rate(self, entity: str) -> float:
        return self.leaked.get(entity, 0) / self.units[entity] if self.units.get(entity) else 0.0

    def to_dict(self) -> dict:
        return {
            "system": self.system,
            "calls": self.calls,
            "quarantined": self.quarantined,
            "entities": {
                e: {
                    "units": self.units[e],
                    "leaked": self.leaked.get(e, 0),
                    "leak_rate": round(self.leak_rate(e), 4),
                }
                for e in sorted(self.units)
            },  # fmt: skip
            "over_redaction": round(self.over_redaction, 4),
            "harmless_numbers": self.harmless_units,
            "harmless_numbers_damaged": self.harmless_damaged,
        }


def summarize(system: str, scores: list[CallScore]) -> Summary:
    units: dict[str, int] = defaultdict(int)
    leaked: dict[str, int] = defaultdict(int)
    for s in scores:
        for u in s.units:
            units[u.entity] += 1
            leaked[u.entity] += int(u.leaked)
    return Summary(
        system=system,
        units=dict(units),
        leaked=dict(leaked),
        voiced_outside=sum(s.voiced_outside for s in scores),
        silenced_outside=sum(s.silenced_outside for s in scores),
        harmless_units=sum(len(s.harmless) for s in scores),
        harmless_damaged=sum(sum(h.leaked for h in s.harmless) for s in scores),
        calls=len(scores),
        quarantined=sum(s.quarantined for s in scores),
    )


def format_table(summaries: list[Summary]) -> str:
    """A plain-text table: one row per entity type, one column group per system."""
    present = {e for s in summaries for e in s.units}
    entities = [e for e in ENTITY_TYPES if e in present] + sorted(present - set(ENTITY_TYPES))
    head = f"{'entity':<20}{'units':>6}"
    for s in summaries:
        head += f" | {s.system + ' leaked':>16}{'rate':>8}"
    lines = [head, "-" * len(head)]
    for e in entities:
        row = f"{e:<20}{max(s.units.get(e, 0) for s in summaries):>6}"
        for s in summaries:
            row += f" | {s.leaked.get(e, 0):>16}{s.leak_rate(e):>8.1%}"
        lines.append(row)
    lines.append("-" * len(head))
    extra = [
        ("over-redaction", lambda s: f"{s.over_redaction:.1%}"),
        ("harmless damaged", lambda s: f"{s.harmless_damaged}/{s.harmless_units}"),
        ("quarantined files", lambda s: f"{s.quarantined}/{s.calls}"),
    ]
    for name, fn in extra:
        row = f"{name:<20}{'':>6}"
        for s in summaries:
            row += f" | {fn(s):>24}"
        lines.append(row)
    return "\n".join(lines)
