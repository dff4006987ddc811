"""Regression tests for four English leaks on two fresh corpora (seeds 61 and 62, session
45): a lead word stamped late over a card's first digit, a syllable of a misheard expiry
heard as a sure "i", a dose heard as "and remorning", and a card's first digit heard as
"time". Each is reduced to the recogniser's measured words."""

from __future__ import annotations

from redactor.align import finding_interval
from redactor.detect import Finding
from redactor.finding_spans import soundalike_heads
from redactor.health_mentions import expand_health
from redactor.stamps import runs_in_late
from redactor.tokens import normalize
from tests.fixtures.plan import cut_seconds, silenced_channels
from tests.fixtures.tokens import words


def _finding(toks, entity, first, last, recognizer="SpokenCardRecognizer"):
    text = " ".join(t.text for t in toks[first : last + 1])
    return Finding(entity, 0.9, recognizer, toks[first].channel, first, last,
                   toks[first].start, toks[last].end, text)  # fmt: skip


# en-s61-010 (8 kHz u-law, two channels): "yes it's" 7.63-8.16 s, then the card's "6"
# 8.48-9.03 s; the caller's channel stamped "it's" 8.22-8.92 s (0.93), from the pause
# into the digit's voice activity
AGENT = (
    "can/5.08/5.20/0.97 i/5.20/5.44/0.99 take/5.44/5.60/0.98 the/5.60/5.78/0.66"
    " long/5.78/6.06/0.91 card/6.06/6.32/0.93 number/6.32/6.66/0.99 please/6.66/7.44/0.82"
)
CALLER = (
    "yes/7.78/7.94/0.74 it's/8.22/8.92/0.93 6/8.92/9.26/0.35 0/9.26/10.02/0.48"
    " 1/10.02/10.64/0.93 1/10.64/11.50/0.74 9/11.50/12.12/0.98 0/12.12/12.80/0.96"
    " 9/12.80/13.46/0.94 3/13.46/14.04/0.98"
)


def test_a_word_stamped_from_a_pause_into_the_next_speech_explains_none_of_it():
    speech = [(7.628, 8.116), (8.588, 8.98), (9.1, 11.092)]
    assert runs_in_late(8.22, 8.92, speech)
    # ... but a word whose soft onset voice activity missed by a little does
    assert not runs_in_late(8.45, 8.92, speech)
    assert not runs_in_late(8.6, 8.92, speech)  # ... nor one said inside the speech
    # ... nor one stamped from the end of the word before it (the next breath's first
    # word, stamped early), nor one whose region the next word is not in ("allora" before
    # a code said after the next pause, it-s62-015)
    assert not runs_in_late(8.22, 8.92, speech, prev_end=8.2)
    assert runs_in_late(8.22, 8.92, speech, prev_end=7.94, next_start=8.92)
    assert not runs_in_late(29.64, 30.6, [(30.22, 30.772), (30.988, 32.3)], 29.0, 31.04)


def test_the_first_digit_after_a_lead_word_stamped_late_is_silenced():
    agent = normalize(words(AGENT, 0), "en")
    caller = normalize(words(CALLER, 1), "en")
    card = _finding(caller, "CREDIT_CARD", 2, len(caller) - 1)
    cut = silenced_channels(
        [
            (agent, [(5.004, 7.092)]),
            (caller, [(7.628, 8.116), (8.588, 8.98), (9.1, 14.1)], [card]),
        ],
        language="en",
    )
    assert cut_seconds(cut, 8.48, 9.03) >= 0.8 * 0.55  # the 6: a fifth audible leaks
    assert cut_seconds(cut, 7.63, 8.0) == 0.0  # "yes it's" stays


# en-s61-032 (mono): "and the expiry date" heard "and the x i r e v8", then "july twenty
# twenty eight" (31.83-33.50 s) heard "do (0.12) i (0.92) 20 28"
EXPIRY = (
    "and/29.88/30.34/0.40 the/30.34/30.50/0.74 x/30.50/30.68/0.10 i/30.68/30.84/0.08"
    " r/30.84/30.92/0.29 e/30.92/31.02/0.79 v8/31.02/31.84/0.43 do/31.84/32.08/0.12"
    " i/32.08/32.30/0.92 20/32.30/32.76/0.39 28/32.76/33.44/0.39"
)


