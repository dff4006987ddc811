"""Decoding loops: where the recogniser repeated itself over speech it could not follow
("free payment or payment free payment" over a card number). A loop explains no speech,
and where it ran we do not know what was said, so it is judged as a payment dialogue."""

from __future__ import annotations

import re
from dataclasses import replace

from redactor.call_endings import goodbye_words
from redactor.cues import CLOSING, CLOSING_QUESTIONS, GOODBYES
from redactor.phrases import _spoken_phrases
from redactor.stamps import GLUED
from redactor.tokens import RETURNED, Token, homophones, repeats_at
from redactor.unheard import PaymentWindow

__all__ = ["at_call_end", "closing_questions", "distrust_loops", "loop_windows"]


def distrust_loops(
    tokens: list[Token],
    count: int = 3,
    within: int = 8,
    min_letters: int = 4,
    language: str = "en",
) -> list[Token]:
    """Zero the probability of an ordinary word that comes back ``count`` times within
    ``within`` tokens ("free payment or payment free payment"), and of everything in the
    stretch it repeats over ("the next 30 days. the next 30 days. ..."): a decoding loop
    over speech ASR could not follow - a card number, here - not three real mentions, so
    none of it may explain the audio under it (an immediate repeat is caught at
    normalisation). Short function words ("the", "and") recur naturally and do not start
    a loop."""
    echoes = _echoes(tokens, min_letters)
    loop = _loop_indices(tokens, count, within, min_letters) | echoes | _glued_to(tokens, echoes)
    loop |= _stuck(tokens) | _copies(tokens, language)
    return [replace(t, probability=0.0) if k in loop else t for k, t in enumerate(tokens)]


def _stuck(tokens: list[Token], repeats: int = 4) -> set[int]:
    """A word with one letter written ``repeats`` times or more in a row: the decoder stuck
    on a sound ("ooooo...o" at 0.95, stamped 1.3 s over two letters of a codice fiscale,
    it-s2-029). No word of our languages has such a run, and its confidence is the loop's,
    not the speech's."""
    return {k for k, t in enumerate(tokens) if _STUCK.search(t.text) and not t.is_number}


_STUCK = re.compile(r"([^\W\d_])\1{3,}")


# A copy: COPY_WORDS words or more written again, word for word, COPY_AFTER s or more after
# the channel first said them. Base wrote the call's opening again over a payment answer,
# its mishearings and all: "buona sera grazie per aver chiamato un giorno non fa" over
# "mi dice la scadenza della carta? zero otto trentuno" ("giorno" at 0.61 explained the
# expiry, which leaked: it-s46-036), "pronto un figio famamenti" over an expiry
# (it-s47-003). People do say the words of a goodbye twice ("grazie per aver chiamato"
# greeting and closing a call): a copy made of them alone is no copy, nor one made of the
# call's goodbye however misheard (the greeting's "grazie per la merchiamato" heard again
# word for word in the goodbye, it-s51-025)
COPY_WORDS = 4
COPY_AFTER = 5.0
_FAREWELL_WORDS = frozenset(
    word
    for table in (GOODBYES, CLOSING)
    for phrases in table.values()
    for phrase in phrases
    for word in phrase.split()
)


def _copies(tokens: list[Token], language: str = "en") -> set[int]:
    """Tokens of a copy (:data:`COPY_WORDS`): the decoder repeating its own earlier text
    over speech it could not follow. Numbers break a copy (a read-back is said again)."""
    ending = goodbye_words(tokens, language)
    texts = [None if t.is_number else t.text for t in tokens]
    first: dict[tuple[str, ...], int] = {}  # each run of COPY_WORDS words: where it ends
    out: set[int] = set()
    for j in range(len(tokens) - COPY_WORDS + 1):
        gram = tuple(texts[j : j + COPY_WORDS])
        if None in gram:
            continue
        end = first.setdefault(gram, j + COPY_WORDS - 1)
        if tokens[j].start - tokens[end].end >= COPY_AFTER and not all(
            word in _FAREWELL_WORDS or k in ending for k, word in enumerate(gram, start=j)
        ):
            out.update(range(j, j + COPY_WORDS))
            out.update(_copy_tail(tokens, j + COPY_WORDS, language))
    return out


# the words glued on after a copy (a pause shorter than this, s) are the copy's too
COPY_TAIL_PAUSE = 0.3


def _copy_tail(tokens: list[Token], k: int, language: str) -> range:
    """Indices of the words from ``k`` on said in the breath of a copy that ends before
    ``k``, up to the first number or digit homophone: the decoder has not yet found its way
    back to the speech. "buona sera grazie per" (a copy of the greeting, zeroed) went on
    "la merchiamato" (0.72) over "acca zero due zero" of an IBAN, which it explained, and
    the group leaked (it-s52-004, session 32)."""
    sounds = homophones(language)
    end = k
    while (
        end < len(tokens)
        and tokens[end].start - tokens[end - 1].end < COPY_TAIL_PAUSE
        and not tokens[end].is_number
        and tokens[end].text not in sounds
    ):
        end += 1
    return range(k, end)


