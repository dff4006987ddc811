"""Where a word was said, as far as Whisper's stamp for it tells: how long a word takes to
say, and where one stamped across a pause, with no length, or past its end was said.
Used by :mod:`redactor.unheard` to judge which speech the words account for."""

from __future__ import annotations

from redactor.tokens import Token

__all__ = ["GLUED", "crosses_pause", "moved_back", "runs_in_late", "stamped_over_pause"]


def _longest(tok: Token) -> float:
    """The longest a word takes to say, for judging whether its stamp is plausible."""
    return 0.45 + (0.5 * len(tok.digits) if tok.digits else 0.1 * len(tok.text))


def stamped_over_pause(tok: Token, speech: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Where a word stamped longer than it takes to say was said, or ``None``.

    Whisper stamps a word across the pause next to it. The first word after a pause is
    stamped from the end of the word before it: "allora" (0.67) at 42.06-43.48 s, said at
    43.05-43.57 s, before a security code. The last word before a pause is stamped up to
    the next word: "è" (0.90) at 10.80-11.36 s in "il numero è", whose voice activity ends
    at 11.32 s. Neither was a plausible word, the speech under it stood unexplained, and
    the card's finding ran back over it. Such a word was said in the voice-activity
    region its stamp ends in, from that region's start (or in the one it starts in, up to
    that region's end), when that much is a plausible length for it: a region with room
    for more words may hold a digit the word was stretched over."""
    if tok.end - tok.start <= _longest(tok):
        return None
    for s, e in speech:
        if tok.start < s < tok.end <= e + 0.1:
            return (s, tok.end) if tok.end - s <= _longest(tok) else None
    for s, e in speech:
        if s - 0.1 <= tok.start < e < tok.end:
            return (tok.start, e) if e - tok.start <= _longest(tok) else None
    return None


def crosses_pause(start: float, end: float, speech: list[tuple[float, float]]) -> bool:
    """A word stamped over more than one voice-activity region: Whisper stretched it over a
    pause, and which side it was said on is a guess ("it's" stamped 8.50-9.30 s over the
    first card digit at 9.03 s). Such a word explains no speech in an anchor gap."""
    return sum(1 for s, e in speech if s < end and e > start) > 1


# two words stamped this close (s) or closer are one stretch of sound: the recogniser put
# the boundary between them, or stamped the second from the end of the first
GLUED = 0.05
# how much of a word's stamp (s) may lie in the pause before the voice activity it runs
# into: a soft onset ("s" of "six") starts a little before voice activity does
LATE_START = 0.2


def runs_in_late(
    start: float,
    end: float,
    speech: list[tuple[float, float]],
    prev_end: float | None = None,
    next_start: float | None = None,
) -> bool:
    """A word stamped from a pause into the voice-activity region after it, at least
    :data:`LATE_START` s of it in the pause, not from the end of the word before it
    (``prev_end``), and with the next word (from ``next_start``) stamped in that region
    too: it was said before its stamp, in the speech before the pause, and the speech it
    runs into is the next word's. The caller's "it's" was stamped 8.22-8.92 s (0.93),
    0.28 s after "yes", over the pause and into the region of the card's first digit, said
    8.48-9.03 s and stamped from 8.92 s; it explained the digit's speech, and the 6 leaked
    (en-s61-010, session 45). Such a word, right before a finding's, explains no speech in
    an anchor gap. A word stamped from the end of the word before it is the first word of
    the next breath, stamped early over the pause ("let" of "let me read that back",
    stamped from a security code's end: en-s61-000); so is one whose region holds no next
    word ("allora" stamped 29.64-30.60 s into its own region, 30.22-30.77 s, a code
    after the next pause: it-s62-015)."""
    if prev_end is not None and start - prev_end < GLUED:
        return False
    if any(s <= start < e for s, e in speech):
        return False
    return any(
        start + LATE_START <= s < end and (next_start is None or next_start < e) for s, e in speech
    )


# a zero-length word accounts for speech only when the recogniser was sure of it, and only
# a short one ("yes", "i"): base wrote "ci" (0.42) with no length over the first digit of
# an expiry, and "clienti" (0.91), a hallucinated echo of the greeting, over another
ZERO_LENGTH_SURE = 0.8
ZERO_LENGTH_LETTERS = 4


def _said_length(tok: Token) -> float:
    """How long a word stamped short or late most likely took to say."""
    return 0.2 + 0.07 * len(tok.text)


def _said_before(tok: Token, speech: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Where a confident word stamped with no length was said: the recogniser stamps such
    a word at or just after its end ("yes" at 9.34-9.34 s for one said at 8.80-9.23 s), so
    it accounts for a plausible word's length of speech up to its stamp, or up to the end
    of the voice-activity region it follows within 0.5 s."""
    length = _said_length(tok)
    before = None
    for s, e in speech:
        if s <= tok.start <= e:
            return (max(s, tok.start - length), tok.start)
        if e < tok.start <= e + 0.5:
            before = (max(s, e - length), e)
    return before


def _next_index_on_channel(tokens: list[Token], k: int, within: int | None = None) -> int | None:
    """Index of the next word said on word ``k``'s channel in a time line of several
    channels, among the ``within`` words after it (all of them when None). By index:
    slicing the call's whole time line for every word is quadratic."""
    ch = tokens[k].channel
    stop = len(tokens) if within is None else min(k + 1 + within, len(tokens))
    return next((j for j in range(k + 1, stop) if tokens[j].channel == ch), None)


def _next_on_channel(tokens: list[Token], k: int) -> Token | None:
    """The next word said on word ``k``'s channel (:func:`_next_index_on_channel`)."""
    j = _next_index_on_channel(tokens, k)
    return None if j is None else tokens[j]


# a word stamped this far (s) into its voice-activity region, none before it there, ...
LATE_HEAD = 0.5
# ... and a wordless region ending at most this long (s) before that one
MOVED_GAP = 1.0


def moved_back(tokens: list[Token], k: int, speech: list[tuple[float, float]]) -> tuple | None:
    """The voice-activity region a word stamped a region late was said in, or ``None``.

    Whisper wrote the customer's "certo", said alone before a card number, at the number's
    start: 1.6 s late, over its second digit, which it explained, and the "3" leaked
    (it-s52-020, session 32). Such a word is glued to a number (``tokens[k + 1]`` of its
    channel, under 0.05 s after it), stamped :data:`LATE_HEAD` s or more into its region
    with no word before it there, and the region before, within :data:`MOVED_GAP` s, holds
    no word and is no longer than the word takes to say: it was said there."""
    tok = tokens[k]
    if tok.is_number:
        return None
    nxt = _next_on_channel(tokens, k)
    if nxt is None or not nxt.is_number or nxt.start - tok.end > 0.05:
        return None
    at = next((n for n, (s, e) in enumerate(speech) if s <= tok.start < e), None)
    if not at or tok.start - speech[at][0] < LATE_HEAD:
        return None
    (ps, pe), (s, _e) = speech[at - 1], speech[at]
    if s - pe > MOVED_GAP or pe - ps > _longest(tok):
        return None
    if any(t is not tok and t.end > ps and t.start < tok.start for t in tokens):
        return None  # a word stamped there, or before the word in its own region
    return (ps, pe)


# how much of a word's stamped end to doubt when unheard speech follows it
TAIL_DOUBT = 0.15


def _doubt_tails(
    covered: list[tuple[float, float]], speech: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Word spans with the last :data:`TAIL_DOUBT` s cut off where speech goes on after
    the word and no word follows for 0.35 s (room for a word): the recogniser stretches a word's end over the
    next word it did not write ("let me read that mac" ran 0.1 s into the first digit of
    the read-back, leaving a fifth of it audible)."""
    out = []
    for k, (s, e) in enumerate(covered):
        following = covered[k + 1][0] if k + 1 < len(covered) else float("inf")
        goes_on = any(a <= e < b - 0.1 for a, b in speech)
        if following - e >= 0.35 and goes_on and e - s > 2 * TAIL_DOUBT:
            e -= TAIL_DOUBT
        out.append((s, e))
    return out
