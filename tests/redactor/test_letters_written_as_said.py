"""A place of the spelling alphabet with a foreign letter is written as it sounds: base
wrote "J come Jolly" as "ca come giollini", the dictation's window ended at "come", and the
J of a carta d'identità leaked (it-s62-009, session 44, words as base wrote them on an
8 kHz A-law two-channel call)."""

from __future__ import annotations

import pytest

from policies.redaction import RedactionPolicy
from redactor.alphabet import _alphabet_word, dictated_place
from redactor.detect import Detector
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds, silenced_channels
from tests.fixtures.tokens import words


@pytest.mark.parametrize(
    ("word", "place"),
    [("giollini", "jolly"), ("giolli", "jolly"), ("cappa", "kappa"), ("iorc", "york"),
     ("iogurt", "yogurt"), ("ancola", "ancona")],
)  # fmt: skip
def test_a_place_written_as_it_sounds_is_that_place(word, place):
    assert _alphabet_word(word, "it") == place


@pytest.mark.parametrize("word", ["capra", "giorno", "gioco", "giallo", "capito", "ieri"])
def test_an_everyday_word_near_a_place_as_said_is_no_place(word):
    assert _alphabet_word(word, "it") is None
    assert dictated_place(word, "it") is None


# agent: "e il numero della carta d'identità?"; customer: "C A 9 1 9 0 8, T come Torino,
# J come Jolly" (the J said 40.25-41.54 s); agent: "buona giornata, arrivederci"
AGENT = (
    "il/31.58/31.76/0.95 numero/31.76/31.96/0.95 che/31.96/32.22/0.94 la/32.22/32.4/0.38"
    " catta/32.4/32.74/0.4 di/32.74/32.92/0.59 ventità?/32.92/33.36/0.68 ti/34.08/34.78/0.1"
    " ha/34.78/35.86/0.34 9/35.86/36.22/0.42 1/36.22/36.7/0.3 9/37.08/37.4/0.64"
    " 0/37.4/37.94/0.47 8/38.26/39.08/0.36 di/39.08/39.32/0.42"
    " chiametornino/39.32/40.0/0.35 di/40.3/40.4/0.43 lunga/40.4/40.68/0.89"
    " chiametorni/40.68/42.06/0.6 un/42.06/42.38/0.45 amonomata/42.38/43.02/0.38"
    " di/43.02/43.5/0.76 metanti/43.5/44.8/0.26"
)
AGENT_SPEECH = [(31.5, 33.62), (34.6, 35.41), (35.88, 38.77), (39.21, 41.56), (42.25, 43.12),
                (43.24, 44.31)]  # fmt: skip
CUSTOMER = (
    "ti/34.33/34.74/0.15 ha/34.74/35.18/0.61 9/35.18/36.08/0.22 uno/36.08/36.7/0.49"
    " 9/36.98/37.22/0.95 nevo/37.22/37.98/0.9 8/38.2/38.6/0.64 ti/39.04/39.26/0.08"
    " come/39.26/39.46/0.58 tornino/39.46/39.96/0.61 in/40.22/40.34/0.55 un/40.34/40.52/0.97"
    " ca/40.52/40.66/0.22 come/40.66/40.88/0.61 giollini/40.88/41.36/0.47"
)
CUSTOMER_SPEECH = [(34.57, 35.35), (35.82, 38.71), (39.18, 41.52)]


def test_the_last_letter_of_an_identity_card_spelled_with_a_foreign_place_is_silenced():
    detector = Detector(RedactionPolicy().entities, "it")
    channels = []
    for c, (spec, speech) in enumerate([(AGENT, AGENT_SPEECH), (CUSTOMER, CUSTOMER_SPEECH)]):
        toks = normalize(words(spec, c), "it")
        channels.append((toks, speech, detector.detect(toks, c)))
    cut = silenced_channels(channels)
    assert cut_seconds(cut, 40.25, 41.54) >= 0.9 * (41.54 - 40.25)  # "i lunga come jolly"
    assert cut_seconds(cut, 34.51, 40.17) >= 0.9 * (40.17 - 34.51)  # "C A 9 1 9 0 8 T"
