"""The spelling alphabet as callers say it and as ASR hears it: letter names, the places
of "R come Roma" and "alpha bravo", the link between them, and the ways ASR bends each
(a place misheard or glued to its link, a letter glued to the link). Shared by
:mod:`redactor.spelling`, which joins spelled runs into one token, and the rules that find
a code dictated where no run could be joined (:mod:`redactor.dictation`)."""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata

__all__ = [
    "DICTATED_HOMOPHONE",
    "LETTER_NAMES",
    "SPELLING_ALPHABET",
    "dictated_place",
    "glued_link",
    "is_link",
    "spelling_link",
]

# Letter names as said (and as ASR writes them). Multi-word names are space separated.
LETTER_NAMES = {
    "it": {
        "bi": "b", "ci": "c", "di": "d", "effe": "f", "efe": "f", "gi": "g", "acca": "h",
        "aca": "h", "i lunga": "j", "cappa": "k", "capa": "k", "elle": "l", "ele": "l",
        "emme": "m", "eme": "m", "enne": "n", "ene": "n", "pi": "p", "cu": "q", "qu": "q",
        "erre": "r", "ere": "r", "esse": "s", "ese": "s", "ti": "t", "vu": "v", "vi": "v",
        # ASR splits a name after its first vowel: "è se" (esse), "è me" (emme)
        "e se": "s", "e me": "m", "e re": "r", "e le": "l", "e ne": "n", "e fe": "f",
        "e ffe": "f", "e sse": "s", "e mme": "m", "e rre": "r", "e lle": "l", "e nne": "n",
        "a ca": "h", "a cca": "h",
        "vu doppia": "w", "doppia vu": "w", "doppio vu": "w", "doppia v": "w", "ics": "x",
        "ix": "x", "ipsilon": "y", "ypsilon": "y", "i greca": "y", "zeta": "z", "zed": "z",
    },
    "en": {
        "aitch": "h", "haitch": "h", "zed": "z", "zee": "z", "double u": "w", "double you": "w",
        "ex": "x", "ess": "s", "em": "m", "en": "n", "el": "l", "ef": "f", "jay": "j",
        "kay": "k", "cue": "q", "queue": "q", "vee": "v", "dee": "d", "gee": "g",
    },
}  # fmt: skip


# a digit homophone or a letter's name this long or longer is a character of a code being
# dictated ("nome" for "nove"): the codice fiscale "... F 8 3 9 O" heard "se come
# dimensione tutto è nome o come portanto" closed its window 2.5 s after "come dimensione",
# and its 9 and O leaked (it-s50-021, session 28). Shorter ones are everyday words too
# ("che", "un", "hai", "di", "ti")
DICTATED_HOMOPHONE = 4


# Words that spell a letter by their initial: the Italian telephone alphabet (cities) and
# NATO, which both languages use.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NATO = _words(
    "alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima "
    "mike november oscar papa quebec romeo sierra tango uniform victor whiskey whisky xray "
    "x-ray yankee zulu"
)
SPELLING_ALPHABET = {
    "it": _words(
        "ancona bari bologna brescia como catania domodossola empoli enna firenze foggia "
        "genova hotel imola jolly kappa kursaal livorno milano napoli otranto palermo padova "
        "pisa quarto quadro roma savona sassari torino taranto trieste udine venezia verona "
        "washington xeres xilofono yacht york yogurt zara zeta"
    )
    | _NATO,
    "en": _NATO,
}
# "A come Ancona", "B di Bologna", "A as in alpha", "A for alpha": the lead word between.
_LINKS = {"it": ("come", "di", "per"), "en": ("as in", "for", "like")}


def spelling_link(language: str) -> str:
    """The word that links a letter to its place in the spelling alphabet ("A *come*
    Ancona"), or "" for a language with none: named once, for every rule that reads a
    code spelled this way."""
    return _LINKS.get(language, ("",))[0]


def _fold(text: str) -> str:
    """Lower case without accents: ASR writes "è" for the letter E and "ventitré"."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# how a language writes the sounds of the letters it has only in foreign words: Italian ASR
# writes "Jolly" as it sounds, "giollini" (the J of a carta d'identità, it-s62-009; its
# leak was a goodbye misheard, see call_endings._spelled, but "giollini" named no place
# either), "Kappa" as "cappa", "York" as "iorc"
_SOUNDED = {
    "it": ((r"j(?=[aeiou])", "gi"), (r"k(?=[ei])", "ch"), ("k", "c"), ("y", "i")),
}


# ... a place written as said matches a little closer: "capra" (0.8 like "cappa") is a goat
AS_SAID_RATIO = 0.85


@functools.cache
def _as_said(place: str, language: str) -> str:
    """``place`` written as the language's ASR writes its sound (:data:`_SOUNDED`)."""
    for pattern, sound in _SOUNDED.get(language, ()):
        place = re.sub(pattern, sound, place)
    return place


