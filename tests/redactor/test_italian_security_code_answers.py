"""The answer to an Italian security-code question is one short utterance, redacted
however speech recognition heard it (session 21)."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def tokens_at(text, t0, p=0.95, step=0.4):
    ws = [Word(w, t0 + i * step, t0 + i * step + 0.3, p, 0, 0) for i, w in enumerate(text.split())]
    return normalize(ws, "it")


def codes(toks):
    return [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_SECURITY_CODE"]


def test_a_security_code_heard_as_sure_words_is_inside_its_answer_window():
    # "sette zero sei" heard "c è che ne roccei" at 0.9 (it-s8-002, session 20's machine)
    said = tokens_at("c è che ne roccei", 4.0)
    toks = (
        tokens_at("mi serve anche il codice di sicurezza.", 0.0)
        + said
        + tokens_at("grazie il pagamento è andato a buon fine.", 8.0)
    )
    windows = codes(toks)
    assert windows
    assert min(w.start for w in windows) <= said[0].start
    assert max(w.end for w in windows) >= said[-1].end


def test_the_security_code_answer_ends_with_the_customers_utterance():
    toks = (
        tokens_at("mi serve anche il codice di sicurezza.", 0.0)
        + tokens_at("c è che ne roccei.", 4.0)
        + tokens_at("grazie il pagamento è andato a buon fine.", 8.0)
    )
    assert all(w.end < 8.0 for w in codes(toks))


def test_the_rest_of_the_security_code_request_is_not_its_answer():
    toks = tokens_at("e il codice di sicurezza? sono le tre cifre sul retro.", 0.0) + tokens_at(
        "sette zero sei.", 6.0, p=0.5
    )
    retro = next(t for t in toks if t.text == "retro")
    windows = codes(toks)
    assert windows and all(w.start >= retro.end for w in windows)
    assert max(w.end for w in windows) >= toks[-1].end


# it-s14-016 (8 kHz mono): "il codice di sicurezza, le tre cifre sul retro" heard "il
# trasmettore di sicurezza le 3 ci prezzuretere", then "allora, nove sei nove" heard
# "allora nome c è il nome": the question's own "3" made its rest look like the answer,
# and the window was the question's, which the misheard request then took back whole
ASKED = (
    "il/27.66/28.3/0.22 trasmettore/28.3/28.64/0.3 di/28.64/28.96/0.26"
    " sicurezza/28.96/29.76/0.76 le/29.76/30.14/0.47 3/30.14/30.36/0.65 ci/30.36/30.56/0.09"
    " prezzuretere/30.56/31.48/0.32 allora/32.3/32.94/0.66 nome/33.42/33.74/0.55"
    " c/33.74/34.26/0.33 è/34.26/34.32/0.93 il/34.32/34.54/0.97 nome/34.54/34.9/0.98"
    " grazie/35.7/36.34/0.68 il/36.6/36.78/0.97 patamento/36.78/37.28/0.68"
    " andato/37.28/37.86/0.66 a/37.86/38.02/0.89 buon/38.02/38.2/0.75 fine/38.2/38.52/0.96"
)


def test_a_code_answered_after_a_misheard_request_is_in_its_answer_window():
    from redactor.answer_edges import after_request
    from tests.fixtures.tokens import words

    toks = normalize(words(ASKED), "it")
    request = (28.14, 31.636)  # the breath misheard_requests found the question in
    windows = [after_request(w, [request], toks) for w in codes(toks)]
    assert any(w.start <= 33.46 and w.end >= 34.9 for w in windows)


def test_a_code_answer_after_its_request_is_left_as_it_is():
    from redactor.answer_edges import after_request

    toks = tokens_at("mi serve anche il codice di sicurezza.", 0.0) + tokens_at(
        "sette zero sei.", 4.0, p=0.5
    )
    [w] = codes(toks)
    assert after_request(w, [(0.0, 2.0)], toks) == w


def test_a_question_holding_its_own_count_still_leaves_the_code_its_window():
    # Regression (it-s25-002, 8 kHz mono): "e il codice di sicurezza? sono le quattro cifre
    # sul fronte" heard word for word but "cittere", then "allora" and "1669" heard "uno è i
    # e i nome": the count "4" made the question's run-on look like the answer, the window
    # started after "allora" and ended with the question, empty, and the code leaked
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "e/26.8/26.88/0.86 il/26.88/27.04/0.96 codice/27.04/27.44/0.58 di/27.44/27.64/1.0"
        " sicurezza/27.64/28.42/0.92 sono/28.76/29.02/0.98 le/29.02/29.18/0.2 4/29.18/29.7/0.8"
        " cittere/29.7/30.1/0.39 sul/30.1/30.36/0.82 fronte/30.36/30.9/0.86"
        " allora/31.74/32.22/0.98 uno/32.6/32.8/0.95 è/32.8/33.18/0.4 i/33.18/33.36/0.71"
        " e/33.36/33.56/0.3 i/33.56/33.78/0.86 nome/33.78/34.02/0.95"
        " perfetto/34.98/35.66/0.75"), "it")  # fmt: skip
    [w] = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_SECURITY_CODE"]
    assert w.start <= 32.6 and w.end >= 34.02


# it-s61-029 (8 kHz mono, session 38): "sono le tre cifre sul retro" heard "sono le 3 ci
# sono metto", the code "due sette sei" a loop's "2 e 3 e 3" stamped on into "perfetto",
# and the closing and the order number's label heard right after it
LOOPED = (
    "e/27.67/28.07/0.7 il/28.07/28.21/0.86 codice/28.21/28.59/0.48 di/28.59/28.77/0.99"
    " sicurezza/28.77/29.57/0.85 sono/29.57/30.11/0.94 le/30.11/30.31/0.44 3/30.31/30.43/0.13"
    " ci/30.43/30.69/0.12 sono/30.69/30.89/0.18 metto/30.89/31.53/0.38 2/32.45/32.85/0.36"
    " e/32.85/33.09/0.0 3/33.09/33.57/0.0 e/33.57/33.69/0.0 3/33.69/34.61/0.0"
    " perfetto/34.61/35.71/0.63 mandamento/35.97/36.43/0.5 registrato/36.43/37.15/0.41"
    " il/37.15/37.73/0.63 numero/37.73/38.07/0.96 di/38.07/38.45/0.16 me/38.45/38.65/0.46"
    " 8/39.12/39.6/0.18 7/39.96/40.26/0.94 3/40.82/40.86/0.63 2/41.2/41.44/0.99"
)
LOOPED_SPEECH = [(27.95, 29.78), (29.96, 31.76), (32.68, 34.48), (35.08, 37.43), (37.61, 39.03),
                 (39.28, 39.76), (39.95, 41.6)]  # fmt: skip


def test_a_code_answered_after_a_misheard_request_ends_before_the_closing_after_it():
    from tests.fixtures.plan import silenced
    from tests.fixtures.tokens import words

    cut = silenced(normalize(words(LOOPED), "it"), LOOPED_SPEECH)
    assert any(s <= 32.8 and e >= 34.4 for s, e in cut)  # the code
    assert not any(s < 37.2 and e > 35.2 for s, e in cut)  # "pagamento registrato"
