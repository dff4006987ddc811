"""The agent's turns the recogniser wrote nothing for (two-channel calls)."""

from __future__ import annotations

from redactor.cues import DICTATION
from redactor.spans import merge_spans
from redactor.tokens import Token

__all__ = ["unwritten_turns"]


def unwritten_turns(
    solo: list[tuple[float, float]],
    tokens: list[Token],
    language: str,
    gap: float = 1.0,
    min_speech: float = 5.0,
) -> list[tuple[float, float]]:
    """Turns of the agent talking alone (``solo``: pieces closer than ``gap`` s are one
    turn) with ``min_speech`` s of speech or more in which the agent's channel (``tokens``)
    wrote no word at all. The agent's solo speech in a payment dialogue is kept audible
    because a read-back would be heard as a finding of the agent's own; where the channel
    wrote nothing, nothing could be found: base stamped an agent's whole greeting and
    security-code question 23 s late and wrote nothing for the card read back in between
    (Italian seed 2, it-s2-000), and all sixteen digits stayed audible. A card number
    read back takes 8 s or more; the question before it (3.6 s, as unwritten) is shorter
    than ``min_speech`` and stays audible: a short read-back (an expiry) would too. Only
    for languages in ``cues.DICTATION`` (measured on Italian; English keeps its measured
    behaviour)."""
    if language not in DICTATION:
        return []
    out: list[tuple[float, float]] = []
    for s, e in merge_spans(solo, gap):
        speech = sum(min(b, e) - max(a, s) for a, b in solo if a < e and b > s)
        if speech >= min_speech and not any(t.start < e and t.end > s for t in tokens):
            out.append((s, e))
    return out
