"""Italian health answers base misheard: the request, where the answer starts, the
customer's lead-in and what a medicine is for. Token lists are shaped like faster-whisper
base output on 8 kHz mono calls, where the agent and the customer share one channel."""

from dataclasses import replace

import pytest

from policies.redaction import RedactionPolicy
from redactor.answers import contact_windows
from redactor.detect import Finding
from redactor.health_answers import _first_utterance_end, expand_health
from redactor.tokens import Token, normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def said(*utterances, p=0.9, step=0.4, pause=1.0):
    ws, t = [], 0.0
    for text in utterances:
        for w in text.split():
            ws.append(Word(w, t, t + step * 0.8, p, 0, 0))
            t += step
        t += pause
    return normalize(ws, "it")


def at(toks, word, n=0):
    return [t for t in toks if t.text == word][n]


def health(toks):
    return [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "HEALTH"]


def covers(windows, tok):
    return any(w.start <= tok.start and tok.end <= w.end for w in windows)


def test_di_salute_alone_is_a_health_request():
    # Regression (it-s1-007): "ha problemi di salute da segnalare?" heard as "però ne mi di
    # salute da segnalare?"; the condition after it leaked
    toks = said("per la polla però ne mi di salute da segnalare?", "sì.", "lascle l omimo ultima")
    assert covers(health(toks), at(toks, "omimo"))


def test_a_yes_after_a_short_pause_starts_the_answer_to_a_health_question():
    # Regression (it-s1-024, mono): question and answer 0.46 s apart ran together, so the
    # request seemed to end only after the condition, and the window covered the next turn
    question = "qualche patonomi che non mi amo che non ho femmemi"
    answer = "si mi ha indicato la scleromi multa dall anno scorso"
    ws, t = [], 8.0
    for text, gap in ((question, 0.0), (answer, 0.46)):
        t += gap
        for w in text.split(" "):
            ws.append(Word(w, t, t + 0.28, 0.4, 0, 0))
            t += 0.3
        t -= 0.02  # the last word ends 0.28 s after it starts
    toks = normalize(ws, "it")
    assert covers(health(toks), at(toks, "scleromi"))


def test_a_si_inside_the_question_said_without_a_pause_does_not_end_it():
    toks = said("ha qualche patologia sì o no?", "no.", "tutto bene grazie mille davvero")
    windows = health(toks)
    assert windows and all(w.start >= at(toks, "no").start - 0.5 for w in windows)


def test_a_decoding_loops_words_are_no_words_of_the_first_utterance():
    # Regression (it-s1-007): "sì, mi hanno diagnosticato" heard as "sì mi hanno mi hanno
    # sticato." (the repeat zeroed): the full stop after it ended the answer before the
    # condition
    toks = said("sì mi hanno mi hanno sticato. lascle l omimo ultima", step=0.3)
    toks = [replace(t, probability=0.0) if 1 <= k <= 4 else t for k, t in enumerate(toks)]
    assert _first_utterance_end(toks, 30.0) >= at(toks, "ultima").end


def test_four_words_said_and_a_full_stop_still_end_the_first_utterance():
    toks = said("sì ho il diabete. per questo mi serve la copertura", step=0.3)
    assert _first_utterance_end(toks, 30.0) == pytest.approx(at(toks, "diabete").end + 0.5)


def _tokens(text):
    return [
        Token(w, w, k * 0.4, k * 0.4 + 0.3, 0.9, 0, k, k, "") for k, w in enumerate(text.split())
    ]


def _expanded(text, term):
    toks = _tokens(text)
    i = [t.text for t in toks].index(term)
    f = Finding("HEALTH", 0.8, "HealthRecognizer", 0, i, i, toks[i].start, toks[i].end, term)
    [out] = expand_health(toks, [f], "it")
    return " ".join(t.text for t in toks[out.first : out.last + 1])


def test_what_a_medicine_is_for_is_part_of_the_mention():
    # Regression (it-s1-032): "la sertralina per l'ansia" heard as "la sertralina per
    # ranzia"; the lexicon missed the misheard condition and it leaked
    assert (
        _expanded("prendo la sertralina per ranzia grazie", "sertralina") == "sertralina per ranzia"
    )
    assert _expanded("la metformina per il diabete", "metformina") == "metformina per il diabete"


