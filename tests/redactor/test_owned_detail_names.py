"""The words between a possessive heard surely and its verb name the detail, whatever ASR
wrote for them: "il mio cellulare è" came out "il mio 6 9 è" on the caller's channel of
a 16 kHz stereo call (it-s62-002, session 43, words as base wrote them), and the long
number and the phone's answer window took the caller's naming in."""

from __future__ import annotations

from redactor.detect import Finding
from redactor.numbers import named_details
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds, silenced_channels
from tests.fixtures.tokens import words

# "mi lascia un recapito telefonico?" / "il mio cellulare è" / "367" / "9912974"
AGENT = (
    "mi/6.92/7.06/0.79 lascia/7.06/7.34/0.77 un/7.34/7.52/0.92 peccato/7.52/8.06/0.33"
    " telefonico./8.06/8.72/0.79 il/9.2/9.46/0.96 mio/9.46/9.66/0.99 c/9.66/9.82/0.39"
    " è/9.82/9.84/0.73 il/9.84/9.96/0.52 rame/9.96/10.2/0.53 è/10.2/10.48/0.41"
    " 3,/10.48/11.16/0.19 6,/11.48/11.72/0.74 7,/12.1/12.52/0.98 9,/13.06/13.36/0.51"
    " 9,/13.82/13.96/0.99 1,/14.48/14.48/0.71 2,/14.7/15.0/0.99 9,/15.38/15.52/0.99"
    " 7,/15.92/16.34/0.99 4./16.68/17.22/0.98"
)
AGENT_SPEECH = [
    (6.924, 8.884), (9.292, 10.644), (10.956, 11.348), (11.596, 12.02), (12.14, 12.628),
    (13.196, 16.564), (16.748, 17.492),
]  # fmt: skip
CALLER = (
    "il/8.8/9.4/0.92 mio/9.4/9.62/1.0 6/9.62/9.94/0.25 9/9.94/10.1/0.09 è/10.1/10.44/0.36"
    " 3,/10.44/11.12/0.13 6,/11.42/11.7/0.8 7,/12.08/12.48/0.96 9/12.98/13.36/0.5"
    " 9/13.76/13.94/0.76 1,/13.94/14.5/0.66 2,/14.66/14.96/0.59 9/15.26/15.48/0.9"
    " 7,/15.86/16.28/0.92 4./16.62/17.2/0.95"
)
CALLER_SPEECH = [(9.26, 10.644), (10.892, 11.956), (12.076, 12.724), (13.132, 15.828),
                 (15.948, 17.396)]  # fmt: skip


def _phone(toks, channel: int) -> Finding:
    first = next(k for k, t in enumerate(toks) if t.text == "3")
    last = len(toks) - 1
    return Finding("PHONE_NUMBER", 0.9, "ItalianPhoneRecognizer", channel, first, last,
                   toks[first].start, toks[last].end, " ".join(t.text for t in toks[first:]),
    )  # fmt: skip


def test_digits_between_a_possessive_and_its_verb_name_the_detail():
    toks = normalize(words(CALLER), "it")
    named = {toks[k].text for k in named_details(toks, "it")}
    assert {"6", "9", "è"} <= named
    assert "3" not in named


def test_a_possessive_heard_unsure_names_nothing():
    toks = normalize(words(CALLER.replace("mio/9.4/9.62/1.0", "mio/9.4/9.62/0.4")), "it")
    assert not {toks[k].text for k in named_details(toks, "it")} & {"6", "9"}


def test_the_caller_naming_the_detail_stays_audible_and_the_number_does_not():
    agent, caller = normalize(words(AGENT), "it"), normalize(words(CALLER, channel=1), "it")
    cut = silenced_channels([(agent, AGENT_SPEECH, [_phone(agent, 0)]), (caller, CALLER_SPEECH)])
    assert cut_seconds(cut, 10.9, 17.39) >= 6.2  # "tre sei sette, nove nove ..."
    # "il mio cellulare", said 9.27-10.2 s: was silenced with the number
    assert cut_seconds(cut, 9.27, 9.8) < 0.2


def test_a_verb_followed_by_an_article_does_not_end_the_callers_naming():
    # the agent's line heard the caller's "cellulare è" as "c è il rame è": the first "è"
    # starts a noun phrase, and the answer window opened there silenced "il rame"
    agent, caller = normalize(words(AGENT), "it"), normalize(words(CALLER, channel=1), "it")
    assert not {agent[k].text for k in named_details(agent, "it")} & {"c", "rame"}
    cut = silenced_channels([(agent, AGENT_SPEECH, [_phone(agent, 0)]), (caller, CALLER_SPEECH)])
    assert cut_seconds(cut, 9.8, 10.2) < 0.1  # "-lulare", heard "c è il rame"
