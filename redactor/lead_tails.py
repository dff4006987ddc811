"""Where a caller's answer lead ends: at the end of its breath, not of its stamp.

Whisper stamps the last word of a breath short of its sound. The caller's "allora" before
a code was stamped 11.18-11.50 s in a voice-activity region that ran to 11.80 s, with the
code's first character said from 12.12 s in the next region (it-s59-002): the 0.3 s of
"allora" after its stamp stood unexplained, and the span before the code started inside
the word. Over two corpora the region ran on 0.1 to 0.5 s past such a lead's stamp, and no
detail was ever said in that tail; the same measure over every confident word found the
tails of misheard digits and health terms ("nero" for "zero"), so only the words a caller
opens an answer with (``cues.ANSWER_LEADS``) are trusted to own their breath's end.
"""

from __future__ import annotations

from bisect import bisect_right

from redactor.cues import ANSWER_LEADS
from redactor.tokens import Token

__all__ = ["lead_tail", "lead_tails", "LEAD_TAIL", "LEAD_SURE"]

# the longest tail (s) a lead's breath runs on past its stamp (0.45 s measured)
LEAD_TAIL = 0.5
# ... of a lead heard at least this sure (an opening word heard less sure may be a code's
# first character misheard: ``RedactionPolicy.sure_confidence``)
LEAD_SURE = 0.7


def lead_tail(
    tokens: list[Token],
    k: int,
    speech: list[tuple[float, float]],
    language: str,
) -> tuple[float, float] | None:
    """The speech past the stamp of ``tokens[k]`` that is still that word, or ``None``.

    Only a caller's answer lead heard at :data:`LEAD_SURE` or more, whose stamp ends in a
    voice-activity region of ``speech`` (sorted) at most :data:`LEAD_TAIL` s before the
    region does, with no word of ``tokens`` stamped from there to the region's end: the
    rest of the breath is the lead's, and what follows the pause after it is the answer."""
    tok = tokens[k]
    if tok.text not in ANSWER_LEADS.get(language, ()) or tok.probability < LEAD_SURE:
        return None
    r = bisect_right(speech, (tok.end, float("inf"))) - 1
    if r < 0 or not speech[r][0] <= tok.end < speech[r][1]:
        return None
    end = speech[r][1]
    if end - tok.end > LEAD_TAIL:
        return None
    if any(tok.end <= o.start < end for j, o in enumerate(tokens) if j != k):
        return None
    return tok.end, end


def lead_tails(
    tokens: list[Token],
    speech: list[tuple[float, float]],
    language: str,
    exclude: set[int] = frozenset(),
) -> list[tuple[float, float]]:
    """Every :func:`lead_tail` of ``tokens`` in ``speech``, but of the tokens ``exclude``
    names (a finding's own)."""
    if language not in ANSWER_LEADS:
        return []
    return [
        span
        for k in range(len(tokens))
        if k not in exclude and (span := lead_tail(tokens, k, speech, language)) is not None
    ]
