"""Italian closing sentences and order-number labels ASR misheard (redactor/misheard.py)."""

from policies.redaction import RedactionPolicy
from redactor.call_endings import fuzzy_closings
from redactor.failclosed import numbers_in_payment, payment_windows
from redactor.misheard import misheard_label
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def heard(pairs, t0=0.0, channel=0):
    """Tokens from (word, probability) pairs, 0.4 s apart."""
    ws = [
        Word(w, t0 + i * 0.4, t0 + i * 0.4 + 0.3, p, channel, 0) for i, (w, p) in enumerate(pairs)
    ]
    return normalize(ws, "it")


def tokens(text, p=0.9, t0=0.0, channel=0):
    return heard([(w, p) for w in text.split()], t0, channel)


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


def test_the_closing_phrase_heard_whole_closes_without_its_payment_noun():
    # it-s1-014: "grazie, il pagamento è andato a buon fine" heard as "grazie piuttamente
    # ho andato a muon fine"; the window stayed open over the order number and goodbye
    toks = heard([("grazie", 0.89), ("piuttamente", 0.22), ("ho", 0.47), ("andato", 0.74),
                  ("a", 0.78), ("muon", 0.35), ("fine", 0.78)])  # fmt: skip
    assert 3 in fuzzy_closings(toks, "it")
    assert fuzzy_closings(tokens("grazie, andato a fare la spesa"), "it") == set()


def test_a_done_verb_heard_in_two_pieces_still_closes():
    # it-s0-015: "perfetto, pagamento registrato" heard as "per se il padamento che è di
    # strato"
    toks = tokens("per se il padamento che è di strato il numero")
    assert fuzzy_closings(toks, "it") == {3}


def test_a_done_verb_with_a_doubled_letter_still_closes():
    # it-s0-020: "perfetto, pagamento registrato" heard "perfetto andamento mi è distratto":
    # "distratto" is 0.74 like "registrato", 0.78 with its "tt" heard once
    toks = tokens("perfetto andamento mi è distratto il numero")
    assert fuzzy_closings(toks, "it") == {1}


def test_a_done_verb_heard_word_for_word_closes_after_a_noun_heard_worse():
    # it-s0-027: "perfetto mandamento (0.74 like pagamento) registrato"
    assert fuzzy_closings(tokens("perfetto mandamento registrato"), "it") == {1}
    # ... but not after a noun as far off when the verb too was misheard
    # (straight after the agent's "perfetto" any noun of its shape closes: session 42)
    assert fuzzy_closings(tokens("allora mandamento registrano"), "it") == set()


def test_a_payment_noun_heard_close_closes_with_a_participle_heard_further_off():
    # it-s59-013 and it-s60-012 (session 38): "perfetto, pagamento registrato" heard "per
    # se il lavamento è ministrato" and "per se lo passamento è necessitato" (0.70 and
    # 0.71 like "registrato", "accettato"); the window stayed open over the order number
    assert fuzzy_closings(tokens("per se il lavamento è ministrato il numero"), "it") == {3}
    assert fuzzy_closings(tokens("per se lo passamento è necessitato"), "it") == {3}
    assert fuzzy_closings(tokens("lo tannamento veniscerato"), "it") == {1}


def test_a_word_heard_loosely_after_a_payment_noun_closes_only_as_a_participle_in_its_breath():
    # "perfetto" is as alike "effettuato" (0.67), and the agent says it after every detail
    assert fuzzy_closings(tokens("il pagamento con la carta perfetto"), "it") == set()
    # ... and a participle said after a pause is the next sentence's
    toks = tokens("il lavamento è") + tokens("ministrato", t0=1.6)
    assert fuzzy_closings(toks, "it") == set()
    # ... and a noun heard only as far off as the participle takes a verb heard closer
    # (straight after the agent's "perfetto" any noun of its shape closes: session 42)
    assert fuzzy_closings(tokens("allora mandamento è ministrato"), "it") == set()


