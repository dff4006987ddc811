"""The call's greeting, a decoder's copy of it, and a word stamped late: base hears "pronto,
ufficio pagamenti" as payment talk, writes the greeting again over a code it cannot follow,
and stamps a lone "certo" over the card number after it. Token lists are the words base
wrote on mono calls of fresh corpora (session 32)."""

from policies.redaction import RedactionPolicy
from redactor.failclosed import payment_windows
from redactor.loops import distrust_loops
from redactor.recognizers.health import HealthRecognizer
from redactor.tokens import normalize
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()

# it-s56-027: "pronto, ufficio pagamenti, buongiorno" heard with "pronto" as "per conto"
# ("conto" is a payment cue), then the health question misheard and "sì, faccio la ..."
GREETING = (
    "per/0.0/0.6/0.14 conto/0.6/0.96/0.44 un/0.96/1.2/0.36 fisciopanamenti/1.2/2.24/0.61"
    " di/2.24/2.46/0.4 buon/2.46/2.56/0.5 giorno/2.56/2.84/0.5 asera/3.96/4.38/0.3"
    " chiamo/4.38/5.02/0.57 per/5.02/5.16/0.94 il/5.16/5.38/0.98 mio/5.38/5.58/0.97"
    " contratto/5.58/6.56/0.74 per/6.56/7.6/0.15 la/7.6/7.76/0.8 polica/7.76/8.32/0.44"
    " per/8.32/8.72/0.34 un/8.72/8.84/0.32 emi/8.84/9.0/0.23 di/9.0/9.14/0.99"
    " sanute/9.14/9.46/0.24 nasegnalale/9.46/10.28/0.34 sì/11.08/11.7/0.75"
    " faccio/12.06/12.48/0.63 la/12.48/12.76/0.61 di/12.76/13.14/0.67"
)


def test_a_payment_word_in_the_greeting_opens_no_payment_dialogue():
    toks = normalize(words(GREETING), "it")
    assert payment_windows(toks, [], POLICY, "it") == []


def test_a_payment_word_after_the_greeting_still_opens_one():
    later = GREETING.replace("polica/7.76/8.32/0.44", "carta/7.76/8.32/0.9")
    [w] = payment_windows(normalize(words(later), "it"), [], POLICY, "it")
    assert w.start <= 7.76


def test_a_recording_that_starts_inside_the_talk_has_no_greeting_to_pass_over():
    # the first breath of a recording cut in late may be the customer's own request
    late = normalize(words("pronto/3.0/3.4/0.9 il/3.4/3.5/0.9 conto/3.5/3.9/0.9"), "it")
    assert payment_windows(late, [], POLICY, "it")


def test_the_words_glued_on_after_a_copy_of_the_greeting_explain_nothing():
    # it-s52-004: Whisper dropped 20 s, then wrote the greeting again over an IBAN: "buona
    # sera grazie per" (a copy) went on "la merchiamato" (0.72) over "acca zero due zero"
    toks = normalize(words(
        "buona/0.26/0.58/0.37 sera/0.58/0.94/0.97 grazie/1.16/1.56/0.67 per/1.56/1.76/0.67"
        " aver/1.76/2.02/0.3 chiamato/2.02/2.68/0.91"
        " buona/22.54/23.7/0.6 sera/23.7/24.28/0.6 grazie/24.66/25.26/0.6 per/25.26/25.34/0.6"
        " la/25.34/25.82/0.47 merchiamato/25.82/26.44/0.72 nero/26.44/26.8/0.46"
        " to/27.04/27.16/0.22 quadro/27.18/27.68/0.69"), "it")  # fmt: skip
    out = {(t.text, t.start): t.probability for t in distrust_loops(toks, language="it")}
    assert out[("merchiamato", 25.82)] == 0.0 and out[("la", 25.34)] == 0.0
    # ... up to the first digit's sound, where the decoder is back on the speech
    assert out[("quadro", 27.18)] > 0.0
    assert out[("chiamato", 2.02)] > 0.0  # the greeting itself is no copy


def test_two_words_heard_for_one_are_no_term_they_only_half_spell():
    # it-s56-017: the agent's "chiudiamo alle diciotto e trenta" after "un infarto" heard
    # "che umiamo a 18 e 20": joined, "cheumiamo" is three letters more than "chemio"
    rec = HealthRecognizer("it")
    rec.load()
    text = "ho avuto un infarto che umiamo a 18 e 20"
    found = [text[r.start : r.end] for r in rec.analyze(text, ["HEALTH"])]
    assert found == ["infarto"]
    # ... while a term heard in two pieces still is one
    text = "soffro di epi lessia"
    assert [text[r.start : r.end] for r in rec.analyze(text, ["HEALTH"])] == ["epi lessia"]


