"""A health answer window ends where the customer says since when or why (plan.py,
health_answers.until_follow_up)."""

from __future__ import annotations

from dataclasses import replace

from redactor.detect import Finding
from redactor.health_windows import after_lead, until_follow_up
from redactor.tokens import normalize
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s1-012 (the agent's channel, mono mix): "ha qualche patologia che dobbiamo conoscere?"
# / "sì, soffro di diabete, dall'anno scorso" / "ci sono due articoli nel carrello"
CALL = (
    "patonogia/7.94/8.46/0.41 che/8.46/8.68/0.96 non/8.68/8.82/0.91 mi/8.82/8.96/0.74"
    " amo/8.96/9.12/0.54 che/9.12/9.28/0.46 noce/9.28/9.66/0.55 me/9.66/9.82/0.41"
    " si/11.0/11.56/0.25 soffroni/11.56/12.12/0.76 diamete/12.36/12.66/0.78"
    " dall/13.08/13.24/0.39 anno/13.24/13.5/0.99 scorso/13.5/14.06/0.65"
    " ci/14.42/14.62/0.93 sono/14.62/14.86/1.0 2/14.86/15.08/0.74 articoli/15.08/15.52/0.56"
    " nel/15.52/15.78/0.88 canvello/15.78/16.46/0.5"
)
SPEECH = [(7.5, 10.068), (10.956, 11.348), (11.468, 14.164), (14.572, 16.692)]


def condition(toks, text="diamete"):
    k = next(i for i, t in enumerate(toks) if t.text == text)
    return Finding("HEALTH", 0.85, "HealthRecognizer", 0, k, k, toks[k].start, toks[k].end, text)


def cut_within(cut, a, b):
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in cut)


def test_since_when_after_a_recognised_condition_stays_audible():
    toks = normalize(words(CALL), "it")
    cut = silenced(toks, SPEECH, [condition(toks)])
    assert cut_within(cut, 12.36, 12.66) > 0.29  # the condition
    assert cut_within(cut, 13.5, 13.9) == 0.0  # "anno scorso"


def test_without_a_recognised_condition_the_answer_after_its_lead_in_is_silenced():
    # "soffroni" (0.76) for "soffro di" opens the answer: the misheard condition after it
    # is silenced up to the clause saying since when ("dall" at 0.39, "anno" at 0.99), the
    # lead-in is not
    toks = normalize(words(CALL), "it")
    cut = silenced(toks, SPEECH, [])
    assert cut_within(cut, 12.1, 13.08) > 0.95
    assert cut_within(cut, 11.56, 11.95) == 0.0
    assert cut_within(cut, 13.5, 14.06) == 0.0  # "scorso"


def test_without_a_lead_in_or_a_recognised_condition_the_whole_answer_is_silenced():
    # ... up to the clause saying since when, after as many words as a condition takes
    toks = normalize(words(CALL.replace("soffroni/", "sopromi/")), "it")
    assert cut_within(silenced(toks, SPEECH, []), 11.5, 13.08) > 1.5
    guessed = CALL.replace("soffroni/", "sopromi/").replace(
        "anno/13.24/13.5/0.99", "anno/13.24/13.5/0.3"
    )
    assert cut_within(silenced(normalize(words(guessed), "it"), SPEECH, []), 11.5, 14.1) > 2.5


def test_a_short_lead_in_must_be_heard_word_for_word_and_surely():
    # it-s0-008: "prendo il coumadin" heard "prendo (0.98) il comandi (0.25)"
    said = "si/11.0/11.4/0.45 prendo/11.5/11.88/0.98 il/11.88/12.1/0.67 comandi/12.16/12.7/0.25"
    toks = normalize(words(said), "it")
    assert after_lead(11.0, 13.0, [], [toks], "it") == 11.88 - 0.1
    unsure = normalize(words(said.replace("prendo/11.5/11.88/0.98", "prendo/11.5/11.88/0.6")), "it")
    assert after_lead(11.0, 13.0, [], [unsure], "it") == 11.0
    # a lead-in with nothing after it in the window is no lead-in: the condition may be it
    assert after_lead(11.0, 11.85, [], [toks], "it") == 11.0


def test_a_follow_up_heard_as_a_guess_does_not_end_the_answer():
    # (the time noun is what is heard of a since clause: "dall" is at 0.14-0.45 however
    # well "anno" is heard, so a guessed "anno" makes it a guess)
    said = CALL.replace("dall/13.08/13.24/0.39", "dall/13.08/13.24/0.2")
    toks = normalize(words(said.replace("anno/13.24/13.5/0.99", "anno/13.24/13.5/0.3")), "it")
    assert until_follow_up(11.0, 14.2, [condition(toks)], [toks], "it") == 14.2
    toks = normalize(words(CALL), "it")
    assert until_follow_up(11.0, 14.2, [condition(toks)], [toks], "it") == 13.08


