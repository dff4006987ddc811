"""Render call scripts to audio files with exact ground truth, and build seeded corpora.

Every digit and every phrase is its own clip placed at a known sample on the timeline, so
the truth is exact: each sensitive unit's [start, end) in seconds in the final file, its
channels, entity type and text; harmless spans are recorded too, so over-redaction of
"twenty minutes" or an order number can be measured.

Two-channel layout: channel 0 is the agent, channel 1 the customer, and the customer's
speech is also on channel 0 as an attenuated, delayed echo (as on real telephony
recordings). A customer unit therefore covers both channels and its end includes the echo
delay.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from redactor.errors import BadInputError, ConfigError
from redactor.evaluation.audio_io import FORMATS, encode
from redactor.evaluation.script import DIGIT_WORDS, Piece, Turn, random_script
from redactor.evaluation.synth import (
    AGENT_VOICES,
    CUSTOMER_VOICES,
    FSDD_SPEAKERS,
    FSDD_TAKES,
    RATE,
    cache_dir,
    fsdd_digit,
    synthesize,
)

__all__ = [
    "Unit",
    "Call",
    "build_call",
    "build_corpus",
    "write_truth_json",
    "read_truth_json",
    "LAYOUTS",
    "CORPUS_VARIANTS",
]

LAYOUTS = ("mono", "stereo")
ECHO_DB = -18.0
NOISE_DBFS = -62.0
_VERSION = 1

# (format, rate, layout) cycled through the corpus: every format, rate and layout appears.
CORPUS_VARIANTS = (
    ("wav_ulaw", 8000, "mono"),
    ("wav_alaw", 8000, "stereo"),
    ("wav_pcm16", 16000, "mono"),
    ("mp3", 44100, "stereo"),
    ("flac", 16000, "stereo"),
    ("opus", 48000, "mono"),
    ("wav_pcm16", 8000, "stereo"),
    ("mp3", 16000, "mono"),
    ("flac", 44100, "mono"),
    ("opus", 16000, "stereo"),
    ("wav_ulaw", 8000, "stereo"),
    ("wav_pcm16", 48000, "mono"),
    ("mp3", 8000, "mono"),
    ("flac", 48000, "stereo"),
    ("wav_alaw", 8000, "mono"),
    ("opus", 8000, "mono"),
    ("wav_pcm16", 44100, "stereo"),
    ("mp3", 48000, "stereo"),
    ("flac", 8000, "mono"),
    ("wav_pcm16", 16000, "stereo"),
)


@dataclass(frozen=True)
class Unit:
    """One span of ground truth, in seconds of the final file.

    ``channels`` lists the channels it is audible on; ``entity`` is the entity type for a
    sensitive unit (None for harmless speech); ``kind`` is finer: card_digit, readback, cvv,
    expiry, health, phone, email, iban, harmless_number or speech.
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

    @property
    def sensitive_units(self) -> list[Unit]:
        return [u for u in self.truth if u.sensitive]

    @property
    def truth_path(self) -> Path:
        return self.audio_path.with_suffix(".truth.json")


# --- rendering ------------------------------------------------------------------------------


@dataclass
class _Atom:
    start: int  # sample on the timeline
    clip: np.ndarray
    unit_key: tuple | None


def _digit_clip(d: str, source: str, voice, fsdd_speaker: str, rng: random.Random) -> np.ndarray:
    if source == "fsdd":
        return fsdd_digit(int(d), fsdd_speaker, rng.randrange(FSDD_TAKES))
    word = DIGIT_WORDS[int(d)] if d != "0" else rng.choice(["oh", "zero"])
    return synthesize(word, voice)


def _render(turns, rng: random.Random, voices: dict, fsdd_speaker: str, digit_source: str):
    """Place every clip on a per-speaker timeline; return atoms and unit descriptions."""
    atoms: dict[str, list[_Atom]] = {"agent": [], "customer": []}
    units: dict[tuple, dict] = {}
    t = int(rng.uniform(0.3, 0.6) * RATE)
    for ti, turn in enumerate(turns):
        if ti:
            t += int(rng.uniform(0.45, 1.0) * RATE)
        voice = voices[turn.speaker]
        for pi, piece in enumerate(turn.pieces):
            if pi:
                gap = piece.gap if piece.gap is not None else rng.uniform(0.15, 0.35)
                t += int(gap * RATE)
            t = _render_piece(piece, (ti, pi), t, turn.speaker, voice, fsdd_speaker,
                              digit_source, rng, atoms, units)  # fmt: skip
    return atoms, units, t


