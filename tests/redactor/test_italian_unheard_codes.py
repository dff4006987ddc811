"""Italian codes whose request or digits the recogniser lost (seed 2): a two-word cue heard
glued into one word, "codice" heard as anything before "fiscale", an IBAN heard as a few
digits among misheard words, and an agent's read-back the agent's channel wrote nothing
for. Token lists are shaped like faster-whisper base output on 8 kHz calls."""

from policies.redaction import RedactionPolicy
from redactor.answers import contact_windows
from redactor.cues import _phrases
from redactor.failclosed import long_numbers
from redactor.scattered import long_number_lead_ins, scattered_numbers
from redactor.tokens import normalize
from redactor.transcribe import Word
from redactor.turns import unwritten_turns
from tests.fixtures.tokens import seq, words

POLICY = RedactionPolicy()


def heard(*specs):
    """Tokens from ``(word, start, end, probability)`` tuples, as the Italian pipeline
    normalises them."""
    return normalize([Word(w, s, e, p, 0, 0) for w, s, e, p in specs], "it")


def windows_of(toks, entity):
    return [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == entity]


def test_a_two_word_request_heard_glued_into_one_word_is_still_the_request():
    # "mi serve la partita iva" heard as "mi ferme la partitima"
    assert _phrases(["mi", "ferme", "la", "partitima"], ["partita iva"], fuzzy=True) == [3]
    toks = heard(("per", 7.5, 7.7, 0.87), ("la", 7.7, 7.86, 0.99), ("fatura", 7.86, 8.26, 0.47),
                 ("mi", 8.26, 8.54, 0.84), ("ferme", 8.54, 8.84, 0.53), ("la", 8.84, 9.04, 0.95),
                 ("partitima", 9.04, 9.74, 0.52), ("allora", 10.58, 11.14, 0.94),
                 ("èpe", 11.74, 12.1, 0.31), ("1", 12.38, 12.58, 0.81),
                 ("9", 12.92, 13.16, 0.77))  # fmt: skip
    [w] = windows_of(toks, "IT_VAT_CODE")
    assert w.start <= 11.74 and w.end >= 13.16  # from "allora" (the caller's own word) on


def test_a_match_or_a_part_is_no_partita_iva():
    assert _phrases(["la", "partita", "di", "calcio"], ["partita iva"], fuzzy=True) == []
    assert _phrases(["le", "partite", "iniziano"], ["partita iva"], fuzzy=True) == []


def test_fiscale_after_a_misheard_codice_asks_for_the_fiscal_code():
    # "mi serve il codice fiscale" heard as "mi serve il coney cifiscale"
    toks = heard(("mi", 8.0, 8.3, 0.58), ("serve", 8.34, 8.56, 0.73), ("il", 8.56, 8.92, 0.97),
                 ("coney", 8.92, 9.12, 0.04), ("cifiscale", 9.12, 9.84, 0.64),
                 ("sì", 10.32, 11.1, 0.61), ("allora", 11.34, 11.62, 0.67),
                 ("smmsma", 12.16, 14.76, 0.08), ("perfetto", 21.26, 22.0, 0.94))  # fmt: skip
    [w] = windows_of(toks, "IT_FISCAL_CODE")
    assert w.start <= 12.16 and w.end >= 14.76


def test_an_iban_heard_as_scattered_digits_among_misheard_words_is_one_long_number():
    # "... tre zero, tre due cinque due, sei tre nove nove, nove quattro cinque sette, otto
    # zero tre quattro, quattro sei uno" heard with no run of eight digits in a row
    toks = heard(("0", 23.0, 23.18, 0.66), ("3", 23.28, 23.42, 0.64), ("0", 23.54, 23.82, 0.88),
                 ("3252", 24.2, 25.44, 0.85), ("e", 25.44, 26.16, 0.11), ("il", 26.16, 26.26, 0.31),
                 ("3", 26.26, 26.4, 0.35), ("non", 26.4, 26.56, 0.42),
                 ("menome", 26.56, 27.0, 0.51), ("non", 27.4, 27.66, 0.83),
                 ("è", 27.66, 27.82, 0.25), ("45", 27.82, 28.74, 0.77), ("mette", 28.74, 29.24, 0.49),
                 ("8", 29.68, 30.04, 0.68), ("0", 30.04, 30.32, 0.74), ("344", 30.32, 32.18, 0.93),
                 ("e", 32.18, 32.36, 0.21), ("inono", 32.36, 32.8, 0.51),
                 ("diché", 33.3, 33.8, 0.35))  # fmt: skip
    [f] = scattered_numbers(toks, 0, "it")
    assert f.start == 23.0
    assert f.end == 32.8  # the last group's digits heard as "e inono" too
    assert scattered_numbers(toks, 0, "en") == []  # Italian only


