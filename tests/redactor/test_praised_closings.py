"""The agent's "perfetto, pagamento registrato" heard with its verb as anything: the praise
and a noun of the payment's shape straight after it are the closing. Built from the words
base wrote on two 8 kHz mono calls of two corpora on a third machine (session 42:
it-s61-009 49.6% to 21.7%, it-s62-005 29.9% to 19.0%), where the payment dialogue stayed
open over the closing, the order number and the goodbye."""

from __future__ import annotations

from redactor.call_endings import fuzzy_closings
from redactor.detect import Finding
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds as _cut
from tests.fixtures.plan import silenced
from tests.fixtures.tokens import words

# it-s61-009: "mi dice la scadenza della carta?" / "zero quattro barra trentuno" / "il
# codice di sicurezza, le tre cifre sul retro" / "084" / "perfetto, pagamento registrato"
# / "il numero d'ordine è" / "9295" / "buona giornata, arrivederci"
PANNAMENTO = (
    "mi/23.56/23.64/0.61 dice/23.64/23.88/0.87 rascavanza/23.88/24.6/0.43"
    " nella/24.6/24.88/0.47 carta/24.88/25.42/0.99 nero/26.16/26.7/0.54 4/26.7/27.24/0.74"
    " mandate/27.24/27.64/0.62 21/27.64/28.18/0.3 il/28.84/29.02/0.91 cò/29.02/29.2/0.07"
    " di/29.2/29.3/0.53 che/29.3/29.44/0.27 vi/29.44/29.58/0.3 si/29.58/29.72/0.15"
    " chiunque/29.72/30.04/0.62 sa/30.04/30.42/0.12 le/30.6/30.7/0.16 tme/30.7/30.88/0.21"
    " ci/30.88/31.06/0.77 sono/31.06/31.28/0.28 metto/31.28/31.9/0.58 0/32.6/33.1/0.97"
    " 8/33.1/33.64/0.14 4/33.98/34.48/0.92 perfetto/35.3/35.9/0.85 un/36.22/36.32/0.05"
    " pannamento/36.32/36.58/0.36 che/36.58/36.78/0.07 di/36.78/36.92/0.12"
    " stato/36.92/37.36/0.34 il/37.76/37.9/0.95 numero/37.9/38.18/0.92 4/38.18/38.46/0.09"
    " di/38.46/38.68/0.91 me/38.68/38.84/0.29 nome/39.36/39.78/0.72 2/40.08/40.42/0.41"
    " 9/40.66/40.84/0.59 5/41.3/41.54/0.44 1/42.3/42.76/0.38 annognata/42.76/43.44/0.36"
    " a/43.68/43.76/0.07 rimederti/43.76/44.48/0.53"
)
PANNAMENTO_SPEECH = [(23.5, 25.62), (26.38, 28.404), (28.844, 32.148), (32.716, 34.772),
                     (35.308, 37.62), (37.772, 39.188), (39.436, 42.036), (42.636, 44.66)]  # fmt: skip

# it-s62-005: "... il codice di sicurezza, le tre cifre sul retro" / "238" / "perfetto,
# pagamento registrato" / "il numero d'ordine è" / "515230" / "buona giornata, arrivederci"
ANNAMENTO = (
    "la/19.48/19.84/0.29 camenza/19.84/20.5/0.58 aprie/21.18/21.6/0.27 2/21.6/21.82/0.12"
    " mi/21.88/21.98/0.35 amenti/21.98/22.28/0.17 nome/22.28/22.6/0.93 incomi/23.18/23.6/0.12"
    " che/23.6/23.78/0.56 mi/23.78/23.88/0.63 chiusi/23.88/24.1/0.38 a/24.1/24.7/0.2"
    " fare/24.7/24.92/0.13 3/24.92/25.16/0.51 5/25.26/25.48/0.94 9/25.52/25.8/0.15"
    " 2/26.02/26.24/0.43 3/26.66/27.36/0.37 8/27.68/27.98/0.98 perfetto/29.1/29.66/0.58"
    " un/29.96/30.06/0.14 annamento/30.06/30.26/0.34 che/30.26/30.5/0.24 vi/30.5/30.62/0.27"
    " stanno/30.62/30.8/0.25 in/30.8/31.5/0.16 numero/31.5/31.84/0.71 2/31.84/32.22/0.12"
    " di/32.22/32.3/0.14 me/32.3/32.48/0.52 52/32.94/33.52/0.26 1/33.8/34.08/0.84"
    " 52/34.36/35.04/0.9 e/35.04/35.52/0.78 2/35.52/35.76/0.56 e/35.98/35.98/0.12"
    " 1/35.98/36.44/0.32 buona/36.74/37.58/0.45 giornata/37.58/38.14/0.74"
)
ANNAMENTO_SPEECH = [(19.724, 20.788), (21.324, 22.74), (23.18, 26.452), (26.892, 28.148),
                    (29.068, 32.82), (33.068, 36.948), (37.356, 39.412)]  # fmt: skip


def _code(toks, start, end):
    at = [k for k, t in enumerate(toks) if start <= t.start and t.end <= end]
    text = " ".join(toks[k].text for k in at)
    return Finding("CARD_SECURITY_CODE", 0.9, "PaymentDialogueRule", 0, at[0], at[-1] + 1,
                   start, end, text)  # fmt: skip


def test_praise_then_a_noun_of_the_payments_shape_is_a_closing():
    toks = normalize(words(PANNAMENTO), "it")
    [noun] = [k for k, t in enumerate(toks) if t.text == "pannamento"]
    assert noun in fuzzy_closings(toks, "it")


def test_praise_before_anything_else_is_no_closing():
    # "perfetto, e la scadenza?", and praise with a noun said after a long pause
    asked = normalize(words("perfetto/1.0/1.5/0.9 e/1.6/1.7/0.9 la/1.7/1.8/0.9"
                            " scadenza/1.8/2.4/0.9"), "it")  # fmt: skip
    late = normalize(words("perfetto/1.0/1.5/0.9 pagamento/2.4/2.9/0.5"), "it")
    assert not fuzzy_closings(asked, "it") and not fuzzy_closings(late, "it")


def test_a_closing_heard_as_praise_and_a_misheard_noun_closes_the_payment_dialogue():
    toks = normalize(words(PANNAMENTO), "it")
    cut = silenced(toks, PANNAMENTO_SPEECH, [_code(toks, 32.6, 34.48)])
    assert _cut(cut, 32.71, 34.76) >= 1.9  # "zero otto quattro"
    # "perfetto, pagamento registrato" (35.27-37.55 s) was silenced to its last syllable
    assert _cut(cut, 35.27, 37.55) < 0.5


def test_the_closing_after_a_code_heard_as_praise_and_a_noun_is_the_agents():
    toks = normalize(words(ANNAMENTO), "it")
    cut = silenced(toks, ANNAMENTO_SPEECH, [_code(toks, 24.92, 27.98)])
    assert _cut(cut, 26.88, 28.05) >= 1.0  # "due tre otto"
    assert _cut(cut, 29.04, 31.28) < 0.5  # "perfetto, pagamento registrato"
