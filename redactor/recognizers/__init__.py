"""Recognizers for what stock Presidio misses on speech transcripts, and the registry.

:func:`build_registry` returns the recognizers for the entity types a policy redacts, in a
language: our transcript-aware ones plus Presidio's stock recognizers for the same types
(they catch the written forms ASR sometimes produces).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from presidio_analyzer import EntityRecognizer

from redactor.recognizers.codes import (
    FiscalCodeRecognizer,
    IdentityCardRecognizer,
    SpelledIbanRecognizer,
    VatCodeRecognizer,
)
from redactor.recognizers.contact import (
    ItalianPhoneRecognizer,
    SpokenEmailRecognizer,
    SpokenIbanRecognizer,
    SpokenPhoneRecognizer,
)
from redactor.recognizers.health import HealthRecognizer
from redactor.recognizers.payment import (
    ExpiryRecognizer,
    SecurityCodeRecognizer,
    SpokenCardRecognizer,
    luhn_ok,
)

__all__ = ["build_recognizers", "RECOGNIZERS", "LANGUAGE_RECOGNIZERS", "luhn_ok"]


def _stock(name: str) -> Callable[[str], EntityRecognizer]:
    def make(language: str) -> EntityRecognizer:
        from presidio_analyzer import predefined_recognizers as pr

        return getattr(pr, name)(supported_language=language)

    return make


# entity type -> factories (language -> recognizer)
RECOGNIZERS: dict[str, tuple[Callable[[str], EntityRecognizer], ...]] = {
    "CREDIT_CARD": (SpokenCardRecognizer, _stock("CreditCardRecognizer")),
    "CARD_EXPIRY": (ExpiryRecognizer,),
    "CARD_SECURITY_CODE": (SecurityCodeRecognizer,),
    "HEALTH": (HealthRecognizer,),
    "EMAIL_ADDRESS": (SpokenEmailRecognizer,),
    "PHONE_NUMBER": (SpokenPhoneRecognizer,),
    "IBAN_CODE": (SpokenIbanRecognizer, _stock("IbanRecognizer")),
    "US_SSN": (_stock("UsSsnRecognizer"),),
    "IT_FISCAL_CODE": (FiscalCodeRecognizer, _stock("ItFiscalCodeRecognizer")),
    "IT_VAT_CODE": (VatCodeRecognizer, _stock("ItVatCodeRecognizer")),
    "IT_IDENTITY_CARD": (IdentityCardRecognizer, _stock("ItIdentityCardRecognizer")),
}
# Extra recognizers for one language, on top of RECOGNIZERS (a language's own formats).
LANGUAGE_RECOGNIZERS: dict[str, dict[str, tuple[Callable[[str], EntityRecognizer], ...]]] = {
    "it": {
        "IBAN_CODE": (SpelledIbanRecognizer,),
        "PHONE_NUMBER": (ItalianPhoneRecognizer,),
    },
}


def build_recognizers(entities: Iterable[str], language: str) -> list[EntityRecognizer]:
    """Recognizers for ``entities`` in ``language``; entity types without one are skipped
    (for example PAYMENT_UNHEARD, which the fail-closed rules produce, not a recognizer)."""
    out: list[EntityRecognizer] = []
    for entity in entities:
        if entity.startswith("IT_") and language != "it":
            continue  # Italian identifiers only mean something in Italian calls
        extra = LANGUAGE_RECOGNIZERS.get(language, {}).get(entity, ())
        for factory in (*RECOGNIZERS.get(entity, ()), *extra):
            out.append(factory(language))
    return out
