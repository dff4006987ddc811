"""Whether a word accounts for the speech under it, and what speech nothing accounts for.

The transcript is evidence, not truth: these rules find voice activity that no confident,
plausibly timed word explains (a dropped answer, a decoding loop), which the pipeline then
redacts inside payment dialogues and next to findings."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import islice

from redactor.alphabet import spelling_link
from redactor.cues import _HOMOPHONES_UNHEARD, _ONE_LETTER_WORDS, MONTH_NAMES
from redactor.lead_tails import lead_tails
from redactor.spans import subtract_spans
from redactor.stamps import (  # noqa: F401 - crosses_pause, stamped_over_pause re-exported
    ZERO_LENGTH_LETTERS,
    ZERO_LENGTH_SURE,
    _doubt_tails,
    _longest,
    _next_on_channel,
    _said_before,
    _said_length,
    crosses_pause,
    moved_back,
    stamped_over_pause,
)
from redactor.tokens import Token

__all__ = [
    "PaymentWindow",
    "explains",
    "explains_over_pause",
    "crosses_pause",
    "filled_regions",
    "stamped_over_pause",
    "stamped_late",
    "trusted",
    "unexplained_speech",
]


@dataclass(frozen=True)
class PaymentWindow:
    """A stretch of the call judged as payment talk. ``opened_by_intent``: its first cue
    was the caller saying why they call ("vorrei pagare una bolletta"), so nothing before
    it answers anything in it; ``intent_until``: when such a window heard its first
    payment detail or request (a cue other than the intent, a number), or ``None``: up
    to then only the caller's reason for calling was said, and nothing was asked yet."""

    start: float
    end: float
    opened_by_intent: bool = False
    intent_until: float | None = None

    def asked_by(self, t: float) -> bool:
        """Whether anything but the caller's intent was said in this window by ``t``."""
        return not self.opened_by_intent or t > (
            self.end if self.intent_until is None else self.intent_until
        )


def _plausible_start(tok: Token) -> float:
    """Where a token most likely starts: ASR stretches a word back over a preceding pause."""
    return max(tok.start, tok.end - plausible_length(len(tok.digits), len(tok.text)))


def plausible_length(digits: int, letters: int) -> float:
    """The longest a word of ``letters`` characters carrying ``digits`` digits takes to say
    (a collapsed digit run, 0.45 s a digit; a word, a few tenths of a second)."""
    return 0.3 + 0.45 * max(digits, letters / 6)


def _in_windows(t0: float, t1: float, windows: list[PaymentWindow], slack: float = 0.0) -> bool:
    """``t0``-``t1`` overlaps a window widened by ``slack`` either side; a window the
    caller's intent opened is not widened back before it: nothing was asked yet, and
    "vorrei" heard "non 6" right before "pagare" was silenced as a security code on three
    stereo calls of one corpus (it-s59-005, -018, -026, session 35)."""
    return any(
        t0 < w.end + slack and t1 > w.start - (0.0 if w.opened_by_intent else slack)
        for w in windows
    )


def _numberish(tok: Token, language: str) -> bool:
    """A number, or what ASR writes for a half-heard digit: a digit homophone ("for",
    "to", "ate") or a stray single letter ("m" for "seven" on a narrowband line)."""
    from redactor.tokens import glued_digit_word, homophones

    t = tok.text
    return (
        tok.is_number
        or any(ch.isdigit() for ch in t)  # a digit glued to a misheard word: "in3", "mac4"
        or t in homophones(language)
        or glued_digit_word(t, language)  # "nomene" for "nove"
        or (len(t) == 1 and t.isalpha() and t not in _ONE_LETTER_WORDS.get(language, "ai"))
        or t in MONTH_NAMES.get(language, ())
    )


def explains(tok: Token, min_probability: float, language: str = "en") -> bool:
    """An ordinary word (not a number, not number-ish) confident and plausibly timed enough
    to account for the speech under it."""
    return not _numberish(tok, language) and _plausible(tok, min_probability)


def trusted(tok: Token, min_probability: float) -> bool:
    """A word whose timing we believe: confident, not a number, and of plausible length."""
    return not tok.is_number and _plausible(tok, min_probability)


