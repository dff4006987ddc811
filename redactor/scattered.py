"""Numbers read out in groups that the recogniser heard only in part (Italian): the digits
it did hear, scattered among the words it misheard the rest as, are one long number."""

from __future__ import annotations

from dataclasses import replace

from redactor.cues import (
    ANSWER_LEADS,
    CONTACT_CUES,
    DICTATION,
    PAYMENT_CUES,
    REFERENCE_LABELS,
    UNITS,
)
from redactor.detect import Finding
from redactor.numbers import _after_label, _run_end
from redactor.tokens import Token
from redactor.unheard import trusted

__all__ = ["long_number_lead_ins", "scattered_numbers"]


def scattered_numbers(
    tokens: list[Token],
    channel: int,
    language: str,
    min_digits: int = 12,
    max_between: int = 4,
    max_gap: float = 2.0,
    sure: float = 0.8,
    pause: float = 0.5,
    long_run: int = 8,
) -> list[Finding]:
    """Number tokens of one channel joined over up to ``max_between`` other words, none
    a unit and at most one heard with ``sure`` confidence, with at most ``max_gap`` s
    between two numbers: when they hold ``min_digits`` digits or more, someone is reading
    out a long number (an IBAN, read in groups of four) and the words between are its
    misheard digits and letters. An IBAN after a misheard request ("e li manpe la femmito"
    for "e l'IBAN per l'addebito?") came back as "0 3 0 3252 e il 3 non menome non è 45
    mette 8 0 344": no run of eight digits in a row, so the long-number rule left it all
    audible. Only for languages in ``cues.DICTATION``; a reference label before the first
    number keeps one of under 13 digits audible, as in every number rule. Up to two
    unsure words said after the last number with no ``pause`` belong to it too. Numbers
    that hold a run of ``long_run`` digits were heard, and their findings cover them: no
    joining there (a card joined to its expiry and read-back silenced the questions
    between)."""
    if language not in DICTATION:
        return []
    units = UNITS.get(language, ())
    labels = REFERENCE_LABELS.get(language, ())
    numeric = [t.is_number for t in tokens]
    nums = [k for k, t in enumerate(tokens) if t.is_number]
    out: list[Finding] = []
    n = 0
    while n < len(nums):
        m = n
        while m + 1 < len(nums) and _joins(tokens, nums[m], nums[m + 1], units, max_between,
                                           max_gap, sure):  # fmt: skip
            m += 1
        first, last = nums[n], nums[m]
        digits = "".join(tokens[k].digits for k in nums[n : m + 1])
        nxt = tokens[last + 1].text if last + 1 < len(tokens) else ""
        harmless = nxt in units or (
            _after_label(tokens, first, labels, language=language) and len(digits) < 13
        )
        # its last group's digits misheard as words run on after its last number ("344 e
        # inono" for "tre quattro, quattro sei uno"): up to two unsure words, no pause
        while (
            last + 1 < len(tokens) and last - nums[m] < 2 and not harmless
            and not trusted(tokens[last + 1], sure)
            and tokens[last + 1].start - tokens[last].end < pause
        ):  # fmt: skip
            last += 1
        # a run the long-number rule finds on its own was heard: joining it to numbers
        # around it (a card, its expiry, its read-back) only silences the talk between
        heard = any(
            sum(len(t.digits) for t in tokens[k : _run_end(tokens, k, numeric, language) + 1])
            >= long_run
            for k in nums[n : m + 1]
        )
        if m > n and len(digits) >= min_digits and not harmless and not heard:
            out.append(
                Finding(
                    "CREDIT_CARD" if len(digits) >= 13 else "ID_NUMBER", 0.5,
                    "ScatteredNumberRule", channel, first, last, tokens[first].start,
                    tokens[last].end, " ".join(t.text for t in tokens[first : last + 1]),
                )
            )  # fmt: skip
        n = m + 1
    return out


def _joins(tokens, a, b, units, max_between, max_gap, sure) -> bool:
    """Whether number tokens ``a`` < ``b`` belong to one reading (see
    :func:`scattered_numbers`)."""
    between = tokens[a + 1 : b]
    if len(between) > max_between or tokens[b].start - tokens[a].end > max_gap:
        return False
    if any(t.text in units for t in between):
        return False
    return sum(trusted(t, sure) for t in between) <= 1


def long_number_lead_ins(
    findings: list[Finding],
    tokens: list[Token],
    language: str,
    max_words: int = 5,
    pause: float = 1.0,
    sure: float = 0.8,
) -> list[Finding]:
    """Long numbers (as the long-number rules find them: 8 digits or more) reaching
    back over up to ``max_words`` words of their dictation (no pause of ``pause`` s: a code
    is read in groups 0.3-0.7 s apart; no sentence end, no two words in a row heard with
    ``sure`` confidence, no word of a request, none stamped longer than it takes to say):
    the recogniser
    locks on to a code a few characters in, and hears its first ones as words. An IBAN's
    first group, "i ti sette nove", came back as "i di f e nome" before "3 0 15 ..." (seed
    2, it-s2-012), and the first digit of a card read back, "sei", as "è il" (it-s2-023).
    Only for languages in ``cues.DICTATION``."""
    if language not in DICTATION:
        return findings
    # a request's words are not the code ("il mio codice fiscale è ..."): never reached over
    cue_words = {
        w
        for phrases in [PAYMENT_CUES.get(language, ()), *CONTACT_CUES.get(language, {}).values()]
        for p in phrases
        for w in p.split()
        if len(w) >= 4
    }
    leads = ANSWER_LEADS.get(language, ())
    out = []
    for f in findings:
        first = f.first
        if f.recognizer in ("LongNumberRule", "ScatteredNumberRule"):
            while (
                first > 0 and f.first - first < max_words
                and not tokens[first - 1].sentence_end
                and tokens[first - 1].text not in cue_words
                # a word stamped longer than it could be said spans a pause or other talk,
                # not a heard character ("che" stamped 1.4 s before a looped code)
                and _said_in(tokens[first - 1])
                and tokens[first].start - tokens[first - 1].end < pause
                and not (first > 1 and trusted(tokens[first - 1], sure)
                         and trusted(tokens[first - 2], sure))
                # the caller's own opening ("sì, allora"), heard confidently
                and not (tokens[first - 1].text in leads and trusted(tokens[first - 1], sure))
            ):  # fmt: skip
                first -= 1
        out.append(f if first == f.first else replace(f, first=first, start=tokens[first].start))
    return out


def _said_in(tok: Token) -> bool:
    """Whether ``tok`` is stamped no longer than its letters take to say."""
    return tok.end - tok.start <= 0.45 + 0.1 * len(tok.text)
