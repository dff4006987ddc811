"""What a synthetic Italian call says: phrase banks and a seeded generator of Italian scripts.

Same data model as the English :mod:`redactor.evaluation.script` (turns of pieces, the same
unit kinds), so the renderer, the truth files and the scorer need nothing Italian-specific.
Card, security-code, phone and order digits are ``digits`` pieces: the renderer speaks them
with Italian digit words. Letters (codice fiscale, carta d'identità) are ``chars`` pieces
whose words come from here: a letter name ("erre") or the spelling alphabet ("erre come
Roma"), as a customer on the phone would say them. Every identifier is valid by its own
check rule (:mod:`redactor.evaluation.ids_it`), and every scenario draws its wording from the
seed, so no sentence is fixed.
"""

from __future__ import annotations

import random

from redactor.evaluation.ids_it import (
    fiscal_code,
    iban_it,
    identity_card,
    random_person,
    vat_number,
)
from redactor.evaluation.script import (
    Piece,
    Turn,
    card,
    cvv,
    email,
    expiry,
    harmless,
    harmless_digits,
    health,
    iban,
    luhn_card,
    phone,
)

__all__ = [
    "CIFRE",
    "LETTERE",
    "ALFABETO",
    "SCENARIOS_IT",
    "spoken_chars",
    "fiscal_code_piece",
    "vat_piece",
    "identity_card_piece",
    "iban_groups",
    "random_script_it",
]

CIFRE = ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove")
LETTERE = {
    "A": "a", "B": "bi", "C": "ci", "D": "di", "E": "e", "F": "effe", "G": "gi", "H": "acca",
    "I": "i", "J": "i lunga", "K": "cappa", "L": "elle", "M": "emme", "N": "enne", "O": "o",
    "P": "pi", "Q": "cu", "R": "erre", "S": "esse", "T": "ti", "U": "u", "V": "vu",
    "W": "doppia vu", "X": "ics", "Y": "ipsilon", "Z": "zeta",
}  # fmt: skip
# the Italian telephone spelling alphabet ("R come Roma")
ALFABETO = {
    "A": "Ancona", "B": "Bologna", "C": "Como", "D": "Domodossola", "E": "Empoli",
    "F": "Firenze", "G": "Genova", "H": "hotel", "I": "Imola", "J": "jolly", "K": "kursaal",
    "L": "Livorno", "M": "Milano", "N": "Napoli", "O": "Otranto", "P": "Palermo",
    "Q": "quarto", "R": "Roma", "S": "Savona", "T": "Torino", "U": "Udine", "V": "Venezia",
    "W": "Washington", "X": "xilofono", "Y": "yacht", "Z": "Zara",
}  # fmt: skip
_MESI = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
         "settembre", "ottobre", "novembre", "dicembre")  # fmt: skip
_ANNI = {25: "venticinque", 26: "ventisei", 27: "ventisette", 28: "ventotto", 29: "ventinove",
         30: "trenta", 31: "trentuno"}  # fmt: skip
_MESE_NUM = {10: "dieci", 11: "undici", 12: "dodici"}

HEALTH_TERMS_IT = (
    ("soffro di", "diabete"),
    ("ho il", "diabete di tipo due"),
    ("prendo la", "metformina"),
    ("faccio la", "dialisi tre volte a settimana"),
    ("mi hanno diagnosticato", "un'insufficienza renale cronica"),
    ("sono stata operata per", "un tumore al seno"),
    ("faccio", "l'insulina tutte le mattine"),
    ("soffro di", "asma grave"),
    ("sono in cura per", "la depressione"),
    ("ho", "la pressione alta"),
    ("prendo il", "coumadin"),
    ("soffro di", "epilessia"),
    ("sto facendo", "la chemioterapia"),
    ("mi hanno diagnosticato", "la sclerosi multipla"),
    ("prendo la", "sertralina per l'ansia"),
    ("ho fatto", "un bypass coronarico"),
    ("l'anno scorso ho avuto", "un infarto"),
    ("ho il", "morbo di Parkinson"),
)
HARMLESS_IT = (
    "ci vogliono venti minuti",
    "apriamo alle nove",
    "ci sono due articoli nel carrello",
    "la consegna arriva tra tre e cinque giorni",
    "lei è la quarta persona in attesa",
    "il totale è di quarantanove euro e novanta",
    "chiudiamo alle diciotto e trenta",
)


