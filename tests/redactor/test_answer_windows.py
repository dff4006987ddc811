"""Answer windows after a request for contact details, as speech recognition shapes them."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def timeline(spec: str):
    """``word/start/end/probability`` items separated by spaces."""
    words = []
    for item in spec.split():
        w, s, e, p = item.split("/")
        words.append(Word(w, float(s), float(e), float(p), 0, 0))
    return normalize(words, "en")


def test_an_answer_run_on_from_the_request_without_a_pause_is_still_covered():
    # s0-015: "and your email address? john dot smith at mail dot co dot uk" heard with no
    # sentence end and no pause between the question and the answer
    toks = timeline(
        "and/16.9/17.0/0.83 your/17.0/17.2/0.81 email/17.2/17.5/0.98 address/17.5/18.2/1.0 "
        "is/18.2/18.8/0.28 not/18.8/18.9/0.49 missed/18.9/19.3/0.16 at/19.3/19.5/0.34 "
        "mail/19.5/19.7/0.91 co/19.7/20.2/0.48 uk/20.2/21.0/1.0 and/21.0/22.0/0.39 "
        "the/22.0/22.3/0.96 account/22.3/22.6/0.99 for/22.6/22.9/0.99 the/22.9/23.0/0.99 "
        "refund/23.0/23.5/0.98"
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "EMAIL_ADDRESS"]
    assert w.start <= 18.5 and w.end >= 20.8


def test_a_clearly_heard_request_still_ends_where_it_ends():
    toks = timeline(
        "what's/1.0/1.2/0.95 the/1.2/1.3/0.97 best/1.3/1.5/0.96 phone/1.5/1.8/0.99 "
        "number/1.8/2.1/0.99 to/2.1/2.2/0.97 reach/2.2/2.4/0.98 you/2.4/2.6/0.99 "
        "0/3.4/3.7/0.6 7/3.7/4.0/0.7 7/4.0/4.3/0.5"
    )
    windows = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "PHONE_NUMBER"]
    assert windows and all(w.start == 2.6 for w in windows)


def test_a_health_answer_misheard_as_confident_words_is_still_covered():
    # s0-033: "yes I've got high blood pressure" heard as "yes I love pressure", every word
    # confident; a run of four confident words must not end a health answer at "yes"
    toks = timeline(
        "do/1.0/1.2/0.95 you/1.2/1.3/0.97 have/1.3/1.5/0.96 any/1.5/1.7/0.99 "
        "medical/1.7/2.0/0.99 conditions?/2.0/2.5/0.99 yes/3.2/3.5/0.95 i/3.6/3.7/0.93 "
        "love/3.7/4.0/0.91 pressure./4.0/4.6/0.92 "
        "the/6.0/6.1/0.99 total/6.1/6.4/0.99 is/6.4/6.5/0.99 ready/6.5/6.9/0.99"
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "HEALTH"]
    assert w.start <= 3.7 and w.end >= 4.6
    assert w.end <= 6.0  # the next utterance, after a pause, is not the answer


def test_a_health_answer_window_never_runs_past_its_cap():
    words = " ".join(f"um/{3.0 + 0.5 * i:.1f}/{3.3 + 0.5 * i:.1f}/0.3" for i in range(40))
    toks = timeline("any/1.0/1.3/0.99 medical/1.3/1.7/0.99 conditions?/1.7/2.2/0.99 " + words)
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "HEALTH"]
    assert w.end <= 2.2 + 8.0


def test_a_follow_up_question_after_a_health_answer_opens_another_health_window():
    toks = timeline(
        "any/1.0/1.3/0.99 medical/1.3/1.7/0.99 conditions?/1.7/2.2/0.99 "
        "yes/3.0/3.3/0.95 i/3.4/3.5/0.95 have/3.5/3.8/0.95 epilepsy./3.8/4.5/0.95 "
        "anything/6.0/6.4/0.99 else?/6.4/6.8/0.99 "
        "i'm/8.0/8.2/0.95 on/8.2/8.4/0.95 what/8.4/8.6/0.93 for/8.6/8.8/0.92 in./8.8/9.3/0.9"
    )
    health = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "HEALTH"]
    assert any(w.start <= 8.6 and w.end >= 9.3 for w in health)


def test_anything_else_long_after_a_health_answer_is_not_a_health_question():
    toks = timeline(
        "any/1.0/1.3/0.99 medical/1.3/1.7/0.99 conditions?/1.7/2.2/0.99 "
        "no./3.0/3.3/0.95 "
        "anything/30.0/30.4/0.99 else?/30.4/30.8/0.99 "
        "no/32.0/32.2/0.95 thank/32.2/32.4/0.95 you/32.4/32.6/0.95 bye./32.6/33.0/0.95"
    )
    health = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "HEALTH"]
    assert all(w.end < 30.0 for w in health)


def test_a_run_of_confident_words_that_ends_the_answer_starts_after_a_pause_not_before():
    # s0-035: "... not K -0 not UK." then, after a pause, "and the account for the refund":
    # "UK" was counted as the first of four sure words and the window closed before it,
    # leaving the end of the e-mail address audible
    toks = timeline(
        "and/16.6/17.0/0.84 email/17.28/17.48/0.93 address./17.48/18.22/0.99 "
        "k/18.22/18.76/0.13 not/20.18/20.28/0.83 k/20.28/20.40/0.13 uk./20.78/21.36/0.76 "
        "and/22.30/22.44/0.88 the/22.44/22.66/0.96 account/22.66/23.0/0.97 for/23.0/23.24/0.98"
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "EMAIL_ADDRESS"]
    assert w.end >= 21.36 and w.end <= 22.30


def test_a_request_for_the_account_opens_an_iban_answer_however_the_answer_was_heard():
    # seed 1, s1-034: "and the account for the refund? the iban is G B eight two ..." heard
    # as "and the account for the reason, my number, you'd be able to, west 1, 2, ..."
    toks = timeline(
        "and/20.8/21.04/0.98 the/21.04/21.18/0.87 account/21.18/21.56/0.98 for/21.56/21.8/0.78 "
        "the/21.8/21.94/0.7 reason./21.94/22.56/0.89 my/23.0/23.22/0.3 number/23.22/23.58/0.17 "
        "you'd/23.58/24.16/0.14 be/24.16/24.22/0.87 able/24.22/24.54/0.44 to/24.54/25.14/0.99 "
        "west/25.14/25.44/0.25 1/25.44/25.8/0.56 2/25.98/26.0/0.82"
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "IBAN_CODE"]
    assert w.start <= 23.0 and w.end >= 26.0


def test_a_code_window_starting_in_its_requests_breath_starts_after_that_breath():
    # Regression (it-s18-006, 16 kHz mono): "e l'IBAN per il rimborso?" heard "e li va per
    # il imporso", "il" and "imporso" unsure: the IBAN's window started after "per", and
    # the rest of the agent's question was silenced with the answer
    from redactor.answer_edges import AnswerWindow, after_own_breath
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "e/23.44/23.78/0.9 li/23.78/23.88/0.8 va/23.88/24.02/0.8 per/24.02/24.24/0.9"
        " il/24.24/24.44/0.5 imporso/24.44/25.12/0.3 l/25.12/26.04/0.3 imane/26.04/26.26/0.4"
        " è/26.26/26.72/0.6 i/26.96/27.08/0.5 digno/27.08/27.34/0.3"), "it")  # fmt: skip
    speech = {0: [(23.66, 25.24), (25.9, 26.68), (26.92, 27.8)]}
    w = AnswerWindow(24.24, 38.54, "IBAN_CODE")
    assert after_own_breath(w, speech, toks, "it").start == 25.24
    # ... but not when the rest of the breath holds a character of a code
    said = normalize(words("per/24.02/24.24/0.9 i/24.3/24.5/0.4 ti/24.6/24.8/0.4"), "it")
    assert after_own_breath(w, speech, said, "it") == w
    # ... nor a health window (health_windows.after_question judges those)
    health = AnswerWindow(24.24, 38.54, "HEALTH")
    assert after_own_breath(health, speech, toks, "it") == health


def test_a_window_a_spelled_letter_opened_is_not_moved_past_its_breath():
    # Regression (it-s23-018, 16 kHz stereo): the last letter of a codice fiscale, "X come
    # ...", heard "di scroc merilofono" after "uno nome" (1 9): the window its place opened
    # started in the breath, was taken for a request's and moved past it, and the X leaked
    from redactor.answer_edges import AnswerWindow, after_own_breath
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "dune/24.82/25.0/0.14 uno/25.28/25.54/0.93 nome/25.8/26.08/0.84 di/26.52/26.62/0.13"
        " scroc/26.62/26.98/0.6 merilofono/26.98/27.62/0.56"), "it")  # fmt: skip
    w = AnswerWindow(26.98, 32.68, "IT_IDENTITY_CARD")
    assert after_own_breath(w, {0: [(19.37, 27.8)]}, toks, "it") == w
