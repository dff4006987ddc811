"""Runs of numbers in a transcript: numbers and the short words between them read as one
number ("4 7 and 6 3", "9 e il nero 8"). The payment, long-number and reference rules
(:mod:`redactor.numbers`) judge the runs found here."""

from __future__ import annotations

from redactor.cues import _BRIDGE_GLUED
from redactor.tokens import Token, homophones

__all__: list[str] = []  # helpers of redactor.numbers and redactor.scattered


def _number_runs(tokens: list[Token], language: str = "en", homophones_too: bool = False):
    """``(first, last)`` of each run of number tokens (see :func:`_run_end`). With
    ``homophones_too``, a digit's homophone left a word ("nero") links the numbers around
    it, as a number would: "9 e il nero 8 e 8 e 3 4 5 2" is one card, whose last eight
    digits leaked as two short runs (it-s36-009). A run still starts and ends with a
    number."""
    numeric = [t.is_number for t in tokens]
    linking = numeric
    if homophones_too:
        sounds = homophones(language)
        linking = [t.is_number or t.text in sounds for t in tokens]
    i = 0
    while i < len(tokens):
        if not numeric[i]:
            i += 1
            continue
        j = _run_end(tokens, i, linking, language, skip=2 if homophones_too else 1)
        while not numeric[j]:
            j -= 1
        yield i, j
        i = j + 1


def _run_end(
    tokens: list[Token], i: int, numberish: list[bool], language: str = "en", skip: int = 1
) -> int:
    """End of the number-ish run starting at ``i``; it reaches over ``skip`` short other
    tokens ("4 7 and 6 3"; "9 e il nero 8") when more number-ish tokens follow."""
    glued = _BRIDGE_GLUED.get(language)
    j = i
    while True:
        k = j + 1
        if (
            skip > 1 and k + 1 < len(tokens)
            and not numberish[k] and len(tokens[k].text) <= 3
            and not numberish[k + 1] and len(tokens[k + 1].text) <= 3
        ):  # fmt: skip
            k += 1  # the first of two short words: the second is judged below
        if (
            k < len(tokens)
            and not numberish[k]
            and (
                len(tokens[k].text) <= 3
                or (
                    glued is not None
                    and k + 1 < len(tokens)
                    and tokens[k].start - tokens[j].end <= glued
                    and tokens[k + 1].start - tokens[k].end <= glued
                )
            )
        ):
            k += 1
        if k < len(tokens) and numberish[k]:
            j = k
            continue
        return j
