"""Contact and bank details as speech recognition writes them: email, phone, IBAN."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["SpokenEmailRecognizer", "SpokenPhoneRecognizer", "SpokenIbanRecognizer", "iban_ok"]


class SpokenEmailRecognizer(PatternRecognizer):
    """``john.smith@example.com`` and ``john dot smith at example dot com``."""

    PATTERNS = [
        Pattern("written", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 0.9),
        Pattern(
            "spoken",
            r"(?<![\w])[a-z0-9]+(?: (?:dot|underscore|dash|hyphen) [a-z0-9]+)*"
            r" (?:at|@) [a-z0-9]+(?: dot [a-z0-9]+)*(?: dot (?:com|net|org|co|uk|it|de|fr|io|"
            r"edu|gov|eu|info|biz|es|nl|ie))+(?![\w])",
            0.85,
        ),
    ]

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            name="SpokenEmailRecognizer",
            patterns=self.PATTERNS,
            context=["email", "e-mail", "mail", "address"],
            supported_language=supported_language,
        )


class SpokenPhoneRecognizer(PatternRecognizer):
    """10-13 digits in any grouping, with phone context or a national/intl prefix."""

    PATTERNS = [Pattern("digit run", r"(?<![\w])\+?\d+(?: \d+)*(?![\w])", 0.2)]

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="SpokenPhoneRecognizer",
            patterns=self.PATTERNS,
            context=[
                "phone",
                "mobile",
                "cell",
                "landline",
                "number",
                "call",
                "reach",
                "contact",
                "telephone",
                "telefono",
                "cellulare",
                "numero",
            ],
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        if not 10 <= len(digits) <= 13:
            return False
        if digits.startswith(("0", "1", "44", "39", "3")) or pattern_text.startswith("+"):
            return None
        return None


def iban_ok(candidate: str) -> bool:
    s = re.sub(r"[^A-Za-z0-9]", "", candidate).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    num = "".join(str(int(ch, 36)) for ch in moved)
    return int(num) % 97 == 1


class SpokenIbanRecognizer(PatternRecognizer):
    """IBANs written or spelled out (``G B 8 2 W E S T ...``), mod-97 checked."""

    PATTERNS = [Pattern("iban", r"(?<![\w])[a-z] ?[a-z] ?\d ?\d(?: ?[a-z0-9]){10,32}(?![\w])", 0.3)]

    def __init__(self, supported_language: str = "en"):
        super().__init__(
            supported_entity="IBAN_CODE",
            name="SpokenIbanRecognizer",
            patterns=self.PATTERNS,
            context=["iban", "bank", "account", "transfer", "conto", "bonifico"],
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if iban_ok(pattern_text) else None
