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
from dataclasses import dataclass, replace

from policies.redaction import RedactionPolicy
from redactor.detect import Finding
from redactor.tokens import Token

__all__ = [
    "explains",
    "health_context_findings",
    "PaymentWindow",
    "AnswerWindow",
    "contact_windows",
    "dictation_windows",
    "DICTATION",
    "keep_in_context",
    "payment_windows",
    "numbers_in_payment",
    "unexplained_speech",
    "solo_speech",
    "utterance_starts",
    "unheard_to_redact",
    "distrust_loops",
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
        "carta", "credito", "debito", "bancomat", "prepagata", "postepay", "visa",
        "mastercard", "amex", "scadenza", "scade", "scadere", "valida fino", "sicurezza",
        "cvv", "cvc", "cv2", "cifre", "tre cifre", "ultime tre", "retro della carta",
        "numero della carta", "intestatario", "titolare della carta", "pagamento", "pagare",
        "addebito", "iban", "l'iban", "conto",
    ),
}  # fmt: skip
CLOSING = {
    "en": (
        "went through", "gone through", "been processed", "is processed", "was successful",
        "payment is complete", "approved", "anything else", "all done", "that's done",
        "is that everything", "payment has", "been taken", "confirmation", "receipt",
        "successful", "all set",
    ),
    # not "conferma" or "altro" alone: "mi conferma il numero?", "un altro numero"
    "it": ("andato a buon fine", "andata a buon fine", "completato", "completata",
           "approvato", "approvata", "è stato effettuato", "pagamento effettuato",
           "pagamento riuscito", "nient'altro", "qualcos'altro", "posso fare altro",
           "serve altro", "c'è altro", "ricevuta", "email di conferma", "mail di conferma",
           "sms di conferma", "tutto a posto", "tutto fatto", "abbiamo finito",
           "pagamento registrato", "è stato registrato"),
}  # fmt: skip
UNITS = {
    "en": (
        "minute", "minutes", "hour", "hours", "second", "seconds", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "percent", "pounds", "pound", "dollars",
        "dollar", "euros", "euro", "pence", "cents", "items", "times", "o'clock", "am", "pm",
        "quid", "bucks", "people", "kilos", "miles",
        # a count of digits is not a digit: "the three digits on the back"
        "digit", "digits", "numbers", "characters",
    ),
    # not "ora" (also "now") or "per": "3 2 1, ora la scadenza", "3 2 1 per favore"
    "it": ("minuti", "minuto", "secondi", "ore", "giorni", "giorno", "settimana",
           "settimane", "mese", "mesi", "anno", "anni", "euro", "centesimi", "percento",
           "volte", "rate", "persone", "pezzi", "chili", "chilometri", "metri", "dollari",
           "sterline", "notti"),
}  # fmt: skip
REFERENCE_LABELS = {
    "en": ("order", "reference", "ref", "ticket", "case", "invoice", "tracking", "booking",
           "confirmation", "account", "policy", "customer", "claim"),
    "it": ("ordine", "pratica", "riferimento", "fattura", "cliente", "contratto", "ticket",
           "protocollo", "spedizione", "tracking", "prenotazione", "polizza", "sinistro",
           "utenza", "bolletta", "segnalazione", "reclamo", "d'ordine", "dell'ordine",
           "tracciamento"),
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


def _phrases(words: list[str], phrases, fuzzy: bool = False) -> list[int]:
    """Indices in ``words`` where any phrase (space separated) starts. With ``fuzzy``, a
    phrase word of 7+ letters also matches a word ASR misheard from it (same first three
    letters, similarity >= 0.7: "patronia" for "patologia", "fiscali" for "fiscale")."""
    hits = []
    split = [tuple(p.split()) for p in phrases]
    for i in range(len(words)):
        for p in split:
            got = tuple(words[i : i + len(p)])
            if got == p or (fuzzy and len(got) == len(p) and all(map(_sounds_like, p, got))):
                hits.append(i)
                break
    return hits


def _sounds_like(cue: str, word: str) -> bool:
    if cue == word:
        return True
    # elided forms ("dell'iban") are their short word plus an article: "della" is no cue
    if len(cue) < 7 or "'" in cue or cue[:3] != word[:3] or abs(len(cue) - len(word)) > 2:
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, cue, word).ratio() >= 0.7


# Languages whose contact and health requests are matched with _sounds_like
FUZZY_CUES = frozenset({"it"})


