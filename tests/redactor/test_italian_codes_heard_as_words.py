"""Codes whose characters base heard as other words, measured on fresh Italian corpora
(session 28): the words are base's, as measured on the calls named."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()

# it-s50-021 (8 kHz opus, mono): "per l'intestazione mi serve il codice fiscale", then a
# codice fiscale spelled from 12.1 s to 27.9 s, its last characters "... F 8 3 9 O" heard
# "se come dimensione tutto è nome o come portanto"
FISCAL = (
    "per/6.8/6.96/0.96 l/6.96/7.12/0.19 intestazione/7.12/7.68/0.9 mi/7.68/8.0/0.76"
    " serve/8.0/8.24/0.49 il/8.24/8.6/0.91 tromice/8.6/8.94/0.26 di/8.94/9.2/0.27"
    " scale/9.2/9.52/0.24 si/10.57/10.89/0.19 allora/11.17/11.61/0.82 è/12.13/12.27/0.59"
    " che/12.27/12.41/0.13 come/12.41/12.65/0.9 famola/12.65/13.17/0.21 è/13.53/13.61/0.97"
    " ve/13.61/13.77/0.02 come/13.77/13.97/0.41 roma/13.97/14.39/0.3 è/14.75/14.85/0.98"
    " vero/14.85/15.15/0.24 come/15.15/15.25/0.47 roma/15.25/15.67/0.95 e/15.67/15.99/0.38"
    " vero/15.99/16.35/0.88 come/16.35/16.47/0.79 l/16.47/16.61/0.33 inuoeno/16.61/17.05/0.45"
    " è/17.31/17.45/0.38 un/17.45/17.69/0.02 come/17.69/17.69/0.38 umine/17.69/19.07/0.57"
    " nome/19.37/19.63/0.61 4/19.63/20.57/0.77 di/20.85/20.97/0.16 come/20.97/21.19/0.96"
    " non/21.19/21.37/0.66 lo/21.37/21.59/0.14 so/21.59/21.85/0.51 la/21.85/22.05/0.44"
    " tue/22.05/22.53/0.09 e/22.76/23.06/0.07 se/23.06/23.44/0.32 come/23.44/23.92/0.62"
    " dimensione/23.92/24.66/0.44 tutto/24.66/25.24/0.11 è/25.24/25.8/0.24 nome/25.8/26.4/0.84"
    " o/26.4/26.9/0.37 come/26.9/27.14/0.67 portanto/27.14/27.8/0.49 grazie/28.32/28.9/0.8"
)


def test_a_digit_heard_as_its_homophone_keeps_a_dictated_codes_window_open():
    # the window closed 2.5 s after "come dimensione", before "nome o come portanto" for
    # "9 O come Otranto": the 9 and the O leaked
    toks = normalize(words(FISCAL), "it")
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_FISCAL_CODE"]
    assert windows and max(w.end for w in windows) >= 27.8


def test_quattro_heard_without_its_qu_is_a_four_beside_digits():
    # it-s51-005: an IBAN's "I T uno quattro" heard "dino tua attro" (0.83), which explained
    # the group's speech; it-s48-006: "zero zero quattro nove" heard "mero meno tu attro"
    toks = normalize(words("attro/24.4/25.2/0.83 3/26.6/26.9/0.34 87/27.0/27.8/0.5"), "it")
    assert "".join(t.digits for t in toks) == "4387"


def test_due_and_sette_heard_with_an_accented_e_are_digits_beside_digits():
    # "tu è" was a 2 all 15 times on six fresh corpora (it-s48-007: a card's "... 0 2 4"
    # heard "48 0 tu è 4"), "è te" a 7 all three times (it-s51-035)
    toks = normalize(words("48/31.0/31.5/0.9 0/31.5/31.8/0.9 tu/31.8/32.0/0.68"
                           " è/32.0/32.2/0.84 4/32.3/32.6/0.9 è/32.7/32.8/0.9"
                           " te/32.8/33.0/0.9 1/33.1/33.4/0.9"), "it")  # fmt: skip
    assert "".join(t.digits for t in toks) == "4802471"
    # ... and stay words away from numbers ("ma tu? è tardi")
    toks = normalize(words("ma/1.0/1.2/0.9 tu/1.4/1.6/0.9 è/1.8/1.9/0.9 tardi/1.9/2.3/0.9"), "it")
    assert [t.text for t in toks] == ["ma", "tu", "è", "tardi"]


# it-s63-018 (8 kHz flac, mono, session 40): a codice fiscale spelled from 11.9 s to 20.0 s,
# its last characters "3 5 1 K" heard "3 quinto e uno capa", sure words all four
FISCAL_K = (
    "per/7.18/7.36/0.99 l/7.36/7.5/0.86 intestazione/7.5/8.12/0.77 mi/8.12/8.44/0.93"
    " permetto/8.44/9.18/0.32 di/9.18/9.36/0.89 che/9.36/9.52/0.74 fiscale/9.52/10.08/0.82"
    " certo/10.7/11.1/0.74 è/11.36/11.48/0.69 muti/12.0/12.5/0.0 ele/12.76/13.0/0.0"
    " muti/13.34/13.74/0.0 nd/13.8/14.34/0.37 ehi/14.72/15.2/0.55 uno/15.2/15.56/0.62"
    " ti/15.8/15.88/0.8 quinto/16.06/16.42/0.33 e/16.42/16.58/0.82 4/16.58/17.26/0.73"
    " chi/17.64/17.94/0.37 3/18.16/18.32/0.58 quinto/18.58/18.92/0.97 e/18.92/19.08/0.97"
    " uno/19.08/19.38/0.99 capa/19.56/19.96/0.86 grazie/20.48/20.98/0.88 lei/21.3/21.42/0.92"
    " è/21.42/21.56/0.59 la/21.56/21.68/0.81 quarta/21.68/22.02/0.71 persona/22.02/22.52/0.33"
)


def test_a_letters_name_heard_sure_keeps_a_dictated_codes_window_open():
    # "quinto e uno" then "capa" (K) closed the window at "quinto" as talk moving on: the
    # 5 and the K leaked
    toks = normalize(words(FISCAL_K), "it")
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_FISCAL_CODE"]
    assert windows and max(w.end for w in windows) >= 19.96
    # ... and the agent's thanks after it still closes it before "lei è la quarta persona"
    assert max(w.end for w in windows) <= 21.3


def test_letters_written_as_acronyms_with_no_vowel_are_a_spelled_code():
    # it-s63-038 (8 kHz flac, mono; session 46): the request heard "l impestazione mi femme
    # il domiceticale", and the codice fiscale's "C N T M R C 9 1 A 0 5 C 3 5 1 A" decoded
    # again with beam search as "TNT, MMT nome 1A0, Q2, Q3, Q1A.": no Italian word has no
    # vowel, and its first six letters leaked
    from redactor.dictation_windows import dictation_windows
    from redactor.spelling import normalize_spelling

    heard = words(
        "Sì,/10.1/11.1/0.56 allora,/11.2/11.7/0.99 TNT,/12.2/13.6/0.39 MMT,/13.6/15.0/0.53"
        " nome/15.4/15.8/0.39 grazie/21.1/21.7/0.73"
    )
    toks = normalize_spelling(normalize(heard, "it"), "it")
    windows = dictation_windows(toks, POLICY, "it")
    assert any(w.start <= 12.3 and w.end >= 15.0 for w in windows)


def test_a_hesitation_held_is_no_spelled_code():
    from redactor.dictation_windows import dictation_windows
    from redactor.spelling import normalize_spelling

    heard = words("Mmmm,/10.1/11.1/0.56 allora/11.2/11.7/0.99 grazie/12.1/12.7/0.73")
    toks = normalize_spelling(normalize(heard, "it"), "it")
    assert dictation_windows(toks, POLICY, "it") == []