def _expanded_span(text, first, last):
    toks = _tokens(text)
    words = [t.text for t in toks]
    i, j = words.index(first), words.index(last)
    text = " ".join(words[i : j + 1])
    f = Finding("HEALTH", 0.5, "HealthContextRule", 0, i, j, toks[i].start, toks[j].end, text)
    [out] = expand_health(toks, [f], "it")
    return " ".join(t.text for t in toks[out.first : out.last + 1])


def test_a_condition_heard_glued_to_per_and_its_article_is_part_of_the_mention():
    # Regression (it-s17-011): "prendo la sertralina per l'ansia" heard "prendo la certra
    # lì a perlanzia" on the customer's channel, and "... la certra lima per l ansia" on
    # the agent's: the mention ended before "perlanzia" there, and before "l ansia" here,
    # and the condition leaked
    said_glued = "prendo la certra lì a perlanzia tutto qui"
    assert _expanded_span(said_glued, "la", "a") == "la certra lì a perlanzia"
    said_apart = "prendo la certra lima per l ansia tutto qui"
    assert _expanded_span(said_apart, "la", "per") == "la certra lima per l ansia"


def test_per_glued_to_a_word_with_no_article_or_to_a_phrase_is_no_condition():
    assert _expanded_span("la certra lì a perfetto grazie", "la", "a") == "la certra lì a"
    assert _expanded_span("la certra lì a perlopiù grazie", "la", "a") == "la certra lì a"
    assert _expanded_span("la certra lima per questo grazie", "la", "per") == "la certra lima per"


def test_per_questo_after_a_medicine_is_no_condition():
    assert _expanded("la sertralina per questo mi serve", "sertralina") == "sertralina"
    assert _expanded("la sertralina. per favore", "sertralina.") == "sertralina."


def spoken(*utterances, step=0.4, pause=0.8):
    """``(text, probability)`` utterances one after another on one channel."""
    ws, t = [], 0.0
    for text, p in utterances:
        for w in text.split():
            ws.append(Word(w, t, t + step * 0.8, p, 0, 0))
            t += step
        t += pause
    return normalize(ws, "it")


def test_the_answer_to_a_follow_up_asr_could_not_hear_is_a_health_answer():
    # Regression (it-s0-015, mono): "altro?" heard as "albero" (0.20) and "soffro di
    # epilessia" as "sopro mi e di le silla"; no cue, no term, and the condition leaked
    toks = spoken(("ha qualche patologia?", 0.9), ("sì, ho il diabete.", 0.9),
                  ("albero?", 0.2), ("sopro mi e di le silla.", 0.3),
                  ("mi legge il numero della carta?", 0.9))  # fmt: skip
    assert covers(health(toks), at(toks, "silla"))
    assert not covers(health(toks), at(toks, "numero"))


def test_a_short_reply_asr_was_sure_of_after_a_health_answer_asks_for_nothing_more():
    toks = spoken(("ha qualche patologia?", 0.9), ("sì, ho il diabete.", 0.9),
                  ("perfetto.", 0.95), ("sopro mi e di le silla.", 0.3))  # fmt: skip
    assert not covers(health(toks), at(toks, "silla"))


def test_long_unsure_talk_after_a_health_answer_is_no_follow_up_question():
    toks = spoken(("ha qualche patologia?", 0.9), ("sì, ho il diabete.", 0.9),
                  ("il totale è di quaranta nove euro", 0.3), ("sopro mi e di le silla.", 0.3))  # fmt: skip
    assert not covers(health(toks), at(toks, "silla"))


def test_per_questo_after_the_condition_opens_a_new_clause():
    # it-s2-013: "sì, sto facendo la chemioterapia, per questo mi serve la copertura"; the
    # health window ran to the end of the utterance
    toks = said(
        "ha qualche patologia?", "sì, ho la chemiocerapia, per questo mi serve la copertura"
    )
    [w] = health(toks)
    assert covers([w], at(toks, "chemiocerapia"))
    assert w.end <= at(toks, "per").start


