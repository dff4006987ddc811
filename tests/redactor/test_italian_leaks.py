"""Italian units that leaked on telephone calls, and the rules that keep them redacted.
Every token list is shaped like what faster-whisper base wrote for the call (times and
probabilities as measured): a request base cut short ("la partita" for "la partita iva"),
digits heard as split or clipped words ("e te" for "sette", "nuo" for "due"), a decoding
loop that swallowed the payment questions, digit homophones leading into a loop."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import (
    answered_numbers,
    contact_windows,
    dictation_windows,
)
from redactor.tokens import Token, normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def measured(rows, channel=0):
    """Tokens from (word, start, end, probability) rows as base wrote them."""
    ws = [Word(w, s, e, p, channel, 0) for w, s, e, p in rows]
    return normalize(ws, "it")


# what base wrote for "per la fattura mi serve la partita iva" and a VAT number read after it
PARTITA = [
    ("per", 7.54, 7.70, 0.89), ("la", 7.70, 7.86, 0.99), ("fattura", 7.86, 8.28, 0.77),
    ("mi", 8.28, 8.54, 0.82), ("ferme", 8.54, 8.84, 0.62), ("la", 8.84, 9.04, 0.93),
    ("partita", 9.04, 9.44, 0.41), ("allora", 10.56, 11.12, 0.52), ("èpe", 11.70, 12.10, 0.28),
    ("1", 12.40, 12.58, 0.67), ("9", 12.92, 13.16, 0.82), ("88", 13.54, 14.58, 0.60),
    ("èpe", 14.80, 15.18, 0.76), ("e", 15.46, 15.70, 0.26), ("i", 15.70, 15.90, 0.17),
    ("nero", 15.90, 16.38, 0.66), ("2", 16.58, 16.82, 0.68), ("èpe", 17.18, 17.56, 0.90),
    ("nome", 17.86, 17.98, 0.87),
]  # fmt: skip


def test_a_partita_iva_request_whose_iva_base_dropped_opens_an_answer_window():
    toks = measured(PARTITA)
    vat = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_VAT_CODE"]
    assert vat and vat[0].start <= 11.70 and vat[0].end >= 17.98


def test_a_partita_in_other_talk_opens_no_window():
    toks = measured([("ho", 0.0, 0.2, 0.9), ("visto", 0.2, 0.5, 0.9), ("una", 0.5, 0.7, 0.9),
                     ("partita", 0.7, 1.1, 0.9), ("ieri", 1.1, 1.4, 0.9)])  # fmt: skip
    assert not [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_VAT_CODE"]


def test_the_iban_question_heard_as_la_debito_ends_the_partita_iva_answer():
    answer = [("allora", 11.34, 11.86, 0.94), ("8", 12.38, 12.78, 0.54), ("9", 13.06, 13.26, 0.77),
              ("0", 17.56, 17.88, 0.73), ("4", 18.26, 19.02, 0.97), ("9", 19.30, 19.48, 0.87),
              ("8", 19.84, 20.40, 0.82), ("e", 20.98, 21.40, 0.80), ("riman", 21.40, 21.68, 0.53),
              ("per", 21.68, 21.88, 0.47), ("la", 21.88, 22.10, 0.89),
              ("debito", 22.10, 22.64, 0.66), ("i", 22.64, 23.42, 0.08)]  # fmt: skip
    request = [("mi", 9.06, 9.30, 0.67), ("ferme", 9.30, 9.74, 0.56), ("la", 9.74, 9.90, 0.83),
               ("partita", 9.90, 10.30, 0.92), ("prima", 10.30, 10.70, 0.14)]  # fmt: skip
    toks = measured(request + answer)
    [vat] = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_VAT_CODE"]
    assert vat.end <= 22.10 and vat.end >= 20.40


# -- digits heard as words (redactor/tokens.py) ------------------------------------------


def test_due_heard_as_nuo_after_two_nines_is_a_two():
    toks = measured([("9", 33.06, 33.42, 0.0), ("9", 34.16, 34.40, 0.0),
                     ("nuo", 34.40, 34.78, 0.74), ("e", 34.78, 34.84, 0.79)])  # fmt: skip
    assert [t.text for t in toks] == ["9", "9", "2", "e"]


def test_sette_split_as_e_te_between_digits_is_a_seven():
    toks = measured([("0", 52.32, 53.30, 0.45), ("e", 53.30, 53.76, 0.81),
                     ("te", 53.76, 54.04, 0.97), ("3", 54.04, 54.94, 0.53)])  # fmt: skip
    assert [t.text for t in toks] == ["0", "7", "3"]


def test_e_te_away_from_digits_stays_words():
    toks = measured([("lo", 0.0, 0.2, 0.9), ("dico", 0.2, 0.5, 0.9), ("a", 0.5, 0.6, 0.9),
                     ("lui", 0.6, 0.8, 0.9), ("e", 0.8, 0.9, 0.9), ("te", 0.9, 1.1, 0.9)])  # fmt: skip
    assert [t.text for t in toks][-2:] == ["e", "te"]


# -- decoding loops (redactor/failclosed.py, redactor/dictation.py) -----------------------


def test_a_security_code_said_just_after_a_loop_that_swallowed_the_questions_is_redacted():
    greeting = ["buongiorno", "servizi", "o", "clienti", "sono", "giulia"]
    rows = [(w, 12.08 + 3.0 * r + 0.5 * k, 12.48 + 3.0 * r + 0.5 * k, 1.0)
            for r in range(6) for k, w in enumerate(greeting)]  # fmt: skip
    rows += [("allora", 30.98, 31.58, 0.55), ("8", 32.08, 32.38, 0.17), ("1", 32.62, 32.92, 0.85),
             ("1", 33.08, 33.58, 0.97), ("perfetto", 34.26, 34.86, 0.66), ("un", 35.14, 35.28, 0.06),
             ("padamento", 35.28, 35.56, 0.51), ("registrato", 35.56, 36.26, 0.94)]  # fmt: skip
    toks = measured(rows)
    found = answered_numbers(toks, 0, toks, POLICY.low_confidence, "it")
    assert [(f.start, f.end) for f in found] == [(32.08, 33.58)]


def test_a_number_long_after_a_loop_is_no_answer_to_it():
    rows = [(w, 3.0 * r + 0.5 * k, 0.4 + 3.0 * r + 0.5 * k, 1.0)
            for r in range(4) for k, w in enumerate(["buongiorno", "se", "mi", "curi"])]  # fmt: skip
    rows += [("chiuniamo", 37.60, 38.08, 0.72), ("la", 38.08, 38.26, 0.07),
             ("18", 38.26, 38.56, 0.13), ("30", 38.98, 39.44, 0.39)]  # fmt: skip
    toks = measured(rows)
    assert answered_numbers(toks, 0, toks, POLICY.low_confidence, "it") == []


def test_digit_homophones_heard_confidently_do_not_stop_the_lead_in_to_a_loop():
    rows = [("ronomnero", 30.50, 31.00, 0.48), ("pennero", 31.64, 32.36, 0.53),
            ("nome", 32.36, 32.58, 0.72), ("che", 32.58, 32.94, 0.70),
            ("nomennero", 32.94, 34.16, 0.47), ("x", 34.16, 34.30, 0.01), ("ne", 34.30, 34.54, 0.25),
            ("ronomnero", 34.54, 34.58, 0.71), ("cintwe", 34.58, 34.58, 0.19), ("t", 34.58, 35.18, 0.32),
            ("oto", 35.18, 35.78, 0.10), ("to", 35.78, 36.10, 0.0), ("to", 36.10, 36.20, 0.0),
            ("to", 36.20, 36.22, 0.0), ("penno", 36.22, 36.64, 0.29), ("cintwe", 36.64, 37.54, 0.0),
            ("cintwe", 37.54, 38.38, 0.0), ("cintwe", 38.38, 39.00, 0.0),
            ("penne", 39.00, 39.12, 0.05)]  # fmt: skip
    toks = [Token(t.text, t.raw, t.start, t.end, t.probability, 1, k, k, t.digits)
            for k, t in enumerate(measured(rows, channel=1))]  # fmt: skip
    unheard = [
        w for w in dictation_windows(toks, POLICY, "it") if w.entity_type == "PAYMENT_UNHEARD"
    ]
    assert any(w.start <= 31.64 for w in unheard)


# -- health terms base split or clipped (redactor/recognizers/health.py) ------------------


def _health(text):
    from redactor.recognizers.health import HealthRecognizer

    r = HealthRecognizer(supported_language="it")
    return [text[x.start : x.end] for x in r.analyze(text, ["HEALTH"])]


def test_chemioterapia_heard_as_four_words_is_a_health_term():
    assert _health("sì sto facendo la che mi operà pià tutto qui") == ["che mi operà pià"]


def test_sclerosi_multipla_heard_with_its_second_word_clipped_is_a_health_term():
    assert _health("sì mi ha indicato la scleromi multa dall anno scorso") == ["scleromi multa"]


def test_a_clipped_second_word_needs_a_misheard_first_word_close_to_the_term():
    assert _health("ho preso una multa ieri") == []


def test_a_disease_name_heard_with_its_head_noun_wrong_is_a_health_term_whole():
    # it-s3-005: "morbo di Parkinson" heard "morto di parkinson": "parkinson" alone was found
    # and "morto di" left audible
    assert _health("mio padre ha il morto di parkinson da anni") == ["morto di parkinson"]


def test_a_term_clipped_to_its_short_form_and_completed_by_misheard_pieces_is_one_term():
    # it-s3-010: "la chemioterapia" heard "la chemio della pia": "chemio" is a term of its
    # own, and "della pia" was left audible
    assert _health("sì faccio la chemio della pia da marzo") == ["chemio della pia"]


def test_a_strong_trigger_heard_by_its_long_last_words_tail_opens_health_data():
    # it-s50-008 (8 kHz, sessions 28 and 29): the health question misheard, then "sì, mi
    # hanno diagnosticato la sclerosi multipla" heard with "diagnosticato" as "osticato"
    said = "sì mi hanno mi hanno osticato la cronimultima. per questo mi serve la copertura"
    assert _health(said) == ["la cronimultima"]
    assert _health("mi hanno praticato uno sconto sulla bolletta") == []


def test_a_short_form_followed_by_ordinary_words_stays_the_short_form():
    assert _health("faccio la chemio della mattina") == ["chemio"]


def test_the_context_before_a_disease_name_is_not_taken_for_its_head_noun():
    assert _health("soffro di parkinson da anni") == ["parkinson"]


def test_a_term_whose_long_last_word_lost_its_head_is_the_term_whole():
    # it-s4-001 (fresh corpus): "un bypass coronarico" heard "un bypass l ornarico": only
    # "bypass" was found, and a fifth of the mention stayed audible
    assert _health("sì ho fatto un bypass l ornarico per questo") == ["bypass l ornarico"]
    assert _health("ho fatto un bypass ornarico") == ["bypass ornarico"]


def test_a_term_followed_by_an_unlike_word_is_the_term_alone():
    assert _health("ho fatto un bypass per questo mi serve") == ["bypass"]


def test_the_words_after_a_strong_health_trigger_stop_where_a_new_clause_opens():
    # Regression (it-s20-015): "sono in cura per la depressione, per questo mi serve la
    # copertura" heard "... per la mepezione per questo mi serve la perpetuna": the six
    # words after "in cura per" ran over "per questo mi serve", silenced with the condition
    said = "sono in cura per la mepezione per questo mi serve la perpetuna"
    assert _health(said) == ["la mepezione"]
    assert _health("soffro di una forte ansia quindi mi serve") == ["una forte ansia"]
    assert _health("mi hanno diagnosticato la sclerosi multipla") == [
        "sclerosi multipla",
        "la sclerosi multipla",
    ]


# it-s28-029 (session 25): "mi dice la scadenza della carta?" "maggio duemilaventisette",
# then "mi serve anche il codice di sicurezza"; the year's "sette" heard "nette" (0.73)
EXPIRY_YEAR = [
    ("mi", 25.44, 26.44, 0.26), ("dice", 26.44, 26.68, 0.83), ("la", 26.68, 26.9, 0.42),
    ("scavenza", 26.9, 27.46, 0.69), ("della", 27.46, 27.76, 0.72), ("carta", 27.76, 28.22, 0.97),
    ("ma", 29.0, 29.24, 0.95), ("2", 29.24, 29.58, 0.25), ("milamenti", 29.58, 30.12, 0.35),
    ("nette", 30.12, 30.62, 0.73), ("mi", 31.18, 31.28, 0.82), ("ferme", 31.28, 31.7, 0.79),
    ("anche", 31.7, 31.94, 0.99), ("il", 31.94, 32.14, 0.94), ("codice", 32.14, 32.56, 0.62),
    ("di", 32.56, 32.74, 1.0), ("sicurezza", 32.74, 33.54, 0.97),
]  # fmt: skip


def test_a_sure_word_glued_to_a_guess_does_not_end_an_expiry_answer_before_itself():
    windows = contact_windows(measured(EXPIRY_YEAR), POLICY, "it")
    expiry = [w for w in windows if w.entity_type == "CARD_EXPIRY"]
    assert expiry and expiry[0].start <= 29.0 and expiry[0].end >= 30.62
    # ... and the next request, after a pause, still ends it
    assert expiry[0].end <= 31.94


def test_e_i_between_a_cards_digits_is_its_six():
    # it-s29-001 (session 25): "... sei cinque sei due sei nove" heard "3 è i 5 è i 2 è i 9";
    # the last "è i" (0.87, 0.97) kept a 6 audible
    toks = measured([
        ("3", 15.58, 16.38, 0.42), ("è", 16.68, 16.74, 0.90), ("i", 16.74, 17.38, 0.99),
        ("5", 17.38, 17.72, 0.94), ("è", 18.06, 18.72, 0.89), ("i", 18.72, 18.98, 0.78),
        ("2", 18.98, 19.42, 0.92), ("è", 19.58, 20.02, 0.87), ("i", 20.02, 20.30, 0.97),
        ("9", 20.30, 20.58, 0.79), ("mi", 21.10, 21.50, 0.90), ("dice", 21.50, 21.74, 0.83),
    ])  # fmt: skip
    assert [t.digits for t in toks][:8] == ["3", "6", "5", "6", "2", "6", "9", ""]
    # ... but only beside a number: "è i" in talk stays two words
    talk = measured([("qual", 1.0, 1.2, 0.9), ("è", 1.2, 1.3, 0.9), ("i", 1.3, 1.4, 0.9),
                     ("numeri", 1.4, 1.8, 0.9)])  # fmt: skip
    assert not any(t.is_number for t in talk)


# it-s54-008 (session 29): the agent's "il numero d'ordine è 6720, buona giornata,
# arrivederci" heard "il numero dotine è ei720l ho trovata ad i vedeti"; the order number,
# glued to letters, was taken for a code dictated and its window silenced the goodbye
ORDER_READ = [
    ("il", 52.14, 52.26, 0.99), ("numero", 52.26, 52.58, 0.98), ("dotine", 52.58, 53.1, 0.25),
    ("è", 53.1, 53.4, 0.95), ("E", 53.4, 53.7, 0.17), ("i", 53.7, 54.0, 0.5),
    ("7", 54.0, 54.6, 0.5), ("2", 54.6, 55.2, 0.5), ("0.", 55.2, 55.8, 0.5), ("L", 55.8, 56.3, 0.5),
    ("ho", 56.3, 56.4, 0.68),
    ("trovata", 56.4, 56.96, 0.51), ("ad", 56.96, 57.36, 0.37), ("i", 57.36, 57.46, 0.2),
    ("vedeti", 57.46, 57.96, 0.34),
]  # fmt: skip


def test_an_order_number_glued_to_letters_after_its_label_is_no_code_dictated():
    from redactor.spelling import normalize_spelling

    def spelled(rows):
        return normalize_spelling(measured(rows), "it")

    assert "ei720l" in [t.text for t in spelled(ORDER_READ)]
    assert not [w for w in dictation_windows(spelled(ORDER_READ), POLICY, "it")
                if w.start >= 53.0]  # fmt: skip
    # the same run after other words is still a code dictated
    rows = [("sì", 52.14, 52.4, 0.9), ("allora", 52.5, 53.0, 0.9)] + ORDER_READ[4:]
    assert [w for w in dictation_windows(spelled(rows), POLICY, "it") if w.start >= 53.0]


# it-s55-036 (8 kHz mono, session 29): "sì, allora, L N E V N T 0 1 ..." heard "sì allora
# l ne un nt01t42t157x", the request for the fiscal code heard "domicetticale"
FISCAL_HEAD = [
    ("sì", 10.42, 10.7, 0.67), ("allora", 10.98, 11.3, 0.98), ("l", 11.86, 12.06, 0.29),
    ("ne", 12.06, 12.96, 0.10), ("un", 13.58, 13.9, 0.52), ("N", 13.9, 14.3, 0.34),
    ("T", 14.3, 14.9, 0.34), ("0", 15.3, 15.7, 0.34), ("1", 15.8, 16.1, 0.34),
    ("T", 16.2, 16.5, 0.34), ("4", 16.5, 17.2, 0.34), ("2", 17.3, 17.6, 0.34),
    ("T", 17.9, 18.2, 0.34), ("1", 18.3, 18.6, 0.34), ("5", 18.7, 19.3, 0.34),
    ("7", 19.4, 19.9, 0.34), ("X.", 20.0, 20.38, 0.34), ("grazie", 20.9, 21.42, 0.89),
]  # fmt: skip


def test_the_guessed_words_right_before_a_spelled_run_are_its_first_characters():
    from redactor.spelling import normalize_spelling

    toks = normalize_spelling(measured(FISCAL_HEAD), "it")
    [w] = [w for w in dictation_windows(toks, POLICY, "it") if w.entity_type != "EMAIL_ADDRESS"]
    assert 11.3 <= w.start <= 11.86  # from the "l", not before "allora" ends


# it-s58-003 (8 kHz Opus, session 35): the fiscal code's "G come Genova" heard "il come
# nieno ma" before the rest of it, spelled and joined ("è ne come Napoli, di come Torino
# ..." as "endtelene63a", a loop after it), the request heard "il comico di che si scale";
# the caller's "glielo leggo" heard "mielo lento". The tokens as the pipeline judged them
SPELLED_HEAD = [
    ("mielo", 10.76, 11.24, 0.44), ("lento", 11.24, 11.56, 0.24), ("il", 12.0, 12.18, 0.54),
    ("come", 12.18, 12.42, 0.71), ("nieno", 12.42, 12.78, 0.49), ("ma", 12.78, 12.94, 0.95),
    ("endtelene63a", 13.06, 21.06, 0.01), ("come", 21.06, 21.28, 0.83),
    ("14", 21.28, 22.68, 0.08), ("9", 22.68, 23.16, 0.59), ("perfetto", 28.64, 29.72, 0.81),
]  # fmt: skip
SPELLED_RAW = "è ne come Napoli, di come Torino e il come il mondo è necomenato,"


def _judged(rows):
    toks = []
    for k, (text, start, end, p) in enumerate(rows):
        raw = SPELLED_RAW if text == "endtelene63a" else text
        digits = text if text.isdigit() else ""
        toks.append(Token(text, raw, start, end, p, 0, k, k, digits))
    return toks


def test_a_character_spelled_with_the_alphabet_right_before_a_spelled_run_is_its_first():
    runs = [w for w in dictation_windows(_judged(SPELLED_HEAD), POLICY, "it")
            if w.entity_type == "IT_FISCAL_CODE"]  # fmt: skip
    assert runs and min(w.start for w in runs) <= 12.0  # the G, said from 12.06 s
    assert min(w.start for w in runs) >= 11.56  # not "glielo leggo"


def test_a_spelling_link_after_a_pause_before_a_spelled_run_is_not_its_head():
    rows = [(w, s - (1.0 if s < 13.0 else 0.0), e - (1.0 if s < 13.0 else 0.0), p)
            for w, s, e, p in SPELLED_HEAD]  # fmt: skip
    runs = [w for w in dictation_windows(_judged(rows), POLICY, "it")
            if w.entity_type == "IT_FISCAL_CODE"]  # fmt: skip
    assert runs and min(w.start for w in runs) >= 12.5
