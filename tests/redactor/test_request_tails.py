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