def payment_windows(
    timeline: list[Token], findings: list[Finding], policy: RedactionPolicy, language: str = "en"
) -> list[PaymentWindow]:
    """Time windows in which the conversation (all channels, by time) is about a payment.

    A window ends at a closing phrase, or ``payment_answer_seconds`` after the sentence of
    its last cue or number once the conversation has gone quiet (``payment_window_words``
    words or ``payment_window_seconds`` s without one) or the call has ended: long enough
    for an answer to the last question that ASR did not hear to start, and no longer - a
    window left open to the end of the call silenced every unrecognised word of the
    goodbye. A harmless
    number (with a unit, or after a reference label) does not keep the dialogue open: an
    order number read after the payment is not a payment detail."""
    units = UNITS.get(language, UNITS["en"])
    labels = REFERENCE_LABELS.get(language, REFERENCE_LABELS["en"])
    answer = policy.payment_answer_seconds
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
    last_cue_i = 0
    quiet_words = 0
    for i, tok in enumerate(timeline):
        if i in cue_at:
            if open_start is None:
                open_start = tok.start
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            continue
        if open_start is None:
            continue
        if i in close_at:
            windows.append(PaymentWindow(open_start, tok.start))
            open_start = None
            continue
        if tok.is_number and not _harmless_number(timeline, i, units, labels):
            last_cue_t, last_cue_i = tok.end, i
            quiet_words = 0
            continue
        # a decoding loop ("e tu e tu e tu ...", probability zeroed) is no conversation
        # moving on: base looped over a security code and closed the dialogue before
        # the read-back
        quiet_words += tok.probability > 0.0
        if (
            quiet_words > policy.payment_window_words
            or tok.start - last_cue_t > policy.payment_window_seconds
        ):
            end = _sentence_end(timeline, last_cue_i) + answer
            windows.append(PaymentWindow(open_start, min(end, tok.start)))
            open_start = None
    if open_start is not None:
        windows.append(PaymentWindow(open_start, _sentence_end(timeline, last_cue_i) + answer))
    return windows


def _sentence_end(tokens: list[Token], i: int, pause: float = 0.5) -> float:
    """End of the sentence token ``i`` is in: the next sentence end or pause of ``pause`` s
    (the rest of a question: "the security code *on the back please*")."""
    k = i
    while (
        k + 1 < len(tokens)
        and not tokens[k].sentence_end
        and (tokens[k + 1].start - tokens[k].end < pause)
    ):
        k += 1
    return max(tokens[i].end, tokens[k].end) if tokens else 0.0


