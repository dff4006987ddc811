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
import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redactor.errors import BadInputError, ConfigError
from redactor.evaluation.audio_io import FORMATS, encode
from redactor.evaluation.languages import CorpusLanguage, get_language
from redactor.evaluation.script import DIGIT_WORDS, Piece, Turn
from redactor.evaluation.synth import (
    FSDD_SPEAKERS,
    FSDD_TAKES,
    RATE,
    cache_dir,
    fsdd_digit,
    synthesize,
)
from redactor.evaluation.truth import (
    TRUTH_VERSION,
    Call,
    Unit,
    read_truth_json,
    write_truth_json,
)

__all__ = [
    "Unit",
    "Call",
    "build_call",
    "build_corpus",
    "corpus_key",
    "write_truth_json",
    "read_truth_json",
    "LAYOUTS",
    "CORPUS_VARIANTS",
]

LAYOUTS = ("mono", "stereo")
ECHO_DB = -18.0
NOISE_DBFS = -62.0
_VERSION = TRUTH_VERSION

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


# --- rendering ------------------------------------------------------------------------------


@dataclass
class _Atom:
    start: int  # sample on the timeline
    clip: np.ndarray
    unit_key: tuple | None


@dataclass(frozen=True)
class _Speakers:
    """Who speaks a call: TTS voices, the FSDD speaker, and how customer digits are made."""

    voices: dict
    fsdd_speaker: str
    digit_source: str  # "fsdd" or "tts"
    digit_words: tuple[str, ...] | None  # None: English ("oh" or "zero" for 0)


def _char_clip(piece: Piece, pos: int, source: str, voice, who: _Speakers, rng) -> np.ndarray:
    """The clip for character ``pos`` of a digits or chars piece."""
    d = piece.text[pos]
    if piece.words:
        return synthesize(piece.words[pos], voice)
    if source == "fsdd":
        return fsdd_digit(int(d), who.fsdd_speaker, rng.randrange(FSDD_TAKES))
    if who.digit_words is not None:
        return synthesize(who.digit_words[int(d)], voice)
    word = DIGIT_WORDS[int(d)] if d != "0" else rng.choice(["oh", "zero"])
    return synthesize(word, voice)


def _render(turns, rng: random.Random, who: _Speakers):
    """Place every clip on a per-speaker timeline; return atoms and unit descriptions."""
    atoms: dict[str, list[_Atom]] = {"agent": [], "customer": []}
    units: dict[tuple, dict] = {}
    t = int(rng.uniform(0.3, 0.6) * RATE)
    for ti, turn in enumerate(turns):
        if ti:
            t += int(rng.uniform(0.45, 1.0) * RATE)
        for pi, piece in enumerate(turn.pieces):
            if pi:
                gap = piece.gap if piece.gap is not None else rng.uniform(0.15, 0.35)
                t += int(gap * RATE)
            t = _render_piece(piece, (ti, pi), t, turn.speaker, who, rng, atoms, units)
    return atoms, units, t


def _render_piece(piece: Piece, key, t, speaker, who: _Speakers, rng, atoms, units) -> int:
    voice = who.voices[speaker]

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
    source = piece.source if piece.source != "auto" else who.digit_source
    if speaker == "agent":
        source = "tts"  # agents are synthesized; FSDD speakers are the customers
    pos = 0
    for gi, size in enumerate(piece.groups or (len(piece.text),)):
        if gi:
            t += int(rng.uniform(0.3, 0.5) * RATE)
        for di in range(size):
            if di:
                t += int(rng.uniform(0.06, 0.16) * RATE)
            sub = {"digit": (pos,), "group": (gi,), "all": (0,)}.get(piece.unit, (0,))
            add(_char_clip(piece, pos, source, voice, who, rng), key + sub, piece.text[pos])
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
            words.append(p.text if p.kind == "speech" else " ".join(p.text))
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
    language: str = "en",
) -> Call:
    """Render a call (a seed for a random script, or a list of :class:`Turn`) to a file.

    Same arguments, same file: voices, gaps, FSDD takes and noise all derive from the seed
    (``voice_seed`` for a hand-written script). ``language`` picks the script generator, the
    voices and the digit words (:mod:`redactor.evaluation.languages`); English calls are
    exactly what they were before languages existed. The file goes to ``out_dir`` (default:
    the evaluation cache) with its truth JSON beside it.
    """
    if layout not in LAYOUTS:
        raise ConfigError(f"unknown layout {layout!r}; valid layouts: {', '.join(LAYOUTS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    lang = get_language(language)
    if isinstance(spec_or_seed, int):
        seed = spec_or_seed
        scenario, turns = lang.script(seed, scenario)
    else:
        turns = list(spec_or_seed)
        seed = voice_seed if voice_seed is not None else 0
        scenario = scenario or "custom"
    tag = "" if language == "en" else f"{language}-"  # English seeds keep their old streams
    rng = random.Random(f"render-{tag}{seed}")
    np_rng = np.random.default_rng(seed & 0xFFFFFFFF)
    who = _speakers(lang, rng)
    gains = {s: 10 ** (rng.uniform(-3, 3) / 20) for s in ("agent", "customer")}

    atoms, units, end = _render(turns, rng, who)
    n_samples = end + int(rng.uniform(0.4, 0.8) * RATE)
    audio, echo_delay = _mix(atoms, n_samples, layout, rng, np_rng, gains)
    truth = _truth(units, layout, echo_delay)

    script_text = _transcript(turns)
    ident = (
        call_id
        or "call-"
        + tag
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
            "agent_voice": who.voices["agent"].label,
            "customer_voice": who.voices["customer"].label,
            "customer_digits": f"fsdd:{who.fsdd_speaker}" if who.digit_source == "fsdd" else "tts",
            "echo_delay": round(echo_delay / RATE, 5),
        },
        language=language,
    )
    if not _up_to_date(call):
        encode(audio, RATE, path, fmt=fmt, out_rate=rate)
        write_truth_json(call, call.truth_path)
    return call


