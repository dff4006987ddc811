"""Italian dictation the request for was lost: spelled runs and the code they start,
decoding loops and the talk leading into them, e-mail addresses known by their domain
ending (:func:`redactor.answers.dictation_windows` adds their windows to the answer
windows)."""

from __future__ import annotations

import re
import statistics

from redactor.alphabet import (
    _LINK_TAIL,
    _LINKS,
    LETTER_NAMES,
    SPELLING_ALPHABET,
    _fold,
    _glued_place,
    _misheard_place,
    glued_link,
    is_link,
    spelling_link,
)
from redactor.loops import _loop_indices
from redactor.tokens import Token, repeats_at
from redactor.unheard import PLACE_WORDS, _numberish, explains, trusted

__all__ = ["dictated_rhythm"]


# After the spelling alphabet's word the letter's sound may run on past ASR's last word
ALPHABET_TAIL = 0.25


def _loop_lead_ins(
    timeline: list[Token],
    sure: float,
    language: str = "it",
    pause: float = 0.5,
    reach: float = 15.0,
    min_seconds: float = 2.0,
    min_words: int = 8,
) -> list[tuple[float, float]]:
    """The talk leading into a decoding loop of a word ("cegno, chi, cegno, cegno ..." over
    a codice fiscale), from the start of its utterance on the loop's channel (no pause of
    ``pause`` s, no sentence end, no two words in a row heard with ``sure`` confidence; at
    most ``reach`` s back: an IBAN read for 10 s before the loop set in lost three groups
    to a 6 s reach) to the loop's first word: the recogniser lost track before it started
    repeating itself, so the letters there were misheard as words ("chi non è" for "ci vu
    e") and explain nothing. Loops as in :func:`redactor.loops.loop_windows`,
    ``min_seconds`` long or ``min_words`` words or more, starting with a word of four
    letters or more or repeating a phrase: not a digit loop (its digits are findings) nor
    one of a short word over a whole channel ("mi mi mi"). A digit homophone is no
    confident word there, however sure ASR was of it: "nome che" (0.72, 0.70) in "pennero
    nome che nomennero" is "nove tre" of an IBAN, not the customer talking."""
    out: list[tuple[float, float]] = []
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        loop = sorted(_loop_indices(toks))
        firsts = [k for n, k in enumerate(loop) if n == 0 or loop[n - 1] != k - 1]
        for f in firsts:
            last = f
            while last + 1 in loop:
                last += 1
            word = toks[f]
            # a loop of a phrase may start with a short word ("c è che c è che c è che" over
            # the end of a codice fiscale); one of a short word alone may not ("mi mi mi").
            # Its words may be stamped with no length at all where the recogniser crammed
            # them into a segment's end: eight of them are a loop however short their stamps
            phrase = last > f and toks[f + 1].text != word.text
            lasting = toks[last].end - word.start >= min_seconds or last - f + 1 >= min_words
            if not lasting or word.is_number or (len(word.text) < 4 and not phrase):
                continue
            i = _utterance_start(
                toks, f, pause, reach,
                stop=lambda k, toks=toks: k > 1 and all(
                    trusted(t, sure) and not _numberish(t, language) for t in toks[k - 2 : k]
                ),
            )  # fmt: skip
            if i < f:
                out.append((toks[i].start, toks[f].end))
    return out


def _utterance_start(toks: list[Token], i: int, pause: float, reach: float, stop=None) -> int:
    """Index of the first word of the utterance word ``i`` is in: back over words with no
    pause of ``pause`` s and no sentence end between them, at most ``reach`` s before word
    ``i``, and not past a word ``k`` for which ``stop(k)`` holds."""
    t0 = toks[i].start
    while (
        i > 0
        and not toks[i - 1].sentence_end
        and toks[i].start - toks[i - 1].end < pause
        and t0 - toks[i - 1].start <= reach
        and not (stop and stop(i))
    ):
        i -= 1
    return i


