"""Numbers that are harmless where they stand: quantities ("20 minutes", "le 3 cifre",
"49 euro e 90"), times of day ("alle 18 e 30") and references ("order number 4 6 5").
The number rules of :mod:`redactor.numbers` keep them audible."""

from __future__ import annotations

from redactor.cues import CLOCK, COUNTED, CUE_TAILS, REFERENCE_LABELS, UNIT_JOINERS, UNITS
from redactor.misheard import label_ended, misheard_label
from redactor.tokens import Token

__all__ = ["harmless_numbers"]


def _harmless_number(tokens: list[Token], i: int, units, labels, language: str = "en") -> bool:
    """A number token followed by a unit ("twenty minutes") or shortly after a reference
    label ("order number ..."), shorter than a card number."""
    return _harmless_run(tokens, i, i, tokens[i].digits, units, labels, language)


def harmless_numbers(tokens: list[Token], language: str = "en") -> list[Token]:
    """The number tokens that are harmless where they stand: quantities ("20 minutes",
    "the 16 digits") and references ("order number 4 6 5")."""
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    return [
        t
        for i, t in enumerate(tokens)
        if t.is_number and _harmless_number(tokens, i, units, labels, language)
    ]


def _harmless_run(
    tokens: list[Token], first: int, last: int, digits: str, units, labels, language: str = "en"
) -> bool:
    """The run ``first..last`` (carrying ``digits``) is followed by a unit, starts shortly
    after a reference label and is shorter than a card number, or is one digit counted
    (``cues.COUNTED``: "le 3" of "le tre cifre", whatever "cifre" was heard as)."""
    return (
        _unit_follows(tokens, last, units)
        or (_after_label(tokens, first, labels, language=language) and len(digits) < 13)
        or _counted(tokens, first, last, language)
        or _clock_time(tokens, first, last, language)
        or _after_unit(tokens, first, last, units, language)
        or _cue_head(tokens, first, last, language)
    )


def _cue_head(tokens: list[Token], first: int, last: int, language: str) -> bool:
    """The run is one number of one or two digits said right before the rest of a cue
    (``cues.CUE_TAILS``): the cue's first word misheard ("il 12 di sicurezza"). Its last
    word may be cut short at the end of what ASR heard: verification, hearing a clip of
    audible margins, wrote "e il 12 di sicure." and silenced every region of that
    segment, "perfetto, pagamento registrato" among them (it-s59-018, session 38)."""
    nums = [tokens[k] for k in _numbers_in(tokens, first, last)]
    if len(nums) != 1 or not 1 <= len(nums[0].digits) <= 2:
        return False
    after = [t.text for t in tokens[last + 1 : last + 4]]
    return any(
        len(after) >= len(tail)
        and after[: len(tail) - 1] == list(tail[:-1])
        and _cut_short(after[len(tail) - 1], tail[-1])
        for tail in CUE_TAILS.get(language, ())
    )


# the fewest letters of a word cut short that still name it ("sicure" for "sicurezza")
CUT_SHORT = 5


def _cut_short(heard: str, word: str) -> bool:
    """``heard`` is ``word``, or its first :data:`CUT_SHORT` letters or more."""
    return heard == word or (len(heard) >= CUT_SHORT and word.startswith(heard))


def _unit_follows(tokens: list[Token], last: int, units) -> bool:
    """The token after ``last`` is a unit, or a word that starts with a unit of four
    letters or more."""
    nxt = tokens[last + 1].text if last + 1 < len(tokens) else ""
    return nxt in units or any(nxt.startswith(u) for u in units if len(u) > 3)


def _numbers_in(tokens: list[Token], first: int, last: int) -> list[int]:
    """Indices of the number tokens of the run ``first..last``."""
    return [k for k in range(first, last + 1) if tokens[k].is_number]


def _clock_time(tokens: list[Token], first: int, last: int, language: str) -> bool:
    """The run is a time of day after ``cues.CLOCK`` ("alle 18 e 30", "dalle 9"): an hour
    (24 or less), and minutes (59 or less) after it if any, and nothing else."""
    if first == 0 or tokens[first - 1].text not in CLOCK.get(language, ()):
        return False
    nums = [tokens[k] for k in _numbers_in(tokens, first, last)]
    if not 1 <= len(nums) <= 2 or any(not t.digits or len(t.digits) > 2 for t in nums):
        return False
    return int(nums[0].digits) <= 24 and (len(nums) == 1 or int(nums[1].digits) <= 59)


def _after_unit(tokens: list[Token], first: int, last: int, units, language: str) -> bool:
    """The run is one number of one or two digits joined to a quantity's unit ("49 euro e
    90", "2 hours and 30"): the quantity's second part."""
    nums = [tokens[k] for k in _numbers_in(tokens, first, last)]
    return (
        first >= 2
        and len(nums) == 1
        and 1 <= len(nums[0].digits) <= 2
        and tokens[first - 1].text in UNIT_JOINERS.get(language, ())
        and tokens[first - 2].text in units
    )


def _counted(tokens: list[Token], first: int, last: int, language: str) -> bool:
    """The run holds one number, of one digit, said right after a counting article."""
    nums = _numbers_in(tokens, first, last)
    if len(nums) != 1 or len(tokens[nums[0]].digits) != 1 or nums[0] == 0:
        return False
    k = nums[0]
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    return tokens[k - 1].text in COUNTED.get(language, ()) and not (
        after is not None and after.is_number and after.start - tokens[k].end < 1.0
    )


def _before_quantity(tokens: list[Token], first: int, last: int, units) -> int | None:
    """When a unit follows the run ``first..last``, the last token before its quantity.

    Only the last number of a run is counted by a unit: in "3 7 8 7 7 4 6 4 8 7 8 8 next 30
    days" (a card read digit by digit, then a decoding loop) the "30" is the quantity and
    the twelve digits are still a card number. ``None`` when no unit follows or nothing
    comes before the quantity; else the index of the last number token before it."""
    if not _unit_follows(tokens, last, units):
        return None
    k = last - 1
    while k >= first and not tokens[k].is_number:
        k -= 1
    return k if k >= first else None


def _after_label(tokens: list[Token], i: int, labels, reach: int = 6, language: str = "en") -> bool:
    """A reference label ('order number', 'booking reference') shortly before token ``i``,
    in the same sentence; in Italian also one ASR misheard ("numero dotine" for "numero
    d'ordine", :func:`redactor.misheard.misheard_label`), which may start at token ``i``
    itself: its guessed digit ("numero 2 di me" for "numero d'ordine è")."""
    return _label_at(tokens, i, labels, reach, language) is not None


def _label_at(tokens: list[Token], i: int, labels, reach: int = 6, language: str = "en"):
    """Index of the reference label :func:`_after_label` finds for token ``i``, or None."""
    if misheard_label(tokens, i, language):
        return i
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        if tokens[k].sentence_end and not tokens[k].is_number:
            return label_ended(tokens, k, language) if k == i - 1 else None
        if tokens[k].text in labels or misheard_label(tokens, k, language):
            return k
    return None
