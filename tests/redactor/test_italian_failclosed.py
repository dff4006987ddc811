"""The fail-closed rules with the Italian tables (cues, closings, units, labels, leads)."""

import pytest

from policies.redaction import RedactionPolicy
from redactor.failclosed import (
    CONTACT_CUES,
    contact_windows,
    health_context_findings,
    keep_in_context,
    numbers_in_payment,
    payment_windows,
)
from redactor.tokens import normalize
from redactor.transcribe import Word
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()


def tokens(text, p=0.95):
    ws = [Word(w, i * 0.4, i * 0.4 + 0.3, p, 0, 0) for i, w in enumerate(text.split())]
    return normalize(ws, "it")


def found_texts(findings):
    return [f.text for f in findings]


def test_an_italian_payment_dialogue_opens_at_a_card_cue_and_closes_when_it_went_through():
    toks = tokens("mi dà il numero della carta? sì 4 5 3 9 va bene il pagamento è andato "
                  "a buon fine. la chiamo tra 2 3 giorni")  # fmt: skip
    windows = payment_windows(toks, [], POLICY, "it")
    assert len(windows) == 1
    flagged = found_texts(numbers_in_payment(toks, 0, windows, "it"))
    assert "4 5 3 9" in " ".join(flagged)
    assert not any("2" in t for t in flagged)


def test_a_closing_that_starts_with_a_payment_word_closes_the_payment_dialogue():
    # it-s1-036: "perfetto, pagamento registrato" heard word for word; "pagamento" is a
    # payment cue too, and the dialogue stayed open over the order number and the
    # goodbye, which base heard as "lo ha giudata ammi vedo chi" and was silenced
    toks = tokens("il codice di sicurezza? 9 9 1 perfetto pagamento registrato. il numero "
                  "d'ordine è 7 5 8 7 7 5 lo ha giudata ammi vedo chi")  # fmt: skip
    [w] = payment_windows(toks, [], POLICY, "it")
    said = [t.text for t in toks if w.start <= t.start < w.end]
    assert "1" in said
    assert not {"registrato.", "7", "giudata"} & set(said)


def test_a_confirmation_question_does_not_close_the_payment_dialogue():
    toks = tokens("il codice di sicurezza? mi conferma le tre cifre? 7 8 2")
    windows = payment_windows(toks, [], POLICY, "it")
    assert numbers_in_payment(toks, 0, windows, "it")


def test_numbers_with_italian_units_or_reference_labels_stay():
    toks = tokens("la carta va bene. aspetti 5 minuti. il numero della pratica è 4 4 7 1 2")
    windows = payment_windows(toks, [], POLICY, "it")
    assert numbers_in_payment(toks, 0, windows, "it") == []


def test_a_count_of_digits_in_the_security_code_question_is_no_digit():
    # Regression: "le 3 cifre sul retro", the agent's question, was silenced as a number
    # in the payment dialogue
    toks = tokens("il codice di sicurezza? sono le 3 cifre sul retro. 3 9 6")
    windows = payment_windows(toks, [], POLICY, "it")
    flagged = numbers_in_payment(toks, 0, windows, "it")
    assert any(f.first <= 11 <= f.last for f in flagged)  # the code itself
    assert not any(f.first <= 6 <= f.last for f in flagged)  # "3 cifre"


def test_a_short_number_after_a_reference_label_is_no_security_code():
    from redactor.detect import Finding

    toks = tokens("la carta. il numero di ordine è 3 2 1")
    windows = payment_windows(toks, [], POLICY, "it")
    f = Finding("CARD_SECURITY_CODE", 0.6, "t", 0, 7, 7, toks[7].start, toks[7].end, "321")
    assert keep_in_context([f], toks, windows, "it") == []