def _alphabet_word(word: str, language: str) -> str | None:
    """``word`` if it is a spelling-alphabet word, or close to one (ASR writes "Ancola" for
    "Ancona" after "come"): same first two letters, one edit-like slip, the place written
    as spelled or as said (:func:`_as_said`: "giollini" for "Jolly")."""
    alphabet = SPELLING_ALPHABET.get(language, ())
    if word in alphabet:
        return word
    if len(word) < 4:
        return None
    from difflib import SequenceMatcher

    for cand in sorted(alphabet):  # sorted: the same answer in every process
        said = _as_said(cand, language)
        for form, least in ((cand, 0.8), (said, AS_SAID_RATIO)):
            if form[:2] == word[:2] and SequenceMatcher(None, form, word).ratio() >= least:
                return cand
    return None


def dictated_place(word: str, language: str) -> str | None:
    """:func:`_alphabet_word` for a word heard with no link before it: a word close to a
    place of the alphabet but of the language's everyday talk is that word, not the place
    misheard. "lei è la quarta persona in attesa" after an IBAN read "quarta" as Q come
    Quarto, and the IBAN's window ran on over it (it-s61-015, session 43), as "della"
    ("delta") and "ancora" ("Ancona") would. Everyday words are the language's stop words
    (spaCy's list) and month names, and a word that is the place with another last vowel
    (Italian inflection: "quarta", "brava")."""
    found = _alphabet_word(word, language)
    if found is None or found == word:
        return found
    inflected = len(word) == len(found) and word[:-1] == found[:-1] and word[-1] in "aeiou"
    return None if inflected or word in _everyday(language) else found


@functools.cache
def _everyday(language: str) -> frozenset[str]:
    """The language's stop words and month names (loaded on first use: spaCy is heavy)."""
    from redactor.cues import MONTH_NAMES

    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset(MONTH_NAMES.get(language, ()))
    return frozenset(module.STOP_WORDS) | frozenset(MONTH_NAMES.get(language, ()))


def _misheard_place(word: str, language: str) -> str | None:
    """:func:`_alphabet_word`, or a place of six letters or more heard with its first sound
    wrong ("vologna" for "Bologna"): where the link before it was heard too, the rest of
    the word says enough."""
    found = _alphabet_word(word, language)
    if found or len(word) < 6:
        return found
    from difflib import SequenceMatcher

    for cand in SPELLING_ALPHABET.get(language, ()):
        if (
            len(cand) >= 6
            and abs(len(cand) - len(word)) <= 1
            and SequenceMatcher(None, cand[1:], word[1:]).ratio() >= 0.85
        ):
            return cand
    return None


# the tail of the link "come" as ASR hears it split or glued: "dico me torrino" for "ti come
# Torino", "mevologna" for "come Bologna", "necromenapoli" for "enne come Napoli"
_LINK_TAIL = {"it": "me"}


def _glued_place(word: str, language: str) -> str | None:
    """The spelling-alphabet place in ``word`` when ASR glued it to the tail of its link
    (and the letter before that): "mevologna", "necromenapoli"; or None."""
    tail = _LINK_TAIL.get(language)
    if not tail:
        return None
    at = word.find(tail)
    while at >= 0:
        rest = word[at + len(tail) :]
        place = _misheard_place(rest, language) if len(rest) >= 4 else None
        if place:
            return place
        at = word.find(tail, at + 1)
    return None


# words that end in the link "come" and are no letter glued to it
_NOT_GLUED = {"it": frozenset({"siccome", "sìccome", "cosicome"})}


def is_link(text: str, language: str) -> bool:
    """``text`` is the spelling link ("come") or the link with its letter glued on
    (:func:`glued_link`)."""
    return text == spelling_link(language) or glued_link(text, language)


def glued_link(text: str, language: str) -> bool:
    """A spelling link heard with its letter glued on ("ricome" for "erre come", "silomcome"
    for "ipsilon come", it-s25-026): the one-word link after a head of one to five letters."""
    link = spelling_link(language)
    word = text.strip(".,?!").lower()
    head = word[: -len(link)] if word.endswith(link) else ""
    return (
        " " not in link
        and 1 <= len(head) <= 5
        and head.isalpha()
        and word not in _NOT_GLUED.get(language, ())
    )