def test_numbers_with_confident_talk_between_them_are_not_one_number():
    toks = heard(("la", 0.0, 0.2, 0.95), ("consegna", 0.2, 0.7, 0.95), ("arriva", 0.7, 1.0, 0.9),
                 ("tra", 1.0, 1.2, 0.9), ("3", 1.2, 1.4, 0.9), ("e", 1.4, 1.5, 0.9),
                 ("5", 1.5, 1.7, 0.9), ("giorni", 1.7, 2.0, 0.95), ("costa", 2.2, 2.5, 0.95),
                 ("1250", 2.5, 3.2, 0.9), ("il", 3.3, 3.4, 0.9), ("codice", 3.4, 3.8, 0.9),
                 ("è", 3.8, 3.9, 0.9), ("45", 3.9, 4.3, 0.9), ("12", 4.3, 4.6, 0.9),
                 ("33", 4.6, 4.9, 0.9), ("poi", 5.0, 5.2, 0.9), ("grazie", 5.2, 5.6, 0.9),
                 ("mille", 5.6, 5.9, 0.9), ("7", 6.0, 6.2, 0.9), ("8", 6.3, 6.5, 0.9))  # fmt: skip
    assert scattered_numbers(toks, 0, "it") == []


def test_a_number_the_long_number_rule_heard_is_not_joined_to_the_numbers_around_it():
    # a card read in full, then its expiry question, then the expiry: the card's finding
    # covers the card, and the question between stays audible
    toks = heard(*[(d, 11.0 + 0.5 * i, 11.4 + 0.5 * i, 0.9) for i, d in enumerate("5313053977")],
                 ("la", 16.2, 16.4, 0.5), ("scadenza", 16.4, 17.0, 0.6),
                 ("0", 17.5, 17.7, 0.6), ("6", 17.8, 18.0, 0.6), ("28", 18.1, 18.5, 0.6))  # fmt: skip
    assert scattered_numbers(toks, 0, "it") == []


def test_a_long_agent_turn_the_agent_channel_wrote_nothing_for_is_unwritten():
    # the agent read a card back for 12 s; base stamped the agent's words 23 s late
    solo = [(28.4, 32.2), (35.0, 35.9), (36.1, 36.8), (37.0, 38.8), (39.2, 39.7),
            (39.9, 41.8), (42.2, 43.2), (43.3, 44.4), (44.8, 46.5), (46.8, 47.3)]  # fmt: skip
    agent = seq(("pronto", 23.2, 24.6, 0.52), ("buongiorno", 26.3, 27.8, 0.91),
                ("e", 52.1, 52.8, 0.13), ("sicurezza", 53.3, 54.2, 0.92))  # fmt: skip
    assert unwritten_turns(solo, agent, "it") == [(35.0, 47.3)]  # the question (3.8 s) is kept


def test_an_agent_turn_with_any_word_written_is_not_unwritten():
    solo = [(35.0, 38.8), (39.2, 43.2), (43.3, 47.3)]
    agent = seq(("ricapitolo", 35.0, 35.8, 0.3))
    assert unwritten_turns(solo, agent, "it") == []


