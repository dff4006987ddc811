"""Decoding loops: where the recogniser looped, nothing is known, so it is a payment window."""

from __future__ import annotations

from redactor.loops import distrust_loops, loop_windows
from redactor.unheard import unexplained_speech
from tests.fixtures.tokens import seq


def _phrases(*numbers: str, start: float = 20.0, step: float = 1.2):
    specs = []
    t = start
    for n in numbers:
        for word in ("the", "next", n, "days"):
            specs.append((word, t, t + step / 4))
            t += step / 4
    return seq(*specs)


def test_a_phrase_looped_over_a_card_reading_is_a_window_that_starts_before_the_loop():
    # tiny.en on an 8 kHz card reading: "the next 30 days" fourteen times, one copy mutated
    tokens = _phrases("30", "20", *["30"] * 12)
    [w] = loop_windows(tokens, reach_back=3.0)
    # the mutated copy near the start is part of the loop, and the window reaches back
    # before it: the first digits were misheard before the loop set in
    assert w.start <= 20.0 - 2.0
    assert w.end >= tokens[-2].end
    assert all(t.probability == 0.0 for t in distrust_loops(tokens)[4:-1])


def test_a_phrase_said_twice_is_no_loop_and_a_short_loop_opens_no_window():
    assert loop_windows(_phrases("30", "30")) == []
    assert loop_windows(_phrases("30", "30", "30", step=0.4), min_seconds=2.0) == []


def test_ordinary_speech_with_repeated_short_words_has_no_loop():
    tokens = seq(
        ("yes", 1.0, 1.3), ("the", 1.3, 1.4), ("card", 1.4, 1.7), ("is", 1.7, 1.8),
        ("in", 1.8, 1.9), ("the", 1.9, 2.0), ("name", 2.0, 2.3), ("of", 2.3, 2.4),
        ("the", 2.4, 2.5), ("company", 2.5, 3.0),
    )  # fmt: skip
    assert loop_windows(tokens) == []
    assert [t.probability for t in distrust_loops(tokens)] == [t.probability for t in tokens]


def test_an_answer_loop_span_is_the_longest_loops_not_the_last_one_tried():
    from redactor.dictation import _loops

    tokens = seq(*[("non", 10 + 0.3 * k, 10.3 + 0.3 * k) for k in range(20)])
    [(start, end)] = _loops(tokens, repeats=3, min_tokens=12)
    # "non non" ten times: the loop starts at its first repeat, token 2 - not at token 6,
    # where "non non non non non non" said three times (a shorter loop) would put it
    assert (start, end) == (tokens[2].start, tokens[-1].end)


def test_a_greeting_said_back_and_written_once_more_is_no_loop():
    # Regression (it-s0-038): "pronto, ufficio pagamenti, buongiorno" / "buongiorno, vorrei
    # pagare una bolletta" heard "... padamenti buongiorno buongiorno buongiorno" on the
    # agent's channel: taken for a loop, it opened a payment window over the greeting and
    # explained none of the customer's greeting, which was silenced
    from redactor.tokens import distrust_repetitions

    tokens = seq(
        ("ufficio", 1.1, 1.6), ("padamenti", 1.6, 2.3), ("buongiorno", 2.5, 3.1),
        ("buongiorno", 3.9, 4.7), ("buongiorno", 5.0, 5.2), ("e", 5.2, 5.3),
        ("padamenta", 5.3, 6.0),
    )  # fmt: skip
    assert loop_windows(tokens) == []
    kept = distrust_loops(distrust_repetitions(tokens))
    assert [t.probability for t in kept] == [t.probability for t in tokens]


