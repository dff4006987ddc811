"""Telling the agent from the caller on a one-channel call by the pitch of their voices
(redactor/voices.py), with real synthetic speech from espeak-ng."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.evaluation.synth import RATE, Voice, synthesize
from redactor.transcribe import SAMPLE_RATE
from redactor.vad import speech_regions
from redactor.voices import pitch_track, split_voices

assert RATE == SAMPLE_RATE

# a woman's and a man's voice, as the Italian corpus gives the agent and the caller
AGENT = Voice("espeak", "it+f2", 165, 60)
CALLER = Voice("espeak", "it+m1", 155, 50)
# ... and a second woman's voice, too close to the agent's to tell apart
OTHER_WOMAN = Voice("espeak", "it+f4", 170, 65)

TURNS = [
    ("agent", "buongiorno, servizio clienti, sono Giulia"),
    ("caller", "buongiorno, vorrei pagare una bolletta"),
    ("agent", "mi legge il numero della carta, per favore?"),
    ("caller", "sì, allora, quattro cinque tre due, sette otto uno nove"),
    ("agent", "perfetto, pagamento registrato, arrivederci"),
]


def telephone(x: np.ndarray) -> np.ndarray:
    """``x`` as an 8 kHz line carries it: no sound under 300 Hz or over 3.4 kHz, where a
    low voice's own pitch is gone and only its harmonics are left."""
    spectrum = np.fft.rfft(x)
    hz = np.fft.rfftfreq(x.size, 1 / SAMPLE_RATE)
    spectrum[(hz < 300) | (hz > 3400)] = 0
    return np.fft.irfft(spectrum, x.size).astype(np.float32)


def call(agent: Voice, caller: Voice, turns=TURNS, gap: float = 0.7):
    """One channel holding ``turns``, and when each was said: (who, start, end)."""
    pieces, said, t = [], [], 0.3
    pieces.append(np.zeros(int(t * SAMPLE_RATE), np.float32))
    for who, text in turns:
        x = synthesize(text, agent if who == "agent" else caller)
        said.append((who, t, t + x.size / SAMPLE_RATE))
        pieces += [x, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
        t += x.size / SAMPLE_RATE + gap
    return np.concatenate(pieces), said


def asked(said) -> list[float]:
    """A moment inside the agent's request, as the words would show it."""
    return [next(s + 0.5 for who, s, _e in said[2:] if who == "agent")]


def inside(spans, said, who) -> bool:
    """Every span lies in ``who``'s speech, its voice activity's padding aside."""

    def heard(a, b, who_else):
        return sum(max(0.0, min(b, e) - max(a, s)) for w, s, e in said if w == who_else)

    other = "caller" if who == "agent" else "agent"
    return all(heard(a, b, who) > 0.5 * (b - a) and heard(a, b, other) < 0.1 for a, b in spans)


@given(st.floats(min_value=75, max_value=320))
@settings(max_examples=25, deadline=None)
def test_the_pitch_of_a_voice_is_found_though_the_line_filtered_it_out(f0):
    t = np.arange(int(0.5 * SAMPLE_RATE)) / SAMPLE_RATE
    harmonics = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 30) if k * f0 < 7000)
    found = pitch_track(telephone(harmonics.astype(np.float32)))
    assert np.median(found[found > 0]) == pytest.approx(f0, rel=0.05)


def test_silence_has_no_pitch():
    assert not pitch_track(np.zeros(SAMPLE_RATE, np.float32)).any()


def test_a_low_and_a_high_voice_are_told_apart_turn_by_turn():
    x, said = call(AGENT, CALLER)
    split = split_voices(x, speech_regions(x), asked(said))
    assert split is not None
    assert split.agent and split.caller
    assert inside(split.agent, said, "agent")
    assert inside(split.caller, said, "caller")


def test_the_voices_are_told_apart_on_a_telephone_line_too():
    x, said = call(AGENT, CALLER)
    x = telephone(x)
    split = split_voices(x, speech_regions(x), asked(said))
    assert split is not None
    assert inside(split.agent, said, "agent") and inside(split.caller, said, "caller")


