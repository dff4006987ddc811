"""Time spans as (start, end) pairs in seconds: the two set operations every rule needs."""

from __future__ import annotations

__all__ = ["merge_spans", "subtract_spans"]


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
