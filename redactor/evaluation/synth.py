"""Voices for synthetic calls: espeak-ng and flite speech, and real human digits (FSDD).

Synthesis is slow next to everything else a test does, so every clip is cached on disk
under a key that hashes the engine, voice, speed, pitch and text: building the same call
twice synthesizes nothing the second time. Clips come back as ``float32`` mono at
:data:`RATE`, trimmed of leading/trailing silence and normalised to a common speech level,
so their sample intervals are the exact ground truth of where the words are.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redactor.errors import ConfigError
from redactor.evaluation.audio_io import decode

__all__ = [
    "RATE",
    "Voice",
    "ESPEAK_VOICES",
    "FLITE_VOICES",
    "AGENT_VOICES",
    "CUSTOMER_VOICES",
    "IT_AGENT_VOICES",
    "IT_CUSTOMER_VOICES",
    "FSDD_SPEAKERS",
    "synthesize",
    "fsdd_digit",
    "shared_audio_dir",
    "cache_dir",
]

RATE = 16000  # the timeline every call is assembled on
TARGET_DBFS = -20.0  # speech level every clip is normalised to
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class Voice:
    """A synthetic voice: ``engine`` is ``espeak`` or ``flite``."""

    engine: str
    name: str
    speed: int = 165  # espeak words per minute (flite: ignored)
    pitch: int = 50  # espeak 0-99 (flite: ignored)

    @property
    def label(self) -> str:
        if self.engine == "flite":
            return f"flite:{self.name}"
        return f"espeak:{self.name}@{self.speed}/{self.pitch}"


ESPEAK_VOICES = (
    Voice("espeak", "en-us", 160, 45),
    Voice("espeak", "en-gb", 170, 55),
    Voice("espeak", "en-us+m3", 150, 40),
    Voice("espeak", "en-gb+f2", 165, 65),
    Voice("espeak", "en-gb-scotland+m1", 155, 50),
    Voice("espeak", "en-029+f4", 160, 60),
    Voice("espeak", "en-gb-x-rp+m7", 175, 35),
    Voice("espeak", "en-us+f3", 150, 70),
)
FLITE_VOICES = (
    Voice("flite", "kal"),
    Voice("flite", "slt"),
    Voice("flite", "rms"),
    Voice("flite", "awb"),
)
AGENT_VOICES = ESPEAK_VOICES[:4] + FLITE_VOICES[:2]
CUSTOMER_VOICES = ESPEAK_VOICES[4:] + FLITE_VOICES[2:] + (ESPEAK_VOICES[0], FLITE_VOICES[1])
# Italian: espeak-ng's only Italian voice (flite has none; the MBROLA voices are not installed)
# with its variants, speeds and pitches, so agent and customer never sound alike.
IT_AGENT_VOICES = (
    Voice("espeak", "it", 160, 45),
    Voice("espeak", "it+f2", 165, 60),
    Voice("espeak", "it+m3", 150, 40),
    Voice("espeak", "it+f4", 170, 65),
)
IT_CUSTOMER_VOICES = (
    Voice("espeak", "it+m1", 155, 50),
    Voice("espeak", "it+f5", 160, 70),
    Voice("espeak", "it+m7", 170, 35),
    Voice("espeak", "it+f3", 150, 55),
    Voice("espeak", "it+m2", 165, 45),
)
FSDD_SPEAKERS = ("george", "jackson", "lucas", "yweweler")
FSDD_TAKES = 50


def shared_audio_dir() -> Path:
    """``$REDACTOR_SHARED_AUDIO``, else ``<repo>/../shared/audio``."""
    env = os.environ.get("REDACTOR_SHARED_AUDIO")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "audio"


def cache_dir() -> Path:
    """Where clips are cached: ``$REDACTOR_EVAL_CACHE``, else ``$REDACTOR_HOME/cache/eval``."""
    env = os.environ.get("REDACTOR_EVAL_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("REDACTOR_HOME", "./var")) / "cache" / "eval"


def _trim_and_normalise(x: np.ndarray) -> np.ndarray:
    """Cut silence at both ends (−45 dB below peak frame) and scale to TARGET_DBFS."""
    frame = RATE // 100
    n = len(x) // frame
    if n == 0:
        return x.astype(np.float32)
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    active = np.flatnonzero(rms > rms.max() * 10 ** (-45 / 20))
    start = max(0, active[0] * frame - frame)
    end = min(len(x), (active[-1] + 2) * frame)
    x = x[start:end]
    # level of the voiced part only, so pauses inside a phrase do not inflate the gain
    n = len(x) // frame
    fr = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    level = np.sqrt(np.mean(fr[fr > fr.max() * 10 ** (-30 / 20)] ** 2))
    gain = 10 ** (TARGET_DBFS / 20) / max(level, 1e-6)
    return np.clip(x * gain, -1.0, 1.0).astype(np.float32)


def _cached(key: str, make) -> np.ndarray:
    folder = cache_dir() / "clips"
    path = folder / f"{key}.npy"
    if path.is_file():
        return np.load(path)
    data = make()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{key}.{os.getpid()}.tmp.npy"
    np.save(tmp, data)
    os.replace(tmp, path)
    return data


def synthesize(text: str, voice: Voice) -> np.ndarray:
    """Speak ``text`` with ``voice``: float32 mono at :data:`RATE`, trimmed, normalised."""
    if not text.strip():
        raise ConfigError("cannot synthesize empty text")
    key = hashlib.sha256(
        f"{_CACHE_VERSION}|{voice.engine}|{voice.name}|{voice.speed}|{voice.pitch}|{text}".encode()
    ).hexdigest()[:32]

    def make() -> np.ndarray:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "tts.wav"
            if voice.engine == "espeak":
                cmd = ["espeak-ng", "-v", voice.name, "-s", str(voice.speed)]
                cmd += ["-p", str(voice.pitch), "-w", str(out), text]
            elif voice.engine == "flite":
                cmd = ["flite", "-voice", voice.name, "-t", text, "-o", str(out)]
            else:
                raise ConfigError(f"unknown TTS engine {voice.engine!r}; valid: espeak, flite")
            proc = subprocess.run(cmd, capture_output=True, check=False)
            if proc.returncode != 0 or not out.is_file():
                raise ConfigError(
                    f"{voice.label} could not speak {text!r}: {proc.stderr.decode()[-200:]}"
                )
            samples, _ = decode(out, rate=RATE, channels=1)
        return _trim_and_normalise(samples[:, 0])

    return _cached(key, make)


def fsdd_digit(digit: int | str, speaker: str, take: int) -> np.ndarray:
    """One real spoken digit from the Free Spoken Digit Dataset, at :data:`RATE`."""
    if speaker not in FSDD_SPEAKERS:
        raise ConfigError(f"unknown FSDD speaker {speaker!r}; valid: {', '.join(FSDD_SPEAKERS)}")
    digit = int(digit)
    if not 0 <= digit <= 9 or not 0 <= take < FSDD_TAKES:
        raise ConfigError(f"FSDD digit must be 0-9 and take 0-{FSDD_TAKES - 1}, got {digit}/{take}")
    path = shared_audio_dir() / "fsdd" / f"{digit}_{speaker}_{take}.wav"
    if not path.is_file():
        raise ConfigError(
            f"FSDD clip {path} is missing; set REDACTOR_SHARED_AUDIO to the shared audio folder"
        )
    key = f"fsdd-{_CACHE_VERSION}-{digit}_{speaker}_{take}"
    return _cached(key, lambda: _trim_and_normalise(decode(path, rate=RATE, channels=1)[0][:, 0]))
