"""The span a finding's silence covers: its digits, the voice activity its first word
was said in, and each word's own time cut to a plausible length. Split from
:mod:`redactor.plan`, which pads and merges these."""

from __future__ import annotations

from dataclasses import replace

from redactor.cues import CARD_LIKE, DIGIT_SOUNDALIKES
from redactor.detect import Finding
from redactor.stamps import GLUED
from redactor.tokens import Token
from redactor.unheard import _plausible_start

__all__ = ["_core", "_digits_of", "_first_region", "soundalike_heads"]


def _digits_of(f: Finding, tokens: list[Token]) -> Finding:
    """``f`` cut to its first and last tokens that carry digits."""
    digits = [k for k in range(f.first, f.last + 1) if tokens[k].is_number]
    if not digits:
        return f
    first, last = digits[0], digits[-1]
    return replace(f, first=first, last=last, start=tokens[first].start, end=tokens[last].end)


def _first_region(start: float, speech: list[tuple[float, float]]) -> float:
    """Where the voice activity a finding starting at ``start`` starts: the region holding
    its first word, or, when that word was stamped in a pause, the region before it (the
    word may have been said there and stamped late)."""
    holding = [s for s, e in speech if s <= start + 0.05 < e]
    if holding:
        return min(holding[0], start)
    return min([s for s, _e in speech if s < start][-1:] or [start])


def _core(tok: Token) -> tuple[float, float]:
    """A token's own time span, cut to a plausible length: ASR stretches a word's start back
    over the silence (or the other speaker's turn) before it."""
    return _plausible_start(tok), tok.end


def soundalike_heads(
    findings: list[Finding], tokens: list[Token], language: str, keep: set[int] = frozenset()
) -> list[Finding]:
    """Findings of a number (a card, a long number) reaching back over the word right
    before their first token when it sounds like a digit word (``cues.DIGIT_SOUNDALIKES``)
    and runs into it with no pause: the number's first digit misheard, however sure. "yes
    it's five one seven ..." was heard "it's time (0.96) 1 m2 ...": "time" anchored the
    card's start and explained its speech, and the 5 leaked (en-s62-001, session 45).
    ``keep``: indices of words never reached over (a request's, the caller naming the
    detail)."""
    sounds = DIGIT_SOUNDALIKES.get(language, frozenset())
    out = []
    for f in findings:
        k = f.first - 1
        if (
            (f.entity_type in CARD_LIKE or f.entity_type == "ID_NUMBER")
            and k >= 0
            and k not in keep
            and tokens[k].text in sounds
            and tokens[k].channel == tokens[f.first].channel
            and tokens[f.first].start - tokens[k].end < GLUED
        ):
            f = replace(f, first=k, start=tokens[k].start, text=f"{tokens[k].text} {f.text}")
        out.append(f)
    return out