# an echo's three words follow each other closer than this (s)
ECHO_PAUSE = 0.5


def _echoes(tokens: list[Token], min_letters: int = 4) -> set[int]:
    """An ordinary word back after a single other word, with the word between ("free
    payment or payment breathe" for four card digits, the second "payment" at 0.94 over
    a "7"): the decoder echoing itself over speech it could not follow. Such a pair is
    too short to be a loop window, but neither word may explain the audio under it. Real
    speech says this shape only in set phrases ("face to face", "time to time"), which are
    judged as unsure words: redacted only in a payment dialogue or next to a finding."""
    out: set[int] = set()
    for i in range(len(tokens) - 2):
        a, b = tokens[i], tokens[i + 2]
        if (
            a.text == b.text != tokens[i + 1].text  # a word said back to back is no echo
            # one breath: "... on the front of the card. my card number is" is two turns
            and not any(t.sentence_end for t in tokens[i : i + 2])
            and all(tokens[k + 1].start - tokens[k].end < ECHO_PAUSE for k in (i, i + 1))
            and not a.is_number
            and len(a.text) >= min_letters
            and a.text not in RETURNED  # "grazie mille, grazie"
        ):
            out.update((i, i + 1, i + 2))
    return out


# how many words glued on either side of an echo are the recogniser lost too (words it
# wrote at probability 0 not counted: they are the echo going on)
GLUED_TO_ECHO = 1


def _glued_to(tokens: list[Token], echo: set[int]) -> set[int]:
    """The word glued on either side of each echo (no pause of :data:`stamps.GLUED` s),
    numbers aside, past any glued on at probability 0: the recogniser had lost its way
    before it echoed itself, and found it again after. "march twenty twenty nine" heard
    "much (0.78) when did when did (0.00) i (0.99)": "much" and "i" explained the
    expiry's first and last syllables, and 36% of it stayed audible (en-s61-029, session
    46's machine)."""
    out: set[int] = set()
    for k in echo:
        for step in (-1, 1):
            j, near, heard = k + step, k, 0
            while (
                0 <= j < len(tokens)
                and not tokens[j].is_number
                and _glued(tokens[min(j, near)], tokens[max(j, near)])
            ):
                if j not in echo:
                    out.add(j)
                    heard += tokens[j].probability > 0.0
                if heard >= GLUED_TO_ECHO:
                    break
                j, near = j + step, j
    return out


def _glued(a: Token, b: Token) -> bool:
    """``b``, said after ``a``, starts no :data:`stamps.GLUED` s after ``a`` ends."""
    return b.start - a.end < GLUED


def loop_windows(
    tokens: list[Token],
    min_seconds: float = 2.0,
    reach_back: float = 3.0,
    count: int = 3,
    within: int = 8,
    *,
    closed: list[float] = (),
    speeches: list[list[tuple[float, float]]] = (),
    sure: float = 0.7,
) -> list[PaymentWindow]:
    """Decoding loops lasting ``min_seconds`` or more, as payment windows. The recogniser
    loops on digit runs it cannot follow (the issue's "4 4 4 4", tiny.en's "the next 30
    days" repeated over a whole card number), and a loop can swallow the request that
    would have opened the dialogue too: where it looped, we do not know what was said, so
    the speech there is judged as in a payment dialogue - redacted unless explained. The
    window reaches ``reach_back`` seconds before the loop: a loop sets in a few digits into
    a reading, after the recogniser has already misheard its first ones, and on over its
    tail (:func:`_loop_tail`, with ``sure`` the confidence of a word someone said).

    A loop at the call's end (:func:`at_call_end`, with the questions ``closed`` and each
    channel's ``speeches``) is no window."""
    loop = sorted(_loop_indices(tokens, count, within))
    runs: list[list[int]] = []  # first and last index of each stretch of loop tokens
    for k in loop:
        if runs and k == runs[-1][1] + 1:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    return [
        PaymentWindow(_loop_start(tokens, i, reach_back), tokens[_loop_tail(tokens, j, sure)].end)
        for i, j in runs
        if tokens[j].end - tokens[i].start >= min_seconds
        and not at_call_end(tokens[i].start, closed, speeches)
    ]


# a reading's digits said on with pauses shorter than this (s) are one reading
READING_PAUSE = 1.0


def _loop_start(tokens: list[Token], i: int, reach_back: float) -> float:
    """Where the window of the loop starting at ``tokens[i]`` starts: ``reach_back`` s
    before it, or, when it is one digit written again and again and the digits before it
    were heard as digits, said on with no pause (:data:`READING_PAUSE`), where that reading
    starts: the recogniser did not lose its way before the loop, and what was said before
    the reading is judged as anywhere else. A card's "6 0 1 1 1 1 0 8 ..." came back "6 0
    1 1 1 1 0 8" with each "1" at probability 0, and the window reached back 3 s over the
    caller's "eccolo, è" before it (it-s61-031). The reading's own first words misheard are
    the long-number rules' lead-ins."""
    start = i
    if tokens[i].is_number and len(tokens[i].digits) == 1:
        while (
            start > 0
            and tokens[start - 1].is_number
            and tokens[start].start - tokens[start - 1].end < READING_PAUSE
        ):
            start -= 1
    if start < i:
        return max(0.0, tokens[i].start - reach_back, tokens[start].start)
    return max(0.0, tokens[i].start - reach_back)


