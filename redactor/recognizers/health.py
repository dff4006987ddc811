"""Health data: conditions, medications and procedures, from a lexicon plus context.

The lexicon is a curated list (``data/health_<lang>.txt``) plus, for English, the category
titles of ICD-10-CM (from the maintained ``simple-icd-10-cm`` package). Matching tolerates
mis-recognition: a term of three or more words matches with one word wrong ("chronic deleted
fees" does not, but "chronic kidney fees" does), and a long single word matches within a small
edit distance ("metforming"). Context phrases ("diagnosed with", "I'm on", "my doctor")
raise the score of a match and, on their own, flag the clause they start when the words after
them were misheard beyond recognition.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from redactor.health_cues import CLAUSE_OPENERS
from redactor.recognizers import health_lexicon as lex

__all__ = ["HealthRecognizer", "HEALTH_CONTEXT", "TRIGGER_NAME", "FUZZY_SCORE"]

# Results of the "diagnosed with <anything>" rule carry this recognizer name.
TRIGGER_NAME = "HealthTriggerRule"
# The score of a term matched only approximately and with no context phrase before it.
FUZZY_SCORE = 0.5

HEALTH_CONTEXT = {
    "en": [
        "diagnosed with", "diagnosed", "suffer from", "suffering from", "i'm on", "i am on",
        "taking", "prescribed", "my doctor", "the doctor", "gp", "hospital", "treatment for",
        "treated for", "medication", "medicine", "condition", "i have", "i've got",
        "i've been", "surgery", "operation", "therapy", "clinic", "specialist", "consultant",
        "nurse", "symptoms", "chronic", "recovering from",
    ],
    "it": [
        "soffro di", "soffre di", "mi hanno diagnosticato", "diagnosticato", "diagnosticata",
        "diagnosi", "prendo", "sto prendendo", "assumo", "devo prendere", "sono in cura",
        "in cura per", "mi curo", "il mio medico", "medico", "dottore", "dottoressa",
        "ospedale", "ricoverato", "ricoverata", "terapia", "cura", "farmaco", "farmaci",
        "medicina", "medicinale", "pastiglie", "pillole", "compresse", "malattia", "ho il",
        "ho la", "ho l'", "ho un", "ho una", "ho avuto", "operazione", "operato", "operata",
        "intervento", "faccio la", "specialista", "oncologo", "cardiologo", "sintomi",
        "cronico", "cronica", "patologia", "soffro", "affetto da", "affetta da",
    ],
}  # fmt: skip


# a strong trigger's long last word ("diagnosticato") heard by this many of its last
# letters, the words before it word for word: "mi hanno mi hanno osticato la cronimultima"
# for "mi hanno diagnosticato la sclerosi multipla" opened no health data, and the
# condition leaked with its question misheard too (it-s50-008, session 29). Seven, not
# six: "mi hanno praticato uno sconto" is no trigger
STRONG_TAIL = 7
# the most letters a term's word heard in pieces may have gained (see HealthRecognizer)
SPLIT_EXTRA = 2


def _strong_heard(phrase: tuple[str, ...], got: tuple[str, ...]) -> bool:
    """``got`` is the strong trigger ``phrase``, or it with its long last word (ten
    letters or more) heard by its last :data:`STRONG_TAIL` letters."""
    if got == phrase:
        return True
    last, heard = phrase[-1], got[-1]
    return (
        got[:-1] == phrase[:-1]
        and len(last) >= 10
        and len(heard) >= STRONG_TAIL
        and last.endswith(heard[-STRONG_TAIL:])
    )


class HealthRecognizer(EntityRecognizer):
    """Lexicon + context recognizer for HEALTH, on normalised transcript text."""

    def __init__(self, supported_language: str = "en"):
        self.language = supported_language
        self.context_phrases = [
            tuple(lex.norm_words(c, supported_language))
            for c in HEALTH_CONTEXT.get(supported_language, [])
        ]
        super().__init__(
            supported_entities=["HEALTH"],
            name="HealthRecognizer",
            supported_language=supported_language,
            context=[],  # context is scored here, not by Presidio's enhancer
        )

    STRONG = {
        "en": [
            "diagnosed with",
            "suffer from",
            "suffering from",
            "prescribed",
            "treatment for",
            "treated for",
            "recovering from",
            "diagnosis of",
            "diagnosis is",
        ],
        "it": [
            "mi hanno diagnosticato",
            "mi è stato diagnosticato",
            "mi è stata diagnosticata",
            "soffro di",
            "soffre di",
            "soffro d",  # "soffro d'ansia": the apostrophe splits the elided "di"
            "soffre d",
            "diagnosi di",
            "in cura per",
            "mi curo per",
            "sono affetto da",
            "sono affetta da",
            "sono malato di",
            "sono malata di",
            "mi hanno operato di",
            "mi hanno operata di",
        ],
    }

    # Words ASR splits a long unfamiliar term into ("che mi otterà" for "chemioterapia"):
    # up to this many adjacent words are also tried joined, per language.
    # Four: "che mi operà pià" for "chemioterapia".
    SPLIT_PIECES = {"it": 4}
    # ... and the fewest letters the pieces hold together: "un in fatto" for "un infarto"
    # (seven letters) leaked after a misheard "altro?" (it-s40-003, session 27)
    SPLIT_LETTERS = {"it": 7}

    def load(self) -> None:
        self.strong = [
            tuple(lex.norm_words(c, self.language)) for c in self.STRONG.get(self.language, [])
        ]
        self.openers = [
            tuple(o.replace("'", " ").split()) for o in CLAUSE_OPENERS.get(self.language, ())
        ]
        self.terms = lex.load_lexicon(self.language)
        self.term_set = frozenset(self.terms)
        self.by_first = lex.FirstWordIndex()
        self.by_first.close = lex.CLOSE.get(self.language, lex.close)
        self.by_first.prefix = lex.STRICT_PREFIX if self.language in lex.CLOSE else 0
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for term in self.terms:
            self.by_first.setdefault(term[0], []).append(term)
            if len(term) >= 3 and len(term[-1]) >= 6:
                self.by_last.setdefault(term[-1], []).append(term)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        self._text = text
        pattern = lex.WORD.get(self.language, r"[\w']+")
        spans = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(pattern, text)]
        words = [s[0] for s in spans]
        results: list[RecognizerResult] = []
        i = 0
        while i < len(words):
            n = self._match_at(words, i)
            if n:
                # a term only heard approximately, with no context, is the weakest evidence:
                # the verification pass hears ordinary speech out of context as one
                # ("methone" for "phone number", "X-tyride" for "expiry date")
                exact = tuple(words[i : i + n]) in self.term_set
                score = 0.85 if self._has_context(words, i) else 0.6 if exact else FUZZY_SCORE
                results.append(
                    RecognizerResult("HEALTH", spans[i][1], spans[i + n - 1][2], score,
                                     recognition_metadata={"recognizer_name": self.name,
                                                           "recognizer_identifier": self.id})
                )  # fmt: skip
                i += n
            else:
                i += 1
        results += self._after_strong_context(words, spans, results)
        return results

    def _after_strong_context(self, words, spans, found) -> list[RecognizerResult]:
        """'diagnosed with <anything>': the words after a strong trigger are health data even
        when recognition garbled them beyond the lexicon (up to the sentence end, 6 words)."""
        out = []
        covered = {(r.start, r.end) for r in found}
        for phrase in self.strong:
            n = len(phrase)
            for i in range(len(words) - n):
                if not _strong_heard(phrase, tuple(words[i : i + n])):
                    continue
                j = i + n
                k = j
                while k < len(words) and k - j < 6:
                    k += 1
                    if self._ends_sentence(spans, k - 1) or self._opens_clause(words, k):
                        break
                if k > j and not any(s <= spans[j][1] < e for s, e in covered):
                    out.append(
                        RecognizerResult("HEALTH", spans[j][1], spans[k - 1][2], 0.5,
                                         recognition_metadata={"recognizer_name": TRIGGER_NAME,
                                                               "recognizer_identifier": self.id})
                    )  # fmt: skip
        return out

    def _opens_clause(self, words: list[str], k: int) -> bool:
        """Word ``k`` opens a new clause (``health_cues.CLAUSE_OPENERS``: "per questo mi
        serve la copertura" after "in cura per la depressione", it-s20-015): why or since
        when, no longer the condition."""
        return any(tuple(words[k : k + len(o)]) == o for o in self.openers)

    def _ends_sentence(self, spans, idx: int) -> bool:
        text = self._text
        end = spans[idx][2]
        return end < len(text) and text[end] in ".?!"

    def _match_at(self, words: list[str], i: int) -> int:
        best = 0
        candidates = list(self.by_first.get(words[i], ()))
        if len(words[i]) >= 6:
            candidates += [t for k, ts in self.by_first.get_fuzzy(words[i]) for t in ts]
        for term in candidates:
            n = len(term)
            if i + n > len(words) or n <= best:
                continue
            close = self.by_first.close
            misses = sum(not close(a, b) for a, b in zip(term, words[i : i + n], strict=True))
            clipped = n == 2 and misses == 1 and lex.clipped(term, words[i : i + n], close)
            if misses == 0 or (n >= 3 and misses == 1 and close(term[0], words[i])) or clipped:
                best = n
        best = max(best, self._match_by_tail(words, i))
        return max(best, self._match_by_last(words, i), self._match_split(words, i))

    def _match_by_tail(self, words: list[str], i: int) -> int:
        """A term whose words are heard exactly but for a long last word heard with its head
        clipped, or split off as a letter ("bypass l ornarico" for "bypass coronarico"): the
        next one or two words, joined, close to that word (no first letters in common
        needed). The number of words, or 0."""
        from difflib import SequenceMatcher

        best = 0
        for term in self.by_first.get(words[i], ()):
            n, last = len(term), term[-1]
            if n < 2 or len(last) < 7 or term[:-1] != tuple(words[i : i + n - 1]):
                continue
            for m in (1, 2):
                if i + n - 1 + m > len(words):
                    break
                heard = "".join(words[i + n - 1 : i + n - 1 + m])
                if abs(len(heard) - len(last)) > 3:
                    continue
                if SequenceMatcher(None, last, heard).ratio() >= 0.8:
                    best = max(best, n - 1 + m)
        return best

    def _match_by_last(self, words: list[str], i: int) -> int:
        """A term of 3+ words ending in a distinctive word, heard with its short head noun
        wrong ("morto di parkinson" for "morbo di parkinson", too short for :func:`~redactor.recognizers.health_lexicon.close`):
        the last word heard as it is, every word between exact, and the first word still
        more alike than not (so "soffro di parkinson" is the term after its context)."""
        best = 0
        for n in range(3, 6):
            if i + n > len(words):
                break
            for term in self.by_last.get(words[i + n - 1], ()):
                if (
                    len(term) == n
                    and term[1:-1] == tuple(words[i + 1 : i + n - 1])
                    and lex.alike(term[0], words[i])
                ):
                    best = n
        return best

    def _match_split(self, words: list[str], i: int) -> int:
        """Number of words (2+) at ``i`` that, joined, are a one-word term (or 0)."""
        for k in range(self.SPLIT_PIECES.get(self.language, 1), 1, -1):
            joined = "".join(words[i : i + k])
            least = self.SPLIT_LETTERS.get(self.language, 8)
            if i + k > len(words) or len(joined) < least or len(words[i + k - 1]) < 3:
                continue
            keys = [joined] if joined in self.by_first else []
            # ... heard with at most SPLIT_EXTRA letters more than the term: a word split
            # in two gains none, and "che umiamo" ("chiudiamo", the agent's next sentence)
            # is not "chemio" (it-s56-017, session 32)
            keys += [key for key, _ in self.by_first.get_fuzzy(joined)
                     if len(joined) - len(key) <= SPLIT_EXTRA]  # fmt: skip
            # a piece that is a term itself ("di diabete") is no split word, unless it is the
            # first piece and the term's own clipped form ("la chemio della pia")
            first = words[i]
            if any(self._single_term(w) for w in words[i + 1 : i + k]) or (
                self._single_term(first)
                and not any(key.startswith(first) and len(key) > len(first) + 2 for key in keys)
            ):
                continue
            if any(len(t) == 1 for key in keys for t in self.by_first[key]):
                return k
        return 0

    def _single_term(self, word: str) -> bool:
        keys = [word] if word in self.by_first else []
        if len(word) >= 6:
            keys += [key for key, _ in self.by_first.get_fuzzy(word)]
        return any(len(t) == 1 for key in keys for t in self.by_first[key])

    def _has_context(self, words: list[str], i: int, window: int = 8) -> bool:
        before = words[max(0, i - window) : i]
        for phrase in self.context_phrases:
            n = len(phrase)
            for k in range(len(before) - n + 1):
                if tuple(before[k : k + n]) == phrase:
                    return True
        return False