def test_a_greeting_written_in_halves_said_back_is_no_loop():
    # Regression (it-s17-025, 8 kHz mono): "pronto, ufficio pagamenti, buongiorno" /
    # "buongiorno, vorrei pagare una bolletta" heard "... di buon giorno un giorno un giorno
    # per me il pagamento": "giorno" three times was a loop, whose lead-in window silenced
    # the agent's greeting and the customer's with it
    from redactor.dictation import _loop_lead_ins

    tokens = seq(
        ("peronto", 0.0, 1.06, 0.4), ("fisciopandamenti", 1.36, 2.38, 0.5), ("di", 2.38, 2.56),
        ("buon", 2.56, 2.7), ("giorno", 2.7, 2.94), ("un", 3.56, 4.08), ("giorno", 4.08, 4.42),
        ("un", 4.84, 4.96), ("giorno", 4.96, 4.96), ("per", 4.96, 5.02, 0.3), ("me", 5.02, 5.1, 0.3),
        ("il", 5.22, 5.42), ("pagamento", 5.42, 5.64),
    )  # fmt: skip
    assert loop_windows(tokens) == []
    assert _loop_lead_ins(tokens, 0.7) == []
    assert [t.probability for t in distrust_loops(tokens)] == [t.probability for t in tokens]


def test_a_greeting_repeated_on_and_on_is_still_a_loop():
    tokens = seq(*[("buongiorno", 10.0 + k * 0.6, 10.5 + k * 0.6) for k in range(6)])
    assert loop_windows(tokens)
    assert all(t.probability == 0.0 for t in distrust_loops(tokens))


def test_a_word_the_decoder_echoes_over_a_card_reading_explains_none_of_it():
    # en-s0-021 (tiny.en, 8 kHz mono): "3 7 4 7 ..." heard as "free payment or payment
    # breathe"; the second "payment" (0.94) lay over the "7" and kept it audible
    tokens = seq(
        ("it's", 8.44, 9.22, 0.64), ("free", 9.22, 9.78, 0.36), ("payment", 9.78, 10.34, 0.43),
        ("or", 10.34, 11.30, 0.36), ("payment", 11.30, 12.12, 0.94),
        ("breathe", 12.26, 13.20, 0.55),
    )  # fmt: skip
    out = distrust_loops(tokens)
    assert [t.probability for t in out[2:5]] == [0.0, 0.0, 0.0]
    assert out[0] == tokens[0] and out[5] == tokens[5]
    unheard = unexplained_speech([(9.10, 12.30)], out, 0.35)
    assert any(s <= 11.35 and e >= 12.1 for s, e in unheard)  # the "7" under it


def test_a_word_said_twice_with_words_between_is_no_echo():
    tokens = seq(
        ("the", 1.0, 1.2), ("card", 1.2, 1.5), ("number", 1.5, 1.9), ("the", 1.9, 2.0),
        ("card", 2.0, 2.3),
    )  # fmt: skip
    assert [t.probability for t in distrust_loops(tokens)] == [t.probability for t in tokens]


def test_a_word_said_again_across_a_turn_is_no_echo():
    # en-s0-018: the agent's "... on the front of the card" and, 0.5 s later, the
    # customer's "my card number is" on the agent's channel
    tokens = seq(
        ("the", 16.58, 16.80, 1.0), ("card", 16.80, 17.26, 0.9, None, True),
        ("my", 17.80, 18.08, 0.6), ("card", 18.08, 18.36, 0.6), ("number", 18.36, 18.72, 0.65),
    )  # fmt: skip
    assert [t.probability for t in distrust_loops(tokens)] == [t.probability for t in tokens]


def test_a_seven_word_greeting_written_over_and_over_is_a_loop():
    # it-s2-035: base wrote the agent's greeting "buongiorno per vizi o clienti sono nulia"
    # ten times over the card number, each word at 0.9 and more: no word came back three
    # times within eight, so no loop was seen and the words explained the card's speech
    words = ["buongiorno", "per", "vizi", "o", "clienti", "sono", "nulia"]
    tokens = seq(*[(w, 4.0 + 0.25 * k, 4.2 + 0.25 * k) for k, w in enumerate(words * 10)])
    [w] = loop_windows(tokens)
    assert w.end >= tokens[-1].end and w.start <= tokens[7].start
    assert loop_windows(seq(*[(w, 4.0 + 0.25 * k, 4.2 + 0.25 * k)
                              for k, w in enumerate(words * 2)])) == []  # fmt: skip