def _address_endings(
    timeline: list[Token], dot: str, pause: float = 0.5, reach: float = 6.0
) -> list[tuple[float, float]]:
    """E-mail addresses known by their ending: "<dot> <short word>" closing an utterance
    ("punto it", heard "punto d'id."; "punto com") is a domain ending, whatever ASR made of
    the request and of the rest of the address. The window runs from the start of that
    utterance (at most ``reach`` s back: a pause of ``pause`` s or a sentence end before
    it) to the ending. The ending is one or two words of at most four letters together, or
    two words of at most three letters each ("punto che ho" for "punto com"), not the verb
    "è" ("a che punto è?")."""
    out: list[tuple[float, float]] = []
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        for j, tok in enumerate(toks):
            if tok.text != dot or tok.sentence_end:
                continue
            tail = toks[j + 1 : j + 3]
            for n in (1, 2):
                last = j + n
                if last >= len(toks) or toks[last].start - toks[last - 1].end >= pause:
                    break
                ends = toks[last].sentence_end or (
                    last + 1 == len(toks) or toks[last + 1].start - toks[last].end >= pause
                )
                letters = ["".join(c for c in t.text if c.isalpha()) for t in tail[:n]]
                # "punto com" heard as two short words ("punto che ho"): each of at most
                # three letters, as a domain ending's syllables are
                short = len("".join(letters)) <= 4 or all(len(w) <= 3 for w in letters)
                if ends and short and tail[0].text != "è":
                    i = _utterance_start(toks, j, pause, reach)
                    end = toks[last].end + ALPHABET_TAIL
                    out.append((toks[i].start, end))
                    break
    return out


def _spelled(tok: Token, letters: int) -> bool:
    """A token :mod:`redactor.spelling` joined from a spelled run: several words, one
    string of letters and digits with at least ``letters`` letters; or letters with no
    vowel, :data:`VOWELLESS` or more of them, not one letter held: the recogniser wrote
    the spelled letters as acronyms ("TNT, MMT" for "C N T M R C" of a codice fiscale,
    it-s63-038, session 46), and no Italian word is written without a vowel."""
    return (
        (len(tok.raw.split()) >= 3 or _vowelless(tok.text))
        and tok.text.isascii()
        and tok.text.isalnum()
        and sum(ch.isalpha() for ch in tok.text) >= letters
    )


VOWELLESS = 4


def _vowelless(text: str) -> bool:
    return (
        len(text) >= VOWELLESS
        and text.isalpha()
        and not any(ch in "aeiouy" for ch in text)
        and len(set(text)) > 1
    )


def _code_entity(code: str) -> str:
    """The likeliest code a spelled run starts: an IBAN (country, check digits), a codice
    fiscale (surname letters) or an identity-card number."""
    if re.match(r"[a-z]{2}\d\d", code):
        return "IBAN_CODE"
    if re.match(r"[a-z]{3}", code):
        return "IT_FISCAL_CODE"
    return "IT_IDENTITY_CARD"


def _loops(
    timeline: list[Token], repeats: int, min_tokens: int, max_n: int = 12
) -> list[tuple[float, float]]:
    """Time spans of decoding loops in one channel's words: an n-gram (n >= 2) said
    ``repeats`` or more times back to back, ``min_tokens`` tokens in all. The span starts
    at the first repeat (the first saying may be real) and ends with the last."""
    out: list[tuple[float, float]] = []
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        texts = [t.text for t in toks]
        i = 0
        while i < len(toks):
            best = 0
            for n in range(2, max_n + 1):
                reps = repeats_at(texts, i, n)
                if reps >= repeats and reps * n >= min_tokens and reps * n > best:
                    # the longest loop's span: a later, shorter n once overwrote it and a
                    # loop's window started 12 tokens late
                    best = reps * n
                    span = (toks[i + n].start, toks[i + reps * n - 1].end)
            if best:
                out.append(span)
                i += best
            else:
                i += 1
    return out


