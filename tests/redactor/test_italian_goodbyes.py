"""A goodbye at the end of an Italian call, however ASR heard it, ends the answer still open
(session 21)."""

import pytest

from policies.redaction import RedactionPolicy
from redactor.call_endings import fuzzy_goodbyes
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def tokens_at(text, t0, p=0.95):
    ws = [Word(w, t0 + i * 0.4, t0 + i * 0.4 + 0.3, p, 0, 0) for i, w in enumerate(text.split())]
    return normalize(ws, "it")


@pytest.mark.parametrize(
    "heard",
    # "buona giornata, arrivederci" on 8 kHz calls (it-s8-003, it-s8-023, it-s9-022)
    [
        "lo ha nonata andi menerchi",
        "pua nonata attivenderci",
        "una nuova ad dimenerci",
        "al di mederti",
    ],  # fmt: skip
)
def test_a_misheard_goodbye_ends_the_fiscal_code_answer_before_it(heard):
    toks = (
        tokens_at("mi serve il codice fiscale", 0.0)
        + tokens_at("efo x effe enne 5 9 a 1 6 elle 7 3 6 zeta", 3.0, p=0.4)
        + tokens_at(heard, 12.0, p=0.4)
    )
    fiscal = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_FISCAL_CODE"]
    assert fiscal and min(w.start for w in fiscal) <= 3.0
    said = [t for t in toks if t.start >= 12.0]
    assert max(w.end for w in fiscal) <= said[-1].start


def test_a_goodbye_like_word_before_the_calls_last_seconds_is_no_goodbye():
    toks = tokens_at("andi menerchi", 0.0) + tokens_at("grazie della pazienza buona giornata", 8.0)
    assert all(toks[i].start >= 8.0 for i in fuzzy_goodbyes(toks, "it"))


def test_an_english_call_has_no_misheard_goodbyes_to_find():
    toks = normalize([Word("arrivederci", 0.0, 0.5, 0.9, 0, 0)], "en")
    assert fuzzy_goodbyes(toks, "en") == []


@pytest.mark.parametrize(
    "heard",
    # "buona giornata, arrivederci" with no word like "arrivederci" (session 23: it-s19-007,
    # it-s19-033)
    ["buona donata di me neo chi", "doro è adorata andiamo di mettervi"],
)
def test_giornata_misheard_in_the_calls_last_seconds_is_a_goodbye(heard):
    toks = tokens_at("il totale è di 49 euro", 0.0) + tokens_at(heard, 8.0, p=0.4)
    assert fuzzy_goodbyes(toks, "it")


def test_a_payment_dialogue_a_goodbye_closes_ends_where_the_goodbyes_breath_starts():
    # Regression (it-s19-016): "buona giornata, arrivederci" heard "lo ha nonata a
    # dimenerchi", all unsure: the dialogue ended at "dimenerchi", and the whole goodbye,
    # an utterance that started inside it, was silenced as unexplained speech
    from redactor.failclosed import payment_windows

    toks = tokens_at("il pagamento è registrato", 0.0) + tokens_at("4 3 5 5", 2.0)
    toks += tokens_at("lo ha nonata a dimenerchi", 4.0, p=0.4)
    [w] = payment_windows(toks, [], POLICY, "it")
    assert w.end <= 4.0


@pytest.mark.parametrize(
    "heard",
    # "grazie per aver chiamato, arrivederci" with neither "aver chiamato" nor
    # "arrivederci" heard alike (session 25: it-s30-012, it-s25-026, it-s28-034)
    ["grazie per che ha matto animatetti", "grazie per a me che ha matto a mi", "trazie per ve"],
)
def test_grazie_per_in_the_calls_last_seconds_opens_a_goodbye(heard):
    toks = tokens_at("il numero è", 0.0) + tokens_at(heard, 8.0, p=0.5)
    assert [toks[i].start for i in fuzzy_goodbyes(toks, "it")][:1] == [8.0]


def test_grazie_without_per_or_before_the_last_seconds_opens_no_goodbye():
    toks = tokens_at("grazie per la pazienza", 0.0) + tokens_at("grazie mille e il codice", 8.0)
    assert [toks[i].text for i in fuzzy_goodbyes(toks, "it")] == []


def test_a_spelled_codes_last_word_heard_like_a_goodbye_is_no_goodbye():
    # Regression (session 27, it-s39-032): "i lunga come jolly" heard "lunga come giorni"
    # in the call's last seconds; "giorni" sounds like "giornata", and as a goodbye it ended
    # the identity card's answer window before its last character
    toks = tokens_at("e il numero della carta d'identità", 0.0)
    toks += tokens_at("cc735256 lunga come giorni", 3.0, p=0.65)
    toks += tokens_at("grazie per la merchiamato", 5.0, p=0.6)
    giorni = next(i for i, t in enumerate(toks) if t.text == "giorni")
    _assert_spelled_not_goodbye(toks, giorni, past=toks[giorni].end)


def test_the_spelling_link_heard_with_a_goodbye_like_word_starts_no_goodbye():
    # Regression (session 35, it-s59-032): the identity card's last letter, "A come
    # Ancona", heard "come chiamo" in the call's last seconds; "come chiamo" sounds like
    # "aver chiamato", and as a goodbye it ended the answer window before the A
    toks = tokens_at("e il numero della carta di ventità", 0.0)
    toks += tokens_at("c i come chiamo a0870h cometella", 3.0, p=0.3)
    toks += tokens_at("come chiamo", 6.0, p=0.6)
    toks += tokens_at("grazie per aver chiamato al rivederti", 8.0, p=0.8)
    last_link = max(i for i, t in enumerate(toks) if t.text == "come")
    _assert_spelled_not_goodbye(toks, last_link, past=toks[last_link + 1].end)


def _assert_spelled_not_goodbye(toks, k, past):
    """Token ``k``, a spelled identity card's, starts no goodbye, the real goodbye
    ("grazie ...") still does, and the card's answer window runs on past ``past``."""
    assert k not in fuzzy_goodbyes(toks, "it")
    assert any(toks[i].text == "grazie" for i in fuzzy_goodbyes(toks, "it"))
    ids = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_IDENTITY_CARD"]
    assert ids and max(w.end for w in ids) > past