def _harmless_number(tokens: list[Token], i: int, units, labels) -> bool:
    """A number token followed by a unit ("twenty minutes") or shortly after a reference
    label ("order number ..."), shorter than a card number."""
    nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
    with_unit = nxt in units or any(nxt.startswith(u) for u in units if len(u) > 3)
    return with_unit or (_after_label(tokens, i, labels) and len(tokens[i].digits) < 13)


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
        "PHONE_NUMBER": ("numero di telefono", "numero di cellulare", "cellulare", "telefono",
                         "recapito", "recapito telefonico", "numero fisso", "whatsapp",
                         "ricontattare", "ricontattarla", "richiamare", "richiamarla"),
        # tokens keep elisions ("l'iban"), so the elided forms are cues of their own
        "EMAIL_ADDRESS": ("email", "e-mail", "mail", "indirizzo email", "indirizzo mail",
                          "l'email", "l'e-mail", "un'email", "l'indirizzo email",
                          "posta elettronica", "pec"),
        "IBAN_CODE": ("iban", "l'iban", "dell'iban", "conto corrente", "coordinate bancarie",
                      "numero di conto"),
        "HEALTH": ("condizioni mediche", "patologia", "patologie", "malattia", "malattie",
                   "farmaci", "terapie",
                   "stato di salute", "problemi di salute", "allergie", "ricoveri",
                   "interventi chirurgici"),
        "IT_FISCAL_CODE": ("codice fiscale", "tessera sanitaria"),
        "IT_VAT_CODE": ("partita iva", "p iva", "piva"),
        "IT_IDENTITY_CARD": ("carta d'identità", "carta di identità", "carta identità",
                             "documento d'identità", "documento di identità",
                             "documento di riconoscimento", "numero del documento",
                             "estremi del documento"),
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
    ordinary words (the conversation has moved on) or the next such request, at most
    ``max_seconds`` long. The next request ends the answer even when ASR was unsure of one
    of its words ("and you're email address"): it is the agent asking, not the customer
    answering."""
    cues = CONTACT_CUES.get(language, CONTACT_CUES["en"])
    words = [t.text for t in timeline]
    sure = max(policy.low_confidence, 0.7)
    fuzzy = language in FUZZY_CUES
    requests = sorted(
        _request_start(timeline, i, sure)
        for ps in cues.values()
        for i in _phrases(words, ps, fuzzy)
    )
    out: list[AnswerWindow] = []
    for entity, phrases in cues.items():
        for i in _phrases(words, phrases, fuzzy):
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
            # runs are counted per channel: the customer's echo on the agent's channel is
            # transcribed too, and two channels' copies of "three times a week" are not a
            # run of four words
            runs: dict[int, tuple[int, float]] = {}
            for t in timeline[k + 1 :]:
                if t.start >= end:
                    break
                if not trusted(t, max(policy.low_confidence, 0.7)):
                    runs[t.channel] = (0, t.start)
                    continue
                run, run_start = runs.get(t.channel, (0, t.start))
                if run == 0:
                    run_start = t.start
                runs[t.channel] = (run + 1, run_start)
                if run + 1 == close_run:
                    end = min(end, run_start)
                    break
            end = min([end] + [r for r in requests if r > start])
            if end > start:
                out.append(AnswerWindow(start, end, entity))
    if language in DICTATION:
        out += dictation_windows(timeline, policy, language, requests, max_seconds, close_run)
    return out


# Per language: how many letters a spelled run (joined by redactor.spelling) needs to count
# as a caller dictating a code, and how many times an n-gram must repeat back to back to
# count as a decoding loop. Only languages whose pipeline joins spelled runs.
DICTATION = {"it": {"letters": 3, "loop_repeats": 3, "loop_tokens": 12}}


def dictation_windows(
    timeline: list[Token],
    policy: RedactionPolicy,
    language: str,
    requests: list[float] = (),
    max_seconds: float = 15.0,
    close_run: int = 4,
) -> list[AnswerWindow]:
    """Answer windows that need no request: a caller spelling a code and a decoding loop.

    * **Spelling.** Someone saying "erre come Roma, emme come Milano" is dictating a code
      (a codice fiscale, an IBAN, a document number) even when ASR lost the request
      ("il comico di che ti scale" for "il codice fiscale") and every other character
      ("che" for "tre"). From the spelled run to the first run of ``close_run`` confident
      ordinary words or the next request, at most ``max_seconds`` after the run.
    * **Loops.** An n-gram repeated back to back ("buongiorno per mi stio clienti sono
      julia" eight times, stamped over 24 s of a codice fiscale) means ASR heard nothing it
      could write there: the speech under the repeats is unheard, so it is silenced.
    """
    table = DICTATION[language]
    sure = max(policy.low_confidence, 0.7)
    out: list[AnswerWindow] = []
    for k, tok in enumerate(timeline):
        if not _spelled(tok, table["letters"]):
            continue
        cap = tok.end + max_seconds
        end, run, run_start = cap, 0, tok.end
        for t in timeline[k + 1 :]:
            if t.start >= cap:
                break
            if t.channel != tok.channel:
                continue
            if not trusted(t, sure):
                run = 0
                continue
            run, run_start = run + 1, (t.start if run == 0 else run_start)
            if run == close_run:
                end = run_start
                break
        end = min([end] + [r for r in requests if r > tok.end])
        out.append(AnswerWindow(tok.start, max(end, tok.end), _code_entity(tok.text)))
    for s, e in _loops(timeline, table["loop_repeats"], table["loop_tokens"]):
        out.append(AnswerWindow(s, e, "PAYMENT_UNHEARD"))
    return out


def _spelled(tok: Token, letters: int) -> bool:
    """A token :mod:`redactor.spelling` joined from a spelled run: several words, one
    string of letters and digits with at least ``letters`` letters."""
    return (
        len(tok.raw.split()) >= 3
        and tok.text.isascii()
        and tok.text.isalnum()
        and sum(ch.isalpha() for ch in tok.text) >= letters
    )


def _code_entity(code: str) -> str:
    """The likeliest code a spelled run starts: an IBAN (country, check digits), a codice
    fiscale (surname letters) or an identity-card number."""
    if re.match(r"[a-z]{2}\d\d", code):
        return "IBAN_CODE"
    if re.match(r"[a-z]{3}", code):
        return "IT_FISCAL_CODE"
    return "IT_IDENTITY_CARD"


def _loops(
    timeline: list[Token], repeats: int, min_tokens: int, max_n: int = 12
) -> list[tuple[float, float]]:
    """Time spans of decoding loops in one channel's words: an n-gram (n >= 2) said
    ``repeats`` or more times back to back, ``min_tokens`` tokens in all. The span starts
    at the first repeat (the first saying may be real) and ends with the last."""
    out: list[tuple[float, float]] = []
    for ch in sorted({t.channel for t in timeline}):
        toks = [t for t in timeline if t.channel == ch]
        texts = [t.text for t in toks]
        i = 0
        while i < len(toks):
            best = 0
            for n in range(2, max_n + 1):
                reps = 1
                while texts[i + reps * n : i + (reps + 1) * n] == texts[i : i + n]:
                    reps += 1
                if reps >= repeats and reps * n >= min_tokens:
                    best = max(best, reps * n)
                    span = (toks[i + n].start, toks[i + reps * n - 1].end)
            if best:
                out.append(span)
                i += best
            else:
                i += 1
    return out


def _request_start(tokens: list[Token], i: int, sure: float) -> float:
    """Where the request whose cue is token ``i`` starts: back over the confidently
    recognised ordinary words just before it ("and your *email*"), within its sentence."""
    j = i
    while (
        j > 0
        and not tokens[j - 1].sentence_end
        and tokens[j].start - tokens[j - 1].end < 0.5
        and trusted(tokens[j - 1], sure)
        and not tokens[j - 1].is_number
    ):
        j -= 1
    return tokens[j].start


HEALTH_LEADS = {
    "en": ("i'm on", "i am on", "i take", "i'm taking", "i am taking", "i've had", "i have had",
           "i had", "i have", "i've got", "i was treated for", "treated for", "i suffer",
           "diagnosed", "i'm having", "i am having", "i'm still having", "i'm being treated"),
    # longer phrases first: the first phrase that matches decides where the lead ends
    "it": ("sto prendendo", "sto assumendo", "devo prendere", "prendo", "assumo",
           "ho avuto", "ho il", "ho la", "ho un", "ho una", "soffro di", "soffro",
           "sono in cura per", "mi curo per", "mi curo", "mi hanno operato", "sono stato operato",
           "sono stata operata", "faccio la", "faccio le", "faccio il", "uso"),
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


# one-letter words that are words, not a half-heard digit ("e" is "and" in Italian)
_ONE_LETTER_WORDS = {"en": "ai", "it": "aeioèéòà"}


def _numberish(tok: Token, language: str) -> bool:
    """A number, or what ASR writes for a half-heard digit: a digit homophone ("for",
    "to", "ate") or a stray single letter ("m" for "seven" on a narrowband line)."""
    from redactor.tokens import homophones

    t = tok.text
    return (
        tok.is_number
        or t in homophones(language)
        or (len(t) == 1 and t.isalpha() and t not in _ONE_LETTER_WORDS.get(language, "ai"))
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
        j = _run_end(tokens, i, numberish, language)
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


# Languages in which a run also reaches over one longer word said without a pause on
# either side: base glues a spoken separator to the digit after it ("0 3 bardamenti 6" for
# "zero tre barra ventisei").
_BRIDGE_GLUED = {"it": 0.3}


def _run_end(tokens: list[Token], i: int, numberish: list[bool], language: str = "en") -> int:
    """End of the number-ish run starting at ``i``; it reaches over one short other token
    ("4 7 and 6 3") when more number-ish tokens follow."""
    glued = _BRIDGE_GLUED.get(language)
    j = i
    while True:
        k = j + 1
        if (
            k < len(tokens)
            and not numberish[k]
            and (
                len(tokens[k].text) <= 3
                or (
                    glued is not None
                    and k + 1 < len(tokens)
                    and tokens[k].start - tokens[j].end <= glued
                    and tokens[k + 1].start - tokens[k].end <= glued
                )
            )
        ):
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


_HOMOPHONES_UNHEARD = frozenset({"it"})


def unexplained_speech(
    speech: list[tuple[float, float]],
    tokens: list[Token],
    min_probability: float,
    min_len: float = 0.25,
    language: str = "en",
) -> list[tuple[float, float]]:
    """Parts of ``speech`` (VAD regions of one channel) that no trusted word covers."""
    from redactor.tokens import homophones

    # numbers explain speech too: inside a payment dialogue they are findings anyway; in
    # the languages below a lone digit homophone does not ("mi accinarra mentre nome?"
    # for "dieci barra ventinove": "nome" is no word of that answer, and no finding)
    unsure = homophones(language) if language in _HOMOPHONES_UNHEARD else {}
    covered = sorted(
        (t.start, t.end)
        for t in tokens
        if _plausible(t, min_probability) and not (t.text in unsure and not t.is_number)
    )
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


def solo_speech(
    own: list[tuple[float, float]], other: list[tuple[float, float]], margin: float = 0.15
) -> list[tuple[float, float]]:
    """Parts of one channel's voice activity (``own``) while the other channel of a
    two-channel call is silent (its regions widened by ``margin`` s for the echo delay):
    only this channel's speaker is talking. The customer's speech reaches the agent's
    channel as an echo, never the other way round, so the agent's solo speech is the agent
    alone."""
    widened = [(max(0.0, s - margin), e + margin) for s, e in other]
    return _subtract(own, widened, 0.1)


def _subtract(spans, remove, min_len: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in spans:
        cur = s
        for a, b in sorted(remove):
            if b <= cur or a >= e:
                continue
            if a > cur:
                out.append((cur, a))
            cur = max(cur, b)
        if cur < e:
            out.append((cur, e))
    return [(s, e) for s, e in out if e - s >= min_len]


def utterance_starts(spans: list[tuple[float, float]], gap: float) -> list[float]:
    """For each of the sorted ``spans``, where its utterance starts: spans closer than
    ``gap`` s belong to one utterance (digits of a security code are separate voice-activity
    regions 60-500 ms apart, but one answer)."""
    out: list[float] = []
    start, prev_end = 0.0, None
    for s, e in spans:
        if prev_end is None or s - prev_end >= gap:
            start = s
        out.append(start)
        prev_end = e
    return out


def unheard_to_redact(
    unheard: list[tuple[float, float]],
    windows: list[PaymentWindow],
    findings: list[tuple[float, float]],
    policy: RedactionPolicy,
    solo: list[tuple[float, float]] | tuple = (),
    readbacks: list[tuple[float, float]] | tuple = (),
) -> list[tuple[float, float]]:
    """Which unexplained speech (one channel's, sorted) to redact: inside a payment dialogue
    or within ``redact_unexplained_speech_near_findings`` s of a finding.

    An unheard answer is judged by where its utterance starts (pieces closer than
    ``utterance_gap`` s): a window reaches just past the last question, and a security
    code's later digits are separate voice-activity regions of the same answer. On the
    agent's channel of a two-channel call, the agent talking alone (``solo``) is not
    redacted unless it is near a finding of the agent's own (``readbacks``): the agent
    gives no payment details except by reading them back, while misheard questions ("and
    the fiery 8") inside every payment dialogue were the largest single cost."""
    near = policy.redact_unexplained_speech_near_findings
    out: list[tuple[float, float]] = []
    starts = utterance_starts(unheard, policy.utterance_gap)
    for (s, e), u0 in zip(unheard, starts, strict=True):
        in_payment = any(u0 < w.end and e > w.start for w in windows)
        close = any(s < b + near and e > a - near for a, b in findings)
        spans = [(s, e)] if in_payment or close else []
        if spans and solo and not any(s < b + near and e > a - near for a, b in readbacks):
            spans = _subtract(spans, solo, 0.25)
        out += spans
    return out


def distrust_loops(
    tokens: list[Token], count: int = 3, within: int = 8, min_letters: int = 4
) -> list[Token]:
    """Zero the probability of an ordinary word that comes back ``count`` times within
    ``within`` tokens ("free payment or payment free payment"): a decoding loop over speech
    ASR could not follow - a card number, here - not three real mentions, so it must not
    explain the audio under it (an immediate repeat is caught at normalisation). Short
    function words ("the", "and") recur naturally and are left alone."""
    loop: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.is_number or len(tok.text) < min_letters:
            continue
        same = [k for k in range(i, min(len(tokens), i + within)) if tokens[k].text == tok.text]
        if len(same) >= count:
            loop.update(same)
    return [replace(t, probability=0.0) if k in loop else t for k, t in enumerate(tokens)]