def test_a_recognised_condition_run_on_from_the_follow_up_ends_before_the_next_turn():
    # Regression (it-s0-008, mono): "altro?" and, 0.38 s later, "ho fatto un bypass
    # domarico" ran on as one request sentence; the answer window opened after it and
    # silenced the agent's "il totale è di 49 euro e 90" (0.54 s after the condition)
    stamps = [("ha", 8.38, 8.46, 0.44), ("problemi", 8.46, 8.96, 0.95),
              ("di", 8.96, 9.08, 1.0), ("salute", 9.08, 9.38, 0.96),
              ("da", 9.38, 9.66, 0.98), ("segnalave.", 9.66, 10.32, 0.82),
              ("Sì,", 10.88, 11.18, 0.45), ("prendo", 11.5, 11.88, 0.98),
              ("il", 11.88, 12.16, 0.67), ("comandi", 12.16, 12.76, 0.25),
              ("dal", 12.76, 13.34, 0.38), ("anno", 13.34, 13.64, 0.67),
              ("scorso.", 13.64, 14.18, 0.84), ("Altro,", 15.06, 15.56, 0.83),
              ("ho", 15.94, 16.18, 0.97), ("fatto", 16.18, 16.54, 1.0),
              ("un", 16.54, 16.86, 0.95), ("bypass", 16.86, 17.16, 0.72),
              ("domarico.", 17.16, 18.0, 0.41), ("Il", 18.54, 18.72, 0.99),
              ("totale", 18.72, 19.08, 0.97), ("è", 19.08, 19.26, 0.77),
              ("di", 19.26, 19.32, 0.99), ("49", 19.32, 19.74, 0.92),
              ("euro", 19.74, 20.38, 0.6), ("e", 20.38, 20.56, 0.96),
              ("90.", 20.56, 20.92, 0.95)]  # fmt: skip
    toks = normalize([Word(w, s, e, p, 0, 0) for w, s, e, p in stamps], "it")
    bypass = at(toks, "bypass")
    windows = [w for w in contact_windows(toks, POLICY, "it", terms=[(bypass.start, bypass.end)])
               if w.entity_type == "HEALTH"]  # fmt: skip
    assert covers(windows, at(toks, "domarico"))
    assert not any(w.end > at(toks, "totale").start for w in windows)


# it-s16-012 (8 kHz mono): after "altro?" (heard "aldo"), "prendo il coumadin" heard
# "trendo il tomadin": "prendo" misheard, the lead found nothing, and the drug leaked
AFTER = (
    "dal/13.28/13.42/0.24 anno/13.42/13.7/0.65 scorso/13.7/14.26/0.63 aldo/14.92/15.42/0.62"
    " trendo/16.16/16.72/0.44 il/16.72/17.1/0.78 tomadin/17.1/17.78/0.3 il/18.42/18.72/0.99"
    " totale/18.72/19.04/0.92"
)


def test_a_one_word_lead_misheard_before_an_article_is_a_lead_in_a_health_talk():
    from redactor.health_answers import health_context_findings
    from tests.fixtures.tokens import words

    toks = normalize(words(AFTER), "it")
    [f] = health_context_findings(toks, 0, [(9.0, 40.0)], "it")
    assert f.start <= 17.1 and f.end >= 17.78


def test_a_word_like_a_lead_outside_a_health_talk_is_no_lead():
    from redactor.health_answers import health_context_findings
    from tests.fixtures.tokens import words

    toks = normalize(words(AFTER), "it")
    assert health_context_findings(toks, 0, [], "it") == []


def test_soffro_di_heard_with_its_first_word_worn_down_still_leads_into_the_condition():
    # Regression (it-s21-017, 8 kHz stereo): after "altro?" heard "al d oro", "soffro di
    # asma grave" heard "sopro di almatame": no lead, no follow-up, and the condition leaked
    from redactor.health_answers import health_context_findings

    toks = said("sopro di almatame")
    [f] = health_context_findings(toks, 0, [(0.0, 30.0)], "it")
    assert " ".join(t.text for t in toks[f.first : f.last + 1]) == "almatame"
    # ... but not a word like it before another word ("sopra il tavolo": a place)
    assert health_context_findings(said("sopra la sedia"), 0, [(0.0, 30.0)], "it") == []


def test_per_questo_with_per_guessed_still_ends_the_health_answer():
    # Regression (it-s21-014, 16 kHz stereo): "prendo il coumadin, per questo mi serve la
    # copertura" heard "prendo io il comattin per (0.42) questo (0.98) miselme (0.52) ...":
    # "per" below 0.5 and "miselme" unsure, no clause opened, and the health window ran on
    # over "per questo mi serve la copertura"
    toks = spoken(("ha problemi di salute da segnalare?", 0.9), ("sì", 0.9),
                  ("prendo io il", 0.9), ("comattin", 0.26), ("per", 0.42), ("questo", 0.98),
                  ("miselme", 0.52), ("da", 0.33), ("copertura", 0.85), pause=0.05)  # fmt: skip
    [w] = health(toks)
    assert w.end <= at(toks, "per").start + 0.01


