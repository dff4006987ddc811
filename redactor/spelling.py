"""Spelled-out codes as one token: "erre esse esse", "A come Ancona", "R S S 80 A".

Callers read tax codes, IBANs and document numbers letter by letter, with letter names
("acca", "doppia vu"), a spelling alphabet ("R come Roma", "alpha bravo") or bare letters,
and speech recognition writes them as a string of one-letter words, letter names, city
names and digit groups - or glues parts together ("ssm80001H5101"). Recognizers for such
codes need the code as one string. :func:`join_spelled` turns every run of spelling units
into one token whose text is the letters and digits in order (lower case), keeping the word
indices and times of the words it came from, as :func:`redactor.tokens.normalize` does for
digit runs. Ordinary speech is left alone: a run must hold two letters that are unlikely
as ordinary words ("esse", "K", "come Roma"; not "a", "e", "di"), or one and three digits,
or four when it holds no digit; two letters (or six digits); and five characters. A run
never starts with more than seven digits, so a card number read before a stray letter
stays a number.

What ASR does to spelling, and what is undone here: it writes letter groups in capitals
("RSSS, MRA") or without vowels ("lssmm"), splits a name after its vowel ("è se" for
"esse"), mishears the alphabet's place names ("San Mora" for "Savona": after "<letter>
come" a capitalised word counts), and writes "è" (the verb) before the code, which is never
the letter E.
"""

from __future__ import annotations

import re

from redactor.alphabet import (
    _LINKS,
    LETTER_NAMES,
    SPELLING_ALPHABET,
    _alphabet_word,
    _fold,
)
from redactor.tokens import Token

__all__ = [
    "join_spelled",
    "normalize_spelling",
    "letter_of",
    "LETTER_NAMES",
    "SPELLING_ALPHABET",
    "PIPELINE_LANGUAGES",
]

# Single letters that are also everyday words: they join a run but do not start one.
_WEAK = {
    "it": {"a", "e", "i", "o", "di", "ci", "ti", "vi"},
    "en": {"a", "i", "o", "en", "em", "el", "ex", "ess", "dee", "gee", "kay", "jay", "cue",
           "vee", "queue"},
}  # fmt: skip
MIN_CHARS = 5
MIN_STRONG = 2
MAX_LEADING_DIGITS = 7  # no code we join starts with more digits (CIE 2.0: 7)
MIN_STRONG_LETTERS_ONLY = 4  # a run without digits ("a Roma e a Milano") needs more


def letter_of(
    words: list[str], i: int, language: str, capitals: list[bool] | None = None
) -> tuple[str, int, bool] | None:
    """The letter spelled by ``words[i:]``: (letter, words used, strong) or None.

    Strong means unlikely as an ordinary word ("esse", "Roma" after "come", "sierra").
    ``capitals`` says which words ASR wrote with a capital: after "<letter> come", a
    capitalised word is the alphabet's place name even when misheard ("San Mora")."""
    base = _base_letter(words, i, language)
    k = i + (base[1] if base else 0)
    if base is None and len(words[i]) <= 2 and i + 1 < len(words) and words[i + 1] != words[i]:
        k = i + 1  # a short word misheard for the letter ("è come Ancona" for "A come ...")
    # "A come Ancona", "erre come Roma", "come Roma" (the letter itself lost): the
    # alphabet word decides; letter, link and word are one unit
    names = LETTER_NAMES.get(language, {})
    for link in _LINKS.get(language, ()):
        parts = link.split()
        if words[k : k + len(parts)] == parts and k + len(parts) < len(words):
            word = _alphabet_word(words[k + len(parts)], language)
            after = words[k + len(parts)]
            if (
                word
                and base
                and (word[0] != base[0] or after in names)
                and (not base[2] or link in names)
            ):
                # "a di zeta", "bi di zeta", "zeta di zeta": letters, the link itself a
                # letter ("di"), not "Z di Zara" (no letter is spelled by its own name). (A misheard name before "come" and its city is the city's
                # letter: "è me come Roma" is R.)
                break
            if word and base is None and link in names and words[k + len(parts)] in names:
                # "è di zeta": the verb, then D and Z by their names, not a letter misheard
                # as "è" spelled "di Zeta" (the code's first letter was lost)
                break
            if word:
                return word[0], k - i + len(parts) + 1, True
            at = k + len(parts)
            if base and capitals and capitals[at] and words[at][:1].isalpha():
                # a misheard place name, maybe split in two ("San Mora" for "Savona")
                used = 2 if at + 1 < len(words) and capitals[at + 1] else 1
                return words[at][0], at - i + used, True
    if base:
        return base
    if words[i] in SPELLING_ALPHABET.get(language, ()):
        return words[i][0], 1, True
    return None


