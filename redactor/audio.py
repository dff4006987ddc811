"""Audio in and out: probe, decode, silence and re-encode in the original format.

A redacted file must look like the file it came from: same container, codec, sample rate,
channel count and duration (within one codec frame), so that telephony and QA tools that
accepted the original accept the result. We decode with pydub over ffmpeg into 16-bit PCM,
edit samples in numpy, and encode back with the codec we probed.

Bad input is refused here with one clear :class:`~redactor.errors.BadInputError` per cause:
empty, not audio, truncated, zero duration, unsupported codec, too many channels, too large.
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

from redactor.errors import BadInputError

__all__ = [
    "AudioInfo",
    "Audio",
    "probe",
    "load",
    "save",
    "SUPPORTED_CODECS",
    "DEFAULT_MAX_BYTES",
]

DEFAULT_MAX_BYTES = 2 * 1024**3

# codec name (ffprobe) -> (ffmpeg encoder, pydub/ffmpeg muxer by container)
SUPPORTED_CODECS = {
    "pcm_s16le": "pcm_s16le",
    "pcm_mulaw": "pcm_mulaw",
    "pcm_alaw": "pcm_alaw",
    "mp3": "libmp3lame",
    "flac": "flac",
    "opus": "libopus",
    "vorbis": "libvorbis",
}
SUPPORTED_CONTAINERS = {"wav", "mp3", "flac", "ogg"}
_OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


@dataclass(frozen=True)
class AudioInfo:
    """What ffprobe says about a file; enough to write it back the same way."""

    container: str  # wav | mp3 | flac | ogg
    codec: str  # key of SUPPORTED_CODECS
    sample_rate: int
    channels: int
    duration: float  # seconds, as declared by the container
    bit_rate: int | None
    size: int

    @property
    def description(self) -> str:
        return f"{self.container}/{self.codec} {self.sample_rate} Hz x{self.channels}"


@dataclass
class Audio:
    """Decoded audio: int16 samples shaped (frames, channels) plus the source format."""

    samples: np.ndarray
    info: AudioInfo

    @property
    def sample_rate(self) -> int:
        return self.info.sample_rate

    @property
    def channels(self) -> int:
        return self.samples.shape[1]

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.sample_rate

    def channel_float(self, channel: int) -> np.ndarray:
        """One channel as float32 in [-1, 1]."""
        return self.samples[:, channel].astype(np.float32) / 32768.0


def _run(cmd: list[str], *, input_bytes: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, input=input_bytes, capture_output=True, check=False)
    except FileNotFoundError:
        raise BadInputError(
            f"{cmd[0]} is not installed; run the setup command (scripts/setup.sh)"
        ) from None


def probe(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> AudioInfo:
    """Inspect ``path`` and refuse anything we cannot redact faithfully."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInputError(f"{name}: no such file") from None
    if not path.is_file():
        raise BadInputError(f"{name}: not a regular file")
    if size == 0:
        raise BadInputError(f"{name}: empty file (0 bytes)")
    if size > max_bytes:
        raise BadInputError(f"{name}: {size} bytes is over the size limit of {max_bytes} bytes")
    proc = _run(
        [
            "ffprobe", "-v", "error", "-print_format", "json",
            "-show_format", "-show_streams", "-select_streams", "a", str(path),
        ]
    )  # fmt: skip
    if proc.returncode != 0:
        raise BadInputError(f"{name}: not an audio file we can read")
    data = json.loads(proc.stdout or b"{}")
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    if not streams:
        raise BadInputError(f"{name}: contains no audio stream")
    if len(streams) > 1:
        raise BadInputError(f"{name}: has {len(streams)} audio streams; expected one")
    st = streams[0]
    codec = st.get("codec_name", "")
    container = _container(fmt.get("format_name", ""))
    if codec not in SUPPORTED_CODECS or container not in SUPPORTED_CONTAINERS:
        raise BadInputError(
            f"{name}: unsupported format {container or fmt.get('format_name')}/{codec}; "
            f"supported codecs: {', '.join(SUPPORTED_CODECS)} in "
            f"{', '.join(sorted(SUPPORTED_CONTAINERS))}"
        )
    channels = int(st.get("channels") or 0)
    if channels not in (1, 2):
        raise BadInputError(f"{name}: {channels} channels; supported: 1 (mono) or 2 (stereo)")
    rate = int(st.get("sample_rate") or 0)
    if rate <= 0:
        raise BadInputError(f"{name}: no sample rate")
    duration = float(st.get("duration") or fmt.get("duration") or 0.0)
    if duration <= 0.0:
        raise BadInputError(f"{name}: zero duration")
    bit_rate = st.get("bit_rate") or fmt.get("bit_rate")
    return AudioInfo(
        container=container,
        codec=codec,
        sample_rate=rate,
        channels=channels,
        duration=duration,
        bit_rate=int(bit_rate) if bit_rate else None,
        size=size,
    )


def _container(format_name: str) -> str:
    names = set(format_name.split(","))
    for candidate in ("wav", "mp3", "flac", "ogg"):
        if candidate in names:
            return candidate
    return format_name


