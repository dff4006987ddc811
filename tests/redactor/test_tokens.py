"""Unit tests: number words, digits and punctuation become one searchable shape."""

from hypothesis import given
from hypothesis import strategies as st

from redactor.tokens import build_text, normalize
from redactor.transcribe import Word

DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def words(*texts, step=0.3):
    return [Word(t, i * step, i * step + step * 0.9, 0.9, 0, 0) for i, t in enumerate(texts)]


def test_spoken_digits_become_one_digit_token_per_run():
    toks = normalize(words("it's", "four", "one", "one", "one", "thanks"))
    assert [t.text for t in toks] == ["it's", "4111", "thanks"]
    assert toks[1].start == 0.3 and toks[1].first_word == 1 and toks[1].last_word == 4


def test_written_digit_groups_keep_their_digits_without_punctuation():
    toks = normalize(words("4,111,111,", "1111-2222", "4."))
    assert [t.digits for t in toks] == ["4111111", "11112222", "4"]


def test_double_and_oh_are_read_as_digits_only_among_numbers():
    assert normalize(words("double", "four", "oh", "seven"))[0].digits == "4407"
    assert [t.text for t in normalize(words("oh", "really"))] == ["oh", "really"]


def test_compound_numbers_are_converted_by_text2num():
    toks = normalize(words("twenty", "minutes"))
    assert toks[0].digits == "20" and toks[1].text == "minutes"


def test_a_digit_run_split_by_sentence_punctuation_stays_one_run_in_the_text():
    tt = build_text(normalize(words("4", "5", "3", "9.", "1", "4", "8", "8.")))
    assert tt.text == "4 5 3 9 1 4 8 8."


@given(st.lists(st.integers(0, 9), min_size=1, max_size=20))
def test_any_sequence_of_spoken_digits_round_trips_to_the_same_digits(digits):
    toks = normalize(words(*[DIGIT_WORDS[d] for d in digits]))
    assert "".join(t.digits for t in toks) == "".join(map(str, digits))


@given(st.lists(st.sampled_from(["card", "the", "4", "four", "oh", "and", "5,", "x"]), max_size=30))
def test_every_character_of_the_text_maps_back_to_a_token_or_a_separator(ws):
    toks = normalize(words(*ws))
    tt = build_text(toks)
    assert len(tt.owner) == len(tt.text)
    for ch, owner in zip(tt.text, tt.owner, strict=True):
        assert (owner == -1) == (ch in " .")


def test_a_repeated_phrase_is_a_decoding_loop_and_explains_nothing():
    from redactor.tokens import distrust_repetitions

    toks = distrust_repetitions(
        normalize(words("we're", "not", "winning", "we're", "not", "winning", "ok"))
    )
    assert [t.probability for t in toks] == [0.0] * 6 + [0.9]


def test_digits_glued_to_letters_still_count_as_digits():
    assert normalize(words("us653077679367303"))[0].digits == "653077679367303"
