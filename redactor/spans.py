"""Time spans as (start, end) pairs in seconds: the two set operations every rule needs,
and the breath of voice activity a moment is said in."""

from __future__ import annotations

__all__ = ["breath", "merge_spans", "share", "subtract_spans"]


def subtract_spans(
    spans: list[tuple[float, float]], remove: list[tuple[float, float]], min_len: float = 0.05
) -> list[tuple[float, float]]:
    """``spans`` without ``remove``; pieces shorter than ``min_len`` s are dropped."""
    out: list[tuple[float, float]] = []
    for s, e in spans:
        cur = s
        for a, b in sorted(remove):
            if b <= cur or a >= e:
                continue
            if a > cur:
                out.append((cur, a))
            cur = max(cur, b)
        if cur < e:
            out.append((cur, e))
    return [(a, b) for a, b in out if b - a >= min_len]


def merge_spans(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Sorted ``spans`` with those closer than ``gap`` s joined."""
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def breath(
    speech: list[tuple[float, float]], t: float, gap: float = 0.2
) -> tuple[float, float] | None:
    """The voice-activity region (of ``speech``) ``t`` is said in, joined with those that
    follow it after pauses under ``gap`` s: one breath of talk (VAD split "and the |
    advisory date" at a 0.12 s pause). None when ``t`` is in no region."""
    i = next((k for k, (s, e) in enumerate(speech) if s - 0.1 <= t < e), None)
    if i is None:
        return None
    start, end = speech[i]
    for s, e in speech[i + 1 :]:
        if s - end >= gap:
            break
        end = e
    return start, end


def share(spans: list[tuple[float, float]], others: list[tuple[float, float]]) -> float:
    """The share of the total length of ``spans`` that lies inside ``others`` (sorted,
    not overlapping)."""
    total = sum(b - a for a, b in spans)
    inside = sum(max(0.0, min(b, d) - max(a, c)) for a, b in spans for c, d in others)
    return inside / total if total > 0 else 0.0
