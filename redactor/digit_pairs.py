"""Digits heard as other words, one word or several: the tests :func:`redactor.tokens.normalize`
applies before it reads a word, or a few, as a digit ("è il" for "sei" beside a number,
"c'è il numero" for "sei zero" before one, "for" between two digits)."""

from __future__ import annotations

import re

from redactor.number_words import _HOMOPHONE_PAIRS
from redactor.transcribe import Word

__all__: list[str] = []  # helpers of redactor.tokens only

_PUNCT = re.compile(r"[^\w@'+/.-]+", re.UNICODE)
_DIGITISH = re.compile(r"^[\d,.\-/]*\d[\d,.\-/]*$")


def _clean(text: str) -> str:
    return _PUNCT.sub("", text.lower()).strip(".,-/'")


# Homophones of several words that are common words in any speech: beside a number only
_WEAK_PAIRS = frozenset({("è", "il"), ("è", "i")})


def _clean_key(words: list[Word], i: int, size: int) -> tuple[str, ...]:
    return tuple(_clean(w.text) for w in words[i : i + size])


def _is_number_word(text: str, number_words) -> bool:
    c = _clean(text)
    return bool(c) and (c in number_words or bool(_DIGITISH.match(c)))


def _between_numbers(words, i, number_words) -> bool:
    """A homophone reads as a digit only with numbers on both sides (or at a run's edge
    with two numbers on one side): 'four for one' yes, 'wait for 2 days' no."""
    before = i > 0 and _is_number_word(words[i - 1].text, number_words)
    after = i + 1 < len(words) and _is_number_word(words[i + 1].text, number_words)
    if before and after:
        return True
    two_before = i > 1 and before and _is_number_word(words[i - 2].text, number_words)
    two_after = i + 2 < len(words) and after and _is_number_word(words[i + 2].text, number_words)
    return two_before or two_after


def _homophone_words(words: list[Word], i: int, language: str) -> tuple[int, str]:
    """The longest homophone of several words (``number_words._HOMOPHONE_PAIRS``) starting at
    ``words[i]``, as its length and its digit; ``(0, "")`` if none does."""
    table = _HOMOPHONE_PAIRS.get(language, {})
    for size in (4, 3, 2):
        key = _clean_key(words, i, size)
        if len(key) == size and key in table:
            return size, table[key]
    return 0, ""


def _read_on(words, i, size: int, number_words, pause: float = 0.3) -> bool:
    """The words ``i`` to ``i + size - 1`` end no sentence and are followed, within
    ``pause`` s, by a number heard as one (``number_words``)."""
    key = words[i : i + size]
    nxt = words[i + size] if i + size < len(words) else None
    return (
        nxt is not None
        and not any(w.text.rstrip().endswith(("?", ".", "!")) for w in key)
        and nxt.start - key[-1].end < pause
        and _is_number_word(nxt.text, number_words)
    )


def _pair_before_run(words, i, size: int, near, number_words) -> bool:
    """A homophone of ``size`` words from ``i`` is followed by a number or a homophone
    (``near``) and then by a number heard as one (``number_words``)."""
    after = words[i + size : i + size + 2]
    return (
        len(after) == 2
        and _is_number_word(after[0].text, near)
        and _is_number_word(after[1].text, number_words)
    )


def _pair_among_numbers(words, i, number_words, size: int = 2) -> bool:
    """A homophone of ``size`` words from ``i`` with a number right before or right after
    it ("otto tu e uno"): one side is enough, the pair itself is rare in other speech."""
    before = i > 0 and _is_number_word(words[i - 1].text, number_words)
    after = i + size < len(words) and _is_number_word(words[i + size].text, number_words)
    return before or after
