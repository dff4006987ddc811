"""Answer windows that need no request: a caller dictating a code (spelled with the
alphabet, or read a character at a time) and a decoding loop. Used by
:mod:`redactor.answers`."""

from __future__ import annotations

import re
from dataclasses import replace

from policies.redaction import RedactionPolicy
from redactor.alphabet import is_link
from redactor.answer_edges import AnswerWindow, _dictating, code_goes_on, run_closes, run_word
from redactor.cues import DICTATION, REFERENCE_LABELS
from redactor.dictation import (
    _address_endings,
    _alphabet_units,
    _code_entity,
    _come_runs,
    _letter_before,
    _loop_lead_ins,
    _loops,
    _spelled,
)
from redactor.quantities import _after_label
from redactor.request_bounds import ACK_AFTER, acknowledgements
from redactor.tokens import Token

__all__ = ["DICTATION_CAP", "DICTATION_TAIL", "after_asked", "dictation_windows"]

# how many words back a reference label makes a spelled run its number ("il numero d'ordine
# è ...")
LABEL_REACH = 3
# how long a code's answer window stays open after the last character dictated in it, and
# the most it may last after its request, seconds
DICTATION_TAIL = 2.5
DICTATION_CAP = 45.0


def dictation_windows(
    timeline: list[Token],
    policy: RedactionPolicy,
    language: str,
    requests: list[float] = (),
    max_seconds: float = 15.0,
    close_run: int = 4,
    counted: frozenset[tuple[float, int]] = frozenset(),
) -> list[AnswerWindow]:
    """Answer windows that need no request: a caller spelling a code and a decoding loop.
    ``counted`` holds the ``(start, channel)`` of the call's quantities ("ci sono 2
    articoli"): ordinary talk that ends a window, not characters that keep it open.

    * **Spelling.** Someone saying "erre come Roma, emme come Milano" is dictating a code
      (a codice fiscale, an IBAN, a document number) even when ASR lost the request
      ("il comico di che ti scale" for "il codice fiscale") and every other character
      ("che" for "tre"). From the spelled run to the first run of ``close_run`` confident
      ordinary words or the next request, at most ``max_seconds`` after the run.
    * **Loops.** An n-gram repeated back to back ("buongiorno per mi stio clienti sono
      julia" eight times, stamped over 24 s of a codice fiscale) means ASR heard nothing it
      could write there: the speech under the repeats is unheard, so it is silenced.
    """
    table = DICTATION[language]
    labels = REFERENCE_LABELS.get(language, ())
    sure = policy.sure_confidence
    requests = list(requests)
    acks = acknowledgements(timeline, language)
    out: list[AnswerWindow] = []
    for k, tok in enumerate(timeline):
        if not _spelled(tok, table["letters"]):
            continue
        if _after_label(timeline, k, labels, reach=LABEL_REACH, language=language):
            # the reference number read after its label, glued to letters ("il numero
            # dotine è ei720l" for "... d'ordine è 6720"): no code dictated, and its window
            # silenced the goodbye after it (it-s54-008, session 29)
            continue
        cap = tok.end + max_seconds
        end, run, run_start, sure_n = cap, 0, tok.end, 0
        for t in timeline[k + 1 :]:
            if t.start >= cap:
                break
            if t.channel != tok.channel:
                continue
            weight = run_word(t, sure, counted)
            if not weight:
                run, sure_n = 0, 0
                continue
            run, run_start = run + 1, (t.start if run == 0 else run_start)
            sure_n += weight == 2
            if run_closes(run, sure_n, close_run):
                end = run_start
                break
        head = _guessed_head(timeline, k, sure, _head_lost(tok.text))
        start = _said_from(timeline, _spelled_head(timeline, head, language))
        end = min([end] + [r for r in requests + _thanked(acks, start) if r > tok.end])
        out.append(AnswerWindow(start, max(end, tok.end), _code_entity(tok.text)))
    units = [
        (
            s,
            _dictation_end(
                timeline, e, requests + _thanked(acks, s), sure, language, close_run, counted
            ),
            entity,
        )
        for s, e, entity in _alphabet_units(timeline, language) + _come_runs(timeline, language)
    ]
    out += [  # letters a spelled run's window already covers need no window of their own
        AnswerWindow(s, e, entity)
        for s, e, entity in units
        if not any(w.start <= s and e <= w.end for w in out)
    ]
    out += [
        AnswerWindow(s, e, "EMAIL_ADDRESS") for s, e in _address_endings(timeline, table["dot"])
    ]
    out += [
        AnswerWindow(s, e, "PAYMENT_UNHEARD") for s, e in _loop_lead_ins(timeline, sure, language)
    ]
    for s, e in _loops(timeline, table["loop_repeats"], table["loop_tokens"]):
        out.append(AnswerWindow(s, e, "PAYMENT_UNHEARD"))
    return out


