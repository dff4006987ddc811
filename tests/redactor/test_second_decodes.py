"""Which of a clip's two second decodes is taken (redactor/redecode.py, surer_decode)."""

from hypothesis import given
from hypothesis import strategies as st

from redactor.redecode import BEAM_COVERAGE, surer_decode
from redactor.transcribe import Word


def decode(spec: str) -> list[Word]:
    """Words from ``word/start/end/probability`` items."""
    out = []
    for item in spec.split():
        w, s, e, p = item.split("/")
        out.append(Word(w, float(s), float(e), float(p), 0, 0))
    return out


# it-s61-021 (8 kHz): greedy decoding heard the caller's expiry and security code as guesses
GREEDY = decode("8/0.0/0.5/0.31 menure/0.6/1.0/0.30 di/1.0/1.1/0.20 la/1.1/1.2/0.26 "
                "mentine/1.2/1.7/0.69 8,/7.0/7.4/0.25 3,/8.4/8.8/0.16 0/9.0/9.3/0.23")  # fmt: skip


def test_the_beam_search_decode_is_taken_when_surer_and_as_long():
    searched = decode("8/0.0/0.5/0.31 menuremmi/0.6/1.1/0.33 la/1.1/1.2/0.47 "
                      "mentinepe/1.2/1.8/0.58 8/6.8/7.4/0.89 e/8.0/8.2/0.09 i/8.5/8.6/0.37 "
                      "nero/8.8/9.3/0.66")  # fmt: skip
    assert surer_decode(GREEDY, searched) == searched


def test_a_surer_decode_that_heard_less_of_the_clip_is_not_taken():
    # session 45: a beam decode that left out a fiscal code's letter came back sure, and
    # the letter, judged as a dropout, leaked
    searched = decode("8/0.0/0.5/0.9 mentine/1.2/1.7/0.9")
    assert surer_decode(GREEDY, searched) == GREEDY


def test_a_less_sure_decode_is_not_taken():
    searched = decode("8/0.0/0.5/0.1 me/0.6/1.7/0.1 8/7.0/9.3/0.1")
    assert surer_decode(GREEDY, searched) == GREEDY


def test_a_decode_that_heard_nothing_is_never_taken():
    assert surer_decode(GREEDY, []) == GREEDY
    assert surer_decode([], GREEDY) == GREEDY


@given(
    st.lists(st.tuples(st.floats(0, 20), st.floats(0.05, 2), st.floats(0, 1)), max_size=8),
    st.lists(st.tuples(st.floats(0, 20), st.floats(0.05, 2), st.floats(0, 1)), max_size=8),
)
def test_the_decode_taken_is_always_one_of_the_two(a, b):
    greedy = [Word("a", s, s + d, p, 0, 0) for s, d, p in a]
    searched = [Word("b", s, s + d, p, 0, 0) for s, d, p in b]
    assert surer_decode(greedy, searched) in (greedy, searched)


def test_coverage_is_counted_once_where_words_overlap():
    # a loop's words stamped over each other cover their stretch once, not many times
    loop = decode("3/0.0/2.0/0.0 3/0.0/2.0/0.0 3/0.0/2.0/0.0 3/0.0/2.0/0.0")
    searched = decode(f"tre/0.0/{2.0 * BEAM_COVERAGE}/0.5")
    assert surer_decode(loop, searched) == searched
