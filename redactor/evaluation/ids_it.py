"""Italian identifiers with valid check characters, drawn from a seeded generator.

A recognizer that validates check digits (as Presidio's and ours do) ignores a number whose
checksum is wrong, so a corpus of random strings would measure the validator, not the
redactor. Every identifier here is valid by its own rule: codice fiscale (check letter over
odd/even position tables), partita IVA (Luhn-style check digit), IBAN IT (CIN letter over
the same tables, then ISO 13616 mod-97 check digits).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

__all__ = [
    "Person",
    "COMUNI",
    "fiscal_code",
    "fiscal_check_char",
    "fiscal_code_valid",
    "vat_number",
    "vat_check_digit",
    "vat_valid",
    "iban_it",
    "iban_cin",
    "iban_valid",
    "identity_card",
    "random_person",
]

# value of each character in an odd (1st, 3rd, ...) position; digits count as A-J
_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23)  # fmt: skip
_MONTH_LETTERS = "ABCDEHLMPRST"
_VOWELS = "AEIOU"

# Belfiore codes of real comuni (cadastral codes used in the codice fiscale)
COMUNI = {
    "Roma": "H501", "Milano": "F205", "Napoli": "F839", "Torino": "L219", "Palermo": "G273",
    "Genova": "D969", "Bologna": "A944", "Firenze": "D612", "Bari": "A662", "Catania": "C351",
    "Venezia": "L736", "Verona": "L781", "Messina": "F158", "Padova": "G224", "Trieste": "L424",
    "Brescia": "B157", "Parma": "G337", "Modena": "F257", "Perugia": "G478", "Cagliari": "B354",
}  # fmt: skip
SURNAMES = ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
            "Giordano", "Rizzo", "Lombardi", "Moretti", "Fontana", "Barbieri", "Caruso", "Leone",
            "Gentile", "Vitale", "Serra", "Fabbri", "Sala", "Fo", "D'Angelo", "Bo")  # fmt: skip
MALE_NAMES = ("Mario", "Luca", "Giuseppe", "Marco", "Francesco", "Alessandro", "Andrea",
              "Giovanni", "Antonio", "Paolo", "Stefano", "Matteo", "Ugo", "Enzo")  # fmt: skip
FEMALE_NAMES = ("Giulia", "Anna", "Francesca", "Chiara", "Sara", "Laura", "Maria", "Elena",
                "Valentina", "Martina", "Alessandra", "Paola", "Ida", "Eva")  # fmt: skip


def _value(ch: str, odd: bool) -> int:
    index = int(ch) if ch.isdigit() else ord(ch) - ord("A")
    return _ODD[index] if odd else index


def _table_check(body: str) -> str:
    """The check letter shared by the codice fiscale and the IBAN CIN: sum mod 26."""
    total = sum(_value(ch, i % 2 == 0) for i, ch in enumerate(body.upper()))
    return chr(ord("A") + total % 26)


def fiscal_check_char(first15: str) -> str:
    """The 16th character of a codice fiscale, from its first 15."""
    if len(first15) != 15 or not first15.isalnum():
        raise ValueError(f"a codice fiscale body has 15 letters and digits, got {first15!r}")
    return _table_check(first15)


def fiscal_code_valid(code: str) -> bool:
    code = code.upper()
    return len(code) == 16 and code.isalnum() and fiscal_check_char(code[:15]) == code[15]


def _letters(name: str) -> tuple[str, str]:
    clean = "".join(c for c in name.upper() if c in string.ascii_uppercase)
    return "".join(c for c in clean if c not in _VOWELS), "".join(c for c in clean if c in _VOWELS)


def _surname_code(surname: str) -> str:
    cons, vows = _letters(surname)
    return (cons + vows + "XXX")[:3]


def _name_code(name: str) -> str:
    cons, vows = _letters(name)
    if len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return (cons + vows + "XXX")[:3]


@dataclass(frozen=True)
class Person:
    """Who a customer is: enough to derive a realistic codice fiscale."""

    name: str
    surname: str
    female: bool
    year: int
    month: int
    day: int
    comune: str


def random_person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    return Person(
        name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
        surname=rng.choice(SURNAMES),
        female=female,
        year=rng.randrange(1940, 2006),
        month=rng.randrange(1, 13),
        day=rng.randrange(1, 29),
        comune=rng.choice(sorted(COMUNI)),
    )


def fiscal_code(person: Person) -> str:
    """The codice fiscale of ``person`` (no omocodia), check letter included."""
    day = person.day + (40 if person.female else 0)
    body = (
        _surname_code(person.surname)
        + _name_code(person.name)
        + f"{person.year % 100:02d}"
        + _MONTH_LETTERS[person.month - 1]
        + f"{day:02d}"
        + COMUNI[person.comune]
    )
    return body + fiscal_check_char(body)


def vat_check_digit(first10: str) -> str:
    """The 11th digit of a partita IVA: odd digits summed, even digits doubled (minus 9)."""
    if len(first10) != 10 or not first10.isdigit():
        raise ValueError(f"a partita IVA body has 10 digits, got {first10!r}")
    total = 0
    for i, ch in enumerate(first10):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def vat_valid(number: str) -> bool:
    return len(number) == 11 and number.isdigit() and vat_check_digit(number[:10]) == number[10]


def vat_number(rng: random.Random) -> str:
    """A partita IVA: 7-digit serial, a real provincial office code (001-100), check digit."""
    body = "".join(str(rng.randrange(10)) for _ in range(7)) + f"{rng.randrange(1, 101):03d}"
    return body + vat_check_digit(body)


def iban_cin(bban_rest: str) -> str:
    """The CIN letter over ABI (5) + CAB (5) + account (12)."""
    if len(bban_rest) != 22 or not bban_rest.isalnum():
        raise ValueError(f"ABI + CAB + account is 22 characters, got {bban_rest!r}")
    return _table_check(bban_rest)


def _mod97(text: str) -> int:
    digits = "".join(str(int(c, 36)) for c in text.upper())
    return int(digits) % 97


def iban_valid(iban: str) -> bool:
    iban = iban.replace(" ", "").upper()
    if not (len(iban) == 27 and iban.startswith("IT") and iban.isalnum()):
        return False
    return _mod97(iban[4:] + iban[:4]) == 1 and iban_cin(iban[5:]) == iban[4]


# ABI codes of real Italian banks (Intesa, UniCredit, BPM, MPS, BPER, Poste, Credem, Fineco)
_ABI = ("03069", "02008", "05034", "01030", "05387", "07601", "03032", "03015")


def iban_it(rng: random.Random) -> str:
    """An Italian IBAN: IT, mod-97 check digits, CIN, ABI, CAB, 12-digit account."""
    rest = rng.choice(_ABI) + f"{rng.randrange(1000, 100000):05d}"
    rest += "".join(str(rng.randrange(10)) for _ in range(12))
    bban = iban_cin(rest) + rest
    check = 98 - _mod97(bban + "IT00")
    return f"IT{check:02d}{bban}"


def identity_card(rng: random.Random) -> str:
    """A carta d'identità elettronica number: two letters, five digits, two letters."""
    letters = string.ascii_uppercase
    return (
        "C" + rng.choice("ABCDEF")
        + "".join(str(rng.randrange(10)) for _ in range(5))
        + "".join(rng.choice(letters) for _ in range(2))
    )  # fmt: skip