def test_a_word_stamped_a_region_late_over_a_card_number_explains_the_region_it_was_said_in():
    # it-s52-020 (48 kHz mono): the customer's "certo", said alone at 10.1-10.7 s, was
    # stamped at 11.74-12.34 s, glued to the card number's first group, over its "3": the
    # word explained it, and the digit leaked
    from redactor.failclosed import unexplained_speech

    toks = normalize(words(
        "vedito/8.64/9.1/0.53 certo/11.74/12.34/0.9 5342/12.34/12.94/0.28 7/13.38/13.6/0.18"
    ), "it")  # fmt: skip
    speech = [(7.02, 9.3), (10.124, 10.708), (11.02, 13.14), (13.388, 15.604)]
    gaps = unexplained_speech(speech, toks, POLICY.explain_confidence, language="it")
    assert any(s <= 11.8 and e >= 12.3 for s, e in gaps)
    assert not any(s < 10.6 and e > 10.2 for s, e in gaps)  # where it was said
    # ... but a word with a word before it in its region was said where it was stamped
    said = normalize(words(
        "vedito/8.64/9.1/0.53 allora/11.1/11.6/0.9 certo/11.74/12.34/0.9 5342/12.34/12.94/0.28"
    ), "it")  # fmt: skip
    gaps = unexplained_speech(speech, said, POLICY.explain_confidence, language="it")
    assert not any(s <= 12.0 < e for s, e in gaps)


# it-s0-021 (8 kHz mono): a codice fiscale spelled, then the agent's "grazie, la consegna
# arriva tra tre e cinque giorni", its digits breaking every run of sure words
FISCAL = (
    "per/7.14/7.42/0.97 l/7.42/7.56/0.73 intestazione/7.56/8.18/0.8 mi/8.18/8.5/0.87"
    " permeti/8.5/8.98/0.27 il/8.98/9.18/0.96 che/9.18/9.26/0.11 ho/9.26/9.34/0.79"
    " dice/9.34/9.52/0.52 fiscale/9.52/10.18/0.85 niel/10.84/11.1/0.55 rembro/11.1/11.54/0.41"
    " ci/11.82/11.96/0.27 come/11.96/12.18/0.93 che/12.18/12.34/0.27 ho/12.34/12.42/0.35"
    " un/12.42/12.54/0.1 nd/12.54/13.3/0.26 ci/13.88/13.98/0.79 come/13.98/14.22/0.0"
    " nmati/14.22/14.88/0.44 ti/15.16/15.3/0.61 4/15.6/16.12/0.28 nome/16.5/16.64/0.87"
    " l02t612t/16.64/20.34/0.12 grazie/21.22/21.78/0.69 la/22.04/22.16/0.95"
    " contegna/22.16/22.72/0.66 armi/22.96/23.04/0.15 ma/23.14/23.24/0.4 tra/23.24/23.42/0.94"
    " 3/23.42/23.66/0.58 e/23.66/23.84/0.85 5/23.84/24.1/0.75 2/24.1/24.36/0.14"
    " giorni/24.36/24.76/0.93"
)


def test_the_agents_thanks_after_a_code_ends_its_answer():
    from redactor.answers import contact_windows

    def fiscal(spec):
        toks = normalize(words(spec), "it")
        return [w for w in contact_windows(toks, POLICY, "it") if w.entity_type == "IT_FISCAL_CODE"]

    windows = fiscal(FISCAL)
    assert windows and all(w.end <= 21.3 for w in windows)
    assert any(w.start <= 16.64 and w.end >= 20.34 for w in windows)  # the code's own
    # ... heard at 0.58 on session 33's machine: still the agent's
    windows = fiscal(FISCAL.replace("grazie/21.22/21.78/0.69", "grazie/21.26/21.78/0.58"))
    assert windows and all(w.end <= 21.3 for w in windows)
    # ... but not a thanks said right after the request, before any answer
    early = FISCAL.replace("niel/10.84/11.1/0.55", "grazie/10.84/11.1/0.9")
    assert any(w.end >= 20.34 for w in fiscal(early))


