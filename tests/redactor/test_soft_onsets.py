"""A silenced span that starts where voice activity starts begins a little earlier: the
detector hears a soft first sound late ("s" of "sei", "sette"), and that sound of a digit
stayed audible (it-s3-023, it-s1-010: 0.04 to 0.07 s of the unit, 11% to 12% of it)."""

from hypothesis import given
from hypothesis import strategies as st

from redactor.align import SOFT_ONSET, Interval, soft_onsets


def iv(start, end, channel=0):
    return Interval(start, end, channel, "IT_VAT_CODE", 0.5, "AnswerWindowRule")


def test_a_span_starting_with_its_region_starts_a_soft_sound_earlier():
    speech = {0: [(11.436, 12.02), (12.492, 14.772)]}
    [out] = soft_onsets([iv(12.492, 14.772)], speech)
    assert out.start == 12.492 - SOFT_ONSET and out.end == 14.772


def test_a_span_starting_inside_a_region_or_on_another_channels_region_stays():
    speech = {0: [(10.0, 12.0)], 1: [(11.5, 12.0)]}
    spans = [iv(10.7, 11.2), iv(11.5, 11.9, channel=0)]
    assert soft_onsets(spans, speech) == spans


def test_a_span_never_starts_before_the_region_before_it_ends():
    speech = {0: [(10.0, 12.45), (12.5, 13.0)]}
    [out] = soft_onsets([iv(12.5, 13.0)], speech)
    assert out.start == 12.45


@given(
    st.lists(st.tuples(st.floats(0, 100), st.floats(0.05, 3)), max_size=8),
    st.floats(0, 100),
    st.floats(0.01, 5),
)
def test_a_span_only_ever_grows_at_its_start_by_a_soft_onset_at_most(regions, start, length):
    speech = {0: sorted((s, s + d) for s, d in regions)}
    [out] = soft_onsets([iv(start, start + length)], speech)
    assert out.end == start + length
    assert start - SOFT_ONSET - 1e-9 <= out.start <= start
    assert out.start >= 0.0