def test_a_follow_up_heard_with_a_letter_off_still_opens_a_health_answer():
    # Regression (it-s22-016, 16 kHz stereo): "altro?" heard "aldro" (0.66), then "ho il
    # morbo di Parkinson" heard "oh io buongiorno mi parco in son": no follow-up, and "morbo
    # di", before the term found from "parco in son", leaked
    toks = spoken(("ha problemi di salute da segnalare?", 0.9), ("sì", 0.9),
                  ("ho il diabete", 0.9), ("aldro", 0.66),
                  ("oh io buongiorno mi parco in son", 0.5))  # fmt: skip
    windows = health(toks)
    assert any(w.start <= at(toks, "buongiorno").start and w.end >= at(toks, "son").end
               for w in windows)  # fmt: skip
    # ... but not a word like it far from any health answer ("alto", tall)
    far = spoken(("buongiorno", 0.9), ("il pacco è alto e pesante", 0.9))
    assert health(far) == []


def test_da_segnalare_alone_is_a_health_request():
    # it-s25-010 (session 24's machine): "per la polizza, ha problemi di salute da
    # segnalare?" heard "per la polica però ne mi disa nuke da segnalare", then "faccio la
    # dialisi tre volte a settimana" heard "faccio la di all initre volte a fettimata": no
    # window opened and the treatment leaked
    toks = said(
        "per la polica però ne mi disa nuke da segnalare", "si", "faccio la di all initre volte a"
    )
    assert covers(health(toks), at(toks, "initre"))


def test_a_leads_long_last_word_heard_by_its_tail_ends_the_lead_in():
    # it-s33-032 (a fresh corpus, the customer's channel): "sì, mi hanno diagnosticato la
    # sclerosi multipla" heard "sì mi hanno mi hanno (a loop, 0.0) sticato la sclerosis":
    # the lead-in was taken as part of the condition
    from redactor.health_answers import _lead_end
    from tests.fixtures.tokens import words

    said = normalize(words(
        "sì/9.74/10.38/0.78 mi/10.76/10.86/0.0 hanno/10.86/11.1/0.0 mi/11.1/11.2/0.0"
        " hanno/11.2/11.38/0.0 sticato/11.38/11.92/0.77 la/11.92/12.3/0.68"
        " sclerosis/12.3/12.76/0.56"), "it")  # fmt: skip
    assert _lead_end(said, "it", 0.7) == 11.92
    # ... not a word of the condition after other words ("ho la ... complicato la")
    other = normalize(words(
        "sì/9.74/10.38/0.78 ho/10.76/10.86/0.9 avuto/10.86/11.1/0.9 un/11.1/11.2/0.3"
        " complicato/11.38/11.92/0.77 la/11.92/12.3/0.68"), "it")  # fmt: skip
    assert _lead_end(other, "it", 0.7) != 11.92
    # ... nor a tail heard as a guess
    guessed = [replace(t, probability=0.3) if t.text == "sticato" else t for t in said]
    assert _lead_end(guessed, "it", 0.7) != 11.92


def test_a_follow_up_after_a_health_lead_heard_surely_opens_a_health_answer():
    # it-s37-016 (a fresh corpus): the health question misheard, then "sì, prendo la
    # metformina, tutto qui" / "altro?" / "ho il diabete di tipo due" heard "o il mi amete
    # di tipo nue": no health window before "altro?", so none after it, and it leaked
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "si/10.54/10.88/0.25 prendo/11.3/11.64/0.96 la/11.64/11.86/0.88"
        " metformia/11.86/12.82/0.55 tutto/13.32/13.6/0.98 qui/13.6/14.02/0.83"
        " altro/14.78/15.3/0.64 o/15.8/16.4/0.22 il/16.4/16.74/0.14 mi/16.96/17.18/0.59"
        " amete/17.18/17.46/0.92 di/17.46/17.64/0.48 tipo/17.64/17.94/0.87 nue/17.94/18.3/0.45"
        " la/18.92/19.04/0.92 consegna/19.04/19.56/0.69"), "it")  # fmt: skip
    health = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "HEALTH"]
    assert any(w.start <= 17.18 and w.end >= 18.3 for w in health)
    # ... but not after a lead heard as a guess
    guessed = [replace(t, probability=0.4) if t.text == "prendo" else t for t in toks]
    assert not [w for w in contact_windows(guessed, POLICY, "it") if w.entity_type == "HEALTH"]