def test_a_channel_that_misheard_the_callers_lead_in_defers_to_the_echo_that_heard_it():
    # it-s0-014 (8 kHz stereo): "il mio cellulare è" heard "il mio che gra me è" on the
    # agent's channel (the echo) and "il mio che l abbè" on the customer's: the customer's
    # channel found no verb, and the phone number's window silenced the whole lead-in
    from redactor.answer_edges import _opening_end

    agent = words("il/9.56/9.8/0.95 mio/9.8/9.98/0.96 che/9.98/10.16/0.52 gra/10.16/10.44/0.1"
                  " me/10.44/10.62/0.15 è/10.62/11.1/0.42 3/11.1/11.52/0.37", 0)  # fmt: skip
    customer = "il/9.18/9.76/0.89 mio/9.76/9.96/0.99 che/9.96/10.14/0.23 l/10.14/10.4/0.28"
    after = sorted(
        normalize(agent + words(customer + " abbè/10.4/10.6/0.53 3/11.24/11.54/0.29", 1), "it"),
        key=lambda t: t.start,
    )
    assert 10.62 < _opening_end(after, "it", 0.7) <= 11.1
    # ... unless that channel wrote a digit before the verb: its first word may be the code's
    digit = sorted(
        normalize(agent + words(customer + " 3/10.4/10.6/0.53 6/11.24/11.54/0.29", 1), "it"),
        key=lambda t: t.start,
    )
    assert _opening_end(digit, "it", 0.7) == 0.0


def test_a_thanks_soon_after_the_next_request_ends_nothing_though_one_before_it_did():
    # the request a thanks is timed from is the latest before it, acknowledgements counted
    from redactor.request_bounds import request_starts

    toks = normalize(words(
        "mi/0.0/0.2/0.9 serve/0.2/0.5/0.9 il/0.5/0.6/0.9 codice/0.6/1.0/0.9 fiscale/1.0/1.5/0.9"
        " grazie/10.0/10.5/0.9 e/12.0/12.2/0.9 l'iban/12.2/12.8/0.9 grazie/14.6/15.1/0.9"
    ), "it")  # fmt: skip
    starts = request_starts(toks, POLICY, "it")
    assert 10.0 in starts and 14.6 not in starts
    # ... and "no, grazie" is the caller's, even with the other channel's word between
    said = normalize(words("no/19.0/19.3/0.9 grazie/19.4/19.9/0.9"), "it")
    echo = normalize(words("sì/19.3/19.38/0.9", 1), "it")
    starts = request_starts(sorted(toks + said + echo, key=lambda t: t.start), POLICY, "it")
    assert 19.4 not in starts


# it-s0-001 (8 kHz mono, session 33's machine): "per l'intestazione mi serve il codice
# fiscale" heard "... il comico di che ti scale" (no request found), the code spelled and
# heard as "come" runs, then the agent's "grazie" and "lei è la quarta persona in attesa"
SPELLED_UNASKED = (
    "il/8.28/8.48/0.83 comico/8.48/8.6/0.39 di/8.6/8.82/0.68 che/8.82/8.86/0.34"
    " ti/8.86/8.98/0.37 scale/8.98/9.52/0.33 si/9.52/10.64/0.32 allora/10.94/11.4/0.88"
    " rmnmrea/11.4/18.17/0.02 come/18.17/18.37/0.31 intola/18.37/18.89/0.31 5/19.29/19.73/0.08"
    " e/19.89/19.99/0.29 sì/20.79/20.93/0.49 come/20.93/21.15/0.7 faremo/21.15/21.71/0.57"
    " 1/21.99/22.19/0.87 2/22.47/22.71/0.39 a/23.15/23.47/0.0 a/23.65/23.75/0.0"
    " come/23.75/23.97/0.65 farem/23.97/24.45/0.12 5/24.65/24.89/0.82 è/25.13/25.19/0.15"
    " 0/25.35/25.73/0.23 1/25.85/26.33/0.98 sì/26.63/26.75/0.56 non/26.97/26.97/0.15"
    " lo/26.97/27.31/0.2 so/27.31/27.63/0.83 grazie/28.6/29.28/0.8 la/29.28/29.84/0.06"
    " mia/29.84/29.94/0.17 tua/29.94/30.22/0.05 pezzo/30.22/30.78/0.49 di/30.78/31.04/0.06"
    " natte/31.04/31.38/0.33 ma/31.38/32.22/0.21 buona/32.22/32.78/0.29"
    " giornata/32.78/33.36/0.58"
)


def test_the_agents_thanks_ends_a_code_spelled_with_no_request_heard():
    from redactor.answers import contact_windows

    toks = normalize(words(SPELLED_UNASKED), "it")
    spelled = [w for w in contact_windows(toks, POLICY, "it") if w.start < 28.0]
    assert spelled and all(w.end <= 28.6 for w in spelled)
    assert any(w.start <= 19.29 and w.end >= 26.33 for w in spelled)  # the code's own
    # ... but a thanks in the first seconds of a dictation may be the caller's: it ends nothing
    early = SPELLED_UNASKED.replace(" sì/20.79", " grazie/20.35/20.7/0.9 sì/20.79")
    early = normalize(words(early), "it")
    assert any(w.end >= 28.6 for w in contact_windows(early, POLICY, "it") if w.start < 20.0)