def dictated_rhythm(
    tokens: list[Token],
    speech: list[tuple[float, float]],
    min_probability: float,
    language: str = "en",
    longest: float = 0.9,
    pause: float = 0.6,
    min_regions: int = 5,
    guessed: float = 0.5,
) -> list[tuple[float, float]]:
    """Speech of one channel with the rhythm of a code read out a character at a time,
    which the recogniser wrote as guessed words: ``min_regions`` voice-activity regions
    or more in a row, each ``longest`` s or shorter, ``pause`` s or less apart, under
    words whose median probability is ``guessed`` or less and of which at most a third
    hold a digit (digits are the number rules' to judge; an order number read back is
    one). Its regions, bar those ordinary words of four letters or more fill
    (:func:`explains`, at ``min_probability``: the caller's "allora" before the code).

    A caller spelling a codice fiscale speaks in short breaths, one per letter; base
    heard "R C C V E" as "per le chi chi mu e a" (0.0 to 0.8), the agent's request for it
    as "mi serve il cronice di scarene", and nothing else on the call said a code was
    being read (Italian seed 1, this machine: five letters leaked). On five corpora this
    rhythm under guessed words was nothing but a code."""
    out: list[tuple[float, float]] = []
    run: list[tuple[float, float]] = []
    for region in [*speech, (float("inf"), float("inf"))]:
        short = region[1] - region[0] <= longest
        if short and (not run or region[0] - run[-1][1] <= pause):
            run.append(region)
            continue
        if len(run) >= min_regions:
            out += _guessed_run(run, tokens, min_probability, language, guessed)
        run = [region] if short else []
    return out


def _guessed_run(run, tokens, min_probability, language, guessed) -> list[tuple[float, float]]:
    """The regions of a dictation-paced ``run`` to silence, if its words were guesses."""
    start, end = run[0][0], run[-1][1]
    words = [t for t in tokens if t.start < end and t.end > start]
    if not words or statistics.median(t.probability for t in words) > guessed:
        return []
    if 3 * sum(any(c.isdigit() for c in t.text) for t in words) > len(words):
        return []
    out = []
    for s, e in run:
        said = [t for t in words if t.start < e and t.end > s]
        if said and all(explains(t, min_probability, language) and len(t.text) >= 4 for t in said):
            continue  # ordinary words fill it (a short one may be a letter: "mu", "e")
        out.append((s, e))
    return out


def _alphabet_units(timeline: list[Token], language: str) -> list[tuple[float, float, str]]:
    """Spans (and the code they are of) over each "<letter> come <place>" ("I come Imola",
    heard "e come imora") that :mod:`redactor.spelling` could not join into a run: a letter
    of a code dictated with the spelling alphabet, however short the rest of the run ASR
    heard. "come" (or its
    tail "me": "dico me torrino" for "ti come Torino") must be followed, on its channel,
    by a spelling-alphabet word (or one close to it), or the place glued to the link is
    one word ("mevologna", "necromenapoli": :func:`redactor.alphabet._glued_place`); the
    letter before it is taken along when it is a short word said without a pause (four
    letters, six before a glued place)."""
    out: list[tuple[float, float, str]] = []
    links = (spelling_link(language), _LINK_TAIL.get(language))
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        for j in range(len(toks)):
            link = word = toks[j]
            if _glued_place(_fold(link.text.strip(".,?!")), language) is None:
                glued = glued_link(link.text, language)
                if j + 1 == len(toks) or not (link.text in links or glued):
                    continue
                k = j + 1
                if glued and k + 1 < len(toks) and toks[k].text in _LINKS.get(language, ()):
                    k += 1  # "ricome di milano" for "emme come Milano" (it-s25-026)
                word = toks[k]
                if link.sentence_end or word.is_number:
                    continue
                place = _fold(word.text.strip(".,?!"))
                if not (_misheard_place(place, language) or _first_sound(place, toks, j, language)):
                    continue
            start = link.start
            # ... up to six letters before a place glued to its link: the letter's name
            # with the link's head glued on ("scroc merilofono" for "X come ...", the X
            # left audible, it-s23-018)
            if j and _letter_before(toks[j - 1], link, longest=6 if word is link else 4):
                start = toks[j - 1].start
            out.append((start, word.end + ALPHABET_TAIL, "IT_IDENTITY_CARD"))
    return out


