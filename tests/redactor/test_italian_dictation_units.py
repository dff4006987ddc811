"""Italian answer windows that need no heard request, or only a misheard one: a request with
its article glued on, a lone letter of the spelling alphabet, an address known by its
domain ending, and the talk leading into a decoding loop. Token lists are shaped like
faster-whisper base output on 8 kHz calls."""

from dataclasses import replace

from policies.redaction import RedactionPolicy
from redactor.answers import contact_windows, dictation_windows
from redactor.cues import _sounds_like
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def said(*utterances, p=0.9, step=0.4, pause=1.0, channel=0):
    """Tokens of ``utterances`` said one after the other: words ``step`` s apart, a pause
    of ``pause`` s between utterances."""
    ws, t = [], 0.0
    for text in utterances:
        for w in text.split():
            ws.append(Word(w, t, t + step * 0.8, p, channel, 0))
            t += step
        t += pause
    return normalize(ws, "it")


def at(toks, word, n=0):
    return [t for t in toks if t.text == word][n]


def test_a_cue_word_with_a_misheard_article_glued_on_still_sounds_like_the_cue():
    assert _sounds_like("scadenza", "rascamenza")
    assert _sounds_like("scadenza", "lascadenza")
    assert not _sounds_like("scadenza", "rasoterra")
    assert not _sounds_like("scadenza", "ragazza")


def test_a_cue_with_the_word_before_it_glued_on_still_sounds_like_the_cue():
    # it-s1-000 (this session's machine): "il codice fiscale" heard as "il domicetiscale";
    # no window opened and the code, read letter by letter, leaked whole
    assert _sounds_like("fiscale", "domicetiscale")
    assert not _sounds_like("fiscale", "domicetiscali")
    assert not _sounds_like("scadenza", "domicetiscale")
    toks = said("per l'intestazione mi serve il domicetiscale", "certo è",
                "chi chi mu e a nome", p=0.5)  # fmt: skip
    windows = contact_windows(toks, POLICY, "it")
    assert any(w.start <= at(toks, "mu").start < w.end for w in windows)


def test_the_answer_to_a_misheard_expiry_request_ends_with_its_first_utterance():
    toks = said(
        "mi dice rascamenza della carta?",
        "un ici mandamento otto.",
        "mi serve anche il che ho dice di chiuncia.",
    )
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_EXPIRY"]
    assert windows
    answer = at(toks, "un")
    assert any(w.start <= answer.start and w.end >= at(toks, "mandamento").end for w in windows)
    # the agent's next question, however misheard, is not part of the expiry
    assert all(w.end < at(toks, "serve").start for w in windows)


def test_a_lone_letter_of_the_spelling_alphabet_is_redacted():
    toks = said("kappa come chi è tali", "e come imora.", "grazie mille arrivederci")
    windows = dictation_windows(toks, POLICY, "it")
    letter = at(toks, "e", 0)
    assert [w for w in windows if w.start <= letter.start and w.end >= at(toks, "imora").end]


def test_come_before_an_ordinary_word_is_no_spelling():
    toks = said("va bene come vuole lei.", "una città come questa")
    assert dictation_windows(toks, POLICY, "it") == []


def test_a_short_word_after_punto_closing_an_utterance_ends_an_email_address():
    toks = said("e l individi sono mai?", "l uca 81 chi ho ciorato mai punto d id.", "su quale")
    windows = [w for w in dictation_windows(toks, POLICY, "it") if w.entity_type == "EMAIL_ADDRESS"]
    assert len(windows) == 1
    assert windows[0].start == at(toks, "l", 1).start
    assert windows[0].end >= at(toks, "id").end
    assert windows[0].start > at(toks, "mai").end  # the request is not the address


def test_punto_in_ordinary_talk_ends_no_address():
    toks = said("a che punto è?", "ci sentiamo alle nove in punto.", "punto e basta grazie")
    assert dictation_windows(toks, POLICY, "it") == []


def unsure(toks, first, last, p=0.4):
    """``toks`` with words ``first`` to ``last`` (inclusive) heard with probability ``p``."""
    return [replace(t, probability=p) if first <= k <= last else t for k, t in enumerate(toks)]


def lead_ins(toks, word="cegno"):
    loop = at(toks, word).start
    return [w for w in dictation_windows(toks, POLICY, "it") if w.start < loop]


