"""Who is speaking on a one-channel call, told apart by the pitch of their voices.

On a two-channel call the agent has a channel of their own, and the rules keep the agent's
questions and closings audible inside an answer or a payment window. On a one-channel
call every turn was judged as the caller's, and the agent's own words were silenced with
the answers around them: the agent's speech cost two to three times what the caller's
did (Italian seed 61: about 7 of 12.5 points of over-redaction).

Two voices whose pitch lies far apart (a low and a high voice) can be told apart turn by
turn without any speaker model: the voiced frames of the call fall into two groups, and a
turn whose frames nearly all fall into one group was said by that voice. Which voice is
the agent's is read off the words: the agent opens the call and asks for the details.
When the voices are close (two low or two high voices), or a turn's frames fall into both
groups, or the words do not say which voice asks, nothing is told apart and the call is
judged as before: a turn wrongly given to the agent would keep a caller's unheard answer
audible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redactor.transcribe import SAMPLE_RATE

__all__ = ["SPLIT_LANGUAGES", "VoiceSplit", "pitch_track", "split_voices"]

# The languages whose one-channel calls are told apart. Not English: its evaluation calls
# splice in digits that real people recorded (the shared FSDD clips), so one caller speaks
# with two voices, one of them as low as the agent's, and on English seed 61 a caller's
# whole card number fell into the agent's turns (s61-032; 26 turns of 5 calls of 6). A turn
# wrongly given to the agent is kept audible where it is unexplained: a leak. On Italian
# seeds 61 to 63, 30 of 60 one-channel calls were told apart, 289 agent and 399 caller
# turns, none given to the wrong voice
SPLIT_LANGUAGES = frozenset({"it"})

# pitch frames: 40 ms windows every 20 ms, voices between 60 and 400 Hz
FRAME = 0.04
HOP = 0.02
LOWEST_HZ = 60.0
HIGHEST_HZ = 400.0
# a frame is voiced when its autocorrelation at the pitch period is this share of its
# energy or more, and it is no quieter than this far below the call's loud speech (dB)
VOICING = 0.5
# the period is the first lag whose autocorrelation comes this near the highest
PEAK_SHARE = 0.9
BELOW_LOUD_DB = 30.0
# two voices are told apart only when their typical pitches are this many octaves apart
# or more (a man's voice at 100 Hz and a woman's at 200 Hz are one octave apart; two
# women's voices measured 190-230 Hz and 170-240 Hz, no more than a third of one)
MIN_OCTAVES = 0.6
# ... and few of the call's voiced frames lie between them: within this many octaves of
# the midpoint, at most this share
VALLEY_OCTAVES = 0.15
MAX_VALLEY_SHARE = 0.06
# ... and each voice holds this share of the call's voiced frames or more: two low voices
# and a few frames of noise heard as a high pitch are no two voices
MIN_VOICE_SHARE = 0.12
# a turn is one voice's when this share of its voiced frames or more is that voice's,
# counting this many voiced frames at least. A frame is a voice's when its pitch lies
# within this many octaves of the voice's (or half the way to the other voice); others
# are neither's: on a telephone line a low voice's pitch was read off its fourth harmonic
# in a tenth of its frames (350 Hz for 90 Hz)
NEAR_OCTAVES = 0.45
TURN_SHARE = 0.85
MIN_TURN_FRAMES = 5


@dataclass(frozen=True)
class VoiceSplit:
    """The turns of a one-channel call told apart: ``agent`` the speech regions the
    agent said, ``caller`` those the caller said; a region in neither is not known."""

    agent: list[tuple[float, float]]
    caller: list[tuple[float, float]]


def pitch_track(audio16k: np.ndarray) -> np.ndarray:
    """The pitch of every :data:`HOP` s frame in Hz, 0 where the frame is not voiced
    (autocorrelation over :data:`FRAME` s windows)."""
    n, hop = int(FRAME * SAMPLE_RATE), int(HOP * SAMPLE_RATE)
    if audio16k.size < n:
        return np.zeros(0)
    count = 1 + (audio16k.size - n) // hop
    idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
    frames = audio16k[idx].astype(np.float64)
    frames -= frames.mean(axis=1, keepdims=True)
    energy = np.sum(frames**2, axis=1)
    window = np.hanning(n)
    spectrum = np.fft.rfft(frames * window, 2 * n, axis=1)
    ac = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :n]
    # the window's own autocorrelation taken out: a period's peak is then as high at
    # twice the period as at the period, and the first peak near the highest is the
    # period (on a telephone line a low voice's fundamental is filtered out, and the
    # plain peak fell at a third of its period: 286 Hz for a 95 Hz voice)
    own = np.fft.irfft(np.abs(np.fft.rfft(window, 2 * n)) ** 2)[:n]
    lo, hi = int(SAMPLE_RATE / HIGHEST_HZ), int(SAMPLE_RATE / LOWEST_HZ)
    strength = ac[:, lo:hi] / own[lo:hi] * own[0] / np.maximum(ac[:, :1], 1e-12)
    best = strength.max(axis=1)
    near = strength >= PEAK_SHARE * best[:, None]
    lag = np.argmax(near, axis=1)
    for _ in range(hi - lo):  # climb to the top of that first peak
        step = np.minimum(lag + 1, hi - lo - 1)
        up = strength[np.arange(count), step] > strength[np.arange(count), lag]
        if not up.any():
            break
        lag = np.where(up, step, lag)
    strength = strength[np.arange(count), lag]
    lag = lag + lo
    loud = float(np.percentile(energy, 95)) if count else 0.0
    voiced = (strength >= VOICING) & (energy >= loud * 10 ** (-BELOW_LOUD_DB / 10)) & (loud > 0)
    return np.where(voiced, SAMPLE_RATE / lag, 0.0)


def _frames_in(f0: np.ndarray, s: float, e: float) -> np.ndarray:
    a, b = int(s / HOP), int(max(s, e - FRAME) / HOP) + 1
    part = f0[max(0, a) : max(0, b)]
    return part[part > 0]


def _two_voices(octaves: np.ndarray) -> tuple[float, float] | None:
    """The typical pitches (log2 Hz) of two voices far enough apart, or None. The cut
    between them is the one that best separates the frames (Otsu's threshold: the
    greatest variance between the two groups); the quieter voice may say a fifth of the
    call or less."""
    if octaves.size < 4 * MIN_TURN_FRAMES:
        return None
    x = np.sort(octaves)
    n = x.size
    sums = np.cumsum(x)
    k = np.arange(1, n)  # the low group is x[:k]
    mean_low, mean_high = sums[:-1] / k, (sums[-1] - sums[:-1]) / (n - k)
    between = k * (n - k) * (mean_low - mean_high) ** 2
    best = int(np.argmax(between))
    low, high = float(np.median(x[: best + 1])), float(np.median(x[best + 1 :]))
    mid = (low + high) / 2
    valley = float(np.mean(np.abs(x - mid) < VALLEY_OCTAVES))
    share = min(best + 1, n - best - 1) / n
    if high - low < MIN_OCTAVES or valley > MAX_VALLEY_SHARE or share < MIN_VOICE_SHARE:
        return None
    return low, high


def split_voices(
    audio16k: np.ndarray,
    speech: list[tuple[float, float]],
    asking: list[float],
) -> VoiceSplit | None:
    """The agent's and the caller's turns of a one-channel call (``speech`` its voice
    activity), told apart by pitch; ``asking`` the times the words show the agent asking
    for a detail or thanking for the call. None when the voices cannot be told apart
    surely: close pitches, the asking heard in both voices' turns or in none, or the call
    opened by the voice that did not ask."""
    f0 = pitch_track(audio16k)
    voiced = f0[f0 > 0]
    if voiced.size == 0:
        return None
    voices = _two_voices(np.log2(voiced))
    if voices is None:
        return None
    near = min(NEAR_OCTAVES, (voices[1] - voices[0]) / 2)
    turns: list[list[tuple[float, float]]] = [[], []]
    for s, e in speech:
        octaves = np.log2(_frames_in(f0, s, e))
        counts = [int(np.sum(np.abs(octaves - v) < near)) for v in voices]
        if sum(counts) < MIN_TURN_FRAMES:
            continue
        for v in (0, 1):
            if counts[v] >= TURN_SHARE * sum(counts):
                turns[v].append((s, e))
    said = [sum(any(s <= t < e for s, e in turns[v]) for t in asking) for v in (0, 1)]
    if min(said) > 0 or max(said) == 0 or not all(turns):
        return None
    agent = int(said[1] > said[0])
    # ... and the agent answers the call: a call the other voice opened is not one whose
    # asking we trust to tell the voices (a caller naming the detail, "il codice fiscale
    # è ...", says a request's words too, and the agent's own may all have been misheard)
    if min(turns[1 - agent], default=(np.inf,))[0] < min(turns[agent])[0]:
        return None
    return VoiceSplit(agent=turns[agent], caller=turns[1 - agent])