@pytest.mark.parametrize(
    ("request_text", "entity"),
    [
        ("mi dice il suo codice fiscale?", "IT_FISCAL_CODE"),
        ("qual è la sua partita iva?", "IT_VAT_CODE"),
        ("mi legge il numero della carta d'identità?", "IT_IDENTITY_CARD"),
        ("mi dà il numero del documento per favore", "IT_IDENTITY_CARD"),
        ("mi può dare l'iban?", "IBAN_CODE"),
        ("qual è il suo numero di cellulare?", "PHONE_NUMBER"),
        ("mi dà un indirizzo email?", "EMAIL_ADDRESS"),
        ("ha patologie o prende farmaci?", "HEALTH"),
    ],
)
def test_the_answer_to_an_italian_request_for_details_is_an_answer_window(request_text, entity):
    toks = tokens(f"{request_text} erre esse esse emme", p=0.95)
    toks += tokens_at("ok", toks[-1].end + 0.1, p=0.3)  # an unsure word keeps it open
    assert entity in CONTACT_CUES["it"]
    windows = contact_windows(toks, POLICY, "it")
    assert any(w.entity_type == entity for w in windows)


def test_after_a_health_question_what_follows_an_italian_lead_is_health_data():
    toks = tokens("ha qualche patologia? sì prendo la met for mina la mattina")
    ctx = [(0.0, 30.0)]
    found = health_context_findings(toks, 0, ctx, "it")
    assert any("met" in f.text for f in found)
    assert health_context_findings(toks, 0, [], "it") == []


def test_italian_one_letter_words_are_not_taken_for_half_heard_digits():
    toks = tokens("mi dà il numero della carta? e o è tutto a posto")
    windows = payment_windows(toks, [], POLICY, "it")
    assert windows and numbers_in_payment(toks, 0, windows, "it") == []
    # an English stray letter still counts there ("m" for a misheard "seven")
    words = "the card number is m m m".split()  # noqa: SIM905 - a sentence reads better
    en = normalize([Word(w, i * 0.4, i * 0.4 + 0.3, 0.95, 0, 0) for i, w in enumerate(words)], "en")
    assert numbers_in_payment(en, 0, payment_windows(en, [], POLICY, "en"), "en")


def tokens_at(text, t0, p=0.95):
    ws = [Word(w, t0 + i * 0.4, t0 + i * 0.4 + 0.3, p, 0, 0) for i, w in enumerate(text.split())]
    return normalize(ws, "it")


def test_the_answer_to_an_italian_expiry_question_is_redacted_however_asr_heard_it():
    # "dieci barra venticinque" heard as "mia ci mangamento": no date shape to find
    toks = tokens_at("e la data di scadenza?", 0.0) + tokens_at("mia ci mangamento", 3.0, 0.2)
    windows = contact_windows(toks, POLICY, "it")
    expiry = [w for w in windows if w.entity_type == "CARD_EXPIRY"]
    assert expiry and expiry[0].start <= toks[-3].start and expiry[0].end >= toks[-1].end


def test_the_italian_security_code_question_ends_the_expiry_answer_and_is_never_silenced():
    toks = (
        tokens_at("la scadenza?", 0.0)
        + tokens_at("zero uno", 2.0, 0.3)
        + tokens_at("e il codice di sicurezza?", 4.0)
        + tokens_at("nove tre tre", 7.0, 0.3)
    )
    windows = contact_windows(toks, POLICY, "it")
    expiry = [w for w in windows if w.entity_type == "CARD_EXPIRY"]
    asked = next(t.start for t in toks if t.text == "e" and t.start >= 4.0)
    assert expiry and all(w.end <= asked for w in expiry)
    # the question only ends answers: it names no entity the policy silences
    assert "PAYMENT_REQUEST" not in POLICY.entities


def test_an_italian_agent_moving_on_ends_an_answer_that_asr_heard_no_sure_words_in():
    # telephone audio: no four confident words in a row ever close the answer
    toks = (
        tokens_at("ha qualche patologia?", 0.0)
        + tokens_at("sì faccio la di alimitre", 2.0, 0.4)
        + tokens_at("perfetto", 5.0, 0.5)
        + tokens_at("la contegna arrima tra tre cinque giorni", 6.0, 0.5)
    )
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "HEALTH"]
    assert windows and all(w.end <= 5.0 for w in windows)
    assert "MOVED_ON" not in POLICY.entities


