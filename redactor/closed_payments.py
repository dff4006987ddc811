"""After the agent closed the payment: a loop or an unheard stretch there is no payment.

A payment dialogue ends with the agent saying the payment went through ("grazie, il
pagamento è andato a buon fine", "perfetto, pagamento registrato"), then the order number
and the goodbye. The recogniser often loses its way on that last stretch of a narrowband
call: it loops over the goodbye ("4 5 4 5 ..."), or decodes the stretch again only as
guesses. Judged as unheard payment talk, the closing, the order number and the goodbye
were silenced (it-s0-020, it-s0-025, it-s0-035 on session 34's machine: 872 frames, 2.3
points of seed 0's over-redaction).

Once the security code was asked for or heard, and the agent then closed the payment, no
payment detail is left to say: a loop or an unheard stretch is judged as unheard payment
talk only up to the closing. The closing must come after the security code, which is the
last detail a card payment asks for, so a closing heard among guesses before the card was
read opens nothing. What was heard after it is still judged by every recognizer and rule
that does not need a payment dialogue to fire (a long number, a card heard whole), but for
a loop's digits, which are the decoder's and no speaker's; and a detail asked for after
the closing is silenced by its request's answer window, which this leaves alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from redactor.call_endings import fuzzy_closings

if TYPE_CHECKING:
    from redactor.tokens import Token

__all__ = ["payment_closed_at", "until_closed", "without_looped_digits"]

# the last detail a card payment asks for: the payment is closed after it
LAST_DETAIL = "CARD_SECURITY_CODE"


def payment_closed_at(timeline: list[Token], asked_or_heard, language: str) -> float | None:
    """When the agent closed the payment: the start of the first closing sentence heard
    on any channel (:func:`redactor.call_endings.fuzzy_closings`) after the end of a
    security code asked for or heard (``asked_or_heard``: anything with ``start``,
    ``end`` and ``entity_type``, findings and answer windows alike). None if there was
    none."""
    code_ends = [x.end for x in asked_or_heard if x.entity_type == LAST_DETAIL]
    if not code_ends:
        return None
    first_code = min(code_ends)
    closings = sorted(timeline[i].start for i in fuzzy_closings(timeline, language))
    return next((t for t in closings if t >= first_code), None)


def until_closed(windows: list, closed_at: float | None) -> list:
    """``windows`` (loops, unheard stretches) cut off where the payment was closed: one
    that starts after it is dropped, one that runs over it ends there."""
    if closed_at is None:
        return list(windows)
    return [
        w if w.end <= closed_at else replace(w, end=closed_at)
        for w in windows
        if w.start < closed_at
    ]


def without_looped_digits(
    findings: list, tokens: list[Token], closed_at: float | None, min_digits: int
) -> list:
    """``findings`` of one channel's ``tokens`` without the digits of a decoding loop
    (probability 0, :func:`redactor.loops.distrust_loops`) said after the payment was
    closed. Base looped "4 5 4 5 ..." over the goodbye after reading the order number, and
    the order number and the loop together were a card (it-s0-025). A finding that starts
    after the closing ends before its first looped digit, and what is left is kept only
    as long as a long number (``min_digits``) would be: an order number is shorter."""
    if closed_at is None:
        return list(findings)
    out = []
    for f in findings:
        looped = [k for k in range(f.first, f.last + 1)
                  if tokens[k].digits and tokens[k].probability <= 0.0]  # fmt: skip
        if f.start < closed_at or not looped:
            out.append(f)
            continue
        last = looped[0] - 1
        kept = tokens[f.first : last + 1]
        if sum(len(t.digits) for t in kept) >= min_digits:
            text = " ".join(t.text for t in kept)
            out.append(replace(f, last=last, end=tokens[last].end, text=text))
    return out