def _up_to_date(call: Call) -> bool:
    """A file already there is reused only if its truth is exactly this call's: a changed
    script under the same call id is rendered again, never scored against stale audio."""
    if not (call.audio_path.is_file() and call.truth_path.is_file()):
        return False
    try:
        old = read_truth_json(call.truth_path)
    except (BadInputError, KeyError, TypeError):
        return False
    return old.truth == call.truth and old.transcript_text == call.transcript_text


def _speakers(lang: CorpusLanguage, rng: random.Random) -> _Speakers:
    """Draw the voices (agent and customer never alike) and the customer's digit source."""
    agents, customers = lang.agent_voices, lang.customer_voices
    voices = {"agent": rng.choice(agents), "customer": rng.choice(customers)}
    if voices["agent"] == voices["customer"]:
        voices["customer"] = customers[(customers.index(voices["customer"]) + 1) % len(customers)]
    fsdd_speaker = rng.choice(FSDD_SPEAKERS)
    digit_source = rng.choice(["fsdd", "fsdd", "tts"])
    if lang.digit_words is not None:
        digit_source = "tts"  # FSDD speakers say English digits
    return _Speakers(voices, fsdd_speaker, digit_source, lang.digit_words)


def _truth(units: dict, layout: str, echo_delay: int) -> list[Unit]:
    truth = []
    for u in units.values():
        piece: Piece = u["piece"]
        customer = u["speaker"] == "customer"
        stereo = layout == "stereo"
        channels = ((0, 1) if customer else (0,)) if stereo else (0,)
        end_s = u["end"] + (echo_delay if stereo and customer else 0)
        text = " ".join(u["text"]) if piece.kind == "speech" else "".join(u["text"])
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
    return truth


def corpus_key(seed: int, language: str = "en") -> str:
    """The folder name of a corpus: English keeps ``corpus-seed<S>``, others add the language
    (``corpus-it-seed<S>``) so corpora of different languages never share files."""
    return f"corpus-seed{seed}" if language == "en" else f"corpus-{language}-seed{seed}"


def build_corpus(
    n: int = 40,
    seed: int = 0,
    out_dir: str | os.PathLike | None = None,
    *,
    formats: tuple[str, ...] | None = None,
    progress=None,
    language: str = "en",
) -> list[Call]:
    """``n`` calls drawn from ``seed``: scenarios, voices, formats, rates and layouts vary.

    Deterministic: the same ``(n, seed, language)`` gives the same scripts and truth (and,
    with the same ffmpeg, the same bytes). Existing files are reused, so a second build is
    instant. Call ids of a non-English corpus start with the language (``it-s0-000-...``).
    """
    if n < 1:
        raise ConfigError(f"corpus size must be at least 1, got {n}")
    lang = get_language(language)
    variants = [v for v in CORPUS_VARIANTS if formats is None or v[0] in formats]
    if not variants:
        raise ConfigError(f"no known format in {formats}; valid formats: {', '.join(FORMATS)}")
    folder = Path(out_dir) if out_dir is not None else cache_dir() / corpus_key(seed, language)
    rng = random.Random(f"corpus-{seed}")
    order = list(range(len(variants)))
    rng.shuffle(order)
    assert set(lang.mix) == set(lang.scenarios), lang.code
    tag = "" if language == "en" else f"{language}-"
    calls = []
    for i in range(n):
        fmt, rate, layout = variants[order[i % len(order)]]
        scen = lang.mix[(i + seed) % len(lang.mix)]
        call = build_call(
            seed * 100_003 + i,
            fmt=fmt,
            rate=rate,
            layout=layout,
            out_dir=folder,
            scenario=scen,
            call_id=f"{tag}s{seed}-{i:03d}-{scen}-{fmt}-{rate // 1000}k-{layout}",
            language=language,
        )
        calls.append(call)
        if progress:
            progress(i + 1, n, call)
    return calls
