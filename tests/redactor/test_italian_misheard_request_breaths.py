"""A payment request misheard in its first words still starts its breath, and ends the
answer before it; a card request heard "il numero della calda" is still one. Built from
the words base wrote for three 8 kHz mono calls of corpus 61 on a second machine (session
42): the expiry's answer window ran on over "mi serve anche il codice di sicurezza"
(it-s61-006, -019), and a card digit leaked when "della calda" opened no dialogue
(it-s61-004)."""

from __future__ import annotations

from redactor.detect import Finding
from redactor.misheard import misheard_requests
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds as _cut
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s61-006: "... e la data di scadenza?" / "1030" / "mi serve anche il codice di
# sicurezza" / "allora" / "442" / "perfetto, pagamento registrato"
CHIUREZZA = (
    "mi/6.34/6.54/0.85 rende/6.54/6.82/0.65 il/6.82/6.98/0.42 numero/6.98/7.28/0.97"
    " della/7.28/7.76/0.52 carta/7.76/8.12/0.89 per/8.12/8.62/0.46 famole/8.62/9.3/0.36"
    " quanto/9.6/10.18/0.32 5/10.74/11.12/0.38 5/11.36/11.92/0.96 3/12.14/12.62/0.77"
    " 7/13.04/13.42/0.83 3/13.72/14.22/0.93 0/14.6/14.88/0.41 7/15.14/15.42/0.99"
    " 5/15.78/16.34/0.96 1/16.48/17.18/0.0 1/17.4/17.76/0.0 1/17.82/18.24/0.0"
    " 1/18.4/18.46/0.0 3/18.46/18.86/0.74 3/19.24/19.96/0.9 8/20.44/20.6/0.45"
    " 1/21.04/21.36/0.99 e/21.88/22.36/0.08 la/22.36/22.5/0.89"
    " matamiscabenza/22.5/23.58/0.55 1/24.36/24.78/0.92 0/25.08/25.42/0.4 3/25.84/26.34/0.96"
    " 0/26.62/27.14/0.94 mi/27.14/28.38/0.82 serve/28.38/28.7/0.61 anche/28.7/29.08/0.99"
    " io/29.08/29.3/0.42 dice/29.46/29.72/0.18 di/29.72/29.94/0.9"
    " chiurezza/29.94/30.8/0.49 allora/31.46/32.1/0.83 44/32.64/34.14/0.76 2/34.32/34.68/0.12"
    " perfetto/35.56/36.2/0.81 adamento/36.58/37.0/0.33 registrato/37.0/37.68/0.91"
)
CHIUREZZA_SPEECH = [
    (6.38, 8.276), (8.492, 9.396), (9.804, 10.388), (10.892, 13.684), (13.932, 16.692),
    (17.004, 19.092), (19.34, 21.556), (22.284, 23.828), (24.588, 24.98), (25.132, 25.716),
    (26.156, 27.316), (28.236, 30.836), (31.628, 32.308), (32.652, 33.396), (33.548, 34.804),
    (35.564, 36.404), (36.524, 39.444),
]  # fmt: skip

# it-s61-019: "e la data di scadenza?" / "zero nove barra venticinque" / "mi serve anche il
# codice di sicurezza" / "allora" / "6263" / "grazie, il pagamento è andato a buon fine"
FERME = (
    "mi/6.9/7.0/0.83 regge/7.0/7.28/0.24 il/7.28/7.48/0.61 numero/7.48/7.7/0.74"
    " della/7.7/8.2/0.35 carta/8.2/8.54/0.85 per/8.54/9.06/0.56 favore/9.06/9.64/0.71"
    " il/10.6/10.7/0.89 numero/10.7/10.94/0.98 è/10.94/11.34/0.78 3/11.34/12.08/0.34"
    " 4/12.36/12.88/0.91 5/13.2/13.38/0.76 1/13.66/14.16/0.82 3/14.32/14.9/0.85"
    " 8/15.3/15.6/0.97 8/15.9/16.18/0.99 6/16.4/16.7/0.79 9/17.02/17.18/0.98"
    " 6/17.56/17.88/0.98 1/18.44/18.78/0.94 6/18.98/19.32/0.97 7/19.68/20.04/0.93"
    " 6/20.1/20.58/0.98 5/20.72/21.18/0.93 e/21.18/22.24/0.15 la/22.24/22.36/0.81"
    " data/22.36/22.6/0.38 di/22.6/22.8/0.3 scavenza/22.8/23.52/0.85 0/23.52/24.6/0.17"
    " 9/24.6/24.9/0.5 vant/24.9/25.12/0.38 amento/25.12/25.32/0.21 di/25.32/25.58/0.57"
    " 5/25.58/26.02/0.91 mi/26.02/27.28/0.39 ferme/27.28/27.74/0.71 anche/27.74/28.0/0.96"
    " il/28.0/28.2/0.89 che/28.2/28.32/0.08 ho/28.32/28.44/0.78 dice/28.44/28.64/0.62"
    " di/28.64/28.86/0.99 sicurezza/28.86/29.66/0.93 allora/29.66/30.88/0.83"
    " 6263/30.88/33.34/0.33 grazie/33.34/34.64/0.59 il/34.64/35.08/0.96"
    " padamento/35.08/35.58/0.8 è/35.58/35.8/0.93 andato/35.8/36.14/0.96 a/36.14/36.3/0.88"
    " buon/36.3/36.5/0.96 fine/36.5/36.86/0.95"
)
FERME_SPEECH = [
    (6.86, 8.724), (8.94, 9.812), (10.572, 11.54), (11.852, 14.452), (14.732, 17.524),
    (17.74, 18.164), (18.572, 20.276), (20.428, 21.556), (22.156, 23.668), (24.332, 26.228),
    (27.148, 29.428), (29.644, 29.78), (30.476, 31.156), (31.5, 32.468), (32.62, 33.62),
    (34.156, 34.74), (34.892, 37.012),
]  # fmt: skip


