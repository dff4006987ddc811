"""A health term's reach on one channel of a stereo call is judged by that channel's words.

The caller is heard on both channels; the agent's channel carries the caller's voice
quietly and ASR writes something else there. Its words may explain ordinary speech the
caller's channel lost (align.explained_elsewhere), but not the head of a condition: the
"morbo di" of "ho il morbo di Parkinson" was heard "buongiorno" (0.71) on the agent's
channel, took "di" out of the condition's span on the caller's, and 0.3 s of the
condition leaked (it-s62-036, session 39). Words measured on that call."""

from __future__ import annotations

from redactor.detect import Finding
from redactor.tokens import normalize
from tests.fixtures.plan import silenced_channels
from tests.fixtures.tokens import words

AGENT = (
    "per/14.4/14.68/0.16 questo/14.68/14.92/0.71 mi/14.92/15.1/0.93 serve/15.1/15.34/0.52"
    " da/15.34/15.62/0.31 cobertura/15.62/16.34/0.44 altre/17.98/18.5/0.24 o/18.5/19.38/0.13"
    " buongiorno/19.38/19.88/0.71 di/19.88/20.02/0.66 parc/20.02/20.4/0.33"
    " insomma/20.44/20.76/0.38 ci/21.72/21.94/0.93 sono/21.94/22.16/1.0 2/22.16/22.4/0.37"
    " articoli/22.4/22.84/0.59 nel/22.84/23.1/0.93 canvello/23.1/23.78/0.55"
)
CUSTOMER = (
    "per/14.32/14.48/0.4 questo/14.48/14.74/0.97 mi/14.74/15.06/0.97 serve/15.06/15.28/0.62"
    " la/15.28/15.58/0.63 copertura/15.58/16.32/0.61 e/18.06/18.86/0.04 il/18.86/19.26/0.28"
    " mod/19.26/19.64/0.04 di/19.64/19.96/0.33 parkinson/19.96/20.36/0.41"
)
SPEECH = (
    [(14.412, 16.596), (17.292, 18.036), (18.732, 20.948), (21.836, 23.988)],
    [(14.348, 16.5), (18.7, 19.348), (19.468, 20.884)],
)
SAID = (19.49, 20.93)  # "morbo di Parkinson", on both channels


def _silenced(agent_words: str) -> list[tuple[float, float]]:
    agent = normalize(words(agent_words), "it")
    customer = normalize(words(CUSTOMER, channel=1), "it")
    k = next(i for i, t in enumerate(customer) if t.text == "parkinson")
    term = Finding("HEALTH", 0.85, "HealthRecognizer", 1, k, k, 19.96, 20.36, "parkinson")
    return silenced_channels([(agent, SPEECH[0]), (customer, SPEECH[1], [term])])


def _kept(cut: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Seconds of ``lo``-``hi`` no silenced span covers (spans silence every channel)."""
    step, kept, t = 0.01, 0.0, lo
    while t < hi:
        if not any(s <= t < e for s, e in cut):
            kept += step
        t += step
    return kept


def test_a_word_the_other_channel_heard_over_a_condition_does_not_unsilence_its_head():
    cut = _silenced(AGENT)
    # the condition from its head: at most the pad's worth of its edges stays audible
    assert _kept(cut, SAID[0] + 0.05, SAID[1] - 0.05) < 0.05, cut


def test_the_conditions_span_is_the_same_whatever_the_other_channel_heard_over_it():
    quiet = AGENT.replace("buongiorno/19.38/19.88/0.71", "buongiorno/19.38/19.88/0.05")
    assert _silenced(AGENT) == _silenced(quiet)
