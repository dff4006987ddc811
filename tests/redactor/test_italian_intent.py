"""The caller saying why they call ("vorrei pagare una bolletta") opens a payment dialogue,
but nothing said before it belongs to that dialogue (session 35). The words are base's,
as measured on the stereo calls named, agent on channel 0 and caller on channel 1."""

import pytest

from policies.redaction import RedactionPolicy
from redactor.failclosed import numbers_in_payment, payment_windows
from redactor.tokens import normalize
from redactor.unheard_rules import unheard_to_redact
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()

CALLS = {
    # it-s59-026: "buongiorno, vorrei pagare una bolletta", "vorrei" heard "non sei"
    "it-s59-026": (
        "buongiorno/0.64/1.16/0.78 se/1.38/1.5/0.24 mi/1.5/1.7/0.26 si/1.7/2.0/0.08"
        " occlienti/2.0/2.58/0.73 sono/2.8/2.98/0.97 giulia/2.98/3.92/0.42"
        " buongiorno/4.5/5.02/0.93 non/5.2/5.38/0.25 hai/5.38/5.52/0.23"
        " pagare/5.52/5.96/0.47 la/5.96/6.16/0.48 malretta/6.16/6.76/0.51",
        "buongiorno/4.34/4.98/0.72 non/5.18/5.34/0.31 sei/5.34/5.48/0.13"
        " pagare/5.48/5.86/0.6 una/5.86/6.1/0.91 voletta/6.1/6.68/0.61",
    ),
    # it-s59-018 (8 kHz A-law): "buongiorno, vorrei" heard "un uno nove il"
    "it-s59-018": (
        "pronto/0.0/0.96/0.21 ufficio/1.2/1.72/0.91 pagamenti/1.72/2.46/0.79"
        " buongiorno/2.68/3.36/0.94 buongiorno/4.0/4.64/0.84 muovei/4.88/5.3/0.19"
        " pagamenta/5.3/5.9/0.31 voleta/5.9/6.56/0.19",
        "un/3.24/4.1/0.1 uno/4.1/4.38/0.07 nove/4.38/5.14/0.23 il/5.14/5.28/0.18"
        " pagamento/5.28/5.64/0.28 voleta/5.64/6.54/0.22",
    ),
}


def _timeline(call):
    agent, caller = CALLS[call]
    chans = [normalize(words(agent, 0), "it"), normalize(words(caller, 1), "it")]
    return chans, sorted((t for c in chans for t in c), key=lambda t: t.start)


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_number_heard_in_the_callers_greeting_before_their_intent_is_no_payment_detail(call):
    chans, timeline = _timeline(call)
    windows = payment_windows(timeline, [], POLICY, "it")
    assert windows and windows[0].opened_by_intent
    assert numbers_in_payment(chans[1], 1, windows, "it") == []


def test_a_number_after_the_callers_intent_is_still_judged_in_its_dialogue():
    chans, _ = _timeline("it-s59-026")
    chans[1] += normalize(words("quattro/6.9/7.2/0.5 cinque/7.3/7.6/0.5", 1), "it")
    timeline = sorted(chans[0] + chans[1], key=lambda t: t.start)
    windows = payment_windows(timeline, [], POLICY, "it")
    [found] = numbers_in_payment(chans[1], 1, windows, "it")
    assert found.text.replace(" ", "") == "45"


def test_a_dialogue_a_request_opens_still_reaches_back_over_a_number_stamped_early():
    toks = normalize(words("sei/4.3/4.9/0.4 carta/5.0/5.4/0.9 numero/5.4/5.8/0.9"), "it")
    [w] = payment_windows(toks, [], POLICY, "it")
    assert not w.opened_by_intent
    assert numbers_in_payment(toks, 0, [w], "it")


# -- the caller's intent is no answer (session 37) ---------------------------------------

# it-s59-018 channel 0 as measured, on to the agent's request that follows the intent
REQUEST_018 = (
    " vi/6.56/7.64/0.38 può/7.64/7.86/0.13 dare/7.86/8.1/0.8 il/8.1/8.3/0.87"
    " numero/8.3/8.56/0.98 della/8.56/9.04/0.5 carta/9.04/9.48/0.98"
)


def _windows_018():
    agent, caller = CALLS["it-s59-018"]
    chans = [normalize(words(agent + REQUEST_018, 0), "it"), normalize(words(caller, 1), "it")]
    timeline = sorted((t for c in chans for t in c), key=lambda t: t.start)
    return payment_windows(timeline, [], POLICY, "it")


def test_a_dialogue_the_callers_intent_opened_hears_its_first_detail_at_the_request():
    [window] = _windows_018()
    assert window.opened_by_intent
    assert window.intent_until == pytest.approx(8.3)  # "numero" of the agent's request
    assert not window.asked_by(6.77) and window.asked_by(8.6)


def test_the_callers_unheard_intent_is_not_silenced_as_an_unheard_answer():
    # "buongiorno, vorrei pagare una bolletta" heard "buongorno muoveri pagamenta voleta":
    # its voice-activity region 4.74-6.77 s ends before anything was asked
    assert unheard_to_redact([(4.74, 6.77)], _windows_018(), [], POLICY) == []


def test_unheard_speech_after_the_request_is_still_silenced_in_that_dialogue():
    assert unheard_to_redact([(10.2, 10.9)], _windows_018(), [], POLICY) == [(10.2, 10.9)]


def test_unheard_speech_running_on_past_the_first_detail_is_still_silenced():
    # the caller going on into the card number with no pause: no longer only the intent
    assert unheard_to_redact([(4.74, 9.9)], _windows_018(), [], POLICY)


def test_a_dialogue_a_request_opened_judges_what_comes_before_its_first_detail():
    toks = normalize(words("numero/5.0/5.4/0.9 carta/5.4/5.8/0.9"), "it")
    [w] = payment_windows(toks, [], POLICY, "it")
    assert w.asked_by(5.2)