def _finding(toks, entity, recognizer, start, end):
    at = [k for k, t in enumerate(toks) if start <= t.start and t.end <= end]
    text = " ".join(toks[k].text for k in at)
    return Finding(entity, 0.9, recognizer, 0, at[0], at[-1] + 1, start, end, text)


def test_a_question_heard_as_dice_di_and_a_word_ending_like_sicurezza_is_a_request():
    toks = normalize(words(CHIUREZZA), "it")
    found = misheard_requests(toks, CHIUREZZA_SPEECH, "it")
    # ... and it starts its breath: "serve anche io" before it are its own words
    assert any(start == 28.236 and end == 30.836 for _f, _l, start, end in found)


def test_after_any_other_words_a_word_ending_like_sicurezza_is_no_request():
    toks = normalize(words(CHIUREZZA.replace("dice/", "vede/")), "it")
    found = misheard_requests(toks, CHIUREZZA_SPEECH, "it")
    assert not any(start <= 29.9 < end for _f, _l, start, end in found)


def test_an_expiry_answer_ends_where_the_next_misheard_question_starts():
    toks = normalize(words(CHIUREZZA), "it")
    findings = [
        _finding(toks, "CREDIT_CARD", "SpokenCardRecognizer", 10.74, 21.36),
        _finding(toks, "CARD_EXPIRY", "PaymentDialogueRule", 24.36, 27.14),
        _finding(toks, "CARD_SECURITY_CODE", "PaymentDialogueRule", 32.64, 34.68),
    ]
    cut = silenced(toks, CHIUREZZA_SPEECH, findings)
    assert _cut(cut, 24.6, 27.31) >= 2.6  # "dieci trenta"
    assert _cut(cut, 32.62, 34.79) >= 2.1  # "quattro quattro due"
    # "mi serve anche il codice di sicurezza", said 28.26-30.83 s: was all silenced
    assert _cut(cut, 28.26, 30.83) < 0.5


def test_a_question_whose_first_words_asr_was_unsure_of_starts_its_breath():
    toks = normalize(words(FERME), "it")
    findings = [
        _finding(toks, "CREDIT_CARD", "SpokenCardRecognizer", 11.34, 21.18),
        _finding(toks, "CARD_SECURITY_CODE", "SecurityCodeRecognizer", 30.88, 33.34),
    ]
    cut = silenced(toks, FERME_SPEECH, findings)
    assert _cut(cut, 24.34, 26.21) >= 1.8  # "zero nove barra venticinque"
    assert _cut(cut, 31.43, 33.58) >= 2.0  # "6263"
    # "mi serve anche il codice", said 27.18-28.9 s: 1.6 s of it was silenced
    assert _cut(cut, 27.18, 28.9) < 0.5


# it-s61-004: "mi può dare il numero della carta?" / "eccolo, è 3 7 7 5 5 8 1 7 4 4 9 2 8 5 2"
CALDA = (
    "mi/14.62/14.78/0.89 può/14.78/14.92/0.12 dare/14.92/15.14/0.73 il/15.14/15.4/0.65"
    " numero/15.4/15.58/0.26 della/15.58/16.0/0.54 calda/16.0/16.48/0.67 ecco/17.38/17.92/0.56"
    " è/18.12/18.74/0.32 3/18.74/19.52/0.49 e/19.52/19.88/0.0 e/19.88/20.66/0.0"
    " chi/20.66/20.92/0.02 il/20.92/21.08/0.19 2/21.08/21.64/0.25 chi/21.64/21.98/0.91"
    " il/21.98/22.14/0.99 duem/22.14/22.54/0.09 8/22.54/23.16/0.69 1/23.16/23.66/0.68"
    " e/23.66/24.12/0.83 4/24.12/25.14/0.7 4/25.14/26.12/0.81 2/26.86/27.16/0.62"
    " 8/27.38/27.78/0.94 5/28.12/28.32/0.82 2/28.56/28.7/0.96 9/28.7/29.96/0.21"
)
CALDA_SPEECH = [(14.636, 16.692), (17.484, 18.612), (18.86, 21.46), (21.836, 25.972),
                (26.316, 29.332)]  # fmt: skip


