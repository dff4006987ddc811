"""Payment-card recognizers for transcripts: card numbers, expiry dates, security codes.

Each recognizer is data (patterns and context words) plus one validation hook. They run on
the normalised text of :mod:`redactor.tokens`, where every number is already digits.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = [
    "SpokenCardRecognizer",
    "ExpiryRecognizer",
    "SecurityCodeRecognizer",
    "luhn_ok",
    "context_for",
    "CONTEXT",
]

CARD_CONTEXT = [
    "card", "credit", "debit", "visa", "mastercard", "amex", "american", "express",
    "discover", "number", "long", "payment", "pay", "front",
]  # fmt: skip
EXPIRY_CONTEXT = ["expiry", "expiration", "expires", "expire", "valid", "until", "thru", "date"]
CVV_CONTEXT = [
    "security", "code", "cvv", "cvc", "csc", "cv2", "digits", "back", "three", "last",
]  # fmt: skip
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

# Context per language. Presidio matches context words against single (lower-cased) words,
# so every entry is one word.
CONTEXT = {
    "en": {"card": CARD_CONTEXT, "expiry": EXPIRY_CONTEXT, "cvv": CVV_CONTEXT},
    "it": {
        "card": ["carta", "credito", "debito", "bancomat", "prepagata", "visa", "mastercard",
                 "amex", "american", "express", "numero", "lungo", "pagamento", "pagare",
                 "fronte", "cifre"],
        "expiry": ["scadenza", "scade", "scadere", "scaduta", "valida", "validità", "fino",
                   "data", "mese", "anno"],
        "cvv": ["sicurezza", "codice", "cvv", "cvc", "cv2", "cifre", "retro", "dietro",
                "tre", "ultime", "controllo"],
    },
}  # fmt: skip
MONTH_NAMES = {
    "en": MONTHS,
    "it": (
        "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
        "|novembre|dicembre|genn|febb|gen|feb|mar|apr|mag|giu|lug|ago|set|sett|ott|nov|dic"
    ),
}


def context_for(language: str, kind: str) -> list[str]:
    """Context words of ``kind`` ("card", "expiry", "cvv") in ``language`` (English for
    languages without their own list)."""
    return CONTEXT.get(language, CONTEXT["en"])[kind]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class SpokenCardRecognizer(PatternRecognizer):
    """A run of digits (spoken or written, in any grouping) as long as a card number.

    Luhn-valid runs of 13-19 digits score 1.0. Runs of 12-20 that fail Luhn keep a lower score
    that payment context raises: one misheard, dropped or inserted digit must not let a card
    number through.
    """

    PATTERNS = [
        Pattern("digit run", r"(?<![\w])\d+(?: \d+)+(?![\w])|(?<![\w])\d{12,}(?![\w])", 0.3)
    ]

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="SpokenCardRecognizer",
            patterns=self.PATTERNS,
            context=context or context_for(supported_language, "card"),
            supported_language=supported_language,
        )

    # Languages in which a run too short for a card reaches over the next words (at most
    # this many, within the sentence): the digits ASR heard as words right after the
    # ones it heard as digits ("5 1 2 1 ... 8 3 è il nome." for "... 8 3 6 9").
    TAIL_WORDS = {"it": 3}

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        reach = self.TAIL_WORDS.get(self.supported_language, 0)
        for r in results if reach else ():
            digits = re.sub(r"\D", "", text[r.start : r.end])
            if 12 <= len(digits) < 16 and not (len(digits) == 15 and luhn_ok(digits)):
                r.end = _tail_end(text, r.end, min(reach, 16 - len(digits) + 1))
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        if len(digits) < 12:
            return False
        # a run can hold more than the card (expiry and code read straight after it)
        for n in range(13, 20):
            if any(luhn_ok(digits[i : i + n]) for i in range(0, len(digits) - n + 1)):
                return True
        return None


def _tail_end(text: str, end: int, words: int) -> int:
    """The end of up to ``words`` words after offset ``end`` in ``text``, stopping after a
    word that ends its sentence (and at once if the sentence ends at ``end``)."""
    for _ in range(words):
        m = re.match(r" ([^ .]+)", text[end:])
        if not m:
            break
        end += m.end()
        if text[end : end + 1] == ".":
            break
    return end


class ExpiryRecognizer(PatternRecognizer):
    """Expiry dates: 04/27, 0427, 04 27, 4 2027, April 27, April 2027 - with context."""

    PATTERNS = [
        Pattern("mm yy", r"(?<![\w])(?:0?[1-9]|1[0-2])(?: |/)?(?:20)?\d\d(?![\w])", 0.2),
        Pattern("month year", rf"(?<![\w])(?:{MONTHS})(?: of)? (?:20)?\d\d(?![\w])", 0.3),
        Pattern("m yyyy", r"(?<![\w])(?:0?[1-9]|1[0-2]) 20\d\d(?![\w])", 0.3),
    ]
    # the same shapes with the language's month names and links ("marzo del 2027")
    LINKS = {"en": "of", "it": "del|dell|di"}
    SLASH = {"it": "barra|slash|su"}

    @classmethod
    def patterns_for(cls, language: str) -> list[Pattern]:
        if language not in MONTH_NAMES or language == "en":
            return cls.PATTERNS
        months, links = MONTH_NAMES[language], cls.LINKS.get(language, "of")
        return [
            cls.PATTERNS[0],
            # "zero quattro barra ventisette": the slash said as a word
            Pattern(
                "mm slash yy",
                rf"(?<![\w])(?:0?[1-9]|1[0-2]) (?:{cls.SLASH.get(language, '/')}) (?:20)?\d\d"
                r"(?![\w])",
                0.3,
            ),
            Pattern(
                "month year",
                rf"(?<![\w])(?:{months})(?: (?:{links}))? (?:20)?\d\d(?![\w])",
                0.3,
            ),
            cls.PATTERNS[2],
        ]

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="CARD_EXPIRY",
            name="ExpiryRecognizer",
            patterns=self.patterns_for(supported_language),
            context=context or context_for(supported_language, "expiry"),
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        if not digits or len(digits) > 6:
            return False
        return None


class SecurityCodeRecognizer(PatternRecognizer):
    """Three or four digits said right after a security-code question."""

    PATTERNS = [Pattern("3-4 digits", r"(?<![\w])(?:\d ?){2,3}\d(?![\w])", 0.1)]

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="CARD_SECURITY_CODE",
            name="SecurityCodeRecognizer",
            patterns=self.PATTERNS,
            context=context or context_for(supported_language, "cvv"),
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        return None if 3 <= len(digits) <= 4 else False
