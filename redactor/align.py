"""Map findings to audio intervals, pad them and merge neighbours.

Word timestamps of digit runs cannot be trusted: a card read from 14.5 s may come back as
one token stamped at 21.8 s. So a finding's interval is not its own timestamps but the gap
between its *anchors* - the nearest trusted, non-sensitive words before and after it on the
same channel - intersected with that channel's voice activity. Everything in that gap is
either silence or speech that only untrusted or sensitive words claim, so silencing all of it
is the fail-closed choice, and it costs nothing where there is no speech.
"""

from __future__ import annotations

from dataclasses import dataclass

from redactor.detect import Finding
from redactor.failclosed import trusted
from redactor.tokens import Token

__all__ = [
    "Interval",
    "finding_interval",
    "merge_intervals",
    "clip_to_speech",
    "subtract_explained",
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


def finding_interval(
    finding: Finding,
    tokens: list[Token],
    sensitive: set[int],
    min_probability: float,
    pad_before: float,
    pad_after: float,
    max_reach: float = 20.0,
) -> tuple[float, float]:
    """The anchored time span of ``finding`` (before intersecting with speech).

    ``sensitive`` holds the indices of tokens that belong to any finding: they cannot anchor.
    ``max_reach`` bounds how far an anchor may be from the finding's own timestamps.
    """
    lo, hi = finding.start, finding.end
    prev_end = None
    for k in range(finding.first - 1, -1, -1):
        tok = tokens[k]
        if k not in sensitive and trusted(tok, min_probability):
            prev_end = tok.end
            break
    next_start = None
    for k in range(finding.last + 1, len(tokens)):
        tok = tokens[k]
        if k not in sensitive and trusted(tok, min_probability):
            next_start = tok.start
            break
    # anchors' own edges are only good to ~0.2 s: the padding reaches into them
    start = lo - max_reach if prev_end is None else max(min(prev_end, lo), lo - max_reach)
    end = hi + max_reach if next_start is None else min(max(next_start, hi), hi + max_reach)
    return max(0.0, min(start, lo) - pad_before), max(end, hi) + pad_after


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
    nothing else explains: the digits themselves, not the agent's next question."""
    cut = sorted((a + shrink, b - shrink) for a, b in explained if b - a > 2 * shrink)
    out: list[tuple[float, float]] = []
    for s, e in pieces:
        cur = s
        for a, b in cut:
            if b <= cur or a >= e:
                continue
            if a > cur:
                out.append((cur, a))
            cur = max(cur, b)
        if cur < e:
            out.append((cur, e))
    out += [(max(0.0, a - pad_before), b + pad_after) for a, b in cores]
    return merge_spans([(a, b) for a, b in out if b - a > 0.02], gap=0.0)


def merge_spans(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
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
