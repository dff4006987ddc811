"""The caller saying why they call ("vorrei pagare una bolletta") opens a payment dialogue,
but nothing said before it belongs to that dialogue (session 35). The words are base's,
as measured on the stereo calls named, agent on channel 0 and caller on channel 1."""

import pytest

from policies.redaction import RedactionPolicy
from redactor.failclosed import numbers_in_payment, payment_windows
from redactor.tokens import normalize
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
