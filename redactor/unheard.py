"""Whether a word accounts for the speech under it, and what speech nothing accounts for.

The transcript is evidence, not truth: these rules find voice activity that no confident,
plausibly timed word explains (a dropped answer, a decoding loop), which the pipeline then
redacts inside payment dialogues and next to findings."""

from __future__ import annotations

from dataclasses import dataclass, replace

from policies.redaction import RedactionPolicy
from redactor.cues import _HOMOPHONES_UNHEARD, _ONE_LETTER_WORDS, MONTH_NAMES
from redactor.spans import subtract_spans
from redactor.tokens import Token

__all__ = [
    "PaymentWindow",
    "explains",
    "trusted",
    "unexplained_speech",
    "solo_speech",
    "utterance_starts",
    "unheard_to_redact",
    "distrust_loops",
]


@dataclass(frozen=True)
class PaymentWindow:
    start: float
    end: float


def _plausible_start(tok: Token) -> float:
    """Where a token most likely starts: ASR stretches a word back over a preceding pause."""
    longest = 0.3 + 0.45 * max(len(tok.digits), len(tok.text) / 6)
    return max(tok.start, tok.end - longest)


def _in_windows(t0: float, t1: float, windows: list[PaymentWindow], slack: float = 0.0) -> bool:
    return any(t0 < w.end + slack and t1 > w.start - slack for w in windows)


def _numberish(tok: Token, language: str) -> bool:
    """A number, or what ASR writes for a half-heard digit: a digit homophone ("for",
    "to", "ate") or a stray single letter ("m" for "seven" on a narrowband line)."""
    from redactor.tokens import homophones

    t = tok.text
    return (
        tok.is_number
        or any(ch.isdigit() for ch in t)  # a digit glued to a misheard word: "in3", "mac4"
        or t in homophones(language)
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
    duration = tok.end - tok.start
    longest = 0.45 + (0.5 * len(tok.digits) if tok.digits else 0.1 * len(tok.text))
    return 0.0 < duration <= longest


def unexplained_speech(
    speech: list[tuple[float, float]],
    tokens: list[Token],
    min_probability: float,
    min_len: float = 0.25,
    language: str = "en",
) -> list[tuple[float, float]]:
    """Parts of ``speech`` (VAD regions of one channel) that no trusted word covers."""
    from redactor.tokens import homophones

    # numbers explain speech too: inside a payment dialogue they are findings anyway; in
    # the languages below a lone digit homophone does not ("mi accinarra mentre nome?"
    # for "dieci barra ventinove": "nome" is no word of that answer, and no finding)
    unsure = homophones(language) if language in _HOMOPHONES_UNHEARD else {}
    covered = sorted(
        (t.start, t.end)
        for t in tokens
        if _plausible(t, min_probability) and not (t.text in unsure and not t.is_number)
    )
    return subtract_spans(speech, list(covered), min_len)


def solo_speech(
    own: list[tuple[float, float]], other: list[tuple[float, float]], margin: float = 0.15
) -> list[tuple[float, float]]:
    """Parts of one channel's voice activity (``own``) while the other channel of a
    two-channel call is silent (its regions widened by ``margin`` s for the echo delay):
    only this channel's speaker is talking. The customer's speech reaches the agent's
    channel as an echo, never the other way round, so the agent's solo speech is the agent
    alone."""
    widened = [(max(0.0, s - margin), e + margin) for s, e in other]
    return subtract_spans(own, widened, 0.1)


def utterance_starts(spans: list[tuple[float, float]], gap: float) -> list[float]:
    """For each of the sorted ``spans``, where its utterance starts: spans closer than
    ``gap`` s belong to one utterance (digits of a security code are separate voice-activity
    regions 60-500 ms apart, but one answer)."""
    out: list[float] = []
    start, prev_end = 0.0, None
    for s, e in spans:
        if prev_end is None or s - prev_end >= gap:
            start = s
        out.append(start)
        prev_end = e
    return out


def unheard_to_redact(
    unheard: list[tuple[float, float]],
    windows: list[PaymentWindow],
    findings: list[tuple[float, float]],
    policy: RedactionPolicy,
    solo: list[tuple[float, float]] | tuple = (),
    readbacks: list[tuple[float, float]] | tuple = (),
) -> list[tuple[float, float]]:
    """Which unexplained speech (one channel's, sorted) to redact: inside a payment dialogue
    or within ``redact_unexplained_speech_near_findings`` s of a finding.

    An unheard answer is judged by where its utterance starts (pieces closer than
    ``utterance_gap`` s): a window reaches just past the last question, and a security
    code's later digits are separate voice-activity regions of the same answer. On the
    agent's channel of a two-channel call, the agent talking alone (``solo``) is not
    redacted unless it is near a finding of the agent's own (``readbacks``): the agent
    gives no payment details except by reading them back, while misheard questions ("and
    the fiery 8") inside every payment dialogue were the largest single cost."""
    near = policy.redact_unexplained_speech_near_findings
    out: list[tuple[float, float]] = []
    starts = utterance_starts(unheard, policy.utterance_gap)
    for (s, e), u0 in zip(unheard, starts, strict=True):
        in_payment = any(u0 < w.end and e > w.start for w in windows)
        close = any(s < b + near and e > a - near for a, b in findings)
        spans = [(s, e)] if in_payment or close else []
        if spans and solo and not any(s < b + near and e > a - near for a, b in readbacks):
            spans = subtract_spans(spans, solo, 0.25)
        out += spans
    return out


def distrust_loops(
    tokens: list[Token], count: int = 3, within: int = 8, min_letters: int = 4
) -> list[Token]:
    """Zero the probability of an ordinary word that comes back ``count`` times within
    ``within`` tokens ("free payment or payment free payment"): a decoding loop over speech
    ASR could not follow - a card number, here - not three real mentions, so it must not
    explain the audio under it (an immediate repeat is caught at normalisation). Short
    function words ("the", "and") recur naturally and are left alone."""
    loop: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.is_number or len(tok.text) < min_letters:
            continue
        same = [k for k in range(i, min(len(tokens), i + within)) if tokens[k].text == tok.text]
        if len(same) >= count:
            loop.update(same)
    return [replace(t, probability=0.0) if k in loop else t for k, t in enumerate(tokens)]
