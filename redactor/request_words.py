"""The words of payment requests: the agent asking for a card's details, heard word for
word ("expiry date", "codice di sicurezza"), which no finding may start or end with, and
which :mod:`redactor.plan` cuts off the findings that ran over them; and the caller asking
to pay (:func:`intent_words`), which is no unexplained speech."""

from __future__ import annotations

from dataclasses import replace

from redactor.cues import (
    CONTACT_CUES,
    INTENT_CUES,
    PAYMENT_CUES,
    REQUEST_ENDS,
    REQUEST_OPENERS,
    _cue_length,
    _phrases,
)
from redactor.detect import Finding
from redactor.tokens import Token

__all__: list[str] = []  # helpers of redactor.plan only


def _request_words(tokens: list[Token], language: str) -> set[int]:
    """Indices of the words of payment requests heard word for word ("expiry date",
    "security code", "digits on the back"), however unsure ASR was of them: the agent
    asking, which no answer's digits run on into. A "please" right after one is the
    request's last word: tiny.en stamps it long and unsure up to the answer's first digit
    ("on the back please" at 0.56, 1.2 s long), and the answer's span reached back over
    it. So is "and the" before one ("and the expiry date"), said in its breath."""
    cues = CONTACT_CUES.get(language, CONTACT_CUES["en"])
    asked = ("PAYMENT_REQUEST", "CARD_EXPIRY", "CARD_SECURITY_CODE")
    phrases = tuple(p for e in asked for p in cues.get(e, ()) if " " in p)
    words = [t.text for t in tokens]
    out: set[int] = set()
    ends = REQUEST_ENDS.get(language, ())
    before = REQUEST_OPENERS.get(language, ())
    for i in _phrases(words, phrases):
        n = _cue_length(words, i, phrases)
        out.update(range(i, i + n + (i + n < len(words) and words[i + n] in ends)))
        k = i
        while (
            k > 0
            and i - k < 2
            and words[k - 1] in before
            and tokens[k].start - tokens[k - 1].end < 0.3
        ):
            k -= 1
        out.update(range(k, i))
    return out


def _outside_requests(findings: list[Finding], tokens: list[Token], request: set[int]):
    """``findings`` with the words of a payment request cut off their ends, and those made
    only of such words dropped: "8" in "and the fiery 8" is "date" misheard, and the
    numbers rules had silenced the agent's question as an expiry date. Health findings are
    kept whole (a request is no health data, and never next to it)."""
    out = []
    for f in findings:
        first, last = f.first, f.last
        if f.entity_type != "HEALTH":
            while first <= last and first in request:
                first += 1
            while last >= first and last in request:
                last -= 1
        if first > last:
            continue
        if (first, last) != (f.first, f.last):
            run = tokens[first : last + 1]
            f = replace(f, first=first, last=last, start=run[0].start, end=run[-1].end,
                        text=" ".join(t.text for t in run))  # fmt: skip
        out.append(f)
    return out


# the most words either side of an intent cue that are its breath, and the pause that ends it
INTENT_REACH = 3
INTENT_PAUSE = 0.3


def intent_words(tokens: list[Token], language: str) -> set[int]:
    """Indices (in one channel's ``tokens``) of the caller saying why they call: a word of
    :data:`redactor.cues.INTENT_CUES` ("pagare") heard before any number and any other
    payment cue of the channel, and up to ``INTENT_REACH`` words either side of it in its
    breath (no pause of ``INTENT_PAUSE`` s, no number, no other payment cue). The payment
    window it opens starts at the cue, and the unsure words of the opening ("buongiorno,
    vorrei pagare una bolletta" heard "un giorno non hai pagare una moreta") were silenced
    as unexplained speech in 22 calls of eight fresh Italian corpora (session 27). A card
    read in that breath is no intent: its digits stop it, and so does its cue ("carta")."""
    intents = INTENT_CUES.get(language, ())
    if not intents:
        return set()
    words = [t.text for t in tokens]
    others = [p for p in PAYMENT_CUES.get(language, ()) if p not in intents]
    stops = set(_phrases(words, others))
    first_number = next((k for k, t in enumerate(tokens) if t.is_number), len(tokens))
    first_other = min(stops, default=len(tokens))
    out: set[int] = set()
    for i in _phrases(words, intents):
        if i >= min(first_number, first_other):
            break
        out.add(i)
        for step in (-1, 1):
            k = i
            for _ in range(INTENT_REACH):
                j = k + step
                if not 0 <= j < len(tokens) or j in stops or tokens[j].is_number:
                    break
                a, b = (tokens[j], tokens[k]) if step < 0 else (tokens[k], tokens[j])
                if b.start - a.end >= INTENT_PAUSE or a.sentence_end:
                    break
                out.add(j)
                k = j
    return out
