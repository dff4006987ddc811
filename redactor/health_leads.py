"""Health lead-ins: where the answer to a health question starts being health data, after
the customer's "sì, prendo", "mi hanno diagnosticato" heard word for word, by its long last
word's tail ("mi hanno mi hanno sticato la"), or misheard before an article ("trendo il").
The lead-in is not health data; its object is."""

from __future__ import annotations

from redactor.alphabet import _fold
from redactor.cues import FUZZY_HEALTH_LEADS, HEALTH_LEADS, _cue_length, _phrases
from redactor.phrases import alike
from redactor.tokens import Token, heard_at_once
from redactor.unheard import trusted

__all__ = ["YES_NO"]


YES_NO = {"en": {"yes", "yeah", "yep", "no", "nope"}, "it": {"sì", "si", "no", "certo"}}


def _lead_end(after: list[Token], language: str, sure: float) -> float:
    """Where the answer to a health question starts being health data: after a lead-in
    ("yes, I take ...", "my doctor diagnosed ...") that every channel heard confidently,
    every word up to it an ordinary one. The lead-in is not health data (it is kept beside
    a health finding too); its object is. 0.0 when a channel heard no such opening; on a
    two-channel call a channel unsure of the answer's first word abstains (the agent's
    channel heard the echo's "I" at 0.29, the customer's "I was diagnosed with" at 0.99)."""
    leads = HEALTH_LEADS.get(language, HEALTH_LEADS["en"])
    yes_no = YES_NO.get(language, YES_NO["en"])
    ends = []
    channels = sorted({t.channel for t in after})
    for ch in channels:
        toks = []  # the channel's answer up to its first word ASR was unsure of
        for t in after:
            if t.channel != ch:
                continue
            # ... bar an opening "yes" or "no", heard surely but often stamped over the
            # pause after it (8.30-9.06 s for one said at 8.61-9.11 s)
            opening = not toks and t.text in yes_no and t.probability >= sure
            if not (trusted(t, sure) or _heard_alike(t, after, sure)) and not opening:
                break
            toks.append(t)
        if not toks and len(channels) > 1:
            continue  # a channel unsure of its first word heard nothing to judge by
        words = [t.text for t in toks]
        # a lead further in could follow a misheard term ("I love pressure, I have ...")
        hits = [i for i in _phrases(words, leads) if i <= 2]
        if not hits:
            tail = _lead_by_tail([t for t in after if t.channel == ch], language)
            if tail is not None:
                ends.append(tail)
                continue
            # a bare "yes" or "no" opening the answer is not health data either
            opens = words[:1] and words[0] in yes_no
            ends.append(min(toks[0].end, toks[0].start + 0.45) if opens else 0.0)
            continue
        i = hits[0]
        n = max(_cue_length(words, i, leads), 1)
        ends.append(toks[i + n - 1].end)
    return min(ends, default=0.0)


# a lead's long last word heard by its tail: this many letters of it
LEAD_TAIL = 6


def _lead_by_tail(
    said: list[Token], language: str, most: int = 6, heard: float = 0.5, pause: float = 0.3
) -> float | None:
    """The end of a lead-in whose long last word (eight letters or more) was heard by its
    last ``LEAD_TAIL`` letters, at ``heard`` or more, before an article said on: "mi hanno
    mi hanno (0.0, a loop) sticato (0.77) la ..." for "mi hanno diagnosticato la sclerosi
    multipla" (four calls of three fresh corpora, session 26, whose answer windows took
    the lead-in whole). Among a channel's first ``most`` words, every word before it a
    lead's or a yes or no, or written in a loop. None when there is none."""
    table = FUZZY_HEALTH_LEADS.get(language)
    if table is None:
        return None
    leads = [p.split() for p in HEALTH_LEADS.get(language, ())]
    lasts = {p[-1] for p in leads if len(p[-1]) >= 8}
    fillers = {w for p in leads for w in p} | YES_NO.get(language, set())
    for k, t in enumerate(said[:most]):
        word = _fold(t.text)
        if (
            len(word) >= LEAD_TAIL and t.probability >= heard
            and any(last.endswith(word[-LEAD_TAIL:]) for last in lasts)
            and k + 1 < len(said) and said[k + 1].text in table["articles"]
            and said[k + 1].start - t.end < pause
            and all(u.text in fillers or u.probability == 0.0 for u in said[:k])
        ):  # fmt: skip
            return t.end
    return None


def _heard_alike(tok: Token, words: list[Token], sure: float) -> bool:
    """The other channel of a two-channel call heard the same word at the same time, and
    surely: two decodes agreeing are as good as one sure one (the customer's channel heard
    "I suffer from" with "suffer" just under ``sure``, the agent's channel its echo at
    0.99, and the lead-in was silenced as part of the condition)."""
    return any(o.text == tok.text and trusted(o, sure) for o in heard_at_once(tok, words))


def _misheard_leads(
    tokens: list[Token], leads, language: str, ratio: float = 0.8, paired: float = 0.7
) -> dict[int, int]:
    """Indices of words (with the lead's length in words) that sound like a one-word lead
    of five letters or more (``ratio`` alike, as long give or take a letter) and are
    followed within 0.3 s by an article of
    ``cues.FUZZY_HEALTH_LEADS``: "trendo il" for "prendo il" (it-s16-012), too short a
    word for the fuzzy cue match. Likewise the first word of a two-word lead, ``paired``
    alike, when the lead's second word follows it word for word: "sopro di" for "soffro
    di" on a narrowband line (it-s21-017). Empty for languages without that table."""
    table = FUZZY_HEALTH_LEADS.get(language)
    if table is None:
        return {}
    singles = [p for p in leads if " " not in p and len(p) >= 5]
    pairs = [tuple(p.split()) for p in leads if len(p.split()) == 2 and len(p.split()[0]) >= 5]
    out: dict[int, int] = {}
    for i in range(len(tokens) - 1):
        word, nxt = tokens[i].text, tokens[i + 1]
        if nxt.start - tokens[i].end >= 0.3 or word in singles or tokens[i].is_number:
            continue
        if nxt.text in table["articles"] and any(alike(word, p, ratio, slack=1) for p in singles):
            out[i] = 1
        elif any(nxt.text == b and word != a and alike(word, a, paired, slack=1) for a, b in pairs):
            out[i] = 2
    return out
