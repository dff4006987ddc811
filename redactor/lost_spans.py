"""Where the recogniser lost its way: the stretches of a channel that are decoded again
(:mod:`redactor.redecode`) or, where that fails, judged as unheard.

A loop ("3 3 3 3 ..." at probability 0), one word glued over seconds of speech, a copy of
the decoder's own earlier words, and a dropout (seconds of speech with no word written) all
mean the same thing: what was said there is not in the transcript. These functions only
find such stretches; what is done with them is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from redactor.dropouts import dropped_gaps, silent_gaps, spoken_within
from redactor.loops import _copies, _loop_indices
from redactor.spans import subtract_spans
from redactor.tokens import Token, distrust_repetitions
from redactor.transcribe import Word
from redactor.unheard import plausible_length

__all__ = [
    "GLUED_PROBABILITY",
    "GLUED_SECONDS",
    "MIN_LOOP_SECONDS",
    "copied_spans",
    "dropout_spans",
    "dropped_unheard",
    "looped_spans",
]

# a loop must last this long to be decoded again (shorter repeats cost little to silence)
MIN_LOOP_SECONDS = 2.0

# a loop inside one word: a piece of up to four characters written eight times or more in
# a row ("n41756767676767...", 109 characters over the closing and the order number of
# it-s6-026; "2mm2mm2mm...", "t0000000..."), in a word longer than any code (an IBAN
# written as one word is 27 characters)
_LOOPED_WORD = re.compile(r"(.{1,4}?)\1{7,}")
# one word lasting this long (s) or more, heard below GLUED_PROBABILITY, is the decoder lost
# over a stretch of speech, as a loop is: on 8 kHz audio base wrote an IBAN and the agent's
# "ricevuto" as "id2e0d0e015e396e65e2885e6122743dc" (13.4 s at 0.06), silenced whole with
# the sentence after it; decoded again alone, it came back as digits and "ricemuto"
# (it-s61-035 28.6% to 25.3%); the closing and the order number heard "perfetto il
# n2dn071527" (6.8 s at 0.15) came back as words (it-s61-031 34.2% to 12.5%). A second
# decode is still judged by its loops only: judged by its glued words too, base's junk
# second decode of a dropout (it-s61-024) was thrown away for regions that heard nothing,
# and the call went from 52.7% to 65.4%
GLUED_SECONDS = 2.0
GLUED_PROBABILITY = 0.2


def looped_spans(tokens: list[Token], min_seconds: float = MIN_LOOP_SECONDS, glued: bool = True):
    """Time spans of ``tokens`` (one channel, normalised) where the recogniser looped:
    consecutive tokens that are immediate repeats or part of a loop, lasting
    ``min_seconds`` or more, and (with ``glued``) a long word heard as a guess
    (:data:`GLUED_SECONDS`)."""
    flat = distrust_repetitions(tokens)
    bad = {k for k, t in enumerate(flat) if t.probability == 0.0 and tokens[k].probability > 0}
    bad |= _loop_indices(tokens)
    bad |= {k for k, t in enumerate(tokens) if len(t.text) > 32 and _LOOPED_WORD.search(t.text)}
    if glued:
        bad |= {
            k
            for k, t in enumerate(tokens)
            if t.end - t.start >= GLUED_SECONDS and t.probability < GLUED_PROBABILITY
        }
    return _runs(tokens, bad, min_seconds)


def _runs(tokens: list[Token], marked: set[int], min_seconds: float):
    """Time spans of the runs of consecutive ``marked`` tokens lasting ``min_seconds`` or
    more."""
    spans: list[list[float]] = []
    last = -2
    for k in sorted(marked):
        if k == last + 1 and spans:
            spans[-1][1] = max(spans[-1][1], tokens[k].end)
        else:
            spans.append([tokens[k].start, tokens[k].end])
        last = k
    return [(s, e) for s, e in spans if e - s >= min_seconds]


# a copy (:func:`redactor.loops._copies`: words written again over speech the decoder could
# not follow) must last this long to be decoded again
MIN_COPY_SECONDS = 1.0


def copied_spans(tokens: list[Token], language: str, min_seconds: float = MIN_COPY_SECONDS):
    """Time spans of ``tokens`` (one channel, normalised) the recogniser wrote as a copy
    of its own earlier words, lasting ``min_seconds`` or more."""
    return _runs(tokens, _copies(tokens, language), min_seconds)


def dropout_spans(
    words: dict[int, list[Word]],
    speech: dict[int, list[tuple[float, float]]],
    min_gap: float = 4.0,
    min_speech: float = 3.0,
    voice: dict[int, list[tuple[float, float]]] | None = None,
) -> list[tuple[int, float, float]]:
    """``(channel, start, end)`` of each stretch of ``min_gap`` s or more in which no
    channel has a word while that channel spoke for ``min_speech`` s or more: the recogniser
    dropped the speech there (see :func:`redactor.dropouts.dropout_windows`, the rule that
    redacts what stays dropped). A word counts from where it was plausibly said: the
    recogniser that skipped "the payment has gone through, your order number is ..." wrote
    the "calling" of "thank you for calling" stamped over the 8 s it skipped."""
    stamps = sorted((_said_from(w), w.end) for ws in words.values() for w in ws)
    last = max((e for regions in speech.values() for _s, e in regions), default=0.0)
    out = [
        (ch, a, b)
        for a, b, _next in silent_gaps(stamps, last, min_gap)
        for ch, regions in sorted(speech.items())
        if spoken_within(regions, a, b) >= min_speech
    ]
    if len(speech) != 2:
        return out
    # ... and on a two-channel call, a channel that wrote nothing while it talked alone:
    # the other channel's words do not account for it (tiny.en wrote none of the agent's
    # "and the expiry date", "... the three digits on the back", "thank you, the payment
    # has gone through" while the customer's channel wrote "hello, I need some help" again
    # over them). With the channels' ``voice`` (:func:`redactor.vad.own_voice`), a channel
    # that wrote nothing while its own voice was the louder: the other channel's words
    # there may be its echo (base wrote the caller's spelled fiscal code on the agent's
    # line as "domenato di chi e il cico mecomo" and nothing on the caller's, it-s62-029)
    for ch, regions in sorted(speech.items()):
        solo = (
            voice[ch] if voice is not None
            else subtract_spans(regions, [r for c, rs in speech.items() if c != ch for r in rs])
        )  # fmt: skip
        own = sorted((_said_from(w), w.end) for w in words.get(ch, ()))
        for a, b, _next in silent_gaps(own, last, min_gap):
            done = any(c == ch and s <= a and b <= e for c, s, e in out)
            if not done and spoken_within(solo, a, b) >= min_speech:
                out.append((ch, a, b))
    return out


def dropped_unheard(
    words: dict[int, list[Word]],
    speech: list[tuple[float, float]],
    min_gap: float = 4.0,
    min_speech: float = 3.0,
    own: list[Word] = (),
    voice: list[tuple[float, float]] = (),
) -> Callable[[float, float], bool]:
    """Whether a stretch lies in a dropout the fail-closed rules judge as unheard
    (:func:`redactor.dropouts.dropout_windows`: ``min_gap`` s with no word stamped on any
    channel of ``words``, while the channel of ``speech`` spoke ``min_speech`` s; or none
    of the channel's ``own`` words while its own ``voice`` spoke that long)."""
    stamps = sorted((w.start, w.end) for ws in words.values() for w in ws)
    gaps = dropped_gaps(stamps, speech, min_gap, min_speech)
    if voice:
        gaps += dropped_gaps(sorted((w.start, w.end) for w in own), voice, min_gap, min_speech)
    return lambda s, e: any(a < e and s < b for a, b, _next in gaps)


def _said_from(w: Word) -> float:
    """Where a word most likely starts (:func:`redactor.unheard._plausible_start` for a
    word not yet normalised): a digit run may take 0.45 s a digit, a word is short."""
    text = w.text.strip()
    digits = sum(ch.isdigit() for ch in text)
    return max(w.start, w.end - plausible_length(digits, len(text)))
