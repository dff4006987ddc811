"""An Italian expiry read out as digit homophones is the answer, not a detail named
(session 22)."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()

# it-s12-003 (8 kHz mono): "e la data di scadenza?" then "zero sei ventisette", heard
# "e la matamiscamenta" and "nero è i menti": "nero" (zero) before "è" is no detail's
# name ("il mio cellulare è"), and the answer starts with it
ASKED = (
    "e/35.82/36.04/0.0 la/36.04/36.16/0.91 matamiscamenta/36.16/37.34/0.66"
    " nero/37.86/38.34/0.77 è/38.34/38.54/0.61 i/38.54/38.68/0.65 menti/38.68/38.92/0.37"
    " e/38.92/39.1/0.13 il/39.1/40.08/0.49 chomice/40.08/40.48/0.3 di/40.48/40.74/0.84"
    " curezza/40.74/41.56/0.57 le/41.56/41.9/0.76 3/41.9/42.1/0.42 cifre/42.1/42.52/0.72"
)


def test_an_expiry_heard_as_digit_homophones_starts_its_answer_window():
    toks = normalize(words(ASKED), "it")
    [window] = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_EXPIRY"]
    nero = next(t for t in toks if t.text == "nero")
    assert window.start <= nero.start


# it-s13-008 (8 kHz mono): the end of a fiscal code dictated, then the agent's "perfetto",
# stamped back 1.1 s over the pause and the code's last letter ("W", said 21.66-22.60 s)
DICTATED = (
    "mi/6.94/7.26/0.47 ferme/7.26/7.56/0.66 il/7.56/7.86/0.96 codice/7.86/8.2/0.9"
    " fiscale/8.2/8.8/0.9 quanto/8.8/9.84/0.3 è/9.84/10.32/0.66 tmnsnt/10.82/14.4/0.1"
    " quinto/14.4/15.54/0.21 è/15.54/15.66/0.81 nero/15.66/16.32/0.26 e/16.32/17.04/0.06"
    " me/17.04/17.24/0.14 11/17.24/18.52/0.49 chi/18.52/19.22/0.0 te/19.22/19.72/0.0"
    " uno/20.54/21.02/0.81 non/21.02/21.78/0.07 ti/21.78/22.02/0.37 amo/22.02/22.26/0.46"
    " perfetto/22.26/23.98/0.82 chi/23.98/24.52/0.32"
)


def test_an_answer_ends_where_the_word_moving_on_was_said_not_where_it_was_stamped():
    toks = normalize(words(DICTATED), "it")
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_FISCAL_CODE"]
    assert windows and max(w.end for w in windows) >= 22.6


def test_an_expiry_request_heard_with_ch_for_its_hard_c_opens_the_expiry_window():
    # it-s29-021 (session 24's machine): "la scadenza?" heard "la schamenta" ("ch" before
    # a, o or u is the hard c that "c" is there), then "maggio duemilatrenta" heard "ma non 2
    # di la tmenta": no expiry window opened and "trenta" stayed audible
    from redactor.cues import _sounds_like

    assert _sounds_like("scadenza", "schamenta")
    assert not _sounds_like("scadenza", "schiena")
    toks = normalize(
        words(
            "3/20.48/21.04/0.47 3/21.04/21.82/0.9 la/21.82/22.44/0.9 schamenta/22.44/23.1/0.21"
            " ma/23.1/24.0/0.46 non/24.0/24.22/0.9 2/24.22/24.42/0.09 di/24.42/24.56/0.9"
            " la/24.56/24.64/0.9 tmenta/24.64/25.36/0.9 il/25.36/26.22/0.9"
            " cavico/26.22/26.48/0.13 di/26.48/26.8/0.9 sicurezza/26.8/27.3/0.9"
        ),
        "it",
    )
    windows = [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "CARD_EXPIRY"]
    tmenta = next(t for t in toks if t.text == "tmenta")
    assert any(w.start <= tmenta.start and tmenta.end <= w.end for w in windows)
