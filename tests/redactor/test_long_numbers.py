"""A long number read out anywhere in a call is redacted, even when no cue said what it is."""

from __future__ import annotations

from redactor.failclosed import long_numbers
from redactor.tokens import normalize
from redactor.transcribe import Word


def tokens(text: str, language: str = "en"):
    ws = [Word(w, i * 0.4, i * 0.4 + 0.3, 0.9, 0, 0) for i, w in enumerate(text.split())]
    return normalize(ws, language)


def texts(findings):
    return [f.text for f in findings]


def test_an_iban_whose_lead_in_was_misheard_still_loses_its_digits():
    toks = tokens("the refund is eba2 middle 1 2 3 4 5 6 7 8 9 thank you")
    [f] = long_numbers(toks, 0, 8)
    assert f.entity_type == "ID_NUMBER" and f.text.startswith("1 2 3")


def test_a_card_number_read_outside_any_payment_dialogue_counts_as_a_card():
    toks = tokens("so it is 4 5 3 2 7 8 1 6 3 3 4 4 9 9 0 9 okay")
    [f] = long_numbers(toks, 0, 8)
    assert f.entity_type == "CREDIT_CARD"


def test_short_numbers_numbers_with_units_and_labelled_references_stay():
    assert long_numbers(tokens("it takes 20 minutes and costs 45 pounds"), 0, 8) == []
    assert long_numbers(tokens("your order number is 4 5 1 2 8 8 1 2 3"), 0, 8) == []
    assert long_numbers(tokens("that is 123456789 seconds"), 0, 8) == []


def test_italian_digit_words_are_read_as_one_long_number():
    toks = tokens("il conto è uno due tre quattro cinque sei sette otto nove grazie", "it")
    assert texts(long_numbers(toks, 0, 8, "it")) == ["123456789"]


def test_the_rule_is_off_when_the_policy_says_zero():
    assert long_numbers(tokens("1 2 3 4 5 6 7 8 9"), 0, 0) == []


def test_a_digit_glued_to_a_misheard_word_in_a_payment_dialogue_is_a_number():
    # "493" heard as "for the in3" after the security-code question
    from policies.redaction import RedactionPolicy
    from redactor.failclosed import numbers_in_payment, payment_windows

    toks = tokens("and the security code on the back for the in3 let me read that back")
    windows = payment_windows(toks, [], RedactionPolicy(), "en")
    found = numbers_in_payment(toks, 0, windows, "en")
    assert [f.text for f in found] == ["for the in3"]


def test_a_word_said_without_a_pause_inside_a_long_number_does_not_split_it():
    # s0-005: "G B eight two, midl one two three four ..." heard as "8 -2, middle 1, 2, 3,
    # 4, 5, 6 ...": the bank code, a longer word glued to the digits, cut the check digits
    # off the run and they stayed audible
    words = [("8", 26.0, 26.46), ("-2", 26.46, 27.18), ("middle", 27.36, 27.54),
             ("1", 27.54, 27.82), ("2", 28.02, 28.08), ("3", 28.1, 28.42), ("4", 28.42, 29.04),
             ("5", 29.34, 29.46), ("6", 29.56, 29.94), ("7", 30.06, 30.16)]  # fmt: skip
    toks = normalize([Word(w, s, e, 0.9, 0, 0) for w, s, e in words], "en")
    [f] = long_numbers(toks, 0, 8)
    assert f.start == 26.0


def test_a_word_after_a_pause_still_ends_a_number():
    words = [("8", 1.0, 1.3), ("2", 1.4, 1.7), ("delivery", 2.4, 2.9), ("1", 3.5, 3.8),
             ("2", 3.9, 4.2), ("3", 4.3, 4.6), ("4", 4.7, 5.0), ("5", 5.1, 5.4),
             ("6", 5.5, 5.8), ("7", 5.9, 6.2), ("8", 6.3, 6.6)]  # fmt: skip
    toks = normalize([Word(w, s, e, 0.9, 0, 0) for w, s, e in words], "en")
    [f] = long_numbers(toks, 0, 8)
    assert f.start == 3.5


def test_a_digit_homophone_after_two_short_words_links_an_italian_card_read_in_pieces():
    # it-s36-009 (a fresh corpus): a card, its request misheard ("mi rilumelo me la calda"),
    # heard "0 1 1 1 9 e il nero 8 e 8 e 3 4 5 2": two runs of five and seven digits, no
    # long number, and its last eight digits leaked
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "0/25.56/28.0/0.5 1/28.0/28.74/0.0 1/28.74/29.78/0.0 1/29.78/30.58/0.0"
        " 9/30.58/31.5/0.37 e/31.5/32.24/0.21 il/32.52/32.96/0.68 nero/32.96/33.24/0.98"
        " 8/33.24/33.96/0.0 e/33.96/34.8/0.0 8/34.98/35.84/0.0 e/35.84/36.58/0.0"
        " 3/36.9/37.54/0.68 4/37.54/38.66/0.92 5/38.66/39.44/0.79 2/39.44/40.6/0.77"
        " e/40.6/41.54/0.4 la/41.54/41.64/0.32 nata/41.64/41.9/0.79"), "it")  # fmt: skip
    [f] = long_numbers(toks, 0, 8, "it")
    assert f.start <= 25.56 and f.end >= 40.6
    # ... but two short words before an ordinary word still end a number
    toks = normalize(words(
        "0/25.56/28.0/0.5 1/28.0/28.74/0.9 1/28.74/29.78/0.9 1/29.78/30.58/0.9"
        " e/31.5/32.24/0.21 il/32.52/32.96/0.68 conto/32.96/33.24/0.98"
        " 8/33.24/33.96/0.9 3/36.9/37.54/0.68 4/37.54/38.66/0.92 5/38.66/39.44/0.79"), "it")  # fmt: skip
    assert long_numbers(toks, 0, 8, "it") == []
