"""Repetitions in a transcript: an n-gram said back to back (a decoding loop, not speech)
and the words people really do say twice or return ("buongiorno" / "buongiorno"). Used by
:mod:`redactor.tokens` (re-exported there), :mod:`redactor.loops` and the pipeline."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redactor.tokens import Token

__all__ = ["RETURNED", "distrust_repetitions", "repeats_at"]


def distrust_repetitions(tokens: list[Token], max_n: int = 4) -> list[Token]:
    """Zero the probability of tokens in an immediately repeated n-gram ("we're not winning
    we're not winning"): a decoding loop, not speech, so it must not explain the audio."""
    if len(tokens) < 2:
        return tokens
    bad = [False] * len(tokens)
    texts = [t.text for t in tokens]
    # words said twice for real, whole or in halves ("buongiorno buongiorno" written "buon
    # giorno buon giorno"), and the repeats that start inside them ("giorno buon giorno
    # buon", when the next word starts with "buon" again)
    said_twice: set[int] = set()
    for n in range(1, 3):
        for i in range(len(texts) - 2 * n + 1):
            if "".join(texts[i : i + n]) in _ALLOWED_DOUBLES and repeats_at(texts, i, n) >= 2:
                said_twice.update(range(i, i + 2 * n))
    for n in range(1, max_n + 1):
        for i in range(len(texts) - 2 * n + 1):
            if repeats_at(texts, i, n) >= 2 and not all(
                tokens[k].is_number for k in range(i, i + 2 * n)
            ):
                if all(k in said_twice for k in range(i, i + n)):
                    continue
                for k in range(i, i + 2 * n):
                    bad[k] = True
    return [
        replace(t, probability=0.0) if b else t for t, b in zip(tokens, bad, strict=True)
    ]  # fmt: skip


def repeats_at(texts: list[str], i: int, n: int) -> int:
    """How many times the ``n`` words from ``i`` are said back to back there (1: once):
    the one measure of a decoding loop, shared by the rules that look for them."""
    gram = texts[i : i + n]
    reps = 1
    while texts[i + reps * n : i + (reps + 1) * n] == gram:
        reps += 1
    return reps


# A greeting or a thanks is returned: "pronto, ufficio pagamenti, buongiorno" / "buongiorno,
# vorrei pagare" is heard "buongiorno buongiorno" on the agent's channel (base sometimes
# writes a third). Zeroed as a loop it explained none of the customer's greeting, which was
# silenced next to the payment cue in it. Twice in a row is no loop, and a loop of one of
# these needs one saying more (loops._loop_indices). So do the greeting's halves, as base
# often writes it: "di buon giorno" / "un giorno un giorno per me il pagamento" on a mono
# call was a loop of "giorno", and the loop's lead-in silenced the agent's greeting and
# the customer's (it-s17-025); and "buon giorno buon giorno buon me di padare" for the
# greeting returned and "buongiorno, vorrei pagare" on an 8 kHz mono call was a loop of
# "buon" and of "buon giorno" said twice: its window silenced both greetings and the
# health question after them (it-s59-014, 57.9%, session 33)
RETURNED = frozenset({"buongiorno", "buonasera", "salve", "arrivederci", "grazie", "prego",
                      "ciao", "sì", "certo", "perfetto", "giorno", "sera", "buon",
                      "buona"})  # fmt: skip


# Words said twice in a row for real
_ALLOWED_DOUBLES = {"very", "no", "yes", "bye", "thank", "thanks", "ha", "so", "really",
                    "that"} | RETURNED  # fmt: skip
