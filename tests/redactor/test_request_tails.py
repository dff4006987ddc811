"""Payment requests found by their tail: "... le tre cifre sul retro" (session 21)."""

from redactor.request_tails import tail_requests
from redactor.tokens import normalize
from tests.fixtures.tokens import words

# it-s8-032 (mono): "e il codice di sicurezza? sono le tre cifre sul retro" heard with
# its head as "il domicelifico", then the customer's code after a pause
ASKED = (
    "e/27.64/27.72/0.35 il/27.72/27.88/0.47 domicelifico/27.88/28.64/0.37 che/28.64/28.84/0.69"
    " sono/28.84/29.66/0.29 le/29.66/29.92/0.21 3/29.92/29.96/0.31 cite/29.96/30.38/0.23"
    " su/30.38/30.6/0.32 un/30.6/30.68/0.3 metro/30.68/30.9/0.19 ehi/32.1/32.52/0.5"
)
ASKED_SPEECH = [(27.628, 29.396), (29.58, 31.348), (32.268, 33.556)]


def test_a_question_heard_only_by_its_tail_is_the_agent_asking():
    toks = normalize(words(ASKED), "it")
    [(first, last, start, end)] = tail_requests(toks, ASKED_SPEECH, "it")
    assert [t.text for t in toks[first : last + 1]] == ["le", "3", "cite", "su", "un", "metro"]
    assert (start, end) == (29.58, 31.348)


def test_a_code_read_in_the_breath_of_the_tail_is_no_request():
    toks = normalize(words("sul/10.0/10.2/0.9 retro/10.2/10.5/0.9 7/10.6/10.9/0.9 "
                           "4/11.0/11.3/0.9 5/11.4/11.7/0.9"), "it")  # fmt: skip
    assert tail_requests(toks, [(9.9, 11.8)], "it") == []


def test_a_breath_with_more_digits_than_a_question_is_no_request():
    toks = normalize(words("1/9.0/9.3/0.9 2/9.4/9.6/0.9 3/9.7/9.9/0.9 sul/10.0/10.2/0.9 "
                           "retro/10.2/10.5/0.9"), "it")  # fmt: skip
    assert tail_requests(toks, [(8.9, 10.6)], "it") == []


def test_english_has_no_tails_to_find():
    toks = normalize(words("on/1.0/1.2/0.9 the/1.2/1.3/0.9 back/1.3/1.6/0.9"), "en")
    assert tail_requests(toks, [(0.9, 1.7)], "en") == []


def test_the_breath_of_a_question_heard_by_its_tail_stays_audible_in_a_payment_dialogue():
    from tests.fixtures.plan import silenced

    card = " ".join(f"{d}/{20.0 + 0.5 * i:.1f}/{20.3 + 0.5 * i:.1f}/0.9"
                    for i, d in enumerate("4539148803436467"))  # fmt: skip
    toks = normalize(words("mi/18.0/18.2/0.9 legge/18.2/18.5/0.9 il/18.5/18.6/0.9 "
                           f"numero/18.6/18.9/0.9 della/18.9/19.1/0.9 carta/19.1/19.5/0.9 {card} "
                           + ASKED + " 6/32.6/32.9/0.9 1/33.0/33.2/0.9 7/33.3/33.5/0.9"), "it")  # fmt: skip
    speech = [(17.9, 19.6), (19.9, 28.2)] + ASKED_SPEECH[1:]
    cut = silenced(toks, speech, [], "it")
    assert not any(s < 30.6 and e > 29.6 for s, e in cut)  # "le tre cifre sul"
    assert any(s <= 32.6 and e >= 33.5 for s, e in cut)


def test_a_tail_whose_breath_starts_with_the_heard_requests_last_word_is_still_the_request():
    # it-s54-011 (16 kHz stereo), session 30: "e il codice di sicurezza? sono le tre cifre
    # sul retro", its "sono" stamped from the first breath over the start of the second
    from redactor.misheard import misheard_requests

    toks = normalize(words(
        "9/38.76/39.0/0.91 e/39.92/40.22/0.74 il/40.22/40.38/0.97 codice/40.38/40.76/0.82"
        " di/40.76/40.96/1.0 sicurezza/40.96/41.74/0.95 sono/41.74/42.34/0.91"
        " le/42.34/42.5/0.92 3ci/42.5/42.96/0.33 fra/42.96/43.1/0.18 sul/43.1/43.3/0.12"
        " retro/43.3/43.7/0.57 allora/44.56/45.12/0.76 165/45.64/47.3/0.4"), "it")  # fmt: skip
    speech = [(38.252, 39.252), (40.108, 41.876), (42.124, 43.956), (44.716, 45.332)]
    found = misheard_requests(toks, speech, "it")
    assert any(s <= 42.2 and e >= 43.9 for _f, _l, s, e in found)
    # the code after it is no part of any request
    assert all(toks[last].text != "165" for _f, last, _s, _e in found)
