"""A bare "sì" answers a question ASR lost: the details after it are redacted as a health
answer (health_answers.unasked_answers). Words and voice activity as measured on the
Italian corpus (faster-whisper base, 8 kHz)."""

from redactor.health_answers import unasked_answers
from redactor.tokens import normalize
from tests.fixtures.tokens import words

SURE = 0.6

# it-s1-014 (mono): "ha qualche patologia che dobbiamo conoscere?" heard as "ma tu anche
# fatto l umina che non mi hanno chiamato"; "sì" heard as "si" at 0.12; "sto facendo la
# chemioterapia dall'anno scorso" heard as below
MONO = (
    "ma/6.66/6.84/0.30 tu/6.84/7.00/0.40 anche/7.00/7.20/0.56 fatto/7.20/7.44/0.30 "
    "l/7.44/7.66/0.15 umina/7.66/7.76/0.71 che/7.76/7.92/0.97 non/7.92/8.06/0.93 "
    "mi/8.06/8.22/0.76 hanno/8.22/8.40/0.59 chiamato/8.40/8.56/0.40 si/9.96/10.44/0.12 "
    "tu/10.98/11.08/0.36 sa/11.08/11.28/0.42 che/11.28/11.44/0.37 no/11.44/11.74/0.16 "
    "la/11.96/12.10/0.82 che/12.10/12.22/0.84 mi/12.22/12.36/0.41 ho/12.36/12.46/0.46 "
    "detto/12.46/12.56/0.06 ta/12.90/13.40/0.11 l/13.40/13.52/0.62 anno/13.52/13.70/0.90 "
    "sto/13.70/13.94/0.35 so/13.94/14.26/0.19"
)
MONO_SPEECH = {0: [(3.53, 6.13), (6.76, 9.27), (10.28, 10.74), (11.02, 13.14), (13.29, 14.52)]}


def mono():
    return normalize(words(MONO), "it")


def test_the_talk_after_a_bare_yes_to_a_misheard_question_is_a_health_answer():
    toks = mono()
    windows = unasked_answers(toks, MONO_SPEECH, [], "it", SURE)
    condition = [t for t in toks if t.text == "detto"][0]
    assert any(s <= condition.start and condition.end <= e for s, e in windows)
    # ... and "dall'anno scorso", after a pause in the voice, is not
    assert all(e <= 13.29 for _s, e in windows)
    # the yes itself and the question before it are not part of the answer
    assert all(s >= 10.74 for s, _e in windows)


def test_a_yes_an_answer_window_already_explains_opens_no_second_one():
    assert unasked_answers(mono(), MONO_SPEECH, [(10.5, 14.0)], "it", SURE) == []
    # it-s2-013: the question was heard, and its window starts after the lead-in "sto
    # facendo", a second after the yes
    assert unasked_answers(mono(), MONO_SPEECH, [(11.92, 13.40)], "it", SURE) == []


def test_a_yes_said_together_with_more_words_is_no_bare_yes():
    # "sì, allora" (before a card number) is one region of two words
    toks = normalize(words("sì/10.30/10.50/0.9 allora/10.50/10.70/0.9 4/11.1/11.3/0.9"), "it")
    speech = {0: [(6.76, 9.27), (10.28, 10.74), (11.02, 11.4)]}
    assert unasked_answers(toks, speech, [], "it", SURE) == []


def test_a_yes_followed_by_silence_answers_nothing_more():
    toks = normalize(words("si/9.96/10.44/0.5 grazie/13.0/13.4/0.9"), "it")
    speech = {0: [(6.76, 9.27), (10.28, 10.74), (13.0, 13.4)]}
    assert unasked_answers(toks, speech, [], "it", SURE) == []


def test_the_yes_is_read_on_its_own_channel_in_a_stereo_call():
    # it-s0-018 (stereo): the customer's channel heard "ti ho" around the yes, the agent's
    # channel the echo "si"; "ho fatto un bypass coronarico" heard as "... mai passo l onavico"
    agent = words(
        "chiano/8.26/8.96/0.20 si/9.78/10.42/0.28 ho/10.76/10.86/0.97 fatto/10.86/11.28/0.98 "
        "un/11.28/11.62/0.73 mai/11.62/11.84/0.67 pastolo/11.84/12.34/0.49 "
        "navico/12.34/12.86/0.59",
        channel=0,
    )
    customer = words(
        "ti/9.74/10.42/0.59 ho/10.42/10.82/0.70 fatto/10.82/11.24/0.98 un/11.24/11.58/0.94 "
        "mai/11.58/11.80/0.65 passo/11.80/12.18/0.37 l/12.18/12.38/0.60 "
        "onavico/12.38/12.82/0.68",
        channel=1,
    )
    toks = sorted(normalize(agent, "it") + normalize(customer, "it"), key=lambda t: t.start)
    speech = {0: [(7.15, 9.75), (10.28, 10.64), (10.76, 13.11)],
              1: [(5.04, 6.77), (10.22, 10.58), (10.73, 12.95)]}  # fmt: skip
    windows = unasked_answers(toks, speech, [], "it", SURE)
    onavico = [t for t in toks if t.text == "onavico"][0]
    assert any(s <= onavico.start and onavico.end <= e for s, e in windows)


def test_languages_without_a_bare_yes_table_have_no_such_rule():
    assert unasked_answers(mono(), MONO_SPEECH, [], "en", SURE) == []


def test_the_answer_is_the_phrase_after_the_yes_not_the_next_turn():
    # it-s2-003 (mono): "soffro di epilessia, dall'anno scorso" ran on in the words into the
    # agent's "qual è il numero della carta di credito?". The phrase after the yes is its
    # voice-activity region, with the next one when it is a short lead-in ("soffro di")
    toks = normalize(
        words(
            "si/10.94/11.50/0.00 soffro/11.50/12.06/0.53 di/12.06/12.34/0.38 e/12.34/12.66/0.18 "
            "di/12.66/12.82/0.47 le/12.82/12.92/0.69 silla/12.92/13.30/0.26 "
            "dall/13.30/13.84/0.16 anno/13.84/14.12/0.97 sto/14.12/14.38/0.00 "
            "sto/14.38/15.00/0.00 quale/15.00/15.66/0.75 il/15.66/15.86/0.65 "
            "numero/15.86/16.06/0.95 che/16.06/16.30/0.15 la/16.30/16.48/0.70 "
            "carta/16.48/16.76/0.43"
        ),
        "it",
    )
    speech = {0: [(7.44, 10.00), (10.83, 11.28), (11.63, 12.47), (12.59, 13.30),
                  (13.64, 14.90), (15.44, 17.72)]}  # fmt: skip
    windows = unasked_answers(toks, speech, [], "it", SURE)
    assert windows and all(e <= 13.64 for _s, e in windows)  # not "dall'anno scorso"
    assert any(s <= 12.92 and e >= 13.30 for s, e in windows)


def test_no_window_when_the_recognizers_heard_the_condition_after_the_yes():
    # it-s2-003: "soffro di" was heard, its trigger finding covers the condition; a window
    # as well only moved the verification pass's cuts (53.5% to 64.6% over-redaction)
    assert unasked_answers(mono(), MONO_SPEECH, [], "it", SURE, terms=[(11.96, 12.56)]) == []
