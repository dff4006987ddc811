"""Italian number words and spelled codes as tokens (shapes taken from faster-whisper base
transcripts of Italian speech)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.spelling import join_spelled, normalize_spelling
from redactor.tokens import normalize
from redactor.transcribe import Word

UNITS = ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"]


def words(text):
    return [Word(w, i * 0.3, i * 0.3 + 0.25, 0.9, 0, 0) for i, w in enumerate(text.split())]


def texts(text):
    return [t.text for t in normalize(words(text), "it")]


def spelled(text, language="it"):
    return [t.text for t in join_spelled(normalize(words(text), language), language)]


def test_spoken_italian_digits_become_one_digit_run():
    assert texts("quattro cinque tre due") == ["4532"]
    assert texts("zero quattro") == ["04"]
    assert texts("tre tre") == ["33"]


def test_compound_italian_numbers_written_as_one_word_are_numbers():
    assert texts("ventisette") == ["27"]
    assert texts("millenovecentottantacinque") == ["1985"]
    assert texts("ventitré trentuno ventotto") == ["233128"]
    assert texts("zero quattro ventisette") == ["0427"]


def test_phone_numbers_read_in_pairs_keep_every_digit():
    assert texts("trentatré quarantacinque sessantasette ottantanove zero uno") == ["3345678901"]


def test_e_between_numbers_joins_them_but_not_other_words():
    assert texts("cento e venti euro") == ["120", "euro"]
    assert texts("zero quattro ventisette e il codice") == ["0427", "e", "il", "codice"]


def test_articles_and_ordinals_are_not_numbers():
    assert texts("ho una domanda") == ["ho", "una", "domanda"]
    assert texts("sono il terzo in fila") == ["sono", "il", "terzo", "in", "fila"]
    assert texts("tre tre uno quattro") == ["3314"]


def test_a_clipped_digit_word_between_numbers_is_a_digit():
    assert texts("tre oto due") == ["3", "8", "2"]
    assert texts("prendo il treno delle oto") == ["prendo", "il", "treno", "delle", "oto"]


@given(st.lists(st.integers(0, 9), min_size=2, max_size=20))
def test_any_italian_digit_sequence_round_trips(digits):
    # (a lone "uno"/"una" is the article, so sequences of two or more)
    assert texts(" ".join(UNITS[d] for d in digits)) == ["".join(map(str, digits))]


def test_letter_names_and_digits_become_one_code_token_with_its_word_span():
    toks = join_spelled(
        normalize(
            words("codice fiscale erre esse esse emme erre a ottanta a zero uno acca "
                  "cinquecento uno u grazie"), "it"
        ),
        "it",
    )  # fmt: skip
    assert [t.text for t in toks] == ["codice", "fiscale", "rssmra80a01h501u", "grazie"]
    code = toks[2]
    assert (code.first_word, code.last_word) == (2, 15)
    assert code.start == 2 * 0.3 and code.end == 15 * 0.3 + 0.25


def test_the_italian_spelling_alphabet_and_nato_spell_letters():
    expected = ["rssmra85a01h501z"]
    assert spelled("R come Roma S come Savona S di Savona M come Milano R come Roma "
                   "A come Ancona 8 5 A 0 1 H 5 0 1 Z") == expected  # fmt: skip
    assert spelled("Roma Savona Savona Milano Roma Ancona otto cinque Ancona zero uno "
                   "Hotel cinque zero uno Zara") == expected  # fmt: skip
    assert spelled("romeo sierra sierra mike romeo alpha 8 5 alpha 0 1 hotel 5 0 1 zulu") == (
        expected
    )


def test_letter_names_asr_split_and_place_names_it_misheard_still_spell():
    # whisper base on "erre come Roma, esse come Savona, ..., A come Ancona, otto, cinque"
    got = spelled("allora, è me come Roma, è se come San Mora, è se come San Mora, è me come "
                  "Milano, è me come Roma, è come Ancola, Otto, Cinque")  # fmt: skip
    assert got == ["allora", "rssmra85"]


def test_a_spelled_code_goes_on_past_the_full_stops_asr_writes_between_its_letters():
    # whisper base on "erre come Roma, emme come Milano, ..., cinque, tre, P come Palermo"
    # (the request lost): every letter its own sentence, so no letter alone made a code
    got = spelled("Sì, allora. E me come Roma. E me come Milano. E me come Napoli. E me come "
                  "Milano. E me come Roma. E me come Antona. Cinque. E me come Palermo.")  # fmt: skip
    assert got == ["sì", "allora", "rmnmra5p"]


def test_a_full_stop_before_ordinary_words_still_ends_a_spelled_code():
    got = spelled("erre come Roma. esse come Savona. emme come Milano. A come Ancona. Otto. "
                  "Grazie, la chiamo domani.")  # fmt: skip
    assert got == ["rsma8", "grazie", "la", "chiamo", "domani"]


def test_a_number_after_a_full_stop_joins_no_code_of_a_single_letter():
    assert spelled("A come Ancona. Tre rate al mese.") == ["a", "come", "ancona", "3", "rate",
                                                          "al", "mese"]  # fmt: skip


def test_glued_and_vowelless_letter_runs_keep_their_letters():
    assert spelled("il mio codice fiscale, e ssm80001H5101.")[-1] == "essm80001h5101"
    assert spelled("codice fiscale lssmm a 8")[-1] == "lssmma8"


def test_letter_names_and_digit_words_asr_glued_into_one_word_spell_their_code():
    # "i ti tre tre, ipsilon zero cinque tre" heard on telephone audio
    got = spelled("l'iban è i titretri, i silonzero, cinque tre, otto sette due otto")
    assert got[-1] == "it33iy0538728"


def test_ordinary_italian_words_are_never_split_into_letter_names_and_digits():
    for word in ["tredici", "diciotto", "settembre", "dieci", "seicento", "ciotto", "pietre",
                 "certi", "ditte", "tesseri", "tresette", "sedici", "bitter", "cinema"]:  # fmt: skip
        assert spelled(f"vado a {word} con mio padre") == texts(f"vado a {word} con mio padre")


def test_ordinary_italian_speech_is_not_joined():
    for text in [
        "vado a roma e a milano come sempre",
        "il codice di sicurezza è 3 2 1",
        "è come roma ma più piccola",
        "ci vediamo alle 3 e ti chiamo",
        "la carta è 4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7 e la scadenza",
    ]:
        assert spelled(text) == texts(text), text


def test_a_card_number_read_before_a_letter_stays_a_number():
    got = spelled("4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7 b x")
    assert got[:16] == list("4539148803436467")


def test_english_spelling_works_in_the_module_but_the_english_pipeline_is_unchanged():
    assert spelled("alpha bravo 1 2 3 charlie", "en") == ["ab123c"]
    toks = normalize(words("G B 8 2 W E S T"), "en")
    assert normalize_spelling(toks, "en") == toks


LETTER_NAMES_IT = {
    "a": ["a"], "b": ["bi"], "c": ["ci"], "d": ["di"], "e": ["e"], "f": ["effe"],
    "g": ["gi"], "h": ["acca"], "i": ["i"], "j": ["i lunga"], "k": ["cappa"],
    "l": ["elle"], "m": ["emme"], "n": ["enne"], "o": ["o"], "p": ["pi"], "q": ["cu"],
    "r": ["erre"], "s": ["esse"], "t": ["ti"], "u": ["u"], "v": ["vu", "vi"],
    "w": ["doppia vu"], "x": ["ics"], "y": ["ipsilon", "i greca"], "z": ["zeta"],
}  # fmt: skip
CITIES = {
    "a": "Ancona", "b": "Bologna", "c": "Como", "d": "Domodossola", "e": "Empoli",
    "f": "Firenze", "g": "Genova", "h": "Hotel", "i": "Imola", "j": "Jolly", "k": "Kappa",
    "l": "Livorno", "m": "Milano", "n": "Napoli", "o": "Otranto", "p": "Palermo",
    "q": "Quarto", "r": "Roma", "s": "Savona", "t": "Torino", "u": "Udine", "v": "Venezia",
    "w": "Washington", "x": "Xeres", "y": "Yacht", "z": "Zara",
}  # fmt: skip


def say_letter(letter, style, rnd):
    if style == "name":
        return rnd.choice(LETTER_NAMES_IT[letter])
    if style == "city":
        return CITIES[letter]
    if style == "come":
        return f"{letter.upper()} {rnd.choice(['come', 'di'])} {CITIES[letter]}"
    return letter.upper()


@settings(max_examples=60, deadline=None)
@given(
    # letters that are no everyday word in any style (not a e i o, di ci ti vi)
    st.text("bfghjklmnpqrsuwxyz", min_size=3, max_size=6),
    st.text("0123456789", min_size=2, max_size=4),  # codes are five characters or more
    st.sampled_from(["name", "city", "come", "bare"]),
    st.integers(0, 1000),
)
def test_letters_and_digits_spelled_any_way_become_the_same_code(letters, digits, style, seed):
    rnd = random.Random(seed)
    spoken = [say_letter(ch, style, rnd) for ch in letters] + [UNITS[int(d)] for d in digits]
    got = spelled("il codice è " + " ".join(spoken) + ". grazie")
    assert got == ["il", "codice", "è", letters + digits, "grazie"]


def test_capitalised_letter_groups_asr_wrote_join_the_code():
    # whisper base on "erre esse esse, emme erre a, otto zero a zero uno, acca ..."
    assert spelled("il codice fiscale certo, RSSS, MRA, 80A01, H5201")[-1] == ("rsssmra80a01h5201")


def test_a_letter_e_between_digits_of_a_code_is_kept():
    # the month letter E (May) of a codice fiscale read between two digits
    assert spelled("il codice è A A A A A A zero zero A zero uno E uno zero zero K.") == [
        "il", "codice", "è", "aaaaaa00a01e100k"
    ]  # fmt: skip


VOCAB = ["il", "codice", "è", "a", "e", "di", "come", "Roma", "esse", "erre", "K", "MRA",
         "lssmm", "80A01", "uno", "tre", "ventisette", "grazie", "carta", "4,", "Ancona"]  # fmt: skip


@given(st.lists(st.sampled_from(VOCAB), max_size=30))
def test_joining_never_loses_reorders_or_overlaps_words(ws):
    toks = normalize(words(" ".join(ws)), "it")
    joined = join_spelled(toks, "it")
    assert " ".join(t.raw for t in joined) == " ".join(t.raw for t in toks)
    spans = [(t.first_word, t.last_word) for t in joined]
    assert all(a <= b for a, b in spans)
    assert all(spans[k][1] + 1 == spans[k + 1][0] for k in range(len(spans) - 1))


def test_a_number_word_written_in_two_halves_is_one_number():
    # Regression (it-s1-004, session 18): the expiry "undici barra ventotto" heard "un dici
    # mandamento 8"; "mandamento" (0.66) explained the speech between "dici" and "8", and a
    # quarter of the expiry stayed audible. As "11 mandamento 8" it is one run
    assert texts("un dici mandamento 8") == ["11", "mandamento", "8"]
    assert texts("alle di ciotto") == ["alle", "18"]


def test_words_that_only_join_into_a_number_across_a_pause_or_as_a_letter_stay_words():
    paused = [Word("un", 0.0, 0.2, 0.9, 0, 0), Word("dici", 0.5, 0.8, 0.9, 0, 0)]
    assert [t.text for t in normalize(paused, "it")] == ["un", "dici"]
    assert texts("mi dici il numero") == ["mi", "dici", "il", "numero"]
    assert texts("se i missi o clienti") == ["se", "i", "missi", "o", "clienti"]


def test_non_e_beside_a_digit_is_nove():
    # Regression (it-s2-035, session 18): the security code "nove uno otto" heard "allora
    # non (0.37) è (0.89) uno foto"; "non è" explained the speech of "nove", which leaked
    # (and since session 23 the "uno" after it is the code's 1, as it was said)
    assert texts("allora non è uno foto") == ["allora", "9", "1", "foto"]
    assert texts("non è vero") == ["non", "è", "vero"]
    assert texts("il numero non è valido") == ["il", "numero", "non", "è", "valido"]


def test_sei_heard_as_c_e_il_before_a_number_is_a_six():
    # "sei" heard "c è il" right before the digits that follow it: a card's first digit
    # (it-s12-025, "c è il 0 1 1 3 ..."), a security code's ("c è il 2 e 1", session 20)
    assert texts("allora c è il zero uno uno tre") == ["allora", "6", "0113"]
    assert texts("c è il due e uno") == ["6", "21"]


def test_e_il_before_a_digit_homophone_that_a_number_follows_is_a_six():
    # it-s34-038 (a fresh corpus): the card read back, "sei zero undici ...", heard "il
    # numero è il nero undici": "è il" stood beside "nero", no number heard as one, and the
    # 6 leaked
    assert texts("il numero è il nero undici") == ["il", "numero", "6", "0", "11"]
    assert texts("qual è il nome del titolare") == ["qual", "è", "il", "nome", "del", "titolare"]


def test_c_e_il_in_ordinary_speech_stays_words():
    assert texts("c è il problema della carta") == ["c", "è", "il", "problema", "della", "carta"]