def spoken_chars(text: str, rng: random.Random, *, alphabet: float = 0.0) -> tuple[str, ...]:
    """One spoken word per character: digit words, letter names, and with probability
    ``alphabet`` per letter the spelling alphabet ("erre come Roma")."""
    words = []
    for ch in text.upper():
        if ch.isdigit():
            words.append(CIFRE[int(ch)])
        elif rng.random() < alphabet:
            words.append(f"{LETTERE[ch]} come {ALFABETO[ch]}")
        else:
            words.append(LETTERE[ch])
    return tuple(words)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def fiscal_code_piece(code: str, rng: random.Random, *, alphabet: float = 0.0, gap=None) -> Piece:
    """A codice fiscale read character by character; every character is its own unit."""
    groups = rng.choice([(3, 3, 5, 5), (6, 5, 5), (3, 3, 2, 1, 2, 4, 1), (16,)])
    return Piece("chars", code, "IT_FISCAL_CODE", True, "digit", groups, "tts", "fiscal_code",
                 gap, spoken_chars(code, rng, alphabet=alphabet))  # fmt: skip


def vat_piece(number: str, rng: random.Random, *, gap=None) -> Piece:
    """A partita IVA read digit by digit in groups; every digit is its own unit."""
    groups = rng.choice([(4, 3, 4), (3, 4, 4), (2, 3, 3, 3), (11,)])
    return Piece("digits", number, "IT_VAT_CODE", True, "digit", groups, "tts", "vat", gap)


def identity_card_piece(number: str, rng: random.Random, *, gap=None) -> Piece:
    """A carta d'identità number: letters, digits, letters; every character is a unit."""
    return Piece("chars", number, "IT_IDENTITY_CARD", True, "digit", (2, 5, 2), "tts",
                 "identity_card", gap, spoken_chars(number, rng, alphabet=0.5))  # fmt: skip


def iban_groups(code: str) -> list[str]:
    """An IBAN as printed in groups of four, each spoken as Italian letter and digit words."""
    groups = [code[i : i + 4] for i in range(0, len(code), 4)]
    return [" ".join(CIFRE[int(c)] if c.isdigit() else LETTERE[c] for c in g) for g in groups]


def _expiry_it(rng: random.Random) -> str:
    mm, yy = rng.randrange(1, 13), rng.randrange(25, 32)
    month = _MESE_NUM.get(mm) or f"zero {CIFRE[mm]}"
    style = rng.randrange(4)
    if style == 0:
        return f"{month} {_ANNI[yy]}"  # "zero quattro ventisette"
    if style == 1:
        return f"{_MESI[mm - 1]} duemila{_ANNI[yy]}"  # "aprile duemilaventisette"
    if style == 2:
        return f"{month} barra {_ANNI[yy]}"
    return f"{mm:02d}{yy}"  # read as four digits: "zero quattro due sette"


