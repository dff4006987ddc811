"""Listen again: re-transcribe around and between the redactions, extend, or refuse.

The audible regions around every redaction (``VERIFY_MARGIN`` seconds each side; a gap
between two close redactions is covered whole) are cut from the redacted audio - the
silenced parts themselves are left out, there is nothing to hear in them - joined with short
silences into one clip for all channels and transcribed in a single pass: one encoder window
for many short regions instead of one per region or per channel. Later rounds listen only
around the redactions the previous round added. A margin whose speech the first pass
already accounted for with confident, plausibly timed ordinary words
(``verify_trust_confidence``) is not listened to again: the cut edges, digits and
unexplained speech are what verification is for. Anything the recognizers or the
payment rules still find there is mapped back to the original time line, its speech region
is added to the redactions, and we listen again, up to ``MAX_ROUNDS`` times. If sensitive
content is still heard after that, :class:`~redactor.errors.NotCleanError` is raised: the
caller quarantines the recording and never writes it out as clean.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from redactor.align import Interval, merge_intervals, merge_spans, subtract_spans
from redactor.errors import NotCleanError
from redactor.failclosed import explains, numbers_in_payment
from redactor.lost_spans import looped_spans
from redactor.misheard import misheard_requests
from redactor.numbers import PAYMENT_RULE, WINDOW_SLACK, reference_numbers
from redactor.quantities import harmless_numbers
from redactor.recognizers.health import FUZZY_SCORE, TRIGGER_NAME
from redactor.silence import silence, silence_array
from redactor.spelling import normalize_spelling
from redactor.tokens import normalize
from redactor.transcribe import SAMPLE_RATE, TranscribeOptions, transcribe_channel
from redactor.unheard import PaymentWindow, _in_windows

__all__ = [
    "verify",
    "locate_heard",
    "heard_out_of_context",
    "window_regions",
    "VERIFY_MARGIN",
    "MAX_ROUNDS",
]

VERIFY_MARGIN = 1.5
VERIFY_REACH = 1.0  # how far around a finding heard again the redaction is extended
MAX_ROUNDS = 2
_GAP = 0.6  # silence between joined regions, seconds
_HEALTH_NEAR = VERIFY_MARGIN + VERIFY_REACH  # health talk a margin may belong to, seconds
_MIN_UNACCOUNTED = 0.2  # seconds of unexplained speech that make a margin worth re-hearing


def verify(redactor, original, redacted, analyses, intervals: list[Interval], windows=()):
    """Return (verification summary, final intervals, final audio)."""
    policy = redactor.policy
    if policy.verify == "off" or not intervals:
        return {"mode": policy.verify, "rounds": 0, "extended": 0}, intervals, redacted
    # Without word timestamps: a third cheaper, and a finding only needs locating to the
    # regions its segment overlaps; the extension below is generous to make up for it.
    opts = TranscribeOptions(**{**asdict(redactor.transcribe_options), "word_timestamps": False})
    extended = 0
    focus = intervals  # round 1 listens around every redaction, later rounds around the new
    known = _first_pass(analyses, policy, redactor.language)
    for round_no in range(1, MAX_ROUNDS + 2):
        new = _listen(redactor, analyses, intervals, opts, policy, list(windows), focus, known)
        if not new:
            return (
                {"mode": policy.verify, "rounds": round_no, "extended": extended, "clean": True},
                intervals,
                redacted,
            )
        if round_no > MAX_ROUNDS:
            kinds = sorted({iv.entity_type for iv in new})
            raise NotCleanError(
                f"verification still hears {', '.join(kinds)} after {MAX_ROUNDS} extensions"
            )
        extended += len(new)
        focus = new
        intervals = merge_intervals(intervals + new, policy.merge_gap)
        redacted = silence(original, intervals, policy)
    raise AssertionError("unreachable")  # pragma: no cover


def _first_pass(analyses, policy, language: str):
    """What the first pass heard surely, the same in every round: the spans of ordinary
    words that account for their speech, the quantities ("the 16 digits") as ``(start,
    end, digits)``, and the reference numbers it left audible, the same way."""
    sure = policy.verify_trust_confidence
    trusted = [(t.start, t.end) for a in analyses for t in a.tokens if explains(t, sure, language)]
    # ... and the breath of a payment request it misheard: the agent asking, which heard
    # again ("le 3 ci fè sul petro" for "le tre cifre sul retro") is no code either
    trusted = sorted(
        trusted
        + [
            (s, e)
            for a in analyses
            for *_k, s, e in misheard_requests(a.tokens, a.speech, language)
        ]
    )
    # every number the first pass judged harmless, however unsure it was of the digits:
    # heard again in the same place with the same digits, it is the same evidence with
    # less context ("sono le 4 crocizare sul fronte" (0.34), a count, heard again as "e 4"
    # silenced the agent's question; Italian seed 1, this machine)
    quantities = [
        (t.start, t.end, t.digits) for a in analyses for t in harmless_numbers(a.tokens, language)
    ]
    # ... and so is a reference number read out after its label, which the first pass left
    # audible whole (``numbers.reference_numbers``): one span with all its digits
    references = [
        (s, e, "".join(t.digits for t in a.tokens if s <= t.start and t.end <= e))
        for a in analyses
        for s, e in reference_numbers(a.tokens, language, a.speech)
    ]
    return trusted, quantities, references


def _listen(redactor, analyses, intervals, opts, policy, windows, focus, known) -> list[Interval]:
    """Transcribe the audible margins around ``focus`` - every channel's, joined into one
    clip, so a two-channel call costs one encoder pass, not two - and return what the
    recognizers and payment rules still find there, as new intervals (``known``: what
    :func:`_first_pass` heard surely)."""
    parts = []
    trusted, quantities, references = known
    for a in analyses:
        audio = a.audio16k.copy()
        for iv in intervals:
            silence_array(audio, SAMPLE_RATE, iv.start, iv.end)
        regions = _audible_margins(intervals, len(audio) / SAMPLE_RATE, focus)
        regions = [r for r in regions if _unaccounted(r, a.speech, trusted) >= _MIN_UNACCOUNTED]
        parts.append((a.channel, audio, regions))
    clip, offsets = _join(parts)
    if clip.size == 0:
        return []
    heard, segments = transcribe_channel(redactor.model, clip, -1, opts)
    if _looped(heard, redactor.language):
        heard, segments = _region_by_region(redactor.model, clip, offsets, opts)
    heard_in = {i: _regions_under(seg.start, seg.end, offsets) for i, seg in enumerate(segments)}
    heard = [_shift(w, offsets) for w in heard]
    new: list[Interval] = []
    allowed = set(policy.entities)
    health_near = [
        (iv.start - _HEALTH_NEAR, iv.end + _HEALTH_NEAR)
        for iv in intervals
        if iv.entity_type == "HEALTH"
    ]
    for a in analyses:
        words = sorted((w for w in heard if w.channel == a.channel), key=lambda w: w.start)
        tokens = normalize_spelling(normalize(words, redactor.language), redactor.language)
        findings = redactor.detector.detect(tokens, a.channel)
        findings += numbers_in_payment(tokens, a.channel, windows, redactor.language)
        for f in findings:
            if f.entity_type not in allowed or f.recognizer == TRIGGER_NAME:
                # a kept lead-in ("diagnosed with") next to a silenced term is not a leak
                continue
            regions = [
                r
                for tok in tokens[f.first : f.last + 1]
                if not _inside(tok.start, tok.end, intervals)
                for w in words[tok.first_word : tok.last_word + 1]
                for r in heard_in.get(w.segment, [(tok.start, tok.end)])
            ]
            regions = window_regions(f, regions, windows)
            digits = "".join(t.digits for t in tokens[f.first : f.last + 1])
            if not regions or heard_out_of_context(
                f, digits, regions, health_near, quantities, references
            ):
                continue
            for s, e in locate_heard(regions, a.speech):
                new.append(Interval(s, e, a.channel, f.entity_type, f.score,
                                    f"verify:{f.recognizer}"))  # fmt: skip
    return new


def window_regions(
    finding, regions: list[tuple[float, float]], windows: list[PaymentWindow]
) -> list[tuple[float, float]]:
    """The ``regions`` a finding heard again may have been said in, by what found it. A
    number the payment rules flag (``PaymentDialogueRule``: any number in a payment window)
    is one said in a window, so only a region reaching into one (give or take the rule's
    own slack) can hold it. Without word timestamps a finding's regions are every region its
    segment overlaps: "chiudiamo alle diciotto e trenta" heard again as "... e 30" just
    after an IBAN's window silenced the whole segment, from the VAT question 20 s before to
    the goodbye after (it-s30-036). A finding of a recognizer stands on its words alone and
    keeps every region."""
    if finding.recognizer != PAYMENT_RULE:
        return regions
    return [(s, e) for s, e in regions if _in_windows(s, e, windows, slack=WINDOW_SLACK)]


def heard_out_of_context(
    finding,
    digits: str,
    regions: list[tuple[float, float]],
    health_near: list[tuple[float, float]],
    quantities: list[tuple[float, float, str]],
    references: list[tuple[float, float, str]] = (),
) -> bool:
    """A finding of the verification pass, heard in ``regions`` (original time), that is
    the clip's ordinary speech heard out of context rather than something left audible:

    * a health term matched only approximately (no context phrase: the recognizer's
      ``FUZZY_SCORE``) with no health talk of the first pass near (``health_near``):
      "what is the best phone number" heard again as "the methone number", "what's the
      expiry date" as "the X-tyride date";
    * a number the first pass heard surely as a quantity there (``quantities``: start,
      end, digits), heard again without its unit: "the 16 digits on the front" as "the
      16-day", or, where it was said, some of its digits in their order: "il totale è
      di 49 euro" heard again as "di 4" (it-s54-022, session 29)."""

    def near(spans):
        return any(r0 < e and s < r1 for r0, r1 in regions for s, e in spans)

    if finding.entity_type == "HEALTH" and finding.score <= FUZZY_SCORE:
        return not near(health_near)
    if not digits:
        return False

    def part_of(numbers):  # some of a number's digits, heard where it was said
        return any(
            _within(digits, d)
            and s - REFERENCE_SLACK <= finding.start
            and finding.end <= e + REFERENCE_SLACK
            for s, e, d in numbers
        )

    return (
        near([(s, e) for s, e, d in quantities if d == digits])
        or part_of([q for q in quantities if len(q[2]) <= QUANTITY_DIGITS])
        or part_of([r for r in references if len(r[2]) > len(digits)])
    )


