"""Answer windows (:class:`AnswerWindow`) and where one starts and ends: when a request's
sentence has turned into its answer, the caller's opening words before a code, the
channels that answer, a "sì" that starts the answer on a one-channel call, and which
security-code windows a heard code makes needless (:func:`codes_unheard`). Used by
:mod:`redactor.answers` and :mod:`redactor.plan`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from redactor.alphabet import (
    DICTATED_HOMOPHONE,
    LETTER_NAMES,
    _fold,
    dictated_place,
    is_link,
    spelling_link,
)
from redactor.cues import ANSWER_LEADS, ARTICLES, CARD_LIKE, COPULAS, MONTH_NAMES
from redactor.health_answers import YES_NO, _first_utterance_end
from redactor.numbers import _lead_in_verb, _owned_names
from redactor.spans import breath
from redactor.tokens import Token, homophones, lone_digit_words

if TYPE_CHECKING:
    from redactor.detect import Finding
from redactor.unheard import _numberish, _plausible_start, plausible_length, trusted

__all__ = [
    "AnswerWindow",
    "after_own_breath",
    "after_request",
    "codes_unheard",
    "unfinished_code",
]  # and helpers of redactor.answers


# the shortest time anyone answers a request in, seconds: a next request sooner than this
# after the last is more of the asking
NO_ANSWER = 0.5
# the requests answered in one short utterance: the answer window is that utterance
SHORT_ANSWERS = ("CARD_EXPIRY", "CARD_SECURITY_CODE")
# the characters of a code, where the length is fixed (Italian)
CODE_CHARACTERS = {
    "IBAN_CODE": 27,
    "IT_FISCAL_CODE": 16,
    "IT_VAT_CODE": 11,
    "IT_IDENTITY_CARD": 9,
    "PHONE_NUMBER": 9,
    "CARD_SECURITY_CODE": 3,
}


@dataclass(frozen=True)
class AnswerWindow:
    """The answer to a request for contact or bank details: everything said in it is
    redacted, because spelled-out addresses and numbers are the words ASR mangles most."""

    start: float
    end: float
    entity_type: str


def _answered(
    timeline: list[Token], cue: int, k: int, terms: list[tuple[float, float]], pause: float = 0.3
) -> bool:
    """Token ``k`` starts a condition the recognizers found (``terms``) after a pause of
    ``pause`` s since the request's cue word ``cue``: the answer has begun, though ASR ran
    it on from the request ("altro," and, 0.38 s later, "ho fatto un bypass domarico." as
    one sentence, when the window opened after it and silenced the agent's next turn).
    Without a pause the term is the agent's own ("any conditions such as diabetes?")."""
    return any(s <= timeline[k].start < e for s, e in terms) and any(
        timeline[j + 1].start - timeline[j].end >= pause for j in range(cue, k)
    )


def _digits(tok: Token, language: str) -> bool:
    """The token could be part of a security code: it holds a digit."""
    return any(c.isdigit() for c in tok.text)


def _dated(tok: Token, language: str) -> bool:
    """The token could be part of an expiry date: it holds a digit or names a month."""
    return _digits(tok, language) or tok.text in MONTH_NAMES.get(language, MONTH_NAMES["en"])


def _opening_end(after: list[Token], language: str, sure: float, most: int = 3) -> float:
    """Where the answer to a request for a code starts: after the caller's opening words
    (``cues.ANSWER_LEADS``: "sì, allora", "certo"), up to ``most`` of them, the last heard
    with ``sure`` confidence, on every channel that answers. 0.0 when a channel opens
    otherwise: its first word may be the code's first character misheard."""
    leads = ANSWER_LEADS.get(language, ())
    ends, verbs, unsure = [], [], []
    for ch in sorted({t.channel for t in after}):
        said = [t for t in after if t.channel == ch]
        toks = said[:most]
        n = next((i for i, t in enumerate(toks) if t.text not in leads), len(toks))
        # ... or after the verb that introduces the detail, said before any digit ("il
        # mio cellulare è", heard "il mio chelame è"): the caller naming what follows,
        # whatever the name was heard as ("il mio 6 9 è", numbers._owned_names)
        owned = _owned_names(said, language, COPULAS.get(language, ()), 0.3)
        verb = next((k for k in range(min(len(said), most + 3))
                     if (said[k].is_number and k not in owned)
                     or _lead_in_verb(said, k, language)
                     or (k in owned and said[k].text in COPULAS.get(language, ()))),
                    None)  # fmt: skip
        if verb is not None and not said[verb].is_number:
            tok = said[verb]
            verbs.append(min(tok.end, tok.start + plausible_length(0, len(tok.text))))
            continue
        if n == 0 or not trusted(toks[n - 1], _lead_sure(toks, n, sure)):
            unsure.append(said)
            continue
        ends.append(toks[n - 1].end)
    # a channel that heard no such opening abstains when another heard the verb and it
    # wrote no digit before that verb's end: the same words, misheard on the echo ("il
    # mio che l abbè" on the customer's channel, "il mio che gra me è" on the agent's,
    # it-s0-014, session 32). With a digit there, its first word may be the code's
    if unsure and not (verbs and all(
        not any(_digits(t, language) for t in said if t.start < max(verbs)) for said in unsure
    )):  # fmt: skip
        return 0.0
    return min(ends + verbs, default=0.0)


# An opening word this long ("allora", "eccolo", "esatto") right before a number is no
# digit misheard at this confidence: base heard the caller's "allora" before a code at
# 0.5-0.7 on 8 kHz calls, and the answer window silenced it (20 calls of four fresh
# corpora, 0.26 points; session 30; never another word's sound). Before letters it may be
# a spelled code's first letters: there the sure confidence stands
LONG_LEAD = 6
LONG_LEAD_SURE = 0.5


def _lead_sure(toks: list[Token], n: int, sure: float) -> float:
    """The confidence the last opening word, ``toks[n - 1]``, needs to be the caller's
    own: :data:`LONG_LEAD_SURE` for a long one right before a number, else ``sure``."""
    lead, after = toks[n - 1], toks[n] if n < len(toks) else None
    if len(lead.text) >= LONG_LEAD and after is not None and after.is_number:
        return min(sure, LONG_LEAD_SURE)
    return sure


def _answering(after: list[Token]) -> list[Token]:
    """The words of ``after`` (everything said after a question) on the channels that
    answer it: the first to speak, and any channel speaking during that first utterance
    (the answer's echo on the agent's channel). On a two-channel call the agent's channel
    often transcribes no echo; its first words are then the agent's next question ("anything
    else?"), which says nothing about how the answer opens or how long it runs."""
    firsts: dict[int, float] = {}
    for t in after:
        firsts.setdefault(t.channel, t.start)
    if len(firsts) < 2:
        return after
    first = min(firsts, key=firsts.get)
    ends = _first_utterance_end([t for t in after if t.channel == first], float("inf"), tail=0.0)
    return [t for t in after if firsts[t.channel] < ends]


def _answer_opens(timeline: list[Token], i: int, language: str, pause: float = 0.3) -> bool:
    """Word ``i`` is a "sì"/"no" after a short pause: the customer answering. On a mono call
    base runs the question into the answer when the turns are under 0.5 s apart ("... che
    non ho femmemi, si, mi hanno indicato la scleromi multa" for "... conoscere? sì, mi
    hanno diagnosticato la sclerosi multipla"), and the health window then covered the
    utterance after the answer."""
    yes_no = YES_NO.get(language, YES_NO["en"])
    return timeline[i].text in yes_no and timeline[i].start - timeline[i - 1].end >= pause


# a run of words that closes an answer ("the talk moved on") may hold words a little less
# sure than ``sure`` as long as half of it is sure: base hears the agent's next sentence
# at 0.65 on some machines ("lei è la quarta persona in attesa": 0.65 0.73 0.87 0.65), and
# an IBAN's answer window ran on over it to the goodbye (it-s26-010)
FAIR_MARGIN = 0.1


def run_word(tok: Token, sure: float, counted: frozenset = frozenset()) -> int:
    """How ``tok`` counts in a run of words that closes an answer: 2 sure (``trusted``), 1
    fairly sure (within :data:`FAIR_MARGIN` of it), 0 not at all (the run starts again).
    A quantity in ``counted`` (``(start, channel)`` of :func:`redactor.quantities.
    harmless_numbers`: the "2" of "ci sono 2 articoli") is a word of ordinary talk, 2 heard
    ``sure``, else 1, not a character: it had broken the run that closes an IBAN's window,
    which ran on to the end of the call (it-s35-031, and it-s62-004 for a code dictated
    with no request, session 45)."""
    if (tok.start, tok.channel) in counted:
        return 2 if tok.probability >= sure else 1
    if trusted(tok, sure):
        return 2
    return 1 if trusted(tok, sure - FAIR_MARGIN) else 0


def run_closes(words: int, sure_words: int, close_run: int) -> bool:
    """A run that has just grown to ``words`` (``sure_words`` of them sure) closes now: it
    is ``close_run`` long and half of it sure."""
    return words == close_run and 2 * sure_words >= close_run


def _dictating(tok: Token, language: str, counted: frozenset = frozenset()) -> bool:
    """``tok`` is part of a code being dictated: a number, the spelling link ("come", or
    its letter glued on: "ricome"), a spelling-alphabet word (or one close to it:
    "ancola"), a digit's homophone or a letter's name (:data:`DICTATED_HOMOPHONE` letters
    or more: "capa" for K, "effe"; "di", "ti" are everyday words). A fiscal code's "...
    3 5 1 K" heard "3 quinto e uno capa" (0.97 0.97 0.99 0.86) was four sure words of
    talk moving on, and its 5 and K leaked (it-s63-018, session 40). A quantity in
    ``counted`` (:func:`run_word`) is none."""
    if (tok.start, tok.channel) in counted:
        return False
    if tok.is_number:
        return True
    word = _fold(tok.text.strip(".,?!"))
    return (
        is_link(word, language)
        or dictated_place(word, language) is not None
        or (len(word) >= DICTATED_HOMOPHONE
            and (word in homophones(language) or word in LETTER_NAMES.get(language, {})))
    )  # fmt: skip


def _request_start(tokens: list[Token], i: int, sure: float) -> float:
    """Where the request whose cue is token ``i`` starts: back over the confidently
    recognised ordinary words just before it ("and your *email*"), within its sentence;
    where its first word was said, not where ASR stamped it back over the pause before it
    ("perfetto" stamped 1.7 s long over a fiscal code's last letter, it-s13-008). An
    article said right before the cue is the request's however unsure ASR was of it: "mi
    serve l (0.42) iman" for "mi serve l'IBAN" started at "iman", and the answer window
    of the question before it ran on over "mi serve l" (five calls of three fresh Italian
    corpora, session 26)."""
    j = i
    if (
        j > 0 and tokens[j - 1].text in ARTICLES
        and tokens[j].start - tokens[j - 1].end < 0.3
        # ... said there, not stamped on over a pause ("il" 0.86 s long after an answer)
        and tokens[j - 1].end - tokens[j - 1].start <= plausible_length(0, 2)
    ):  # fmt: skip
        j -= 1
    while (
        j > 0
        and not tokens[j - 1].sentence_end
        and tokens[j].start - tokens[j - 1].end < 0.5
        and trusted(tokens[j - 1], sure)
        and not tokens[j - 1].is_number
    ):
        j -= 1
    return _plausible_start(tokens[j])


def characters(tokens: list[Token], language: str) -> int:
    """How many of a code's characters ``tokens`` hold: digits, and letters spelled with
    the spelling link ("C come Como") or by their alphabet word."""
    link = spelling_link(language)
    return sum(
        len(t.digits)
        or (bool(link) and link in t.text)
        or dictated_place(_fold(t.text), language) is not None
        for t in tokens
    )


# a code's next character, said this soon after a run of sure words, shows the run was
# characters misheard, seconds; and how many words on it may come first
NEXT_CHARACTER = 1.0
NEXT_WORDS = 2


def code_goes_on(
    timeline: list[Token], n: int, language: str, counted: frozenset = frozenset()
) -> bool:
    """The run of sure words that ends at ``timeline[n]`` is a code's characters misheard,
    not the talk moving on: one of the next :data:`NEXT_WORDS` words of its channel, each
    said within :data:`NEXT_CHARACTER` s of the word before, is a character dictated
    (:func:`_dictating`; a quantity in ``counted`` is not). "e il ricrome di muo" at
    0.74-1.0 for "elle come Livorno", then "uno": the fiscal code's window closed there
    and eight characters leaked (it-s40-001)."""
    t = timeline[n]
    lone = lone_digit_words(language)  # "uno" alone is a digit here
    for u in islice((u for u in timeline[n + 1 :] if u.channel == t.channel), NEXT_WORDS):
        if u.start - t.end >= NEXT_CHARACTER:
            return False
        if (_dictating(u, language) or u.text in lone) and (u.start, u.channel) not in counted:
            return True
        t = u
    return False


def codes_unheard(windows: list[AnswerWindow], found: list[Finding]) -> list[AnswerWindow]:
    """``windows`` less the security-code answers whose digits were heard: such a window
    stands in for a code heard as words ("c è che ne roccei"); where a finding of the
    card's (``found``) lies in it, the finding is the code, and the rest of the request
    and the caller's "allora" before it stay audible."""
    return [
        w for w in windows
        if w.entity_type != "CARD_SECURITY_CODE"
        or not any(f.entity_type in CARD_LIKE and f.start < w.end and f.end > w.start
                   for f in found)
    ]  # fmt: skip


def after_request(
    w: AnswerWindow,
    asked: list[tuple[float, float]],
    timeline: list[Token],
    most: float = 8.0,
    stops: list[float] = (),
) -> AnswerWindow:
    """``w`` starting after the misheard request it starts in (``asked``: the breaths
    ``misheard.misheard_requests`` found requests in). A short answer's window (an expiry,
    a security code) left with no room there is the request's rest taken for the answer
    (the "3" of "le 3 ci prezzuretere" looked like a code, it-s14-016): the answer is the
    first utterance after the request, at most ``most`` s of it, and no later than the
    next request, closing or goodbye (``stops``, ``request_bounds.request_starts``): a
    looped code's stamps ran on into "perfetto, pagamento registrato, il numero d'ordine
    è" as one utterance, and the window silenced them (it-s61-029, session 38).

    A short answer's window also ends where the next misheard request's breath starts:
    ASR stamps the request's first words back over the pause after the answer ("mi"
    26.02-27.28 s after an expiry ending at 26.2 s), so the answer's utterance ran on over
    "mi serve anche il codice di sicurezza" (three calls of one corpus, session 42)."""
    start = max([w.start] + [e for s, e in asked if s <= w.start < e])
    if w.entity_type in SHORT_ANSWERS:
        nxt = min((s for s, _e in asked if s >= start + NO_ANSWER), default=w.end)
        w = replace(w, end=min(w.end, nxt)) if nxt > w.start else w
    if start == w.start:
        return w
    if w.entity_type in SHORT_ANSWERS and w.end - start < NO_ANSWER:
        after = [t for t in timeline if t.start >= start]
        end = min([_first_utterance_end(after, start + most)]
                  + [s for s in stops if s >= start + NO_ANSWER])  # fmt: skip
        return replace(w, start=start, end=max(w.end, end))
    return replace(w, start=start)


def unfinished_code(
    w: AnswerWindow,
    timeline: list[Token],
    speech_of: dict[int, list[tuple[float, float]]],
    language: str,
    stops: list[float] = (),
    gap: float = 0.3,
    most: float = 3.0,
    breath: float = 1.2,
) -> AnswerWindow:
    """``w`` run on to the end of the utterance it ends in, when it holds fewer of its
    code's characters than the code has (``CODE_CHARACTERS``: digits, and letters spelled
    with the spelling link, "C come Como"): the rest were said, and heard as other words or
    as none. A fiscal code's "A 6 6 2 P" came out "ufficio pagamenti buongiorno", a
    repetition of the agent's greeting at 0.9, and its window timed out in the middle of
    the customer's breath (it-s15-026). The utterance ends at a pause of ``gap`` s or more
    in every channel's voice activity, through breaths no longer than a character's
    (``breath`` s: the agent's "perfetto, ci vogliono venti minuti" after a fiscal code
    is one long breath, it-s13-028), ``most`` s after the window's end at the latest,
    and never runs past a request or goodbye (``stops``: when they start): a window a
    request ended was ended by the talk moving on ("grazie per la merchiamato" after an
    IBAN short of its letters)."""
    needed = CODE_CHARACTERS.get(w.entity_type, 0)
    if not needed or any(abs(t - w.end) < 0.05 for t in stops):
        return w
    heard = characters([t for t in timeline if w.start <= t.start < w.end], language)
    if heard >= needed:
        return w
    end = w.end
    for speech in speech_of.values():
        if not any(s < w.end < e and e - s <= breath for s, e in speech):
            continue  # it ends in a pause, or in a long breath: talk, no character
        at = w.end
        for s, e in speech:
            if s <= at + gap and e > at:
                if e - s > breath:
                    break
                at = e
        end = max(end, at)
    end = min([end, w.end + most] + [t for t in stops if t > w.end])
    return replace(w, end=end) if end > w.end else w


# the most of a request's breath a code's answer window may start in and still be moved
# past it, seconds; and the fewest letters of the word that breath must end with
OWN_BREATH = 1.2
REQUEST_WORD = 5


def after_own_breath(
    w: AnswerWindow,
    speech_of: dict[int, list[tuple[float, float]]],
    timeline: list[Token],
    language: str,
    longest: float = OWN_BREATH,
) -> AnswerWindow:
    """A code's answer window that starts inside the breath its request was asked in
    starts after that breath when the rest of it is short (``longest`` s), holds nothing
    of a code (no number or number-ish word, no spelling) and ends with a word of
    :data:`REQUEST_WORD` letters or more: the request ran on past
    the words ASR was sure of ("e li va per il imporso" for "e l'IBAN per il rimborso?",
    "imporso" unsure, it-s18-006), and the customer answers after a pause. Health windows
    (:func:`redactor.health_windows.after_question`) and windows that need no request are returned
    as they are."""
    if w.entity_type in ("HEALTH", "PAYMENT_UNHEARD"):
        return w
    for ch, speech in speech_of.items():
        region = breath(speech, w.start)
        if region is None or not w.start < region[1] < min(w.end, w.start + longest):
            continue
        said = [t for t in timeline
                if t.channel == ch and region[0] <= (t.start + t.end) / 2 < region[1]]  # fmt: skip
        rest = [t for t in said if (t.start + t.end) / 2 >= w.start]
        # ... and only a request's breath: nothing of a code in the words before the window
        # either (a window a spelled letter opened starts at its place, "di scroc
        # merilofono" after "uno nome" for "X come ...", and the X leaked: it-s23-018)
        before = [t for t in said if (t.start + t.end) / 2 < w.start][-4:]
        if not rest or any(_numberish(t, language) or _dictating(t, language)
                           for t in rest + before):  # fmt: skip
            return w
        # a request ends on a word ("rimborso", "addebito"), a code on a character: "i ti"
        # is an IBAN's "IT" as often as words
        if len(rest[-1].text.strip(".,?!")) < REQUEST_WORD:
            return w
        return replace(w, start=region[1])
    return w