def _letter_before(letter: Token, link: Token, longest: int = 4) -> bool:
    """``letter``, the word said right before a spelling ``link``, is the character the
    link spells: a short word (``longest`` letters at most) with no pause of 0.5 s before
    the link."""
    return len(letter.text) <= longest and link.start - letter.end < 0.5


def _first_sound(place: str, toks: list[Token], j: int, language: str) -> bool:
    """A short place heard with its first sound wrong ("è come nara" for "E come Zara")
    after a link ``toks[j]`` that follows a letter (a word of three letters or fewer, said
    without a pause): the rest of the place as it is."""
    if len(place) < 4 or j == 0:
        return False
    letter = toks[j - 1]
    if len(letter.text) > 3 or toks[j].start - letter.end >= 0.3:
        return False
    return any(
        len(cand) == len(place) and cand[1:] == place[1:]
        for cand in SPELLING_ALPHABET.get(language, ())
    )


# a code's first characters said by name before the alphabet took over ("L, M, B come
# Bologna"): how far apart they may be, and how many
LETTER_GAP = 0.5
LETTERS_BEFORE = 8


def _letter_like(tok: Token, language: str) -> bool:
    """A character said on its own: one letter or digit, a letter's name, a number."""
    text = tok.text.strip(".,?!")
    return len(text) == 1 or tok.is_number or text in LETTER_NAMES.get(language, {})


def _letters_before(toks: list[Token], first: int, language: str) -> int:
    """The first of the characters said by name, no pause of ``LETTER_GAP`` s between them,
    right before ``toks[first]``: "certo, L M B come Bologna" heard "certo l m mi come ..."
    left the L audible when the run started at "mi" (it-s31-030)."""
    k = first
    while (
        k > 0
        and first - k < LETTERS_BEFORE
        and _letter_like(toks[k - 1], language)
        and not toks[k - 1].sentence_end
        and toks[k].start - toks[k - 1].end < LETTER_GAP
    ):
        k -= 1
    return k


def _come_runs(
    timeline: list[Token], language: str, within: float = 3.0
) -> list[tuple[float, float, str]]:
    """Spans (and the code they are of) over a run of three or more spelling links
    ("come"), each within ``within`` s of the one before on its channel and two of them
    after a letter (a word of three letters or fewer, no pause): someone spelling a code
    with the alphabet,
    however ASR wrote the letters and places ("vi come non ogni ha ... come napoli ... è
    come nara ... è come impoli" for "B come Bologna, ..., N come Napoli, Z come Zara, E
    come Empoli", it-s6-015). From the letter before the first link to the place after
    the last (two words at most)."""
    out: list[tuple[float, float, str]] = []
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        links = [j for j, t in enumerate(toks) if is_link(t.text, language)]
        runs: list[list[int]] = []
        for j in links:
            if runs and toks[j].start - toks[runs[-1][-1]].start <= within:
                runs[-1].append(j)
            else:
                runs.append([j])
        for run in runs:
            after_letter = [
                j for j in run
                if glued_link(toks[j].text, language)
                or (j and len(toks[j - 1].text) <= 3 and toks[j].start - toks[j - 1].end < 0.3)
            ]  # fmt: skip
            if len(run) < 3 or len(after_letter) < 2:
                continue
            first = run[0] - 1 if run[0] in after_letter else run[0]
            first = _letters_before(toks, first, language)
            last = min(run[-1] + PLACE_WORDS, len(toks) - 1)
            out.append((toks[first].start, toks[last].end + ALPHABET_TAIL, "IT_FISCAL_CODE"))
    return out