# it-s58-002 (8 kHz stereo, the agent's channel): base wrote the greeting again, zeroed as
# a copy, over "e il codice di sicurezza? sono le tre cifre sul retro"
COPIED = (
    "buongiorno/0.64/1.16/0.86 per/1.38/1.6/0.35 vizi/1.6/1.94/0.26 o/1.94/2.1/0.32"
    " clienti/2.1/2.62/0.97 sono/2.62/3.04/0.45 giulia/3.04/3.56/0.64 la/21.36/21.6/0.88"
    " cadenza/21.6/22.24/0.66 marra/23.54/23.88/0.41 menti/23.98/24.22/0.41"
    " buongiorno/24.52/25.36/0.9 per/25.36/25.56/0.8 vizi/25.56/26.08/0.7 o/26.08/26.26/0.6"
    " clienti/26.26/26.26/0.9 sono/26.26/26.68/0.9 giulia/26.68/27.18/0.9 sono/27.18/27.72/0.8"
    " le/27.72/27.86/0.7 tre/27.86/28.04/0.63 cizre/28.04/28.46/0.46 tu/28.46/28.68/0.13"
    " retro/28.68/29.08/0.3 allora/29.64/30.26/0.97"
)
COPIED_SPEECH = [(0.59, 3.54), (21.45, 22.45), (23.15, 24.66), (25.48, 26.9), (27.05, 27.25),
                 (27.56, 29.24), (29.87, 30.45)]  # fmt: skip


def test_a_copy_of_the_greeting_is_decoded_again_and_a_clean_second_decode_replaces_it():
    import numpy as np

    from redactor.lost_spans import copied_spans
    from redactor.redecode import redecode_loops
    from redactor.transcribe import SAMPLE_RATE

    clips = []

    def transcribe(clip):
        clips.append(len(clip) / SAMPLE_RATE)
        return words(
            "e/1.2/1.4/0.8 il/1.4/1.5/0.9 codice/1.5/1.9/0.9 di/1.9/2.0/0.9 sicurezza/2.0/2.6/0.9"
            " sono/3.0/3.3/0.9 le/3.3/3.4/0.9 tre/3.4/3.6/0.9 cifre/3.6/4.0/0.9 sul/4.0/4.2/0.9"
            " retro/4.2/4.6/0.9"
        )

    first = words(COPIED)
    [(s, e)] = copied_spans(normalize(first, "it"), "it")
    assert s == 24.52 and e >= 27.18
    audio = np.zeros(32 * SAMPLE_RATE, dtype=np.float32)
    again = redecode_loops(first, audio, 0, "it", COPIED_SPEECH, transcribe)
    texts = [w.text for w in again.words]
    assert again.fixed == 1 and len(clips) == 1 and again.unheard == []
    assert "sicurezza" in texts and texts.count("giulia") == 1  # the greeting's own stays

    # ... and a second decode that is guesses leaves the copy as it was, zeroed downstream
    def guesses(clip):
        return words("e/1.2/1.4/0.1 tu/1.4/1.5/0.2 e/1.9/2.0/0.3 me/2.0/2.6/0.2")

    again = redecode_loops(first, audio, 0, "it", COPIED_SPEECH, guesses)
    assert again.fixed == 0 and again.words == first


# it-s59-014 (8 kHz mono): "pronto, ufficio pagamenti, buongiorno" / "buongiorno, vorrei
# pagare una bolletta", the greeting written in halves and returned
HALVES = (
    "peront/0.0/0.94/0.08 un/0.94/1.22/0.27 ufficio/1.22/1.64/0.64 padamenti/1.64/2.32/0.41"
    " buon/2.32/2.64/0.7 giorno/2.64/2.9/0.8 buon/3.66/3.98/0.7 giorno/3.98/4.34/0.8"
    " buon/4.68/4.88/0.5 me/4.88/4.94/0.16 di/4.94/5.1/0.28 padare/5.1/5.44/0.59"
    " una/5.44/5.72/0.15 bonnetta/5.72/6.5/0.45"
)


def test_a_greeting_written_in_halves_and_returned_is_no_loop():
    from redactor.loops import loop_windows
    from redactor.repetitions import distrust_repetitions

    toks = normalize(words(HALVES), "it")
    assert loop_windows(toks) == []
    kept = distrust_repetitions(toks)
    assert [t.probability for t in kept if t.text == "giorno"] == [0.8, 0.8]
    # ... but said over and over, it is still a loop
    looped = HALVES.replace(
        " buon/4.68",
        " buon/4.4/4.5/0.7 giorno/4.5/4.6/0.7 buon/4.6/4.66/0.7 giorno/4.66/4.68/0.7 buon/4.68",
    )
    assert loop_windows(normalize(words(looped), "it"))
