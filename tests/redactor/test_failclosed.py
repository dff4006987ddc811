"""Unit tests for the fail-closed rules and anchored alignment, including every failure we
saw on real recognition output (kept as regression tests)."""

from policies.redaction import RedactionPolicy
from redactor.align import clip_to_speech, finding_interval
from redactor.detect import Finding
from redactor.failclosed import (
    keep_in_context,
    numbers_in_payment,
    payment_windows,
    unexplained_speech,
)
from redactor.request_words import _request_words
from tests.fixtures.tokens import seq, tok

POLICY = RedactionPolicy()


def test_a_collapsed_digit_run_is_silenced_from_the_last_trusted_word_to_the_next():
    # Regression: digits read from 14.5 s came out as one token stamped at 21.8-22.4 s.
    tokens = seq(("number", 13.9, 14.3), ("is", 14.3, 14.5),
                 ("6011658035173748", 21.8, 22.4, 0.6), ("thank", 23.0, 23.3))  # fmt: skip
    f = Finding("CREDIT_CARD", 1.0, "t", 0, 2, 2, 21.8, 22.4, "6011658035173748")
    span = finding_interval(f, tokens, {2}, 0.6, 0.15, 0.2)
    assert span[0] <= 14.5 and span[1] >= 22.6
    pieces = clip_to_speech(span, [(14.5, 22.5)], [(21.8, 22.4)], 0.15, 0.2)
    assert pieces[0][0] <= 14.5 and pieces[-1][1] >= 22.4


def test_an_untrusted_anchor_word_stretched_over_the_digits_is_skipped():
    tokens = seq(("is", 13.0, 21.0), ("4", 21.0, 21.2, 0.9), ("thanks", 21.5, 21.9))
    f = Finding("CREDIT_CARD", 1.0, "t", 0, 1, 1, 21.0, 21.2, "4")
    span = finding_interval(f, [tok("yes", 12.5, 12.9), *tokens], {2}, 0.6, 0.15, 0.2)
    assert span[0] <= 13.0


def test_numbers_inside_a_payment_dialogue_are_sensitive_even_without_a_lead_in():
    # Regression: "security code" was heard as "free ticket"; the answer "637" follows.
    tokens = seq(("card", 1.0, 1.3), ("number", 1.3, 1.6), ("free", 5.0, 5.2),
                 ("ticket", 5.2, 5.5, 0.95, "", True), ("637", 6.0, 6.6, 0.3))  # fmt: skip
    windows = payment_windows(tokens, [], POLICY)
    found = numbers_in_payment(tokens, 0, windows)
    assert [f.text for f in found] == ["637"]
    assert found[0].entity_type == "CARD_SECURITY_CODE"


def test_a_number_with_a_unit_or_a_reference_label_is_harmless_in_a_payment_dialogue():
    tokens = seq(("card", 1.0, 1.3), ("number", 1.3, 1.6), ("20", 2.0, 2.3),
                 ("minutes", 2.3, 2.7), ("order", 3.0, 3.3), ("number", 3.3, 3.6),
                 ("58213", 3.7, 4.5))  # fmt: skip
    windows = payment_windows(tokens, [], POLICY)
    assert numbers_in_payment(tokens, 0, windows) == []


def test_the_payment_dialogue_closes_when_the_conversation_has_moved_on():
    tokens = seq(("card", 1.0, 1.3), ("number", 1.3, 1.6), ("went", 10.0, 10.2),
                 ("through", 10.2, 10.5), ("123", 12.0, 12.5))  # fmt: skip
    windows = payment_windows(tokens, [], POLICY)
    assert len(windows) == 1 and windows[0].end <= 10.2
    assert numbers_in_payment(tokens, 0, windows) == []


def test_a_three_digit_number_outside_any_payment_dialogue_is_not_a_security_code():
    tokens = seq(("room", 0.0, 0.3), ("212", 0.4, 0.9))
    f = Finding("CARD_SECURITY_CODE", 0.5, "t", 0, 1, 1, 0.4, 0.9, "212")
    assert keep_in_context([f], tokens, [], "en") == []


def test_speech_no_trusted_word_accounts_for_is_reported_as_unexplained():
    # Regression: a short answer ("637") was not transcribed at all.
    tokens = seq(("code", 1.0, 1.4), ("please", 1.4, 1.8), ("thanks", 4.0, 4.4))
    gaps = unexplained_speech([(1.0, 1.8), (2.5, 3.2), (4.0, 4.4)], tokens, 0.6)
    assert gaps == [(2.5, 3.2)]


def test_low_confidence_words_do_not_explain_speech():
    tokens = seq(("fees", 1.0, 1.5, 0.2))
    assert unexplained_speech([(1.0, 1.5)], tokens, 0.6) == [(1.0, 1.5)]


def test_the_words_of_a_payment_request_anchor_a_card_span_however_unsure():
    # s1-022 (English seed 1, mono): "and the expiry date" after the card heard at
    # 0.20-0.67; the card's span ran on over the agent's question to "date"
    tokens = seq(("798784901", 24.0, 29.02, 0.2), ("and", 29.02, 30.22, 0.2),
                 ("the", 30.22, 30.56, 0.39), ("expiry", 30.56, 30.92, 0.46),
                 ("date", 30.92, 31.96, 0.5), ("of", 31.96, 32.58, 0.17))  # fmt: skip
    f = Finding("CREDIT_CARD", 1.0, "t", 0, 0, 0, 24.0, 29.02, "798784901")
    assert finding_interval(f, tokens, {0}, 0.6, 0.15, 0.2)[1] > 32.0
    anchors = _request_words(tokens, "en")
    assert anchors == {1, 2, 3, 4}  # "and the" opens it, in its breath
    # "and" (0.2, stamped 1.2 s) counts from where a word of its length can have started
    assert finding_interval(f, tokens, {0}, 0.6, 0.15, 0.2, anchors=anchors)[1] <= 30.56 + 0.2


def test_one_word_of_a_request_heard_alone_is_no_anchor():
    tokens = seq(("4", 1.0, 1.3, 0.3), ("date", 1.4, 1.8, 0.3), ("7", 2.0, 2.3, 0.3))
    assert _request_words(tokens, "en") == set()
