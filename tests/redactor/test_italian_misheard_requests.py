"""Italian payment requests base misheard around the one word it heard well ("sicurezza",
"scadenza"): the rest of the question's breath is the agent asking, not a code. Built from
the words measured on it-s0-035 (session 12)."""

from __future__ import annotations

from redactor.detect import Finding
from redactor.misheard import misheard_requests
from redactor.tokens import normalize
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# "mi dice la scadenza della carta?" / "zero otto barra trentuno" / "il codice di
# sicurezza, le tre cifre sul retro" / "1 4 2", one channel
CALL = (
    "dice/37.3/37.5/0.8 la/37.5/37.7/0.65 scavenza/37.7/38.22/0.78 nella/38.22/38.54/0.41"
    " carta/38.54/39.0/0.71 2/39.66/39.92/0.18 2/40.18/40.4/0.44 3/40.44/40.68/0.34"
    " 1/41.0/41.3/0.65 il/42.16/42.58/0.72 comico/42.58/42.84/0.26 di/42.84/43.1/0.83"
    " sicurezza/43.1/43.86/0.92 le/44.02/44.18/0.53 3/44.18/44.36/0.39 ci/44.36/44.68/0.25"
    " prezune/44.68/44.94/0.34 metro/44.94/45.44/0.3 1/46.14/46.44/0.89 4/46.6/47.12/0.89"
    " 2/47.5/48.0/1.0"
)
SPEECH = [(37.16, 39.22), (39.79, 41.59), (42.41, 45.62), (46.25, 47.51), (47.82, 48.31)]


def test_the_breath_after_a_heard_head_word_is_the_request():
    toks = normalize(words(CALL), "it")
    assert [t.text for t in toks[9:18]] == [
        "il", "comico", "di", "sicurezza", "le", "3", "ci", "prezune", "metro"
    ]  # fmt: skip
    # "il" is stamped back over the pause before the breath: the request starts with it
    assert misheard_requests(toks, SPEECH, "it") == [(0, 4, 37.16, 39.22), (9, 17, 42.41, 45.62)]


def test_a_head_word_misheard_but_ending_as_it_does_still_makes_a_request():
    # it-s1-034: "il codice di sicurezza, le tre cifre sul retro" heard "il tuo piccola di
    # (0.39) piccurezza (0.7) le 3 pi per suonetro": its "3" was silenced as the code
    spec = ("il/0.1/0.3/0.39 tuo/0.3/0.4/0.04 piccola/0.4/0.8/0.29 di/0.8/0.9/0.39"
            " {}/0.9/1.5/0.7 le/1.5/1.7/0.65 3/1.7/1.9/0.57 pi/1.9/2.0/0.18"
            " suonetro/2.0/2.6/0.43")  # fmt: skip
    heard = normalize(words(spec.format("piccurezza")), "it")
    # ... from its breath's start: the "il" before it is the request's too (session 42)
    assert misheard_requests(heard, [(0.0, 2.7)], "it") == [(1, 8, 0.0, 2.7)]
    # a word ending like it but less alike ("certezza", 0.71) is no request
    other = normalize(words(spec.format("certezza")), "it")
    assert misheard_requests(other, [(0.0, 2.7)], "it") == []


def test_a_head_word_followed_by_the_code_or_by_is_is_someone_telling_it():
    spec = "il/0.1/0.3/0.9 codice/0.3/0.7/0.9 di/0.7/0.8/0.9 sicurezza/0.8/1.4/0.9 {} 1/1.6/1.9/0.9"
    told = normalize(words(spec.format("è/1.4/1.5/0.9")), "it")
    read = normalize(words(spec.format("4/1.4/1.5/0.5 2/2.0/2.3/0.9")), "it")
    assert misheard_requests(told, [(0.0, 2.0)], "it") == []
    assert misheard_requests(read, [(0.0, 2.4)], "it") == []


