"""Payment-card recognizers for transcripts: card numbers, expiry dates, security codes.

Each recognizer is data (patterns and context words) plus one validation hook. They run on
the normalised text of :mod:`redactor.tokens`, where every number is already digits.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["SpokenCardRecognizer", "ExpiryRecognizer", "SecurityCodeRecognizer", "luhn_ok"]

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
            context=context or CARD_CONTEXT,
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        if len(digits) < 12:
            return False
        # a run can hold more than the card (expiry and code read straight after it)
        for n in range(13, 20):
            if any(luhn_ok(digits[i : i + n]) for i in range(0, len(digits) - n + 1)):
                return True
        return None


class ExpiryRecognizer(PatternRecognizer):
    """Expiry dates: 04/27, 0427, 04 27, 4 2027, April 27, April 2027 - with context."""

    PATTERNS = [
        Pattern("mm yy", r"(?<![\w])(?:0?[1-9]|1[0-2])(?: |/)?(?:20)?\d\d(?![\w])", 0.2),
        Pattern("month year", rf"(?<![\w])(?:{MONTHS})(?: of)? (?:20)?\d\d(?![\w])", 0.3),
        Pattern("m yyyy", r"(?<![\w])(?:0?[1-9]|1[0-2]) 20\d\d(?![\w])", 0.3),
    ]

    def __init__(self, supported_language: str = "en", context: list[str] | None = None):
        super().__init__(
            supported_entity="CARD_EXPIRY",
            name="ExpiryRecognizer",
            patterns=self.PATTERNS,
            context=context or EXPIRY_CONTEXT,
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
            context=context or CVV_CONTEXT,
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        return None if 3 <= len(digits) <= 4 else False