def _thanked(acks: list[float], start: float) -> list[float]:
    """The agent's acknowledgements (:func:`redactor.request_bounds.acknowledgements`)
    that end a code dictated from ``start``: those :data:`~redactor.request_bounds.
    ACK_AFTER` s or more into it. A codice fiscale spelled after a request lost whole ("il
    comico di che ti scale") ran on over the agent's "grazie" (0.80) and "lei è la quarta
    persona in attesa" to the goodbye (it-s0-001 on session 33's machine, 24.6%)."""
    return [a for a in acks if a - start >= ACK_AFTER]


# a spelled run's first character is said a little before ASR stamps its start
RUN_LEAD = 0.3


def _said_from(timeline: list[Token], k: int) -> float:
    """Where the spelled run ``timeline[k]`` was said from: up to ``RUN_LEAD`` s before its
    stamp, not before the end of the word before it on its channel ("gllguo73..." stamped
    from 11.12 s for a "gi" said from 11.04 s, which leaked, it-s34-017)."""
    tok = timeline[k]
    prev = next((t for t in reversed(timeline[:k]) if t.channel == tok.channel), None)
    return max(tok.start - RUN_LEAD, prev.end if prev is not None else 0.0, 0.0)


# a codice fiscale's shape: six letters (surname, name), the year, the month's letter,
# the day, the place (a letter, three digits) and the check letter
FISCAL_SHAPE = re.compile(r"([a-z]{0,6})\d\d[a-z]\d\d[a-z]\d{3}[a-z]")
# the longest pause between the guessed words before a spelled run that were its first
# characters, seconds
HEAD_PAUSE = 0.7


def _head_lost(code: str) -> int:
    """How many of a spelled run's first characters ASR did not spell: the letters a
    codice fiscale's shape has before its date and the run lacks ("nt01t42t157x" has two
    of the six). 0 for any other run: its length says nothing of its head."""
    m = FISCAL_SHAPE.fullmatch(code)
    return 6 - len(m.group(1)) if m else 0


def _guessed_head(timeline: list[Token], k: int, sure: float, lost: int) -> int:
    """The index of the first of the words said right before the spelled run
    ``timeline[k]`` on its channel that ASR guessed (below ``sure``; up to ``lost``, the
    characters its head lacks; no pause of ``HEAD_PAUSE`` s between them, no sentence
    end): the run's first characters, heard as words. A fiscal code's "L N E V" came out
    "l ne un" (0.29, 0.10, 0.52) before "nt01t42t157x", with its request misheard too: no
    window covered them, and three letters leaked (it-s55-036, session 29). A sure word
    ("allora") stops it; a run with its head ("gllguo73...") takes none (the caller's
    "glielo leggo" before it, heard "niel membro", is no part of it)."""
    ch, first, nxt = timeline[k].channel, k, timeline[k]
    taken = 0
    for j in range(k - 1, -1, -1):
        t = timeline[j]
        if t.channel != ch:
            continue
        if taken == lost or t.probability >= sure or t.sentence_end:
            break
        if nxt.start - t.end >= HEAD_PAUSE:
            break
        first, nxt, taken = j, t, taken + 1
    return first