def test_a_payment_noun_of_its_shape_closes_with_its_verb_heard_word_for_word():
    # it-s60-017 and it-s61-004 (session 38): "grazie, il pagamento è andato a buon fine"
    # heard "grazie intendamento andato a nuontire" (0.64 like "versamento")
    assert fuzzy_closings(tokens("grazie intendamento andato a nuontire"), "it") == {1}
    # ... but not with the verb misheard too
    assert fuzzy_closings(tokens("grazie intendamento andavo a nuontire"), "it") == set()


def test_an_article_and_its_noun_are_no_done_verb_split_in_two():
    # "la data" joined is 0.8 like "andata"; the request opened the dialogue it "closed"
    assert fuzzy_closings(tokens("per il pagamento mi serve la data di scadenza"), "it") == set()
    # it-s61-021: "... 2 0 7 0" echoed on the agent's channel as "ufficio panamenti
    # buongiorno e la data" before "e la data di scadenza?"
    toks = tokens("ufficio panamenti buongiorno e la data di scamenta")
    assert fuzzy_closings(toks, "it") == set()


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


def test_the_order_labels_elided_article_heard_as_a_guessed_digit_still_exempts_it():
    # base wrote "numero d'ordine è 5 9 8 9" as "numero 2 di me 5 9 8 9" (2 at 0.06), and
    # the order number was silenced as a security code and kept the dialogue open
    for tail in ([("me", 0.31)], [("ne", 0.19), ("è", 0.36)], []):
        toks = heard([("la", 0.9), ("carta.", 0.9), ("il", 0.97), ("numero", 0.81),
                      ("2", 0.06), ("di", 0.79)] + tail
                     + [("5", 0.52), ("9", 0.9), ("8", 0.98), ("9", 0.99)])  # fmt: skip
        windows = payment_windows(toks, [], POLICY, "it")
        assert numbers_in_payment(toks, 0, windows, "it") == [], tail


def test_the_order_labels_last_syllable_heard_as_a_guessed_word_still_exempts_it():
    # it-s1-019: "il numero d'ordine è 2 1 7 ..." heard "il numero di (0.39) me (0.21) è
    # (0.27) i 2 e 1 7": the order number kept the dialogue open and was silenced
    said = [("la", 0.9), ("carta.", 0.9), ("il", 0.56), ("numero", 0.77), ("di", 0.39)]
    read = [("5", 0.52), ("9", 0.9), ("8", 0.98), ("9", 0.99)]
    toks = heard(said + [("me", 0.21), ("è", 0.27)] + read)
    assert numbers_in_payment(toks, 0, payment_windows(toks, [], POLICY, "it"), "it") == []
    # heard surely, "di me" is no label ("il numero di me è ...": my own number)
    toks = heard(said + [("me", 0.9), ("è", 0.27)] + read)
    assert numbers_in_payment(toks, 0, payment_windows(toks, [], POLICY, "it"), "it")


def test_the_labels_guessed_digit_and_last_syllable_together_exempt_the_order_number():
    # it-s2-003: "il numero d'ordine è 4 6 8 5 2 4" heard "il numero 2 (0.34) di (0.62) me
    # (0.41) 4 3 8 5 2 4"; it-s1-001: "il numero di (0.09) nè (0.41) 4 0 7 2 3"
    said = [("la", 0.9), ("carta.", 0.9), ("il", 0.93), ("numero", 0.94)]
    read = [("4", 0.86), ("3", 0.51), ("8", 0.88), ("5", 0.99)]
    toks = heard(said + [("2", 0.34), ("di", 0.62), ("me", 0.41)] + read)
    assert numbers_in_payment(toks, 0, payment_windows(toks, [], POLICY, "it"), "it") == []
    toks = heard(said + [("di", 0.09), ("nè", 0.41)] + read)
    assert numbers_in_payment(toks, 0, payment_windows(toks, [], POLICY, "it"), "it") == []
    # a digit as sure without the syllable after "di" is still read out
    toks = heard(said + [("2", 0.34), ("di", 0.62)] + read)
    assert numbers_in_payment(toks, 0, payment_windows(toks, [], POLICY, "it"), "it")


