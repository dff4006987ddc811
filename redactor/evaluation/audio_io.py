"""Decode and encode audio with ffmpeg, as float arrays.

The evaluation never trusts a Python codec: every file is decoded by the same ffmpeg the
pipeline's users have, so what we score is what a listener would hear. Arrays are
``float32`` shaped ``(samples, channels)`` in [-1, 1].
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from redactor.errors import BadInputError, ConfigError

__all__ = ["FORMATS", "AudioFormat", "decode", "encode", "probe", "format_for_path"]


@dataclass(frozen=True)
class AudioFormat:
    """One output container/codec the pipeline must preserve."""

    name: str
    suffix: str
    codec_args: tuple[str, ...]
    rates: tuple[int, ...]  # sample rates this format is built at


FORMATS: dict[str, AudioFormat] = {
    "wav_pcm16": AudioFormat(
        "wav_pcm16", ".wav", ("-c:a", "pcm_s16le"), (8000, 16000, 44100, 48000)
    ),
    "wav_ulaw": AudioFormat("wav_ulaw", ".wav", ("-c:a", "pcm_mulaw"), (8000,)),
    "wav_alaw": AudioFormat("wav_alaw", ".wav", ("-c:a", "pcm_alaw"), (8000,)),
    "mp3": AudioFormat(
        "mp3", ".mp3", ("-c:a", "libmp3lame", "-q:a", "4"), (8000, 16000, 44100, 48000)
    ),
    "flac": AudioFormat("flac", ".flac", ("-c:a", "flac"), (8000, 16000, 44100, 48000)),
    "opus": AudioFormat("opus", ".ogg", ("-c:a", "libopus", "-b:a", "32k"), (8000, 16000, 48000)),
}


def _run(cmd: list[str], *, input_bytes: bytes | None = None) -> bytes:
    proc = subprocess.run(cmd, input=input_bytes, capture_output=True, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise BadInputError(f"{cmd[0]} failed on {cmd[-1]!r}: {' | '.join(tail)}")
    return proc.stdout


def probe(path: str | os.PathLike) -> dict:
    """Return ``{"codec", "rate", "channels", "duration"}`` of the first audio stream."""
    out = _run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=codec_name,sample_rate,channels:format=duration",
            "-of",
            "json",
            str(path),
        ]
    )
    info = json.loads(out)
    if not info.get("streams"):
        raise BadInputError(f"{path}: no audio stream")
    stream = info["streams"][0]
    return {
        "codec": stream["codec_name"],
        "rate": int(stream["sample_rate"]),
        "channels": int(stream["channels"]),
        "duration": float(info.get("format", {}).get("duration", 0.0) or 0.0),
    }


def decode(
    path: str | os.PathLike, *, rate: int | None = None, channels: int | None = None
) -> tuple[np.ndarray, int]:
    """Decode any file ffmpeg reads to ``(float32[samples, channels], rate)``.

    ``rate``/``channels`` default to the file's own, so nothing is resampled or mixed unless
    asked for.
    """
    info = probe(path)
    rate = rate or info["rate"]
    channels = channels or info["channels"]
    raw = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "f32le",
            "-acodec",
            "pcm_f32le",
            "-ac",
            str(channels),
            "-ar",
            str(rate),
            "-",
        ]
    )
    data = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return data.reshape(-1, channels), rate


def _write_wav_float(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write a 16-bit PCM WAV (the lossless hand-off to ffmpeg)."""
    if samples.ndim == 1:
        samples = samples[:, None]
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(samples.shape[1])
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())


def encode(
    samples: np.ndarray, rate: int, dst: str | os.PathLike, *, fmt: str, out_rate: int
) -> Path:
    """Encode ``samples`` (at ``rate``) to ``dst`` as ``fmt`` at ``out_rate``.

    Bit-exact flags keep the bytes reproducible: the same call builds the same file.
    """
    try:
        spec = FORMATS[fmt]
    except KeyError:
        raise ConfigError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}") from None
    if out_rate not in spec.rates:
        raise ConfigError(
            f"format {fmt!r} is not built at {out_rate} Hz; valid rates: {spec.rates}"
        )
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.wav"
        _write_wav_float(src, samples, rate)
        part = dst.with_name(dst.name + f".part{os.getpid()}{dst.suffix}")
        _run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-i",
                str(src),
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                *spec.codec_args,
                "-ar",
                str(out_rate),
                str(part),
            ]
        )
        os.replace(part, dst)
    return dst


def format_for_path(path: str | os.PathLike) -> str:
    """Guess our format name back from a file (used to check the pipeline kept it)."""
    info = probe(path)
    codec = info["codec"]
    return {
        "pcm_s16le": "wav_pcm16",
        "pcm_mulaw": "wav_ulaw",
        "pcm_alaw": "wav_alaw",
        "mp3": "mp3",
        "flac": "flac",
        "opus": "opus",
    }.get(codec, codec)