def test_a_card_number_asked_for_as_della_calda_opens_the_payment_dialogue():
    toks = normalize(words(CALDA), "it")
    findings = [_finding(toks, "ID_NUMBER", "LongNumberRule", 22.54, 29.96)]
    cut = silenced(toks, CALDA_SPEECH, findings)
    # the card's fifth digit, said 21.82-22.46 s where ASR wrote a sure "chi il": it leaked
    assert _cut(cut, 21.82, 22.46) >= 0.6
    assert _cut(cut, 18.85, 29.27) >= 10.0  # every digit


# it-s62-038 (session 43): "qual è il numero della carta di credito?" / "il numero è" / 16
# digits / "mi dice la scadenza della carta?" / "0931" / "e il codice di sicurezza? ..."
SCAVENZA = (
    "qual/7.05/7.33/0.26 è/7.33/7.45/0.66 il/7.45/7.57/0.99 numero/7.57/7.83/0.98"
    " della/7.83/8.27/0.61 carta/8.27/8.55/0.98 di/8.55/8.81/0.95 credito/8.81/9.39/0.92"
    " il/9.79/10.03/0.79 numero/10.03/10.31/0.98 è/10.31/11.05/0.68 5/11.05/11.61/0.32"
    " 3/11.61/12.27/0.12 5/12.27/13.03/0.0 5/13.03/14.21/0.0 5/14.75/14.75/0.0"
    " 4/14.75/15.79/0.61 1/15.79/16.79/0.89 6/16.79/17.85/0.03 4/17.85/18.43/0.36"
    " 0/18.43/19.11/0.66 0/19.11/19.83/0.75 9/19.83/20.69/0.31 4/20.69/21.27/0.45"
    " 9/21.61/22.15/0.51 3/22.15/22.87/0.04 mi/23.17/23.71/0.31 dice/23.71/23.93/0.85"
    " la/23.93/24.15/0.47 scavenza/24.15/24.69/0.75 della/24.69/24.93/0.24"
    " carta/24.93/25.49/1.0 9/25.49/26.53/0.85 9/26.53/27.45/0.5 3/27.45/28.01/0.3"
    " 1/28.01/29.05/0.95 e/29.05/29.45/0.54 il/29.45/29.61/0.94 12/29.61/29.87/0.13"
    " di/29.87/30.19/0.54 sicurezza/30.19/31.01/0.88 sono/31.01/31.55/0.58"
    " le/31.55/31.73/0.9 3ci/31.73/32.19/0.54 prezure/32.19/32.55/0.35"
    " metro/32.55/33.05/0.22 allora/34.03/34.59/0.55 ehi/34.99/35.43/0.49"
    " ei/35.67/35.95/0.38 eio/36.23/36.31/0.16 to/36.53/36.61/0.15"
)
SCAVENZA_SPEECH = [
    (7.148, 9.46), (9.868, 10.9), (11.34, 14.068), (14.412, 15.572), (15.724, 17.044),
    (17.484, 20.084), (20.364, 23.028), (23.596, 25.652), (26.124, 26.644), (26.796, 27.38),
    (27.756, 28.788), (29.356, 31.124), (31.436, 33.108), (34.028, 34.74), (35.084, 36.788),
]  # fmt: skip


def _run(toks, entity, recognizer, first_word: str, last_word: str, after: float = 0.0):
    """A finding over the tokens from ``first_word`` to ``last_word`` (from ``after`` s)."""
    first = next(k for k, t in enumerate(toks) if t.text == first_word and t.start >= after)
    last = next(k for k, t in enumerate(toks) if t.text == last_word and k >= first)
    run = toks[first : last + 1]
    text = " ".join(t.text for t in run)
    return Finding(entity, 0.9, recognizer, 0, first, last, run[0].start, run[-1].end, text)


def test_a_request_word_stamped_back_over_the_pause_before_its_breath_is_the_requests():
    toks = normalize(words(SCAVENZA), "it")
    mi = next(k for k, t in enumerate(toks) if t.text == "mi")
    # "mi" 23.17-23.71 s, its breath from 23.6 s: the first word of "mi dice la scadenza"
    assert any(first == mi for first, _l, _s, _e in misheard_requests(toks, SCAVENZA_SPEECH, "it"))


def test_a_card_run_on_into_the_next_requests_first_word_leaves_the_request_audible():
    toks = normalize(words(SCAVENZA), "it")
    # the card recognizer reaches a 15-digit run over the next words: it took in the "mi"
    card = _run(toks, "CREDIT_CARD", "SpokenCardRecognizer", "5", "mi", after=11.0)
    expiry = _run(toks, "CARD_EXPIRY", "PaymentDialogueRule", "9", "1", after=26.0)
    cut = silenced(toks, SCAVENZA_SPEECH, [card, expiry])
    assert _cut(cut, 11.34, 22.87) >= 11.3  # the card
    assert _cut(cut, 26.12, 28.79) >= 2.5  # the expiry
    # "dice la scadenza della carta", said 23.8-25.4 s: was silenced with the card
    assert _cut(cut, 23.8, 25.4) < 0.4