def _payment_turns(rng: random.Random, *, readback: bool) -> list[Turn]:
    length = rng.choice([16, 16, 15])
    number = luhn_card(rng, length)
    groups = (1,) * length if rng.random() < 0.3 else None
    code = _digits(rng, 4 if length == 15 else 3)
    where = "le quattro cifre sul fronte" if length == 15 else "le tre cifre sul retro"
    turns = [
        Turn("agent", [rng.choice(["mi può dare il numero della carta?",
                                   "mi legge il numero della carta, per favore?",
                                   "mi dica le cifre sul fronte della carta",
                                   "qual è il numero della carta di credito?"])]),
        Turn("customer", [rng.choice(["sì, allora", "certo", "il numero è", "eccolo, è"]),
                          card(number, groups=groups, gap=rng.uniform(0.3, 0.5))]),
        Turn("agent", [rng.choice(["la scadenza?", "e la data di scadenza?",
                                   "mi dice la scadenza della carta?"])]),
        Turn("customer", [expiry(_expiry_it(rng))]),
        Turn("agent", [rng.choice([f"il codice di sicurezza, {where}",
                                   f"e il codice di sicurezza? sono {where}",
                                   "mi serve anche il codice di sicurezza"])]),
        Turn("customer", [cvv(code)] if rng.random() < 0.6 else ["allora", cvv(code, gap=0.3)]),
    ]  # fmt: skip
    if readback:
        turns.append(Turn("agent", [rng.choice(["le rileggo il numero", "ricapitolo"]),
                                    card(number, source="tts", label="readback")]))  # fmt: skip
        turns.append(Turn("customer", [rng.choice(["sì, esatto", "sì, è giusto", "perfetto"])]))
    order = _digits(rng, rng.choice([4, 5, 6]))
    turns.append(Turn("agent", [rng.choice(["grazie, il pagamento è andato a buon fine",
                                            "perfetto, pagamento registrato"]),
                                "il numero d'ordine è",
                                harmless_digits(order, source="tts", gap=0.3)]))  # fmt: skip
    return turns


def _health_turns(rng: random.Random) -> list[Turn]:
    lead, term = rng.choice(HEALTH_TERMS_IT)
    turns = [
        Turn("agent", [rng.choice(["ha qualche patologia che dobbiamo conoscere?",
                                   "per la polizza, ha problemi di salute da segnalare?"])]),
        Turn("customer", ["sì", lead, health(term, gap=rng.uniform(0.06, 0.14)),
                          rng.choice(["per questo mi serve la copertura", "tutto qui",
                                      "dall'anno scorso"])]),
    ]  # fmt: skip
    if rng.random() < 0.5:
        lead2, term2 = rng.choice(HEALTH_TERMS_IT)
        turns.append(Turn("agent", ["altro?"]))
        turns.append(Turn("customer", [lead2, health(term2, gap=rng.uniform(0.06, 0.14))]))
    return turns


def _email_it(rng: random.Random) -> str:
    user = rng.choice(["mario punto rossi", "giulia punto bianchi", "luca ottantuno",
                       "f punto esposito", "anna trattino basso ferrari"])  # fmt: skip
    domain = rng.choice(["gmail punto com", "libero punto it", "hotmail punto it",
                         "alice punto it"])  # fmt: skip
    return f"{user} chiocciola {domain}"


def _contact_turns(rng: random.Random) -> list[Turn]:
    mobile = rng.random() < 0.75
    if mobile:
        prefix = str(rng.choice([rng.randrange(320, 350), rng.randrange(360, 369),
                                 rng.randrange(380, 394)]))  # fmt: skip
        number, groups = prefix + _digits(rng, 7), rng.choice([(3, 3, 4), (3, 7), (3, 4, 3)])
    else:  # a landline: area code, then the rest in two groups
        area = rng.choice(["02", "06", "011", "081"])
        number, groups = area + _digits(rng, 10 - len(area)), (len(area), 4, 6 - len(area))
    return [
        Turn("agent", [rng.choice(["a che numero la possiamo ricontattare?",
                                   "mi lascia un recapito telefonico?"])]),
        Turn("customer", [rng.choice(["sì, è il", "allora", "il mio cellulare è"]),
                          phone(number, groups=groups, gap=0.3)]),
        Turn("agent", ["e l'indirizzo email?"]),
        Turn("customer", [email(_email_it(rng))]),
        Turn("agent", [rng.choice(["e l'IBAN per il rimborso?", "su quale conto facciamo il "
                                   "rimborso? mi serve l'IBAN"])]),
        Turn("customer", ["l'IBAN è", *iban(iban_groups(iban_it(rng)), gap=0.3)]),
    ]  # fmt: skip