def test_a_digit_heard_clearly_after_numero_is_no_misheard_label():
    # "il numero 2 di 5" with the 2 heard clearly is a number read, not the label
    toks = heard([("la", 0.9), ("carta.", 0.9), ("il", 0.97), ("numero", 0.81),
                  ("2", 0.95), ("di", 0.79), ("5", 0.9), ("9", 0.9), ("8", 0.98)])  # fmt: skip
    assert not misheard_label(toks, 4, "it")
    windows = payment_windows(toks, [], POLICY, "it")
    assert numbers_in_payment(toks, 0, windows, "it")


def test_the_verb_introducing_a_card_number_is_not_taken_for_its_first_digit():
    # "il numero è 3 7 9 9": "è" (0.61) after "numero" (0.98) is the customer's lead-in,
    # and was silenced with the card number as its misheard first digit
    toks = heard([("mi", 0.9), ("dica", 0.9), ("la", 0.9), ("carta.", 0.9), ("il", 0.9),
                  ("numero", 0.98), ("è", 0.61), ("3", 0.31), ("7", 0.81), ("9", 0.64)])  # fmt: skip
    windows = payment_windows(toks, [], POLICY, "it")
    found = numbers_in_payment(toks, 0, windows, "it")
    assert [f.text for f in found] == ["3 7 9"]


def test_a_verb_after_a_short_or_unsure_word_may_still_be_a_digit_misheard():
    # "non è" for "nove", "chi è" for a letter: glued to the run as before ("non è" beside
    # a digit is the digit itself since session 18: tokens._HOMOPHONE_PAIRS)
    for before, run in ((("non", 0.39), "9 8 1 9"), (("ecco", 0.3), "è 8 1 9")):
        toks = heard([("la", 0.9), ("carta.", 0.9), before, ("è", 0.55), ("8", 0.2),
                      ("1", 0.9), ("9", 0.9)])  # fmt: skip
        windows = payment_windows(toks, [], POLICY, "it")
        assert [f.text for f in numbers_in_payment(toks, 0, windows, "it")] == [run]


def test_an_order_label_misheard_whose_last_syllable_ends_a_sentence_still_labels_the_number():
    # it-s61-029: "perfetto, pagamento registrato, il numero d'ordine è 8 7 3 2 3 5" heard
    # "perfetto 1 0 3 mi sono visto il numero di me. 8 7 3 2 3 5 2": the full stop after
    # the label's last syllable cut it off the number, which was joined to the security
    # code before it as one scattered card number, silencing the closing between
    from redactor.quantities import _after_label
    from redactor.scattered import scattered_numbers

    toks = heard([("2", 0.42), ("3", 0.14), ("3", 0.42), ("6.", 0.68), ("perfetto", 0.8),
                  ("1", 0.12), ("0", 0.11), ("3", 0.14), ("mi", 0.38), ("sono", 0.3),
                  ("visto", 0.13), ("il", 0.91), ("numero", 0.94), ("di", 0.17), ("me.", 0.31),
                  ("8", 0.17), ("7", 0.94), ("3", 0.64), ("2", 0.98), ("3", 0.99), ("5", 0.95),
                  ("2", 0.41), ("grazie", 0.5)])  # fmt: skip
    eight = next(k for k, t in enumerate(toks) if t.text == "8")
    assert toks[eight - 1].sentence_end
    assert _after_label(toks, eight, ("ordine",), language="it")
    assert scattered_numbers(toks, 0, "it") == []


def test_a_sentence_ended_on_any_other_word_still_cuts_the_label_off():
    from redactor.quantities import _after_label

    toks = tokens("il numero di contratto. 8 7 3 2")
    assert not _after_label(toks, 4, ("contratto",), language="it")