# it-s2-000 (stereo): the agent closes the payment and reads the order number on channel 0
# while the customer's channel, silent, loops "2 e 2 e ..." from 50 s to the end
AGENT = (
    "grazie/49.44/49.9/0.9 il/50.46/50.6/0.82 pagamento/50.68/51.0/0.9 è/51.0/51.1/0.9"
    " andato/51.1/51.5/0.9 a/51.6/51.7/0.9 buon/51.7/51.9/0.9 fine./51.9/52.2/0.9"
    " il/52.6/52.8/0.9 numero/52.9/53.18/0.98 è/53.64/53.9/0.75 1/54.0/54.6/0.91"
    " 3/54.76/55.3/0.96 9/55.48/55.9/0.97 9/56.02/56.5/0.93 grazie/56.9/57.4/0.88"
)
AGENT_SPEECH = [(49.3, 52.3), (52.5, 56.7), (56.8, 57.6)]
LOOPED = " ".join(f"2/{50 + 0.4 * i:.1f}/{50.2 + 0.4 * i:.1f}/0.5 e/{50.2 + 0.4 * i:.1f}/"
                  f"{50.4 + 0.4 * i:.1f}/0.5" for i in range(20))  # fmt: skip


def test_on_two_channels_a_loop_leaves_the_other_channels_words_to_be_judged_as_ever():
    from redactor.tokens import normalize
    from tests.fixtures.plan import silenced_channels
    from tests.fixtures.tokens import words

    agent = normalize(words(AGENT), "it")
    customer = normalize(words(LOOPED, channel=1), "it")
    assert loop_windows(customer)  # the customer's channel looped
    cut = silenced_channels([(agent, AGENT_SPEECH), (customer, [(48.0, 48.9)])])
    assert not any(s < 56.5 and e > 54.0 for s, e in cut)  # the order number "1 3 9 9"


def test_a_word_stuck_on_one_letter_explains_no_speech_however_sure():
    # it-s2-029: "oooo...o" (0.95) stamped 13.96-15.26 s over the "U" and "O" of a codice
    # fiscale, on the customer's channel: it explained them, and both leaked
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    toks = normalize(words("certo/10.3/10.8/0.9 " + "o" * 40 + "/13.96/15.26/0.95"), "it")
    assert [t.probability for t in distrust_loops(toks)] == [0.9, 0.0]
    assert unexplained_speech([(14.06, 15.09)], distrust_loops(toks), 0.35) == [(14.06, 15.09)]
    # a number with a digit four times is a number
    toks = normalize(words("1111/1.0/2.0/0.9"), "it")
    assert distrust_loops(toks)[0].probability == 0.9


def _heard(spec: str):
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    return normalize(words(spec), "it")


def test_the_calls_opening_written_again_over_an_answer_explains_none_of_it():
    # it-s46-036 (a fresh corpus): base wrote the opening once more, mishearings and all,
    # over "mi dice la scadenza della carta? zero otto trentuno"; "giorno" at 0.61 explained
    # the expiry, which leaked
    opening = ("buona/0.0/0.6/0.63 sera/0.7/1.2/0.41 grazie/1.3/1.6/0.55 per/1.7/1.9/0.72 "
               "aver/1.9/2.1/0.18 chiamato/2.1/2.9/0.93 un/3.6/3.8/0.23 giorno/3.8/4.1/0.53 "
               "non/4.1/4.6/0.51 fa/4.6/4.8/0.08 ")  # fmt: skip
    copy = ("buona/23.9/24.5/0.46 sera/24.6/24.7/0.54 grazie/24.7/25.1/0.55 per/25.1/25.3/0.88 "
            "aver/25.3/25.7/0.25 chiamato/25.7/26.6/0.92 un/26.7/27.4/0.22 giorno/27.4/28.0/0.61 "
            "non/28.0/28.3/0.44 fa/28.3/28.9/0.1")  # fmt: skip
    out = distrust_loops(_heard(opening + "4/11.6/12.3/0.32 3/21.6/22.0/0.52 " + copy))
    assert all(t.probability > 0 for t in out[:10])  # said first: heard
    assert all(t.probability == 0.0 for t in out[12:])