def test_a_follow_up_answer_whose_lead_was_heard_by_its_tail_keeps_its_condition():
    # it-s33-015 (a fresh corpus, 8 kHz mono): "altro?" / "mi hanno diagnosticato la
    # sclerosi multipla" heard "mi hanno mi hanno (a loop) sticato la cronimultima" in one
    # breath; the window started after the lead's tail, and the rule that moves a window
    # past the breath of its question (no lead heard there) moved it past the condition
    from tests.fixtures.plan import silenced
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "patonomi/8.04/8.54/0.41 che/8.54/8.76/0.27 non/8.76/8.94/0.98 mi/8.94/9.1/0.86"
        " amo/9.1/9.28/0.82 che/9.28/9.42/0.28 non/9.42/9.58/0.64 ho/9.58/9.8/0.12"
        " femmemi/9.8/10.06/0.45 sì/10.76/11.2/0.83 mi/11.54/11.66/0.0 hanno/11.66/11.86/0.0"
        " mi/11.86/11.98/0.0 hanno/11.98/12.14/0.0 sticato/12.14/12.7/0.68 la/12.7/13.0/0.71"
        " cronimultima/13.0/14.06/0.52 per/14.48/14.6/0.92 questo/14.6/14.9/0.98"
        " mi/14.9/15.14/0.88 ferme/15.14/15.52/0.52 la/15.52/15.64/0.47"
        " copertura/15.64/16.26/0.73 altrono/17.14/17.7/0.27 mi/18.36/18.86/0.0"
        " hanno/18.86/19.04/0.0 mi/19.04/19.2/0.0 hanno/19.2/19.3/0.0 sticato/19.3/19.88/0.99"
        " la/19.88/20.14/0.99 cronimultima/20.14/21.24/0.99 apreiamo/22.24/22.64/0.3"
        " alle/22.64/22.88/0.61 nome/22.88/23.16/0.56"), "it")  # fmt: skip
    speech = [(7.564, 10.196), (10.988, 11.348), (11.5, 14.196), (14.476, 16.372),
              (17.196, 17.876), (18.732, 21.364), (22.22, 23.476)]  # fmt: skip
    cut = silenced(toks, speech)
    assert any(s <= 20.1 and e >= 21.2 for s, e in cut)  # the second condition


def test_a_follow_up_after_a_condition_the_recognizers_heard_opens_a_health_answer():
    # it-s56-032 (a fresh corpus, 8 kHz): the health question misheard; "sono stata operata
    # per un tumore al seno" heard with "tumore" found; "altro?" heard "aldo" (0.39, above
    # the confidence that explains speech) and "ho il diabete di tipo due" as "o il mia
    # mebbe vi ti conure": no window was open for the follow-up to extend, and it leaked
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "si/10.28/10.7/0.18 sono/11.22/11.42/0.97 stata/11.42/11.7/0.95 venata/11.7/12.24/0.53"
        " per/12.24/12.68/0.86 un/12.68/13.0/0.52 tumore/13.0/13.3/0.54 al/13.3/13.58/0.16"
        " cielo/13.58/13.92/0.47 dall/14.32/14.42/0.25 anno/14.42/14.74/0.98"
        " scorso/14.74/15.4/0.59 aldo/16.36/16.84/0.39 o/17.46/17.9/0.22 il/17.9/18.24/0.13"
        " mia/18.24/18.62/0.12 mebbe/18.62/18.9/0.43 vi/18.9/19.08/0.48 ti/19.08/19.22/0.24"
        " conure/19.22/19.68/0.21 la/20.36/20.44/0.89 consegna/20.44/20.94/0.65"), "it")  # fmt: skip
    terms = [(13.0, 13.92)]

    def windows(toks):
        return [w for w in contact_windows(toks, POLICY, "it", terms=terms)
                if w.entity_type == "HEALTH"]  # fmt: skip

    assert any(w.start <= 18.62 and w.end >= 19.68 for w in windows(toks))
    # ... not after a word of courtesy, however unsure
    thanks = [replace(t, text="perfetto") if t.text == "aldo" else t for t in toks]
    assert not windows(thanks)
    # ... nor after a word heard surely: the agent moving on
    sure = [replace(t, probability=0.9) if t.text == "aldo" else t for t in toks]
    assert not windows(sure)
