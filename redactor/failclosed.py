"""Fail-closed rules: the transcript is evidence, not truth.

Speech recognition drops lead-ins ("security code" heard as "free ticket"), merges short
answers into the next sentence, stamps digit runs at the wrong time and mishears digits. So,
beyond what the recognizers find, we redact:

1. **Numbers inside a payment dialogue.** The dialogue opens when anyone mentions a card,
   expiry or security code (or a card number is found) and stays open until the conversation
   has demonstrably moved on: a closing phrase ("payment went through"), or
   ``payment_window_words`` words / ``payment_window_seconds`` seconds without a payment cue
   or a number. Inside it every token that carries digits is sensitive, except a number with
   a unit ("twenty minutes") or a reference label ("order number ...") in front.
2. **Unexplained speech** - voice activity that no confidently timed word accounts for - when
   it lies inside a payment dialogue or within
   ``redact_unexplained_speech_near_findings`` seconds of a finding.

The rules are pure functions of tokens, findings, speech regions and the policy.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from policies.redaction import RedactionPolicy
from redactor.answers import (  # noqa: F401 - re-exported
    AnswerWindow,
    _code_entity,
    _loops,
    _request_start,
    _spelled,
    contact_windows,
    dictation_windows,
)
from redactor.cues import (  # noqa: F401 - re-exported
    _BRIDGE_GLUED,
    _HOMOPHONES_UNHEARD,
    _ONE_LETTER_WORDS,
    CARD_LIKE,
    CLOSING,
    CONTACT_CUES,
    DICTATION,
    DIGIT_SOUNDALIKES,
    FUZZY_CUES,
    GOODBYES,
    HEALTH_LEADS,
    MONTH_NAMES,
    PAYMENT_CUES,
    REFERENCE_LABELS,
    REQUEST_ENDS,
    UNITS,
    _phrases,
    _sounds_like,
)
from redactor.detect import Finding
from redactor.health_answers import (
    YES_NO,
    health_context_findings,  # noqa: F401 - re-exported
)
from redactor.misheard import fuzzy_closings, misheard_label
from redactor.tokens import Token
from redactor.unheard import (  # noqa: F401 - re-exported
    PaymentWindow,
    _in_windows,
    _numberish,
    _plausible,
    _plausible_start,
    bridge_in_windows,
    distrust_loops,
    dropout_windows,
    explains,
    loop_windows,
    solo_speech,
    trusted,
    unexplained_speech,
    unheard_to_redact,
    utterance_starts,
)

__all__ = [
    "bridge_in_windows",
    "answered_numbers",
    "explains",
    "long_numbers",
    "health_context_findings",
    "PaymentWindow",
    "AnswerWindow",
    "contact_windows",
    "dictation_windows",
    "DICTATION",
    "keep_in_context",
    "payment_windows",
    "numbers_in_payment",
    "unexplained_speech",
    "solo_speech",
    "utterance_starts",
    "unheard_to_redact",
    "distrust_loops",
    "loop_windows",
    "trusted",
    "PAYMENT_CUES",
]


def payment_windows(
    timeline: list[Token], findings: list[Finding], policy: RedactionPolicy, language: str = "en"
) -> list[PaymentWindow]:
    """Time windows in which the conversation (all channels, by time) is about a payment.

    A window ends at a closing phrase, or ``payment_answer_seconds`` after the sentence of
    its last cue or number once the conversation has gone quiet (``payment_window_words``
    words or ``payment_window_seconds`` s without one) or the call has ended: long enough
    for an answer to the last question that ASR did not hear to start, and no longer - a
    window left open to the end of the call silenced every unrecognised word of the
    goodbye. A harmless
    number (with a unit, or after a reference label) does not keep the dialogue open: an
    order number read after the payment is not a payment detail."""
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    answer = policy.payment_answer_seconds
    words = [t.text for t in timeline]
    cue_at = set(_phrases(words, PAYMENT_CUES.get(language, PAYMENT_CUES["en"])))
    close_at = set(_phrases(words, CLOSING.get(language, CLOSING["en"])))
    goodbye_at = set(_phrases(words, GOODBYES.get(language, GOODBYES["en"])))
    close_at |= fuzzy_closings(timeline, language)  # "padamento andato a muontile"
    card_times = [(f.start, f.end) for f in findings if f.entity_type == "CREDIT_CARD"]
    for i, tok in enumerate(timeline):
        if any(s - 0.05 <= tok.start <= e + 0.05 for s, e in card_times):
            cue_at.add(i)
    windows: list[PaymentWindow] = []
    open_start: float | None = None
    last_cue_t = 0.0
    last_cue_i = 0
    quiet_words = 0
    for i, tok in enumerate(timeline):
        if i in cue_at:
            if open_start is None:
                open_start = tok.start
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            continue
        if open_start is None:
            continue
        if i in close_at:
            # the whole closing sentence ends the dialogue ("thank you, the payment has
            # gone through"), not just its closing phrase: back over the confidently
            # heard ordinary words before the phrase, within its sentence
            sure = policy.sure_confidence
            end = max(last_cue_t, _request_start(timeline, i, sure))
            windows.append(PaymentWindow(open_start, end))
            open_start = None
            continue
        if i in goodbye_at:
            # the call is ending: the window ends as it does at the end of the call, or at
            # the goodbye if that comes first ("thank you for calling" said while an
            # unheard order number still kept the dialogue open silenced it)
            sure = policy.sure_confidence
            end = min(
                _request_start(timeline, i, sure), _sentence_end(timeline, last_cue_i) + answer
            )
            windows.append(PaymentWindow(open_start, max(last_cue_t, end)))
            open_start = None
            continue
        if tok.is_number and not _harmless_number(timeline, i, units, labels, language):
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            continue
        # a decoding loop ("e tu e tu e tu ...", probability zeroed) is no conversation
        # moving on: base looped over a security code and closed the dialogue before
        # the read-back
        quiet_words += tok.probability > 0.0
        if (
            quiet_words > policy.payment_window_words
            or tok.start - last_cue_t > policy.payment_window_seconds
        ):
            end = _sentence_end(timeline, last_cue_i) + answer
            windows.append(PaymentWindow(open_start, min(end, tok.start)))
            open_start = None
    if open_start is not None:
        windows.append(PaymentWindow(open_start, _sentence_end(timeline, last_cue_i) + answer))
    return windows


def _sentence_end(tokens: list[Token], i: int, pause: float = 0.5) -> float:
    """End of the sentence token ``i`` is in: the next sentence end or pause of ``pause`` s
    (the rest of a question: "the security code *on the back please*")."""
    k = i
    while (
        k + 1 < len(tokens)
        and not tokens[k].sentence_end
        and (tokens[k + 1].start - tokens[k].end < pause)
    ):
        k += 1
    return max(tokens[i].end, tokens[k].end) if tokens else 0.0


def _harmless_number(tokens: list[Token], i: int, units, labels, language: str = "en") -> bool:
    """A number token followed by a unit ("twenty minutes") or shortly after a reference
    label ("order number ..."), shorter than a card number."""
    return _harmless_run(tokens, i, i, tokens[i].digits, units, labels, language)


def _harmless_run(
    tokens: list[Token], first: int, last: int, digits: str, units, labels, language: str = "en"
) -> bool:
    """The run ``first..last`` (carrying ``digits``) is followed by a unit or starts shortly
    after a reference label, and is shorter than a card number."""
    nxt = tokens[last + 1].text if last + 1 < len(tokens) else ""
    with_unit = nxt in units or any(nxt.startswith(u) for u in units if len(u) > 3)
    return with_unit or (
        _after_label(tokens, first, labels, language=language) and len(digits) < 13
    )


def _after_label(tokens: list[Token], i: int, labels, reach: int = 6, language: str = "en") -> bool:
    """A reference label ('order number', 'booking reference') shortly before token ``i``,
    in the same sentence; in Italian also one ASR misheard ("numero dotine" for "numero
    d'ordine", :func:`redactor.misheard.misheard_label`)."""
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        if tokens[k].sentence_end and not tokens[k].is_number:
            return False
        if tokens[k].text in labels or misheard_label(tokens, k, language):
            return True
    return False


def keep_in_context(
    findings: list[Finding],
    tokens: list[Token],
    windows: list[PaymentWindow],
    language: str = "en",
) -> list[Finding]:
    """Short-number findings (security codes, expiry dates, card-like runs under 13 digits)
    only count inside a payment dialogue and never right after a reference label: a bare
    three-digit number elsewhere is an order number or a time, not a security code."""
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out = []
    for f in findings:
        short = f.entity_type in ("CARD_SECURITY_CODE", "CARD_EXPIRY") or (
            f.entity_type == "CREDIT_CARD" and len(re.sub(r"\D", "", f.text)) < 13
        )
        if short and (
            not _in_windows(f.start, f.end, windows, slack=1.0)
            or _after_label(tokens, f.first, labels, language=language)
        ):
            continue
        out.append(f)
    return out


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
        if not numberish[i] or not _in_windows(tok.start, tok.end, windows, slack=1.0):
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
        ):
            i -= 1
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
                    recognizer="PaymentDialogueRule",
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


def _number_runs(tokens: list[Token], language: str = "en"):
    """``(first, last)`` of each run of number tokens (see :func:`_run_end`)."""
    numeric = [t.is_number for t in tokens]
    i = 0
    while i < len(tokens):
        if not numeric[i]:
            i += 1
            continue
        j = _run_end(tokens, i, numeric, language)
        yield i, j
        i = j + 1


def _run_end(tokens: list[Token], i: int, numberish: list[bool], language: str = "en") -> int:
    """End of the number-ish run starting at ``i``; it reaches over one short other token
    ("4 7 and 6 3") when more number-ish tokens follow."""
    glued = _BRIDGE_GLUED.get(language)
    j = i
    while True:
        k = j + 1
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
    for i, j in _number_runs(tokens, language):
        digits = "".join(t.digits for t in tokens[i : j + 1])
        # stricter than _harmless_run on units: only the exact unit word, since a long run
        # is more likely an identifier than a quantity
        nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
        harmless = nxt in units or (
            _after_label(tokens, i, labels, language=language) and len(digits) < 13
        )
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
