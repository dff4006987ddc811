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
from itertools import islice

from policies.redaction import RedactionPolicy
from redactor.answers import (  # noqa: F401 - re-exported
    AnswerWindow,
    _request_start,
    contact_windows,
    dictation_windows,
)
from redactor.bridge import bridge_in_windows  # noqa: F401 - re-exported
from redactor.call_endings import fuzzy_closings, fuzzy_goodbyes, praise_before
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
    GREETINGS,
    HEALTH_LEADS,
    INTENT_CUES,
    MONTH_NAMES,
    PAYMENT_CUES,
    REFERENCE_LABELS,
    REQUEST_ENDS,
    UNITS,
    _phrases,
    _sounds_like,
    _spoken_phrases,
)
from redactor.detect import Finding
from redactor.dictation import _code_entity, _loops, _spelled  # noqa: F401 - re-exported
from redactor.health_answers import (
    health_context_findings,  # noqa: F401 - re-exported
)
from redactor.loops import distrust_loops, loop_windows  # noqa: F401 - re-exported
from redactor.numbers import (  # noqa: F401 - re-exported
    _number_runs,
    _run_end,
    _shape,
    answered_numbers,
    long_numbers,
    numbers_in_payment,
)
from redactor.quantities import (  # noqa: F401 - re-exported
    _after_label,
    _harmless_number,
    _harmless_run,
)
from redactor.tokens import Token
from redactor.unheard import (  # noqa: F401 - re-exported
    PaymentWindow,
    _in_windows,
    _numberish,
    _plausible,
    _plausible_start,
    explains,
    trusted,
    unexplained_speech,
)
from redactor.unheard_rules import (  # noqa: F401 - re-exported
    solo_speech,
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


# payment talk this many seconds after a goodbye's first word reopens the dialogue the
# goodbye closed: the call went on, so the goodbye was misheard
GOODBYE_REOPEN = 6.0
# a dialogue opened by the caller's intent to pay alone ("vorrei pagare una bolletta") ends
# after this many words with no other cue and no number: the call is about something else
# ("come posso aiutarla? chiamo per la mia consegna"), and the order number and total said
# later were silenced as payment details (0.65 points on eight fresh corpora, session 27)
INTENT_WORDS = 15
# The call's opening words name the line ("pronto, ufficio pagamenti, buongiorno"): no one
# has been asked for anything yet. Its first breath, up to a pause of GREETING_PAUSE s and
# at most GREETING_SECONDS long, opens no payment dialogue: that window ran on over the
# health question and the customer's answer ("pronto" heard "per conto", it-s56-027: the
# condition leaked and the question was silenced; it-s56-018, 28.6%, session 32). A
# recording whose first word comes later than GREETING_START s may have lost the agent's
# greeting: its first breath can be the caller's ("buongiorno, vorrei pagare")
GREETING_PAUSE = 0.5
GREETING_SECONDS = 4.0
GREETING_START = 2.0


def payment_windows(
    timeline: list[Token],
    findings: list[Finding],
    policy: RedactionPolicy,
    language: str = "en",
    asked: frozenset[tuple[int, float]] = frozenset(),
) -> list[PaymentWindow]:
    """Time windows in which the conversation (all channels, by time) is about a payment.

    A window ends at a closing phrase, or ``payment_answer_seconds`` after the sentence of
    its last cue or number once the conversation has gone quiet (``payment_window_words``
    words or ``payment_window_seconds`` s without one) or the call has ended: long enough
    for an answer to the last question that ASR did not hear to start, and no longer - a
    window left open to the end of the call silenced every unrecognised word of the
    goodbye. A harmless
    number (with a unit, or after a reference label) does not keep the dialogue open: an
    order number read after the payment is not a payment detail. The words of a payment
    request misheard (``asked``: their channels and start times; ``misheard.py``) are cues
    too: "e la nata di scamenza" and "sono 4 cipa su un forte" were the only payment talk
    heard of a call whose card, code and read-back all leaked (it-s13-029)."""
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    answer = policy.payment_answer_seconds
    cue_at = set(_spoken_phrases(timeline, PAYMENT_CUES.get(language, PAYMENT_CUES["en"])))
    close_at = set(_spoken_phrases(timeline, CLOSING.get(language, CLOSING["en"])))
    goodbye_at = set(_spoken_phrases(timeline, GOODBYES.get(language, GOODBYES["en"])))
    close_at |= fuzzy_closings(timeline, language)  # "padamento andato a muontile"
    goodbye_at.update(fuzzy_goodbyes(timeline, language))  # "grazie per la merchiamato"
    cue_at -= _greeting(timeline, language)
    cue_at |= {i for i, t in enumerate(timeline) if (t.channel, t.start) in asked}
    card_times = [(f.start, f.end) for f in findings if f.entity_type == "CREDIT_CARD"]
    for i, tok in enumerate(timeline):
        if any(s - 0.05 <= tok.start <= e + 0.05 for s, e in card_times):
            cue_at.add(i)
    intents = set(INTENT_CUES.get(language, ()))
    windows: list[PaymentWindow] = []
    reopen_by = -1.0  # a window a goodbye closed is the same dialogue if a cue comes by then
    open_start: float | None = None
    last_cue_t = 0.0
    last_cue_i = 0
    quiet_words = 0
    intent_only = False  # the window holds the caller's intent to pay and nothing more yet
    by_intent = False  # ... and it was opened by that intent
    detail_t: float | None = None  # ... until this time: a cue other than the intent, a number
    for i, tok in enumerate(timeline):
        # a closing that starts with a cue word ("pagamento registrato") closes the
        # dialogue: it is no new payment talk
        if i in cue_at and not (open_start is not None and i in close_at):
            intent = tok.text in intents and (tok.channel, tok.start) not in asked
            intent_only = intent and (open_start is None or intent_only)
            if open_start is None:
                open_start, by_intent, detail_t = tok.start, intent, None
                if tok.start <= reopen_by:
                    # payment talk this soon after a goodbye: the goodbye was misheard
                    # ("la scadenza?" heard "grazie per aver chiamato", it-s13-039), and
                    # the answer after it is inside the dialogue
                    reopened = windows.pop()
                    open_start, by_intent = reopened.start, reopened.opened_by_intent
                    detail_t = reopened.intent_until
            if not intent and detail_t is None:
                detail_t = tok.start
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            continue
        if open_start is None:
            continue
        if i in close_at or i in goodbye_at:
            # the whole closing sentence ends the dialogue ("thank you, the payment has
            # gone through"), not just its closing phrase: back over the confidently
            # heard ordinary words before the phrase, within its sentence
            end = _request_start(timeline, i, policy.sure_confidence)
            # ... and from the agent's praise before a closing found by it ("perfetto, un
            # pannamento"), however unsure ASR was of the words between
            praise = praise_before(timeline, i, language) if i in close_at else None
            end = min(end, timeline[praise].start) if praise is not None else end
            if i not in close_at:
                # ... from the start of its breath, however unsure ASR was of the words
                # before it ("buona donata" for "buona giornata"): unexplained speech
                # is judged by where its utterance starts, and the goodbye's was inside
                end = min(end, _breath_start(timeline, i))
                # a goodbye: the window ends as it does at the end of the call, or at the
                # goodbye if that comes first ("thank you for calling" said while an
                # unheard order number still kept the dialogue open silenced it)
                end = min(end, _sentence_end(timeline, last_cue_i) + answer)
                reopen_by = tok.end + GOODBYE_REOPEN
            windows.append(PaymentWindow(open_start, max(last_cue_t, end), by_intent, detail_t))
            open_start = None
            continue
        if tok.is_number and not _harmless_number(timeline, i, units, labels, language):
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            intent_only = False
            detail_t = tok.start if detail_t is None else detail_t
            continue
        # a decoding loop ("e tu e tu e tu ...", probability zeroed) is no conversation
        # moving on: base looped over a security code and closed the dialogue before
        # the read-back
        quiet_words += tok.probability > 0.0
        if (
            quiet_words > (INTENT_WORDS if intent_only else policy.payment_window_words)
            or tok.start - last_cue_t > policy.payment_window_seconds
        ):
            end = _sentence_end(timeline, last_cue_i) + answer
            windows.append(PaymentWindow(open_start, min(end, tok.start), by_intent, detail_t))
            open_start = None
    if open_start is not None:
        end = _sentence_end(timeline, last_cue_i) + answer
        windows.append(PaymentWindow(open_start, end, by_intent, detail_t))
    return windows


def _breath_start(tokens: list[Token], i: int, words: int = 3, pause: float = 0.3) -> float:
    """Where the breath of token ``i`` starts: back over up to ``words`` words of its
    channel said with no pause of ``pause`` s and no sentence end, never over a number."""
    ch = tokens[i].channel
    before = islice((j for j in range(i - 1, -1, -1) if tokens[j].channel == ch), words)
    k = i
    for j in before:
        t = tokens[j]
        if t.sentence_end or t.is_number or tokens[k].start - t.end >= pause:
            break
        k = j
    return tokens[k].start


def _greeting(tokens: list[Token], language: str) -> set[int]:
    """Indices of the call's greeting (``cues.GREETINGS``), when the recording starts with
    one: its first speaker's first breath, starting within :data:`GREETING_START` s of the
    recording's start and ending at a pause of :data:`GREETING_PAUSE` s (not at a full
    stop: "Pronto. Ufficio pagamenti.") or :data:`GREETING_SECONDS` after its first word."""
    if not tokens or tokens[0].start > GREETING_START:
        return set()  # the recording starts inside the call: no greeting in it
    first = tokens[0]
    said = [0]
    for i, tok in enumerate(tokens[1:], start=1):
        if tok.channel != first.channel:
            continue  # the other channel's echo of the greeting
        if tok.start - tokens[said[-1]].end >= GREETING_PAUSE:
            break
        if tok.start - first.start > GREETING_SECONDS:
            break
        said.append(i)
    greets = GREETINGS.get(language, GREETINGS["en"])
    return set(said) if _phrases([tokens[i].text for i in said], greets) else set()


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
