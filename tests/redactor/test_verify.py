"""The verification pass: which audio it listens to again, and how it maps what it hears."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.align import Interval
from redactor.transcribe import SAMPLE_RATE, Word
from redactor.verify import _audible_margins, _join, _shift, _unaccounted


def test_speech_that_confident_words_account_for_is_not_listened_to_again():
    speech = [(0.0, 4.0)]
    assert _unaccounted((1.0, 3.0), speech, [(0.9, 2.0), (2.0, 3.1)]) == pytest.approx(0.0)


def test_a_cut_edge_no_trusted_word_covers_is_listened_to_again():
    # the tail of a digit leaks past the silence at 2.0 s: no trusted word explains 2.0-2.4
    speech = [(1.5, 4.0)]
    assert _unaccounted((2.0, 3.5), speech, [(2.4, 3.5)]) == pytest.approx(0.4)


def test_silence_inside_a_margin_needs_no_explaining():
    assert _unaccounted((0.0, 3.0), [], []) == 0.0
    assert _unaccounted((0.0, 3.0), [(5.0, 6.0)], []) == 0.0


@given(
    a=st.floats(0, 10),
    length=st.floats(0.05, 5),
    spans=st.lists(st.tuples(st.floats(0, 15), st.floats(0.01, 3)), max_size=6),
)
def test_unaccounted_speech_never_exceeds_the_speech_in_the_region(a, length, spans):
    speech = sorted((s, s + d) for s, d in spans)
    merged = []
    for s, e in speech:  # VAD regions do not overlap
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    region = (a, a + length)
    inside = sum(max(0.0, min(e, region[1]) - max(s, region[0])) for s, e in merged)
    assert 0.0 <= _unaccounted(region, merged, []) <= inside + 1e-9
    assert _unaccounted(region, merged, [region]) == pytest.approx(0.0)


def test_later_rounds_listen_only_around_the_new_redactions():
    ivs = [Interval(2.0, 3.0, 0, "CREDIT_CARD", 1, "r"), Interval(20.0, 21.0, 0, "HEALTH", 1, "r")]
    every = _audible_margins(ivs, 30.0)
    around_new = _audible_margins(ivs, 30.0, focus=[ivs[1]])
    assert len(every) == 4 and around_new == [(18.5, 20.0), (21.0, 22.5)]


def test_words_from_a_clip_joined_across_channels_land_on_their_own_channel():
    a0 = np.ones(10 * SAMPLE_RATE, dtype=np.float32)
    a1 = np.ones(10 * SAMPLE_RATE, dtype=np.float32)
    clip, offsets = _join([(0, a0, [(2.0, 3.0)]), (1, a1, [(5.0, 6.0)])])
    assert clip.size == int((1.0 + 0.6) * 2 * SAMPLE_RATE)
    w0 = _shift(Word("four", 0.2, 0.5, 0.9, -1, 0), offsets)
    w1 = _shift(Word("five", 1.8, 2.1, 0.9, -1, 0), offsets)
    assert (w0.channel, round(w0.start, 2)) == (0, 2.2)
    assert (w1.channel, round(w1.start, 2)) == (1, 5.2)


def test_a_number_the_payment_rules_flag_when_heard_again_is_silenced_only_where_a_window_reaches():
    # it-s30-036: "chiudiamo alle diciotto e trenta" after an IBAN, heard again as
    # "... di sotto e 30" in one segment with the VAT question before and the goodbye after
    from redactor.detect import Finding
    from redactor.failclosed import numbers_in_payment
    from redactor.tokens import normalize
    from redactor.unheard import PaymentWindow
    from redactor.verify import window_regions
    from tests.fixtures.tokens import words

    heard = normalize(
        words(
            "a/30.16/30.63/0.5 me/30.63/31.1/0.5 di/31.1/31.16/0.5 sotto/31.34/31.61/0.5"
            " e/31.61/32.08/0.5 30/32.08/32.55/0.5 che/32.55/32.8/0.5"
        ),  # fmt: skip
        "it",
    )
    windows = [PaymentWindow(11.44, 31.42)]
    [flagged] = numbers_in_payment(heard, 0, windows, "it")
    segment = [(8.5, 11.19), (17.92, 19.41), (30.16, 31.16), (31.34, 33.3), (34.19, 36.88)]
    assert window_regions(flagged, segment, windows) == segment[:4]
    assert window_regions(flagged, segment, [PaymentWindow(50.0, 60.0)]) == []
    card = Finding("CREDIT_CARD", 0.9, "SpokenCardRecognizer", 0, 0, 0, 0.0, 1.0, "x")
    assert window_regions(card, segment, windows) == segment


def test_a_decode_that_writes_one_number_every_second_is_a_loop_not_speech_heard():
    # it-s62-004 (session 45): "100." written 29 times, a second apart, over a clip of
    # joined margins; taken as a card number, it silenced every margin of the clip
    from redactor.verify import _looped

    loop = [Word("100.", float(k), k + 1.0, 0.5, -1, k) for k in range(29)]
    talk = [
        Word(w, 0.4 * k, 0.4 * k + 0.3, 0.9, -1, 0)
        for k, w in enumerate(["ci", "sono", "2", "articoli", "nel", "carrello"])
    ]
    assert _looped(loop, "it")
    assert not _looped(talk, "it")


@pytest.mark.slow
def test_a_looped_clip_heard_again_region_by_region_keeps_each_word_in_its_own_region(tmp_path):
    # the fallback for a looped decode: each joined region decoded alone, its words and
    # segments on the joined clip's time line, so they map back to the right margin
    import shutil
    import subprocess
    from dataclasses import asdict

    from redactor import audio as audio_io
    from redactor.pipeline import RedactOptions, Redactor
    from redactor.transcribe import TranscribeOptions, resample_to_16k
    from redactor.verify import _region_by_region

    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    path = tmp_path / "speech.wav"
    text = "ci sono due articoli nel carrello. quattro cinque tre nove."
    subprocess.run(["espeak-ng", "-v", "it", "-s", "150", "-w", str(path), text], check=True)
    a = audio_io.load(path, max_bytes=10**8)
    speech = resample_to_16k(a.channel_float(0), a.sample_rate)
    audio = np.concatenate([speech, np.zeros(3 * SAMPLE_RATE, np.float32), speech])
    length = len(speech) / SAMPLE_RATE
    regions = [(0.0, length), (length + 3.0, 2 * length + 3.0)]
    clip, offsets = _join([(0, audio, regions)])
    redactor = Redactor(RedactOptions(model="base", language="it"))
    opts = TranscribeOptions(**{**asdict(redactor.transcribe_options), "word_timestamps": False})
    heard, segments = _region_by_region(redactor.model, clip, offsets, opts)
    assert heard and all(0 <= w.segment < len(segments) for w in heard)
    for w in heard:  # every word lies in its own region of the clip, and in its segment
        assert any(c0 - 0.1 <= w.start and w.end <= c1 + 0.1 for c0, c1, _o, _c in offsets)
        seg = segments[w.segment]
        assert seg.start - 0.1 <= w.start and w.end <= seg.end + 0.1
    second = [_shift(w, offsets) for w in heard if w.start >= offsets[1][0]]
    assert second and all(w.start >= regions[1][0] - 0.1 for w in second)
