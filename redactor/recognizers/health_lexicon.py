"""The health lexicon and how loosely a heard word may match it.

Split from :mod:`redactor.recognizers.health`: loading the term list (a curated file per
language plus, for English, ICD-10-CM category titles) and the closeness tests that let a
misheard word still match ("metforming", "mepressione"). The recognizer decides what a match
means; this module only says whether words match.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["load_lexicon", "norm_words", "close", "close_strict", "alike", "clipped",
           "CLOSE", "STRICT_PREFIX", "FirstWordIndex", "WORD"]  # fmt: skip

DATA = Path(__file__).with_name("data")

_STOP = {
    "other", "unspecified", "and", "or", "of", "the", "in", "with", "without", "due", "to",
    "by", "for", "not", "elsewhere", "classified", "disorders", "disorder", "diseases",
    "certain", "specified", "a", "an", "on", "as", "at", "from", "type",
}  # fmt: skip


@functools.lru_cache(maxsize=4)
def load_lexicon(language: str = "en") -> tuple[tuple[str, ...], ...]:
    """Health terms as token tuples, longest first."""
    terms: set[tuple[str, ...]] = set()
    path = DATA / f"health_{language}.txt"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lower()
            if line and not line.startswith("#"):
                terms.add(tuple(norm_words(line, language)))
    if language == "en":
        terms |= _icd10_terms()
    return tuple(sorted((t for t in terms if t), key=lambda t: (-len(t), t)))


# Italian elides articles and prepositions ("l'insulina", "dell'anca"): there the
# apostrophe separates words.
WORD = {"it": r"\w+"}


def norm_words(text: str, language: str = "en") -> list[str]:
    return [m.group(0) for m in re.finditer(WORD.get(language, r"[\w']+"), text.lower())]


def _icd10_terms() -> set[tuple[str, ...]]:
    """ICD-10-CM category titles, trimmed to their distinctive words."""
    try:
        import simple_icd_10_cm as icd
    except ImportError:  # pragma: no cover - it is a declared dependency
        return set()
    terms: set[tuple[str, ...]] = set()
    for code in icd.get_all_codes(False):
        if not icd.is_category(code):
            continue
        desc = re.sub(r"\(.*?\)|\[.*?\]", " ", icd.get_description(code))
        for part in re.split(r",| and | or ", desc):
            words = [w for w in norm_words(part) if w not in _STOP and not w.isdigit()]
            # a lone word ("fever", "conditions") is too generic to mean health data alone
            if len(words) >= 2:
                terms.add(tuple(words))
    return terms


@functools.lru_cache(maxsize=65536)
def close(a: str, b: str) -> bool:
    """Equal, or - for words of 6+ letters with the same first letter - similar enough that
    ASR mishearing is the likely explanation ("sartrelin" for "sertraline", "metforming")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 3:
        return False
    from difflib import SequenceMatcher

    ratio = SequenceMatcher(None, a, b).ratio()
    # a misheard first sound ("demotherapy") needs a long, otherwise close word
    return ratio >= 0.74 if a[0] == b[0] else (min(len(a), len(b)) >= 8 and ratio >= 0.85)


@functools.lru_cache(maxsize=65536)
def close_strict(a: str, b: str) -> bool:
    """Like :func:`close`, for languages whose inflections make everyday words look like
    terms ("fattura"/"frattura", "pressione"/"depressione"): the first two letters must
    agree, and short words must be closer - except that a word of 9+ letters may differ in
    its first letter alone ("mepressione" for "depressione")."""
    if a == b:
        return True
    if len(a) == len(b) >= 9 and a[1:] == b[1:]:
        return True  # one misheard first sound of a long word ("mepressione")
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 3 or a[:2] != b[:2]:
        return False
    from difflib import SequenceMatcher

    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio >= (0.74 if min(len(a), len(b)) >= 10 else 0.8)


def alike(a: str, b: str) -> bool:
    """Looser than :func:`close`: for a misheard word whose neighbours already agree."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.6


def clipped(term: tuple[str, ...], words: list[str], close) -> bool:
    """A two-word term heard with its first word close (not equal) and its second word cut
    short to a word of 5+ letters that starts like it ("scleromi multa" for "sclerosi
    multipla"): ASR lost the middle of a long second word."""
    first, second = term
    word = words[1]
    return (
        words[0] != first
        and close(first, words[0])
        and len(word) >= 5
        and len(word) < len(second)
        and second.startswith(word[:4])
    )


# How loosely a word may match a lexicon word, per language (default: close), and how
# many first letters the strict match needs in common.
CLOSE = {"it": close_strict}
STRICT_PREFIX = 2


class FirstWordIndex(dict):
    """Terms by first word, with fuzzy lookup restricted to same-initial keys."""

    close = staticmethod(close)  # replaced per language by the recognizer
    prefix = 0  # keys a fuzzy match must share this many first letters with (0: any)
    _by_prefix: dict[str, list[str]] | None = None

    _by_length: dict[int, list[str]] | None = None

    def get_fuzzy(self, word: str):
        # both closeness tests need 6+ letters and lengths within 3: look only there
        if len(word) < 6:
            return []
        if self.prefix:
            if self._by_prefix is None:
                self._by_prefix = {}
                for k in self:
                    self._by_prefix.setdefault(k[: self.prefix], []).append(k)
                    if len(k) >= 9:
                        self._by_prefix.setdefault("?" + k[1 : self.prefix + 1], []).append(k)
            keys = list(self._by_prefix.get(word[: self.prefix], ()))
            if len(word) >= 9:  # a long word with its first sound misheard ("mepressione")
                keys += [k for k in self._by_prefix.get("?" + word[1 : self.prefix + 1], ())]
            return [(k, self[k]) for k in keys if k != word and self.close(k, word)]
        if self._by_length is None:
            self._by_length = {}
            for k in self:
                self._by_length.setdefault(len(k), []).append(k)
        n = len(word)
        keys = [k for m in range(n - 3, n + 4) for k in self._by_length.get(m, ())]
        return [(k, self[k]) for k in keys if k != word and self.close(k, word)]