def _plausible(tok: Token, min_probability: float) -> bool:
    if tok.probability < min_probability:
        return False
    return 0.0 < tok.end - tok.start <= _longest(tok)


# words this short ("e", "è", "il") are what the recogniser writes, sure of itself, over
# a syllable it could not follow: beside longer words they do not make a region heard
SHORT_WORD_LETTERS = 2
# ... in a region that starts this soon (s) after a number ends, or holds one
AFTER_NUMBER = 1.0

# a word stamped this little (s) into a region was said next to it, not in it
IN_REGION = 0.1


def _said_in(tok: Token, s: float, e: float) -> bool:
    """Whether ``tok`` was said in the region ``s``-``e``, as far as its stamp tells: it
    overlaps the region by :data:`IN_REGION` s or half its own length. The agent's
    "perfetto" (0.78) stamped from 0.04 s before the end of a security code heard as
    guesses ("nello che hai") made the code's region heard, and its "zero" leaked
    (it-s52-018, session 29)."""
    overlap = min(tok.end, e) - max(tok.start, s)
    return tok.start < e and tok.end > s and overlap >= min(IN_REGION, (tok.end - tok.start) / 2)


# how many words ASR may write for the place after a link ("sa nuova" for "Savona")
PLACE_WORDS = 2


def unexplained_speech(
    speech: list[tuple[float, float]],
    tokens: list[Token],
    min_probability: float,
    min_len: float = 0.25,
    language: str = "en",
    sure: float = 0.0,
    long_region: float = 1.0,
    requests: frozenset[tuple[float, float]] = frozenset(),
) -> list[tuple[float, float]]:
    """Parts of ``speech`` (VAD regions of one channel) that no trusted word covers.

    A region of ``long_region`` s or more in which no word reaches ``sure`` is unexplained
    whole: ASR wrote words there, but guessed every one ("now you're it when they're
    going to hide" for "january twenty twenty nine", each word between 0.1 and 0.7), and
    guesses of 0.4 no more account for an expiry date than silence would. The words of a
    payment request heard word for word (``requests``: their time spans, "expiry date" at
    0.50 and 0.75) are no guesses: several words that make up a request are evidence a
    lone word is not, so they still account for their own speech there (the words around
    them in the region do not)."""
    from redactor.tokens import glued_digit_word, homophones, lone_digit_words

    # numbers explain speech too: inside a payment dialogue they are findings anyway; in
    # the languages below a lone digit homophone does not ("mi accinarra mentre nome?"
    # for "dieci barra ventinove": "nome" is no word of that answer, and no finding), nor
    # a lone "uno" ("che uno non" for an identity card's "tre uno nove")
    unsure = (
        homophones(language).keys()
        | lone_digit_words(language)
        | {t.text for t in tokens if glued_digit_word(t.text, language)}
        if language in _HOMOPHONES_UNHEARD
        else frozenset()
    )
    # ... nor does it make a region heard: "uno" (0.9) between "ehi" (0.5) and "certe"
    # (0.54) for a security code's "sei uno sette" left the region explained (it-s8-032)
    # ... nor, in a region that goes on from a number, do its short words when it has
    # longer ones, all guessed: the last group of a card read back, "tre due sei otto",
    # heard "e tu e c è il tutto" ("tu" 0.33, "tutto" 0.21; "è" 0.85, "il" 0.92) after its
    # "8", kept its "sei" audible (it-s25-010). A short word alone ("sì") still makes its
    # region heard, and so does one in a region of talk ("e li manperì il limbozzo" for
    # "e l'IBAN per il rimborso?" after an e-mail address)
    short = SHORT_WORD_LETTERS if language in _HOMOPHONES_UNHEARD else 0
    # a word stamped a region late accounts for the region it was said in, not its stamp
    moved = {k: span for k, t in enumerate(tokens)
             if t.probability >= min_probability and (span := moved_back(tokens, k, speech))}  # fmt: skip
    tokens = [t for k, t in enumerate(tokens) if k not in moved]
    number_ends = sorted(t.end for t in tokens if t.is_number)

    def heard(s, e, region_tokens):
        sure_of = [
            t
            for t in region_tokens
            if t.probability >= sure and not (t.text in unsure and not t.is_number)
        ]
        if (
            any(len(t.text) <= short and not t.is_number for t in region_tokens)
            and any(len(t.text) > short or t.is_number for t in region_tokens)
            and bisect_right(number_ends, e) > bisect_left(number_ends, s - AFTER_NUMBER)
        ):
            return any(len(t.text) > short or t.is_number for t in sure_of)
        return bool(sure_of)

    guessed = [
        (s, e)
        for s, e in speech
        if e - s >= long_region
        and not heard(s, e, [t for t in tokens if _said_in(t, s, e)])
    ] if sure > 0.0 else []  # fmt: skip
    # "C come Como" heard "chi come tromato": the spelling link after a guessed word is
    # part of the spelled code, and accounts for none of it
    link = spelling_link(language)
    spelled = {
        k for k, t in enumerate(tokens)
        if t.text == link
        and (prev := next((p for p in reversed(tokens[:k]) if p.channel == t.channel), None))
        and prev.probability < min_probability and t.start - prev.end < 0.3
    }  # fmt: skip
    # ... and so are the words of the place after it, however ASR wrote them ("S come
    # Savona" heard "27e3s come sa nuova": "nuova" at 0.52 kept half the S audible)
    for k in sorted(spelled):
        end = tokens[k].end
        after = (j for j in range(k + 1, len(tokens)) if tokens[j].channel == tokens[k].channel)
        for j in islice(after, PLACE_WORDS):
            if tokens[j].start - end >= 0.3:
                break
            spelled.add(j)
            end = tokens[j].end
    covered = sorted(
        (t.start, t.end)
        for k, t in enumerate(tokens)
        if _plausible(t, min_probability)
        and not (t.text in unsure and not t.is_number)
        and k not in spelled
        and ((t.start, t.end) in requests
             or not any(s <= (t.start + t.end) / 2 < e for s, e in guessed))
    )  # fmt: skip
    # a request's last word is stamped on over the pause after it ("date" 0.88 s long): it
    # still accounts for as long as a word takes to say from its start; its first word
    # stamped back over the pause before it, only where it was said: "la" of "la
    # scadenza" stamped from 21.64 s over a card's last digit, said from 22.67 s, kept
    # the "nove" there audible (it-s18-019)
    covered += [
        stamped_over_pause(t, speech) or (t.start, t.start + _longest(t))
        for t in tokens
        if (t.start, t.end) in requests
        and t.probability >= min_probability
        and t.end - t.start > _longest(t)
    ]
    covered.sort()
    covered = _doubt_tails(covered, speech)
    covered += [
        span
        for t in tokens
        if t.end - t.start < 0.05 and t.probability >= max(min_probability, ZERO_LENGTH_SURE)
        and len(t.text) <= ZERO_LENGTH_LETTERS
        and not _numberish(t, language) and t.text not in unsure
        and not any(s <= t.start < e for s, e in guessed)
        and (span := _said_before(t, speech))
    ]  # fmt: skip
    covered += [
        (start, t.end)
        for k, t in enumerate(tokens)
        if t.text not in unsure
        and not any(s <= t.start < e for s, e in guessed)
        and (start := stamped_late(tokens, k, speech, language)) is not None
    ]  # fmt: skip
    covered += [
        span
        for k, t in enumerate(tokens)
        if k not in spelled and t.text not in unsure
        and not any(s <= t.end < e for s, e in guessed)
        and (span := explains_over_pause(t, speech, min_probability, language))
    ]  # fmt: skip
    covered += moved.values()
    # the rest of the breath of a caller's answer lead stamped short ("allora" before a code)
    covered += [(s, e) for s, e in lead_tails(tokens, speech, language)
                if not any(a <= s < b for a, b in guessed)]  # fmt: skip
    # a region ordinary words fill is theirs whole, gaps between their stamps included
    covered += [r for r in filled_regions(tokens, speech, min_probability, language)
                if r not in guessed]  # fmt: skip
    return subtract_spans(speech, sorted(covered), min_len)


