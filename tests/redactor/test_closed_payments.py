"""After the agent closed the payment: the recogniser looping over the goodbye, or
decoding the call's last stretch again only as guesses, is no payment talk once the
security code was asked for and the agent said the payment went through. Token lists are
the words base wrote on seed 0's mono calls on session 34's machine."""

import pytest

from policies.redaction import RedactionPolicy
from redactor.answer_edges import AnswerWindow
from redactor.closed_payments import payment_closed_at, until_closed, without_looped_digits
from redactor.detect import Detector, Finding
from redactor.repetitions import distrust_repetitions
from redactor.spelling import normalize_spelling
from redactor.tokens import normalize
from redactor.unheard import PaymentWindow
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s0-035 (8 kHz opus, mono) from the expiry request on: the security code asked for
# ("il comico di sicurezza") and given, the read-back heard as guesses, "grazie, il
# pagamento è andato a buon fine" heard "grati il panamento è andato a montire", the order
# number after "il numero di nee", and "buona giornata, arrivederci" heard as guesses.
# Base looped from the read-back on; decoded again, 57.28 s to the end came back guesses
# with a few sure words, and stayed judged as unheard
ENDING = (
    "mi/37.0/37.3/0.51 dice/37.3/37.5/0.8 la/37.5/37.7/0.65 scavenza/37.7/38.22/0.78"
    " nella/38.22/38.54/0.41 carta/38.54/39.0/0.71 2/39.66/39.92/0.18 2/40.18/40.4/0.44"
    " 3/40.44/40.68/0.34 1/41.0/41.3/0.65 il/42.16/42.58/0.72 comico/42.58/42.84/0.26"
    " di/42.84/43.1/0.83 sicurezza/43.1/43.86/0.92 le/44.02/44.18/0.53 3/44.18/44.36/0.39"
    " ci/44.36/44.68/0.25 prezune/44.68/44.94/0.34 metro/44.94/45.44/0.3"
    " 1/46.14/46.44/0.89 4/46.6/47.12/0.89 2/47.5/48.0/1.0 di/48.0/49.32/0.09"
    " capito/49.32/49.8/0.82 4/49.8/50.48/0.11 2/50.48/51.32/0.35 1/51.32/51.94/0.26"
    " 2/51.94/54.22/0.39 4315/54.54/57.52/0.68 9/57.94/58.1/0.71 2/58.64/58.9/0.19"
    " 2/58.9/59.78/0.84 tutto/59.78/60.34/0.22 44/60.62/62.18/0.5 perfetto/62.18/63.4/0.59"
    " grati/63.82/64.54/0.18 il/64.78/64.92/0.39 panamento/64.92/65.32/0.52"
    " è/65.32/65.52/0.48 andato/65.52/65.82/0.98 a/65.82/65.96/0.66"
    " montire/65.96/66.44/0.72 il/66.44/67.06/0.48 numero/67.06/67.32/0.86"
    " di/67.32/67.78/0.38 nee/67.78/68.58/0.28 2/68.58/68.88/0.05 4141/68.88/72.16/0.15"
    " buona/72.88/73.44/0.11 nuova/73.44/73.86/0.33 ta/73.88/74.1/0.0 ta/74.18/74.38/0.0"
    " mi/74.38/74.44/0.04 mette/74.44/74.7/0.4 oggi/74.7/75.0/0.35"
)
SPEECH = [
    (37.16, 39.22), (39.79, 41.59), (42.41, 45.62), (46.25, 47.51), (47.82, 48.31),
    (49.16, 50.1), (50.28, 53.04), (53.32, 54.52), (54.64, 56.05), (56.46, 59.06),
    (59.47, 62.32), (62.76, 63.6), (64.08, 66.74), (66.92, 68.31), (68.59, 72.44),
    (73.23, 75.22),
]  # fmt: skip
UNHEARD = [(57.28, 75.84)]
ORDER_NUMBER, GOODBYE, READBACK = (68.59, 72.44), (73.23, 75.22), (50.28, 62.32)


def _overlap(spans, region):
    a, b = region
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in spans)