# how many words said right before a spelled run may spell its first character with the
# alphabet ("G come Genova" heard "il come nieno ma")
SPELLED_HEAD_WORDS = 4


def _spelled_head(timeline: list[Token], k: int, language: str) -> int:
    """The index of the first word of a character spelled with the alphabet right before
    the spelled run ``timeline[k]`` (within :data:`SPELLED_HEAD_WORDS` words of its
    channel, no pause of ``HEAD_PAUSE`` s between them, however sure ASR was of them):
    the letter before the spelling link ("come"), or the link itself after a pause or a
    long word; ``k`` when there is none. A fiscal code's "G come Genova" came out "il come
    nieno ma" (0.54-0.95) before "endtelene63a": the place matched no spelling-alphabet
    word, the sure "ma" stopped the guessed head, and the G leaked (it-s58-003, session
    35)."""
    ch = timeline[k].channel
    chain, nxt = [], timeline[k]
    for j in range(k - 1, -1, -1):
        t = timeline[j]
        if t.channel != ch:
            continue
        if len(chain) == SPELLED_HEAD_WORDS or nxt.start - t.end >= HEAD_PAUSE:
            break
        chain.append(j)
        nxt = t
    links = [n for n, j in enumerate(chain) if is_link(timeline[j].text, language)]
    if not links:
        return k
    n = links[-1]  # the earliest link said in the chain
    if n + 1 < len(chain) and _letter_before(timeline[chain[n + 1]], timeline[chain[n]]):
        return chain[n + 1]
    return chain[n]


def _dictation_end(
    timeline: list[Token],
    end: float,
    requests: list[float],
    sure: float,
    language: str,
    close_run: int,
    counted: frozenset[tuple[float, int]] = frozenset(),
) -> float:
    """Where a code spelled with the alphabet ends, when the letters found (``end``) were
    not its last: while characters go on being dictated (:func:`_dictating`, each within
    ``DICTATION_TAIL`` s of the one before), and ``DICTATION_TAIL`` s after the last, but
    not past the next request nor a run of ``close_run`` sure words (the talk moved on).
    A codice fiscale read after a request heard "il comiche di calme" gave three "come"
    in 3 s, then "è il 8 picome volonia 4 8 è che come fimese 1 5 8 1 come menessia": its
    window ended with the three, and eleven characters leaked (it-s10-011)."""
    cap = min([end + DICTATION_CAP] + [r for r in requests if r >= end])
    last, run, run_start, sure_n = end, 0, end, 0
    for n, t in enumerate(timeline):
        if t.start < end:
            continue
        if t.start >= cap or t.start - last > DICTATION_TAIL:
            break
        weight = run_word(t, sure, counted)
        if _dictating(t, language, counted):
            last, run, sure_n = max(last, t.end), 0, 0
        elif weight:
            run, run_start = run + 1, (t.start if run == 0 else run_start)
            sure_n += weight == 2
            if run_closes(run, sure_n, close_run) and not code_goes_on(
                timeline, n, language, counted
            ):
                return min(cap, max(end, run_start))
        else:
            run, sure_n = 0, 0
    return min(cap, max(end, last + DICTATION_TAIL)) if last > end else end


def after_asked(w: AnswerWindow, asked: list[AnswerWindow], requests: list[float]) -> AnswerWindow:
    """An address known by its ending (``w``) from where the window of its request starts,
    when a request starts in it before that (``asked``: the requests' windows): "e
    l'indirizzo email?" heard "e l individo è mai", the address said on in its breath
    ("anna trattino ..."), was silenced as the address's start (it-s54-010, session 30)."""
    if w.entity_type != "EMAIL_ADDRESS":
        return w
    starts = [
        v.start for v in asked
        if v.entity_type == w.entity_type and w.start < v.start < w.end
        and any(w.start <= r < v.start for r in requests)
    ]  # fmt: skip
    return replace(w, start=min(starts)) if starts else w