def test_a_misheard_security_question_stays_audible_and_its_answer_does_not():
    toks = normalize(words(CALL), "it")
    code = Finding("CARD_SECURITY_CODE", 0.9, "SecurityCodeRecognizer", 0, 18, 20, 46.14,
                   48.0, "1 4 2")  # fmt: skip
    cut = silenced(toks, SPEECH, [code])
    assert not any(s < 45.2 and e > 42.7 for s, e in cut)  # "codice di sicurezza, le tre ..."
    assert any(s <= 46.3 and e >= 47.9 for s, e in cut)  # "1 4 2"


def test_an_expiry_answer_starts_after_the_breath_of_its_misheard_question():
    toks = normalize(words(CALL), "it")
    cut = silenced(toks, SPEECH, [])
    assert not any(s < 38.8 and e > 38.3 for s, e in cut)  # "... della carta?"
    assert any(s <= 39.8 and e >= 41.5 for s, e in cut)  # "zero otto barra trentuno"


def test_a_request_never_takes_in_the_card_digit_its_article_was_stamped_over():
    # it-s1-036: the card's last digit "1" said at 26.87 s, then "la scadenza?" at 27.96 s;
    # base stamped "la" from 27.08 s, in the digit's breath. Taken from the article, the
    # request was that breath and held the "1", which was cut off the card and leaked
    toks = normalize(words(
        "7/25.66/26.12/0.99 1/26.66/27.08/0.99 la/27.08/28.06/0.21 scadenza/28.06/28.76/0.65"
        " giunio/28.76/29.82/0.38 2/29.82/30.06/0.2"), "it")  # fmt: skip
    speech = [(24.94, 25.46), (25.84, 26.26), (26.86, 27.35), (27.95, 28.88), (29.52, 30.87)]
    [(first, _last, start, end)] = misheard_requests(toks, speech, "it")
    assert toks[first].text == "la" and (start, end) == (27.95, 28.88)


def test_an_address_said_on_in_its_requests_breath_starts_after_the_request():
    # it-s54-010 (8 kHz flac, mono), session 30: the phone number, then "e l'indirizzo
    # email?" heard "e l individo è mai" and the address run on with no pause; the window
    # found by the address's ending ("punto id") started with the request and silenced it
    from policies.redaction import RedactionPolicy
    from redactor.answers import contact_windows
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "ricontattare/7.82/8.76/0.93 allora/8.76/9.8/0.6 3/10.12/10.4/0.08 6/10.4/11.08/0.36"
        " 0/11.08/11.44/0.57 6/11.58/12.12/0.38 3/12.12/12.32/0.82 6/12.32/12.92/0.04"
        " 7/13.14/13.62/0.22 7/13.9/14.14/0.48 4/14.14/14.72/0.07 4/14.9/15.54/0.92"
        " e/16.22/16.64/0.57 l/16.64/16.78/0.91 individo/16.78/17.32/0.62 è/17.32/17.46/0.56"
        " mai/17.46/17.68/0.95 anna/17.68/18.62/0.4 trattino/18.62/19.12/0.75"
        " matto/19.12/19.48/0.54 per/19.48/19.66/0.55 ravi/19.66/19.94/0.38"
        " chioccio/19.94/20.44/0.39 la/20.44/20.58/0.72 libero/20.58/20.9/0.92"
        " punto/20.9/21.16/0.96 id/21.16/21.44/0.31"), "it")  # fmt: skip
    email = [w for w in contact_windows(toks, RedactionPolicy(), "it")
             if w.entity_type == "EMAIL_ADDRESS"]  # fmt: skip
    assert email and min(w.start for w in email) >= 17.4
    assert max(w.end for w in email) >= 21.44


def test_an_address_with_no_request_in_it_keeps_its_start():
    from redactor.answers import AnswerWindow
    from redactor.dictation_windows import after_asked

    w = AnswerWindow(16.22, 21.69, "EMAIL_ADDRESS")
    asked = [AnswerWindow(17.68, 22.4, "EMAIL_ADDRESS")]
    assert after_asked(w, asked, [16.22]).start == 17.68
    assert after_asked(w, asked, []).start == 16.22  # no request said in it
    assert after_asked(w, [AnswerWindow(17.68, 22.4, "PHONE_NUMBER")], [16.22]).start == 16.22