def test_an_unheard_stretch_after_the_payment_was_closed_silences_no_order_number_or_goodbye():
    out = silenced(normalize(words(ENDING), "it"), SPEECH, unheard=UNHEARD)
    assert _overlap(out, ORDER_NUMBER) == 0.0
    assert _overlap(out, GOODBYE) == 0.0
    # ... while the read-back before the closing stays silenced whole
    assert _overlap(out, READBACK) >= READBACK[1] - READBACK[0] - 0.01


def test_a_closing_with_no_security_code_before_it_ends_no_unheard_stretch():
    # the same call with the security code's request and answer cut out: a closing heard
    # among guesses before the last detail was asked for may be no closing at all
    early = " ".join(w for w in ENDING.split() if not 42.0 <= float(w.split("/")[1]) < 48.5)
    out = silenced(normalize(words(early), "it"), SPEECH, unheard=UNHEARD)
    assert _overlap(out, GOODBYE) > 1.0


def test_the_payment_is_closed_at_the_first_closing_after_the_security_code():
    toks = normalize(words(
        "perfetto/1.0/1.5/0.9 pagamento/1.5/2.0/0.9 registrato/2.0/2.6/0.9"
        " il/5.0/5.2/0.9 codice/5.2/5.6/0.9 di/5.6/5.7/0.9 sicurezza/5.7/6.3/0.9"
        " grazie/9.0/9.4/0.9 il/9.4/9.5/0.9 pagamento/9.5/10.0/0.9 è/10.0/10.1/0.9"
        " andato/10.1/10.5/0.9 a/10.5/10.6/0.9 buon/10.6/10.8/0.9 fine/10.8/11.1/0.9"), "it")  # fmt: skip
    code = [AnswerWindow(6.3, 8.0, "CARD_SECURITY_CODE")]
    assert payment_closed_at(toks, code, "it") == 9.5
    assert payment_closed_at(toks, [], "it") is None
    # ... and a closing heard before the code asked for closes nothing
    assert payment_closed_at(toks, [AnswerWindow(11.5, 12.0, "CARD_SECURITY_CODE")], "it") is None


def test_a_window_is_cut_where_the_payment_was_closed():
    windows = [PaymentWindow(1.0, 4.0), PaymentWindow(3.0, 12.0), PaymentWindow(9.0, 12.0)]
    assert until_closed(windows, 5.0) == [PaymentWindow(1.0, 4.0), PaymentWindow(3.0, 5.0)]
    assert until_closed(windows, None) == windows


