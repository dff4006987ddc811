"""What a synthetic call says: turns made of pieces, and a seeded generator of realistic scripts.

A script is data, not audio: :mod:`redactor.evaluation.corpus` renders it. Keeping the two
apart lets a regression test write the exact dialogue that once broke the redactor
(``Turn("customer", [cvv("637")])`` after a question) while the evaluation draws hundreds of
varied ones from a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = [
    "DIGIT_WORDS",
    "Piece",
    "Turn",
    "say",
    "card",
    "cvv",
    "expiry",
    "health",
    "harmless",
    "harmless_digits",
    "phone",
    "email",
    "iban",
    "luhn_card",
    "SCENARIOS",
    "random_script",
]

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Piece:
    """One stretch of a turn.

    ``kind`` is ``speech`` (synthesized text), ``digits`` (one clip per digit, from FSDD or
    TTS in the call's language) or ``chars`` (one synthesized clip per character of ``text``,
    spoken as ``words[i]``: letters of a codice fiscale, "erre come Roma"). ``words``, when
    given, also overrides the digit words of a ``digits`` piece. ``unit`` says how
    ground-truth units are cut: ``digit`` (one per digit or character), ``group`` (one per
    group), ``all`` (one for the piece) or ``none`` (frame speech, recorded as a harmless
    span). ``gap`` is the pause before the piece, in seconds (None: a natural one).
    """

    kind: str
    text: str
    entity: str | None = None
    sensitive: bool = False
    unit: str = "all"
    groups: tuple[int, ...] = ()
    source: str = "auto"  # digits: "fsdd", "tts" or "auto" (customer fsdd/tts by seed)
    label: str = "speech"
    gap: float | None = None
    words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.words and len(self.words) != len(self.text):
            raise ValueError(f"{len(self.text)} characters in {self.text!r} but "
                             f"{len(self.words)} spoken words")  # fmt: skip
        if self.kind == "chars" and not self.words:
            raise ValueError(f"a chars piece needs one spoken word per character: {self.text!r}")


@dataclass(frozen=True)
class Turn:
    speaker: str  # "agent" or "customer"
    pieces: tuple[Piece, ...] = field(default_factory=tuple)

    def __init__(self, speaker: str, pieces) -> None:
        if speaker not in ("agent", "customer"):
            raise ValueError(f"speaker must be 'agent' or 'customer', got {speaker!r}")
        object.__setattr__(self, "speaker", speaker)
        object.__setattr__(
            self, "pieces", tuple(say(p) if isinstance(p, str) else p for p in pieces)
        )


def say(text: str, *, gap: float | None = None) -> Piece:
    return Piece("speech", text, unit="none", label="speech", gap=gap)


def harmless(text: str, *, gap: float | None = None) -> Piece:
    """A harmless number said in words ("twenty minutes"): must stay audible."""
    return Piece("speech", text, unit="all", label="harmless_number", gap=gap)


def harmless_digits(digits: str, *, groups=(), source="auto", gap=None) -> Piece:
    """An order or reference number read digit by digit: must stay audible."""
    return Piece("digits", digits, None, False, "all", tuple(groups) or (len(digits),), source,
                 "harmless_number", gap)  # fmt: skip


def card(number: str, *, groups=None, source="auto", gap=None, label="card_digit") -> Piece:
    """A card number read aloud; every digit is its own ground-truth unit.

    ``groups`` defaults to 4-4-4-4 (16 digits) or 4-6-5 (15, Amex); ``(1,)*n`` reads digit by
    digit with even gaps.
    """
    if groups is None:
        groups = (4, 6, 5) if len(number) == 15 else (4,) * (len(number) // 4)
    return Piece("digits", number, "CREDIT_CARD", True, "digit", tuple(groups), source, label, gap)


def cvv(code: str, *, source="auto", gap=None) -> Piece:
    return Piece("digits", code, "CARD_SECURITY_CODE", True, "all", (len(code),), source, "cvv",
                 gap)  # fmt: skip


def expiry(text: str, *, gap=None, source="auto") -> Piece:
    """An expiry date: words ("oh four twenty seven") or digits ("0427", read as digits)."""
    if text.isdigit():
        return Piece("digits", text, "CARD_EXPIRY", True, "all", (2, 2), source, "expiry", gap)
    return Piece("speech", text, "CARD_EXPIRY", True, "all", label="expiry", gap=gap)


def health(term: str, *, gap=None) -> Piece:
    """A condition, medication or procedure; say the lead-in ("I have") as its own piece."""
    return Piece("speech", term, "HEALTH", True, "all", label="health", gap=gap)


def phone(digits: str, *, groups=None, source="auto", gap=None) -> Piece:
    groups = tuple(groups or ((5, 3, 3) if len(digits) == 11 else (3, 3, len(digits) - 6)))
    return Piece("digits", digits, "PHONE_NUMBER", True, "group", groups, source, "phone", gap)


def email(spoken: str, *, gap=None) -> Piece:
    return Piece("speech", spoken, "EMAIL_ADDRESS", True, "all", label="email", gap=gap)


def iban(spoken_groups: list[str], *, gap=None) -> list[Piece]:
    """An IBAN read in groups; each group is a unit (pieces, since groups mix letters)."""
    return [
        Piece("speech", g, "IBAN_CODE", True, "all", label="iban", gap=gap if i == 0 else 0.35)
        for i, g in enumerate(spoken_groups)
    ]


def luhn_card(rng: random.Random, length: int) -> str:
    """A Luhn-valid card number: Amex-like for 15 digits, Visa/MC/Discover-like for 16."""
    if length == 15:
        prefix = rng.choice(["34", "37"])
    else:
        prefix = rng.choice(["4", "4", "51", "53", "55", "6011"])
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


# --- seeded scenario generator -------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_TEENS = ("twenty five", "twenty six", "twenty seven", "twenty eight", "twenty nine", "thirty")
HEALTH_TERMS = (
    ("I have", "type two diabetes"),
    ("I'm on", "metformin"),
    ("my doctor diagnosed", "chronic kidney disease"),
    ("I was treated for", "breast cancer"),
    ("I take", "insulin every morning"),
    ("I suffer from", "severe asthma"),
    ("I'm being treated for", "depression"),
    ("I had", "a hip replacement"),
    ("I've got", "high blood pressure"),
    ("they put me on", "warfarin"),
    ("I have", "epilepsy"),
    ("I'm still having", "chemotherapy"),
    ("I was diagnosed with", "multiple sclerosis"),
    ("I take", "sertraline for anxiety"),
    ("I go for", "dialysis three times a week"),
    ("I've had", "a heart bypass"),
)
HARMLESS = (
    "it should take about twenty minutes",
    "we open at nine in the morning",
    "that's two items in the basket",
    "delivery is in three to five days",
    "you're number four in the queue",
    "the total is forty nine ninety nine",
)


def _expiry_text(rng: random.Random) -> str:
    mm = rng.randrange(1, 13)
    yy = rng.choice(_TEENS)
    style = rng.randrange(3)
    if style == 0:
        return f"{DIGIT_WORDS[mm // 10] if mm >= 10 else 'oh'} {DIGIT_WORDS[mm % 10]} {yy}"
    if style == 1:
        return f"{_MONTHS[mm - 1]} twenty {yy}"
    return f"{mm:02d}{rng.randrange(25, 31)}"  # read as four digits: "0427"


def _payment_turns(rng: random.Random, *, readback: bool) -> list[Turn]:
    length = rng.choice([16, 16, 15])
    number = luhn_card(rng, length)
    one_by_one = rng.random() < 0.3
    groups = (1,) * length if one_by_one else None
    code = "".join(str(rng.randrange(10)) for _ in range(4 if length == 15 else 3))
    turns = [
        Turn("agent", [rng.choice(["can I take the long card number please",
                                   "what is the card number",
                                   "please read me the sixteen digits on the front of the card"])]),
        Turn("customer", [rng.choice(["yes it's", "sure", "okay it is", "my card number is"]),
                          card(number, groups=groups, gap=rng.uniform(0.3, 0.5))]),
        Turn("agent", [rng.choice(["and the expiry date", "what's the expiry date on the card"])]),
        Turn("customer", [expiry(_expiry_text(rng))]),
        Turn("agent", [rng.choice(["and the security code on the back",
                                   "and the three digits on the back please",
                                   "what's the security code"])]),
        Turn("customer", [cvv(code)]),
    ]  # fmt: skip
    if readback:
        turns.append(
            Turn("agent", ["let me read that back", card(number, source="tts", label="readback")])
        )
        turns.append(Turn("customer", ["yes that's right"]))
    turns.append(Turn("agent", ["thank you the payment has gone through",
                                "your order number is", harmless_digits(
                                    "".join(str(rng.randrange(10)) for _ in range(6)),
                                    groups=(3, 3), source="tts", gap=0.3)]))  # fmt: skip
    return turns


def _health_turns(rng: random.Random) -> list[Turn]:
    lead, term = rng.choice(HEALTH_TERMS)
    turns = [
        Turn("agent", ["do you have any medical conditions we should know about"]),
        Turn("customer", ["yes", lead, health(term, gap=rng.uniform(0.06, 0.14)),
                          rng.choice(["so I need the cover", "that's all", "since last year"])]),
    ]  # fmt: skip
    if rng.random() < 0.5:
        lead2, term2 = rng.choice(HEALTH_TERMS)
        turns.append(Turn("agent", ["anything else"]))
        turns.append(Turn("customer", [lead2, health(term2, gap=rng.uniform(0.06, 0.14))]))
    return turns


def _contact_turns(rng: random.Random) -> list[Turn]:
    digits = "07" + "".join(str(rng.randrange(10)) for _ in range(9))
    user = rng.choice(["john dot smith", "maria eighty one", "k dot patel"])
    domain = rng.choice(["example dot com", "mail dot co dot uk"])
    bank = rng.choice(["west", "barc", "midl"])
    return [
        Turn("agent", ["what is the best phone number to reach you"]),
        Turn("customer", ["it's", phone(digits, gap=0.3)]),
        Turn("agent", ["and your email address"]),
        Turn("customer", [email(f"{user} at {domain}")]),
        Turn("agent", ["and the account for the refund"]),
        Turn("customer", ["the iban is", *iban(["G B eight two", f"{bank} one two three four",
                                               "five six seven eight nine"], gap=0.3)]),
    ]  # fmt: skip


def _plain_turns(rng: random.Random) -> list[Turn]:
    return [
        Turn("agent", ["thanks for calling how can I help"]),
        Turn("customer", ["I'm calling about my delivery", "it hasn't arrived yet"]),
        Turn("agent", ["let me check", harmless(rng.choice(HARMLESS))]),
        Turn("customer", ["okay and the reference is", harmless_digits(
            "".join(str(rng.randrange(10)) for _ in range(5)), gap=0.3)]),
        Turn("agent", [harmless(rng.choice(HARMLESS)), "is there anything else"]),
        Turn("customer", ["no thank you"]),
    ]  # fmt: skip


SCENARIOS = ("payment", "payment_readback", "health", "mixed", "contact", "plain")


def random_script(seed: int, scenario: str | None = None) -> tuple[str, list[Turn]]:
    """A varied but reproducible dialogue; returns ``(scenario, turns)``."""
    rng = random.Random(seed)
    scenario = scenario or rng.choice(SCENARIOS)
    opening = [Turn("agent", [rng.choice(["good morning you're through to payments",
                                          "hello thanks for calling"])]),
               Turn("customer", [rng.choice(["hi I'd like to pay my bill",
                                             "hello I need some help"])])]  # fmt: skip
    if scenario == "payment":
        body = _payment_turns(rng, readback=False)
    elif scenario == "payment_readback":
        body = _payment_turns(rng, readback=True)
    elif scenario == "health":
        body = _health_turns(rng) + [Turn("agent", [harmless(rng.choice(HARMLESS))])]
    elif scenario == "mixed":
        body = _health_turns(rng) + _payment_turns(rng, readback=rng.random() < 0.5)
    elif scenario == "contact":
        body = _contact_turns(rng)
    elif scenario == "plain":
        body = _plain_turns(rng)
    else:
        raise ValueError(f"unknown scenario {scenario!r}; valid: {', '.join(SCENARIOS)}")
    closing = [Turn("agent", ["thank you for calling goodbye"])]
    return scenario, opening + body + closing
