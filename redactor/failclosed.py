"""Fail-closed rules: the transcript is evidence, not truth.

Speech recognition drops lead-ins ("security code" heard as "free ticket"), merges short
answers into the next sentence, stamps digit runs at the wrong time and mishears digits. So,
beyond what the recognizers find, we redact:

1. **Numbers inside a payment dialogue.** The dialogue opens when anyone mentions a card,
   expiry or security code (or a card number is found) and stays open until the conversation
   has demonstrably moved on: a closing phrase ("payment went through"), or
   ``payment_window_words`` words / ``payment_window_seconds`` seconds without a payment cue
   or a number. Inside it every token that carries digits is sensitive, except a number with
   a unit ("twenty minutes") or a reference label ("order number ...") in front.
2. **Unexplained speech** - voice activity that no confidently timed word accounts for - when
   it lies inside a payment dialogue or within
   ``redact_unexplained_speech_near_findings`` seconds of a finding.

The rules are pure functions of tokens, findings, speech regions and the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policies.redaction import RedactionPolicy
from redactor.detect import Finding
from redactor.tokens import Token

__all__ = [
    "PaymentWindow",
    "keep_in_context",
    "payment_windows",
    "numbers_in_payment",
    "unexplained_speech",
    "trusted",
    "PAYMENT_CUES",
]

PAYMENT_CUES = {
    "en": (
        "card", "credit", "debit", "visa", "mastercard", "amex", "expiry", "expiration",
        "expires", "expire", "security code", "cvv", "cvc", "csc", "three digits",
        "last three", "long number", "valid until", "valid thru", "back of the card",
        "card number", "name on the card",
    ),
    "it": (
        "carta", "credito", "debito", "bancomat", "scadenza", "scade", "sicurezza", "cvv",
        "cifre", "pagamento", "pagare", "iban", "conto",
    ),
}  # fmt: skip
CLOSING = {
    "en": (
        "went through", "been processed", "is processed", "was successful", "payment is complete",
        "approved", "anything else", "all done", "that's done", "is that everything",
        "payment has", "confirmation", "receipt",
    ),
    "it": ("andato a buon fine", "completato", "approvato", "altro", "ricevuta", "conferma"),
}  # fmt: skip
UNITS = {
    "en": (
        "minute", "minutes", "hour", "hours", "second", "seconds", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "percent", "pounds", "pound", "dollars",
        "dollar", "euros", "euro", "pence", "cents", "items", "times", "o'clock", "am", "pm",
        "quid", "bucks", "people", "kilos", "miles",
    ),
    "it": ("minuti", "minuto", "ore", "ora", "giorni", "giorno", "settimane", "mesi", "anni",
           "euro", "per cento", "volte"),
}  # fmt: skip
REFERENCE_LABELS = {
    "en": ("order", "reference", "ref", "ticket", "case", "invoice", "tracking", "booking",
           "confirmation", "account", "policy", "customer", "claim"),
    "it": ("ordine", "pratica", "riferimento", "fattura", "cliente", "contratto"),
}  # fmt: skip
CARD_LIKE = ("CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY")


@dataclass(frozen=True)
class PaymentWindow:
    start: float
    end: float


def _phrases(words: list[str], phrases) -> list[int]:
    """Indices in ``words`` where any phrase (space separated) starts."""
    hits = []
    split = [tuple(p.split()) for p in phrases]
    for i in range(len(words)):
        for p in split:
            if tuple(words[i : i + len(p)]) == p:
                hits.append(i)
                break
    return hits


def payment_windows(
    timeline: list[Token], findings: list[Finding], policy: RedactionPolicy, language: str = "en"
) -> list[PaymentWindow]:
    """Time windows in which the conversation (all channels, by time) is about a payment."""
    words = [t.text for t in timeline]
    cue_at = set(_phrases(words, PAYMENT_CUES.get(language, PAYMENT_CUES["en"])))
    close_at = set(_phrases(words, CLOSING.get(language, CLOSING["en"])))
    card_times = [(f.start, f.end) for f in findings if f.entity_type == "CREDIT_CARD"]
    for i, tok in enumerate(timeline):
        if any(s - 0.05 <= tok.start <= e + 0.05 for s, e in card_times):
            cue_at.add(i)
    windows: list[PaymentWindow] = []
    open_start: float | None = None
    last_cue_t = 0.0
    quiet_words = 0
    for i, tok in enumerate(timeline):
        if i in cue_at:
            if open_start is None:
                open_start = tok.start
            last_cue_t = tok.end
            quiet_words = 0
            continue
        if open_start is None:
            continue
        if i in close_at:
            windows.append(PaymentWindow(open_start, tok.start))
            open_start = None
            continue
        if tok.is_number:
            last_cue_t = tok.end
            quiet_words = 0
            continue
        quiet_words += 1
        if (
            quiet_words > policy.payment_window_words
            or tok.start - last_cue_t > policy.payment_window_seconds
        ):
            windows.append(PaymentWindow(open_start, last_cue_t))
            open_start = None
    if open_start is not None:
        end = max(last_cue_t, timeline[-1].end if timeline else last_cue_t)
        end = min(end, last_cue_t + policy.payment_window_seconds)
        windows.append(PaymentWindow(open_start, end))
    return windows


def _after_label(tokens: list[Token], i: int, labels, reach: int = 6) -> bool:
    """A reference label ('order number', 'booking reference') shortly before token ``i``,
    in the same sentence."""
    for k in range(i - 1, max(-1, i - 1 - reach), -1):
        if tokens[k].sentence_end and not tokens[k].is_number:
            return False
        if tokens[k].text in labels:
            return True
    return False


def keep_in_context(
    findings: list[Finding],
    tokens: list[Token],
    windows: list[PaymentWindow],
    language: str = "en",
) -> list[Finding]:
    """Short-number findings (security codes, expiry dates, card-like runs under 13 digits)
    only count inside a payment dialogue and never right after a reference label: a bare
    three-digit number elsewhere is an order number or a time, not a security code."""
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out = []
    for f in findings:
        short = f.entity_type in ("CARD_SECURITY_CODE", "CARD_EXPIRY") or (
            f.entity_type == "CREDIT_CARD" and len(re.sub(r"\D", "", f.text)) < 13
        )
        if short and (
            not _in_windows(f.start, f.end, windows, slack=1.0)
            or _after_label(tokens, f.first, labels)
        ):
            continue
        out.append(f)
    return out


def _in_windows(t0: float, t1: float, windows: list[PaymentWindow], slack: float = 0.0) -> bool:
    return any(t0 < w.end + slack and t1 > w.start - slack for w in windows)


def numbers_in_payment(
    tokens: list[Token],
    channel: int,
    windows: list[PaymentWindow],
    language: str = "en",
) -> list[Finding]:
    """Every digit-bearing token of ``channel`` inside a payment window, bar harmless ones."""
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    out: list[Finding] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.is_number or not _in_windows(tok.start, tok.end, windows, slack=1.0):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].is_number and not tokens[j].sentence_end:
            j += 1
        digits = "".join(t.digits for t in tokens[i : j + 1])
        nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
        harmless = (nxt in units or any(nxt.startswith(u) for u in units if len(u) > 3)) or (
            _after_label(tokens, i, labels) and len(digits) < 13
        )
        if not harmless:
            entity = _shape(digits)
            out.append(
                Finding(
                    entity_type=entity,
                    score=0.5,
                    recognizer="PaymentDialogueRule",
                    channel=channel,
                    first=i,
                    last=j,
                    start=tokens[i].start,
                    end=tokens[j].end,
                    text=" ".join(t.text for t in tokens[i : j + 1]),
                )
            )
        i = j + 1
    return out


def _shape(digits: str) -> str:
    if len(digits) >= 12:
        return "CREDIT_CARD"
    if len(digits) in (3, 4) and not re.fullmatch(r"(0[1-9]|1[0-2])\d\d", digits):
        return "CARD_SECURITY_CODE"
    if len(digits) in (3, 4, 6):
        return "CARD_EXPIRY"
    return "CREDIT_CARD" if len(digits) > 6 else "CARD_SECURITY_CODE"


def trusted(tok: Token, min_probability: float) -> bool:
    """A word whose timing we believe: confident, not a number, and of plausible length."""
    if tok.is_number or tok.probability < min_probability:
        return False
    duration = tok.end - tok.start
    return 0.0 < duration <= 0.45 + 0.1 * len(tok.text)


def unexplained_speech(
    speech: list[tuple[float, float]],
    tokens: list[Token],
    min_probability: float,
    min_len: float = 0.12,
) -> list[tuple[float, float]]:
    """Parts of ``speech`` (VAD regions of one channel) that no trusted word covers."""
    covered = sorted((t.start, t.end) for t in tokens if trusted(t, min_probability))
    out: list[tuple[float, float]] = []
    for s, e in speech:
        cur = s
        for cs, ce in covered:
            if ce <= cur or cs >= e:
                continue
            if cs > cur:
                out.append((cur, cs))
            cur = max(cur, ce)
            if cur >= e:
                break
        if cur < e:
            out.append((cur, e))
    return [(s, e) for s, e in out if e - s >= min_len]
