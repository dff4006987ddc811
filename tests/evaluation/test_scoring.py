"""The scorer, calibrated with redactors whose answer is known: oracle, null, and partial."""

from __future__ import annotations

import pytest

from redactor.evaluation.mute import mute_spans, null_redact, oracle_redact
from redactor.evaluation.scoring import (
    format_table,
    score_call,
    score_quarantined,
    summarize,
)


@pytest.fixture(scope="module")
def lossy_calls(make_call):
    """One call per lossy/telephony codec and layout, so codec noise is exercised."""
    return [
        make_call(31, fmt="mp3", rate=8000, layout="mono", scenario="mixed"),
        make_call(32, fmt="opus", rate=48000, layout="stereo", scenario="payment_readback"),
        make_call(33, fmt="wav_ulaw", rate=8000, layout="stereo", scenario="contact"),
        make_call(34, fmt="mp3", rate=44100, layout="stereo", scenario="health"),
    ]


def test_the_oracle_leaks_nothing_and_silences_nothing_else(lossy_calls, tmp_path):
    for call in lossy_calls:
        out = oracle_redact(call, tmp_path / f"oracle-{call.audio_path.name}")
        score = score_call(call, out)
        assert score.units and not score.leaks, (call.call_id, score.leaks)
        assert score.over_redaction < 0.01, call.call_id
        assert all(u.voiced_frames > 0 for u in score.units)
        assert not any(h.leaked for h in score.harmless)


def test_the_null_redactor_leaks_every_unit_and_silences_nothing(lossy_calls, tmp_path):
    for call in lossy_calls:
        score = score_call(call, null_redact(call, tmp_path / f"null-{call.audio_path.name}"))
        assert len(score.leaks) == len(score.units) > 0
        assert score.over_redaction == 0.0


def test_muting_only_the_first_half_of_a_digit_still_leaks_it(card_call_ulaw, tmp_path):
    units = card_call_ulaw.sensitive_units
    half = [(u.start, (u.start + u.end) / 2, u.channels) for u in units[::2]]
    full = [(u.start, u.end, u.channels) for u in units[1::2]]
    score = score_call(card_call_ulaw, mute_spans(card_call_ulaw.audio_path,
                                                  tmp_path / "half.wav", half + full))  # fmt: skip
    leaked = [u.leaked for u in score.units]
    assert leaked == [i % 2 == 0 for i in range(len(units))]


def test_muting_only_the_customer_channel_leaks_the_echo_on_the_agent_channel(
    two_channel_call, tmp_path
):
    spans = [(u.start, u.end, (1,)) for u in two_channel_call.truth if u.speaker == "customer"]
    score = score_call(two_channel_call,
                       mute_spans(two_channel_call.audio_path, tmp_path / "c.wav", spans))  # fmt: skip
    customer = [u for u in score.units if u.kind != "readback"]
    assert customer and all(u.leaked for u in customer)


def test_silencing_harmless_speech_counts_as_over_redaction(health_call, tmp_path):
    out = mute_spans(
        health_call.audio_path, tmp_path / "all.flac", [(0, health_call.duration, None)]
    )
    score = score_call(health_call, out)
    assert not score.leaks
    assert score.over_redaction > 0.99
    assert all(h.leaked for h in score.harmless)  # "twenty minutes" was damaged


def test_a_quarantined_call_leaks_nothing_and_counts_as_fully_silenced(card_call_ulaw):
    score = score_quarantined(card_call_ulaw, "verification still hears digits")
    assert score.quarantined and not score.leaks and score.over_redaction == 1.0
    assert score.harmless and all(h.leaked for h in score.harmless)


def test_the_table_puts_systems_side_by_side_per_entity(lossy_calls, tmp_path):
    ours = [
        score_call(c, oracle_redact(c, tmp_path / f"o-{c.audio_path.name}")) for c in lossy_calls
    ]
    base = [score_call(c, null_redact(c, tmp_path / f"n-{c.audio_path.name}")) for c in lossy_calls]
    s_ours, s_base = summarize("ours", ours), summarize("baseline", base)
    table = format_table([s_ours, s_base])
    for entity in ("CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY", "HEALTH", "PHONE_NUMBER"):
        assert entity in table
        assert s_ours.leak_rate(entity) == 0.0 and s_base.leak_rate(entity) == 1.0
    assert "ours leaked" in table and "baseline leaked" in table
    assert s_ours.to_dict()["entities"]["CREDIT_CARD"]["leaked"] == 0


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(muted=st.sets(st.integers(min_value=0, max_value=15)))
def test_exactly_the_units_left_unmuted_leak(card_call_ulaw, tmp_path_factory, muted):
    units = [u for u in card_call_ulaw.truth if u.entity == "CREDIT_CARD"]
    spans = [(units[i].start, units[i].end, units[i].channels) for i in muted]
    dst = tmp_path_factory.mktemp("h") / "m.wav"
    score = score_call(card_call_ulaw, mute_spans(card_call_ulaw.audio_path, dst, spans))
    leaked = {i for i, u in enumerate(u for u in score.units if u.entity == "CREDIT_CARD")
              if u.leaked}  # fmt: skip
    assert leaked == set(range(16)) - muted
    assert score.over_redaction == 0.0
