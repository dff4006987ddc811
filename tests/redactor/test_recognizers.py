"""Recognizers on transcript text, with the real Presidio engine and spaCy pipeline."""

import pytest

from redactor.detect import Detector
from redactor.recognizers import luhn_ok
from redactor.recognizers.contact import iban_ok
from redactor.tokens import normalize
from redactor.transcribe import Word


@pytest.fixture(scope="module")
def detector():
    return Detector(
        ("CREDIT_CARD", "HEALTH", "EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER", "US_SSN"), "en"
    )


def find(detector, text):
    ws = [Word(w, i * 0.3, i * 0.3 + 0.25, 0.9, 0, 0) for i, w in enumerate(text.split())]
    return {(f.entity_type, f.text) for f in detector.detect(normalize(ws), 0)}


def test_luhn_and_iban_checksums():
    assert luhn_ok("4539148803436467") and not luhn_ok("4539148803436468")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")


@pytest.mark.parametrize(
    "text",
    [
        "my card is 4,539,148,803,436,467 thanks",
        "my card is 4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7 thanks",
        "my card is four five three nine one four eight eight oh three four three six four six seven",
        "my card is 4539 1488. 0343 6467.",
    ],
)
def test_a_card_number_is_found_however_recognition_wrote_it(detector, text):
    assert any(e == "CREDIT_CARD" for e, _ in find(detector, text))


def test_a_card_number_with_one_misheard_digit_is_still_found_next_to_card_words(detector):
    assert any(
        e == "CREDIT_CARD" for e, _ in find(detector, "the card number is 4539 1488 0343 6468")
    )


def test_health_terms_are_found_despite_a_misheard_word(detector):
    found = find(detector, "my doctor says I have chronic kidney fees")
    assert ("HEALTH", "chronic kidney fees") in found


def test_words_after_a_strong_health_trigger_are_health_data_even_when_garbled(detector):
    found = find(detector, "I was diagnosed with chronic deleted fees. ok")
    assert any(e == "HEALTH" and "deleted" in t for e, t in found)


def test_a_spoken_email_address_is_found(detector):
    assert any(
        e == "EMAIL_ADDRESS" for e, _ in find(detector, "it is john dot smith at gmail dot com")
    )


def test_a_spelled_out_iban_is_found(detector):
    text = "my iban is G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 2"
    assert any(e == "IBAN_CODE" for e, _ in find(detector, text))


def test_ordinary_sentences_and_small_numbers_are_not_flagged(detector):
    assert find(detector, "it took twenty minutes to get through and I waited 3 days") == set()


def test_presidio_start_up_does_not_touch_the_network(monkeypatch):
    import socket

    def refuse(*a, **k):
        raise AssertionError("network access at start-up")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    d = Detector(("EMAIL_ADDRESS",), "en")
    assert d.detect(normalize([Word("a@example.com", 0, 1, 0.9, 0, 0)]), 0)
