"""Italian identifiers in the corpus are valid by their own check rules.

Validity is checked twice: by our own rule and by Presidio's stock validators, which were
written independently, so a shared misreading of a rule would not go unnoticed.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from presidio_analyzer.predefined_recognizers import (
    IbanRecognizer,
    ItFiscalCodeRecognizer,
    ItVatCodeRecognizer,
)

from redactor.evaluation.ids_it import (
    COMUNI,
    Person,
    fiscal_check_char,
    fiscal_code,
    fiscal_code_valid,
    iban_it,
    iban_valid,
    identity_card,
    random_person,
    vat_number,
    vat_valid,
)
from redactor.evaluation.script import luhn_card
from tests.fixtures.checks import luhn_ok

seeds = st.integers(min_value=0, max_value=2**32)


def test_known_italian_identifiers_pass_and_a_changed_character_fails():
    assert fiscal_check_char("RSSMRA85T10A562") == "S"
    assert fiscal_code_valid("RSSMRA85T10A562S") and not fiscal_code_valid("RSSMRA85T10A562T")
    assert iban_valid("IT60X0542811101000000123456")
    assert not iban_valid("IT60X0542811101000000123457")
    assert not iban_valid("IT60Y0542811101000000123456")  # wrong CIN, right length
    assert vat_valid("01234567897") and not vat_valid("01234567890")


@settings(max_examples=200, deadline=None)
@given(seed=seeds)
def test_every_generated_codice_fiscale_has_a_valid_check_letter(seed):
    code = fiscal_code(random_person(random.Random(seed)))
    assert len(code) == 16 and fiscal_code_valid(code)
    assert ItFiscalCodeRecognizer().validate_result(code)


@settings(max_examples=200, deadline=None)
@given(seed=seeds)
def test_every_generated_partita_iva_has_a_valid_check_digit(seed):
    number = vat_number(random.Random(seed))
    assert len(number) == 11 and vat_valid(number)
    assert 1 <= int(number[7:10]) <= 100  # a real provincial office code
    assert ItVatCodeRecognizer().validate_result(number)


@settings(max_examples=200, deadline=None)
@given(seed=seeds)
def test_every_generated_iban_has_a_valid_cin_and_mod_97_check_digits(seed):
    code = iban_it(random.Random(seed))
    assert len(code) == 27 and code.startswith("IT") and code[4].isalpha()
    assert iban_valid(code)
    assert IbanRecognizer().validate_result(code)


@settings(max_examples=200, deadline=None)
@given(seed=seeds, length=st.sampled_from([15, 16]))
def test_every_generated_card_number_passes_luhn(seed, length):
    number = luhn_card(random.Random(seed), length)
    assert len(number) == length and luhn_ok(number)


def test_a_codice_fiscale_encodes_name_birth_date_sex_and_comune():
    woman = Person("Giulia", "De Luca", True, 1985, 12, 3, "Roma")
    code = fiscal_code(woman)
    assert code[:6] == "DLCGLI" and code[6:8] == "85" and code[8] == "T"
    assert code[9:11] == "43" and code[11:15] == COMUNI["Roma"] == "H501"
    # four consonants or more in the name: first, third and fourth
    assert fiscal_code(Person("Francesco", "Fo", False, 1950, 1, 9, "Milano"))[:6] == "FOXFNC"


def test_an_identity_card_number_is_two_letters_five_digits_two_letters():
    number = identity_card(random.Random(3))
    assert number[:2].isalpha() and number[2:7].isdigit() and number[7:].isalpha()
