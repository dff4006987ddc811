"""Voice activity with Silero VAD (the ONNX model that ships inside faster-whisper)."""

from __future__ import annotations

import numpy as np

from redactor.transcribe import SAMPLE_RATE

__all__ = ["own_voice", "speech_regions", "sound_regions"]


def speech_regions(audio16k: np.ndarray, threshold: float = 0.35) -> list[tuple[float, float]]:
    """Speech regions in seconds. A low threshold and short minimums: for redaction, a
    missed region is a leak, while an extra one only matters near a finding."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio16k.size == 0:
        return []
    opts = VadOptions(
        threshold=threshold,
        min_speech_duration_ms=60,
        min_silence_duration_ms=120,
        speech_pad_ms=20,
    )
    stamps = get_speech_timestamps(audio16k, opts, sampling_rate=SAMPLE_RATE)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def sound_regions(
    audio16k: np.ndarray,
    below_peak_db: float = 45.0,
    above_noise_db: float = 12.0,
    floor_dbfs: float = -65.0,
) -> list[tuple[float, float]]:
    """Where a channel carries any sound at all: 20 ms frames within ``below_peak_db`` dB
    of the channel's loud level (its 95th percentile frame), ``above_noise_db`` dB above
    its noise (its 10th percentile frame: a speaker on one channel of a two-channel call
    is silent most of the time, and line noise is not speech) and above ``floor_dbfs``.

    Far more lenient than :func:`speech_regions`, this is the check on a word that voice
    activity did not confirm: a digit VAD missed still made sound on its channel, while a
    word the recogniser wrote over a silent channel (tiny.en looping "8 6 3" for twenty
    seconds after the customer stopped talking) is not speech at all, and silencing it
    would only silence the other speaker."""
    frame = SAMPLE_RATE // 50
    n = audio16k.size // frame
    if n == 0:
        return []
    x = audio16k[: n * frame].astype(np.float64).reshape(n, frame)
    rms = np.sqrt(np.mean(x**2, axis=1))
    peak, noise = np.percentile(rms, [95, 10])
    level = max(
        float(peak) * 10 ** (-below_peak_db / 20),
        float(noise) * 10 ** (above_noise_db / 20),
        10 ** (floor_dbfs / 20),
    )
    loud = rms > level
    out: list[tuple[float, float]] = []
    for k in np.flatnonzero(loud):
        t0, t1 = k / 50, (k + 1) / 50
        if out and t0 - out[-1][1] <= 0.1:
            out[-1] = (out[-1][0], t1)
        else:
            out.append((t0, t1))
    return out


# how much louder (dB) a channel of a two-channel call must be than the other for the voice
# on it to be its own speaker's: the caller's echo on the agent's line was 18 dB below the
# caller's own channel (it-s62-029, narrowband a-law)
OWN_VOICE_DB = 6.0


def own_voice(
    channels: list[np.ndarray],
    speech: list[list[tuple[float, float]]],
    margin_db: float = OWN_VOICE_DB,
) -> list[list[tuple[float, float]]]:
    """Each channel's voice activity (``speech``, per 16 kHz channel of ``channels``) where
    that channel is ``margin_db`` dB louder than every other: its own speaker talking, not
    the other's echo. On a two-channel call the caller's voice reaches the agent's line
    too, and the recogniser may write the echo there while writing nothing on the caller's
    own channel (base dropped 20 s of a fiscal code spelled on it, and the echo's words
    stood for it, it-s62-029): a channel's own words must account for its own voice. A
    one-channel call's voice is all its own."""
    if len(channels) < 2:
        return [list(regions) for regions in speech]
    frame = SAMPLE_RATE // 50
    n = min(a.size for a in channels) // frame
    rms = np.stack(
        [np.sqrt(np.mean(a[: n * frame].astype(np.float64).reshape(n, frame) ** 2, axis=1))
         for a in channels]
    ) if n else np.zeros((len(channels), 0))  # fmt: skip
    ratio = 10 ** (margin_db / 20)
    out = []
    for c, regions in enumerate(speech):
        others = np.max(np.delete(rms, c, axis=0), axis=0) if n else rms[c]
        louder = rms[c] > others * ratio
        own: list[tuple[float, float]] = []
        for s, e in regions:  # each region's louder frames, gaps of 0.1 s closed
            lo, hi = int(s * 50), min(int(np.ceil(e * 50)), n)
            pieces: list[tuple[float, float]] = []
            for k in np.flatnonzero(louder[lo:hi]) + lo:
                t0, t1 = max(k / 50, s), min((k + 1) / 50, e)
                if pieces and t0 - pieces[-1][1] <= 0.1:
                    pieces[-1] = (pieces[-1][0], t1)
                elif t1 > t0:
                    pieces.append((t0, t1))
            own += pieces
        out.append(own)
    return out
