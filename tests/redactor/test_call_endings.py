"""The end of a call and of an answer, as speech recognition shapes them: a goodbye closes
what is open, a word stamped over seconds it skipped is a dropout, and a security code's
last digits heard as short words still belong to it. Each case is a call we measured."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows, numbers_in_payment, payment_windows
from redactor.lost_spans import dropout_spans
from redactor.tokens import normalize
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()


def test_a_word_stamped_over_seconds_the_recogniser_skipped_leaves_a_dropout():
    # en-s0-008: "thank you [the payment has gone through, your order number is 053178]
    # thank you for calling goodbye" came out with "calling" stamped from 46.8 s to 54.9 s
    heard = words(
        "thank/44.9/46.1/0.38 you/46.1/46.3/0.95 for/46.3/46.8/0.31 "
        "calling/46.8/54.9/0.94 goodbye/54.9/55.6/0.93"
    )
    speech = {0: [(45.7, 47.6), (47.9, 49.1), (49.4, 52.8), (53.7, 55.5)]}
    [(channel, start, end)] = dropout_spans({0: heard}, speech)
    assert channel == 0 and start <= 46.9 and end >= 53.9


def test_a_word_of_ordinary_length_leaves_no_dropout():
    heard = words("thank/44.9/45.2/0.9 you/45.2/45.4/0.95 for/45.5/45.7/0.9 calling/45.7/46.2/0.9")
    assert dropout_spans({0: heard}, {0: [(44.9, 46.2)]}) == []


def test_a_goodbye_ends_an_answer_window_that_no_run_of_sure_words_closed():
    # en-s0-005: the account-details window ran its full 15 s over "thank you for calling
    # goodbye" because "thank" (0.66) and "goodbye" (0.43) left a run of only three
    toks = normalize(
        words(
            "and/22.6/22.9/0.94 the/22.9/23.0/0.8 account/23.0/23.4/0.78 for/23.4/23.6/0.99 "
            "the/23.6/23.9/0.99 refund/23.9/24.2/0.15 82/26.0/27.2/0.46 middle/27.3/27.5/0.67 "
            "1/27.5/27.8/0.62 9/30.6/31.1/0.81 thank/31.3/31.7/0.66 you/31.7/31.8/0.99 "
            "for/31.8/32.0/0.99 calling/32.0/32.3/0.99 goodbye/32.3/32.8/0.43"
        ),
        "en",
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "IBAN_CODE"]
    assert w.start <= 24.0 and 31.1 <= w.end <= 31.4


def test_a_goodbye_closes_the_payment_dialogue_no_later_than_the_end_of_the_call_would():
    # en-s0-013: "gone through" was heard as "have done through", and the goodbye 9 s after
    # the last number kept the dialogue open over the order number read in between
    toks = normalize(
        words(
            "the/10.0/10.2/0.9 card/10.2/10.6/0.99 number/10.6/11.0/0.99 4/12.0/12.4/0.9 "
            "8/12.5/12.9/0.9 thank/13.5/13.8/0.77 you/13.8/14.0/0.91 my/14.1/14.2/0.32 "
            "payments/14.2/14.6/0.33 have/14.6/14.8/0.72 done/14.8/15.0/0.65 "
            "through/15.0/15.6/0.75 your/15.7/15.9/0.67 order/15.9/16.2/0.58 "
            "number/16.2/16.6/0.8 in/16.6/17.2/0.2 line/17.2/17.7/0.59 for/17.7/18.2/0.72 "
            "thank/21.0/21.3/0.99 you/21.3/21.5/1.0 for/21.5/21.7/0.97 calling/21.7/22.0/0.99 "
            "goodbye/22.0/22.6/0.64"
        ),
        "en",
    )
    [w] = payment_windows(toks, [], POLICY)
    assert w.start <= 10.2 and w.end <= 12.9 + POLICY.payment_answer_seconds + 0.01


def test_short_unsure_words_ending_a_security_code_answer_are_its_last_digits():
    # en-s1-027: "one one eight eight" was heard "11 it is" (0.57, 0.68, 0.42), and the
    # "eight eight" stayed audible
    toks = normalize(
        words(
            "on/27.8/28.0/0.99 the/28.0/28.2/0.99 card/28.2/28.6/0.99 "
            "the/32.2/32.4/0.89 free/32.4/32.6/0.91 digits/32.6/33.0/0.71 on/33.0/33.2/0.95 "
            "the/33.2/33.4/0.99 back/33.4/33.7/0.82 please/33.7/34.7/0.86 "
            "11/35.2/35.7/0.57 it/35.7/36.1/0.68 is/36.1/36.6/0.42 thank/37.3/37.5/0.92"
        ),
        "en",
    )
    windows = payment_windows(toks, [], POLICY)
    [f] = numbers_in_payment(toks, 0, windows, "en", POLICY.sure_confidence)
    assert f.text == "11 it is" and f.end >= 36.6


def test_a_yes_after_a_read_back_or_words_running_on_are_not_taken_as_digits():
    # en-s1-000: "... 1 5 3, yes that's right" and en-s1-028: "2030 and the security code"
    toks = normalize(
        words(
            "card/1.0/1.4/0.99 number/1.4/1.8/0.99 1/2.0/2.4/0.98 5/2.5/2.9/0.98 "
            "3/3.0/3.4/0.98 yes/3.5/3.9/0.6 and/4.5/4.8/0.33 5/4.9/5.3/0.9 and/5.4/5.6/0.33 "
            "the/5.6/5.8/0.89 security/5.8/6.2/0.97 code/6.2/6.6/0.98"
        ),
        "en",
    )
    windows = payment_windows(toks, [], POLICY)
    texts = [f.text for f in numbers_in_payment(toks, 0, windows, "en", POLICY.sure_confidence)]
    assert "yes" not in " ".join(texts) and all(not t.endswith("and") for t in texts)


def test_a_goodbye_with_payment_talk_seconds_after_it_does_not_end_the_payment_dialogue():
    # it-s13-039 (8 kHz): "la scadenza?" heard "sera grazie per aver chiamato", then the
    # expiry "zero sei barra ventisei" as unsure words and the security-code question:
    # the expiry fell between two payment windows and leaked
    toks = normalize(
        words(
            "il/7.14/7.32/0.64 numero/7.32/7.54/0.93 della/7.54/7.92/0.76 carta/7.92/8.32/0.38"
            " 1/19.0/19.5/0.97 9/19.52/20.36/0.98 2/20.36/21.14/0.98 4/21.14/22.24/0.97"
            " 5/22.24/22.94/0.97 sera/23.7/24.44/0.37 grazie/25.16/25.62/0.62"
            " per/25.62/25.64/0.92 aver/25.64/25.64/0.15 chiamato/25.64/26.34/0.93"
            " nero/27.04/27.6/0.38 che/27.6/27.76/0.35 mi/27.76/27.92/0.17"
            " andiamo/27.92/28.2/0.22 di/28.2/28.52/0.4 ai/28.52/28.86/0.07 il/29.56/29.82/0.79"
            " cominci/29.82/30.12/0.19 di/30.12/30.32/0.39 sicurezza/30.32/31.12/0.71"
        ),
        "it",
    )
    windows = payment_windows(toks, [], POLICY, "it")
    assert any(w.start <= 27.04 and w.end >= 28.86 for w in windows)


def test_a_goodbye_that_ends_the_call_still_ends_the_payment_dialogue():
    toks = normalize(
        words(
            "il/7.14/7.32/0.64 numero/7.32/7.54/0.93 della/7.54/7.92/0.76 carta/7.92/8.32/0.9"
            " 1/19.0/19.5/0.97 9/19.52/20.36/0.98 grazie/25.16/25.62/0.92 per/25.62/25.8/0.92"
            " aver/25.8/26.0/0.95 chiamato/26.0/26.34/0.93 arrivederci/26.5/27.2/0.9"
            " ehm/28.0/28.6/0.3"
        ),
        "it",
    )
    [w] = payment_windows(toks, [], POLICY, "it")
    assert w.end < 26.0


# it-s18-039 (8 kHz mono): "e il codice di sicurezza? ..." / "allora" / "nove otto tre" /
# "grazie, il pagamento è andato a buon fine" / "il numero d'ordine è" / "86613"
SECURITY_CODE_THEN_CLOSING = (
    "e/30.56/30.74/0.9 il/30.74/30.9/0.9 codice/30.9/31.28/0.9 di/31.28/31.46/0.9"
    " sicurezza/31.46/32.24/0.9 allora/34.22/35.48/0.6 nome/36.14/36.42/0.3 8/36.76/37.08/0.6"
    " e/37.08/37.62/0.3 faci/37.62/39.02/0.2 intangamento/39.22/39.86/0.3 andato/39.86/40.36/0.6"
    " a/40.36/40.52/0.5 montire/40.52/40.9/0.3 il/40.9/41.62/0.4 numero/41.62/41.9/0.8"
    " di/41.9/42.34/0.5 me/42.34/42.6/0.3 8611/42.98/46.92/0.5 non/46.92/47.16/0.3"
)


def test_a_misheard_closing_ends_the_security_codes_answer_window():
    # Regression: the closing, heard "intangamento andato a montire", closed the payment
    # dialogue, but the security code's window ran on over it, the order number's label
    # ("numero di me") and the order number to the goodbye: 3.3 s of the agent silenced
    toks = normalize(words(SECURITY_CODE_THEN_CLOSING), "it")
    [w] = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_SECURITY_CODE"]
    assert w.start <= 36.14 and 37.08 <= w.end <= 39.3


def test_an_order_number_read_into_a_decoding_loop_stays_audible():
    # Regression (it-s18-034, 48 kHz mono): "il numero d'ordine è 812118" heard "il numero
    # 2 di me 8 1 2 1 1 8 1", then "buona giornata, arrivederci" as a loop of "non ho
    # capito che": the loop's lead-in reached back over the order number, silenced
    import numpy as np

    from redactor.pipeline import ChannelAnalysis
    from redactor.plan import plan_intervals

    loop = " ".join(f"{w}/{56.66 + 0.1 * k:.2f}/{56.76 + 0.1 * k:.2f}/0.5"
                    for k, w in enumerate(["non", "ho", "capito", "che"] * 5))  # fmt: skip
    toks = normalize(words(
        "perfetto/47.9/49.16/0.9 il/50.66/51.04/0.8 numero/51.04/51.3/0.9 2/51.3/51.54/0.3"
        " di/51.54/51.78/0.6 me/51.78/51.94/0.4 8/51.94/52.72/0.8 1/52.72/53.4/0.9"
        " 2/53.4/53.9/0.9 1/53.9/54.54/0.9 1/54.54/55.0/0.9 8/55.0/55.52/0.9 1/55.52/56.66/0.6 "
        + loop), "it")  # fmt: skip
    speech = [(48.52, 50.8), (50.92, 52.28), (52.56, 56.05), (56.56, 58.58)]
    silence = np.zeros(16000 * 60, dtype=np.float32)
    analyses = [ChannelAnalysis(0, silence, toks, speech, [])]
    intervals, _windows = plan_intervals(analyses, RedactionPolicy(), "it")
    assert not any(s < 56.0 and e > 52.6 for s, e in ((iv.start, iv.end) for iv in intervals))
    assert any(s <= 57.0 and e >= 58.0 for s, e in ((iv.start, iv.end) for iv in intervals))


# it-s31-016 (a fresh corpus, 8 kHz mono): the security code, then "perfetto, pagamento
# registrato" heard "per f adamento (0.34) registrato"
CLOSED = (
    "mi/26.34/26.46/0.85 ferme/26.46/26.86/0.44 anche/26.86/27.14/0.96 il/27.14/27.32/0.97"
    " codice/27.32/27.72/0.62 di/27.72/27.92/0.99 sicurezza/27.92/28.7/0.87 3/28.84/29.7/0.65"
    " 5/30.0/30.36/0.42 5/30.84/31.32/0.56 per/31.32/31.7/0.31 f/31.7/31.88/0.05"
    " adamento/32.34/32.88/0.34 registrato/32.88/33.62/0.82 il/33.92/34.04/0.71"
    " numero/34.04/34.34/0.98"
)


def test_the_words_of_a_misheard_closing_are_the_agent_closing_not_unexplained_speech():
    from redactor.call_endings import closing_words
    from tests.fixtures.plan import silenced

    toks = normalize(words(CLOSED), "it")
    assert {toks[k].text for k in closing_words(toks, "it")} == {"adamento", "registrato"}
    cut = silenced(toks, [(26.316, 28.852), (29.452, 31.156), (31.564, 32.276), (32.46, 35.252)])
    assert any(s <= 28.9 and e >= 31.3 for s, e in cut)  # the code
    assert not any(s < 33.6 and e > 32.7 for s, e in cut)  # the closing


def test_a_closings_noun_that_sounds_like_its_verb_still_takes_its_verb():
    # it-s61-024 (session 39): "perfetto, pagamento registrato" heard "tott andamento
    # venissorato"; "andamento" is 0.8 like "andato", and the closing stopped at its noun:
    # the verb's breath was silenced as unexplained speech
    from redactor.call_endings import closing_words

    toks = normalize(words(
        "tott/61.83/62.29/0.08 andamento/62.29/62.55/0.54 venissorato/62.55/63.45/0.44"
        " il/63.85/63.95/0.85 numero/63.95/64.15/0.59"
    ), "it")  # fmt: skip
    assert {toks[k].text for k in closing_words(toks, "it")} == {"andamento", "venissorato"}


# it-s35-025 (a fresh corpus, the agent's channel): the order number "... 8 1", then
# "buona giornata, arrivederci" heard "agegnata (0.53) a rimetterci (0.59)"
GOODBYE_AFTER_NUMBER = (
    "il/37.26/37.38/0.97 numero/37.38/37.62/0.98 12/37.62/37.92/0.1 di/37.92/38.2/0.2"
    " 0/38.2/38.8/0.51 0/38.82/39.28/0.06 3/39.46/39.84/0.88 7/40.22/40.54/0.98"
    " 1/40.86/41.14/0.98 8/41.36/41.82/0.98 1/42.52/42.74/0.29 agegnata/42.74/43.46/0.53"
    " a/43.66/43.76/0.1 rimetterci/43.76/44.48/0.59"
)


def test_a_misheard_goodbye_after_a_number_is_the_agent_saying_goodbye():
    from redactor.call_endings import goodbye_words
    from tests.fixtures.plan import silenced

    toks = normalize(words(GOODBYE_AFTER_NUMBER), "it")
    said = {toks[k].text for k in goodbye_words(toks, "it")}
    assert said == {"agegnata", "a", "rimetterci"}
    speech = [
        (37.228, 38.644),
        (38.924, 39.508),
        (39.628, 42.036),
        (42.636, 43.508),
        (43.628, 44.66),
    ]
    cut = silenced(toks, speech)
    assert not any(s < 44.4 and e > 43.8 for s, e in cut)  # "arrivederci"
    # ... but no word of a goodbye heard before the call's last seconds
    early = normalize(
        words(GOODBYE_AFTER_NUMBER + " grazie/50.0/50.4/0.9 mille/50.4/50.8/0.9"), "it"
    )
    assert goodbye_words(early, "it") == set()


# it-s54-025 (16 kHz stereo, a plain call), session 29: after "posso fare altro per lei?"
# base looped over the customer's "no, grazie" ("c è che" over and over, on both channels
# through the echo) to the end of the call, and the loop's window silenced the reply
ENDING_AGENT = (
    "ti/23.68/24.0/0.13 voglio/24.0/24.32/0.56 90/24.32/24.68/0.27 minuti/24.68/25.26/1.0"
    " posso/25.62/25.88/0.99 fare/25.88/26.14/0.86 altro/26.14/26.44/0.73 per/26.44/26.68/1.0"
    " lei/26.68/26.94/0.98 no/27.46/27.9/0.29 lo/28.14/28.28/0.5 c/28.28/28.4/0.5"
    " è/28.4/28.76/0.5 lo/29.02/29.44/0.5 c/29.44/29.64/0.5 è/29.64/29.74/0.5"
    " per/29.74/29.88/0.22 a/29.88/30.04/0.13 melchiamato/30.04/30.78/0.57 a/31.0/31.08/0.25"
    " mime/31.08/31.3/0.56 melchi/31.3/31.8/0.52"
)
ENDING_CUSTOMER = "non/26.74/27.84/0.11 " + " ".join(
    f"{w}/{28.3 + 0.3 * k:.2f}/{28.3 + 0.3 * k + 0.2:.2f}/0.3"
    for k, w in enumerate(["c", "è", "che"] * 6)
)
ENDING_SPEECH = (
    [(23.884, 27.22), (27.66, 27.988), (28.172, 28.884), (29.324, 32.02)],
    [(27.596, 28.852)],
)


def test_a_loop_over_the_reply_to_the_closing_question_silences_nothing():
    from tests.fixtures.plan import silenced_channels

    agent = normalize(words(ENDING_AGENT), "it")
    customer = normalize(words(ENDING_CUSTOMER, channel=1), "it")
    cut = silenced_channels([(agent, ENDING_SPEECH[0]), (customer, ENDING_SPEECH[1])])
    assert not any(s < 28.85 and e > 27.6 for s, e in cut), cut  # "no, grazie"


def test_a_loop_after_the_closing_question_with_more_said_after_it_is_still_a_window():
    from redactor.loops import at_call_end

    closed = [25.62]
    assert at_call_end(27.84, closed, [list(ENDING_SPEECH[1]), list(ENDING_SPEECH[0])])
    # a reply long enough for a detail asked for and read out, and the goodbye
    longer = list(ENDING_SPEECH[0]) + [(32.5, 36.0)]
    assert not at_call_end(27.84, closed, [list(ENDING_SPEECH[1]), longer])
    # a loop set in long after the question is no reply to it
    assert not at_call_end(31.0, closed, [list(ENDING_SPEECH[1])])
    assert not at_call_end(27.84, [], [list(ENDING_SPEECH[1])])


def test_the_agent_thanking_for_the_call_is_found_however_misheard():
    from redactor.call_endings import thanks_for_calling

    # it-s61-024 (8 kHz): "buonasera, grazie per aver chiamato" heard so
    heard = normalize(words("buona/0.0/0.6/0.73 sera/0.6/0.9/0.22 grazie/1.1/1.5/0.64 "
                            "per/1.5/1.7/0.86 la/1.7/1.9/0.16 merchiamato/1.9/2.7/0.72"), "it")  # fmt: skip
    assert thanks_for_calling(heard, "it") == [2]
    english = normalize(words("thanks/0.0/0.3/0.9 for/0.3/0.4/0.9 calling/0.4/0.9/0.9"), "en")
    assert thanks_for_calling(english, "en") == [0]


def test_a_caller_thanking_for_help_is_no_agent_s_thanks():
    from redactor.call_endings import thanks_for_calling

    heard = normalize(words("grazie/0.0/0.4/0.9 per/0.4/0.5/0.9 l'aiuto/0.5/0.9/0.9 "
                            "mi/1.0/1.1/0.9 ha/1.1/1.2/0.9 richiamato/1.2/1.8/0.9"), "it")  # fmt: skip
    assert thanks_for_calling(heard, "it") == []