def test_a_goodbye_said_again_or_a_phrase_said_again_soon_is_no_copy():
    # "buonasera, grazie per aver chiamato" opens the call and "grazie per aver chiamato,
    # arrivederci" closes it: the words of a goodbye are said twice for real
    spec = ("buonasera/0.0/0.6/0.6 grazie/0.7/1.0/0.9 per/1.0/1.2/0.9 aver/1.2/1.4/0.9 "
            "chiamato/1.4/1.9/0.9 certo/20.0/20.5/0.9 grazie/40.0/40.4/0.99 per/40.4/40.6/0.96 "
            "aver/40.6/40.8/0.9 chiamato/40.8/41.3/0.9 arrivederci/41.4/42.0/0.9")  # fmt: skip
    assert all(t.probability > 0 for t in distrust_loops(_heard(spec)))
    # ... and the agent asking once more at once ("mi legge il numero?" twice) is no copy
    again = ("mi/1.0/1.2/0.9 legge/1.2/1.5/0.9 il/1.5/1.6/0.9 numero/1.6/2.0/0.9 "
             "mi/3.0/3.2/0.9 legge/3.2/3.5/0.9 il/3.5/3.6/0.9 numero/3.6/4.0/0.9")  # fmt: skip
    assert all(t.probability > 0 for t in distrust_loops(_heard(again)))


def test_the_greetings_words_misheard_the_same_way_in_the_goodbye_are_no_copy():
    # it-s51-025: "buonasera, grazie per aver chiamato" heard "buona sera grazie per la
    # merchiamato", and the goodbye 40 s later heard the same way: the goodbye was silenced
    spec = ("buona/0.0/0.6/0.65 sera/0.6/1.2/0.51 grazie/1.2/1.5/0.89 per/1.5/1.8/0.95 "
            "la/1.8/1.9/0.66 merchiamato/1.9/2.8/0.8 perfetto/36.2/36.8/0.7 "
            "grazie/39.7/40.1/0.9 per/40.1/40.4/0.9 la/40.4/40.5/0.9 merchiamato/40.5/41.4/0.9 "
            "a/41.5/41.6/0.19 rimenerci/41.6/42.4/0.55")  # fmt: skip
    assert all(t.probability > 0 for t in distrust_loops(_heard(spec), language="it"))


# it-s48-006 (8 kHz opus, mono), sessions 28 and 29: an IBAN read in groups, base looping
# "tu è meno" over its middle and writing the loop's words on, mutated, over its last two
# groups ("zero zero quattro nove" at 38.10-39.85 s, "nove due uno" at 40.20-41.15 s)
IBAN_LOOP = (
    "ti/28.1/29.14/0.12 31/29.14/29.82/0.19 non/29.82/30.46/0.0 ti/30.46/30.68/0.39"
    " ammuno/30.68/31.24/0.2 tu/31.24/31.48/0.4 è/31.48/31.6/0.45 meno/31.6/31.92/0.0"
    " mero/31.92/32.82/0.0 tu/32.82/33.08/0.0 è/33.08/33.48/0.0 meno/33.48/34.92/0.0"
    " tu/34.92/35.28/0.0 è/35.28/35.28/0.0 meno/35.28/35.28/0.0 tu/35.28/35.44/0.0"
    " è/35.44/35.6/0.0 non/35.6/36.2/0.01 mi/36.2/36.38/0.69 fette/36.38/36.68/0.0"
    " meno/36.68/37.06/0.0 fette/37.06/37.62/0.0 mero/37.62/38.36/0.68 meno/38.36/38.64/0.81"
    " tu/38.64/38.92/0.88 attro/38.92/39.3/0.41 non/39.3/39.46/0.42 mi/39.46/39.74/0.83"
    " non/39.74/40.34/0.0 non/40.92/41.36/0.0 mi/41.36/41.36/0.13 ammuno/41.36/41.36/0.39"
    " tu/41.36/42.04/0.14"
)