def test_the_talk_leading_into_a_decoding_loop_is_silenced_from_the_start_of_its_utterance():
    toks = said(
        "buongiorno mi serve il cromice di scarene.",
        "chi non è a nome nome di cegno chi drette cegno cegno cegno cegno",
        step=0.5,
    )
    toks = unsure(toks, 7, 13)  # "chi" .. "di": the code's first letters, misheard
    (w,) = lead_ins(toks)
    assert (w.start, w.end) == (at(toks, "chi").start, at(toks, "cegno").end)


def test_the_lead_in_to_a_loop_stops_at_two_confident_words():
    toks = said("va bene il numero è chi non è cegno chi drette cegno cegno cegno cegno", step=0.5)
    toks = unsure(toks, 5, 7)
    (w,) = lead_ins(toks)
    assert w.start == at(toks, "chi").start


def test_a_loop_alone_in_its_utterance_has_no_lead_in():
    toks = said("va bene.", "cegno cegno cegno cegno cegno cegno", step=0.5)
    assert dictation_windows(toks, POLICY, "it") == []


def test_a_loop_of_a_short_word_has_no_lead_in():
    toks = unsure(said("alme ame mi mi mi mi mi mi mi mi", step=0.5), 0, 9)
    assert [w for w in dictation_windows(toks, POLICY, "it") if w.start < 1.0] == []


def test_two_short_words_after_punto_closing_an_utterance_end_an_email_address():
    # Regression (it-s0-014): "giulia punto bianchi chiocciola gmail punto com" heard as
    # "nui appunto mi anch itio sono animi il punto che ho": "com" as two short words
    toks = said("e l individo e mai?", "nui appunto mi anch itio sono animi il punto che ho.")
    windows = [w for w in dictation_windows(toks, POLICY, "it") if w.entity_type == "EMAIL_ADDRESS"]
    assert [(w.start, w.end >= at(toks, "ho").end) for w in windows] == [
        (at(toks, "nui").start, True)
    ]


def test_punto_before_a_longer_word_ends_no_address():
    toks = said("dal mio punto di vista.", "ci vediamo al punto per la consegna.")
    assert dictation_windows(toks, POLICY, "it") == []


def crammed(toks, first, step=0.1):
    """``toks`` with words from ``first`` on stamped ``step`` s apart and ``step`` long:
    base crams a loop into the end of its segment."""
    t0 = toks[first].start
    return [
        replace(t, start=t0 + (k - first) * step, end=t0 + (k - first + 1) * step)
        if k >= first else t
        for k, t in enumerate(toks)
    ]  # fmt: skip


def test_the_talk_leading_into_a_loop_of_a_short_phrase_is_silenced():
    # Regression (it-s1-000): the last letters of a codice fiscale heard as "c è che" nine
    # times in 1.9 s, the letters before it as words ("chi non è a nome")
    toks = said(
        "per l intestazione mi serve il cronice di scarene.",
        "che non è metti chi non è a nome di cegno chi dretto e c è che c è che c è che",
        step=0.5,
    )
    loop = [k for k, t in enumerate(toks) if t.text == "c"][0]
    toks = crammed(unsure(toks, 9, len(toks) - 1), loop)
    windows = [w for w in dictation_windows(toks, POLICY, "it") if w.start < toks[loop].start]
    assert [(w.start, w.end) for w in windows] == [(at(toks, "che").start, toks[loop].end)]


def test_the_lead_in_to_a_loop_reaches_back_over_a_whole_iban():
    # Regression (it-s0-034): an IBAN read for 10 s before the recogniser started looping
    # ("cintwe cintwe cintwe cintwe"); the lead-in stopped 6 s back and three groups leaked
    groups = "nome che x ne ronomero pennero nome che non mennero cintwe t oto peno 7 tu e"
    toks = said("e l individi che.", f"l imanè di {groups} cintwe cintwe cintwe cintwe", step=0.5)
    toks = unsure(toks, 4, len(toks) - 1)
    (w,) = lead_ins(toks, "cintwe")
    assert w.start == at(toks, "l", 1).start


def test_a_short_phrase_said_twice_is_no_loop():
    toks = unsure(said("allora c è che c è che non va", step=0.5), 0, 10)
    assert [
        w for w in dictation_windows(toks, POLICY, "it") if w.entity_type == "PAYMENT_UNHEARD"
    ] == []
