"""The test-call builder: exact, reproducible ground truth in every format and layout."""

from __future__ import annotations

import numpy as np
import pytest

from redactor.errors import ConfigError
from redactor.evaluation.audio_io import FORMATS, decode, format_for_path, probe
from redactor.evaluation.corpus import build_call, read_truth_json
from redactor.evaluation.script import SCENARIOS, Turn, card, cvv, luhn_card, random_script
from tests.fixtures.checks import luhn_ok


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if len(x) else 0.0


def test_generated_card_numbers_pass_luhn_and_have_15_or_16_digits():
    import random

    rng = random.Random(1)
    for length in (15, 16) * 50:
        number = luhn_card(rng, length)
        assert len(number) == length and luhn_ok(number)
        assert number.startswith(("34", "37")) == (length == 15)


def test_the_same_seed_gives_the_same_script_and_a_different_seed_another():
    assert random_script(5) == random_script(5)
    assert random_script(5) != random_script(6)


def test_a_card_call_has_one_truth_unit_per_digit_in_order(card_call_ulaw):
    digits = [u for u in card_call_ulaw.truth if u.entity == "CREDIT_CARD"]
    assert "".join(u.text for u in digits) == "4539148803436467"
    assert all(a.end <= b.start for a, b in zip(digits, digits[1:], strict=False))
    gaps = [b.start - a.end for a, b in zip(digits, digits[1:], strict=False)]
    assert min(gaps) >= 0.059 and max(gaps) <= 0.501


def test_the_truth_spans_hold_the_speech_and_the_gaps_hold_only_noise(card_call_ulaw):
    audio, rate = decode(card_call_ulaw.audio_path)
    assert probe(card_call_ulaw.audio_path)["codec"] == "pcm_mulaw" and rate == 8000
    digits = [u for u in card_call_ulaw.truth if u.entity == "CREDIT_CARD"]
    for u in digits:
        inside = audio[int(u.start * rate) : int(u.end * rate), 0]
        assert _rms(inside) > 0.02, u
    for a, b in zip(digits, digits[1:], strict=False):
        gap = audio[int(a.end * rate) + 8 : int(b.start * rate) - 8, 0]
        assert _rms(gap) < 0.003, (a, b)


def test_a_two_channel_call_puts_the_customer_echo_on_the_agent_channel(two_channel_call):
    call = two_channel_call
    audio, rate = decode(call.audio_path)
    assert audio.shape[1] == 2
    customer = [u for u in call.truth if u.speaker == "customer" and u.sensitive]
    agent = [u for u in call.truth if u.speaker == "agent" and u.sensitive]
    assert customer and agent, "the dialogue has customer digits and an agent read-back"
    assert all(u.channels == (0, 1) for u in customer)
    assert all(u.channels == (0,) for u in agent)
    u = customer[0]
    seg = audio[int(u.start * rate) : int(u.end * rate)]
    ratio_db = 20 * np.log10(_rms(seg[:, 0]) / _rms(seg[:, 1]))
    assert -22 < ratio_db < -14  # the -18 dB echo
    r = agent[0]
    seg = audio[int(r.start * rate) : int(r.end * rate)]
    assert _rms(seg[:, 1]) < 0.003 < _rms(seg[:, 0])


def test_a_short_cvv_answer_is_one_unit(cvv_short_answer_call):
    (unit,) = [u for u in cvv_short_answer_call.truth if u.sensitive]
    assert unit.entity == "CARD_SECURITY_CODE" and unit.text == "637"


def test_the_plain_call_has_no_sensitive_unit_but_harmless_numbers(plain_call):
    assert not plain_call.sensitive_units
    assert [u for u in plain_call.truth if u.kind == "harmless_number"]


@pytest.mark.parametrize(
    ("fmt", "rate", "layout"),
    [("wav_pcm16", 44100, "stereo"), ("wav_alaw", 8000, "mono"), ("mp3", 48000, "mono"),
     ("flac", 8000, "stereo"), ("opus", 16000, "mono")],
)  # fmt: skip
def test_every_format_rate_and_layout_is_written_as_asked(make_call, fmt, rate, layout):
    turns = [Turn("agent", ["the code please"]), Turn("customer", [cvv("482")])]
    call = make_call(turns, fmt=fmt, rate=rate, layout=layout, voice_seed=2)
    info = probe(call.audio_path)
    assert info["rate"] == (48000 if fmt == "opus" else rate)  # Opus always decodes at 48k
    assert info["channels"] == (2 if layout == "stereo" else 1)
    assert format_for_path(call.audio_path) == fmt
    assert call.audio_path.suffix == FORMATS[fmt].suffix
    (unit,) = call.sensitive_units
    audio, rate = decode(call.audio_path)
    ch = unit.channel
    inside = audio[int(unit.start * rate) : int(unit.end * rate), ch]
    before = audio[: int((unit.start - 0.35) * rate), ch][-int(0.3 * rate) :]
    assert _rms(inside) > 10 * _rms(before)  # lossy codecs keep the timing exact


def test_a_call_is_rebuilt_byte_for_byte_and_its_truth_round_trips(tmp_path):
    a = build_call(21, fmt="opus", rate=48000, layout="stereo", out_dir=tmp_path / "a")
    b = build_call(21, fmt="opus", rate=48000, layout="stereo", out_dir=tmp_path / "b")
    assert a.truth == b.truth
    assert a.audio_path.read_bytes() == b.audio_path.read_bytes()
    back = read_truth_json(a.truth_path)
    assert back.truth == a.truth and back.audio_path == a.audio_path


def test_unknown_format_layout_or_scenario_is_refused_with_the_valid_ones(tmp_path):
    with pytest.raises(ConfigError, match="wav_ulaw"):
        build_call(1, fmt="aiff", out_dir=tmp_path)
    with pytest.raises(ConfigError, match="stereo"):
        build_call(1, layout="quad", out_dir=tmp_path)
    with pytest.raises(ValueError, match="payment"):
        random_script(1, "weather")


def test_every_scenario_renders_with_consistent_truth(make_call):
    for i, scenario in enumerate(SCENARIOS):
        call = make_call(100 + i, scenario=scenario, fmt="wav_pcm16", rate=16000)
        assert call.scenario == scenario
        for u in call.truth:
            assert 0 <= u.start < u.end <= call.duration
        if scenario.startswith("payment") or scenario == "mixed":
            cards = [u for u in call.truth if u.kind == "card_digit"]
            assert len(cards) in (15, 16) and luhn_ok("".join(u.text for u in cards))
            assert any(u.entity == "CARD_EXPIRY" for u in call.truth)
            assert any(u.entity == "CARD_SECURITY_CODE" for u in call.truth)


def test_a_card_can_be_read_digit_by_digit(make_call):
    turns = [Turn("customer", [card("4111111111111111", groups=(1,) * 16)])]
    call = make_call(turns, fmt="wav_pcm16", rate=8000)
    digits = call.sensitive_units
    gaps = [b.start - a.end for a, b in zip(digits, digits[1:], strict=False)]
    assert len(digits) == 16 and min(gaps) >= 0.29