def _render_piece(piece: Piece, key, t, speaker, voice, fsdd_speaker, digit_source, rng,
                  atoms, units) -> int:  # fmt: skip
    def add(clip, unit_key, text):
        nonlocal t
        atoms[speaker].append(_Atom(t, clip, unit_key))
        if unit_key is not None:
            u = units.setdefault(
                unit_key,
                {"start": t, "end": t, "piece": piece, "speaker": speaker, "text": []},
            )
            u["end"] = t + len(clip)
            u["text"].append(text)
        t += len(clip)

    if piece.kind == "speech":
        add(synthesize(piece.text, voice), key + (0,), piece.text)
        return t
    source = piece.source if piece.source != "auto" else digit_source
    if speaker == "agent":
        source = "tts"  # agents are synthesized; FSDD speakers are the customers
    pos = 0
    for gi, size in enumerate(piece.groups or (len(piece.text),)):
        if gi:
            t += int(rng.uniform(0.3, 0.5) * RATE)
        for di in range(size):
            if di:
                t += int(rng.uniform(0.06, 0.16) * RATE)
            d = piece.text[pos]
            sub = {"digit": (pos,), "group": (gi,), "all": (0,)}.get(piece.unit, (0,))
            add(_digit_clip(d, source, voice, fsdd_speaker, rng), key + sub, d)
            pos += 1
    return t


def _mix(atoms, n_samples, layout, rng: random.Random, np_rng, gains):
    tracks = {}
    for speaker in ("agent", "customer"):
        track = np.zeros(n_samples, dtype=np.float32)
        for a in atoms[speaker]:
            track[a.start : a.start + len(a.clip)] += a.clip * gains[speaker]
        tracks[speaker] = track
    echo_delay = 0
    if layout == "mono":
        out = (tracks["agent"] + tracks["customer"])[:, None]
    else:
        echo_delay = int(rng.uniform(0.02, 0.06) * RATE)
        echo = np.zeros(n_samples, dtype=np.float32)
        echo[echo_delay:] = tracks["customer"][: n_samples - echo_delay] * 10 ** (ECHO_DB / 20)
        out = np.stack([tracks["agent"] + echo, tracks["customer"]], axis=1)
    noise = np_rng.standard_normal(out.shape).astype(np.float32) * 10 ** (NOISE_DBFS / 20)
    return np.clip(out + noise, -1.0, 1.0), echo_delay


def _transcript(turns) -> str:
    lines = []
    for turn in turns:
        words = []
        for p in turn.pieces:
            words.append(" ".join(p.text) if p.kind == "digits" else p.text)
        lines.append(f"{turn.speaker}: {' '.join(words)}")
    return "\n".join(lines)


