"""From recognised words to normalised tokens and one searchable text.

Speech recognition writes numbers in many shapes: ``4,111,111``, ``4 1 1 1``, ``four one one
one``, ``4-1-1-1``, ``double four``. Recognizers should see one shape, so runs of number words
become digits (``text2num``), punctuation is dropped, and every token remembers the words (and
therefore the times) it came from. :func:`build_text` joins the tokens into the text Presidio
analyses, with a map from character offsets back to tokens.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from redactor.digit_pairs import (  # noqa: F401 - _clean re-exported
    _DIGITISH,
    _WEAK_PAIRS,
    _between_numbers,
    _clean,
    _clean_key,
    _homophone_words,
    _is_number_word,
    _pair_among_numbers,
    _pair_before_run,
    _read_on,
)
from redactor.number_words import (  # the per-language number tables
    _CHAINED_HOMOPHONES,
    _GLUED_DIGITS,
    _HOMOPHONE_PAIRS,
    _HOMOPHONES,
    _JOINERS,
    _NUMBER_WORDS,
    _REPEAT,
    _SINGLE,
    _SPLIT_NUMBERS,
    GLUED_BASE,
    GLUED_EXTRA,
    READ_ON_PAIRS,
)
from redactor.repetitions import RETURNED, distrust_repetitions, repeats_at  # noqa: F401
from redactor.transcribe import Word

__all__ = [
    "Token",
    "normalize",
    "build_text",
    "TokenText",
    "homophones",
    "glued_digit_word",
    "lone_digit_words",
    "distrust_repetitions",
    "repeats_at",
    "heard_at_once",
]


@dataclass(frozen=True)
class Token:
    """A normalised unit of the transcript: a word, or a run of number words as digits."""

    text: str  # normalised text (digits for numbers), lower case, no punctuation
    raw: str  # the words as recognised
    start: float
    end: float
    probability: float  # lowest word probability in the token
    channel: int
    first_word: int  # index into the channel-merged word list
    last_word: int
    digits: str = ""  # the digits this token carries ("" for none)
    sentence_end: bool = False  # the last word ended with . ? or !

    @property
    def is_number(self) -> bool:
        return bool(self.digits)


def heard_at_once(tok: Token, words: list[Token]) -> list[Token]:
    """The words of ``words`` on other channels than ``tok``'s, heard while it was: on a
    two-channel call, its echo on the other line (the same word) or the other speaker
    talking over it. Rules that trust two channels agreeing start from these."""
    return [
        o for o in words if o.channel != tok.channel and o.start < tok.end and o.end > tok.start
    ]


def homophones(language: str) -> dict[str, str]:
    """Words ASR writes for a half-heard digit, mapped to the digit."""
    return _HOMOPHONES.get(language, {})


def glued_digit_word(text: str, language: str) -> bool:
    """``text`` is a digit word or its homophone with a syllable glued on ("nomene" for
    "nove"): ASR half heard a digit, so the word accounts for no speech the way an ordinary
    word does. Only in the languages of ``number_words._GLUED_DIGITS``."""
    if language not in _GLUED_DIGITS:
        return False
    bases = _SINGLE.get(language, {}).keys() | homophones(language).keys()
    return any(
        len(base) >= GLUED_BASE
        and text.startswith(base)
        and 0 < len(text) - len(base) <= GLUED_EXTRA
        for base in bases
    )


def lone_digit_words(language: str) -> frozenset[str]:
    """Digit words that stay words unless a number is next to them ("uno", "una": also
    the article), so a lone one may still be a digit."""
    return frozenset(_NEEDS_NEIGHBOUR & _SINGLE.get(language, {}).keys())


def _words_to_digits(words: list[str], language: str) -> str:
    """Digits for a run of number words. Spoken digits stay digits: 'four one' -> '41'."""
    singles = _SINGLE.get(language, _SINGLE["en"])
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _REPEAT and i + 1 < len(words) and words[i + 1] in singles:
            out.append(singles[words[i + 1]] * _REPEAT[w])
            i += 2
            continue
        if w in singles:
            out.append(singles[w])
            i += 1
            continue
        # a compound number ("twenty seven", "four hundred"): let text2num read the rest of
        # the compound, up to the next spoken single digit that cannot continue it
        j = i + 1
        while (
            j < len(words)
            and words[j] not in _REPEAT
            and not (words[j] in singles and words[j - 1] in singles)
        ):
            j += 1
        out.append(_text2num(" ".join(words[i:j]), language))
        i = j
    return "".join(out)


def _text2num(phrase: str, language: str) -> str:
    from text_to_num import alpha2digit

    try:
        converted = alpha2digit(phrase, language)
    except Exception:  # noqa: BLE001 - text2num raises plain errors on odd input
        converted = phrase
    return re.sub(r"\D", "", converted)


def normalize(words: list[Word], language: str = "en") -> list[Token]:
    """Turn recognised words (already sorted by time) into tokens."""
    number_words = _NUMBER_WORDS.get(language, _NUMBER_WORDS["en"])
    near = number_words  # what counts as a number next to a homophone or "uno"
    if language in _CHAINED_HOMOPHONES:
        near = number_words | _HOMOPHONES.get(language, {}).keys()
    singles = _SINGLE.get(language, _SINGLE["en"])
    tokens: list[Token] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        clean = _clean(w.text)
        pieces = [p for p in re.split(r"[-/]", clean) if p] if clean else []
        if (
            pieces
            and all(_is_num(p, number_words, language) for p in pieces)
            and (
                _is_numeric_context(words, i, clean, number_words, singles, language)
                or _after_pair(tokens, i, language)
            )
        ):
            j = i
            run: list[str] = []
            while j < n:
                c = _clean(words[j].text)
                parts = [p for p in re.split(r"[-/]", c) if p]
                if (
                    c in _JOINERS.get(language, ())
                    and run
                    and j + 1 < n
                    and _is_num(_clean(words[j + 1].text), number_words, language)
                ):
                    j += 1  # "cento e venti", "quattro e cinque": one run
                    continue
                if not parts or not all(_is_num(p, number_words, language) for p in parts):
                    break
                if c in ("o", "oh") and run and run[-1] in ("o", "oh"):
                    break
                run.extend(parts)
                j += 1
                if words[j - 1].text.rstrip().endswith((".", "?", "!")):
                    break
            digits = _words_to_digits(run, language)
            if digits:
                tokens.append(_merge(words[i:j], i, j - 1, digits, digits))
                i = j
                continue
        split = _split_number(words, i, number_words, language)
        if split:
            tokens.append(_merge(words[i : i + 2], i, i + 1, split, split))
            i += 2
            continue
        size, pair = _homophone_words(words, i, language)
        if pair and _pair_is_digits(words, i, size, tokens, near, number_words, language):
            tokens.append(_merge(words[i : i + size], i, i + size - 1, pair, pair))
            i += size
            continue
        homophone = _HOMOPHONES.get(language, {}).get(clean)
        # ... or right after a digit several words made ("è il nome" for "sei nove")
        if homophone and (_between_numbers(words, i, near) or _after_pair(tokens, i, language)):
            tokens.append(_merge([w], i, i, homophone, homophone))
            i += 1
            continue
        if clean and (_DIGITISH.match(clean) or sum(ch.isdigit() for ch in clean) >= 2):
            # "4,111", "1111-2222", and digits glued to letters ("us6530776793")
            digits = re.sub(r"\D", "", clean)
            tokens.append(_merge([w], i, i, digits, digits))
            i += 1
            continue
        if clean:
            tokens.append(_merge([w], i, i, clean, ""))
        i += 1
    return tokens


def _pair_is_digits(words, i, size, tokens, near, number_words, language) -> bool:
    """The homophone of ``size`` words from ``i`` (``number_words._HOMOPHONE_PAIRS``) is a
    digit where it stands: among numbers (:func:`_pair_among_numbers`), or right after a
    number it joins, with the narrower tests of the weak and read-on pairs."""
    key = _clean_key(words, i, size)
    if key in READ_ON_PAIRS.get(language, ()):
        return _read_on(words, i, size, number_words)
    # ... or right after another one ("tu e tu e" for "due due")
    chained = bool(tokens) and tokens[-1].is_number and tokens[-1].last_word == i - 1
    # ... "è il", common in any speech ("qual è il numero", heard "qual è il nome"),
    # only beside a number heard as one, not a homophone (it-s22-030)
    weak = key in _WEAK_PAIRS
    beside = number_words if weak else near
    # ... or before a homophone a number heard as one follows: "il numero è il nero
    # undici" for a card read back from "sei zero undici" (it-s34-038, the 6 leaked)
    run = weak and _pair_before_run(words, i, size, near, number_words)
    return chained or run or _pair_among_numbers(words, i, beside, size)


def _after_pair(tokens: list[Token], i: int, language: str) -> bool:
    """Word ``i`` comes right after a digit several words made (``_HOMOPHONE_PAIRS``: "è
    il" for "sei"): a number's neighbour, as a digit word is ("è il nome", "è il uno" for
    "sei nove", "sei uno", it-s23-012). Languages of :data:`_CHAINED_HOMOPHONES` only."""
    if language not in _CHAINED_HOMOPHONES or not tokens:
        return False
    prev = tokens[-1]
    return (
        prev.is_number
        and prev.last_word == i - 1
        and prev.last_word > prev.first_word
        and tuple(_clean(w) for w in prev.raw.split()) in _HOMOPHONE_PAIRS.get(language, {})
    )


def _split_number(words: list[Word], i: int, number_words, language: str) -> str:
    """The digits of a long number word the recogniser wrote as two words, said with no
    pause between them ("un dici" for "undici", 35.10 s and 35.10 s, in an expiry read as
    "undici barra ventotto"), or "". Languages of :data:`_SPLIT_NUMBERS` only; each half
    two letters or more and no number word itself, the whole six letters or more."""
    if language not in _SPLIT_NUMBERS or i + 1 >= len(words):
        return ""
    a, b = _clean(words[i].text), _clean(words[i + 1].text)
    if len(a) < 2 or len(b) < 2 or not (a + b).isalpha() or len(a + b) < 6:
        return ""
    if words[i + 1].start - words[i].end > 0.1 or _is_num(b, number_words, language):
        return ""
    if not _is_num(a + b, number_words, language):
        return ""
    return _words_to_digits([a + b], language)


def _is_num(word: str, number_words, language: str) -> bool:
    """A number word: listed, or (Italian) a compound written as one word ("ventisette",
    "trentatré", "millenovecentottantacinque") that text2num reads as a whole number."""
    if word in number_words:
        return True
    return language == "it" and len(word) >= 5 and word.isalpha() and _it_compound(word)


@functools.lru_cache(maxsize=4096)
def _it_compound(word: str) -> bool:
    return bool(re.fullmatch(r"\d+", _alpha2digit(word)))  # not ordinals ("terzo" -> 3º)


def _alpha2digit(phrase: str) -> str:
    from text_to_num import alpha2digit

    try:
        return alpha2digit(phrase, "it")
    except Exception:  # noqa: BLE001 - text2num raises plain errors on odd input
        return phrase


def _is_numeric_context(words, i, clean, number_words, singles, language="en") -> bool:
    """'oh' and 'o' (and the Italian articles 'uno', 'una') are digits only next to other
    numbers - or, in a language with chained homophones, next to a homophone that itself
    sits among numbers ("nero uno nome quattro"; not "il nome. uno dei due")."""
    if clean not in _NEEDS_NEIGHBOUR:
        return True
    sounds = _HOMOPHONES.get(language, {}) if language in _CHAINED_HOMOPHONES else {}
    for k in (i - 1, i + 1):
        if 0 <= k < len(words):
            c = _clean(words[k].text)
            if c in number_words and c not in ("oh", "o") or (c and _DIGITISH.match(c)):
                return True
            if c in sounds and _between_numbers(words, k, number_words):
                return True
    return False


_NEEDS_NEIGHBOUR = {"oh", "o", "uno", "una"}


def _merge(ws: list[Word], first: int, last: int, text: str, digits: str) -> Token:
    return Token(
        text=text,
        raw=" ".join(w.text for w in ws),
        start=ws[0].start,
        end=ws[-1].end,
        probability=min(w.probability for w in ws),
        channel=ws[0].channel,
        first_word=first,
        last_word=last,
        digits=digits,
        sentence_end=ws[-1].text.rstrip().endswith((".", "?", "!")),
    )


@dataclass(frozen=True)
class TokenText:
    """The analysed text and, per character, the token it belongs to (-1 for separators)."""

    text: str
    owner: list[int]

    def tokens_in(self, start: int, end: int) -> list[int]:
        seen = []
        for k in range(max(0, start), min(end, len(self.owner))):
            t = self.owner[k]
            if t >= 0 and (not seen or seen[-1] != t):
                seen.append(t)
        return seen


def build_text(tokens: list[Token]) -> TokenText:
    """Join tokens with spaces; sentence ends get a full stop so context does not leak across."""
    parts: list[str] = []
    owner: list[int] = []
    for idx, tok in enumerate(tokens):
        if parts:
            parts.append(" ")
            owner.append(-1)
        parts.append(tok.text)
        owner.extend([idx] * len(tok.text))
        nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
        # a digit run read with pauses ("4 5 3 9. 1 4 8 8.") is still one run
        if tok.sentence_end and not (tok.is_number and nxt is not None and nxt.is_number):
            parts.append(".")
            owner.append(-1)
    return TokenText(text="".join(parts), owner=owner)