def filled_regions(
    tokens: list[Token],
    speech: list[tuple[float, float]],
    min_probability: float,
    language: str = "en",
    sensitive: set[int] = frozenset(),
    room: float = 0.1,
) -> list[tuple[float, float]]:
    """Voice-activity regions of one channel that ordinary words account for whole: every
    word stamped in the region alone is one :func:`explains` takes (none of ``sensitive``),
    with two fifths of its stamp or more in it, and together they take as long to say as
    the region lasts (``_said_length`` each, and ``room`` s more): no digit fits beside
    them. ``speech`` is sorted, as voice activity comes.

    Whisper stamps the word before a number short, or from the pause before it, and the
    number's first digit from inside that word's region across the pause: "allora" (0.90)
    at 31.66-31.98 s in a region of 31.66-32.34 s and "1" at 31.98-32.76 s, said from
    32.62 s. The digit's span took the second half of "allora" with it, where a customer
    says a word before reading a number. A word stamped over more than one region
    (:func:`crosses_pause`) says nothing about either, and does not count."""
    starts = [s for s, _e in speech]
    alone: dict[int, list[tuple[int, Token]]] = {}  # region -> the words stamped in it alone
    for k, t in enumerate(tokens):  # (by bisection: a long call has thousands of each)
        first = max(bisect_right(starts, t.start) - 1, 0)
        under = [r for r in range(first, bisect_left(starts, t.end))
                 if speech[r][0] < t.end and speech[r][1] > t.start]  # fmt: skip
        if len(under) == 1:  # not stamped across a pause (crosses_pause)
            alone.setdefault(under[0], []).append((k, t))
    out = []
    for r, (s, e) in enumerate(speech):
        inside = alone.get(r, [])
        if not inside or any(
            k in sensitive
            or not explains(t, min_probability, language)
            # a word stamped mostly outside the region says little of it: "please" stamped
            # late, 0.06 s of 0.18 s into a security code's first digit (en-s1-037)
            or min(t.end, e) - max(t.start, s) < 0.4 * (t.end - t.start)
            for k, t in inside
        ):
            continue
        if e - s <= sum(_said_length(t) for _k, t in inside) + room:
            out.append((s, e))
    return out


