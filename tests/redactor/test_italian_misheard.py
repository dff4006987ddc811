"""Italian closing sentences and order-number labels ASR misheard (redactor/misheard.py)."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import numbers_in_payment, payment_windows
from redactor.misheard import fuzzy_closings, misheard_label
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def tokens(text, p=0.9, t0=0.0, channel=0):
    ws = [
        Word(w, t0 + i * 0.4, t0 + i * 0.4 + 0.3, p, channel, 0) for i, w in enumerate(text.split())
    ]
    return normalize(ws, "it")


def test_a_misheard_payment_went_through_closes_the_payment_dialogue():
    toks = tokens("il numero della carta è 4 5 3 9 grazie il padamento è andato a montire. "
                  "il numero è 5 9 8 9")  # fmt: skip
    windows = payment_windows(toks, [], POLICY, "it")
    flagged = " ".join(f.text for f in numbers_in_payment(toks, 0, windows, "it"))
    assert "4 5 3 9" in flagged
    assert "5 9 8 9" not in flagged


def test_a_misheard_payment_registered_is_a_closing_too():
    toks = tokens("perfetto un pannamento che è distrato")
    assert fuzzy_closings(toks, "it") == {2}


def test_digits_and_short_words_never_sound_like_a_closing():
    toks = tokens("4 5 3 9 e tu 7 8 nove sei mentre sette andate")
    assert fuzzy_closings(toks, "it") == set()


def test_a_payment_word_followed_by_no_done_verb_is_no_closing():
    # the customer asking to pay opens the dialogue, it does not close it
    assert fuzzy_closings(tokens("vorrei fare un pagamento con la carta di credito"), "it") == set()


def test_a_closing_needs_both_words_on_one_channel():
    toks = sorted(
        tokens("il padamento", channel=0) + tokens("è andato", t0=0.2, channel=1),
        key=lambda t: t.start,
    )
    assert fuzzy_closings(toks, "it") == set()


def test_english_has_no_fuzzy_closings():
    toks = tokens("the payment went through")
    assert fuzzy_closings(toks, "en") == set()


def test_a_misheard_order_number_label_still_exempts_the_order_number():
    for heard in ("numero dotine è", "numero dottine è", "numero di ne", "numero mortine è"):
        toks = tokens(f"la carta. il {heard} 6 0 6 2 9")
        windows = payment_windows(toks, [], POLICY, "it")
        assert numbers_in_payment(toks, 0, windows, "it") == [], heard


def test_the_card_or_phone_number_is_never_taken_for_a_misheard_order_number():
    for said in ("il numero è", "il numero della carta è", "il numero di conto è",
                 "il numero di telefono è", "il numero di me è"):  # fmt: skip
        toks = tokens(said)
        assert not any(misheard_label(toks, k, "it") for k in range(len(toks))), said


def test_a_card_number_after_a_misheard_order_label_is_still_redacted():
    # a label only ever exempts numbers shorter than a card number
    toks = tokens("la carta. il numero dotine è 4 5 3 9 1 2 3 4 5 6 7 8 9 0 1 2")
    windows = payment_windows(toks, [], POLICY, "it")
    assert numbers_in_payment(toks, 0, windows, "it")