def test_a_misheard_lead_in_before_a_recognised_condition_stays_audible():
    # "soffroni" (0.76) for "soffro di": the window starts at the condition
    toks = normalize(words(CALL), "it")
    cut = silenced(toks, SPEECH, [condition(toks)])
    assert cut_within(cut, 11.0, 11.9) == 0.0
    assert after_lead(10.9, 14.2, [condition(toks)], [toks], "it") == 12.36


def test_a_word_before_the_condition_that_is_no_lead_in_keeps_the_whole_answer():
    # "soffro di alma grave" with only "grave" recognised: "alma" may be the condition
    said = CALL.replace(
        "soffroni/11.56/12.12/0.76 diamete/12.36/12.66/0.78",
        "soffro/11.56/11.8/0.8 di/11.8/11.95/0.8 alma/11.95/12.3/0.4 grave/12.36/12.66/0.78",
    )
    toks = normalize(words(said), "it")
    assert after_lead(10.9, 14.2, [condition(toks, "grave")], [toks], "it") == 10.9


def test_the_article_opening_the_condition_stays_in_the_window():
    # "mi hanno mi ha riuscicato un intufficienza" (it-s0-015)
    said = CALL.replace(
        "soffroni/11.56/12.12/0.76 diamete/12.36/12.66/0.78",
        "mi/11.3/11.4/0.83 hanno/11.4/11.6/0.97 mi/11.6/11.7/0.64 ha/11.7/11.8/0.43"
        " riuscicato/11.8/12.1/0.45 un/12.1/12.3/0.75 intufficienza/12.36/12.66/0.54",
    )
    toks = normalize(words(said), "it")
    assert after_lead(10.9, 14.2, [condition(toks, "intufficienza")], [toks], "it") == 12.1


# it-s2-026: "sì" / "mi hanno diagnosticato un'insufficienza renale cronica" / "tutto qui",
# the condition beyond the lexicon as heard; the lead-in heard word for word
DIAGNOSED = (
    "si/10.12/10.48/0.22 mi/10.92/11.06/0.74 hanno/11.06/11.28/0.99"
    " diagnosticato/11.28/12.10/0.66 un/12.10/12.36/0.87 insufficienza/12.36/13.14/0.72"
    " rena/13.14/13.48/0.54 rechronica/13.48/14.10/0.57"
)


def test_a_health_answer_starts_after_a_lead_in_heard_word_for_word():
    from redactor.recognizers.health import TRIGGER_NAME

    toks = normalize(words(DIAGNOSED), "it")
    k = next(i for i, t in enumerate(toks) if t.text == "un")
    after = Finding("HEALTH", 0.5, TRIGGER_NAME, 0, k, len(toks) - 1, 12.10, 14.10, "un ...")
    assert after_lead(10.0, 14.3, [after], [toks], "it") == 12.10
    # a condition only guessed is none recognised: the window starts a little before the
    # lead-in's end (that rule's margin), not at the guess
    guessed = replace(after, recognizer="HealthContextRule")
    assert after_lead(10.0, 14.3, [guessed], [toks], "it") == 12.0


# it-s0-005 (mono): "altro?" / "mi hanno diagnosticato un'insufficienza renale cronica" /
# (0.57 s) "qual è il numero della carta di credito?", the question stamped from the
# condition's end with no pause
FOLLOW_UP = (
    "altro/15.52/15.98/0.79 mi/16.68/16.92/0.0 hanno/16.92/17.12/0.0 mi/17.12/17.26/0.0"
    " hanno/17.26/17.34/0.0 fichato/17.34/17.96/0.39 un/17.96/18.26/0.94"
    " intufficienza/18.26/19.0/0.54 reale/19.0/19.44/0.44 cronica/19.44/20.04/0.91"
    " quale/20.04/20.98/0.55 il/20.98/21.14/0.78 numero/21.14/21.4/0.99 ve/21.4/21.64/0.28"
    " la/21.64/21.84/0.55 carta/21.84/22.14/0.95"
)
FOLLOW_UP_SPEECH = [(15.5, 16.084), (16.78, 20.148), (20.716, 23.028)]