def test_a_loop_window_reaches_over_the_loops_mutated_tail():
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    [w] = loop_windows(normalize(words(IBAN_LOOP), "it"))
    assert w.end >= 41.15


def test_a_loop_window_ends_where_someone_talks_surely_again():
    from redactor.tokens import normalize
    from tests.fixtures.tokens import words

    after = " perfetto/39.8/40.3/0.92 grazie/40.35/40.8/0.95 mille/40.85/41.2/0.9"
    spec = IBAN_LOOP.split(" mi/39.46")[0] + after
    [w] = loop_windows(normalize(words(spec), "it"))
    assert w.end <= 39.8
    # ... or after a pause
    spec = IBAN_LOOP.split(" non/39.74")[0] + " non/41.0/41.3/0.1 mi/41.3/41.5/0.2"
    [w] = loop_windows(normalize(words(spec), "it"))
    assert w.end <= 39.74


def _card_with_ones(lead: list[tuple]) -> list:
    """A card's "6 0 1 1 1 1 0 8 8 7" after ``lead``, its four ones at probability 0 (as
    base wrote a digit said again and again; it-s61-031)."""
    digits = [("6", 0.52), ("0", 0.7), ("1", 0.0), ("1", 0.0), ("1", 0.0), ("1", 0.0),
              ("0", 0.84), ("8", 0.98), ("8", 0.98), ("7", 1.0)]  # fmt: skip
    specs = list(lead)
    t = 12.7
    for d, p in digits:
        specs.append((d, t, t + 0.45, p))
        t += 0.55
    return seq(*specs)


def test_a_digit_said_again_and_again_in_a_reading_reaches_back_only_to_the_reading():
    tokens = _card_with_ones([("eccolo", 11.2, 11.7, 0.53), ("eh", 11.9, 12.4, 0.32)])
    [w] = loop_windows(tokens, reach_back=3.0)
    assert w.start == tokens[2].start  # the "6": the caller's "eccolo, è" is no loop's


def test_a_digit_loop_after_a_pause_still_reaches_back_the_whole_way():
    # the digits before it were said a pause away: the recogniser may have lost its way
    tokens = _card_with_ones([("eccolo", 11.2, 11.7, 0.53), ("eh", 11.9, 12.4, 0.32)])
    tokens = [t for t in tokens if t.text not in ("6", "0") or t.start > 14.0]
    [w] = loop_windows(tokens, reach_back=3.0)
    assert w.start == tokens[2].start - 3.0


def test_the_words_glued_to_an_echo_explain_nothing_either():
    # en-s61-029 (session 46's machine): "march twenty twenty nine" heard so; "much" and
    # "i" explained the expiry's first and last syllables, and it leaked
    tokens = seq(("card", 19.4, 19.7, 1.0), ("much", 20.6, 21.0, 0.78), ("when", 21.0, 21.2, 0.0),
                 ("did", 21.2, 21.5, 0.0), ("when", 21.5, 21.7, 0.0), ("did", 21.7, 21.9, 0.0),
                 ("i", 21.9, 22.0, 0.99), ("what's", 22.7, 23.2, 0.96))  # fmt: skip
    probabilities = [t.probability for t in distrust_loops(tokens)]
    assert probabilities[1:7] == [0.0] * 6
    assert probabilities[0] == 1.0 and probabilities[7] == 0.96  # after a pause: heard


def test_a_number_glued_to_an_echo_keeps_its_probability():
    tokens = seq(("4", 20.6, 21.0, 0.9), ("when", 21.0, 21.2, 0.5), ("did", 21.2, 21.5, 0.5),
                 ("when", 21.5, 21.7, 0.5))  # fmt: skip
    assert distrust_loops(tokens)[0].probability == 0.9
