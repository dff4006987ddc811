"""Per-language number words, as :mod:`redactor.tokens` reads them into digits: the words
of numbers, the digit words that count alone, the homophones and split digit words the
recogniser writes for digits, and the words that join one spoken number. Data only: a new
language is a new key in each table."""

from __future__ import annotations

__all__: list[str] = []  # tables of redactor.tokens

_NUMBER_WORDS = {
    "en": {
        "zero",
        "oh",
        "o",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fourty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "double",
        "triple",
        "nought",
        "nil",
    },
    "it": {
        "zero",
        "uno",
        "una",
        "due",
        "tre",
        "quattro",
        "cinque",
        "sei",
        "sette",
        "otto",
        "nove",
        "dieci",
        "undici",
        "dodici",
        "tredici",
        "quattordici",
        "quindici",
        "sedici",
        "diciassette",
        "diciotto",
        "diciannove",
        "venti",
        "trenta",
        "quaranta",
        "cinquanta",
        "sessanta",
        "settanta",
        "ottanta",
        "novanta",
        "cento",
        "mille",
        "doppio",
    },
}
_SINGLE = {
    "en": {"zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2",
           "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
           "nine": "9"},
    "it": {"zero": "0", "uno": "1", "una": "1", "due": "2", "tre": "3", "quattro": "4",
           "cinque": "5", "sei": "6", "sette": "7", "otto": "8", "nove": "9"},
}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3, "doppio": 2}
# Words ASR writes for a digit it half heard. They count as digits only next to a number.
_HOMOPHONES = {
    "en": {"for": "4", "fore": "4", "to": "2", "too": "2", "won": "1", "ate": "8",
           "free": "3", "tree": "3", "sex": "6", "sicks": "6", "nein": "9", "niner": "9",
           "tin": "10"},
    # Italian: what ASR writes for a clipped or half-heard digit word; base on telephone
    # audio hears "nove" as "nome", "zero" as "nero", "sette" as "seppe"/"pete", "tre" as
    # "che"/"tme", "due" as "nue"/"nuo", "uno" as "nuno" (the n of the digit before) and
    # "quattro" with a c ("cuattro": a card's 4 half audible between "0" and "uno",
    # it-s11-009), "due" as "tue" (a card's last digit, it-s23-007); and, with the "s" of
    # "sei" and "sette" lost on a narrowband line, "hai" and "ete", "zero" as "velo"
    # (session 24: 11 times on five corpora, all beside digits but for "mi hai pagato"; a
    # card's last 0 heard "velo" leaked, it-s25-025); "sei" as "ehi" (session 27: 14 of
    # 18 times on eight corpora beside digits, a read-back's last 6 leaked, it-s44-011).
    # "quattro" as "attro", its "qu" lost (session 28: twice on six fresh corpora, both an
    # IBAN's 4; at 0.83 it explained the first group's speech, which leaked: it-s51-005).
    # "cinque" heard with its "c" as "qu" and its "nq" blurred: "quinue", "quintue",
    # "quintwe", "quindue", "quindwe" (session 29: eight times on two fresh corpora, each a
    # card's 5; three at 0.64-0.66 explained their digits' speech, which leaked:
    # it-s55-022; "quindue" too in it-s47-003, session 28). Not "quinto" or "quindi":
    # words of their own.
    # Not "mero": an IBAN read in groups heard as recurring words ("mero quinto e nue") is
    # found by its words (it-s2-032)
    "it": {"oto": "8", "quatro": "4", "cuattro": "4", "cuatro": "4", "sete": "7", "set": "7", "un": "1", "nuove": "9",
           "cinqu": "5", "ses": "6", "nome": "9", "nero": "0", "seppe": "7", "pete": "7",
           "che": "3", "tme": "3", "nue": "2", "nuo": "2", "nuno": "1", "tue": "2",
           "hai": "6", "ete": "7", "velo": "0", "tete": "7", "ehi": "6", "attro": "4",
           "quinue": "5", "quintue": "5", "quintwe": "5", "quindue": "5", "quindwe": "5"},
}  # fmt: skip
# Two words ASR writes for one digit word it split after the first syllable ("du-e" as
# "tu e", "se-tte" as "e te", "no-ve" as "non è"): like homophones, a digit only next to
# numbers ("non è" beside a digit was a "nove" every time on three corpora).
# Three words too: "sei" heard "c è il" (or "c è i") right before the digits after it,
# three times on three corpora (a card's first digit, security codes; sessions 20 to 22),
# and "è i" between a card's digits three times in one call (session 25, it-s29-001).
# "sette" heard "è te" as often as "e te": three times on six fresh corpora, each a 7 among
# digits (a VAT number's "sette sette" heard "è te è te", its eleven digits leaked as too
# few for a scattered reading: it-s51-035, session 28). "due" as "tu è" too: 15 times on
# the same corpora, each a 2 (an IBAN's, it-s48-006: a decoding loop "tu è meno" over it).
_HOMOPHONE_PAIRS = {
    "it": {("tu", "e"): "2", ("tu", "è"): "2", ("e", "te"): "7", ("è", "te"): "7",
           ("non", "è"): "9", ("c", "è", "il"): "6", ("c", "è", "i"): "6", ("è", "il"): "6",
           ("è", "i"): "6",
           ("è", "il", "numero"): "60", ("c", "è", "il", "numero"): "60"},
}  # fmt: skip
# ... of which these are digits only right before a number heard as one, in one breath:
# "sei zero" of a card heard "c'è il numero" before "1 1 7 9" (it-s44-011: the 6 leaked)
# and "e il numero" before "9 8" (it-s43-029), where "qual è il numero?" asks for one
READ_ON_PAIRS = {"it": frozenset({("è", "il", "numero"), ("c", "è", "il", "numero")})}
# Languages whose homophones count as numbers when deciding whether a homophone sits
# among numbers: a run misheard digit after digit ("nero tme nero") is still a run.
_CHAINED_HOMOPHONES = frozenset({"it"})
# Languages where ASR glues a syllable of the next word onto a digit word it half heard
# ("nomene" for "nove", twice in one card number, it-s12-018): a digit word or homophone of
# GLUED_BASE letters or more with up to GLUED_EXTRA letters after it is no ordinary word
_GLUED_DIGITS = frozenset({"it"})
GLUED_BASE = 4
GLUED_EXTRA = 2
# Words that join two numbers of one spoken run ("cento e venti", "trentatré e quaranta").
_JOINERS = {"it": ("e",)}
# languages whose long compound number words the recogniser may write in two ("un dici")
_SPLIT_NUMBERS = frozenset({"it"})