def test_an_order_number_after_its_label_is_not_joined_to_the_code_before_it():
    # it-s2-005: the security code "5 0 8 5" heard among its question's words, then
    # "perfetto panamento che è distratto il numero 2 di me 4 4 0 8 6 5": two dense groups
    # joined over the closing into one twelve-digit number, silencing the closing and the
    # order number read after its (misheard) label
    from tests.fixtures.tokens import words

    toks = normalize(words(
        "il/30.10/30.90/0.50 comice/30.90/31.28/0.38 di/31.28/31.48/0.98"
        " sicurezza/31.48/32.24/0.90 le/32.24/32.54/0.50 4/32.54/33.02/0.77"
        " cittame/33.02/33.38/0.42 sul/33.38/33.60/0.84 fronte/33.60/34.72/0.59"
        " 5/34.72/35.58/0.01 0/35.94/36.44/0.76 8/36.88/37.16/0.72 5/37.20/37.86/0.90"
        " 0/38.02/38.64/0.13 perfetto/38.64/39.26/0.56 panamento/39.54/39.92/0.48"
        " che/39.92/40.10/0.66 è/40.10/40.24/0.38 distratto/40.24/40.74/0.62"
        " il/40.74/41.32/0.38 numero/41.32/41.60/0.95 2/41.60/41.86/0.24 di/41.86/42.08/0.92"
        " me/42.08/42.24/0.35 4/42.24/43.26/0.59 4/43.26/44.24/0.99 0/44.44/44.74/0.90"
        " 8/45.18/45.52/0.99 6/45.62/45.96/0.91 5/46.26/46.62/0.95 grazie/47.56/48.24/0.54"
    ), "it")  # fmt: skip
    assert not any(f.end > 38.7 for f in scattered_numbers(toks, 0, "it"))


def test_an_unwritten_agent_turn_is_an_italian_rule_only():
    solo = [(35.0, 47.3)]
    assert unwritten_turns(solo, [], "en") == []


def test_a_long_number_reaches_back_over_the_first_characters_heard_as_words():
    # "i ti sette nove, i zero tre zero, ..." heard as "i di f e nome, i meno 3 0 15 ..."
    toks = heard(("l", 27.8, 28.24, 0.21), ("imanè", 28.24, 28.64, 0.52),
                 ("i", 29.1, 29.26, 0.34), ("di", 29.26, 29.36, 0.5), ("f", 29.36, 29.52, 0.77),
                 ("e", 29.52, 29.8, 0.77), ("nome", 29.8, 29.98, 0.86), ("i", 30.56, 30.66, 0.59),
                 ("9", 30.66, 30.82, 0.36), ("9", 31.12, 31.4, 0.66), ("1", 31.88, 32.24, 0.78),
                 ("5", 32.34, 32.48, 0.79), ("8", 32.76, 33.22, 0.25), ("5", 33.76, 34.0, 0.96),
                 ("9", 34.1, 34.3, 0.9), ("9", 34.4, 34.6, 0.9))  # fmt: skip
    [f] = long_numbers(toks, 0, 8, "it")
    [g] = long_number_lead_ins([f], toks, "it")
    assert f.start > 29.8
    assert g.start <= 29.26  # five words back, over the 0.58 s pause between groups
    assert long_number_lead_ins([f], toks, "en") == [f]


def test_a_long_number_does_not_reach_back_over_two_confident_words():
    toks = heard(("il", 0.0, 0.2, 0.95), ("numero", 0.2, 0.6, 0.95), ("è", 0.6, 0.7, 0.5),
                 *[(d, 0.8 + 0.3 * i, 1.0 + 0.3 * i, 0.9) for i, d in enumerate("45391234")])  # fmt: skip
    [f] = long_numbers(toks, 0, 8, "it")
    [g] = long_number_lead_ins([f], toks, "it")
    assert g.start == 0.8  # not even "è": it introduces the number after "numero", heard


def test_a_long_number_does_not_reach_back_over_its_request():
    toks = heard(("il", 0.0, 0.2, 0.5), ("mio", 0.2, 0.4, 0.5), ("codice", 0.4, 0.8, 0.6),
                 ("fiscale", 0.8, 1.2, 0.5), ("è", 1.2, 1.3, 0.5),
                 *[(d, 1.4 + 0.3 * i, 1.6 + 0.3 * i, 0.9) for i, d in enumerate("45391234")])  # fmt: skip
    [f] = long_numbers(toks, 0, 8, "it")
    [g] = long_number_lead_ins([f], toks, "it")
    assert g.start == 1.4  # not even "è": it introduces the number after its name