# A loop goes on past its last repeat, mutated: "tu è meno" three times over an IBAN, then
# "non mi fette meno fette mero meno tu attro non mi non non mi ammuno tu" over its last two
# groups, which leaked (it-s48-006, an 8 kHz call, on two machines; session 29). Its tail
# is the words after it with no pause of this many seconds between them ...
LOOP_TAIL_PAUSE = 0.7


def _loop_tail(tokens: list[Token], last: int, sure: float) -> int:
    """The index of the last word of the loop ending at ``tokens[last]``, its tail taken in:
    the words after it said on with no pause of :data:`LOOP_TAIL_PAUSE` s and no two in a
    row heard with ``sure`` confidence but for the loop's own words ("meno", "tu"), which
    say it goes on. Two sure words are someone talking again."""
    own = {t.text for t in tokens[max(0, last - 12) : last + 1]}
    k, sure_run = last, 0
    while k + 1 < len(tokens) and tokens[k + 1].start - tokens[k].end < LOOP_TAIL_PAUSE:
        t = tokens[k + 1]
        sure_run = sure_run + 1 if t.probability >= sure and t.text not in own else 0
        if sure_run == 2:  # the tail ends before the first of the two
            return k - 1
        k += 1
    return k


# A loop over the reply to the agent's closing question ("posso fare altro per lei?" / "no,
# grazie", base looping "c è che c è che ..." or "no no no ..." over it to the end of the
# call) silenced the reply as a payment dialogue: four plain calls of two fresh corpora,
# 0.4 points (session 29). The loop sets in this soon after the question starts (s) ...
CLOSING_REPLY = 4.0
# ... and no channel says more than this (s) from there to the end of the call: "no,
# grazie" and "grazie per aver chiamato, arrivederci" took 3.2-4.2 s on one channel; a
# detail asked for and read out, and the goodbye, take longer
ENDING_SPEECH = 5.0


def at_call_end(
    start: float, closed: list[float], speeches: list[list[tuple[float, float]]]
) -> bool:
    """Whether what starts at ``start`` is the end of the call: it starts at most
    :data:`CLOSING_REPLY` s after a closing question began (``closed``,
    :func:`closing_questions`), and no channel's speech (``speeches``) after it lasts more
    than :data:`ENDING_SPEECH` s: room for a short reply and the goodbye, not for a detail
    asked for and read out."""
    return bool(speeches) and any(
        0.0 <= start - c <= CLOSING_REPLY
        and all(
            sum(max(0.0, e - max(s, start)) for s, e in speech) <= ENDING_SPEECH
            for speech in speeches
        )
        for c in closed
    )


def closing_questions(timeline: list[Token], language: str) -> list[float]:
    """When the agent asked the call's closing question (:data:`cues.CLOSING_QUESTIONS`),
    heard word for word on any channel."""
    phrases = CLOSING_QUESTIONS.get(language, CLOSING_QUESTIONS["en"])
    return [timeline[i].start for i in _spoken_phrases(timeline, phrases)]


def _loop_indices(
    tokens: list[Token], count: int = 3, within: int = 8, min_letters: int = 4, longest: int = 8
) -> set[int]:
    """Tokens of a loop: an ordinary word back ``count`` times within ``within`` tokens,
    with everything between, or a phrase of up to ``longest`` words said ``count`` times
    in a row ("the next 30 days the next 30 days the next 30 days"; base wrote the agent's
    seven-word greeting, "buongiorno per vizi o clienti sono nulia", ten times over a card
    number at 0.9 and more)."""
    loop: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.is_number or len(tok.text) < min_letters:
            continue
        same = [k for k in range(i, min(len(tokens), i + within)) if tokens[k].text == tok.text]
        if len(same) >= count + (tok.text in RETURNED):  # "buongiorno" said back, and once more
            loop.update(range(same[0], same[-1] + 1))
    texts = [t.text for t in tokens]
    for n in range(1, longest + 1):
        i = 0
        while i + count * n <= len(texts):
            gram = texts[i : i + n]
            reps = repeats_at(texts, i, n)
            need = count + (n == 1 and gram[0] in RETURNED)  # said back, and once more
            if reps >= need and (n > 1 or len(gram[0]) >= min_letters or tokens[i].is_number):
                # a loop mutates as it goes ("the next 20 days" among "the next 30 days"):
                # take in the copies one word off on either side
                first, end = i, i + reps * n
                while n >= 3 and first >= n and _one_off(texts[first - n : first], gram):
                    first -= n
                while n >= 3 and _one_off(texts[end : end + n], gram):
                    end += n
                loop.update(range(first, end))
                i = end
            else:
                i += 1
    return loop


def _one_off(words: list[str], gram: list[str]) -> bool:
    """``words`` is ``gram`` with at most one word different."""
    return len(words) == len(gram) and sum(a != b for a, b in zip(words, gram, strict=True)) <= 1