def _base_letter(words: list[str], i: int, language: str) -> tuple[str, int, bool] | None:
    """A letter said as itself or by its name (one or two words)."""
    names = LETTER_NAMES.get(language, {})
    weak = _WEAK.get(language, ())
    w = words[i]
    if i + 1 < len(words):
        two = _fold(f"{w} {words[i + 1]}")
        # "vu doppia vu" is V then W ("doppia vu"), not W then V: when the next two words
        # are a name too and this word is a letter on its own, it is that letter
        overlap = i + 2 < len(words) and _fold(f"{words[i + 1]} {words[i + 2]}") in names
        if two in names and not (overlap and w in names):
            return names[two], 2, True
    if w in names:
        return names[w], 1, w not in weak
    if len(w) == 1 and w.isalpha() and w.isascii():
        return w, 1, w not in weak
    return None


def _digits_and_e(tok: Token, language: str) -> str:
    """The token's digits, with the letter E put back where the number normaliser read "e"
    as "and" between two numbers ("uno e uno" in a code is 1E1: May in a codice fiscale)."""
    from redactor.tokens import _clean, _words_to_digits

    words = [_clean(w) for w in tok.raw.split()]
    if "e" not in words[1:-1]:
        return tok.digits
    parts, cur = [], []
    for w in words:
        if w == "e" and cur:
            parts.append(cur)
            cur = []
        elif w:
            cur.append(w)
    parts.append(cur)
    out = [_words_to_digits(p, language) if not p[0].isdigit() else "".join(p) for p in parts]
    return "e".join(out) if all(out) else tok.digits


def _letters_word(tok: Token) -> str:
    """A word of 2-7 letters without a vowel ("lssmm") or written in capitals ("MRA"):
    letters ASR ran together."""
    w = _fold(tok.text)
    raw = re.sub(r"[^A-Za-z]", "", tok.raw)
    if not (2 <= len(w) <= 7 and w.isascii() and w.isalpha()):
        return ""
    if not re.search(r"[aeiouy]", w) or (raw.isupper() and len(raw) == len(w)):
        return w
    return ""


def _glued(tok: Token) -> str:
    """Letters and digits of a word ASR glued together ("ssm80001H5101"), or ""."""
    s = re.sub(r"[^a-z0-9]", "", _fold(tok.raw))
    if len(tok.raw.split()) == 1 and re.search(r"[a-z]", s) and re.search(r"\d", s):
        return s
    return ""


# Pieces of a word ASR glued from letter names and digit words ("titretri" for "ti tre tre",
# "silonzero" for "(ip)silon zero"), per language: the letter names of one word, names ASR
# clips ("silon"), and digit words with their clipped or vowel-shifted forms.
COMPOUND_PIECES = {
    "it": {
        **{name: letter for name, letter in LETTER_NAMES["it"].items()
           if " " not in name and len(name) >= 2},
        "silon": "y", "psilon": "y",
        "zero": "0", "uno": "1", "due": "2", "tre": "3", "tri": "3", "quattro": "4",
        "quatro": "4", "cinque": "5", "sei": "6", "sette": "7", "sete": "7", "otto": "8",
        "oto": "8", "nove": "9",
    },
}  # fmt: skip


def _compound(tok: Token, language: str) -> str:
    """Letters and digits of one word that is nothing but letter names and digit words run
    together ("titretri" -> "t33"): both kinds, three pieces (two in a word of eight
    letters or more); else ""."""
    pieces = COMPOUND_PIECES.get(language)
    w = _fold(tok.text)
    if not pieces or tok.is_number or len(w) < 6 or not (w.isascii() and w.isalpha()):
        return ""

    def split(k: int) -> list[str] | None:
        if k == len(w):
            return []
        for n in range(min(len(w) - k, 8), 1, -1):
            if w[k : k + n] in pieces and (rest := split(k + n)) is not None:
                return [pieces[w[k : k + n]], *rest]
        return None

    got = split(0)
    if not got or len(got) < (2 if len(w) >= 8 else 3):  # two long pieces: "silonzero"
        return ""
    code = "".join(got)
    return code if any(c.isdigit() for c in code) and any(c.isalpha() for c in code) else ""