def test_a_security_code_heard_short_of_its_digits_is_silenced_with_its_whole_breath():
    # it-s3-027 (a corpus no rule was tuned on): "sei due uno" heard "c (0.21) è (0.50) il
    # (0.86) 2 e 1": "il" anchored the code's span after "sei", which stayed audible
    toks = normalize(words(
        "e/23.06/23.44/0.92 la/23.44/23.54/0.8 data/23.54/23.76/0.7 di/23.76/23.96/0.64"
        " scavenza/23.96/24.62/0.95 0/25.38/25.72/0.08 2/25.86/25.96/0.91"
        " marra/26.08/26.36/0.27 26/26.42/26.82/0.72 mi/27.56/28.2/0.78 serve/28.2/28.52/0.98"
        " anche/28.52/28.86/0.98 il/28.86/29.06/0.79 codice/29.06/29.46/0.94 di/29.46/29.68/1.0"
        " sicurezza/29.68/30.0/0.96 c/30.94/31.34/0.21 è/31.34/31.44/0.5 il/31.44/31.62/0.86"
        " 2/31.62/31.92/0.38 e/31.92/32.22/0.26 1/32.22/32.52/0.97 perfetto/33.46/34.1/0.92"
        " pagamento/34.38/34.84/0.6 registrato/34.84/35.54/0.96 il/35.98/36.12/0.99"), "it")  # fmt: skip
    speech = [(23.34, 24.79), (25.48, 27.22), (28.08, 30.58), (31.21, 32.76), (33.48, 34.26),
              (34.38, 35.73), (35.98, 37.3)]  # fmt: skip
    cut = silenced(toks, speech)
    assert any(s <= 31.21 and e >= 32.76 for s, e in cut)  # the code's whole breath
    assert not any(s < 29.9 and e > 28.2 for s, e in cut)  # its request


def test_a_short_code_in_the_breath_of_a_payment_request_is_the_request_misheard():
    # it-s1-009: "mi serve anche il codice di sicurezza" heard "... il 12 (0.16) di
    # sicurezza": the "12" is no code short of a digit, and the question stays audible
    toks = normalize(words(
        "8/26.08/26.54/0.98 e/27.04/27.32/0.78 la/27.32/27.44/0.69"
        " nataviscamenza/27.44/28.44/0.6 0/28.44/29.58/0.1 4/29.58/30.1/0.59"
        " mangamenti/30.1/30.84/0.45 nome/30.84/31.1/0.39 mi/31.1/31.94/0.38"
        " serve/31.94/32.18/0.65 anche/32.18/32.56/0.99 il/32.56/32.76/0.93"
        " 12/32.76/33.04/0.16 di/33.04/33.32/0.93 sicurezza/33.32/34.14/0.93"
        " allora/34.14/35.26/0.7 8/35.66/36.1/0.85"), "it")  # fmt: skip
    speech = [(26.19, 26.77), (27.24, 28.72), (29.39, 31.38), (31.79, 34.32), (34.86, 35.54),
              (35.79, 37.43)]  # fmt: skip
    cut = silenced(toks, speech)
    assert not any(s < 34.0 and e > 33.4 for s, e in cut)  # "sicurezza"


def test_a_number_heard_for_the_first_word_of_codice_fiscale_is_the_request_misheard():
    # it-s59-002 (session 38): "per l'intestazione mi serve il codice fiscale" heard "...
    # il 12 (0.10) fiscale", taken for a security code: the whole request was silenced
    toks = normalize(words(
        "vorrei/4.0/4.4/0.9 pagare/4.4/4.8/0.9 una/4.8/5.0/0.9 bolletta/5.0/5.6/0.9"
        " per/6.92/7.18/0.97 l/7.18/7.38/0.48 intestazione/7.38/7.88/0.95 mi/7.88/8.18/0.77"
        " serve/8.18/8.38/0.71 il/8.38/8.74/0.94 12/8.74/9.04/0.10 fiscale/9.04/9.70/0.79"
        " si/10.50/10.86/0.34 allora/11.18/11.52/0.97"), "it")  # fmt: skip
    speech = [(4.0, 5.6), (7.05, 9.94), (10.5, 10.9), (11.18, 11.55)]
    cut = silenced(toks, speech)
    assert not any(s < 9.6 and e > 7.1 for s, e in cut)  # the request