def _fiscal_turns(rng: random.Random) -> list[Turn]:
    person = random_person(rng)
    code = fiscal_code(person)
    alphabet = rng.choice([0.0, 0.0, 0.5, 1.0])
    turns = [
        Turn("agent", ["per l'intestazione mi serve il codice fiscale"]),
        Turn("customer", [rng.choice(["sì, allora", "certo, è", "glielo leggo"]),
                          fiscal_code_piece(code, rng, alphabet=alphabet, gap=0.3)]),
        Turn("agent", [rng.choice(["grazie", "perfetto"]), harmless(rng.choice(HARMLESS_IT))]),
    ]  # fmt: skip
    if rng.random() < 0.5:
        turns.append(Turn("agent", ["e il numero della carta d'identità?"]))
        turns.append(Turn("customer", [identity_card_piece(identity_card(rng), rng)]))
    return turns


# "iva" in lower case: espeak spells "IVA" letter by letter, Italians say it as a word
def _business_turns(rng: random.Random) -> list[Turn]:
    return [
        Turn("agent", ["è un'azienda? per la fattura mi serve la partita iva"]),
        Turn("customer", [rng.choice(["sì, la partita iva è", "certo", "allora"]),
                          vat_piece(vat_number(rng), rng, gap=0.3)]),
        Turn("agent", ["e l'IBAN per l'addebito?"]),
        Turn("customer", [*iban(iban_groups(iban_it(rng)), gap=0.3)]),
        Turn("agent", [rng.choice(["ricevuto", "perfetto"]), harmless(rng.choice(HARMLESS_IT))]),
    ]  # fmt: skip


def _plain_turns(rng: random.Random) -> list[Turn]:
    return [
        Turn("agent", ["come posso aiutarla?"]),
        Turn("customer", ["chiamo per la mia consegna", "non è ancora arrivata"]),
        Turn("agent", ["controllo subito", harmless(rng.choice(HARMLESS_IT))]),
        Turn("customer", ["va bene, il numero d'ordine è", harmless_digits(
            _digits(rng, rng.choice([4, 5])), gap=0.3)]),
        Turn("agent", [harmless(rng.choice(HARMLESS_IT)), "posso fare altro per lei?"]),
        Turn("customer", ["no, grazie"]),
    ]  # fmt: skip


SCENARIOS_IT = ("payment", "payment_readback", "health", "mixed", "contact", "fiscal",
                "business", "plain")  # fmt: skip


def random_script_it(seed: int, scenario: str | None = None) -> tuple[str, list[Turn]]:
    """A varied but reproducible Italian dialogue; returns ``(scenario, turns)``."""
    rng = random.Random(f"it-{seed}")
    scenario = scenario or rng.choice(SCENARIOS_IT)
    opening = [Turn("agent", [rng.choice(["buongiorno, servizio clienti, sono Giulia",
                                          "pronto, ufficio pagamenti, buongiorno",
                                          "buonasera, grazie per aver chiamato"])]),
               Turn("customer", [rng.choice(["buongiorno, vorrei pagare una bolletta",
                                             "salve, avrei bisogno di aiuto",
                                             "buonasera, chiamo per il mio contratto"])])]  # fmt: skip
    if scenario == "payment":
        body = _payment_turns(rng, readback=False)
    elif scenario == "payment_readback":
        body = _payment_turns(rng, readback=True)
    elif scenario == "health":
        body = _health_turns(rng) + [Turn("agent", [harmless(rng.choice(HARMLESS_IT))])]
    elif scenario == "mixed":
        body = _health_turns(rng) + _payment_turns(rng, readback=rng.random() < 0.5)
    elif scenario == "contact":
        body = _contact_turns(rng)
    elif scenario == "fiscal":
        body = _fiscal_turns(rng)
    elif scenario == "business":
        body = _business_turns(rng)
    elif scenario == "plain":
        body = _plain_turns(rng)
    else:
        raise ValueError(f"unknown scenario {scenario!r}; valid: {', '.join(SCENARIOS_IT)}")
    closing = [Turn("agent", [rng.choice(["grazie per aver chiamato, arrivederci",
                                          "buona giornata, arrivederci"])])]  # fmt: skip
    return scenario, opening + body + closing
