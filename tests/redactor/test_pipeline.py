"""End to end with the real model, Presidio and ffmpeg on calls built from real human digits
and synthetic frame speech; assertions are made by decoding the output audio."""

import json

import pytest

from redactor import audio
from redactor.evaluation.scoring import score_call
from redactor.pipeline import RedactOptions, Redactor
from redactor.report import report_path_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redactor():
    return Redactor(RedactOptions(model="tiny.en"))


def redact(redactor, call, tmp_path):
    dst = tmp_path / ("out" + call.audio_path.suffix)
    report = redactor.redact_file(call.audio_path, dst)
    return dst, report, score_call(call, dst)


def test_an_8khz_ulaw_call_comes_back_as_8khz_ulaw_of_the_same_length_with_the_digits_silent(
    redactor, card_call_ulaw, tmp_path
):
    dst, report, score = redact(redactor, card_call_ulaw, tmp_path)
    before, after = audio.probe(card_call_ulaw.audio_path), audio.probe(dst)
    assert (after.container, after.codec, after.sample_rate, after.channels) == (
        "wav", "pcm_mulaw", 8000, 1)  # fmt: skip
    assert abs(after.duration - before.duration) < 0.01
    digits = [u for u in score.units if u.kind == "card_digit"]
    assert len(digits) == 16 and not [u for u in digits if u.leaked]
    # the lead-in, the agent's "thank you" after the last digit (stamped back over the pause
    # at 0.53) and the misheard "twenty minutes" in the still-open dialogue: 16.6% on one
    # machine's recogniser, 12% on another's (the figure depends on the CPU's arithmetic)
    assert score.over_redaction <= 0.20
    data = json.loads(report_path_for(dst).read_text())
    assert any(i["entity_type"] == "CREDIT_CARD" for i in data["intervals"])
    assert "[CARD]" in data["transcript"][0]["text"]
    assert data["model"] == "tiny.en" and data["settings"]["transcribe"]["beam_size"] == 1


def test_an_amex_expiry_and_security_code_are_all_silenced(redactor, amex_call, tmp_path):
    _, _, score = redact(redactor, amex_call, tmp_path)
    assert [u.text for u in score.leaks] == []


def test_a_security_code_given_as_a_bare_answer_is_silenced(
    redactor, cvv_short_answer_call, tmp_path
):
    _, _, score = redact(redactor, cvv_short_answer_call, tmp_path)
    assert [u.text for u in score.leaks] == []


def test_health_mentions_are_silenced(redactor, health_call, tmp_path):
    _, report, score = redact(redactor, health_call, tmp_path)
    assert [u.text for u in score.leaks] == []
    assert "[HEALTH]" in report.transcript[0]["text"]


def test_a_two_channel_call_is_silenced_in_both_channels_including_the_echo(
    redactor, two_channel_call, tmp_path
):
    _, report, score = redact(redactor, two_channel_call, tmp_path)
    assert len(report.transcript) == 2
    assert [u.text for u in score.leaks] == []


def test_ordinary_speech_is_kept(redactor, plain_speech_call, tmp_path):
    dst = tmp_path / "jfk.flac"
    report = redactor.redact_file(plain_speech_call, dst)
    assert report.intervals == []
    a, b = audio.load(plain_speech_call), audio.load(dst)
    assert a.samples.shape == b.samples.shape
    # clean speech needs no second decode, and the written report says so
    written = json.loads(report_path_for(dst).read_text())
    assert written["second_decodes"] == 0 and written["intervals"] == []


def test_a_call_with_only_harmless_numbers_is_barely_touched(redactor, plain_call, tmp_path):
    _, _, score = redact(redactor, plain_call, tmp_path)
    assert score.over_redaction <= 0.05