def _start_of(spec: str, language: str, k: int, entity: str) -> float:
    """Where the span of a finding of word ``k`` alone starts (padded 0.15 s)."""
    toks = normalize(words(spec), language)
    start, _end = finding_interval(_finding(toks, entity, k, k), toks, {k}, 0.6, 0.15, 0.2)
    return start


def test_a_short_sure_word_between_a_guess_and_the_digits_does_not_bound_them():
    toks = normalize(words(EXPIRY), "en")
    first = next(k for k, t in enumerate(toks) if t.text == "20")
    expiry = _finding(toks, "CARD_SECURITY_CODE", first, first + 1, "SecurityCodeRecognizer")
    start, _end = finding_interval(expiry, toks, {first, first + 1}, 0.6, 0.15, 0.2)
    assert start <= 31.83  # "july" is silenced from its start
    # ... from where the guessed stretch starts: not back over the pause before it
    after_pause = "code/29.0/29.5/0.99 do/31.0/31.3/0.12 i/31.3/31.5/0.92 20/31.5/32.0/0.4"
    assert 30.8 <= _start_of(after_pause, "en", 3, "CARD_SECURITY_CODE") <= 31.0
    # ... but before a health term such a word is its article, and bounds it (it-s0-005:
    # "diagnosticato un'insufficienza" heard "fichato (0.39) un (0.94) intufficienza")
    article = (
        "mi/16.68/16.92/0.0 fichato/17.34/17.96/0.39 un/17.96/18.26/0.94"
        " intufficienza/18.26/19.0/0.54"
    )
    assert _start_of(article, "it", 3, "HEALTH") >= 18.0
    # ... and a short word after a pause still bounds a number
    spaced = normalize(words(EXPIRY.replace("i/32.08/32.30", "i/32.20/32.30")), "en")
    start, _end = finding_interval(expiry, spaced, {first, first + 1}, 0.6, 0.15, 0.2)
    assert start >= 32.0


def test_a_dose_heard_with_a_syllable_glued_on_is_part_of_the_mention():
    # en-s62-001: "I take insulin every morning" heard "i pay insulin and remorning"
    toks = normalize(
        words("i/14.88/14.88/0.92 pay/14.88/15.28/0.91 insulin/15.30/15.80/0.94"
              " and/15.80/16.08/0.95 remorning/16.08/17.18/0.96"),
        "en",
    )  # fmt: skip
    term = _finding(toks, "HEALTH", 2, 2, "HealthRecognizer")
    (mention,) = expand_health(toks, [term], "en")
    assert mention.last == 4 and mention.end == 17.18
    # ... but "and" before an ordinary word starts a new clause
    toks = normalize(
        words("insulin/15.30/15.80/0.94 and/15.80/16.08/0.95 thanks/16.08/16.60/0.96"), "en"
    )
    (mention,) = expand_health(toks, [_finding(toks, "HEALTH", 0, 0)], "en")
    assert mention.last == 0


def test_a_word_that_sounds_like_a_digit_run_into_a_card_is_its_first_digit():
    # en-s62-001: "yes it's five one seven ..." heard "it's time (0.96) 1 m2 4 ..."
    toks = normalize(
        words("it's/20.22/20.58/0.93 time/20.58/20.98/0.96 1/20.98/21.68/0.49"
              " 4/22.92/23.40/0.86 2/23.44/23.92/0.98"),
        "en",
    )  # fmt: skip
    card = _finding(toks, "CREDIT_CARD", 2, 4)
    (head,) = soundalike_heads([card], toks, "en")
    assert head.first == 1 and head.start == 20.58
    # ... not after a pause, nor a word the caller names the detail with
    spaced = normalize(words("time/20.58/20.80/0.96 1/20.98/21.68/0.49 4/22.92/23.4/0.9"), "en")
    assert soundalike_heads([_finding(spaced, "CREDIT_CARD", 1, 2)], spaced, "en")[0].first == 1
    assert soundalike_heads([card], toks, "en", keep={1})[0].first == 2