def explains_over_pause(
    tok: Token, speech: list[tuple[float, float]], min_probability: float, language: str = "en"
) -> tuple[float, float] | None:
    """The speech an ordinary word heard at ``min_probability`` or more accounts for when
    Whisper stamped it across a pause (:func:`stamped_over_pause`), or ``None``: what
    :func:`explains` says of the word where it was said."""
    if _numberish(tok, language) or tok.probability < min_probability:
        return None
    return stamped_over_pause(tok, speech)


# the first word of an utterance stamped shorter than this, at its end
SHORT_STAMP = 0.15


def stamped_late(
    tokens: list[Token], k: int, speech: list[tuple[float, float]], language: str = "en"
) -> float | None:
    """Where a sure word stamped too short to have been said was said, or ``None``.

    Whisper stamps the first word of an utterance at its end, 0.04 to 0.14 s long and 0.3
    to 0.5 s late ("thank" at 39.26-39.30 s for one said from 38.90 s), so the speech just
    before it, which is that word, stood unexplained and a finding's span before it ran on
    into it. Only a word the recogniser was sure of (``ZERO_LENGTH_SURE``), no digit or
    digit homophone, and followed at once by a sure word of its channel ("thank you"): a
    fluent utterance, not a lone hallucinated word. It was said from a word's length before
    its end, or from the start of the voice-activity region it is stamped in if later."""
    tok = tokens[k]
    if not (
        tok.end - tok.start < SHORT_STAMP
        and tok.probability >= ZERO_LENGTH_SURE
        and not _numberish(tok, language)
    ):
        return None
    nxt = _next_on_channel(tokens, k)
    if nxt is None or nxt.start - tok.end > 0.05 or nxt.probability < ZERO_LENGTH_SURE:
        return None
    if _numberish(nxt, language):
        return None
    region = next((s for s, e in speech if s <= tok.start <= e), None)
    if region is None:
        return None
    return max(region, tok.end - _said_length(tok))