# a finding heard again lies this close to a reference number or a quantity (s), by its
# words' times
REFERENCE_SLACK = 1.0
# ... and some digits of a quantity heard again are the quantity when it is this short:
# a price, a count ("49 euro"), not a number as long as a detail
QUANTITY_DIGITS = 4


def _within(digits: str, reference: str) -> bool:
    """``digits`` are some of ``reference``'s, in its order: part of it heard again."""
    rest = iter(reference)
    return all(d in rest for d in digits)


def locate_heard(
    regions: list[tuple[float, float]], speech: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Where to extend the redaction for a finding heard again: every audible region its
    words' segments were heard in (original time), each with the voice activity that runs
    on from it, at most ``VERIFY_REACH`` s beyond it - not one span from its first token to
    its last. Without word timestamps the verification pass only knows a word's segment,
    and one "number" may string together digits heard in regions 40 s apart: silencing
    everything in between once silenced a whole call, while a position guessed inside the
    segment once missed the digit that was still audible."""
    spans = []
    for r0, r1 in regions:
        spans.append((r0, r1))
        spans += [
            (max(s, r0 - VERIFY_REACH), min(e, r1 + VERIFY_REACH))
            for s, e in speech
            if s < r1 + VERIFY_REACH and e > r0 - VERIFY_REACH
        ]
    return merge_spans([(max(0.0, s), e) for s, e in spans if e > s], gap=0.0)


def _regions_under(c0: float, c1: float, offsets, slack: float = 0.2) -> list[tuple[float, float]]:
    """The joined regions (original time) a segment of the clip from ``c0`` to ``c1`` s
    overlaps (give or take ``slack``): what it can have heard. A segment past the clip's
    end heard the last one."""
    out = [
        (orig, orig + (e - s))
        for s, e, orig, _channel in offsets
        if s < c1 + slack and e > c0 - slack
    ]
    if not out and offsets:
        s, e, orig, _channel = offsets[-1]
        out = [(orig, orig + (e - s))]
    return out


def _audible_margins(
    intervals: list[Interval], duration: float, focus: list[Interval] | None = None
) -> list[tuple[float, float]]:
    """The unsilenced audio within VERIFY_MARGIN of any redaction in ``focus`` (default:
    all of them)."""
    silenced = merge_spans([(iv.start, iv.end) for iv in intervals], gap=0.0)
    centres = silenced if focus is None else [(iv.start, iv.end) for iv in focus]
    around = merge_spans(
        [(max(0.0, s - VERIFY_MARGIN), min(duration, e + VERIFY_MARGIN)) for s, e in centres],
        gap=0.0,
    )
    return subtract_spans(around, silenced, min_len=0.05)


def _unaccounted(
    region: tuple[float, float],
    speech: list[tuple[float, float]],
    trusted: list[tuple[float, float]],
) -> float:
    """Seconds of speech in ``region`` that no trusted first-pass word accounts for: what is
    worth listening to again. Speech the first pass heard as confident ordinary words is not
    going to turn into a card number because its neighbour went silent."""
    a, b = region
    heard = [(max(s, a), min(e, b)) for s, e in speech if min(e, b) > max(s, a)]
    return sum(e - s for s, e in subtract_spans(heard, trusted, min_len=0.0))


def _inside(s: float, e: float, intervals: list[Interval], tolerance: float = 0.1) -> bool:
    return any(iv.start - tolerance <= s and e <= iv.end + tolerance for iv in intervals)


def _join(parts):
    """One clip of every ``(channel, audio, regions)`` part's regions, with short silences
    between them, and the offsets that map clip time back: ``(clip start, clip end,
    original start, channel)``."""
    pieces, offsets, t = [], [], 0.0
    gap = np.zeros(int(_GAP * SAMPLE_RATE), dtype=np.float32)
    for channel, audio, regions in parts:
        for s, e in regions:
            seg = audio[int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)]
            if seg.size == 0:
                continue
            offsets.append((t, t + seg.size / SAMPLE_RATE, s, channel))
            pieces += [seg, gap]
            t += seg.size / SAMPLE_RATE + _GAP
    if not pieces:
        return np.zeros(0, dtype=np.float32), []
    return np.concatenate(pieces).astype(np.float32), offsets


def _looped(words, language: str) -> bool:
    """The clip's decode looped (:func:`redactor.lost_spans.looped_spans`): "100." written
    29 times, a second apart, over a clip of margins joined with silences. A loop is the
    recogniser lost, not speech heard: taken as a card number, it silenced every margin
    the clip was made of, the agent's questions and "ci sono 2 articoli nel carrello"
    among them (it-s62-004, session 45)."""
    return bool(looped_spans(normalize(words, language)))


def _region_by_region(model, clip: np.ndarray, offsets, opts):
    """Each joined region of ``clip`` decoded on its own, the words and segments on the
    clip's time line (segments numbered across all of them): a looped decode of the whole
    clip heard none of them, and each region may still hold what verification is for."""
    from redactor.transcribe import Segment, Word

    words, segments = [], []
    for c0, c1, _orig, _channel in offsets:
        part = clip[int(c0 * SAMPLE_RATE) : int(c1 * SAMPLE_RATE)]
        heard, segs = transcribe_channel(model, part, -1, opts)
        n = len(segments)
        segments += [Segment(g.text, g.start + c0, g.end + c0, g.channel, g.avg_logprob,
                             g.no_speech_prob) for g in segs]  # fmt: skip
        words += [Word(w.text, w.start + c0, w.end + c0, w.probability, w.channel,
                       w.segment + n) for w in heard]  # fmt: skip
    return words, segments


def _shift(word, offsets):
    """A word of the joined clip on its channel's original time line."""
    from redactor.transcribe import Word

    for c0, c1, orig, channel in offsets:
        if word.start < c1 + _GAP / 2:
            start = orig + max(0.0, word.start - c0)
            end = orig + max(0.0, min(word.end, c1) - c0)
            return Word(word.text, start, max(start, end), word.probability, channel,
                        word.segment)  # fmt: skip
    c0, c1, orig, channel = offsets[-1]
    return Word(word.text, orig + word.start - c0, orig + word.end - c0, word.probability,
                channel, word.segment)  # fmt: skip
