"""Identifiers read aloud: codice fiscale, IBAN, partita IVA, identity-card numbers.

Callers spell these codes, so in a transcript they arrive as a run of digit groups and
letters (joined into one word by :mod:`redactor.spelling` when they were spelled), often
with a stray word glued on ("è" heard as the letter E) or one character misheard. Each
recognizer here is data - the code's shapes, its lengths, the cue words that ask for it -
plus one checksum hook, and they all work the same way:

* the text is cut into *chunks*: runs of words that carry a digit;
* every window of a chunk with the code's length and shape is a candidate;
* a window whose checksum holds scores 1.0;
* a window with the right shape but a failing checksum, or a chunk a few characters off the
  right length, still scores ``cue_score`` when a cue word for the code comes shortly before
  it: ASR mishears one letter far more often than a caller reads out a random code (fail
  closed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult

from redactor.recognizers.contact import iban_ok

__all__ = [
    "CodeSpec",
    "SpokenCodeRecognizer",
    "FiscalCodeRecognizer",
    "SpelledIbanRecognizer",
    "VatCodeRecognizer",
    "IdentityCardRecognizer",
    "fiscal_code_ok",
    "vat_ok",
    "IBAN_LENGTHS",
]

_CHUNK = re.compile(r"[a-z0-9]*\d[a-z0-9]*(?: [a-z0-9]*\d[a-z0-9]*)*")

# Odd/even position values of the codice fiscale check character (DM 23/12/1976).
_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20,
         11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
        strict=True,
    )
)  # fmt: skip
_EVEN = {ch: (int(ch) if ch.isdigit() else ord(ch) - ord("A")) for ch in _ODD}
# Omocodia: a digit of the code may be replaced by one of these letters (0..9).
_OMO = "LMNPQRSTUV"
_OMO_DIGIT = f"[0-9{_OMO.lower()}]"
FISCAL_SHAPE = re.compile(
    rf"[a-z]{{6}}{_OMO_DIGIT}{{2}}[abcdehlmprst]{_OMO_DIGIT}{{2}}[a-z]{_OMO_DIGIT}{{3}}[a-z]"
)
# Lengths of SEPA-area IBANs (ISO 13616 registry).
IBAN_LENGTHS = {
    "it": 27, "sm": 27, "va": 22, "de": 22, "fr": 27, "es": 24, "pt": 25, "gb": 22, "ie": 22,
    "nl": 18, "be": 16, "lu": 20, "at": 20, "ch": 21, "li": 21, "mc": 27, "ad": 24, "gr": 27,
    "cy": 28, "mt": 31, "si": 19, "hr": 21, "sk": 24, "cz": 24, "pl": 28, "hu": 28, "ro": 24,
    "bg": 22, "dk": 18, "fi": 18, "se": 24, "no": 15, "is": 26, "ee": 20, "lv": 21, "lt": 20,
}  # fmt: skip


def fiscal_code_ok(code: str) -> bool:
    """Shape, omocodia and check character of a codice fiscale."""
    code = code.upper()
    if not FISCAL_SHAPE.fullmatch(code.lower()):
        return False
    total = sum(_ODD[ch] for ch in code[0:15:2]) + sum(_EVEN[ch] for ch in code[1:15:2])
    return chr(ord("A") + total % 26) == code[15]


def vat_ok(digits: str) -> bool:
    """Check digit of a partita IVA (Luhn-like, on 11 digits)."""
    if not re.fullmatch(r"\d{11}", digits) or digits == "0" * 11:
        return False
    x = sum(int(digits[i]) for i in range(0, 10, 2))
    y = 0
    for i in range(1, 10, 2):
        d = int(digits[i]) * 2
        y += d - 9 if d > 9 else d
    return (10 - (x + y) % 10) % 10 == int(digits[10])


@dataclass(frozen=True)
class CodeSpec:
    """What one kind of code looks like and which words ask for it."""

    entity: str
    shape: re.Pattern[str]  # matched against a whole window
    lengths: tuple[int, ...]
    cues: tuple[str, ...]  # words or phrases that ask for the code, lower case
    validate: Callable[[str], bool] | None = None  # checksum; None: shape is all there is
    score_valid: float = 1.0  # shape + checksum
    score_shape: float = 0.3  # shape only, no cue (below the default min_score)
    cue_score: float = 0.6  # shape (or near length) with a cue shortly before
    near: int = 2  # with a cue, a chunk this many characters off the length still counts
    near_shape: re.Pattern[str] | None = None  # what a near-length chunk must look like
    cue_reach: int = 12  # words before the code searched for a cue
    fits: Callable[[str], bool] | None = None  # a further shape rule (an IBAN's length)
    slack: int = 2  # characters a chunk may hold beyond the code ("è" heard as "e")
    anchor_score: float = 0.0  # near length without a cue, when near_shape is telling


class SpokenCodeRecognizer(EntityRecognizer):
    """Windows of digit-bearing chunks matched against a :class:`CodeSpec`."""

    SPEC: CodeSpec

    def __init__(self, supported_language: str = "it", spec: CodeSpec | None = None):
        self.spec = spec or self.SPEC
        super().__init__(
            supported_entities=[self.spec.entity],
            name=type(self).__name__,
            supported_language=supported_language,
            context=[],  # cues are scored here: they are phrases, and may be far
        )

    def load(self) -> None:
        self._cues = [tuple(c.split()) for c in self.spec.cues]

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for m in _CHUNK.finditer(text):
            if m.start() and text[m.start() - 1].isalnum():
                continue
            cue = self._cue_before(text, m.start())
            out += self._chunk(m.group(0), m.start(), cue)
        return out

    def _chunk(self, chunk: str, offset: int, cue: bool) -> list[RecognizerResult]:
        spec = self.spec
        chars = [(ch, offset + k) for k, ch in enumerate(chunk) if ch != " "]
        flat = "".join(ch for ch, _ in chars)
        best: list[tuple[float, int, int]] = []  # (score, start, end) in flat
        for n in spec.lengths:
            if len(flat) - n > spec.slack:
                continue
            for s in range(0, len(flat) - n + 1):
                window = flat[s : s + n]
                if not spec.shape.fullmatch(window) or (spec.fits and not spec.fits(window)):
                    continue
                if spec.validate is None or spec.validate(window):
                    score = spec.score_valid if spec.validate else max(spec.score_shape, 0.0)
                    if spec.validate is None and cue:
                        score = spec.cue_score
                else:
                    score = spec.cue_score if cue else 0.0
                if score > 0:
                    best.append((score, s, s + n))
        if not best and (cue or spec.anchor_score) and spec.near:
            # the code from where it starts (its near shape) to the chunk end, a few
            # characters off its length: one was dropped, inserted or misheard
            lo, hi = min(spec.lengths) - spec.near, max(spec.lengths) + spec.near
            m = spec.near_shape.search(flat) if spec.near_shape else None
            start = m.start() if m else 0
            if (m or not spec.near_shape) and lo <= len(flat) - start <= hi:
                score = spec.cue_score - 0.1 if cue else spec.anchor_score
                best.append((score, 0, len(flat)))
        results: list[RecognizerResult] = []
        taken: list[tuple[int, int]] = []
        for score, s, e in sorted(best, key=lambda b: (-b[0], -(b[2] - b[1]), b[1])):
            if any(s < te and e > ts for ts, te in taken):
                continue
            taken.append((s, e))
            results.append(
                RecognizerResult(
                    spec.entity, chars[s][1], chars[e - 1][1] + 1, score,
                    recognition_metadata={"recognizer_name": self.name,
                                          "recognizer_identifier": self.id},
                )
            )  # fmt: skip
        return results

    def _cue_before(self, text: str, pos: int) -> bool:
        before = re.findall(r"[\w']+", text[:pos].lower())[-self.spec.cue_reach :]
        words = [w for part in before for w in part.replace("'", " ").split()]
        return any(tuple(words[k : k + len(c)]) == c for c in self._cues for k in range(len(words)))


class FiscalCodeRecognizer(SpokenCodeRecognizer):
    """Codice fiscale read aloud, spelled or written; omocodia-aware checksum."""

    SPEC = CodeSpec(
        entity="IT_FISCAL_CODE",
        shape=FISCAL_SHAPE,
        lengths=(16,),
        cues=("codice fiscale", "fiscale", "cf", "tessera sanitaria", "codice"),
        validate=fiscal_code_ok,
        # after its cue, a misheard code: letters, digits, a letter; ASR doubles and drops
        # characters ("lsssmll880a01a510121001" for "RSSMRA80A01H501U"), hence the reach
        near=8,
        near_shape=re.compile(r"[a-z]{3,}.*\d.*[a-z]"),
    )


class SpelledIbanRecognizer(SpokenCodeRecognizer):
    """IBANs of the SEPA area, spelled or written, mod-97 checked; a country-shaped run of
    the right length after "IBAN" counts even when one character was misheard."""

    SPEC = CodeSpec(
        entity="IBAN_CODE",
        shape=re.compile(rf"(?:{'|'.join(IBAN_LENGTHS)})\d\d[a-z0-9]+"),
        lengths=tuple(sorted(set(IBAN_LENGTHS.values()))),
        cues=("iban", "conto", "conto corrente", "coordinate bancarie", "bonifico", "account"),
        validate=iban_ok,
        fits=lambda w: IBAN_LENGTHS.get(w[:2]) == len(w),
        slack=8,  # "il mio IBAN è" itself spelled into the run ("i m e i t 6 0 ...")
        near=3,
        # a SEPA country code and two check digits, then at least eleven characters; or
        # an Italian IBAN whose "IT" was lost: check digits, the CIN letter, ABI and CAB
        near_shape=re.compile(
            rf"(?:{'|'.join(IBAN_LENGTHS)})\d\d(?=[a-z0-9]{{11}})|(?<![a-z])\d\d[a-z]\d{{10}}"
        ),
        anchor_score=0.5,
    )


class VatCodeRecognizer(SpokenCodeRecognizer):
    """Partita IVA: 11 digits with a check digit. Valid ones are found by Presidio's stock
    recognizer; this one adds the fail-closed case (a cue and 10-12 digits)."""

    SPEC = CodeSpec(
        entity="IT_VAT_CODE",
        shape=re.compile(r"\d{11}"),
        lengths=(11,),
        cues=("partita iva", "iva", "p iva", "piva", "partita"),
        validate=vat_ok,
        slack=0,  # eleven digits inside a longer run are part of something else
        near=1,
        near_shape=re.compile(r"^\d+$"),
    )


class IdentityCardRecognizer(SpokenCodeRecognizer):
    """Carta d'identità: CIE 3.0 "CA12345AB", CIE 2.0 "1234567AB", paper "AB1234567".
    No checksum exists, so the shape alone is weak and a cue makes it count."""

    SPEC = CodeSpec(
        entity="IT_IDENTITY_CARD",
        shape=re.compile(r"[a-z]{2}\d{5}[a-z]{2}|\d{7}[a-z]{2}|[a-z]{2}\d{7}"),
        lengths=(9,),
        cues=("carta d'identità", "carta d identità", "carta di identità", "identità",
              "documento", "cie", "carta identità", "numero del documento"),
        validate=None,
        slack=1,
        score_shape=0.3,
        cue_score=0.85,
        near=1,
        near_shape=re.compile(r"^(?=.*[a-z])(?=(?:.*\d){5})"),  # from the chunk start
    )  # fmt: skip
