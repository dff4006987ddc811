"""Clauses saying since when ("dall'anno scorso", "da due mesi"), as ASR hears them.

After a condition such a clause opens a new one, which is no longer the condition
(:mod:`redactor.health_answers`); its words, heard together, account for their own speech
and bound the condition's span (:mod:`redactor.plan`)."""

from __future__ import annotations

from redactor.alphabet import _fold
from redactor.cues import SINCE
from redactor.phrases import alike
from redactor.tokens import Token

__all__ = ["since_words"]


def _since_clause(
    tokens: list[Token], i: int, language: str, noun: float = 0.4, pause: float = 0.3
) -> bool:
    """Token ``i`` opens a clause saying since when (``cues.SINCE``), as ASR hears it: an
    opener, however unsure, then a time noun heard at ``noun`` or more ("dal" 0.34, "anno"
    0.61; "dal ranno", the elision's "r" glued on), or the two glued ("dalanno",
    "salanno", "allanno") before a word of its tail ("scorso"). Each word right after the
    one before (under ``pause`` s)."""
    table = SINCE.get(language)
    if table is None:
        return False
    t = tokens[i]
    rest = [u for u in tokens[i + 1 : i + 3] if u.channel == t.channel]
    if not rest or rest[0].start - t.end >= pause:
        return False
    word, nxt = _fold(t.text.strip(".,?!'")), _fold(rest[0].text.strip(".,?!'"))
    nouns = table["nouns"]
    if word in table["openers"]:
        return rest[0].probability >= noun and (nxt in nouns or nxt[1:] in nouns)
    if word in table.get("articles", ()):  # "l anno schorso" (it-s19-024)
        return (
            rest[0].probability >= noun
            and nxt in nouns
            and len(rest) > 1
            and rest[1].start - rest[0].end < pause
            and _tail(_fold(rest[1].text.strip(".,?!'")), table)
        )
    glued = next((n for n in nouns if word.endswith(n) and 2 <= len(word) - len(n) <= 4), "")
    head = word[: len(word) - len(glued)]
    return bool(glued) and "al" in head and _tail(nxt, table)


# a tail heard with its head lost or changed ("cotto", "sloeso", "strorso" for "scorso",
# it-s31-034, it-s33-020): this alike a tail word of five letters or more, two letters of
# length either way
TAIL_ALIKE = 0.5


def _tail(word: str, table) -> bool:
    """``word`` (folded) is a time noun's tail ("scorso" however misheard, "fa")."""
    return word.startswith(("sc", *table["after"])) or any(
        alike(word, after, TAIL_ALIKE, slack=2) for after in table["after"] if len(after) >= 5
    )


def since_words(tokens: list[Token], language: str, pause: float = 0.3) -> set[int]:
    """Indices of the words of each clause saying since when (:func:`_since_clause`): the
    opener, the time noun unless glued to it, and one word of its tail said right after
    ("scorso", however unsure). Heard together they are that clause, whatever ASR made of
    each word: they account for their own speech and bound a condition's span as any
    word heard surely does."""
    table = SINCE.get(language)
    if table is None:
        return set()
    out: set[int] = set()
    for i in range(len(tokens)):
        if not _since_clause(tokens, i, language, pause=pause):
            continue
        opener = _fold(tokens[i].text.strip(".,?!'"))
        k = i + (opener in table["openers"] or opener in table.get("articles", ()))
        out.update(range(i, k + 1))
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            nxt is not None
            and nxt.channel == tokens[k].channel
            and nxt.start - tokens[k].end < pause
            and _tail(_fold(nxt.text.strip(".,?!'")), table)
        ):
            out.add(k + 1)
    return out
