"""Where a health answer window starts and ends when ASR misplaced or misheard the words
around the condition (session 21; Italian, and one English call)."""

from redactor.tokens import normalize
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s9-016 (mono): "ha problemi di salute da segnalare?" / "sì" / "prendo il coumadin"
# (coumadin said 13.18-13.95 s) / "dall'anno scorso" (said from 14.15 s) / "altro?"
COUMADIN = (
    "la/7.52/7.68/0.82 polizzata/7.68/8.28/0.75 per/8.28/8.64/0.42 problemi/8.64/8.94/0.71"
    " di/8.94/9.08/0.99 salute/9.08/9.3/0.56 da/9.3/9.54/0.33 segnalare/9.54/10.16/0.92"
    " sì/10.96/11.72/0.8 come/12.14/12.28/0.15 il/12.28/12.84/0.45 romani/12.84/13.64/0.18"
    " dall/13.64/14.28/0.69 anno/14.28/14.64/0.99 scoso/14.64/15.2/0.18 altrò/15.9/16.5/0.26"
)
COUMADIN_SPEECH = [
    (7.404, 10.42), (11.372, 11.764), (12.14, 13.044), (13.228, 13.908), (14.156, 15.444),
    (15.948, 16.66),
]  # fmt: skip


def test_a_clause_opener_stamped_over_a_pause_leaves_the_breath_before_it_silenced():
    toks = normalize(words(COUMADIN), "it")
    cut = silenced(toks, COUMADIN_SPEECH, [], "it")
    # the drug's breath, 13.23-13.91 s, whole
    assert any(s <= 13.25 and e >= 13.9 for s, e in cut)
    # ... and "dall'anno scorso", said after the pause, is not
    assert not any(s < 15.0 and e > 14.3 for s, e in cut)


def test_a_strong_lead_after_a_health_question_heard_as_noise_still_opens_health_data():
    # it-s10-013: the question heard "atualte fatto non mi anche non mi amo che no e me",
    # then "soffro di epilessia" heard "soffroni e di le silla"
    from redactor.failclosed import health_context_findings

    toks = normalize(words("si/10.58/10.9/0.6 soffroni/10.98/11.6/0.7 e/11.7/11.8/0.5"
                           " di/11.8/11.9/0.5 le/11.9/12.0/0.5 silla/12.0/12.4/0.4"
                           " tutto/12.6/12.9/0.9 qui/12.9/13.3/0.9"), "it")  # fmt: skip
    [found] = health_context_findings(toks, 0, [], "it")
    assert found.start <= 11.7 and found.end >= 12.4


def test_a_yes_at_the_start_of_the_answers_breath_keeps_the_health_window_open():
    # en-s0-033 (mono): "do you have any medical conditions we should know about" / "yes,
    # I've got high blood pressure" in one breath (9.00-11.60 s) / "since last year"
    spec = (
        "do/5.6/5.8/0.9 you/5.8/5.9/0.9 have/5.9/6.1/0.9 any/6.1/6.3/0.9 medical/6.3/6.6/0.9"
        " conditions/6.6/7.2/0.9 we/7.2/7.5/0.9 should/7.5/7.7/0.9 know/7.7/7.9/0.9"
        " about/7.9/8.2/0.9 yes/9.1/9.54/0.93 i/9.86/10.0/1.0 got/10.0/10.4/0.78"
        " i/10.5/10.8/0.95 love/10.8/11.1/0.93 pressure/11.1/11.64/0.88 in/12.0/12.3/0.59"
        " last/12.3/12.66/0.39 year/12.66/13.36/1.0"
    )
    toks = normalize(words(spec), "en")
    cut = silenced(toks, [(5.612, 8.308), (9.004, 11.604), (11.916, 13.044)], [], "en")
    # "high blood pressure", said 10.37-11.66 s
    assert any(s <= 10.4 and e >= 11.6 for s, e in cut)
