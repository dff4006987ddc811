"""Payment requests found by how they end: "... le tre cifre *sul retro*".

The agent asking for the security code says where to find it, and that tail is what the
recogniser hears best in the question: "sono le 3 cite su un metro", "sono metteci su
metro", "le 4 ci frezù il fronte" (session 21, Italian seeds 8 and 9, for "sono le tre
cifre sul retro" and "le quattro cifre sul fronte"), when "il codice di sicurezza" before
it came out as "il domicelifico" or not at all. Unexplained in a payment dialogue, the
question's breath was silenced (over a point of over-redaction on two corpora). A breath
that ends with such a tail, holds no more digits than the question's own count ("tre",
"quattro", heard as "3 ci 3"), and is no longer than a question, is the agent asking.
"""

from __future__ import annotations

from redactor.phrases import alike
from redactor.spans import breath
from redactor.tokens import Token

__all__ = ["REQUEST_TAILS", "tail_requests"]

# Per language: the tail's last words as said, and as base writes them ("metro" for
# "retro", 9 times in two corpora), how alike another word must be, the word before the
# tail ("sul", heard "su", "il", "ul", or "su un"), the longest such question's breath
# (s), how long the breath may run on after the tail ("della carta", s) and in how many
# words, and how many digits the question may hold
REQUEST_TAILS = {
    "it": {
        "tails": ("retro", "fronte", "metro"),
        "ratio": 0.8,
        "before": ("sul", "su", "il", "ul", "un"),
        "longest": 4.5,
        "after": 1.0,
        "after_words": 2,
        "digits": 2,
    },
}


def tail_requests(
    tokens: list[Token], speech: list[tuple[float, float]], language: str
) -> list[tuple[int, int, float, float]]:
    """Payment requests found by their tail, as ``(first, last, start, end)`` (the words'
    indices in one channel's ``tokens`` and the breath they were said in; see
    :func:`redactor.misheard.misheard_requests`). Empty for languages without a table."""
    table = REQUEST_TAILS.get(language)
    if table is None:
        return []
    out = []
    for k in range(1, len(tokens)):
        tail, before = tokens[k], tokens[k - 1]
        if before.text not in table["before"] or tail.start - before.end >= 0.3:
            continue
        if not _tail_like(tail.text, table):
            continue
        region = breath(speech, (tail.start + tail.end) / 2) or breath(speech, tail.start)
        if region is None or region[1] - region[0] > table["longest"]:
            continue
        if region[1] - tail.end > table["after"]:
            continue  # the breath runs on: the answer may be in it
        inside = [
            j for j, t in enumerate(tokens) if region[0] - 0.1 <= (t.start + t.end) / 2 < region[1]
        ]
        if not inside or inside[0] > k:
            continue
        first, last = inside[0], max(inside[-1], k)
        after = tokens[k + 1 : last + 1]
        if len(after) > table["after_words"] or any(t.digits for t in after):
            continue
        if sum(len(t.digits) for t in tokens[first : k + 1]) > table["digits"]:
            continue  # a code read in the same breath
        out.append((first, last, region[0], region[1]))
    return out


def _tail_like(word: str, table: dict) -> bool:
    return word in table["tails"] or any(
        alike(word, t, table["ratio"], slack=1) for t in table["tails"]
    )
