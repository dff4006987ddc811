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
    "explains",
    "health_context_findings",
    "PaymentWindow",
    "AnswerWindow",
    "contact_windows",
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
        "went through", "gone through", "been processed", "is processed", "was successful",
        "payment is complete", "approved", "anything else", "all done", "that's done",
        "is that everything", "payment has", "been taken", "confirmation", "receipt",
        "successful", "all set",
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
MONTH_NAMES = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr",
           "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
}  # fmt: skip


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


CONTACT_CUES = {
    "en": {
        "PHONE_NUMBER": ("phone number", "mobile number", "contact number", "phone", "mobile",
                         "telephone", "landline", "call you on", "reach you"),
        "EMAIL_ADDRESS": ("email", "e-mail", "email address", "mail address"),
        "IBAN_CODE": ("iban", "account number", "sort code", "bank details", "bank account"),
        "HEALTH": ("medical conditions", "medical condition", "any conditions", "medication",
                   "medications", "medical history", "health conditions", "your health",
                   "any allergies", "pre-existing", "preexisting"),
    },
    "it": {
        "PHONE_NUMBER": ("numero di telefono", "cellulare", "telefono", "recapito"),
        "EMAIL_ADDRESS": ("email", "e-mail", "indirizzo email", "posta elettronica"),
        "IBAN_CODE": ("iban", "conto corrente", "coordinate bancarie"),
        "HEALTH": ("condizioni mediche", "patologie", "farmaci", "terapie", "stato di salute",
                   "allergie"),
    },
}  # fmt: skip


@dataclass(frozen=True)
class AnswerWindow:
    """The answer to a request for contact or bank details: everything said in it is
    redacted, because spelled-out addresses and numbers are the words ASR mangles most."""

    start: float
    end: float
    entity_type: str


def contact_windows(
    timeline: list[Token],
    policy: RedactionPolicy,
    language: str = "en",
    max_seconds: float = 15.0,
    close_run: int = 4,
) -> list[AnswerWindow]:
    """Windows from the end of a request for a phone number, e-mail or IBAN (skipping the
    rest of the request sentence) to the first run of ``close_run`` confidently recognised
    ordinary words (the conversation has moved on), at most ``max_seconds`` long."""
    cues = CONTACT_CUES.get(language, CONTACT_CUES["en"])
    words = [t.text for t in timeline]
    out: list[AnswerWindow] = []
    for entity, phrases in cues.items():
        for i in _phrases(words, phrases):
            # skip to the end of the request: a sentence end or a pause of 0.5 s
            k = i
            while (
                k + 1 < len(timeline)
                and not timeline[k].sentence_end
                and (timeline[k + 1].start - timeline[k].end < 0.5)
            ):
                k += 1
            start = timeline[k].end
            end = start + max_seconds
            run, run_start = 0, start
            for t in timeline[k + 1 :]:
                if t.start >= end:
                    break
                if not trusted(t, max(policy.low_confidence, 0.7)):
                    run = 0
                    continue
                if run == 0:
                    run_start = t.start
                run += 1
                if run == close_run:
                    end = min(end, run_start)
                    break
            if end > start:
                out.append(AnswerWindow(start, end, entity))
    return out


HEALTH_LEADS = {
    "en": ("i'm on", "i am on", "i take", "i'm taking", "i am taking", "i've had", "i have had",
           "i had", "i have", "i've got", "i was treated for", "treated for", "i suffer",
           "diagnosed", "i'm having", "i am having", "i'm still having", "i'm being treated"),
    "it": ("prendo", "sto prendendo", "ho avuto", "ho il", "ho la", "ho un", "ho una",
           "soffro", "mi curo", "faccio"),
}  # fmt: skip


def health_context_findings(
    tokens: list[Token],
    channel: int,
    context: list[tuple[float, float]],
    language: str = "en",
    reach: int = 4,
) -> list[Finding]:
    """In a health conversation (``context``: time spans after a health question or a health
    finding), what follows "I'm on", "I take", "I've had" is health data even when ASR
    garbled it beyond the lexicon ("I'm on that for a minute" for "metformin"): up to
    ``reach`` tokens, stopping at a sentence end or a pause."""
    leads = HEALTH_LEADS.get(language, HEALTH_LEADS["en"])
    words = [t.text for t in tokens]
    out = []
    for i in _phrases(words, leads):
        n = next(
            len(p.split())
            for p in leads
            if tuple(words[i : i + len(p.split())]) == tuple(p.split())
        )
        j = i + n
        if j >= len(tokens) or not any(s <= tokens[j].start <= e for s, e in context):
            continue
        k = j
        while (
            k + 1 < len(tokens)
            and k - j + 1 < reach
            and not tokens[k].sentence_end
            and (_plausible_start(tokens[k + 1]) - tokens[k].end < 0.7)
        ):
            k += 1
        out.append(
            Finding("HEALTH", 0.5, "HealthContextRule", channel, j, k, tokens[j].start,
                    tokens[k].end, " ".join(words[j : k + 1]))
        )  # fmt: skip
    return out