def test_the_agent_is_the_voice_that_asks_whichever_voice_it_is():
    x, said = call(CALLER, AGENT)  # the low voice is the agent's now
    split = split_voices(x, speech_regions(x), asked(said))
    assert split is not None
    assert inside(split.agent, said, "agent") and inside(split.caller, said, "caller")


def test_two_voices_too_close_in_pitch_are_not_told_apart():
    x, said = call(AGENT, OTHER_WOMAN)
    assert split_voices(x, speech_regions(x), asked(said)) is None


def test_one_voice_alone_is_not_two():
    x, said = call(AGENT, AGENT)
    assert split_voices(x, speech_regions(x), asked(said)) is None


def test_no_voice_is_the_agent_when_no_one_was_heard_asking():
    x, _said = call(AGENT, CALLER)
    assert split_voices(x, speech_regions(x), []) is None


def test_no_voice_is_the_agent_when_both_were_heard_asking():
    x, said = call(AGENT, CALLER)
    caller_turn = next(s + 0.5 for who, s, _e in said if who == "caller")
    assert split_voices(x, speech_regions(x), asked(said) + [caller_turn]) is None


# A one-channel call planned from hand-made words over real voices: the agent asks for the
# expiry, the caller goes to find the card, the agent's "certo, faccia con calma" is heard
# as guesses (as on an 8 kHz line), then the caller's expiry too. The answer window after
# the request silences what was not heard; the agent's own turn is no answer.
DIALOGUE = [
    ("agent", "mi dice la scadenza della carta?"),
    ("caller", "un attimo che la cerco"),
    ("agent", "certo, faccia con calma"),
    ("caller", "dicembre duemilaventisei"),
]
HEARD = [
    "mi dice la scadenza della carta",
    "un attimo che la cerco",
    "ce lo fa che accon palma",
    "di femme due mila venti sei",
]
SURE = [0.9, 0.9, 0.3, 0.3]


def planned(agent: Voice, caller: Voice):
    from redactor.tokens import normalize
    from redactor.transcribe import Word
    from tests.fixtures.plan import silenced

    x, said = call(agent, caller, DIALOGUE, gap=0.8)
    words = []
    for (_who, s, e), text, p in zip(said, HEARD, SURE, strict=True):
        parts = text.split()
        step = (e - s) / len(parts)
        words += [Word(w, s + i * step, s + (i + 1) * step - 0.02, p, 0, 0)
                  for i, w in enumerate(parts)]  # fmt: skip
    cut = silenced(normalize(words, "it"), speech_regions(x), audio=x)
    return cut, said


def test_the_agent_s_turn_inside_an_open_answer_stays_audible_when_the_voices_differ():
    from tests.fixtures.plan import cut_seconds

    cut, said = planned(AGENT, CALLER)
    (_q, q0, q1), _wait, (_a, t0, t1), (_c, a0, a1) = said
    assert cut_seconds(cut, a0, a1) > 0.9 * (a1 - a0)  # the expiry: silenced
    assert cut_seconds(cut, t0, t1) < 0.1 * (t1 - t0)  # the agent's turn: audible
    assert cut_seconds(cut, q0, q1) < 0.1 * (q1 - q0)


def test_the_same_turn_is_judged_as_the_answer_s_when_one_voice_says_everything():
    from tests.fixtures.plan import cut_seconds

    cut, said = planned(AGENT, AGENT)
    (_a, t0, t1), (_c, a0, a1) = said[2:]
    assert cut_seconds(cut, a0, a1) > 0.9 * (a1 - a0)
    assert cut_seconds(cut, t0, t1) > 0.9 * (t1 - t0)


def test_no_voice_is_the_agent_when_the_voice_that_asked_did_not_open_the_call():
    # the caller naming a detail heard as a request, the agent's own requests all misheard:
    # the voice heard asking opened nothing, and the words cannot be trusted to tell
    x, said = call(AGENT, CALLER)
    caller_turn = next(s + 0.5 for who, s, _e in said if who == "caller")
    assert split_voices(x, speech_regions(x), [caller_turn]) is None