def test_a_long_number_does_not_reach_back_over_a_word_stamped_across_a_pause():
    # "che" stamped over 1.4 s before a looped code: a stamp, not a heard character
    toks = heard(("che", 9.02, 10.42, 0.23), ("troppe", 10.42, 11.02, 0.11),
                 *[(d, 11.1 + 0.3 * i, 11.3 + 0.3 * i, 0.9) for i, d in enumerate("45391234")])  # fmt: skip
    [f] = long_numbers(toks, 0, 8, "it")
    [g] = long_number_lead_ins([f], toks, "it")
    assert g.start == 10.42


# it-s1-000 (session 18), the customer's channel: "certo, è R C C V E A 9 9 ..." after a
# request heard "mi serve il cronice di scarene"
SPELLED_AS_WORDS = heard(
    ("certo", 10.88, 11.18, 0.54), ("per", 11.48, 11.66, 0.25), ("le", 11.66, 12.54, 0.07),
    ("chi", 12.54, 13.0, 0.0), ("chi", 13.0, 13.56, 0.0), ("mu", 13.56, 14.18, 0.8),
    ("e", 14.18, 14.68, 0.7), ("a", 14.68, 15.3, 0.59), ("nome", 15.3, 16.04, 0.0),
)  # fmt: skip
SPELLED_SPEECH = [(10.86, 11.86), (12.14, 12.628), (12.876, 13.748), (13.932, 14.388),
                  (14.54, 14.932), (15.116, 15.508), (15.692, 19.156)]  # fmt: skip


def test_a_code_read_a_character_a_breath_and_heard_as_guessed_words_is_dictation():
    from redactor.dictation import dictated_rhythm

    spans = dictated_rhythm(SPELLED_AS_WORDS, SPELLED_SPEECH, 0.5, "it")
    assert spans == SPELLED_SPEECH[1:6]  # the five letters' breaths; not "certo", 1 s long


def test_the_same_rhythm_heard_as_digits_or_as_sure_words_is_no_unheard_dictation():
    from redactor.dictation import dictated_rhythm

    digits = heard(
        *[(d, s, e, 0.3) for d, (s, e) in zip("69060", SPELLED_SPEECH[1:6], strict=True)]
    )
    assert dictated_rhythm(digits, SPELLED_SPEECH, 0.5, "it") == []
    sure = heard(
        *[
            (w, s, e, 0.9)
            for w, (s, e) in zip(
                ("sì", "grazie", "perfetto", "allora", "certo"), SPELLED_SPEECH[1:6], strict=True
            )
        ]
    )
    assert dictated_rhythm(sure, SPELLED_SPEECH, 0.5, "it") == []


