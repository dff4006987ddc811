"""Matching the phrases of :mod:`redactor.cues` in what ASR wrote: word for word, or, in
the languages of ``cues.FUZZY_CUES``, as ASR mishears them (a long word with its letters
off, an article glued on, two words written as one, a last word whose first letters ran
into the word before)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from redactor.alphabet import _fold, spelling_link

__all__ = ["alike"]  # and helpers of redactor.cues' users, re-exported there


def _phrases(words: list[str], phrases, fuzzy: bool = False) -> list[int]:
    """Indices in ``words`` where any phrase (space separated) starts. With ``fuzzy``, a
    phrase word of 7+ letters also matches a word ASR misheard from it (same first three
    letters, similarity >= 0.7: "patronia" for "patologia", "fiscali" for "fiscale"), also
    after a glued article of one or two letters ("rascamenza" for "la scadenza"); a
    two-word phrase also matches one word that sounds like its words glued together
    ("partitima" for "partita iva")."""
    hits = []
    split = [tuple(p.split()) for p in phrases]
    for i in range(len(words)):
        for p in split:
            got = tuple(words[i : i + len(p)])
            if got == p or (fuzzy and len(got) == len(p) and all(map(_sounds_like, p, got))):
                hits.append(i)
                break
            if fuzzy and len(p) == 1 and _heard_as(p[0], words[i - 1] if i else "", words[i]):
                hits.append(i)
                break
            if fuzzy and (_head_lost(p, got) or _hiss_heard(p, got) or _pair_heard(p, got)):
                hits.append(i)
                break
            # a two-word cue heard glued into one word ("partitima" for "partita iva"):
            # the word sounds like the cue's words written together
            if fuzzy and len(p) == 2 and _sounds_like("".join(p), words[i]):
                hits.append(i)
                break
    return hits


# Short cues the recogniser writes as other letters, which no similarity of letters can
# tell from other short words: base hears the Italian "IBAN" (said "ee-bahn") with its b as
# an m or a v, the article glued on or split off, and often the next word glued on: "l
# imanè", "l'imante", "eliman", "liban", "li manè", "li manperà" (for "l'IBAN per"), "li
# vante", "li bante", "li mannere" (session 18: 23 of 24 times on two Italian corpora). Per
# cue word (elision dropped): the word heard whole (an article before it may be glued on),
# and the word heard after a split-off article, which must then be one of ``articles``.
# Not "rimane" (a glued "r"), nor "li mando" (only these endings). After "li" the "n" may
# be lost too: "e li va per il limbozzo" for "e l'IBAN per il rimborso?", "li va" for
# "l'IBAN è" (session 23, twice in one corpus); "va" is a word of its own after any other.
# The article may be heard as "il": "e il man per la debito" (it-s19-017), or as "mi": "e
# mi manpe la tempeta di" for "e l'IBAN per l'addebito?" (it-s50-026, session 28: the IBAN
# after it, heard as "te ne ho e me lo" between its digits, leaked four groups)
HEARD_AS = {
    "iban": {
        # ... and its "l" heard as an "r" ("e riman per la debito", four calls of three
        # fresh corpora, session 26), with no ending that makes it "rimane"; its "n" heard
        # as an "m" ("l imamè" for the customer's "l'IBAN è", the only IBAN cue of an 8 kHz
        # call whose last three groups leaked, it-s48-006, session 29)
        "whole": re.compile(r"(?:e?l'?)?i[bmv]a[nm](?:e|te|ei|nere|pe\w*)?|ri[bmv]an(?:pe\w*)?"),
        "split": re.compile(r"i?[bmv]an(?:e|te|ei|nere|pe\w*)?"),
        "articles": ("l", "li", "el", "eli", "il", "mi"),
        # ... and "IBAN" heard "manca" after "li" ("e li manca per la femmito" for "e
        # l'IBAN per l'addebito", twice on three fresh corpora, sessions 28 and 29: an
        # IBAN's groups leaked, the VAT's answer window ran on over the request)
        "short": re.compile(r"[bmv]a(?:nca)?"),
        "short_articles": ("li",),
    },
    # "e l'indirizzo email?" heard "e l individso e mai" (13 times in five Italian corpora
    # of session 23), "individi" (7), "individo" (5): the "r" heard as a "v", the rest
    # worn down past what a similarity of letters accepts
    "indirizzo": {
        "whole": re.compile(r"(?:l'?)?individ(?:so|o|i)"),
        "split": re.compile(r"individ(?:so|o|i)"),
        "articles": ("l", "e"),
    },
    # "carta d'identità" heard "a diventità" (0.78): the elided "d'" glued on and the "d"
    # after the "i" heard as a "v" (it-s42-039: the identity card's nine characters
    # leaked); "carta di mentita" had its phrase heard too (it-s39-002)
    "identità": {
        "whole": re.compile(r"(?:d'?|di|de)?i?[vbdm]?entita"),
        "split": re.compile(r"i?[vbdm]?entita"),
        "articles": ("d", "di"),
    },
}


def alike(a: str, b: str, ratio: float, slack: int | None = None) -> bool:
    """One word heard as the other by ASR: difflib's ratio of ``a`` against ``b`` at least
    ``ratio`` and, with ``slack``, their lengths within that many letters. The one test the
    fuzzy matches of cues, leads and tails share, so they are judged alike (difflib's ratio
    can differ with the order in rare ties; each caller keeps the order it was measured
    with)."""
    if slack is not None and abs(len(a) - len(b)) > slack:
        return False
    return SequenceMatcher(None, a, b).ratio() >= ratio


def _heard_as(cue: str, before: str, word: str) -> bool:
    """``word`` (with ``before``, the word before it) is the short ``cue`` as the
    recogniser mishears it (:data:`HEARD_AS`)."""
    table = HEARD_AS.get(cue.split("'")[-1])
    if table is None:
        return False
    word, before = _fold(word).strip("'"), _fold(before)
    return (
        bool(table["whole"].fullmatch(word))
        or (before in table["articles"] and bool(table["split"].fullmatch(word)))
        or (before in table.get("short_articles", ()) and bool(table["short"].fullmatch(word)))
    )


def _head_lost(phrase: tuple[str, ...], got: tuple[str, ...], ratio: float = 0.8) -> bool:
    """A phrase of two words or more heard word for word but for its last word, a long one
    (7+ letters) whose first letters ran into the word before ("carta di mentita" for
    "carta di identità"): written without accents, the rest of it is ``ratio`` alike."""
    off = _last_word_off(phrase, got) or _loose_head(phrase, got)
    if off is None or len(off[0]) < 7:
        return False
    cue, word = _fold(off[0]), _fold(off[1])
    return alike(cue, word, ratio, slack=2)


def _loose_head(phrase: tuple[str, ...], got: tuple[str, ...]) -> tuple[str, str] | None:
    """``(the phrase's last word, the word heard for it)`` when ``got`` is a phrase of three
    words or more whose middle words were heard exactly and whose first word kept its first
    letter and its length give or take one ("capa di ventità" for "carta di identità",
    it-s32-029): with the long last word heard too, the first needs no more."""
    if len(phrase) < 3 or len(got) != len(phrase) or got[1:-1] != phrase[1:-1]:
        return None
    first, heard = phrase[0], got[0]
    if not heard or heard[0] != first[0] or abs(len(heard) - len(first)) > 1:
        return None
    return phrase[-1], got[-1]


def _last_word_off(phrase: tuple[str, ...], got: tuple[str, ...]) -> tuple[str, str] | None:
    """``(the phrase's last word, the word heard for it)`` when ``got`` is a phrase of two
    words or more heard word for word but for its last word; else None."""
    *head, last = phrase
    if len(phrase) < 2 or len(got) != len(phrase):
        return None
    if not all(map(_slipped, head, got[:-1])):
        return None
    return last, got[-1]


def _slipped(word: str, heard: str) -> bool:
    """``heard`` is ``word``, or a word of five letters or more heard with one sound
    slipped: its length and first letter kept, 0.8 alike ("catta di ventità" for "carta
    d'identità" left an identity card's answer unheard, it-s28-013)."""
    if heard == word:
        return True
    return (
        len(word) >= 5
        and len(heard) == len(word)
        and heard[0] == word[0]
        and alike(_fold(word), _fold(heard), 0.8)
    )


# On a narrowband line (8 kHz) an "s" and an "f" sound alike: both hiss above the band the
# line carries, and base writes one for the other ("mi ferme" for "mi serve", "di famute"
# for "di salute", it-s12-003)
_HISS = str.maketrans("f", "s")


def _hiss_heard(phrase: tuple[str, ...], got: tuple[str, ...], ratio: float = 0.8) -> bool:
    """A phrase of two words or more heard word for word but for its last word, one of six
    letters or more heard with an "f" for an "s" and otherwise ``ratio`` alike, its first
    letter kept ("di famute" for "di salute")."""
    off = _last_word_off(phrase, got)
    if off is None:
        return False
    cue, heard = _fold(off[0]).translate(_HISS), _fold(off[1])
    word = heard.translate(_HISS)
    if len(cue) < 6 or word == heard or word[0] != cue[0]:
        return False
    return alike(cue, word, ratio, slack=1)


# how alike a two-word cue and the two words heard for it must be, written together, and
# the fewest letters the cue has so written
PAIR_RATIO = 0.75
PAIR_LETTERS = 12


def _pair_heard(phrase: tuple[str, ...], got: tuple[str, ...]) -> bool:
    """A long two-word cue heard as two words each misheard, the first's first letter kept
    and together ``PAIR_RATIO`` alike the cue's, give or take two letters ("il comiche sicale"
    for "il codice fiscale": neither word alone is close enough, it-s40-001)."""
    if len(phrase) != 2 or len(got) != 2 or any(len(w) < 3 for w in got):
        return False
    if any(_fold(w) == _fold(c) for w, c in zip(got, phrase, strict=True)):
        return False  # one word heard right: the other is judged alone (_head_lost)
    cue, heard = _fold("".join(phrase)), _fold("".join(got))
    return (
        len(cue) >= PAIR_LETTERS and heard[0] == cue[0] and alike(cue, heard, PAIR_RATIO, slack=2)
    )


def _spoken_phrases(timeline, phrases, fuzzy: bool = False) -> list[int]:
    """:func:`_phrases` over a time line of several channels' tokens (indices into it): a
    phrase is said on one channel, and a word of the other channel stamped inside it
    ("payment", a stray "3" of the customer's channel, "has gone through") does not break
    it."""
    hits = []
    for ch in sorted({t.channel for t in timeline}):
        at = [i for i, t in enumerate(timeline) if t.channel == ch]
        hits += [at[k] for k in _phrases([timeline[i].text for i in at], phrases, fuzzy)]
    return sorted(hits)


def _cue_length(words: list[str], i: int, phrases) -> int:
    """Words in the longest of ``phrases`` that starts at ``words[i]``, heard exactly or
    but for the first letters of its last word (:func:`_head_lost`); 1 if none does, as
    with another fuzzily matched cue."""
    split = [tuple(p.split()) for p in phrases]
    lengths = [
        len(p) for p in split if (got := tuple(words[i : i + len(p)])) == p or _head_lost(p, got)
    ]
    return max(lengths, default=1)


# a letter heard glued to the spelling link after it ("ricome" for "elle come", "picome"
# for "bi come") is no cue however close it sounds: "ricome" sounded like "ricoveri", a
# health request, and closed a fiscal code's answer window halfway (it-s6-035)
_GLUED_LINKS = (spelling_link("it"),)


# how alike the tail of a long word must be to a cue for the word to be the cue with a
# word glued before it
GLUED_TAIL = 0.75


# "ch" before a, o or u is a hard c, as "c" is there: ASR writes it for the sound ("la
# schamenta" for "la scadenza", it-s29-021: the expiry's answer leaked)
_HARD_CH = re.compile(r"ch(?=[aou])")


# cue words matched only word for word: a verb whose cue form carries a prefix ASR splits
# off ("a che numero la possiamo ricontattare?" heard "... possiamo vi contattare", the
# phone number after it leaked, it-s60-024) is a cue in its bare form too, but the bare
# form is close to ordinary words ("contratto", "contatto") that no request is
EXACT_WORDS = frozenset({"contattare", "contattarla", "contattarvi", "chiamarla"})


def _sounds_like(cue: str, word: str, ratio: float = 0.7) -> bool:
    if cue == word:
        return True
    if cue in EXACT_WORDS:
        return False
    word = _HARD_CH.sub("c", word)
    if any(word.endswith(link) and len(word) > len(link) for link in _GLUED_LINKS):
        return False
    if len(cue) >= 8 and cue[0] == "s" and cue[1] not in "aeiouèé" and word[:2] == cue[1:3]:
        # the "s" of a cue's opening cluster lost ("cavenza" for "scadenza", it-s5-025): the
        # rest of the cue, its first two letters and its length kept, closely
        rest = cue[1:]
        return alike(rest, word, 0.8, slack=1)
    if len(word) > len(cue) and cue[:3] != word[:3]:
        # an article glued on and misheard ("rascamenza" for "la scadenza"): up to two
        # letters before the cue's first three
        glued = next((word[n:] for n in (1, 2) if word[n : n + 3] == cue[:3]), None)
        if glued is None and len(cue) >= 7 and len(word) >= len(cue) + 3:
            # a whole word glued on, the cue's first letter misheard with it
            # ("domicetiscale" for "codice fiscale"): the word ends with the rest of the cue;
            # or with the cue misheard ("matadiscavenza" for "data di scadenza", it-s7-010)
            return word.endswith(cue[1:]) or any(
                # the tail a little closer than a word alone: "chimalamente" ends in
                # "malamente" (badly), 0.70 alike "malattie", which cut an expiry's answer
                # window short (it-s25-002)
                _sounds_like(cue, word[-n:], GLUED_TAIL)
                for n in (len(cue) - 1, len(cue), len(cue) + 1)
            )
        word = glued or word
    # elided forms ("dell'iban") are their short word plus an article: "della" is no cue;
    # and a word under six letters is a word of its own, not a long cue misheard ("farmi",
    # "to do me", is no "farmaci": the card request "mi vuole farmi un numero per la
    # carta" opened a health answer window over the card number's opening)
    if len(cue) < 7 or "'" in cue or cue[:3] != word[:3] or abs(len(cue) - len(word)) > 2:
        return False
    if len(word) < 6:
        return False
    return alike(cue, word, ratio)
