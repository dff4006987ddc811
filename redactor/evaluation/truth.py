"""Ground truth of a rendered call: its units, and the ``<call>.truth.json`` file beside it.

Kept apart from :mod:`redactor.evaluation.corpus` (which renders audio) so that the scorer,
the runner and tests can read a corpus without pulling in the renderer, and so that the
truth format has one place that says what every field means.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from redactor.errors import BadInputError

__all__ = ["TRUTH_VERSION", "Unit", "Call", "write_truth_json", "read_truth_json"]

TRUTH_VERSION = 1


@dataclass(frozen=True)
class Unit:
    """One span of ground truth, in seconds of the final file.

    ``channels`` lists the channels it is audible on; ``entity`` is the entity type for a
    sensitive unit (None for harmless speech); ``kind`` is finer: card_digit, readback, cvv,
    expiry, health, phone, email, iban, fiscal_code, vat, identity_card, harmless_number or
    speech.
    """

    start: float
    end: float
    channels: tuple[int, ...]
    entity: str | None
    text: str
    sensitive: bool
    kind: str
    speaker: str

    @property
    def channel(self) -> int:
        """The speaker's own channel (0 in mono, 0 agent / 1 customer in stereo)."""
        return self.channels[-1]


@dataclass
class Call:
    """A rendered call: the audio file, its ground truth and what was said."""

    call_id: str
    audio_path: Path
    truth: list[Unit]
    transcript_text: str
    fmt: str
    rate: int
    layout: str
    duration: float
    scenario: str = "custom"
    meta: dict = field(default_factory=dict)
    language: str = "en"

    @property
    def sensitive_units(self) -> list[Unit]:
        return [u for u in self.truth if u.sensitive]

    @property
    def truth_path(self) -> Path:
        return self.audio_path.with_suffix(".truth.json")


def write_truth_json(call: Call, path: str | os.PathLike) -> Path:
    path = Path(path)
    data = {
        "version": TRUTH_VERSION,
        "call_id": call.call_id,
        "audio": call.audio_path.name,
        "fmt": call.fmt,
        "rate": call.rate,
        "layout": call.layout,
        "duration": call.duration,
        "scenario": call.scenario,
        "language": call.language,
        "transcript": call.transcript_text,
        "meta": call.meta,
        "units": [asdict(u) for u in call.truth],
    }
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_truth_json(path: str | os.PathLike) -> Call:
    """Read a truth file; files written before languages existed are English."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read truth file {path}: {exc}") from None
    units = [Unit(**{**u, "channels": tuple(u["channels"])}) for u in data["units"]]
    return Call(
        call_id=data["call_id"],
        audio_path=path.parent / data["audio"],
        truth=units,
        transcript_text=data["transcript"],
        fmt=data["fmt"],
        rate=data["rate"],
        layout=data["layout"],
        duration=data["duration"],
        scenario=data["scenario"],
        meta=data["meta"],
        language=data.get("language", "en"),
    )