# it-s3-018 (a corpus no rule was tuned on): "per l'intestazione mi serve il codice fiscale" /
# "glielo leggo" / "C come Como, R come Roma, ..., H come hotel" (11.7-27.4 s), each letter's
# name heard as sure words ("ma è il ve" before "come napoli"), the code 16 s long
SPELLED = (
    "per/6.96/7.18/0.96 intestazione/7.18/7.9/0.69 mi/7.9/8.16/0.83 serve/8.16/8.34/0.21"
    " il/8.34/8.72/0.86 comice/8.72/9.04/0.32 fiscale/9.04/9.62/0.82 nel/10.44/10.82/0.3"
    " olenco/10.82/11.28/0.39 ci/11.66/11.88/0.37 come/11.88/12.12/0.0"
    " come/12.12/12.46/0.0 è/12.72/12.88/0.0 il/12.88/12.98/0.0 ve/12.98/13.06/0.0"
    " come/13.06/13.22/0.0 come/13.22/13.64/0.0 è/13.9/14.06/0.0 il/14.06/14.2/0.0"
    " ve/14.2/14.34/0.0 come/14.34/14.48/0.0 sa/14.48/14.68/0.43 nuova/14.68/15.08/0.47"
    " ci/15.4/15.48/0.98 come/15.48/15.76/0.99 nieno/15.76/16.14/0.35 ma/16.14/16.36/0.93"
    " è/16.52/16.62/0.81 il/16.62/16.74/0.73 ve/16.74/16.82/0.9 come/16.82/17.0/0.94"
    " napoli/17.0/17.54/0.68 è/17.78/17.86/0.96 il/17.86/18.06/0.99 ve/18.06/18.14/0.98"
    " come/18.14/18.26/0.95 napoli/18.26/18.76/0.99 5/19.02/19.46/0.87"
    " nome/19.72/19.96/0.55 a/20.36/20.44/0.23 come/20.44/20.66/0.86"
    " ancona/20.66/21.12/0.39 27/21.48/22.52/0.21 pic/22.76/22.9/0.21 come/22.9/23.08/0.29"
    " non/23.08/23.36/0.22 ogni/23.36/23.64/0.22 ad/23.64/24.0/0.24 354/24.0/25.98/0.12"
    " ha/26.24/26.32/0.47 ca/26.32/26.56/0.19 come/26.56/26.8/0.93 tel/26.8/27.12/0.17"
    " perfetto/28.08/28.84/0.65"
)


def answered(spec: str, entity: str) -> list[tuple[float, float]]:
    """The answer windows of ``entity`` in the transcript ``spec``."""
    toks = normalize(words(spec), "it")
    return [(w.start, w.end) for w in contact_windows(toks, RedactionPolicy(), "it")
            if w.entity_type == entity]  # fmt: skip


def test_a_code_spelled_with_the_alphabet_keeps_its_answer_open_while_it_is_dictated():
    assert any(s <= 11.8 and e >= 27.3 for s, e in answered(SPELLED, "IT_FISCAL_CODE"))


# it-s3-011: "mi serve l'IBAN" (its words looped) / "l'IBAN è" / 27 characters in groups,
# "cinque due tre sette" heard "cinto (0.89) e (0.86) nuo (0.92) e (0.79) 3 fai"
READ = (
    "mi/27.5/27.7/0.07 ferme/27.7/28.1/0.68 lì/28.1/28.28/0.0 man/28.28/28.44/0.0"
    " lì/29.08/29.54/0.0 man/29.54/29.68/0.0 è/29.68/29.98/0.35 mi/30.42/30.52/0.54"
    " ferme/30.52/31.08/0.67 fai/31.08/31.34/0.56 i/31.86/32.0/0.32 smeno/32.0/32.54/0.47"
    " cinto/32.62/32.9/0.4 e/32.9/33.0/0.72 2/33.0/33.2/0.57 osto/33.7/34.14/0.14"
    " fai/34.14/34.38/0.61 non/34.56/34.7/0.16 meno/34.7/35.28/0.24 uno/35.74/35.94/0.86"
    " meno/35.94/36.22/0.47 fai/36.22/36.58/0.96 nuo/36.58/36.88/0.37"
    " cinto/37.28/37.74/0.89 e/37.74/37.9/0.86 nuo/37.9/38.08/0.92 e/38.08/38.16/0.79"
    " 3/38.16/38.32/0.5 fai/38.32/38.6/0.84 cinto/39.18/39.66/0.96 e/39.66/39.8/0.95"
    " nuo/39.8/39.94/0.99 e/39.94/40.12/0.9 34/40.12/41.08/0.5 dvenono/41.48/42.02/0.33"
    " fai/42.02/42.4/0.99 l/43.0/43.26/0.08 ho/43.26/43.3/0.65 avuto/43.3/43.54/0.19"
    " a/43.54/43.78/0.11 casa/43.78/43.94/0.02"
)


def test_sure_words_before_a_code_could_have_been_read_out_do_not_end_its_answer():
    assert any(s <= 30.5 and e >= 42.6 for s, e in answered(READ, "IBAN_CODE"))
