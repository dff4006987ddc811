"""Where the recogniser wrote nothing while someone spoke.

Whisper can drop most of a 30 s window and stamp what it kept at the window's end; what
was said there is unknown, so the pipeline judges such stretches as payment dialogue
(silenced unless explained), and the redecoder (:mod:`redactor.redecode`) tries them again.
"""

from __future__ import annotations

from redactor.tokens import Token
from redactor.unheard import PaymentWindow

__all__ = ["dropout_windows", "dropped_gaps", "silent_gaps", "spoken_within"]

# the last word written before a dropout is often stamped short of its sound: "voleta"
# (bolletta) ended 0.19 s before its breath did, and the customer's whole greeting, the
# utterance that breath closed, was judged inside the dropout's window and silenced
# (it-s17-009); what went unwritten starts after the word's tail
WORD_TAIL = 0.3


def dropout_windows(
    speech: list[tuple[float, float]],
    timeline: list[Token],
    answer: float = 2.0,
    min_gap: float = 4.0,
    min_speech: float = 3.0,
) -> list[PaymentWindow]:
    """Stretches where ASR wrote nothing at all, on any channel, for ``min_gap`` s or more
    while this channel spoke for ``min_speech`` s or more, as payment windows. Whisper can
    drop most of a 30 s window (a card request and the whole card number, seed 1
    it-s1-016, with only the greeting written, stamped at the window's end): we do not
    know what was said there, so it is judged as in a payment dialogue - silenced unless
    explained. The words written right after a dropout are stamped unreliably too: the
    window reaches over their sentence and ``answer`` s more; it starts :data:`WORD_TAIL`
    after the word written before it."""
    tokens = sorted(timeline, key=lambda t: t.start)
    out: list[PaymentWindow] = []
    for start, end, k in dropped_gaps(
        [(t.start, t.end) for t in tokens], speech, min_gap, min_speech
    ):
        reach = end
        if k is not None:  # over the sentence written right after the dropout
            while k + 1 < len(tokens) and not tokens[k].sentence_end:
                k += 1
            reach = tokens[k].end
        if start > 0.0:  # after a written word: past its tail
            start = min(start + WORD_TAIL, end)
        out.append(PaymentWindow(start, reach + answer))
    return out


def dropped_gaps(
    stamps: list[tuple[float, float]],
    speech: list[tuple[float, float]],
    min_gap: float = 4.0,
    min_speech: float = 3.0,
) -> list[tuple[float, float, int | None]]:
    """The gaps of :func:`silent_gaps` (``min_gap`` s or more between word ``stamps``,
    sorted by start, up to the end of ``speech``) in which ``speech`` lasts ``min_speech``
    s or more: what :func:`dropout_windows` judges as dropped."""
    last = max((e for _s, e in speech), default=0.0)
    return [
        (a, b, k)
        for a, b, k in silent_gaps(stamps, last, min_gap)
        if spoken_within(speech, a, b) >= min_speech
    ]


def silent_gaps(
    stamps: list[tuple[float, float]], last: float, min_gap: float
) -> list[tuple[float, float, int | None]]:
    """Gaps of ``min_gap`` s or more between word stamps (sorted by start) and up to
    ``last``: ``(from, to, index of the stamp after it)``, None for the gap at the end."""
    gaps: list[tuple[float, float, int | None]] = []
    prev_end = 0.0
    for k, (s, e) in enumerate(stamps):
        if s - prev_end >= min_gap:
            gaps.append((prev_end, s, k))
        prev_end = max(prev_end, e)
    if last - prev_end >= min_gap:
        gaps.append((prev_end, last, None))
    return gaps


def spoken_within(regions: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of ``regions`` (voice activity) between ``start`` and ``end``."""
    return sum(max(0.0, min(e, end) - max(s, start)) for s, e in regions)