def load(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Audio:
    """Probe and decode ``path`` to int16 PCM at its own rate and channel count.

    Decoding is strict: any decoder error (a truncated or corrupt stream) refuses the file,
    because redacting a file we only partly understood would be a silent leak.
    """
    path = Path(path)
    fast = _load_pcm_wav(path, max_bytes)
    if fast is not None:
        return fast
    info = probe(path, max_bytes=max_bytes)
    proc = _run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", str(path),
            "-f", "s16le", "-acodec", "pcm_s16le",
            "-ar", str(info.sample_rate), "-ac", str(info.channels), "-",
        ]
    )  # fmt: skip
    if proc.returncode != 0 or _decoder_complained(proc.stderr):
        raise BadInputError(f"{path.name}: corrupt or truncated audio stream")
    samples = np.frombuffer(proc.stdout, dtype="<i2").reshape(-1, info.channels)
    if samples.shape[0] == 0:
        raise BadInputError(f"{path.name}: zero duration (no samples decoded)")
    if info.container == "ogg" and not _ogg_has_eos(path):
        raise BadInputError(f"{path.name}: truncated (the Ogg stream has no end-of-stream page)")
    decoded = samples.shape[0] / info.sample_rate
    # A container that declares more than it holds was cut off in transit.
    if info.duration - decoded > max(0.1, 0.02 * info.duration):
        raise BadInputError(
            f"{path.name}: truncated (declares {info.duration:.2f} s, holds {decoded:.2f} s)"
        )
    return Audio(samples=samples.copy(), info=info)


def _load_pcm_wav(path: Path, max_bytes: int) -> Audio | None:
    """Plain 16-bit PCM WAV read in process (two ffmpeg start-ups cost more than a short
    call's whole decode). Anything else, or anything odd, returns None: ffprobe decides."""
    try:
        size = path.stat().st_size
        if not path.is_file() or not 44 < size <= max_bytes:
            return None
        with path.open("rb") as fh:
            head = fh.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            fh.seek(0)
            with wave.open(fh, "rb") as w:
                if w.getsampwidth() != 2 or w.getcomptype() != "NONE":
                    return None
                channels, rate, declared = w.getnchannels(), w.getframerate(), w.getnframes()
                if channels not in (1, 2) or rate <= 0 or declared <= 0:
                    return None
                data = w.readframes(declared)
    except (OSError, EOFError, wave.Error):
        return None
    frames = len(data) // (2 * channels)
    if frames < declared:  # truncated in transit: let the strict path word the refusal
        return None
    samples = np.frombuffer(data[: frames * 2 * channels], dtype="<i2").reshape(-1, channels)
    info = AudioInfo("wav", "pcm_s16le", rate, channels, frames / rate, rate * channels * 16, size)
    return Audio(samples=samples.copy(), info=info)


def _ogg_has_eos(path: Path) -> bool:
    """A complete Ogg stream ends with a page whose header carries the end-of-stream flag."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    at = tail.rfind(b"OggS")
    return at >= 0 and len(tail) > at + 5 and bool(tail[at + 5] & 0x04)


def _decoder_complained(stderr: bytes) -> bool:
    text = stderr.decode("utf-8", "replace").lower()
    bad = ("invalid data", "error while decoding", "corrupt", "truncat", "invalid frame")
    return any(b in text for b in bad)


def save(audio: Audio, dst: str | Path) -> None:
    """Encode ``audio`` in its original format (pydub over ffmpeg) and write it atomically.

    The bytes go to a temporary file beside ``dst`` first and are renamed into place only
    when ffmpeg succeeded, so a crash never leaves a partial output behind.
    """
    from pydub import AudioSegment
    from pydub.exceptions import CouldntEncodeError

    dst = Path(dst)
    info = audio.info
    rate = info.sample_rate
    if info.codec == "opus" and rate not in _OPUS_RATES:
        rate = 48000
    params = ["-ar", str(rate), "-map_metadata", "-1"]
    if info.codec == "mp3":
        params += ["-write_xing", "1"]
    bitrate = (
        str(info.bit_rate) if info.codec in ("mp3", "opus", "vorbis") and info.bit_rate else None
    )
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".part", dir=dst.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            if info.container == "wav" and info.codec == "pcm_s16le":
                _write_pcm_wav(audio, tmp)  # in process: no ffmpeg start-up per file
            else:
                segment = AudioSegment(
                    data=np.ascontiguousarray(audio.samples, dtype="<i2").tobytes(),
                    sample_width=2,
                    frame_rate=info.sample_rate,
                    channels=audio.channels,
                )
                segment.export(
                    str(tmp),
                    format=info.container,
                    codec=SUPPORTED_CODECS[info.codec],
                    bitrate=bitrate,
                    parameters=params,
                ).close()
        except (CouldntEncodeError, wave.Error, OSError) as exc:
            last = str(exc).strip().splitlines()[-1:] or [""]
            raise BadInputError(
                f"{dst.name}: cannot encode {info.description}: {last[0]}"
            ) from None
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def _write_pcm_wav(audio: Audio, path: Path) -> None:
    """16-bit PCM WAV, the telephony drop's most common format, written without ffmpeg."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(audio.channels)
        w.setsampwidth(2)
        w.setframerate(audio.info.sample_rate)
        w.writeframes(np.ascontiguousarray(audio.samples, dtype="<i2").tobytes())
