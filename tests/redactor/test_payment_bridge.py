"""Inside a payment dialogue, short words between two redactions are misheard digits."""

from __future__ import annotations

from redactor.align import Interval
from redactor.failclosed import bridge_in_windows
from redactor.unheard import PaymentWindow
from tests.fixtures.tokens import seq

REDACTED = [Interval(10.0, 11.0, 0, "CREDIT_CARD", 0.9, "x"), Interval(12.0, 13.0, 0, "CREDIT_CARD", 0.9, "x")]  # fmt: skip
WINDOW = [PaymentWindow(9.0, 14.0)]


def _spans(intervals):
    return [(iv.start, iv.end) for iv in intervals]


def test_short_words_between_two_redacted_card_digits_are_redacted_too():
    heard = {0: seq(("fine", 11.1, 11.4), ("or", 11.5, 11.8))}  # "nine", "four"
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard)) == [(10.0, 13.0)]


def test_a_longer_word_a_longer_gap_or_no_payment_dialogue_keeps_the_gap():
    heard = {0: seq(("delivery", 11.1, 11.8))}
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard)) == [(10, 11), (12, 13)]
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 0.5, {})) == [(10, 11), (12, 13)]
    assert _spans(bridge_in_windows(REDACTED, [PaymentWindow(0, 5)], 1.5, {})) == [
        (10, 11),
        (12, 13),
    ]


def test_confident_short_words_in_a_row_are_the_agent_talking_not_misheard_digits():
    # s0-001: "let me read that back" between the security code and the read-back, every
    # word short and heard with confidence, was silenced as if it were digits
    heard = {0: seq(("me", 11.05, 11.2, 0.99), ("read", 11.2, 11.45, 0.85),
                    ("that", 11.45, 11.7, 0.45), ("mac", 11.7, 11.95, 0.93))}  # fmt: skip
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard)) == [(10, 11), (12, 13)]


def test_confident_words_that_sound_like_digits_still_bridge():
    heard = {0: seq(("for", 11.1, 11.4, 0.95), ("free", 11.5, 11.8, 0.92))}  # "four three"
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard)) == [(10.0, 13.0)]


def test_a_bridge_covers_only_where_its_channel_spoke():
    # en-s0-009 (two channels): the customer's channel was quiet while the agent asked
    # "and the expiry date?", but a "1" stamped back over the question bridged the
    # customer's card and expiry, and every channel is silenced where any one is
    heard = {0: seq(("1", 11.05, 11.95, 0.99))}
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard, speech={0: [(9.9, 11.0), (12.0, 13.0)]})) == [(10, 11.1), (11.9, 13)]  # fmt: skip
    spoke = bridge_in_windows(REDACTED, WINDOW, 1.5, heard, speech={0: [(11.5, 11.8)]})
    assert _spans(spoke) == [(10, 11), (11.4, 11.9), (12, 13)]


def test_the_words_of_a_payment_request_are_the_talk_going_on_however_short():
    # en-s1-000: "and the expiry date" heard "and the x i are in aid", every word short and
    # unsure, between the card and the expiry: the bridge had silenced the question
    words = seq(("and", 11.05, 11.1, 0.34), ("the", 11.1, 11.25, 0.95), ("x", 11.25, 11.4, 0.34),
                ("i", 11.4, 11.55, 0.3), ("are", 11.55, 11.65, 0.54), ("aid", 11.65, 11.9, 0.3))  # fmt: skip
    heard = {0: words}
    assert _spans(bridge_in_windows(REDACTED, WINDOW, 1.5, heard)) == [(10.0, 13.0)]
    asked = {0: set(range(len(words)))}
    bridged = bridge_in_windows(REDACTED, WINDOW, 1.5, heard, requests=asked)
    assert _spans(bridged) == [(10, 11), (12, 13)]


def test_a_gap_shorter_than_a_digit_is_bridged_whatever_was_heard_in_it():
    # it-s43-014 (session 27): "... 1 1 1 0 tingu (0.95) e (0.98) 2 111" for "3 5 2 1 1 1":
    # "tingu" (a 5) is five letters, and the 0.53 s gap it stood in was left audible
    redacted = [Interval(10.0, 11.0, 0, "CREDIT_CARD", 0.9, "x"),
                Interval(11.53, 12.5, 0, "CREDIT_CARD", 0.9, "x")]  # fmt: skip
    heard = {0: seq(("tingu", 10.9, 11.58, 0.95), ("e", 11.58, 11.68, 0.98))}
    assert _spans(bridge_in_windows(redacted, WINDOW, 1.5, heard)) == [(10.0, 12.5)]
    # ... but a longer gap with a long word in it is the conversation going on
    later = [redacted[0], Interval(11.8, 12.5, 0, "CREDIT_CARD", 0.9, "x")]
    assert _spans(bridge_in_windows(later, WINDOW, 1.5, heard)) == [(10.0, 11.0), (11.8, 12.5)]


def test_a_word_of_courtesy_in_a_short_gap_keeps_it_open():
    # "... 4 3, perfetto, 5 ..." (it-s42-033): a short gap is a digit at most, but not when
    # a word of courtesy was heard in it (0.4 points on two corpora when bridged)
    redacted = [Interval(10.0, 11.0, 0, "CREDIT_CARD", 0.9, "x"),
                Interval(11.55, 12.5, 0, "CREDIT_CARD", 0.9, "x")]  # fmt: skip
    heard = {0: seq(("perfetto", 11.02, 11.5, 0.7))}
    assert _spans(bridge_in_windows(redacted, WINDOW, 1.5, heard, "it")) == [
        (10.0, 11.0),
        (11.55, 12.5),
    ]
