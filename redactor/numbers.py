"""Number runs as findings: which digits, said where, are sensitive though no recognizer
could tell what they were.

* every number-ish run inside a payment dialogue, bar harmless ones (a unit after it, a
  reference label before it);
* an unsure number said straight after a request or a decoding loop;
* a long number anywhere in the call.

A run is digits, digit homophones and the stray letters ASR writes for half-heard digits
(:func:`_run_end`). Pure functions of tokens and windows, like the rest of
:mod:`redactor.failclosed`, which re-exports them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from redactor.cues import (
    ARTICLES,
    CONTACT_CUES,
    COPULAS,
    DICTATION,
    FUZZY_CUES,
    POSSESSIVES,
    REFERENCE_LABELS,
    REQUEST_ENDS,
    UNITS,
    _phrases,
)
from redactor.detect import Finding
from redactor.dictation import _loops
from redactor.health_answers import YES_NO
from redactor.number_runs import _number_runs, _run_end  # noqa: F401 - re-exported
from redactor.number_words import _CHAINED_HOMOPHONES
from redactor.quantities import (  # noqa: F401 - harmless_numbers re-exported
    _after_label,
    _before_quantity,
    _harmless_run,
    _label_at,
    harmless_numbers,
)
from redactor.tokens import Token, homophones
from redactor.unheard import PaymentWindow, _in_windows, _numberish, trusted

__all__ = [
    "complete_card",
    "numbers_in_payment",
    "answered_numbers",
    "long_numbers",
    "harmless_numbers",
    "reference_numbers",
]


def reference_numbers(
    tokens: list[Token],
    language: str = "en",
    speech: list[tuple[float, float]] = (),
    heard: float = 0.5,
    tail: float = 0.5,
) -> list[tuple[float, float]]:
    """Time spans of the reference numbers read out in ``tokens`` (one channel), from their
    label to their last digit: runs shorter than a card number after a reference label
    ("il numero d'ordine è 4 6 8 5 2 4"), most of whose numbers were heard with ``heard``
    confidence. Such a run is no payment detail, so the speech between its digits, which
    the digits' short stamps leave uncovered, is no unheard payment detail either: left
    unexplained it silenced most order numbers read after a payment. A span reaches on to
    the end of the voice-activity region (of ``speech``) its last digit ends in, up to
    ``tail`` s: a last digit is stamped short of its end."""
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out = []
    for i, j in _number_runs(tokens, language):
        nums = [t for t in tokens[i : j + 1] if t.is_number]
        digits = "".join(t.digits for t in nums)
        k = _label_at(tokens, i, labels, language=language)
        if k is None or len(digits) >= 13:
            continue
        if 2 * sum(t.probability >= heard for t in nums) < len(nums):
            continue
        end = tokens[j].end
        end = next((e for s, e in speech if s <= end <= e and e - end <= tail), end)
        out.append((tokens[k].start, end))
    return out


# how far outside a payment window a number may lie and still be one of its numbers (s):
# words are stamped loosely at a window's edges
WINDOW_SLACK = 1.0
# the recognizer name of what :func:`numbers_in_payment` finds
PAYMENT_RULE = "PaymentDialogueRule"


def numbers_in_payment(
    tokens: list[Token],
    channel: int,
    windows: list[PaymentWindow],
    language: str = "en",
    sure: float = 0.7,
) -> list[Finding]:
    """Every digit-bearing run of ``channel`` inside a payment window, bar harmless ones.

    Runs include digit homophones and stray letters next to numbers; a run needs at least
    one real number or three number-ish tokens. Short words ASR was not ``sure`` of, glued
    to either end of a run, are taken as its misheard digits.
    """
    yes_no = YES_NO.get(language, YES_NO["en"])
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    numberish = [_numberish(t, language) for t in tokens]
    out: list[Finding] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not numberish[i] or not _in_windows(tok.start, tok.end, windows, slack=WINDOW_SLACK):
            i += 1
            continue
        j = _run_end(tokens, i, numberish, language)
        # ... and up to two short, unsure words glued to its end, ending the answer, are
        # often its last digits misheard ("11 it is" for "one one eight eight")
        k = j
        for _ in range(2):
            if not (
                k + 1 < len(tokens)
                and not numberish[k + 1]
                and len(tokens[k + 1].text) <= 3
                and tokens[k + 1].probability < sure
                and tokens[k + 1].text not in yes_no  # "... 5 3, yes": the read-back confirmed
                and tokens[k + 1].start - tokens[k].end < 0.3
            ):
                break
            k += 1
        if k > j and (k + 1 == len(tokens) or tokens[k + 1].start - tokens[k].end >= 0.3):
            j = k
        # a short, unsure word right before the run is often its first digit misheard
        # ("back i'm 5 9 3" for "back 5 5 9 3")
        if (
            i > 0
            and not numberish[i - 1]
            and len(tokens[i - 1].text) <= 3
            and (tokens[i - 1].probability < 0.8)
            and not _lead_in_verb(tokens, i - 1, language)
        ):
            i -= 1
        rest = _before_quantity(tokens, i, j, units)
        if rest is not None and sum(numberish[i : rest + 1]) >= 3:
            # digits read one by one before a quantity are not part of it
            j = rest
        run = tokens[i : j + 1]
        digits = "".join(t.digits or re.sub(r"\D", "", t.text) for t in run)
        if not digits and sum(numberish[i : j + 1]) < 3:
            i = j + 1
            continue
        if not _harmless_run(tokens, i, j, digits, units, labels, language):
            out.append(
                Finding(
                    entity_type=_shape(digits or "0" * sum(numberish[i : j + 1])),
                    score=0.5,
                    recognizer=PAYMENT_RULE,
                    channel=channel,
                    first=i,
                    last=j,
                    start=tokens[i].start,
                    end=tokens[j].end,
                    text=" ".join(t.text for t in run),
                )
            )
        i = j + 1
    return out


# words a detail's name may be misheard as between a possessive and its verb
NAME_WORDS = 4
# the cues that name a detail, not a request for payment talk or the talk moving on
_NAMING = frozenset(("HEALTH", "MOVED_ON"))


def named_details(tokens: list[Token], language: str, pause: float = 0.3) -> set[int]:
    """Indices of the words that name a detail the way its request does (the cues of
    ``cues.CONTACT_CUES``, matched as ASR hears them where cues are matched fuzzily:
    "l'IBAN è" heard "li manè", "la partita iva è" heard "la partitima è") and of the verb
    said right after them (within ``pause`` s): the caller introducing the number, which
    is no character of it. A long number is not reached back over them, and they bound
    its span as a request's words do. Only for languages in ``cues.DICTATION``."""
    if language not in DICTATION:
        return set()
    phrases = [
        p for entity, ps in CONTACT_CUES.get(language, {}).items() if entity not in _NAMING
        for p in ps
    ]  # fmt: skip
    fuzzy = language in FUZZY_CUES
    copulas = COPULAS.get(language, ())
    words = [t.text for t in tokens]
    out: set[int] = set()
    for i in _phrases(words, phrases, fuzzy):
        n = max(
            (len(p.split()) for p in phrases
             if 0 in _phrases(words[i : i + len(p.split())], [p], fuzzy)),
            default=1,
        )  # fmt: skip
        last = i + n - 1
        if any(tokens[k].channel != tokens[i].channel for k in range(i, last + 1)):
            continue
        out.update(range(i, last + 1))
        nxt = last + 1
        if (
            nxt < len(tokens)
            and words[nxt] in copulas
            and tokens[nxt].channel == tokens[last].channel
            and tokens[nxt].start - tokens[last].end < pause
        ):
            out.add(nxt)
    return out | _owned_names(tokens, language, copulas, pause)


