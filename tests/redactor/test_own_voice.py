"""A channel's own words must account for its own voice.

On a two-channel call the caller's voice reaches the agent's line as an echo, about 18 dB
down. Base once wrote the echo of a spelled fiscal code on the agent's line as guesses
("domenato di chi e il cico mecomo un comenuto") and nothing at all on the caller's own
channel, for 20 s; the echo's words stood for the caller's voice, no dropout was seen, and
14 of the code's 16 characters stayed audible (it-s62-029, session 40). Words and voice
activity measured on that call."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.lost_spans import dropout_spans
from redactor.tokens import normalize
from redactor.vad import own_voice
from tests.fixtures.plan import silenced_channels
from tests.fixtures.tokens import words

RATE = 16000


def _noise(seconds: float, spans, level_db: float, seed: int) -> np.ndarray:
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    rng = np.random.default_rng(seed)
    for s, e in spans:
        n = int((e - s) * RATE)
        out[int(s * RATE) : int(s * RATE) + n] = rng.normal(0, 10 ** (level_db / 20), n)
    return out


def test_a_channels_own_voice_is_where_it_is_louder_than_the_other_channel():
    agent_turn, caller_turn = (0.5, 3.0), (4.0, 9.0)
    agent = _noise(10, [agent_turn], -20, 1) + _noise(10, [caller_turn], -40, 2)  # + echo
    caller = _noise(10, [caller_turn], -22, 3)
    speech = [[agent_turn, caller_turn], [caller_turn]]
    voice = own_voice([agent, caller], speech)
    assert voice[0] == [agent_turn]
    assert voice[1] == [caller_turn]


def test_a_one_channel_calls_voice_is_all_its_own():
    audio = _noise(5, [(1.0, 2.0)], -30, 4)
    assert own_voice([audio], [[(1.0, 2.0), (3.0, 3.5)]]) == [[(1.0, 2.0), (3.0, 3.5)]]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 9), st.floats(0.05, 1.0)), max_size=5),
    st.lists(st.tuples(st.floats(0, 9), st.floats(0.05, 1.0)), max_size=5),
    st.integers(0, 2**16),
)
def test_own_voice_lies_within_each_channels_voice_activity(a, b, seed):
    spans = [sorted((s, min(s + d, 10.0)) for s, d in x) for x in (a, b)]
    rng = np.random.default_rng(seed)
    audio = [rng.normal(0, rng.uniform(0.001, 0.3), 10 * RATE).astype("f4") for _ in range(2)]
    for own, speech in zip(own_voice(audio, spans), spans, strict=True):
        for s, e in own:
            assert s < e
            assert any(a <= s and e <= b for a, b in speech)


# the agent's line from the request on: the caller's echo written as guesses
AGENT = (
    "per/6.7/7.56/0.79 l/7.56/7.78/0.49 impestazione/7.78/8.22/0.76 mi/8.22/8.52/0.35"
    " femme/8.52/8.86/0.4 il/8.86/9.08/0.57 comiche/9.08/9.4/0.21 di/9.4/9.62/0.25"
    " scale/9.62/10.04/0.32 che/10.04/10.94/0.03 è/10.94/11.1/0.27 un/11.1/11.14/0.54"
    " domenato/11.14/13.56/0.48 di/13.56/13.76/0.44 chi/13.76/14.14/0.22 e/14.14/14.88/0.25"
    " il/14.88/15.1/0.7 cico/15.1/15.7/0.45 mecomo/15.7/16.24/0.42 un/16.24/16.52/0.82"
    " comenuto/16.52/17.0/0.46 che/17.0/17.94/0.0 è/17.94/18.0/0.0 pepe/18.0/18.56/0.0"
    " che/18.64/18.72/0.0 è/18.72/18.92/0.0 pepe/18.92/19.22/0.0 haca/19.36/19.74/0.73"
    " mero/19.94/20.38/0.44 che/20.72/20.82/0.0 è/20.82/20.92/0.0 pepe/20.92/21.52/0.0"
    " che/21.52/21.9/0.0 è/21.9/21.9/0.0 pepe/21.9/22.2/0.0 83/22.38/23.26/0.34"
    " 9/23.76/23.82/0.76 toti/24.34/24.66/0.11 amm/24.66/24.96/0.59 perfetto/25.66/26.34/0.49"
    " ci/26.34/26.96/0.74 sono/26.96/27.16/1.0 un/27.16/27.36/0.12 articolo/27.36/27.8/0.71"
    " in/27.8/27.98/0.37 un/27.98/28.14/0.22 canello/28.14/28.74/0.45"
)
AGENT_SPEECH = [(7.44, 10.23), (10.86, 11.86), (12.14, 14.39), (14.73, 15.28), (15.44, 17.36),
                (17.84, 18.36), (18.6, 21.33), (21.61, 25.27), (25.71, 26.61), (26.83, 28.98)]  # fmt: skip
CALLER_SPEECH = [(10.8, 11.86), (12.11, 14.42), (14.7, 17.36), (17.8, 18.42), (18.57, 21.33),
                 (21.58, 25.27)]  # fmt: skip
AGENT_VOICE = [(7.44, 10.23), (25.71, 26.61), (26.83, 28.98)]
SPELLED = (12.12, 25.26)  # "M come Milano ... W", the caller's own channel


def test_a_caller_who_wrote_nothing_while_the_echo_was_written_is_decoded_again():
    heard = {0: words(AGENT, 0), 1: []}
    speech = {0: AGENT_SPEECH, 1: CALLER_SPEECH}
    assert dropout_spans(heard, speech) == []  # the echo's words stand for the caller
    spans = dropout_spans(heard, speech, voice={0: AGENT_VOICE, 1: CALLER_SPEECH})
    assert [(ch, s <= SPELLED[0], e >= SPELLED[1]) for ch, s, e in spans] == [(1, True, True)]


def _kept(cut: list[tuple[float, float]], lo: float, hi: float, voice) -> float:
    """Seconds of ``voice`` between ``lo`` and ``hi`` no silenced span covers (spans
    silence every channel)."""
    step, kept, t = 0.01, 0.0, lo
    while t < hi:
        if any(s <= t < e for s, e in voice) and not any(s <= t < e for s, e in cut):
            kept += step
        t += step
    return kept


def test_the_echos_guesses_are_no_account_of_a_callers_unwritten_voice():
    channels = [(normalize(words(AGENT), "it"), AGENT_SPEECH), ([], CALLER_SPEECH)]
    cut = silenced_channels(channels, voices=[AGENT_VOICE, CALLER_SPEECH])
    assert _kept(cut, *SPELLED, CALLER_SPEECH) < 0.1, cut
    # ... while the agent's own words after it, written, are kept
    assert _kept(cut, 26.9, 28.9, AGENT_VOICE) > 1.5, cut
