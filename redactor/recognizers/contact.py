"""Contact and bank details as speech recognition writes them: email, phone, IBAN."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = [
    "SpokenEmailRecognizer",
    "SpokenPhoneRecognizer",
    "ItalianPhoneRecognizer",
    "SpokenIbanRecognizer",
    "iban_ok",
    "EMAIL_WORDS",
]


# How an address is read aloud, per language: the words for "@", "." and the separators.
EMAIL_WORDS = {
    "en": {"at": "at|@", "dot": "dot", "sep": "dot|underscore|dash|hyphen",
           "context": ["email", "e-mail", "mail", "address"]},
    "it": {"at": "chiocciola|chiocciolina|at|@", "dot": "punto",
           "sep": "punto|trattino basso|trattino|underscore|meno|lineetta",
           "context": ["email", "e-mail", "mail", "indirizzo", "posta", "elettronica"]},
}  # fmt: skip
_TLDS = "com|net|org|co|uk|it|de|fr|io|edu|gov|eu|info|biz|es|nl|ie|ch|at|be|pt|sm"


class SpokenEmailRecognizer(PatternRecognizer):
    """``john.smith@example.com``, ``john dot smith at example dot com`` and, in Italian,
    ``mario punto rossi chiocciola gmail punto com``."""

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

    @classmethod
    def patterns_for(cls, language: str) -> list[Pattern]:
        if language == "en" or language not in EMAIL_WORDS:
            return cls.PATTERNS
        w = EMAIL_WORDS[language]
        spoken = (
            rf"(?<![\w])[a-z0-9]+(?: (?:{w['sep']}) [a-z0-9]+)*"
            rf" (?:{w['at']}) [a-z0-9]+(?: (?:{w['dot']}|{w['sep']}) [a-z0-9]+)*?"
            rf"(?: (?:{w['dot']}) (?:{_TLDS}))+(?![\w])"
        )
        return [cls.PATTERNS[0], Pattern("spoken", spoken, 0.85)]

    def __init__(self, supported_language: str = "en"):
        words = EMAIL_WORDS.get(supported_language, EMAIL_WORDS["en"])
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            name="SpokenEmailRecognizer",
            patterns=self.patterns_for(supported_language),
            context=words["context"],
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


class ItalianPhoneRecognizer(PatternRecognizer):
    """Italian numbers: mobiles 3xx + 6-7 digits, landlines 0x... (6-11 digits), with an
    optional +39 / 0039. Read digit by digit or in pairs ("trentatré quarantacinque"),
    which the token normaliser has already turned into digits."""

    PATTERNS = [Pattern("digit run", r"(?<![\w])\+?\d+(?: \d+)*(?![\w])", 0.3)]
    CONTEXT = ["telefono", "cellulare", "numero", "recapito", "chiamare", "chiamarla",
               "richiamare", "fisso", "mobile", "telefonico", "whatsapp", "contatto"]  # fmt: skip

    def __init__(self, supported_language: str = "it"):
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="ItalianPhoneRecognizer",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        for prefix in ("0039", "39"):
            rest = digits[len(prefix) :]
            if digits.startswith(prefix) and re.fullmatch(r"3\d{8,9}|0\d{5,10}", rest):
                return True  # a country code in front is as good as a checksum
        if re.fullmatch(r"3[1-9]\d{7,8}", digits):
            return None  # a mobile: 0.3, raised by context
        if re.fullmatch(r"0[1-9]\d{6,9}", digits):
            return None
        return False


def iban_ok(candidate: str) -> bool:
    s = re.sub(r"[^A-Za-z0-9]", "", candidate).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    num = "".join(str(int(ch, 36)) for ch in moved)
    return int(num) % 97 == 1


class SpokenIbanRecognizer(PatternRecognizer):
    """IBANs written or spelled out (``G B 8 2 W E S T ...``), mod-97 checked. The match
    ends on a digit or a letter said alone, never inside a word: the words said after an
    IBAN short of a character or two were its characters ("... 4 4 1 non lo", a loop over
    the goodbye, it-s61-013, session 43)."""

    # not ending on a word of two letters or more said on its own (a glued token may end
    # on letters: "...1497usd")
    _NO_WORD = "".join(rf"(?<! [a-z]{{{n}}})" for n in range(2, 13))
    PATTERNS = [
        Pattern(
            "iban",
            rf"(?<![\w])[a-z] ?[a-z] ?\d ?\d(?: ?[a-z0-9]){{10,32}}{_NO_WORD}(?![\w])",
            0.3,
        )
    ]

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
