"""Rules for speech heard out of context: a card whose reading ran into a decoding loop, a
request heard without its key word, a health answer's lead-in, a channel that wrote nothing
while it talked alone, and the verification pass hearing ordinary words as findings. Each
test is built from words measured on English corpus calls (sessions 7 and 8)."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.answers import contact_windows
from redactor.detect import Finding
from redactor.failclosed import long_numbers, numbers_in_payment, payment_windows
from redactor.lost_spans import dropout_spans
from redactor.recognizers.health import FUZZY_SCORE, HealthRecognizer
from redactor.tokens import normalize
from redactor.verify import heard_out_of_context
from tests.fixtures.tokens import words

# en-s0-033: the card read digit by digit, then tiny.en looped "the next 30 days" over
# the rest of the call; "30 days" made the whole run look like a quantity
CARD_THEN_LOOP = (
    "please/14.02/14.48/0.52 read/14.48/14.7/0.54 me/14.7/14.98/0.99 16/14.98/15.54/0.32"
    " digits/15.54/15.94/0.98 on/15.94/16.18/0.97 the/16.18/16.4/0.98 front/16.4/16.6/1.0"
    " of/16.6/16.84/1.0 the/16.84/17.0/1.0 car./17.0/17.52/0.63 sure./18.28/18.72/0.59"
    " 3./19.24/19.76/0.64 7./19.98/20.18/0.06 8./20.94/21.08/0.93 7./21.16/21.6/0.19"
    " 7./22.12/22.4/0.33 4./22.82/23.26/0.81 6./24.2/25.0/0.0 4./25.54/26.1/0.92"
    " 8./26.58/27.12/0.97 7./27.24/27.82/0.81 8./27.88/28.26/0.0 8./28.5/28.58/0.13"
    " next/28.72/31.34/0.19 30/31.34/31.76/0.11 days/31.76/32.9/0.0"
)


def test_a_card_read_before_a_looped_quantity_is_still_a_card_number():
    toks = normalize(words(CARD_THEN_LOOP), "en")
    [f] = long_numbers(toks, 0, 8)
    assert f.text.split()[:3] == ["3", "7", "8"] and "30" not in f.text.split()


def test_only_the_last_number_before_a_unit_is_a_quantity():
    toks = normalize(words("it/0/0.2/0.9 takes/0.2/0.5/0.9 20/0.6/0.9/0.9 minutes/0.9/1.3/0.9"))
    assert long_numbers(toks, 0, 8) == []
    spec = " ".join(f"{d}/{i * 0.5}/{i * 0.5 + 0.3}/0.9" for i, d in enumerate("45327816"))
    toks = normalize(words(spec + " 30/4.0/4.3/0.9 days/4.3/4.7/0.9"), "en")
    [f] = long_numbers(toks, 0, 8)
    assert f.text == "4 5 3 2 7 8 1 6"


def test_digits_read_one_by_one_before_a_quantity_are_found_in_a_payment_dialogue():
    spec = "card/0/0.4/0.9 number/0.4/0.8/0.9 please/0.8/1.2/0.9 " + " ".join(
        f"{d}/{2 + i * 0.5}/{2.3 + i * 0.5}/0.9" for i, d in enumerate("4532")
    )
    toks = normalize(words(spec + " 30/4.2/4.5/0.9 days/4.5/4.9/0.9"), "en")
    windows = payment_windows(toks, [], RedactionPolicy(), "en")
    found = numbers_in_payment(toks, 0, windows, "en")
    assert [f.text for f in found] == ["4 5 3 2"]


def test_a_card_asked_for_by_where_it_is_opens_the_payment_dialogue():
    toks = normalize(words(CARD_THEN_LOOP), "en")
    [w] = payment_windows(toks, [], RedactionPolicy(), "en")[:1]
    assert w.start <= 15.94


def test_a_closing_phrase_is_heard_across_a_stray_word_of_the_other_channel():
    # en-s2-007: the customer's channel wrote a "3" inside "the payment has gone through",
    # and an earlier decode's stretched "the" starts inside "gone through"
    agent = words(
        "card/1/1.4/0.9 number/1.4/1.8/0.9 thank/35.33/35.83/0.86 you/35.83/36.01/0.98"
        " the/36.15/36.17/0.75 payment/36.17/36.45/0.8 has/36.45/36.75/0.99"
        " gone/36.75/36.97/0.99 the/36.92/38.32/0.84 through/36.97/37.45/0.99",
        channel=0,
    )
    customer = words("4/3/3.4/0.9 3/36.36/36.36/0.93", channel=1)
    toks = sorted(normalize(agent, "en") + normalize(customer, "en"), key=lambda t: t.start)
    windows = payment_windows(toks, [], RedactionPolicy(), "en")
    assert windows and max(w.end for w in windows) < 38.0


# en-s1-025, two channels: the customer's "yes" stamped over the pause after it, then the
# lead-in; the agent's channel wrote none of the answer's echo, only the next question
HEALTH_CALL = (
    "do/5.12/5.28/0.66 you/5.28/5.5/0.99 have/5.5/5.74/0.99 any/5.74/6.08/0.98"
    " medical/6.08/6.4/0.98 conditions/6.4/6.9/0.99 we/6.9/7.32/0.88 should/7.32/7.52/0.96"
    " know/7.52/7.74/0.97 about?/7.74/8.09/0.99 anything/14.82/15.52/0.89 else?/15.52/16.22/1.0"
)
HEALTH_ANSWER = (
    "yes./8.3/9.06/0.9 i/9.26/9.52/0.98 go/9.52/9.8/0.98 for/9.8/10.24/0.99"
    " the/10.24/10.44/0.14 analysis/10.44/10.82/0.1 3/10.82/11.2/0.85 times/11.2/11.56/0.99"
    " a/11.56/11.74/0.98 week/11.74/12.24/1.0 since/12.24/12.64/0.64 last/12.64/12.98/0.99"
    " year./12.98/14.24/1.0"
)


def _two_channels(agent: str, customer: str):
    """The timeline of a two-channel call: the agent's channel 0, the customer's 1."""
    toks = normalize(words(agent, 0), "en") + normalize(words(customer, 1), "en")
    return sorted(toks, key=lambda t: t.start)


def test_a_health_answer_starts_after_its_lead_in_on_a_two_channel_call():
    toks = _two_channels(HEALTH_CALL, HEALTH_ANSWER)
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 14]
    assert w.entity_type == "HEALTH" and w.start == 10.24 and w.end >= 12.24


def test_a_health_answer_with_no_lead_in_is_covered_from_its_start():
    answer = HEALTH_ANSWER.replace("i/9.26/9.52/0.98 go/9.52/9.8/0.98", "i/9.26/9.52/0.3")
    toks = _two_channels(HEALTH_CALL, answer)
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 14]
    assert w.start < 9.3


def test_a_channel_that_wrote_nothing_while_it_talked_alone_is_decoded_again():
    # en-s2-007: the agent's questions were not written; the customer's channel was
    heard = {
        0: words("please/7.0/7.6/0.7 thank/43.1/43.4/0.9", 0),
        1: words(" ".join(f"{d}/{9 + i}/{9.4 + i}/0.9" for i, d in enumerate("4401095854")), 1)
        + words("hello/25.0/26.4/0.2 8/33.0/33.7/0.6", 1),
    }
    speech = {
        0: [(5.0, 7.6), (26.07, 27.37), (30.42, 32.57), (35.39, 37.26), (43.0, 44.7)],
        1: [(9.0, 19.0), (28.2, 29.9), (33.0, 35.0)],
    }
    spans = dropout_spans(heard, speech)
    assert any(ch == 0 and s < 26.07 and e > 37.26 for ch, s, e in spans)


def test_an_echo_channel_silent_while_the_other_speaks_is_no_dropout():
    digits = " ".join(f"{d}/{9 + i}/{9.4 + i}/0.9" for i, d in enumerate("45320181756"))
    heard = {0: words("please/7.0/7.6/0.7", 0), 1: words(digits, 1)}
    speech = {0: [(5.0, 7.6), (9.0, 19.5)], 1: [(9.0, 19.5)]}
    assert dropout_spans(heard, speech) == []


def test_a_term_matched_only_approximately_scores_below_an_exact_one():
    rec = HealthRecognizer("en")
    rec.load()
    [fuzzy] = rec.analyze("the methone number", ["HEALTH"])
    [exact] = rec.analyze("the methadone", ["HEALTH"])
    [near] = rec.analyze("the metforming", ["HEALTH"])
    assert fuzzy.score == near.score == FUZZY_SCORE < exact.score


def _finding(entity, score, text="x"):
    return Finding(entity, score, "HealthRecognizer", 0, 0, 0, 0.0, 1.0, text)


def test_verification_drops_an_approximate_health_term_far_from_any_health_talk():
    f = _finding("HEALTH", FUZZY_SCORE, "methone")
    assert heard_out_of_context(f, "", [(5.1, 7.3)], [], [])
    assert not heard_out_of_context(f, "", [(5.1, 7.3)], [(6.0, 12.0)], [])
    sure = _finding("HEALTH", 0.6, "diabetes")
    assert not heard_out_of_context(sure, "", [(5.1, 7.3)], [], [])


def test_verification_drops_a_number_the_first_pass_heard_surely_as_a_quantity():
    f = _finding("CARD_SECURITY_CODE", 0.5, "16-day")
    assert heard_out_of_context(f, "16", [(19.0, 21.6)], [], [(20.2, 20.46, "16")])
    assert not heard_out_of_context(f, "16", [(19.0, 21.6)], [], [(30.0, 30.3, "16")])
    assert not heard_out_of_context(f, "17", [(19.0, 21.6)], [], [(20.2, 20.46, "16")])


def test_verification_drops_part_of_a_quantity_heard_again_in_its_place():
    # it-s54-022 (8 kHz, session 29): "il totale è di 49 euro e 90", heard surely, was
    # heard again as "di 4" at the edge of an IBAN's payment window, and the total was
    # silenced to its end
    f = Finding("CARD_SECURITY_CODE", 0.5, "PaymentDialogueRule", 0, 0, 1, 37.45, 38.08, "di 4")
    total = [(38.0, 38.46, "49"), (39.24, 39.72, "90")]
    assert heard_out_of_context(f, "4", [(21.8, 22.72), (37.32, 38.82)], [], total)
    # not digits it does not hold, nor heard away from it
    assert not heard_out_of_context(f, "7", [(21.8, 22.72), (37.32, 38.82)], [], total)
    far = Finding("CARD_SECURITY_CODE", 0.5, "PaymentDialogueRule", 0, 0, 1, 30.0, 30.6, "4")
    assert not heard_out_of_context(far, "4", [(29.5, 38.82)], [], total)


def test_a_new_clause_after_the_condition_ends_the_health_answer():
    # en-s1-025: "... dialysis three times a week, since last year" stayed silenced to the end
    toks = _two_channels(HEALTH_CALL, HEALTH_ANSWER)
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 14]
    assert w.end == 12.24


def test_a_clause_opener_heard_unsurely_or_alone_does_not_end_the_answer():
    unsure = HEALTH_ANSWER.replace("since/12.24/12.64/0.64", "since/12.24/12.64/0.3")
    alone = HEALTH_ANSWER.replace("last/12.64/12.98/0.99", "last/12.64/12.98/0.4")
    for answer in (unsure, alone):
        toks = _two_channels(HEALTH_CALL, answer)
        [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 14]
        assert w.end > 12.98


def test_what_follows_a_health_lead_in_stops_at_a_new_clause():
    from redactor.health_answers import health_context_findings

    toks = normalize(
        words(
            "i've/0/0.2/0.95 got/0.2/0.4/0.95 athma/0.4/0.9/0.4 since/0.9/1.2/0.9"
            " last/1.2/1.5/0.95 year/1.5/1.9/0.95"
        ),
        "en",
    )
    [f] = health_context_findings(toks, 0, [(0.0, 5.0)], "en")
    assert f.text == "athma"


def test_the_next_question_heard_only_as_the_back_ends_the_expiry_answer():
    # en-s1-037: "and the three digits on the back please" heard as "and the free digit sun
    # the back"; the expiry answer window ran on over the whole question
    toks = normalize(
        words(
            "6/26.06/26.76/0.91 8/26.76/27.28/0.94 7/27.28/27.6/0.99 6/27.92/28.4/0.99"
            " 5/28.4/29.28/1.0 and/29.88/29.94/0.84 the/29.94/30.06/0.86"
            " expiry/30.06/30.56/0.47 date/30.56/31.32/0.98 january/31.62/31.9/0.18 20/31.9/32.54/0.37 27/32.6/33.1/0.28 and/34.12/34.4/0.97"
            " the/34.4/34.6/0.97 free/34.6/34.82/0.91 digit/34.82/35.16/0.37"
            " sun/35.16/35.38/0.22 the/35.38/35.56/0.63 back/35.56/35.88/0.81"
        ),
        "en",
    )
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en")
           if w.entity_type == "CARD_EXPIRY"]  # fmt: skip
    assert w.start < 31.62 and w.end <= 35.38


def test_the_report_transcript_hides_words_said_where_the_audio_was_silenced():
    # this machine's base heard a codice fiscale read letter by letter as "l'hsmmmm...":
    # an answer window silenced it, no finding covered the word, and the transcript kept it
    from types import SimpleNamespace

    from redactor.align import Interval
    from redactor.report import redacted_transcript

    toks = normalize(
        words(
            "codice/10.0/10.4/0.9 fiscale/10.4/10.9/0.9 l'hsmmm/11.5/19.0/0.1 4/19.2/19.5/0.9"
            " grazie/21.0/21.4/0.9"
        ),
        "it",
    )
    card = Finding("CREDIT_CARD", 0.5, "r", 0, 3, 3, 19.2, 19.5, "4")
    a = SimpleNamespace(channel=0, tokens=toks, findings=[card])
    ivs = [Interval(11.0, 20.0, 0, "IT_FISCAL_CODE", 0.5, "AnswerWindowRule")]
    text = redacted_transcript(a, RedactionPolicy(), ivs)["text"]
    assert "hsmmm" not in text and text.startswith("codice fiscale [")
    assert text.endswith("grazie") and "4" not in text


# en-s2-010, two channels: the follow-up answer "I was diagnosed with multiple sclerosis",
# heard surely on the customer's channel; the agent's channel heard its echo's first word
# at 0.29 and had vetoed the lead-in
FOLLOW_UP_AGENT = (
    "do/5.66/5.8/0.86 you/5.8/5.94/0.99 have/5.94/6.12/0.9 any/6.12/6.34/0.96"
    " medical/6.34/6.72/0.99 conditions/6.72/7.2/0.99 we/7.2/7.64/0.77 should/7.64/7.8/0.85"
    " know/7.8/8.02/0.97 about?/8.02/8.5/0.99 yes/9.48/9.48/0.95 my/9.84/9.94/0.87"
    " doctor/9.94/10.28/0.59 i/10.36/10.58/0.44 ignored/10.58/11.04/0.19"
    " chronic/11.04/11.62/0.98 conditionings/11.62/12.48/0.2 and/12.48/12.92/0.38"
    " that's/12.92/13.26/0.63 all./13.26/13.8/1.0 anything/14.36/14.36/0.98"
    " else?/14.36/15.16/1.0 i/15.16/15.76/0.29 was/15.76/16.02/0.75"
    " diagnosed/16.02/16.42/0.98 with/16.42/17.22/0.99 multiple/17.22/17.52/0.66"
    " sclerosis./17.52/18.26/1.0"
)
FOLLOW_UP_CUSTOMER = (
    "yes./8.52/9.34/0.91 my/9.8/9.96/0.92 doctor/9.96/10.26/0.69 diagnosed/10.26/10.9/0.72"
    " chronic/10.9/11.62/0.97 kidney/11.62/11.98/0.96 disease./11.98/12.62/1.0"
    " that's/12.92/13.24/0.81 all./13.24/13.98/1.0 i/15.5/15.74/0.99 was/15.74/15.98/0.99"
    " diagnosed/15.98/16.34/1.0 with/16.34/17.16/1.0 multiple/17.16/17.48/0.93"
    " sclerosis./17.48/18.14/1.0"
)


def test_a_channel_unsure_of_the_answers_first_word_does_not_veto_the_lead_in():
    toks = _two_channels(FOLLOW_UP_AGENT, FOLLOW_UP_CUSTOMER)
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start > 14]
    assert w.start >= 16.3  # after "diagnosed"


def test_a_lone_channel_unsure_of_the_answers_first_word_keeps_the_windows_start():
    toks = normalize(words(FOLLOW_UP_AGENT, 0), "en")
    [w] = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start > 14]
    assert w.start < 15.8


def test_a_card_answers_leading_gap_stops_at_the_question_its_first_digit_was_stamped_over():
    # en-s0-014, two channels: the customer's "sure" heard as "2" at 0.08 and stamped
    # 6.44-7.88 s, back over the end of the agent's "what is the card number" (solo until
    # 6.6 s); the card's leading gap had reached back past the question into "... pay my
    # bill" (3.96-4.66 s)
    import numpy as np

    from redactor.pipeline import ChannelAnalysis
    from redactor.plan import plan_intervals

    agent = normalize(words(
        "what/4.84/5.52/0.71 is/5.52/5.84/0.99 the/5.84/6.0/0.99 card/6.0/6.16/0.84"
        " number?/6.16/7.12/0.99", 0), "en")  # fmt: skip
    customer = normalize(words(
        "i'd/2.9/3.2/0.9 like/3.2/3.5/0.95 to/3.5/3.7/0.95 pay/3.7/3.96/0.95"
        " my/3.96/4.26/0.99 bill/4.26/6.44/0.46 2/6.44/7.88/0.08 6/8.58/8.96/0.79"
        " 0/9.24/9.58/0.96 1/9.8/10.26/0.99 1/10.26/11.12/1.0 4/11.12/11.5/0.97", 1), "en")  # fmt: skip
    first = next(i for i, t in enumerate(customer) if t.text == "2")
    card = Finding("CREDIT_CARD", 0.5, "SpokenCardRecognizer", 1, first, len(customer) - 1,
                   customer[first].start, customer[-1].end, "2 6 0 1 1 4")  # fmt: skip
    silence = np.zeros(16000 * 13, dtype=np.float32)
    analyses = [
        ChannelAnalysis(0, silence, agent, [(5.38, 6.6), (7.45, 8.05), (8.34, 12.2)], []),
        ChannelAnalysis(1, silence, customer, [(2.72, 4.66), (7.4, 8.05), (8.34, 12.14)], [card]),
    ]
    intervals, _windows = plan_intervals(analyses, RedactionPolicy(), "en")
    assert not [iv for iv in intervals if iv.start < 6.6]
    assert any(iv.start <= 7.45 and iv.end >= 12.0 for iv in intervals)


def test_a_confident_lead_in_is_not_the_talk_moving_on_from_a_health_answer():
    # the lead-in "I was diagnosed with", four sure words, had counted as the run of
    # confident words that ends a health answer whose term the lexicon found: the window
    # was empty and only the finding stood for the condition
    toks = normalize(words(
        "do/5.0/5.1/0.95 you/5.1/5.3/0.95 have/5.3/5.5/0.95 any/5.5/5.7/0.95"
        " medical/5.7/6.1/0.95 conditions?/6.1/6.6/0.95 i/7.5/7.7/0.99 was/7.7/7.9/0.99"
        " diagnosed/7.9/8.3/1.0 with/8.3/8.6/1.0 type/8.7/8.9/0.5 2/8.9/9.2/0.6"
        " diabetes./9.2/9.9/0.9", 0), "en")  # fmt: skip
    [w] = contact_windows(toks, RedactionPolicy(), "en", terms=[(9.2, 9.9)])
    assert w.entity_type == "HEALTH" and w.start >= 8.3 and w.start <= 8.7 and w.end >= 9.9


# s1-011 (English seed 1, two channels, this session's machine): "I take sertraline for
# anxiety since last year" heard as "I think they are relying for an ipad since last year";
# neither the lead-in nor the condition was heard
S1_011_AGENT = (
    "do/4.98/5.24/0.9 you/5.24/5.44/0.74 have/5.44/5.58/0.72 any/5.58/5.8/0.78 "
    "medical/5.8/6.18/0.99 conditions/6.18/6.66/0.56 we/6.66/7.08/0.44 should/7.08/7.26/0.92 "
    "know/7.26/7.52/0.94 about/7.52/8.08/0.94 yes/8.08/8.96/0.52 i/8.96/9.42/1.0 "
    "think/9.42/9.86/0.92 they/9.86/10.0/0.69 are/10.0/10.12/0.75 to/10.12/10.22/0.31 "
    "rely/10.22/10.34/0.95 on/10.34/10.72/0.67 my/10.72/11.04/0.21 outfit/11.04/11.52/0.2 "
    "since/11.52/12.0/0.78 last/12.0/12.34/0.99 year/12.34/12.7/1.0 "
    "anything/13.18/13.76/0.36 else/13.76/15.14/1.0 i/15.14/15.5/0.54 am/15.5/16.32/0.01 "
    "eating/16.32/17.08/0.06 we/17.76/18.3/0.2 open/18.3/18.58/0.97"
)
S1_011_CUSTOMER = (
    "yes/8.54/8.9/0.89 i/9.26/9.38/0.99 think/9.38/9.8/0.59 they/9.8/10.04/0.91 "
    "are/10.04/10.1/0.92 relying/10.1/10.46/0.16 for/10.46/10.7/0.87 an/10.7/10.9/0.17 "
    "ipad/10.9/11.3/0.08 since/11.3/12.0/0.68 last/12.0/12.3/0.99 year/12.3/13.82/1.0 "
    "i/15.24/15.5/0.87 have/15.5/15.98/0.86 type/15.98/16.32/0.26 2/16.32/16.52/0.58 "
    "nairobi/16.52/16.94/0.37 team/16.94/17.44/0.09"
)


def test_a_health_answer_on_two_channels_runs_as_long_as_the_customer_talks():
    # the agent's channel ran the answer's echo on into "anything else" and the second
    # answer: read off that channel, the first answer lasted to 16.96 s and took the second
    # answer's condition (heard at 16.94 s) for its own
    toks = _two_channels(S1_011_AGENT, S1_011_CUSTOMER)
    first = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 8.0]
    assert first and all(w.end <= 14.5 for w in first)
    assert any(w.start <= 9.8 and w.end >= 11.3 for w in first)  # "... relying for an ipad"


def test_a_new_clause_ends_a_health_answer_whose_lead_in_and_condition_were_both_misheard():
    toks = _two_channels(S1_011_AGENT, S1_011_CUSTOMER)
    first = [w for w in contact_windows(toks, RedactionPolicy(), "en") if w.start < 8.0]
    assert max(w.end for w in first) <= 11.3  # "since last year" is kept


def test_a_clause_opener_right_after_yes_does_not_end_an_unheard_health_answer():
    # "yes, so I have ..." with nothing heard: the opener is no new clause after the
    # condition, there is no room for a condition before it
    toks = _two_channels(
        "do/4.98/5.24/0.9 you/5.24/5.44/0.9 have/5.44/5.58/0.9 any/5.58/5.8/0.9 "
        "medical/5.8/6.18/0.99 conditions/6.18/6.66/0.9",
        "yes/8.54/8.9/0.89 so/9.0/9.2/0.9 i/9.26/9.38/0.99 hamster/9.4/9.8/0.3 "
        "fees/9.8/10.2/0.3 ago/10.2/10.6/0.3",
    )
    [w] = contact_windows(toks, RedactionPolicy(), "en")
    assert w.start <= 9.4 and w.end >= 10.6


# en-s0-001 (mono): "and the expiry date" right after the card, heard "and the fiery 8"
# (0.63, 0.40, 0.08, 0.02); the "8" opened the expiry answer's run of digits and the
# question was silenced as unheard speech
FIERY = (
    "4/17.74/18.3/1.0 5/18.3/18.98/1.0 and/19.8/19.9/0.63 the/19.9/20.18/0.4"
    " fiery/20.18/20.54/0.08 8/20.54/20.94/0.02 0/21.84/22.1/0.19 m/22.16/22.32/0.49"
    " 30/22.54/22.82/0.53"
)
FIERY_SPEECH = [(16.52, 18.71), (19.53, 20.95), (21.74, 22.87)]


def test_a_misheard_expiry_question_is_the_agent_asking():
    import numpy as np

    from redactor.misheard import misheard_requests
    from redactor.pipeline import ChannelAnalysis
    from redactor.plan import plan_intervals

    toks = normalize(words(FIERY), "en")
    assert misheard_requests(toks, FIERY_SPEECH, "en") == [(2, 5, 19.53, 20.95)]
    card = Finding("CREDIT_CARD", 0.5, "SpokenCardRecognizer", 0, 0, 1, 17.74, 18.98, "4 5")
    silence = np.zeros(16000 * 23, dtype=np.float32)
    intervals, _ = plan_intervals([ChannelAnalysis(0, silence, toks, FIERY_SPEECH, [card])],
                                  RedactionPolicy(), "en")  # fmt: skip
    silenced = [(iv.start, iv.end) for iv in intervals]
    # the card may end in a digit ASR did not write: its span reaches into "and" only
    assert not any(s < 20.6 and e > 20.1 for s, e in silenced)  # "the expiry da-"
    assert any(s <= 21.74 and e >= 22.87 for s, e in silenced)  # the answer, whole


def test_a_request_whose_breath_runs_on_into_the_answer_is_not_taken():
    from redactor.misheard import misheard_requests

    toks = normalize(words(FIERY), "en")
    # no pause between the question and the answer: the region holds the answer too
    assert misheard_requests(toks, [(16.52, 18.71), (19.53, 22.87)], "en") == []
    # ... and no head word after the article: "the 8" is no request
    plain = normalize(words("and/19.8/19.9/0.63 the/19.9/20.18/0.4 8/20.2/20.9/0.5"), "en")
    assert misheard_requests(plain, FIERY_SPEECH, "en") == []


def test_a_misheard_request_covers_no_speech_before_its_breath():
    # en-s2-029 (the agent's channel): "and" stamped 20.18-21.22 s, back over the echo of
    # the card's last digit (19.95-20.47 s); the question's breath starts at 20.97 s
    from redactor.misheard import misheard_requests

    toks = normalize(words(
        "487/18.5/20.18/0.42 and/20.18/21.22/0.29 the/21.22/21.44/0.97 x/21.44/21.72/0.55"
        " piry/21.72/22.0/0.11 date/22.0/22.82/0.54"), "en")  # fmt: skip
    speech = [(18.03, 19.76), (19.95, 20.47), (20.97, 22.45)]
    [(first, last, start, end)] = misheard_requests(toks, speech, "en")
    assert (first, last, start, end) == (1, 5, 20.97, 22.45)


def test_verification_drops_some_digits_of_a_reference_number_heard_again_where_it_was_read():
    # it-s30-015: "il numero d'ordine è 8 9 7 8 7 3", left audible by the first pass, heard
    # again as "il robot tiene 8 ... 3"
    order = [(55.7, 60.02, "897873")]
    f = Finding("CARD_SECURITY_CODE", 0.5, "PaymentDialogueRule", 0, 0, 1, 57.48, 60.66, "8 3")
    assert heard_out_of_context(f, "83", [(49.97, 61.87)], [], [], order)
    assert not heard_out_of_context(f, "83", [(49.97, 61.87)], [], order)  # a quantity is not
    # not digits it does not hold in that order, nor more than it holds, nor elsewhere
    assert not heard_out_of_context(f, "38", [(49.97, 61.87)], [], [], order)
    assert not heard_out_of_context(f, "8978731", [(49.97, 61.87)], [], [], order)
    far = Finding("CARD_SECURITY_CODE", 0.5, "PaymentDialogueRule", 0, 0, 1, 40.0, 41.0, "8 3")
    assert not heard_out_of_context(far, "83", [(39.0, 61.87)], [], [], order)
