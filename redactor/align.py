"""Map findings to audio intervals, pad them and merge neighbours.

Word timestamps of digit runs cannot be trusted: a card read from 14.5 s may come back as
one token stamped at 21.8 s. So a finding's interval is not its own timestamps but the gap
between its *anchors* - the nearest trusted, non-sensitive words before and after it on the
same channel - intersected with that channel's voice activity. Everything in that gap is
either silence or speech that only untrusted or sensitive words claim, so silencing all of it
is the fail-closed choice, and it costs nothing where there is no speech.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from redactor.detect import Finding
from redactor.lead_tails import lead_tail
from redactor.spans import merge_spans, subtract_spans
from redactor.stamps import GLUED
from redactor.tokens import Token
from redactor.unheard import (  # noqa: F401 - crosses_pause, filled_regions re-exported
    crosses_pause,
    explains,
    filled_regions,
    plausible_length,
    stamped_late,
    trusted,
)

__all__ = [
    "Interval",
    "finding_interval",
    "merge_intervals",
    "soft_onsets",
    "clip_to_speech",
    "subtract_explained",
    "speech_cores",
    "subtract_spans",
    "merge_spans",
    "crosses_pause",
    "filled_regions",
    "explained_elsewhere",
    "until_next_turn",
    "since_last_turn",
    "bridge_gaps",
    "short_code_breaths",
]


@dataclass(frozen=True)
class Interval:
    """A span of audio to silence, in seconds, with why."""

    start: float
    end: float
    channel: int  # the channel the finding came from
    entity_type: str
    score: float
    recognizer: str


# how far an anchor may be from a finding's own timestamps, seconds
MAX_REACH = 20.0


def finding_interval(
    finding: Finding,
    tokens: list[Token],
    sensitive: set[int],
    min_probability: float,
    pad_before: float,
    pad_after: float,
    max_reach: float = MAX_REACH,
    speech: list[tuple[float, float]] | None = None,
    anchors: set[int] = frozenset(),
    language: str = "en",
) -> tuple[float, float]:
    """The anchored time span of ``finding`` (before intersecting with speech).

    ``sensitive`` holds the indices of tokens that belong to any finding: they cannot anchor.
    ``max_reach`` bounds how far an anchor may be from the finding's own timestamps.
    With ``speech`` (the channel's voice activity), an anchor word stamped across a pause
    counts only up to the end of the region it starts in (a following anchor: from the
    start of the region it ends in): Whisper stretched "it's" from 8.50 to 9.30 s over the
    first card digit at 9.03 s, and the digit leaked at the edge. An anchor that starts in
    a pause was stamped late (one that ends in a pause, early): it counts only up to the
    start of the speech it runs into (from the end of the speech it reaches back over).
    """
    lo, hi = finding.start, finding.end
    prev_end = None
    # a number's first digits misheard may be written as a guess and a short word
    numeric = tokens[finding.first].is_number
    for k in range(finding.first - 1, -1, -1):
        tok = tokens[k]
        if numeric and k not in anchors and _short_in_guesses(tokens, k, min_probability):
            # ... the guessed stretch it is a syllable of starts where its first word does
            prev_end = tokens[_guess_start(tokens, k, min_probability, sensitive | anchors)].start
            break
        if k not in sensitive and (trusted(tok, min_probability) or k in anchors):
            prev_end = tok.end
            if not trusted(tok, min_probability):
                # an unsure anchor (a request word) may be stamped on over the answer's
                # first digit: it counts for no longer than the word takes to say
                prev_end = min(tok.end, tok.start + plausible_length(0, len(tok.text)))
            if speech:
                prev_end = min(
                    (e for s, e in speech if s <= tok.start < e and e < tok.end),
                    default=prev_end,
                )
                if not any(s <= tok.start < e for s, e in speech):
                    # stamped late: it starts in a pause and runs into the next speech,
                    # which may be the finding's first digit ("yes, it's" then "4 6 0",
                    # "it's" stamped over the 4)
                    prev_end = min((s for s, e in speech if tok.start < s < tok.end),
                                   default=prev_end)  # fmt: skip
                # a caller's answer lead stamped short of its breath ("allora" before a
                # code): the rest of the breath is the word's, not the finding's
                tail = lead_tail(tokens, k, speech, language)
                if tail is not None and tail[1] <= lo:
                    prev_end = max(prev_end, tail[1])
            break
    next_start = None
    after = finding.last + 1
    if after < len(tokens) and _digit_tail(tokens, finding.last):
        after += 1  # the last digit's own end, not an anchor
    for k in range(after, len(tokens)):
        tok = tokens[k]
        if k not in sensitive and (trusted(tok, min_probability) or k in anchors):
            next_start = tok.start
            if not trusted(tok, min_probability):
                # ... and one may be stamped from back over the finding's last digit
                next_start = max(tok.start, tok.end - plausible_length(0, len(tok.text)))
            late = stamped_late(tokens, k, speech or [], language)
            if late is not None and all(not (s <= hi < e) or e < late for s, e in speech):
                # said before its stamp, in speech of its own after the finding's: the
                # span stops where it starts (no padding into the word)
                next_start = late - pad_after
            elif speech:
                next_start = max(
                    (s for s, e in speech if s < tok.end <= e and s > tok.start),
                    default=next_start,
                )
                if not any(s < tok.end <= e for s, e in speech):
                    # stamped early: it ends in a pause, reaching back over the speech
                    # before it, which may be the finding's last digit
                    next_start = max((e for s, e in speech if tok.start < e < tok.end),
                                     default=next_start)  # fmt: skip
            break
    # anchors' own edges are only good to ~0.2 s: the padding reaches into them
    start = lo - max_reach if prev_end is None else max(min(prev_end, lo), lo - max_reach)
    end = hi + max_reach if next_start is None else min(max(next_start, hi), hi + max_reach)
    return max(0.0, min(start, lo) - pad_before), max(end, hi) + pad_after


# words this short, written with no pause (stamps.GLUED) between a guess and the next word,
# are a syllable of what was guessed ("do i" for "july")
SHORT_GLUED_LETTERS = 2


def _short_in_guesses(tokens: list[Token], k: int, sure: float) -> bool:
    """``tokens[k]`` is a word of :data:`SHORT_GLUED_LETTERS` letters or fewer written with
    no pause after a word heard below ``sure`` and before the next word of its channel: a
    syllable of a stretch the recogniser guessed, however sure of it, so no anchor of a
    number. "july twenty twenty eight" heard "do (0.12) i (0.92) 20 28": "i" anchored the
    expiry's start, and "july" leaked (en-s61-032, session 45). Before a health term such
    a word is its article ("fichato (0.39) un (0.94) intufficienza" for "diagnosticato
    un'insufficienza", it-s0-005), and anchors."""
    tok = tokens[k]
    if len(tok.text) > SHORT_GLUED_LETTERS or tok.is_number:
        return False
    prev = next((tokens[j] for j in range(k - 1, -1, -1) if tokens[j].channel == tok.channel), None)
    nxt = next((t for t in tokens[k + 1 :] if t.channel == tok.channel), None)
    return (
        prev is not None
        and nxt is not None
        and tok.start - prev.end < GLUED
        and nxt.start - tok.end < GLUED
        and prev.probability < sure
    )


def _guess_start(tokens: list[Token], k: int, sure: float, stops: set[int]) -> int:
    """Index of the first word of the stretch ``tokens[k]`` is glued into: back over words
    written with no pause between them, each heard below ``sure`` or of
    :data:`SHORT_GLUED_LETTERS` letters or fewer, and none in ``stops`` (a finding's, a
    request's). "sei due uno" heard "sicurezza ... c (0.21) è (0.50) il (0.86) 2 e 1"
    starts at "c", after the pause: the request before it stays audible (it-s3-027); "and
    the x i r e v8 do i 20 28" after the misheard request's "e" (en-s61-032)."""
    j = k
    while j > 0:
        prev = tokens[j - 1]
        if (
            j - 1 in stops
            or prev.channel != tokens[j].channel
            or tokens[j].start - prev.end >= GLUED
            or (prev.probability >= sure and len(prev.text) > SHORT_GLUED_LETTERS)
        ):
            break
        j -= 1
    return j


def _digit_tail(tokens: list[Token], last: int, sure: float = 0.8) -> bool:
    """The token after a finding's last token ``last`` is a letter written with no pause
    after it, heard below ``sure``: the end of its last digit ("5" 30.44-30.70 s and "e"
    30.70-30.94 s for "cinque" said 30.42-31.08 s). It bounds nothing: as an anchor it
    left the digit's last 0.18 s audible."""
    tok = tokens[last + 1]
    return (
        len(tok.text) == 1
        and tok.text.isalpha()
        and tok.probability < sure
        and tok.channel == tokens[last].channel
        and tok.start - tokens[last].end < 0.05
    )


def clip_to_speech(
    span: tuple[float, float],
    speech: list[tuple[float, float]],
    cores: list[tuple[float, float]],
    pad_before: float,
    pad_after: float,
) -> list[tuple[float, float]]:
    """Keep the parts of ``span`` with voice activity (padded); always keep ``cores`` padded.

    ``cores`` are the finding's tokens' own timestamps: even if VAD missed them, we silence
    them. (Per token, not first-to-last: a run read across several turns must not take the
    other speaker's turns in between with it.)
    """
    s0, s1 = span
    out = [(max(0.0, a - pad_before), b + pad_after) for a, b in cores]
    for a, b in speech:
        if b <= s0 or a >= s1:
            continue
        out.append((max(s0, a - pad_before), min(s1, b + pad_after)))
    return merge_spans(out, gap=0.0)


def subtract_explained(
    pieces: list[tuple[float, float]],
    explained: list[tuple[float, float]],
    cores: list[tuple[float, float]],
    pad_before: float,
    pad_after: float,
    shrink: float = 0.1,
) -> list[tuple[float, float]]:
    """Remove from ``pieces`` the speech that ordinary, plausibly timed words account for
    (each shrunk by ``shrink`` s at both ends, since word edges are approximate); the
    finding's own padded ``cores`` always stay. The anchor gap then silences only speech
    nothing else explains: the digits themselves, not the agent's next question.

    Words stamped back to back ("and the security code") are one explained stretch before
    shrinking: shrinking each word on its own silenced 0.2 s at every word boundary of a
    perfectly recognised question, and a word under 0.2 s explained nothing."""
    joined = merge_spans(explained, gap=0.05)
    cut = sorted((a + shrink, b - shrink) for a, b in joined if b - a > 2 * shrink)
    out = subtract_spans(list(pieces), cut, min_len=0.0)
    out += [(max(0.0, a - pad_before), b + pad_after) for a, b in cores]
    return merge_spans([(a, b) for a, b in out if b - a > 0.02], gap=0.0)


def speech_cores(
    cores: list[tuple[float, float]],
    speech: list[tuple[float, float]],
    stamped: list[tuple[float, float]] | None = None,
    sound: list[tuple[float, float]] | None = None,
) -> list[tuple[float, float]]:
    """Cut each token span in ``cores`` to the voice activity of its own channel.

    Whisper stretches a word's edges over the pause after it and into the next turn: a
    customer's "0" stamped 16.56-18.06 s for a digit spoken at 16.46-17.01 s, while the
    agent asked the next question. On the customer's own channel that question is silence,
    so the part of the token outside that channel's speech is not the token. A core that
    overlaps no speech is looked for in the token's whole ``stamped`` span (a "4" stamped
    18.98-21.74 s was spoken at 18.9 s: its length-capped core fell in the silence after);
    a token whose whole span overlaps no speech is kept whole: voice activity missed it, and
    a missed digit must still be silenced. Given the channel's ``sound``
    (:func:`~redactor.vad.sound_regions`), such a token keeps only the part where its
    channel made any sound: a word written over a silent channel was never said there.
    """
    out: list[tuple[float, float]] = []
    for i, (a, b) in enumerate(cores):
        parts = [(max(a, s), min(b, e)) for s, e in speech if s < b and e > a]
        if not parts and stamped is not None:
            a2, b2 = stamped[i]
            parts = [(max(a2, s), min(b2, e)) for s, e in speech if s < b2 and e > a2]
        if not parts and sound is not None:
            a2, b2 = stamped[i] if stamped is not None else (a, b)
            parts = [(max(a2, s), min(b2, e)) for s, e in sound if s < b2 and e > a2]
            out += parts
            continue
        out += parts or [(a, b)]
    return out


def explained_elsewhere(
    others: list[tuple[list[Token], list[tuple[float, float]], set[int]]],
    dialogues: list[tuple[float, float]],
    min_probability: float,
    language: str = "en",
) -> list[tuple[float, float]]:
    """Time spans the other channels' words account for, for use as explained speech in
    an anchor gap (``dialogues``: the call's payment dialogues).

    ``others`` holds, per other channel, its tokens, its voice activity and the indices of
    its tokens that belong to a finding. In a two-channel call the customer is heard on
    both channels, and ASR may follow one copy but not the other: the customer's "hello I
    need some help", heard only on the agent's channel, was silenced on the customer's
    as the anchor gap of a digit stamped 20 s later. Inside a payment dialogue the two
    channels are two listens to the digits, and one channel's "or" for "four" must not
    overrule the digit the other heard: there they explain nothing."""
    out = []
    for tokens, speech, sensitive in others:
        for k, t in enumerate(tokens):
            if (
                k not in sensitive
                and explains(t, min_probability, language)
                and not crosses_pause(t.start, t.end, speech)
                and not any(t.start < b and t.end > a for a, b in dialogues)
            ):
                out.append((t.start, t.end))
    return out


def until_next_turn(
    pieces: list[tuple[float, float]], last_end: float, turns: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``pieces`` of an anchor gap cut at the first of the other speaker's ``turns`` that
    starts after ``last_end`` (the finding's last token end). A customer's trailing gap
    exists for digits ASR dropped after the last one it heard; those come before the agent
    speaks again, while the customer's next turn ("yes that's right" after the agent's
    read-back) is a new answer, judged on its own."""
    cut = min((s for s, _e in turns if s >= last_end), default=None)
    if cut is None:
        return pieces
    return [(s, min(e, cut)) for s, e in pieces if s < cut]


def since_last_turn(
    pieces: list[tuple[float, float]], first_start: float, turns: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``pieces`` of an anchor gap cut at the end of the last of the other speaker's
    ``turns`` that ends by ``first_start`` (the finding's first token start), as
    :func:`until_next_turn` cuts the trailing gap: digits ASR dropped before the first one
    it heard come after the agent's question, while the customer's earlier turn is not
    part of the answer ("buongiorno, vorrei pagare una bolletta", all heard below 0.5, was
    silenced as the leading gap of a card number read after "mi dica le cifre della carta")."""
    cut = max((e for _s, e in turns if e <= first_start), default=None)
    if cut is None:
        return pieces
    return [(max(s, cut), e) for s, e in pieces if e > cut]


def bridge_gaps(
    pieces: list[tuple[float, float]],
    lo: float,
    hi: float,
    max_gap: float,
    pad_after: float = 0.0,
    tail: float = 0.0,
) -> list[tuple[float, float]]:
    """``pieces`` with every gap shorter than ``max_gap`` s that lies inside ``lo``..``hi``
    (a finding's own token span) filled: a pause inside a digit run is part of the run,
    and voice activity misses a quiet digit there (the last "4" of a card on 8 kHz Opus,
    between two regions 0.67 s apart, leaked). Silence costs nothing to silence.

    With ``tail``, the last piece that ends inside ``lo``..``hi`` (the last token is
    stamped past the end of voice activity) reaches ``hi + pad_after``, at most ``tail`` s further:
    voice activity cuts the quiet end of a last digit ("du-e" on 8 kHz Opus), and the
    cap keeps a token stamped into the next turn from taking that turn with it."""
    out: list[tuple[float, float]] = []
    for s, e in sorted(pieces):
        if out and s - out[-1][1] < max_gap and out[-1][1] >= lo and s <= hi:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    before = [k for k, (_s, e) in enumerate(out) if lo <= e < hi]
    if tail and before:
        k = before[-1]
        s, e = out[k]
        out[k] = (s, min(hi + pad_after, e + tail))
        out = merge_spans(out, gap=0.0)
    return out


def merge_intervals(intervals: list[Interval], gap: float) -> list[Interval]:
    """Merge overlapping or near intervals (closer than ``gap`` seconds).

    The merged interval keeps the entity type and recognizer of its highest-scoring part, so
    the report still says why it was silenced.
    """
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.end)):
        if out and iv.start <= out[-1].end + gap:
            last = out[-1]
            best = last if last.score >= iv.score else iv
            out[-1] = Interval(
                start=last.start,
                end=max(last.end, iv.end),
                channel=best.channel,
                entity_type=best.entity_type,
                score=best.score,
                recognizer=best.recognizer,
            )
        else:
            out.append(iv)
    return out


# voice activity starts late on a soft first sound ("s" of "sei", "sette"): this much of a
# digit said before its region began stayed audible (it-s3-023, it-s1-010: 0.04 to 0.07 s)
SOFT_ONSET = 0.1


def soft_onsets(
    intervals: list[Interval], speech_of: dict[int, list[tuple[float, float]]]
) -> list[Interval]:
    """``intervals`` with each one that starts where a voice-activity region of its channel
    starts begun :data:`SOFT_ONSET` s earlier (not before the region before it ends): the
    region's first sound began before the detector heard it. What lies there is a pause,
    or that sound."""
    out = []
    for iv in intervals:
        regions = speech_of.get(iv.channel, ())
        if any(abs(s - iv.start) <= 0.03 for s, _e in regions):
            before = max((e for _s, e in regions if e <= iv.start), default=0.0)
            iv = replace(iv, start=max(before, iv.start - SOFT_ONSET, 0.0))
        out.append(iv)
    return out


def short_code_breaths(
    f: Finding,
    cores: list[tuple[float, float]],
    speech: list[tuple[float, float]],
    asking: list[tuple[float, float]] = (),
) -> list[tuple[float, float]]:
    """The voice-activity regions a security code heard as two digits was said in: a code
    has three or four, and the ones ASR did not write as digits were said in the same
    breath. Not a breath a payment request was heard in (``asking``: the request's
    words, or the span of one misheard): there the "code" is the request misheard ("mi
    serve anche il 12 di sicurezza")."""
    digits = sum(ch.isdigit() for ch in f.text)
    if f.entity_type != "CARD_SECURITY_CODE" or digits != 2:
        return []  # one digit alone is as often a count ("ci sono 2 articoli")
    return [
        (s, e) for s, e in speech
        if any(a < e and s < b for a, b in cores) and not any(a < e and s < b for a, b in asking)
    ]  # fmt: skip