# the most words (digits too) a detail's name may be heard as between a possessive heard
# surely and the verb after it
OWNED_NAME_WORDS = 2


def _owned_names(tokens: list[Token], language: str, copulas, pause: float, sure: float = 0.8):
    """Indices of the words between a possessive heard surely (``cues.POSSESSIVES``) and
    the verb after them, at most :data:`OWNED_NAME_WORDS` of them, all in one breath: the
    caller naming the detail, whatever ASR wrote for its name. "il mio cellulare è" came
    out "il mio 6 9 è 3 6 7 ...", and the long number took in the name (it-s62-002,
    session 43); no one reads a number's first digits between "il mio" and "è"."""
    owners = POSSESSIVES.get(language, ())
    out: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.text not in owners or not trusted(tok, sure):
            continue
        for k in range(i + 1, min(i + 2 + OWNED_NAME_WORDS, len(tokens))):
            if tokens[k].channel != tok.channel or tokens[k].start - tokens[k - 1].end >= pause:
                break
            if tokens[k].text in copulas:
                if k > i + 1 and not _article_after(tokens, k, pause):
                    out.update(range(i + 1, k + 1))
                break
    return out


def _article_after(tokens: list[Token], k: int, pause: float) -> bool:
    """Whether an article follows ``tokens[k]`` in its breath: that verb starts a noun
    phrase ("il mio c è il rame è 3 6 7", "cellulare" heard as "c'è il rame", it-s62-002
    on session 43's second machine), so it is not the one before the detail."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return (
        nxt is not None
        and nxt.channel == tokens[k].channel
        and nxt.start - tokens[k].end < pause
        and nxt.text in ARTICLES
    )


def _lead_in_verb(
    tokens: list[Token], k: int, language: str, heard: float = 0.6, sure: float = 0.8
) -> bool:
    """Token ``k`` is the verb introducing a number (``cues.COPULAS``: "il numero è",
    "eccolo, è"), right after a word of four letters or more ASR was fairly sure of (at
    least ``heard``), in one breath. After a short or unsure word it may be a digit
    misheard ("non è" for "nove")."""
    if k == 0 or tokens[k].text not in COPULAS.get(language, ()):
        return False
    prev = tokens[k - 1]
    if prev.channel != tokens[k].channel or prev.is_number or tokens[k].start - prev.end >= 0.3:
        return False
    # ... not after a digit's homophone: "nero è" is "zero sei" (an expiry, it-s12-003)
    if (
        len(prev.text.strip(".,?!")) >= 4
        and prev.probability >= heard
        and prev.text not in homophones(language)
    ):
        return True
    # ... or after a possessive heard surely and the (misheard) name of the detail, in
    # up to NAME_WORDS words ("il mio cellule è", "il mio che gra me è", "il mio c è il
    # nome è")
    name = ""
    for j in range(k - 1, max(k - 1 - NAME_WORDS, 0) - 1, -1):
        tok, nxt = tokens[j], tokens[j + 1]
        if tok.channel != nxt.channel or nxt.start - tok.end >= 0.3:
            return False
        if tok.text in POSSESSIVES.get(language, ()):
            # not "il mio non è" ("nove"): the name is a word, not a digit half-heard
            return tok.probability >= sure and len(name) >= 4
        if tok.is_number:
            return False
        name += tok.text.strip(".,?!")
    return False


def answered_numbers(
    tokens: list[Token],
    channel: int,
    timeline: list[Token],
    low_confidence: float,
    language: str = "en",
) -> list[Finding]:
    """A number of three digits or more that ASR was unsure of, said straight after a
    request ("... the three digits on the back please", or a question), outside any payment
    dialogue too: the answer to a question whose cue words were all misheard ("and the free
    digit sun the back please. 9430", at 0.29). A sure number, or one with a unit or after a
    reference label, stays audible. Where loops are looked for (``cues.DICTATION``), a
    decoding loop ending under 3 s before the number is a request too: it swallowed the
    questions ("buongiorno servizi clienti sono giulia" six times over three, then "allora
    8 1 1")."""
    ends = REQUEST_ENDS.get(language, ())
    table = DICTATION.get(language)
    loops = _loops(timeline, table["loop_repeats"], table["loop_tokens"]) if table else []
    loop_ends = [e for _s, e in loops]
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out: list[Finding] = []
    starts = [t.start for t in timeline]  # the timeline is sorted by start
    for i, j in _number_runs(tokens, language):
        run = [t for t in tokens[i : j + 1] if t.is_number]
        digits = "".join(t.digits for t in run)
        k = bisect_left(starts, tokens[i].start - 0.05) - 1  # the word said before the run
        prev = timeline[k] if k >= 0 else None
        asked = (
            prev is not None
            and tokens[i].start - prev.end < 3.0
            and (prev.text in ends or prev.raw.rstrip().endswith("?"))
        ) or any(0.0 <= tokens[i].start - e < 3.0 for e in loop_ends)
        if (
            asked
            and len(digits) >= 3
            and min(t.probability for t in run) < low_confidence
            and not _harmless_run(tokens, i, j, digits, units, labels, language)
        ):
            out.append(
                Finding(
                    # not CARD_SECURITY_CODE: keep_in_context keeps those to payment talk
                    "ID_NUMBER", 0.5, "AnsweredNumberRule", channel, i, j, tokens[i].start, tokens[j].end,
                    " ".join(t.text for t in tokens[i : j + 1]),
                )
            )  # fmt: skip
    return out


def long_numbers(
    tokens: list[Token], channel: int, min_digits: int, language: str = "en"
) -> list[Finding]:
    """Runs of ``min_digits`` or more digits anywhere in the call, bar harmless ones.

    Outside a payment dialogue too: someone reading out that many digits is giving an
    account, card, IBAN, phone or ID number, even when speech recognition lost the words
    that said which ("the iban is ..." heard as "the refund is EBA2, middle 1 2 3 ...").
    A number with a unit after it or a reference label before it ("order number ...")
    stays audible, as in payment dialogues."""
    if min_digits <= 0:
        return []
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out: list[Finding] = []
    chained = language in _CHAINED_HOMOPHONES  # homophones link numbers there
    for i, j in _number_runs(tokens, language, homophones_too=chained):
        # stricter than _harmless_run on units: only the exact unit word, since a long run
        # is more likely an identifier than a quantity; and only its last number is counted
        nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
        if nxt in units:
            j = _before_quantity(tokens, i, j, units)
            if j is None:
                continue
        digits = "".join(t.digits for t in tokens[i : j + 1])
        harmless = _after_label(tokens, i, labels, language=language) and len(digits) < 13
        if len(digits) >= min_digits and not harmless:
            out.append(
                Finding(
                    "CREDIT_CARD" if len(digits) >= 13 else "ID_NUMBER", 0.5,
                    "LongNumberRule", channel, i, j, tokens[i].start, tokens[j].end,
                    " ".join(t.text for t in tokens[i : j + 1]),
                )
            )  # fmt: skip
    return out


def _shape(digits: str) -> str:
    if len(digits) >= 12:
        return "CREDIT_CARD"
    if len(digits) in (3, 4) and not re.fullmatch(r"(0[1-9]|1[0-2])\d\d", digits):
        return "CARD_SECURITY_CODE"
    if len(digits) in (3, 4, 6):
        return "CARD_EXPIRY"
    return "CREDIT_CARD" if len(digits) > 6 else "CARD_SECURITY_CODE"


def complete_card(f: Finding) -> bool:
    """A card number heard whole: 15 or 16 digits that pass the Luhn check. Its anchor gap
    after the last digit (room for a digit the recogniser did not write) only silenced the
    customer's "yes, that's right" after a read-back, and the one before its first digit
    the customer's "eccolo, è" (eight calls on three fresh Italian corpora, session 26)."""
    from redactor.recognizers import luhn_ok  # presidio: not at import time

    digits = "".join(ch for ch in f.text if ch.isdigit())
    return f.entity_type == "CREDIT_CARD" and len(digits) in (15, 16) and luhn_ok(digits)