def join_spelled(tokens: list[Token], language: str = "en") -> list[Token]:
    """Tokens with every spelled run (letters, letter names, spelling-alphabet words, digit
    groups) joined into one token of lower-case letters and digits."""
    if language not in LETTER_NAMES:
        return tokens
    # "è" is the verb (whisper writes it after "il codice è"), never the letter E
    words = [_fold(t.text) if t.text != "è" else t.text for t in tokens]
    capitals = [t.raw[:1].isupper() for t in tokens]
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        lead = i
        while lead < len(tokens) and tokens[lead].is_number and not _glued(tokens[lead]):
            lead += 1
        if sum(len(t.digits) for t in tokens[i:lead]) > MAX_LEADING_DIGITS:
            out.extend(tokens[i:lead])  # a card number read before a letter stays a number
            i = lead
            continue
        j, chars, strong = i, [], 0
        while j < len(tokens):
            if tokens[j].is_number and not _glued(tokens[j]):
                chars.append(_digits_and_e(tokens[j], language))
                j += 1
            elif glued := (
                _glued(tokens[j]) or _letters_word(tokens[j]) or _compound(tokens[j], language)
            ):
                chars.append(glued)
                strong += sum(ch.isalpha() for ch in glued)
                j += 1
            elif hit := letter_of(words, j, language, capitals):
                letter, used, is_strong = hit
                chars.append(letter)
                strong += is_strong
                j += used
            else:
                break
            if tokens[j - 1].sentence_end and not _spelling_goes_on(
                tokens, words, j, strong, language, capitals
            ):
                break
        code = "".join(chars)
        letters = sum(ch.isalpha() for ch in code)
        digits = len(code) - letters
        if (
            (strong >= MIN_STRONG or (strong and digits >= 3))
            and (letters >= 2 or digits >= 6)
            and len(code) >= MIN_CHARS
            and (digits or strong >= MIN_STRONG_LETTERS_ONLY)
        ):
            out.append(_join(tokens[i:j], code))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def _spelling_goes_on(
    tokens: list[Token], words: list[str], j: int, strong: int, language: str, capitals
) -> bool:
    """Whether a spelled run goes on past the full stop before token ``j``: ASR writes
    "R come Roma. M come Milano." and a full stop between two letters ends no code. It goes
    on when the next word is a strong spelling unit (a letter name, "<letter> come <place>",
    a glued letter group), or a number once the run has spelled ``MIN_STRONG`` strong
    letters: then the caller is dictating a code and its digits are part of it."""
    if j >= len(tokens):
        return False
    if tokens[j].is_number and not _glued(tokens[j]):
        return strong >= MIN_STRONG
    if _glued(tokens[j]) or _letters_word(tokens[j]) or _compound(tokens[j], language):
        return True
    hit = letter_of(words, j, language, capitals)
    return bool(hit and hit[2])


# Languages whose pipeline joins spelled runs. English has tables here too but keeps its
# measured behaviour (single letters stay tokens) until it is evaluated with joining.
PIPELINE_LANGUAGES = frozenset({"it"})


def normalize_spelling(tokens: list[Token], language: str) -> list[Token]:
    """The pipeline's step: :func:`join_spelled` for the languages in PIPELINE_LANGUAGES."""
    return join_spelled(tokens, language) if language in PIPELINE_LANGUAGES else tokens


def _join(run: list[Token], code: str) -> Token:
    return Token(
        text=code,
        raw=" ".join(t.raw for t in run),
        start=run[0].start,
        end=run[-1].end,
        probability=min(t.probability for t in run),
        channel=run[0].channel,
        first_word=run[0].first_word,
        last_word=run[-1].last_word,
        digits="".join(ch for ch in code if ch.isdigit()),
        sentence_end=run[-1].sentence_end,
    )
