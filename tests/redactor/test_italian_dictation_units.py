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


def lead_ins(toks):
    loop = at(toks, "cegno").start
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
