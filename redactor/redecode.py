"""Decoding loops, decoded again: a second look at the stretch where the recogniser looped.

Whisper sometimes loops on call audio: "3 3 3 3 ..." or "m m m ..." written at probability
0 over ten seconds of speech ("thank you, the payment has gone through, your order number is
4 6 5 3 3 7, thank you for calling"). The fail-closed rules must then treat the whole
stretch as unheard payment talk and silence it, which was the largest single cost on some
calls (two thirds of one call's ordinary speech). Decoded on its own, from a pause before the
loop to the end of it, the same audio usually comes out clean: the loop came from the
context of the 30 s window, not from the speech.

So each looped stretch is transcribed once more. Only a clean second decode replaces the
words of the first: one that loops again, or whose words are mostly guesses, leaves the
first decode, and with it the loop window and everything the fail-closed rules do with it,
in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from redactor.alphabet import LETTER_NAMES, SPELLING_ALPHABET, spelling_link
from redactor.lost_spans import copied_spans, looped_spans
from redactor.spans import merge_spans
from redactor.spelling import normalize_spelling
from redactor.tokens import Token, normalize
from redactor.transcribe import SAMPLE_RATE, Word

__all__ = [
    "AGAIN_BEAM",
    "AGAIN_NO_REPEAT",
    "BEAM_LANGUAGES",
    "Redecoded",
    "redecode_loops",
    "redecode_spans",
    "surer_decode",
]

# a second decode whose words are mostly guesses is no better than the loop: base decoded
# "tre due zero" once more as "e tu e me lo" at 0.1-0.36, and the security code leaked
MIN_MEDIAN_PROBABILITY = 0.5
# a second decode may loop again over this share of its clip at most: decoded whole, a call
# base had looped on from its greeting on came back clean but for "ci come come come" in a
# codice fiscale heard as guesses (it-s0-021), and its loop is judged as a loop again
# downstream, where the first decode's loop silenced the whole call
MAX_LOOP_SHARE = 0.25
# a region shorter than this is not decoded alone: whisper hallucinates on a clip of one
# word ("Thank you." for a digit), and an unheard short region stays silenced in a payment
# dialogue anyway
MIN_REGION_SECONDS = 1.0
# languages whose loops and dropouts are decoded region by region when decoding them whole
# failed. For Italian, base heard the regions of one read-back as junk it was sure enough
# of ("L'ho me tu e tu e tu") and, taken, a region of a spelled fiscal code ("e le come
# limono 4 2 e 4", median 0.66): its regions are taken only by the stricter test of
# :data:`STRICT_REGIONS`, and a region not taken stays judged as unheard (see
# :func:`redecode_spans`)
REGION_LANGUAGES = frozenset({"en", "it"})
# languages whose regions must be plain talk to be taken: no digit, no spelled letter, no
# "come" of a spelling, no word written twice in a row, and a median probability of
# :data:`STRICT_MEDIAN` or more
STRICT_REGIONS = frozenset({"it"})
STRICT_MEDIAN = 0.6
# ... and whose stretch decoded whole is taken with a median of this or more, no loop in it,
# though its words are mostly guesses, the stretch still judged as a loop is (a payment
# window over it, :attr:`Redecoded.unheard`): base looped over a payment on narrowband
# audio ("il problema è tutto" 30 times at probability 0, one word of 222 characters) and
# its second decode ("la scamenza? ... il cavico di sicurezza, le tre ci sono ... il
# campamento mandato a montire", median 0.34 to 0.43) was dropped for the loop, which
# silenced half of each call (it-s48-029, it-s48-032, session 28). Guesses explain no
# speech inside the window, and the cues and numbers heard are judged as anywhere else.
# Only with GUESSED_SURE words or more heard at 0.8 or more (8 and 10 there): "e tu e me
# lo" (0.1 to 0.36) for a looped security code is no better than the loop (it-s0-002)
GUESSED_MEDIAN = 0.3
GUESSED_SURE = 3
# the second decode repeats no sequence of this many tokens (faster-whisper's
# ``no_repeat_ngram_size``): decoded again as before, a loop over the end of a read-back
# came back a loop ("7, 9, 7, 6, 7, 7, 7, ..." for "... 7 6 7 7, perfetto, pagamento
# registrato, il numero d'ordine è 1 9 9 8"); barred from repeating itself, the same clip
# came back "per setto andamento che vi stavano, il numero 4 di me è 1, 9, 9 e 8"
AGAIN_NO_REPEAT = 3
# ... and the clip is decoded with beam search of this width too, the surer decode taken
# (:func:`surer_decode`). Greedy decoding lost its way again on the clips of 8 kHz calls
# where it had lost it first: Italian seed 61 went from 12.5% to 10.4% over-redaction with
# beam search taken where it was surer (it-s61-021 28% to 11%, -029 37% to 15%), no unit
# leaked. Taken on its median alone, a beam decode that heard less of a clip came back
# sure, what it left out was judged as a dropout, and a fiscal code's letter leaked
# (it-s0-001, session 45); it must cover :data:`BEAM_COVERAGE` of the greedy decode's time
AGAIN_BEAM = 5
BEAM_COVERAGE = 0.8
# ... in these languages
BEAM_LANGUAGES = frozenset({"it"})
# the second decode starts this far before the loop: a loop sets in a few words after the
# recogniser lost its way
REACH_BACK = 2.0


def surer_decode(greedy: list[Word], searched: list[Word]) -> list[Word]:
    """Of a clip's greedy decode and its beam-search decode, the surer: the beam search's
    words when their median probability is at least the greedy decode's and they are
    stamped over :data:`BEAM_COVERAGE` of the time the greedy decode's words are or more
    (a decode that hears less of a clip is no better for being sure of it)."""
    if not searched or not greedy:
        return searched or greedy
    if _median([w.probability for w in searched]) < _median([w.probability for w in greedy]):
        return greedy
    return searched if _stamped(searched) >= BEAM_COVERAGE * _stamped(greedy) else greedy


def _stamped(words: list[Word]) -> float:
    """How many seconds ``words`` are stamped over, overlaps counted once."""
    return sum(e - s for s, e in merge_spans([(w.start, w.end) for w in words], 0.0))


def _tokens(words: list[Word], language: str) -> list[Token]:
    return normalize_spelling(normalize(words, language), language)


def _edge(t: float, speech: list[tuple[float, float]], side: int) -> float:
    """``t`` moved to the start (side 0) or end (side 1) of the voice-activity region it
    falls in: a clip cut mid-word decodes that word wrongly."""
    for s, e in speech:
        if s <= t <= e:
            return (s, e)[side]
    return t


def redecode_loops(
    words: list[Word],
    audio16k: np.ndarray,
    channel: int,
    language: str,
    speech: list[tuple[float, float]],
    transcribe: Callable[[np.ndarray], list[Word]],
) -> Redecoded:
    """``words`` with each looped stretch replaced by a clean second decode of its audio
    (``transcribe(clip)``, words timed from the clip's start): see :func:`redecode_spans`;
    and each copy (:func:`copied_spans`) replaced by a second decode of its audio when
    that decode is clean (:func:`_decode_span`, a median probability of
    :data:`MIN_MEDIAN_PROBABILITY` or more, no loop). A copy is no loop: it opens no
    payment window, so one that stays is left as it was, zeroed downstream. Base wrote
    the call's greeting again over the agent asking for the security code, and the
    unexplained request and answer under it were silenced in the dialogue around them."""
    tokens = _tokens(words, language)
    spans = looped_spans(tokens)
    again = redecode_spans(words, audio16k, channel, language, speech, transcribe, spans)
    words, fixed = again.words, again.fixed
    for s, e in copied_spans(tokens, language):
        if any(a < e and s < b for a, b in spans):
            continue
        clean = _decode_span(words, audio16k, channel, language, speech, transcribe, s, e)
        if clean is not None:
            words, fixed = clean, fixed + 1
    return replace(again, words=words, fixed=fixed)


@dataclass(frozen=True)
class Redecoded:
    """One channel's words after its second decodes.

    ``unheard`` holds the voice-activity regions of a stretch that was taken region by
    region but whose own second decode was not: their first words, if any, are kept at
    probability 0, and they are to be judged as a loop is (unheard, in a payment
    dialogue), since the rules that would have done so no longer see a loop or a gap
    there once the regions around them were heard; and a stretch decoded again whole as
    guesses (:data:`GUESSED_MEDIAN`), whose words are kept as heard."""

    words: list[Word]
    fixed: int = 0
    unheard: list[tuple[float, float]] = field(default_factory=list)


def redecode_spans(
    words: list[Word],
    audio16k: np.ndarray,
    channel: int,
    language: str,
    speech: list[tuple[float, float]],
    transcribe: Callable[[np.ndarray], list[Word]],
    spans: list[tuple[float, float]],
    judged: Callable[[float, float], bool] | None = None,
) -> Redecoded:
    """``words`` of one channel with each stretch in ``spans`` (a loop, a dropout) replaced
    by a clean second decode of its audio, how many were replaced, and what stayed unheard.
    A stretch no better decoded whole is decoded region by region
    (:func:`_decode_regions`). In the languages of :data:`STRICT_REGIONS`, the regions
    left unheard are reported (their first words set to probability 0) where the
    fail-closed rules judged the stretch as unheard before (``judged(start, end)``; every
    loop is, a dropout only as :func:`redactor.dropouts.dropout_windows` finds it). English
    keeps its measured behaviour: tiny.en dropped 13 s after "may 2026", its regions gave
    back the security-code question and the closing, and the order number after them,
    reported unheard, was silenced (en-s1-038: 6.7% to 38.8%). In those languages a
    stretch decoded whole as guesses among a few sure words (:data:`GUESSED_MEDIAN`) is
    taken too, and reported unheard whole where it was judged so."""
    fixed, unheard = 0, []
    for s, e in spans:
        least = GUESSED_MEDIAN if language in STRICT_REGIONS else MIN_MEDIAN_PROBABILITY
        again = _decode_span(words, audio16k, channel, language, speech, transcribe, s, e,
                             least=least)  # fmt: skip
        added = _added(again, words)
        if again is not None and _median(added) < MIN_MEDIAN_PROBABILITY:
            again, added = _later_start(
                words, audio16k, channel, language, speech, transcribe, s, e, least, again, added
            )
        if again is not None and _median(added) < MIN_MEDIAN_PROBABILITY:
            # guessed: taken with enough sure words, and judged as the loop (or the
            # dropout) was
            if sum(p >= 0.8 for p in added) < GUESSED_SURE:
                again = None
            elif judged is None or judged(s, e):
                unheard.append((s, e))
        if again is None and language in REGION_LANGUAGES:
            again, missed = _decode_regions(
                words, audio16k, channel, language, speech, transcribe, s, e
            )
            if (
                again is not None
                and language in STRICT_REGIONS
                and (judged is None or judged(s, e))
            ):
                unheard += missed
                again = _unheard(again, missed)
        if again is not None:
            words, fixed = again, fixed + 1
    return Redecoded(words, fixed, unheard)


def _later_start(words, audio16k, channel, language, speech, transcribe, s, e, least, again,
                 added):  # fmt: skip
    """``again`` (a second decode of ``s``..``e`` from the pause before it, mostly guesses,
    its new words' probabilities ``added``), or the stretch decoded from its own first
    voice-activity region instead, when that comes out surer. The words before a stretch
    can lead the decoder astray again: base decoded 40.3-67 s of it-s61-024 (8 kHz) as
    "CQS ... P E P E T E ... N N N E P" (median 0.37), and from 44.9 s, where the
    stretch's speech starts, as the read-back's digits, the closing and the order number
    (median 0.47; session 44)."""
    first = next((a for a, _b in speech if s <= a < e), None)
    if first is None or abs(_clip_start(first, speech, 0.0) - _clip_start(s, speech)) < 0.05:
        return again, added  # the stretch's speech starts where the first clip did
    later = _decode_span(words, audio16k, channel, language, speech, transcribe, first, e,
                         reach=0.0, least=least)  # fmt: skip
    if later is None:
        return again, added
    new = _added(later, words)
    return (later, new) if _median(new) > _median(added) else (again, added)


def _added(again: list[Word] | None, words: list[Word]) -> list[float]:
    """The probabilities of the words a second decode ``again`` added to ``words``."""
    return [w.probability for w in set(again or ()) - set(words)]


def _median(probabilities: list[float]) -> float:
    """Their median, 0 for none."""
    return float(np.median(probabilities or [0.0]))


def _clip_start(s: float, speech: list[tuple[float, float]], reach: float = REACH_BACK) -> float:
    """Where a second decode of a stretch from ``s`` starts its clip: ``reach`` s before
    ``s``, moved back to the start of the voice-activity region it falls in, less 0.1 s
    (shared by :func:`_decode_span` and :func:`_later_start`, which must agree)."""
    return max(0.0, _edge(max(0.0, s - reach), speech, 0) - 0.1)


def _decode_regions(words, audio16k, channel, language, speech, transcribe, s, e):
    """``words`` with each voice-activity region inside ``s``..``e`` decoded on its own,
    where the stretch decoded whole was no better: a region's words replace the first
    decode's only when they are clean (see :func:`_decode_span`). tiny.en wrote nothing
    for 13 s after "may 2026" and decoded the stretch again as "1. 26. 1. 2. 0. 0. 0. ..."
    (median 0.4); region by region it heard "what's the security code", "thank you the
    payment has gone through", "your order number is". None if no region came out clean;
    else the words and the regions that did not.

    Only for the languages in :data:`REGION_LANGUAGES`."""
    out, fixed, missed = words, 0, []
    for a, b in speech:
        if not s <= (a + b) / 2 < e:
            continue
        again = None
        if b - a >= MIN_REGION_SECONDS:
            again = _decode_span(out, audio16k, channel, language, [(a, b)], transcribe, a, b, 0.0)
            if again is not None and language in STRICT_REGIONS:
                again = again if _plain_talk(again, out, language) else None
        if again is None:
            missed.append((a, b))
        else:
            out, fixed = again, fixed + 1
    return (out, missed) if fixed else (None, [])


def _unheard(words: list[Word], regions: list[tuple[float, float]]) -> list[Word]:
    """``words`` with those said in ``regions`` set to probability 0."""
    return [
        replace(w, probability=0.0) if any(a <= (w.start + w.end) / 2 < b for a, b in regions)
        else w
        for w in words
    ]  # fmt: skip


def _plain_talk(again: list[Word], before: list[Word], language: str) -> bool:
    """Whether the words a region's second decode added (``again`` less ``before``) are
    plain talk by :data:`STRICT_REGIONS`' test: a region of a code or a card heard as
    words must not explain its own speech away."""
    new = [w for w in again if w not in before]
    if not new or float(np.median([w.probability for w in new])) < STRICT_MEDIAN:
        return False
    plain = normalize(new, language)
    spelled = normalize_spelling(plain, language)
    texts = [t.text for t in plain]
    return (
        len(spelled) == len(plain)
        and not any(t.is_number or any(ch.isdigit() for ch in t.text) for t in plain)
        and not any(x == y for x, y in zip(texts, texts[1:], strict=False))
        and not any(_spells(x, language) for x in texts)
    )


# single letters that are words in their own right (and the "l" of "l'ho"), not spellings
_WORD_LETTERS = frozenset("eèaoildc")


def _spells(text: str, language: str) -> bool:
    """Whether a word is part of a spelling: a letter alone, a letter's name longer than a
    syllable ("effe", "erre"), a word of the spelling alphabet, or the "come" linking them."""
    if len(text) == 1:
        return text not in _WORD_LETTERS
    names = LETTER_NAMES.get(language, {})
    return (
        (text in names and len(text) > 2)
        or text in SPELLING_ALPHABET.get(language, ())
        or text == spelling_link(language)
    )


def _decode_span(
    words, audio16k, channel, language, speech, transcribe, s, e, reach=REACH_BACK,
    least=MIN_MEDIAN_PROBABILITY,
):  # fmt: skip
    """``words`` with the speech from a pause ``reach`` s before ``s`` to the end of ``e``'s
    region decoded again, or None when the second decode is no better (it loops over more
    than :data:`MAX_LOOP_SHARE` of the clip, heard nothing, or its words are mostly
    guesses: a median probability under ``least``)."""
    total = len(audio16k) / SAMPLE_RATE
    a = _clip_start(s, speech, reach)
    b = min(total, _edge(e, speech, 1) + 0.2)
    if b - a < 0.5:
        return None
    clip = audio16k[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)]
    again = [
        replace(w, start=w.start + a, end=w.end + a, channel=channel, segment=w.segment + 10_000)
        for w in transcribe(clip)
    ]
    if (
        not again
        or sum(y - x for x, y in looped_spans(_tokens(again, language), glued=False))
        > MAX_LOOP_SHARE * (b - a)
        or float(np.median([w.probability for w in again])) < least
    ):
        return None
    kept = [w for w in words if not a <= (w.start + w.end) / 2 < b]
    return sorted(kept + again, key=lambda w: (w.start, w.end))
