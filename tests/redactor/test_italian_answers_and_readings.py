"""Italian answers and readings measured on a second machine (session 13): a health
follow-up ASR could not hear is found after the customer's own new clause ("dall'anno
scorso"), an expiry answer after a misheard request is the utterance after the request, and
a code read in groups is one number when the recogniser heard it only in part, or heard its
digits as a few recurring words."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.answers import contact_windows
from redactor.scattered import recurring_readings, scattered_numbers
from redactor.spelling import normalize_spelling
from redactor.tokens import normalize
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s0-015 (mono): "ha problemi di salute da segnalare?" / "sì, mi hanno diagnosticato
# un'insufficienza renale cronica" / "dall'anno scorso" / "altro?" heard "albero" (0.20) /
# "soffro di epilessia" heard "sopro mi e di le silla"
HEALTH = (
    "per/6.62/6.94/0.88 la/6.94/7.1/0.98 polica/7.1/7.6/0.57 ha/7.84/7.94/0.29"
    " problemi/7.94/8.4/0.92 di/8.4/8.56/1.0 salute/8.56/8.78/0.44 ma/8.94/9.04/0.25"
    " segnalate/9.04/9.66/0.57 sì/10.54/11.0/0.8 mi/11.42/11.48/0.83 hanno/11.48/11.72/0.97"
    " mi/11.72/11.9/0.64 ha/11.9/11.92/0.43 riuscicato/11.92/12.62/0.45 un/12.62/13.02/0.75"
    " insufficienza/13.02/13.9/0.61 venale/13.9/14.32/0.59 cronica/14.32/14.96/0.7"
    " dall/15.44/15.58/0.66 anno/15.58/15.9/0.99 scorso/15.9/16.54/0.64 albero/17.1/17.58/0.2"
    " sopro/18.38/19.06/0.42 mi/19.06/19.34/0.27 e/19.62/19.7/0.31 di/19.7/19.82/0.54"
    " le/19.82/19.92/0.49 silla/19.92/20.28/0.24 mi/21.34/21.44/0.75 rendi/21.44/21.68/0.45"
    " il/21.68/21.86/0.63 numero/21.86/22.12/0.96 della/22.12/22.56/0.64 carta/22.56/22.92/0.96"
)
CONDITION = (13.02, 14.96)  # "insufficienza venale cronica", found by the lexicon

# it-s1-019 (mono): "mi dice la scadenza della carta?" heard "minica la scavenza nella
# carta", then "febbraio duemilaventisei" heard "e braio 2 mila 26"
EXPIRY = (
    "minica/21.06/21.42/0.75 la/21.42/21.6/0.54 scavenza/21.6/22.1/0.81 nella/22.1/22.34/0.69"
    " carta/22.34/22.86/0.99 e/23.58/23.82/0.52 braio/23.82/24.22/0.51 2/24.3/24.42/0.81"
    " mila/24.42/24.6/0.49 26/24.6/25.3/0.49 mi/25.78/26.0/0.44 sembra/26.0/26.2/0.57"
    " anche/26.2/26.6/0.95 il/26.6/26.76/0.18 comico/26.76/26.9/0.15 di/26.9/27.24/0.86"
    " sicurezza/27.24/28.04/0.63"
)
EXPIRY_SPEECH = [(21.07, 23.09), (23.66, 25.46), (25.84, 28.12)]


def _covered(windows, start, end):
    return any(w.start <= start and w.end >= end for w in windows)


def test_an_unheard_follow_up_after_the_customers_new_clause_still_opens_a_health_answer():
    toks = normalize(words(HEALTH), "it")
    windows = [
        w
        for w in contact_windows(toks, RedactionPolicy(), "it", terms=[CONDITION])
        if w.entity_type == "HEALTH"
    ]
    assert _covered(windows, 19.62, 20.28)  # "e di le silla": epilessia


def test_a_heard_clause_after_a_health_answer_opens_no_follow_up_by_itself():
    heard = HEALTH.replace("albero/17.1/17.58/0.2", "perfetto/17.1/17.58/0.9")
    toks = normalize(words(heard), "it")
    windows = [
        w
        for w in contact_windows(toks, RedactionPolicy(), "it", terms=[CONDITION])
        if w.entity_type == "HEALTH"
    ]
    assert not any(w.end > 17.1 for w in windows)  # the agent moved on


def test_an_expiry_answer_is_the_utterance_after_the_misheard_requests_tail():
    toks = normalize(words(EXPIRY), "it")
    cut = silenced(toks, EXPIRY_SPEECH, [], "it")
    assert any(s <= 23.66 and e >= 25.3 for s, e in cut)  # "e braio 2 mila 26"


def test_an_expiry_run_on_from_its_request_still_starts_at_the_request():
    run_on = "la/1.0/1.2/0.9 scadenza/1.2/1.8/0.9 11/1.9/2.3/0.5 28/2.4/2.9/0.5"
    run_on += " perfetto/4.0/4.5/0.95 grazie/4.5/5.0/0.95 mille/5.0/5.4/0.95"
    toks = normalize(words(run_on), "it")
    [w] = [
        w for w in contact_windows(toks, RedactionPolicy(), "it") if w.entity_type == "CARD_EXPIRY"
    ]
    assert w.start <= 1.9 and 2.9 <= w.end < 4.0


# it-s2-004 (mono): the partita IVA (heard whole), "e l'IBAN per l'addebito?" heard "e
# riman per la devita", then the IBAN read in groups, "uno due sei nove" heard "1 2 è il
# nome" and all of "sette due sei sette" as "e che nue è i fette"
IBAN = (
    "allora/11.34/11.86/0.93 8/12.38/12.78/0.54 9/13.06/13.26/0.78 18418/13.82/17.22/0.78"
    " 0/17.56/17.88/0.72 4/18.22/19.02/0.98 9/19.3/19.48/0.86 8/19.84/20.4/0.81"
    " e/20.98/21.4/0.83 riman/21.4/21.68/0.51 per/21.68/21.88/0.23 la/21.88/22.1/0.87"
    " devita/22.1/22.62/0.33 i/22.62/23.42/0.07 di/23.42/23.52/0.18 2/23.52/23.7/0.32"
    " e/23.7/23.82/0.19 4/23.82/24.34/0.87 e/24.74/24.96/0.33 numero/25.08/25.36/0.06"
    " 2/25.36/25.62/0.87 e/25.62/25.76/0.53 0/25.76/26.16/0.55 0/26.46/26.96/0.73"
    " 2/26.96/27.22/0.52 e/27.22/27.52/0.27 4/27.52/28.08/0.94 1/28.54/28.8/0.78"
    " 2/28.8/29.04/0.33 è/29.04/29.24/0.69 il/29.24/29.34/0.82 nome/29.34/29.56/0.99"
    " e/30.22/30.34/0.66 che/30.48/30.58/0.48 nue/30.58/30.82/0.57 è/30.82/30.94/0.2"
    " i/30.94/31.12/0.56 fette/31.12/31.36/0.23 8/31.96/32.28/0.23 3/32.28/32.48/0.7"
    " 4/32.48/32.84/0.38 9/32.84/33.28/0.0 9/33.88/34.14/0.0 9/34.14/34.48/0.0"
    " 2/34.48/34.82/0.66 perfetto/35.72/36.28/0.87 ci/36.58/36.74/0.81 moiono/36.74/37.1/0.17"
)


def test_two_partial_readings_of_a_long_number_close_together_are_one_number():
    # since session 23 "è il nome" is "sei nove" (it-s23-012), so the middle of the IBAN is
    # a long run the long-number rule covers; the scattered rule covers what comes before
    # it and the group misheard as words after it, with no gap of a second left between
    from redactor.failclosed import long_numbers

    toks = normalize(words(IBAN), "it")
    found = scattered_numbers(toks, 0, "it") + long_numbers(toks, 0, 8, "it")
    spans = sorted((f.start, f.end) for f in found if f.end > 23.0)
    assert spans[0][0] <= 23.52 and max(e for _s, e in spans) >= 34.82
    assert all(b[0] - a[1] < 1.0 for a, b in zip(spans, spans[1:], strict=False))


def test_two_partial_readings_far_apart_stay_two_numbers():
    far = " ".join(
        f"{w}/{float(s) + 8:.2f}/{float(e) + 8:.2f}/{p}" if float(s) >= 31.9 else f"{w}/{s}/{e}/{p}"
        for w, s, e, p in (item.split("/") for item in IBAN.split())
    )
    toks = normalize(words(far), "it")
    assert not any(f.end > 39 for f in scattered_numbers(toks, 0, "it"))


# it-s6-010 (a fresh corpus): an IBAN after a request heard "e mi manca il ranzelito", its
# middle heard as a run ("1556256 9") and its last three groups scattered
IBAN_TAIL = (
    "e/21.6/22.48/0.06 mi/22.48/22.58/0.1 manca/22.58/22.86/0.22 il/22.86/23.18/0.43"
    " ranzelito/23.18/23.66/0.43 il/23.98/24.46/0.09 dino/24.46/24.76/0.5"
    " uno/24.76/25.06/0.61 il/25.46/25.66/0.41 menero/25.66/26.12/0.0 del/26.12/26.3/0.0"
    " menero/26.3/26.84/0.0 1556256/27.22/30.14/0.22 9/30.14/30.4/0.86"
    " tutto/31.06/31.3/0.1 2/31.3/31.6/0.97 nome/31.6/31.78/0.8 siete/31.78/32.26/0.42"
    " 68546/32.92/35.16/0.46 9/35.16/35.4/0.98 8/35.4/35.9/0.77 mi/36.46/36.66/0.18"
    " c/36.66/36.76/0.3 è/36.76/36.82/0.86 nudo/36.82/37.18/0.66"
)


def test_the_rest_of_a_reading_after_a_run_the_long_number_rule_covers_is_one_number():
    toks = normalize(words(IBAN_TAIL), "it")
    found = scattered_numbers(toks, 0, "it")
    assert any(f.start <= 31.3 and f.end >= 35.6 for f in found)


def test_a_few_digits_after_a_long_run_are_not_joined_to_it():
    # a card heard whole, then "03 27" of its expiry two words later: judged as ever
    toks = normalize(words("allora/1.0/1.4/0.9 4532015112830366/1.5/8.0/0.9 e/8.2/8.4/0.3"
                           " 03/8.5/8.9/0.8 27/9.0/9.4/0.8"), "it")  # fmt: skip
    assert scattered_numbers(toks, 0, "it") == []


# it-s2-032, the customer's channel: "l'IBAN è" and the IBAN read in seven groups, heard
# as a handful of recurring words ("mero" for "zero", "quinto" for "cinque")
RECURRING = (
    "l/25.62/26.1/0.05 imane/26.1/26.4/0.32 il/26.9/27.14/0.25 pinto/27.14/27.38/0.31"
    " mero/27.38/28.02/0.0 un/28.28/28.68/0.0 mero/28.68/28.92/0.0 quinto/28.92/29.26/0.0"
    " e/29.26/29.4/0.0 mero/29.4/30.06/0.0 p/30.14/30.48/0.01 è/30.48/30.58/0.42"
    " qua/30.58/30.76/0.4 ruo/30.96/31.22/0.34 e/31.22/31.34/0.68 nue/31.34/31.7/0.72"
    " un/32.12/32.32/0.49 mero/32.32/32.72/0.91 quinto/32.72/33.02/0.99 e/33.02/33.14/0.9"
    " nue/33.14/33.7/0.79 ruo/33.88/34.12/0.61 e/34.12/34.3/0.9 nue/34.3/34.32/0.96"
    " non/34.42/34.52/0.21 me/34.52/34.66/0.2 quinto/34.66/35.06/0.98 e/35.06/35.44/0.51"
    " s/35.68/35.86/0.02 è/35.86/35.92/0.31 qua/35.92/36.18/0.58 un/36.34/36.54/0.84"
    " mero/36.54/36.7/0.96 quinto/37.0/37.82/0.68 e/37.82/38.02/0.93 nue/38.02/38.22/0.87"
)
RECURRING_SPEECH = [(20.24, 22.84), (25.96, 26.77), (27.02, 28.21), (28.49, 30.04),
                    (30.35, 31.83), (32.2, 33.68), (33.96, 35.41), (35.76, 37.27),
                    (37.55, 38.8)]  # fmt: skip

# it-s0-021: the greeting "buongiorno, servizio clienti, sono Giulia" decoded in a loop
LOOP = "buongiorno/0.0/0.94/0.86 " + " ".join(
    f"{w}/{4.72 + 0.01 * k:.2f}/{4.73 + 0.01 * k:.2f}/0.99"
    for k, w in enumerate(["pervi", "sia", "o", "clienti", "sono", "nulla", "buongiorno"] * 6)
)
LOOP_SPEECH = [(0.3, 1.04), (1.23, 2.55), (2.76, 3.51), (3.92, 4.56), (4.78, 6.39)]


def test_a_code_read_in_groups_heard_as_recurring_words_is_one_reading():
    toks = normalize(words(RECURRING), "it")
    [f] = recurring_readings(toks, RECURRING_SPEECH, 1, "it")
    assert f.start <= 27.14 and f.end >= 38.22  # from the first group to the last
    assert f.start > 26.4  # "l'IBAN è" is the customer's lead, not the code


def test_a_decoding_loop_is_no_reading_in_groups():
    toks = normalize(words(LOOP), "it")
    assert recurring_readings(toks, LOOP_SPEECH, 0, "it") == []


def test_short_utterances_that_share_no_word_are_no_reading():
    talk = (
        "sì/0.1/0.5/0.9 grazie/1.0/1.6/0.9 perfetto/2.0/2.6/0.9 allora/3.0/3.6/0.9"
        " arrivederci/4.0/4.9/0.9"
    )
    speech = [(0.1, 0.5), (1.0, 1.6), (2.0, 2.6), (3.0, 3.6), (4.0, 4.9)]
    assert recurring_readings(normalize(words(talk), "it"), speech, 0, "it") == []


def test_an_article_said_right_before_a_cue_starts_the_request_however_unsure():
    # it-s32-012 (a fresh corpus): "su quale conto facciamo il rimborso? mi serve l'IBAN"
    # heard "... il limbozzo mi serve l (0.42) iman": the request started at "iman", and the
    # window of "quale conto" ran on over "mi serve l"
    toks = normalize(words(
        "su/23.06/23.88/0.83 quale/23.88/24.22/0.95 conto/24.22/24.62/0.75"
        " facciamo/24.62/25.16/0.98 il/25.16/25.38/0.93 limbozzo/25.38/26.04/0.39"
        " mi/26.5/26.6/0.85 serve/26.6/26.88/0.76 l/26.88/27.2/0.42 iman/27.2/27.38/0.54"
        " lì/27.38/28.36/0.21"), "it")  # fmt: skip
    windows = contact_windows(toks, RedactionPolicy(), "it")
    assert not any(w.start < 27.2 and w.end > 26.6 for w in windows)  # "serve l"
    assert any(w.start <= 27.38 and w.end >= 28.36 for w in windows)  # the answer


def test_the_rest_of_a_two_word_cue_heard_split_after_its_first_word_is_the_requests():
    # it-s33-021 (a fresh corpus): "e l'indirizzo email?" heard "e l individso è mai": the
    # cue matched "indirizzo" alone, and "è mai" was taken for the start of the answer
    toks = normalize(words(
        "e/17.88/18.26/0.45 l/18.26/18.4/0.9 individso/18.4/18.98/0.93 è/18.98/19.14/0.32"
        " mai/19.14/19.86/0.63 anna/20.5/20.9/0.5 punto/21.0/21.3/0.6 rossi/21.4/21.8/0.5"),
        "it")  # fmt: skip
    windows = [w for w in contact_windows(toks, RedactionPolicy(), "it")
               if w.entity_type == "EMAIL_ADDRESS"]  # fmt: skip
    assert windows and not any(w.start < 19.8 and w.end > 19.0 for w in windows)
    assert any(w.start <= 20.5 and w.end >= 21.8 for w in windows)
    # ... but not words that sound like no word of the cue ("è poi")
    other = normalize(words(
        "e/17.88/18.26/0.45 l/18.26/18.4/0.9 individso/18.4/18.98/0.93 è/18.98/19.14/0.32"
        " poi/19.14/19.86/0.63 anna/20.5/20.9/0.5"), "it")  # fmt: skip
    assert any(
        w.start < 19.8 and w.end > 19.2 for w in contact_windows(other, RedactionPolicy(), "it")
    )


# it-s35-031 (a fresh corpus, 8 kHz mono): "e l'IBAN per l'addebito?", the IBAN read
# straight after it in one breath, then "ricevuto. ci sono due articoli nel carrello"
IBAN_THEN_BASKET = (
    "e/17.8/18.14/0.7 riman/18.14/18.4/0.65 per/18.4/18.62/0.93 la/18.62/18.82/0.88"
    " debito/18.82/19.32/0.67 i/19.7/19.94/0.37 di/19.94/20.04/0.89 48/20.04/20.94/0.71"
    " e/21.22/21.4/0.19 0/21.4/21.7/0.82 538745/21.78/24.54/0.72 2/24.54/25.04/0.23"
    " 2/25.32/25.52/0.74 5/25.62/25.92/0.68 5/27.76/28.14/0.98 3/28.5/29.06/0.93"
    " 9/29.12/29.22/0.94 5/29.38/29.62/0.98 5/29.76/30.1/0.89 1/30.28/30.76/0.99"
    " 6/30.88/31.02/0.95 7/31.14/31.54/0.98 dicemuto/32.5/33.1/0.57 ci/33.48/33.62/0.9"
    " sono/33.62/33.84/1.0 2/33.84/34.08/0.95 articoli/34.08/34.6/0.83 nel/34.6/34.88/0.99"
    " cappello/34.88/35.5/0.57"
)


def test_talk_with_a_quantity_after_a_code_read_in_the_requests_breath_closes_its_answer():
    # the reading time was counted from the code's last group (27.8 s), and the quantity
    # "2 articoli" broke the run of sure words: the window ran on to the end of the call
    toks = normalize(words(IBAN_THEN_BASKET), "it")
    windows = [w for w in contact_windows(toks, RedactionPolicy(), "it")
               if w.entity_type == "IBAN_CODE"]  # fmt: skip
    assert windows and all(w.start <= 19.7 for w in windows)
    assert max(w.end for w in windows) <= 33.48


# it-s62-004 (session 45, 8 kHz opus mono): the IBAN heard as letters and digits at 0.00
# (joined into one spelled run: a code dictated with no request heard), "ricevuto" heard
# "è vuoto", then "ci sono due articoli nel carrello" heard word for word
_GLUED = [
    "i", "5", "e", "i", "0", "10", "2,", "8,", "1", "5", "e", "6,", "5", "e", "2", "2", "e",
    "5", "e", "4", "4,", "4,", "5", "7", "2,", "0,", "4", "vi", "c",
]  # fmt: skip
GLUED_IBAN_THEN_BASKET = (
    "e/21.33/22.01/0.10 li/22.01/22.13/0.48 manperà/22.13/22.65/0.67 debito/22.65/23.25/0.75 "
    + " ".join(
        f"{w}/{23.76 + 0.47 * k:.2f}/{23.76 + 0.47 * k + 0.4:.2f}/0.0" for k, w in enumerate(_GLUED)
    )  # fmt: skip
    + " è/37.69/37.77/0.96 vuoto/37.77/38.15/0.44 ci/38.38/38.54/0.97 sono/38.54/38.82/1.0"
    " 2/38.82/39.04/0.99 articoli/39.04/39.54/0.93 nel/39.54/39.82/0.99"
    " cavelo./39.82/41.06/0.45 grazie/41.16/41.72/0.86 per/41.72/41.94/0.98"
    " aver/41.94/42.12/0.58 chiamato/42.12/42.84/0.88"
)


def test_a_quantity_said_after_a_code_dictated_with_no_request_closes_its_window_too():
    # the window of the glued code (a dictation with no request) counted "2" as one of its
    # characters: it ran on over "ci sono 2 articoli nel carrello" to the goodbye
    toks = normalize_spelling(normalize(words(GLUED_IBAN_THEN_BASKET), "it"), "it")
    windows = contact_windows(toks, RedactionPolicy(), "it")
    code = [w for w in windows if w.start < 37.0 < w.end]
    assert code, windows  # the code itself stays in a window
    assert all(w.end <= 38.38 for w in windows if w.start < 38.0), windows


# it-s51-035 (a fresh corpus, 8 kHz mono): "per la fattura mi serve la partita iva" heard
# "per la fatuna mi è me la fatita prima", then the eleven digits "6 0 1 5 0 7 7 0 8 4 4"
VAT = (
    "Certo,/11.18/11.60/0.51 è/12.08/12.30/0.33 il/12.30/12.56/0.76 nero/12.56/13.02/0.75"
    " uno/13.02/13.52/0.44 chi/13.52/13.92/0.59 il/13.92/14.14/0.47 due./14.14/14.28/0.47"
    " Nero,/14.74/15.22/0.96 è/15.48/15.72/0.44 te,/15.72/15.96/0.20 è/16.30/16.40/0.76"
    " te./16.40/16.64/0.98 Nero,/17.10/17.56/0.99 otto,/17.80/18.20/0.59"
    " quattro,/18.42/18.98/0.74 quattro./19.20/19.82/0.94 E/20.42/20.76/0.83"
    " li/20.76/20.86/0.31 manca/20.86/21.10/0.16"
)


def test_digits_heard_as_their_homophones_count_toward_a_scattered_reading():
    # "sette sette" heard "è te, è te." and "uno" and "nero" left words among sentence
    # ends: nine digits heard as numbers, and the whole partita IVA leaked
    toks = normalize(words(VAT), "it")
    assert [t.text for t in toks if t.is_number].count("7") == 2  # "è te" is a 7
    [f] = scattered_numbers(toks, 0, "it")
    assert f.start <= 12.08 and f.end >= 19.82
