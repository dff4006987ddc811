"""Audio in and out with the real ffmpeg: every telephony format keeps its shape, bad input
is refused with one clear error, and nothing partial is ever written."""

import subprocess
import wave

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor import audio
from redactor.errors import BadInputError

FORMATS = [
    ("wav", ["-c:a", "pcm_s16le"], 16000, 1),
    ("wav", ["-c:a", "pcm_mulaw"], 8000, 1),
    ("wav", ["-c:a", "pcm_alaw"], 8000, 2),
    ("mp3", ["-c:a", "libmp3lame", "-b:a", "64k"], 44100, 2),
    ("flac", ["-c:a", "flac"], 48000, 1),
    ("ogg", ["-c:a", "libopus", "-b:a", "24k"], 48000, 2),
]


def make(path, ext_args, rate, channels, seconds=2.0):
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency=440:sample_rate={rate}:duration={seconds}",
         "-ac", str(channels), "-ar", str(rate), *ext_args, str(path)],
        check=True,
    )  # fmt: skip
    return path


@pytest.mark.parametrize(("ext", "args", "rate", "channels"), FORMATS)
def test_a_round_trip_keeps_container_codec_rate_channels_and_duration(
    tmp_path, ext, args, rate, channels
):
    src = make(tmp_path / f"in.{ext}", args, rate, channels)
    a = audio.load(src)
    dst = tmp_path / f"out.{ext}"
    audio.save(a, dst)
    before, after = audio.probe(src), audio.probe(dst)
    assert (after.container, after.codec, after.sample_rate, after.channels) == (
        before.container, before.codec, before.sample_rate, before.channels)  # fmt: skip
    frame = 1152 / rate if ext == "mp3" else 0.03  # one codec frame
    assert abs(after.duration - before.duration) <= frame


def test_silencing_zeroes_exactly_the_interval_in_every_channel(tmp_path):
    from policies.redaction import RedactionPolicy
    from redactor.align import Interval
    from redactor.silence import silence

    a = audio.load(make(tmp_path / "s.wav", ["-c:a", "pcm_s16le"], 8000, 2))
    out = silence(a, [Interval(0.5, 1.0, 1, "CREDIT_CARD", 1.0, "t")], RedactionPolicy())
    inside = out.samples[int(0.51 * 8000) : int(0.99 * 8000)]
    assert np.all(inside == 0)
    assert np.abs(out.samples[: int(0.49 * 8000)]).max() > 1000
    assert np.abs(out.samples[int(1.01 * 8000) :]).max() > 1000


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.wav", b"", "empty file"),
        ("text.wav", b"this is not audio at all\n" * 10, "not an audio file"),
        ("noise.mp3", bytes(range(256)) * 40, "not an audio file"),
    ],
)
def test_files_that_are_not_audio_are_refused_with_a_clear_message(
    tmp_path, name, content, message
):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(BadInputError, match=message):
        audio.load(p)


def test_a_truncated_wav_is_refused(tmp_path):
    src = make(tmp_path / "full.wav", ["-c:a", "pcm_mulaw"], 8000, 1, seconds=4)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(src.read_bytes()[:12000])
    with pytest.raises(BadInputError, match="truncated"):
        audio.load(cut)


def test_a_truncated_ogg_is_refused(tmp_path):
    src = make(tmp_path / "full.ogg", ["-c:a", "libopus"], 48000, 1, seconds=4)
    cut = tmp_path / "cut.ogg"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    with pytest.raises(BadInputError, match="truncated"):
        audio.load(cut)


def test_a_zero_duration_file_is_refused(tmp_path):
    p = tmp_path / "zero.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono",
                    "-t", "0", str(p)], check=True)  # fmt: skip
    with pytest.raises(BadInputError, match="zero duration"):
        audio.load(p)


def test_an_unsupported_codec_names_the_supported_ones(tmp_path):
    p = make(tmp_path / "s24.wav", ["-c:a", "pcm_s24le"], 8000, 1)
    with pytest.raises(BadInputError, match="unsupported format wav/pcm_s24le; supported codecs"):
        audio.load(p)


def test_a_file_over_the_size_limit_is_refused_before_decoding(tmp_path):
    p = make(tmp_path / "big.wav", ["-c:a", "pcm_s16le"], 8000, 1)
    with pytest.raises(BadInputError, match="over the size limit"):
        audio.load(p, max_bytes=100)


def test_a_failed_encode_leaves_no_file_behind(tmp_path):
    a = audio.load(make(tmp_path / "in.wav", ["-c:a", "pcm_s16le"], 8000, 1))
    bad = audio.Audio(a.samples, audio.AudioInfo("wav", "pcm_s16le", -5, 1, 1.0, None, 1))
    with pytest.raises(BadInputError):
        audio.save(bad, tmp_path / "out" / "x.wav")
    assert [p.name for p in (tmp_path / "out").iterdir()] == []


def test_the_tone_option_replaces_the_interval_with_a_tone_instead_of_silence():
    from policies.redaction import RedactionPolicy
    from redactor.silence import silence_array

    x = np.full(8000, 5000, dtype=np.int16)
    out = silence_array(x.copy(), 8000, 0.25, 0.75, RedactionPolicy(method="tone", tone_hz=500))
    inside = out[int(0.3 * 8000) : int(0.7 * 8000)].astype(float)
    assert np.abs(inside).max() > 1000 and abs(inside.mean()) < 200  # a tone, not the speech
    assert np.all(out[: int(0.2 * 8000)] == 5000)


@settings(max_examples=15, deadline=None)
@given(
    rate=st.sampled_from([8000, 16000, 44100]),
    channels=st.sampled_from([1, 2]),
    frames=st.integers(min_value=1, max_value=4000),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_the_in_process_wav_reader_agrees_with_ffmpeg(
    tmp_path_factory, rate, channels, frames, seed
):
    samples = np.random.default_rng(seed).integers(-32768, 32767, (frames, channels), dtype="<i2")
    path = tmp_path_factory.mktemp("wav") / "x.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    fast = audio._load_pcm_wav(path, audio.DEFAULT_MAX_BYTES)
    info = audio.probe(path)
    assert fast is not None
    assert np.array_equal(fast.samples, samples)
    assert (fast.info.container, fast.info.codec, fast.info.sample_rate, fast.info.channels) == (
        info.container,
        info.codec,
        info.sample_rate,
        info.channels,
    )
    assert fast.info.duration == pytest.approx(info.duration, abs=1e-3)
