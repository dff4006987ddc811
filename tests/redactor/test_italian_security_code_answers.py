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