def test_a_recognised_condition_ends_its_answer_with_its_breath_before_the_next_turn():
    toks = normalize(words(FOLLOW_UP), "it")
    k = next(i for i, t in enumerate(toks) if t.text == "intufficienza")
    found = Finding("HEALTH", 0.85, "HealthRecognizer", 0, k, k + 2, 18.26, 20.04,
                    "intufficienza reale cronica")  # fmt: skip
    speech = {0: FOLLOW_UP_SPEECH}
    assert until_follow_up(17.96, 23.03, [found], [toks], "it", speech=speech) == 20.148
    # a pause too short for a turn: the talk after it may still be the answer's
    joined = {0: [(15.5, 16.084), (16.78, 20.148), (20.4, 23.028)]}
    assert until_follow_up(17.96, 23.03, [found], [toks], "it", speech=joined) == 23.03


def test_a_misheard_operata_per_before_a_recognised_condition_is_its_lead_in():
    # Regression (it-s18-027): "sì" / "sono stata operata per un tumore al seno" heard "sì
    # sono stata appena da per un tumore al seno": the lead-in's letters, with the "per"
    # said after it, were too many for "sono stata operata", and the whole breath from
    # "sono" was silenced with the condition
    toks = normalize(words(
        "sì/10.86/11.46/0.82 sono/11.88/12.04/0.99 stata/12.04/12.32/0.97 appena/12.32/12.74/0.4"
        " da/12.74/12.98/0.25 per/12.98/13.32/0.81 un/13.32/13.66/0.93 tumore/13.7/13.98/0.6"
        " al/13.98/14.28/0.6 seno/14.28/14.64/0.8"), "it")  # fmt: skip
    k = [t.text for t in toks].index("tumore")
    term = Finding("HEALTH", 0.8, "HealthRecognizer", 0, k, k + 2, 13.7, 14.64, "tumore al seno")
    assert after_lead(11.84, 14.7, [term], [toks], "it") == 13.32  # at "un", the article


def test_since_when_said_before_the_lead_in_is_no_part_of_the_condition():
    # Regression (it-s19-024, 16 kHz stereo): "sì" / "l'anno scorso ho avuto un infarto"
    # heard "sì l anno schorso ho ammuto un infarto": the since clause before "ho avuto"
    # made the lead-in too long to match, and the whole breath was silenced
    toks = normalize(words(
        "sì/10.66/11.42/0.9 l/11.9/11.98/0.5 anno/11.98/12.18/0.8 schorso/12.18/12.64/0.4"
        " ho/12.64/12.84/0.9 ammuto/12.84/13.26/0.4 un/13.58/13.7/0.9 infarto/13.7/14.24/0.9"),
        "it")  # fmt: skip
    k = [t.text for t in toks].index("infarto")
    term = Finding("HEALTH", 0.8, "HealthRecognizer", 0, k, k, 13.7, 14.24, "infarto")
    assert after_lead(11.72, 14.82, [term], [toks], "it") == 13.58


# it-s32-016 (a fresh corpus, the customer's channel): "ho fatto un bypass coronarico";
# "bypass" was found, and the rest of the condition after it stayed audible
BYPASS = (
    "ho/15.86/16.74/0.85 fatto/16.74/17.18/0.99 un/17.18/17.58/0.78 bypass/17.58/17.84/0.77"
    " l/17.84/18.26/0.17 ongamico/18.26/18.86/0.67"
)


def test_the_words_a_found_condition_runs_on_into_in_its_breath_are_silenced():
    toks = normalize(words(BYPASS), "it")
    cut = silenced(toks, [(16.652, 19.06)], [condition(toks, "bypass")])
    assert cut_within(cut, 17.58, 18.86) > 1.2
    assert cut_within(cut, 16.74, 16.95) == 0.0  # "fatto"


def test_a_condition_recognised_right_where_its_answer_window_ends_still_ends_the_lead_in():
    # it-s48-010 (a fresh corpus): "sì, l'anno scorso ho avuto un infarto" heard "sì l anno
    # scorso ha muto un infarto"; the answer window ended at "un", the term's article, and
    # with no condition inside it the lead-in and the clause before it were silenced
    said = ("sì/10.0/10.4/0.8 l/10.8/10.9/0.88 anno/10.9/11.0/0.99 scorso/11.0/11.5/0.7"
            " ha/11.5/11.7/0.63 muto/11.7/12.2/0.66 un/12.2/12.32/0.95 infarto/12.32/12.9/0.9")  # fmt: skip
    toks = normalize(words(said), "it")
    assert after_lead(10.45, 12.2, [condition(toks, "infarto")], [toks], "it") == 12.2
    # ... but a condition said later is another answer's
    later = [replace(condition(toks, "infarto"), start=13.0)]
    assert after_lead(10.45, 12.2, later, [toks], "it") == 10.45