def build_call(
    spec_or_seed: int | list[Turn],
    *,
    fmt: str = "wav_ulaw",
    rate: int = 8000,
    layout: str = "mono",
    out_dir: str | os.PathLike | None = None,
    scenario: str | None = None,
    voice_seed: int | None = None,
    call_id: str | None = None,
) -> Call:
    """Render a call (a seed for a random script, or a list of :class:`Turn`) to a file.

    Same arguments, same file: voices, gaps, FSDD takes and noise all derive from the seed
    (``voice_seed`` for a hand-written script). The file goes to ``out_dir`` (default: the
    evaluation cache) with its truth JSON beside it.
    """
    if layout not in LAYOUTS:
        raise ConfigError(f"unknown layout {layout!r}; valid layouts: {', '.join(LAYOUTS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    if isinstance(spec_or_seed, int):
        seed = spec_or_seed
        scenario, turns = random_script(seed, scenario)
    else:
        turns = list(spec_or_seed)
        seed = voice_seed if voice_seed is not None else 0
        scenario = scenario or "custom"
    rng = random.Random(f"render-{seed}")
    np_rng = np.random.default_rng(seed & 0xFFFFFFFF)
    voices = {"agent": rng.choice(AGENT_VOICES), "customer": rng.choice(CUSTOMER_VOICES)}
    if voices["agent"] == voices["customer"]:
        voices["customer"] = CUSTOMER_VOICES[(CUSTOMER_VOICES.index(voices["customer"]) + 1)
                                             % len(CUSTOMER_VOICES)]  # fmt: skip
    fsdd_speaker = rng.choice(FSDD_SPEAKERS)
    digit_source = rng.choice(["fsdd", "fsdd", "tts"])
    gains = {s: 10 ** (rng.uniform(-3, 3) / 20) for s in ("agent", "customer")}

    atoms, units, end = _render(turns, rng, voices, fsdd_speaker, digit_source)
    n_samples = end + int(rng.uniform(0.4, 0.8) * RATE)
    audio, echo_delay = _mix(atoms, n_samples, layout, rng, np_rng, gains)

    truth = []
    for u in units.values():
        piece: Piece = u["piece"]
        customer = u["speaker"] == "customer"
        stereo = layout == "stereo"
        channels = ((0, 1) if customer else (0,)) if stereo else (0,)
        end_s = u["end"] + (echo_delay if stereo and customer else 0)
        text = "".join(u["text"]) if piece.kind == "digits" else " ".join(u["text"])
        truth.append(
            Unit(
                start=round(u["start"] / RATE, 5),
                end=round(end_s / RATE, 5),
                channels=channels,
                entity=piece.entity,
                text=text,
                sensitive=piece.sensitive,
                kind=piece.label,
                speaker=u["speaker"],
            )
        )
    truth.sort(key=lambda u: (u.start, u.channels))

    script_text = _transcript(turns)
    ident = (
        call_id
        or "call-"
        + hashlib.sha256(
            f"{_VERSION}|{seed}|{fmt}|{rate}|{layout}|{script_text}".encode()
        ).hexdigest()[:12]
    )
    folder = Path(out_dir) if out_dir is not None else cache_dir() / "calls"
    path = folder / f"{ident}{FORMATS[fmt].suffix}"
    call = Call(
        call_id=ident,
        audio_path=path,
        truth=truth,
        transcript_text=script_text,
        fmt=fmt,
        rate=rate,
        layout=layout,
        duration=round(n_samples / RATE, 5),
        scenario=scenario,
        meta={
            "seed": seed,
            "agent_voice": voices["agent"].label,
            "customer_voice": voices["customer"].label,
            "customer_digits": f"fsdd:{fsdd_speaker}" if digit_source == "fsdd" else "tts",
            "echo_delay": round(echo_delay / RATE, 5),
        },
    )
    if not (path.is_file() and call.truth_path.is_file()):
        encode(audio, RATE, path, fmt=fmt, out_rate=rate)
        write_truth_json(call, call.truth_path)
    return call


def build_corpus(
    n: int = 40,
    seed: int = 0,
    out_dir: str | os.PathLike | None = None,
    *,
    formats: tuple[str, ...] | None = None,
    progress=None,
) -> list[Call]:
    """``n`` calls drawn from ``seed``: scenarios, voices, formats, rates and layouts vary.

    Deterministic: the same ``(n, seed)`` gives the same scripts and truth (and, with the
    same ffmpeg, the same bytes). Existing files are reused, so a second build is instant.
    """
    from redactor.evaluation.script import SCENARIOS

    if n < 1:
        raise ConfigError(f"corpus size must be at least 1, got {n}")
    variants = [v for v in CORPUS_VARIANTS if formats is None or v[0] in formats]
    if not variants:
        raise ConfigError(f"no known format in {formats}; valid formats: {', '.join(FORMATS)}")
    folder = Path(out_dir) if out_dir is not None else cache_dir() / f"corpus-{seed}"
    rng = random.Random(f"corpus-{seed}")
    order = list(range(len(variants)))
    rng.shuffle(order)
    # scenario mix: payments dominate (the riskiest calls), every kind is present
    mix = ["payment", "payment_readback", "health", "mixed", "payment", "contact", "health",
           "plain", "mixed", "payment"]  # fmt: skip
    assert set(mix) == set(SCENARIOS)
    calls = []
    for i in range(n):
        fmt, rate, layout = variants[order[i % len(order)]]
        scen = mix[(i + seed) % len(mix)]
        call = build_call(
            seed * 100_003 + i,
            fmt=fmt,
            rate=rate,
            layout=layout,
            out_dir=folder,
            scenario=scen,
            call_id=f"s{seed}-{i:03d}-{scen}-{fmt}-{rate // 1000}k-{layout}",
        )
        calls.append(call)
        if progress:
            progress(i + 1, n, call)
    return calls


# --- truth files ---------------------------------------------------------------------------


def write_truth_json(call: Call, path: str | os.PathLike) -> Path:
    path = Path(path)
    data = {
        "version": _VERSION,
        "call_id": call.call_id,
        "audio": call.audio_path.name,
        "fmt": call.fmt,
        "rate": call.rate,
        "layout": call.layout,
        "duration": call.duration,
        "scenario": call.scenario,
        "transcript": call.transcript_text,
        "meta": call.meta,
        "units": [asdict(u) for u in call.truth],
    }
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)
    return path


def read_truth_json(path: str | os.PathLike) -> Call:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
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
    )