def _plausible_start(tok: Token) -> float:
    """Where a token most likely starts: ASR stretches a word back over a preceding pause."""
    longest = 0.3 + 0.45 * max(len(tok.digits), len(tok.text) / 6)
    return max(tok.start, tok.end - longest)


def _in_windows(t0: float, t1: float, windows: list[PaymentWindow], slack: float = 0.0) -> bool:
    return any(t0 < w.end + slack and t1 > w.start - slack for w in windows)


def _numberish(tok: Token, language: str) -> bool:
    """A number, or what ASR writes for a half-heard digit: a digit homophone ("for",
    "to", "ate") or a stray single letter ("m" for "seven" on a narrowband line)."""
    from redactor.tokens import homophones

    t = tok.text
    return (
        tok.is_number
        or t in homophones(language)
        or (len(t) == 1 and t.isalpha() and t not in "ai")
        or t in MONTH_NAMES.get(language, ())
    )


def numbers_in_payment(
    tokens: list[Token],
    channel: int,
    windows: list[PaymentWindow],
    language: str = "en",
) -> list[Finding]:
    """Every digit-bearing run of ``channel`` inside a payment window, bar harmless ones.

    Runs include digit homophones and stray letters next to numbers; a run needs at least
    one real number or three number-ish tokens.
    """
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    numberish = [_numberish(t, language) for t in tokens]
    out: list[Finding] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not numberish[i] or not _in_windows(tok.start, tok.end, windows, slack=1.0):
            i += 1
            continue
        j = _run_end(tokens, i, numberish)
        # a short, unsure word right before the run is often its first digit misheard
        # ("back i'm 5 9 3" for "back 5 5 9 3")
        if (
            i > 0
            and not numberish[i - 1]
            and len(tokens[i - 1].text) <= 3
            and (tokens[i - 1].probability < 0.8)
        ):
            i -= 1
        run = tokens[i : j + 1]
        digits = "".join(t.digits for t in run)
        if not digits and sum(numberish[i : j + 1]) < 3:
            i = j + 1
            continue
        nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
        harmless = (nxt in units or any(nxt.startswith(u) for u in units if len(u) > 3)) or (
            _after_label(tokens, i, labels) and len(digits) < 13
        )
        if not harmless:
            out.append(
                Finding(
                    entity_type=_shape(digits or "0" * sum(numberish[i : j + 1])),
                    score=0.5,
                    recognizer="PaymentDialogueRule",
                    channel=channel,
                    first=i,
                    last=j,
                    start=tokens[i].start,
                    end=tokens[j].end,
                    text=" ".join(t.text for t in run),
                )
            )
        i = j + 1
    return out


def _run_end(tokens: list[Token], i: int, numberish: list[bool]) -> int:
    """End of the number-ish run starting at ``i``; it reaches over one short other token
    ("4 7 and 6 3") when more number-ish tokens follow."""
    j = i
    while True:
        k = j + 1
        if k < len(tokens) and not numberish[k] and len(tokens[k].text) <= 3:
            k += 1
        if k < len(tokens) and numberish[k]:
            j = k
            continue
        return j


def _shape(digits: str) -> str:
    if len(digits) >= 12:
        return "CREDIT_CARD"
    if len(digits) in (3, 4) and not re.fullmatch(r"(0[1-9]|1[0-2])\d\d", digits):
        return "CARD_SECURITY_CODE"
    if len(digits) in (3, 4, 6):
        return "CARD_EXPIRY"
    return "CREDIT_CARD" if len(digits) > 6 else "CARD_SECURITY_CODE"


def explains(tok: Token, min_probability: float, language: str = "en") -> bool:
    """An ordinary word (not a number, not number-ish) confident and plausibly timed enough
    to account for the speech under it."""
    return not _numberish(tok, language) and _plausible(tok, min_probability)


def trusted(tok: Token, min_probability: float) -> bool:
    """A word whose timing we believe: confident, not a number, and of plausible length."""
    return not tok.is_number and _plausible(tok, min_probability)


def _plausible(tok: Token, min_probability: float) -> bool:
    if tok.probability < min_probability:
        return False
    duration = tok.end - tok.start
    longest = 0.45 + (0.5 * len(tok.digits) if tok.digits else 0.1 * len(tok.text))
    return 0.0 < duration <= longest


def unexplained_speech(
    speech: list[tuple[float, float]],
    tokens: list[Token],
    min_probability: float,
    min_len: float = 0.25,
) -> list[tuple[float, float]]:
    """Parts of ``speech`` (VAD regions of one channel) that no trusted word covers."""
    # numbers explain speech too: inside a payment dialogue they are findings anyway
    covered = sorted((t.start, t.end) for t in tokens if _plausible(t, min_probability))
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
