"""A sure everyday word close to a place of the spelling alphabet ("quarta" to Quarto,
"della" to Delta) is talk, not a character dictated: an IBAN's answer window ran on over
the agent's "lei è la quarta persona in attesa" (it-s61-015, session 43, words as base
wrote them on a 48 kHz mono call)."""

from __future__ import annotations

import pytest

from redactor.alphabet import dictated_place
from redactor.detect import Finding
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds, silenced
from tests.fixtures.tokens import words


@pytest.mark.parametrize("word", ["quarta", "quarti", "della", "ancora", "quanto", "brava"])
def test_an_everyday_word_near_a_place_of_the_alphabet_is_no_place(word):
    assert dictated_place(word, "it") is None


@pytest.mark.parametrize(
    ("word", "place"),
    [("quarto", "quarto"), ("ancola", "ancona"), ("domodosola", "domodossola"), ("delta", "delta")],
)
def test_a_place_of_the_alphabet_or_a_slip_of_one_is_a_place(word, place):
    assert dictated_place(word, "it") == place


# "... per la fattura mi serve la partita iva" / "certo, 4 4 1 8 3 1 6 0 9 7 5" / "e l'IBAN
# per l'addebito?" / "i ti sette nove e zero sette sei ..." (26 of its 27
# characters heard) / "ricevuto" / "lei è la quarta persona in attesa" / "buona giornata"
QUARTA = (
    "e/7.32/7.58/0.33 nazione?/7.58/7.86/0.33 per/8.36/8.74/0.95 la/8.74/8.9/0.97"
    " fatura/8.9/9.3/0.53 mi/9.3/9.54/0.81 serve/9.54/9.74/0.55 la/9.74/10.06/0.58"
    " partitima./10.06/10.78/0.72 100./11.44/12.08/0.23 4./12.64/13.12/0.8"
    " 4./13.48/13.74/0.94 1./14.3/14.52/0.97 8./14.92/15.46/0.85 3./15.72/15.98/0.98"
    " 1./16.3/16.54/0.99 6./16.82/17.1/0.98 0./17.66/17.98/0.93 9./18.34/18.58/0.85"
    " 7./18.9/19.28/0.99 5./19.56/19.88/0.88 e/20.6/21.12/0.29 li/21.12/21.24/0.37"
    " manperante/21.24/21.9/0.33 mito?/21.9/22.3/0.58 i/22.3/23.02/0.18"
    " 17,/23.02/23.3/0.37 9,/23.58/23.76/0.29 e/24.22/24.44/0.2 0,/24.44/24.68/0.75"
    " 7,/24.78/24.98/0.81 6,/25.14/25.42/0.98 0,/25.82/26.2/0.73 1,/26.28/26.4/0.85"
    " 5,/26.42/26.62/0.66 8,/26.66/27.2/0.99 1,/27.5/27.88/0.62 8,/27.96/28.22/0.97"
    " 7,/28.28/28.42/0.87 8,/28.68/29.1/0.61 7,/29.28/29.94/0.98 2,/29.94/30.16/0.85"
    " 7,/30.24/30.6/1.0 4,/30.6/31.36/0.97 1,/31.66/31.8/0.99 4,/31.86/32.1/0.99"
    " 9,/32.38/32.62/0.41 4./32.82/34.08/0.26 di/34.08/35.14/0.13 che/35.14/35.3/0.18"
    " muoto,/35.3/35.7/0.52 lei/36.02/36.28/0.72 è/36.28/36.38/0.63 la/36.38/36.46/0.93"
    " quarta/36.46/36.82/0.67 persona/36.82/37.24/0.37 di/37.24/37.78/0.13"
    " mattela/37.78/38.06/0.34 buona/38.06/39.16/0.14 giornata,/39.16/39.74/0.78"
    " a/39.94/40.04/0.09 rimetterci/40.04/40.76/0.49"
)
QUARTA_SPEECH = [
    (7.436, 8.436), (8.62, 10.996), (11.852, 12.436), (12.716, 14.772), (15.148, 15.54),
    (15.756, 17.364), (17.644, 20.276), (21.036, 22.324), (22.892, 24.052), (24.332, 25.62), (25.932, 27.284), (27.756, 29.012),
    (29.292, 30.868), (31.18, 32.948), (33.228, 34.612), (34.988, 35.732), (36.108, 38.228),
    (38.924, 39.796), (39.916, 40.948),
]  # fmt: skip


def test_an_iban_window_short_of_a_character_ends_before_the_agent_moves_on():
    toks = normalize(words(QUARTA), "it")
    first = next(k for k, t in enumerate(toks) if t.text == "17")
    last = next(k for k, t in enumerate(toks) if t.start == 32.82)
    run = toks[first : last + 1]
    iban = Finding("IBAN_CODE", 0.9, "SpokenIbanRecognizer", 0, first, last, run[0].start,
                   run[-1].end, " ".join(t.text for t in run))  # fmt: skip
    cut = silenced(toks, QUARTA_SPEECH, [iban])
    assert cut_seconds(cut, 22.89, 34.61) >= 11.5  # the IBAN
    # "lei è la quarta persona in attesa", said 36.11-38.23 s: was silenced to its end
    assert cut_seconds(cut, 36.3, 38.23) < 0.5