# it-s0-025 (8 kHz A-law, mono) from the expiry on: the security code "9 5 2", the
# read-back, "sì, esatto", "grazie, il pagamento è andato a buon fine" heard "... e
# intangamento andato a montine", "il numero d'ordine è" heard "numero di me", the order
# number "5 3 3 6 1 5" heard "5 3 2 1 5", and base looping "4 5 4 5 ..." over "buona
# giornata, arrivederci" (over a hundred looped digits at 68.94 s; twelve kept here)
LOOPED_END = (
    "scamenza/32.0/32.64/0.23 11/33.32/33.6/0.13 25/33.6/34.26/0.61 il/34.72/35.52/0.66"
    " cavicchi/35.52/35.94/0.21 di/35.94/36.1/0.58 sicurezza/36.1/36.92/0.93"
    " le/37.08/37.2/0.81 3/37.2/37.38/0.63 5/37.38/37.74/0.22 sul/37.74/38.02/0.37"
    " metro/38.02/38.38/0.64 allora/39.38/39.82/0.9 9/40.26/40.62/0.6 5/41.12/41.34/0.65"
    " 2/41.34/42.0/0.71 di/42.62/42.98/0.32 capito/42.98/43.4/0.73 5/43.66/44.14/0.91"
    " 5/44.14/45.04/0.7 6/45.04/45.64/0.69 2/45.64/47.08/0.72 6/47.08/47.64/0.75"
    " 1/47.64/48.22/0.91 0/48.22/48.88/0.65 8/48.88/49.8/0.87 9/49.8/50.3/0.81"
    " 5/50.3/51.02/0.8 6/51.02/51.76/0.95 2/51.76/52.58/0.98 2/52.33/52.61/0.18"
    " 3/52.79/53.09/0.9 4/53.53/53.77/1.0 5/54.33/54.69/0.99 sì/55.63/56.01/0.41"
    " è/56.23/56.31/0.49 nato/56.31/57.27/0.86 daci/57.27/57.83/0.08 e/57.83/58.03/0.29"
    " intangamento/58.03/58.69/0.47 andato/58.69/59.25/0.92 a/59.25/59.41/0.65"
    " montine/59.41/59.91/0.38 numero/60.46/60.74/0.5 di/60.74/61.22/0.08"
    " me/61.22/61.68/0.26 5/61.84/62.3/0.26 3/62.5/63.04/0.19 2/63.3/63.84/0.62"
    " 1/64.24/64.72/0.66 5/64.88/65.42/0.98 4/65.6/66.58/0.0 4/66.7/66.7/0.0"
    " 4/66.8/66.86/0.0 4/67.04/67.04/0.0 5/67.18/67.6/0.0 4/68.02/68.24/0.0"
    " 5/68.24/68.24/0.0 4/68.94/68.94/0.0 5/68.94/68.94/0.0 4/68.94/68.94/0.0"
    " 5/68.94/68.94/0.0 4/68.94/68.94/0.0 5/68.94/68.94/0.0 4/68.94/68.94/0.0"
    " 5/68.94/68.94/0.0 4/68.94/68.94/0.0 5/68.94/68.94/0.0 4/68.94/68.94/0.0"
    " 5/68.94/68.94/0.0"
)
LOOPED_SPEECH = [
    (31.85, 32.92), (33.36, 34.68), (35.37, 38.68), (39.37, 40.08), (40.36, 40.79),
    (41.04, 42.29), (42.83, 43.76), (43.95, 46.52), (46.96, 49.11), (49.48, 52.08),
    (52.43, 55.03), (55.69, 56.98), (57.42, 60.18), (60.33, 61.78), (62.03, 65.81),
    (66.44, 68.5),
]  # fmt: skip


@pytest.fixture(scope="module")
def detector():
    return Detector(RedactionPolicy().entities, "it")


def test_a_loop_over_the_goodbye_after_the_closing_makes_no_card_of_the_order_number(detector):
    toks = distrust_repetitions(normalize_spelling(normalize(words(LOOPED_END), "it"), "it"))
    found = detector.detect(toks, 0)
    # the recognizers take the order number and the loop for a card ...
    assert any(f.entity_type == "CREDIT_CARD" and f.start > 60.0 for f in found)
    out = silenced(toks, LOOPED_SPEECH, findings=found)
    # ... but once the payment was closed, neither the order number nor the goodbye is
    # silenced, while the security code and the read-back before the closing are
    assert _overlap(out, (62.03, 65.81)) == 0.0 and _overlap(out, (66.44, 68.5)) == 0.0
    assert _overlap(out, (40.36, 42.29)) >= 1.9 and _overlap(out, (43.95, 55.03)) >= 10.0


def test_a_finding_after_the_closing_ends_before_its_first_looped_digit():
    toks = normalize(words(
        "numero/1.0/1.3/0.9 1/1.4/1.6/0.9 2/1.7/1.9/0.9 3/2.0/2.2/0.9 4/2.3/2.5/0.9"
        " 5/2.6/2.8/0.9 6/2.9/3.1/0.9 7/3.2/3.4/0.9 8/3.5/3.7/0.9 9/3.8/4.0/0.0"
        " 9/4.0/4.0/0.0 9/4.0/4.0/0.0"), "it")  # fmt: skip
    card = Finding("CREDIT_CARD", 0.5, "LongNumberRule", 0, 1, 11, 1.4, 4.0, "1 2 3 ...")
    [kept] = without_looped_digits([card], toks, 1.0, 8)
    assert (kept.last, kept.end, kept.text) == (8, 3.7, "1 2 3 4 5 6 7 8")
    # ... and is dropped when what is left is shorter than a long number
    assert without_looped_digits([card], toks, 1.0, 9) == []
    # ... while a finding that starts before the closing is left whole
    assert without_looped_digits([card], toks, 1.5, 9) == [card]
